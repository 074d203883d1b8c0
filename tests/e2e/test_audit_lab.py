"""The firewall audit on the lab: back the firewalls up over SSH, audit, compare with the truth.

`netsteward backup --group firewall` reads the 34 firewalls' running
configurations (USG, StoneOS, FortiOS, ASA) into a private backup repository;
`netsteward audit firewall` must then report exactly `truth["firewall_problems"]`.
A second test reads one firewall of each platform directly over SSH (netmiko,
not our code) and audits that text, the way drift does on live configurations.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from netsteward.tasks.firewall.audit import audit_config
from netsteward.tasks.firewall.intent import load_intent

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
INTENT = ROOT / "policy" / "firewall_intent.yaml"
SHOW_RUN = {
    "huawei_vrp": "display current-configuration",
    "hillstone_stoneos": "show configuration",
    "fortinet": "show full-configuration",
    "cisco_asa": "show running-config",
}


def _firewalls(truth: dict) -> list[dict]:
    return [d for d in truth["devices"] if d["role"] == "firewall"]


def _expected(truth: dict, hosts: set[str]) -> set[tuple[str, str, str]]:
    return {
        (p["host"], p["rule"], p["check"]) for p in truth["firewall_problems"] if p["host"] in hosts
    }


@pytest.fixture(scope="module")
def backup_repo(lab, tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("fw-backup") / "configs"
    proc = lab.netsteward("backup", "--group", "firewall", "--repo", str(repo), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return repo


def test_audit_of_backed_up_firewalls_finds_exactly_the_planted_problems(
    lab, backup_repo: Path
) -> None:
    truth = lab.truth()
    firewalls = _firewalls(truth)
    assert truth["firewall_problems"], "the lab plants firewall problems"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "audit",
            "firewall",
            "--repo",
            str(backup_repo),
            "--intent",
            str(INTENT),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr  # high findings are planted
    report = json.loads(proc.stdout)
    got = {(f["device"], f["rule"], f["check"]) for f in report["findings"]}
    expected = _expected(truth, {d["name"] for d in firewalls})
    assert sorted(got - expected) == [] and sorted(expected - got) == []
    assert {f["device"] for f in report["findings"]} == {d["name"] for d in firewalls}
    # every declared server shows up in the exposure matrix with its intended flows
    servers = {e["server"] for e in report["exposure"] if e["within_intent"]}
    assert servers == {s.name for s in load_intent(INTENT).servers}


def test_live_running_config_over_ssh_audits_like_the_truth(lab) -> None:
    truth = lab.truth()
    assert truth["firewall_problems"], "the lab plants firewall problems"
    intent = load_intent(INTENT)
    seen: set[str] = set()
    for dev in _firewalls(truth):
        if dev["platform"] in seen:
            continue
        seen.add(dev["platform"])
        conn = ConnectHandler(
            device_type=dev["platform"],
            host="127.0.0.1",
            port=dev["port"],
            username="netsteward",
            password="Lab-Only-Pa55",
            secret="Lab-Only-Pa55",
            fast_cli=False,
        )
        try:
            text = conn.send_command(SHOW_RUN[dev["platform"]], read_timeout=120)
        finally:
            conn.disconnect()
        result = audit_config(dev["platform"], text, intent, None, dev["name"])
        got = {(f.device, f.rule, f.check) for f in result.findings}
        assert got == _expected(truth, {dev["name"]}), dev["name"]
    assert seen == {"huawei_vrp", "hillstone_stoneos", "fortinet", "cisco_asa"}


def test_a_new_exposure_on_a_live_asa_is_found_and_rule_numbers_follow(lab) -> None:
    """Insert a remark and an ACE at the top of OUTSIDE_IN on one ASA over SSH, audit, then undo."""
    truth = lab.truth()
    assert truth["firewall_problems"], "the lab plants firewall problems"
    dev = next(d for d in _firewalls(truth) if d["platform"] == "cisco_asa")
    intent = load_intent(INTENT)
    ace = "extended permit tcp any host 10.20.3.10 eq sqlnet log"
    conn = ConnectHandler(
        device_type="cisco_asa",
        host="127.0.0.1",
        port=dev["port"],
        username="netsteward",
        password="Lab-Only-Pa55",
        secret="Lab-Only-Pa55",
        fast_cli=False,
    )
    try:
        conn.send_config_set(
            [
                "access-list OUTSIDE_IN line 1 remark CHG-9999 database for everyone",
                f"access-list OUTSIDE_IN line 2 {ace}",
            ]
        )
        text = conn.send_command("show running-config", read_timeout=120)
        got = {
            (f.rule, f.check)
            for f in audit_config("cisco_asa", text, intent, None, dev["name"]).findings
        }
        shifted = set()
        for _host, rule, check in _expected(truth, {dev["name"]}):
            if rule.startswith("OUTSIDE_IN line "):
                rule = f"OUTSIDE_IN line {int(rule.rsplit(' ', 1)[1]) + 2}"
            shifted.add((rule, check))
        # sqlnet (1521) from anywhere: risky, and beyond the intent for ORACLE-DB (not public: also ANY_SOURCE)
        new = {
            ("OUTSIDE_IN line 2", "RISKY_SERVICE"),
            ("OUTSIDE_IN line 2", "EXCESS_EXPOSURE"),
            ("OUTSIDE_IN line 2", "ANY_SOURCE"),
        }
        assert got == shifted | new
    finally:
        conn.send_config_set(
            [
                f"no access-list OUTSIDE_IN {ace}",
                "no access-list OUTSIDE_IN remark CHG-9999 database for everyone",
            ]
        )
        text = conn.send_command("show running-config", read_timeout=120)
        conn.disconnect()
    restored = {
        (f.device, f.rule, f.check)
        for f in audit_config("cisco_asa", text, intent, None, dev["name"]).findings
    }
    assert restored == _expected(truth, {dev["name"]})
