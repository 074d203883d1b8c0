"""The device session against the lab's faults: failures named right, and a device that hangs
costs its time limit, not more (issue 17, "Failures named right").

- `hang`: the running configuration stops half-way and no prompt comes: `timeout`, reported
  within `--timeout` (the session's socket is shut at the deadline; netmiko's log-out
  clean-up used to wait as long again);
- `authslow`: the log-in is answered 5 s late (an overloaded AAA server): with a tighter
  authentication time-out that is a transient `timeout`, tried again, never `auth`; with
  the default one the device is backed up;
- `notssh`: the port answers with a telnet greeting: `not_ssh` in one line, not retried,
  and nothing else on stderr (no paramiko tracebacks).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from netsteward.playbooks.common import open_nornir
from netsteward.tasks.backup.collect import BackupOutcome, backup_config
from netsteward.tasks.core.failures import NOT_SSH, TIMEOUT
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.core.session import SessionOptions, on_device

pytestmark = pytest.mark.e2e


def _host(lab: Any, platform: str, nth: int) -> str:
    """A device late in the fleet (the other tests pick from the front)."""
    names = [d["name"] for d in lab.truth()["devices"] if d["platform"] == platform]
    return str(names[-1 - nth])


@contextmanager
def fault(lab: Any, host: str, kind: str) -> Iterator[None]:
    assert lab.cli("fault", host, kind).returncode == 0
    try:
        yield
    finally:
        lab.cli("fault", host, "clear")


def backup(lab: Any, host: str, options: SessionOptions) -> BackupOutcome:
    nr = open_nornir(lab.config, host)
    agg = nr.run(task=backup_config, options=options, raise_on_error=False)
    return typed_results(agg, BackupOutcome).ok[host]


@pytest.mark.parametrize("platform", ["huawei_vrp", "cisco_ios"])
def test_a_hung_device_costs_its_time_limit_not_more(lab: Any, platform: str) -> None:
    """The time limit is a contract of `--timeout` (all attempts and the log-out included),
    so the outcome's duration is checked against it, with a second for the machine."""
    host = _host(lab, platform, 0)
    limit = 6.0
    with fault(lab, host, "hang"):
        outcome = backup(lab, host, SessionOptions(timeout=limit))
    assert outcome.failure == TIMEOUT, outcome
    assert "hang" in (outcome.reason or "")
    assert outcome.seconds <= limit + 1.0, outcome.seconds


def test_an_authentication_timeout_is_a_transient_timeout(lab: Any) -> None:
    host = _host(lab, "hp_comware", 0)
    with fault(lab, host, "authslow"):
        slow = backup(lab, host, SessionOptions(timeout=30, extras={"auth_timeout": 1}))
        patient = backup(lab, host, SessionOptions(timeout=30))
    assert slow.failure == TIMEOUT, slow
    assert slow.attempts == 3  # tried again, as every transient failure
    assert slow.reason == (
        "no answer to the log-in within 1 s (authentication timed out) (after 3 attempts)"
    )
    assert patient.ok, patient  # answered 5 s late, within the default 10 s


def test_the_session_configures_and_saves_through_the_platform_file(lab: Any) -> None:
    """Configuration mode, the device's prompt in every mode and the save question come from
    the platform file (`config_mode:`), for each platform netsteward configures."""
    for platform, (show, undo) in {
        "huawei_vrp": ("display current-configuration interface LoopBack77", "undo interface"),
        "hp_comware": ("display current-configuration interface LoopBack77", "undo interface"),
        "cisco_ios": ("show running-config interface Vlan777", "no interface"),
    }.items():
        host = _host(lab, platform, 1)
        nr = open_nornir(lab.config, host)
        name = "Vlan777" if platform == "cisco_ios" else "LoopBack77"
        lines = [f"interface {name}", "description NETSTEWARD-SESSION-TEST"]

        def work(task: Any, lines: list[str] = lines, show: str = show, undo: str = undo) -> str:
            def push(s: Any) -> str:
                s.configure(lines)
                shown = s.read(show)
                s.configure([f"{undo} {lines[0].split()[1]}"])
                s.save()
                return shown

            return on_device(task, push).unwrap()

        result = nr.run(task=work, raise_on_error=False)[host]
        assert not result.failed, result.exception
        assert "description NETSTEWARD-SESSION-TEST" in result[0].result, platform


def test_a_port_that_does_not_speak_ssh_is_one_line(lab: Any, tmp_path: Path) -> None:
    host = _host(lab, "huawei_vrp", 1)
    with fault(lab, host, "notssh"):
        proc = lab.netsteward("backup", "--hosts", host, "--repo", str(tmp_path), "--json")
        topo = lab.netsteward(
            "topology", "snapshot", "--hosts", host, "--repo", str(tmp_path), "--no-commit"
        )
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr == ""  # no tracebacks from paramiko or Nornir
    (failed,) = json.loads(proc.stdout)["failed"]
    assert failed == {
        "host": host,
        "failure": NOT_SSH,
        "reason": "the port answers, but not with SSH ('User Access Verification')",
    }
    assert topo.returncode == 3
    assert [ln for ln in topo.stderr.splitlines() if ln.strip()] == [
        f"unreachable: {host}: the port answers, but not with SSH ('User Access Verification')"
    ]
