"""The drift check end to end against a private lab, run the way the CI pipeline runs it.

One module-scoped lab (`fresh_lab`), the `egov_extranet` network (about 80 devices: routers,
core, aggregation, access of three vendors, firewalls of four). The approved state is a
backup of that group (plus a topology snapshot when the topology command is available); each
test changes the lab by hand over SSH (netmiko, not our code) or with `lab relink` / `fault`,
runs the pipeline's own `netsteward drift` line, checks the outcome and undoes its change.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from netmiko import ConnectHandler

from netsteward.tasks.core.store import BackupStore

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
GROUP = "egov_extranet"
USER, PASSWORD = "netsteward", "Lab-Only-Pa55"


def pipeline_command() -> str:
    """The drift line of the GitLab pipeline (the GitHub one must run the same line)."""
    lines = yaml.safe_load((ROOT / "pipelines" / "gitlab-ci.yml").read_text())["netsteward-drift"][
        "script"
    ]
    gitlab = next(ln for ln in lines if ln.startswith("netsteward drift"))
    github = (ROOT / "pipelines" / "github-actions.yml").read_text()
    assert gitlab in github, "both pipelines run the same drift command line"
    return str(gitlab)


@dataclass
class Run:
    code: int
    out: str
    err: str
    junit: ET.Element | None
    report: dict[str, Any]
    markdown: str

    def failed(self) -> dict[tuple[str, str], str]:
        """(check, host) -> failure text of every failed JUnit case."""
        assert self.junit is not None
        out = {}
        for case in self.junit.iter("testcase"):
            fail = case.find("failure")
            if fail is not None:
                out[(case.get("classname", "").split(".")[1], case.get("name", ""))] = (
                    fail.text or ""
                )
        return out

    def errored(self) -> set[tuple[str, str]]:
        assert self.junit is not None
        return {
            (c.get("classname", "").split(".")[1], c.get("name", ""))
            for c in self.junit.iter("testcase")
            if c.find("error") is not None
        }


@dataclass
class Env:
    lab: Any
    work: Path  # like the adopter's repository: policy/, configs/ (the backup repository)
    repo: Path
    hosts: dict[str, dict[str, Any]]

    def drift(self, *extra: str) -> Run:
        reports = self.work / "reports"
        for f in reports.glob("*"):
            f.unlink()
        reports.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "NETSTEWARD_CONFIG": str(self.lab.config),
            "NETSTEWARD_DRIFT_ARGS": " ".join(["--group", GROUP, *extra]),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        proc = subprocess.run(
            ["sh", "-c", pipeline_command()],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        junit = reports / "drift-junit.xml"
        report = reports / "drift.json"
        md = reports / "drift.md"
        keep = (
            self.work
            / "runs"
            / str(len(list((self.work / "runs").glob("*"))) if (self.work / "runs").exists() else 0)
        )
        keep.mkdir(parents=True)
        (keep / "stderr.txt").write_text(proc.stderr)
        (keep / "exit_code").write_text(f"{proc.returncode}\n")
        for f in reports.glob("*"):
            (keep / f.name).write_bytes(f.read_bytes())
        return Run(
            proc.returncode,
            report.read_text() if report.exists() else "",
            proc.stderr,
            ET.fromstring(junit.read_text()) if junit.exists() else None,
            json.loads(report.read_text())
            if report.exists() and report.read_text().strip()
            else {},
            md.read_text() if md.exists() else "",
        )

    def netsteward(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.lab.netsteward(*args)

    def committed(self, host: str) -> str:
        return next((self.repo).rglob(f"{host}.cfg")).read_text()

    def connect(self, host: str) -> Any:
        h = self.hosts[host]
        device_type = {"huawei_vrp": "huawei", "hp_comware": "hp_comware"}.get(
            h["platform"], h["platform"]
        )
        return ConnectHandler(
            device_type=device_type,
            host="127.0.0.1",
            port=h["port"],
            username=USER,
            password=PASSWORD,
            secret=PASSWORD,
            fast_cli=False,
        )

    def first(self, platform: str, role: str) -> str:
        return next(
            n
            for n, h in sorted(self.hosts.items())
            if h["platform"] == platform and h["data"]["role"] == role
        )


def _inventory(config: Path) -> dict[str, dict[str, Any]]:
    cfg = yaml.safe_load(config.read_text())
    hosts = yaml.safe_load(Path(cfg["inventory"]["options"]["host_file"]).read_text())
    return {n: h for n, h in hosts.items() if GROUP in h.get("groups", [])}


@pytest.fixture(scope="module")
def env(fresh_lab: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    work = tmp_path_factory.mktemp("drift")
    (work / "policy").symlink_to(ROOT / "policy")
    repo = work / "configs"
    BackupStore.open(repo)
    hosts = _inventory(fresh_lab.config)
    # the approved state: the backup of the group (`drift accept` runs the same backup task)
    proc = fresh_lab.netsteward("backup", "--group", GROUP, "--repo", str(repo))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    # the snapshot commits itself; exit 3: devices without LLDP (firewalls, IPS) unreadable
    snap = fresh_lab.netsteward("topology", "snapshot", "--group", GROUP, "--repo", str(repo))
    assert snap.returncode in (0, 3), snap.stderr
    assert list((repo / "topology").glob("*.json")) and not git.Repo(repo).is_dirty()
    yield Env(fresh_lab, work, repo, hosts)


def test_nothing_changed_exits_0(env: Env) -> None:
    run = env.drift()
    assert run.code == 0, run.out[-3000:] + run.err[-2000:]
    assert run.junit is not None and int(run.junit.get("tests", "0")) >= len(env.hosts)
    assert run.junit.get("failures") == "0" and run.junit.get("errors") == "0"
    assert run.report["exit_code"] == 0 and run.report["devices"] == len(env.hosts)
    assert "no drift" in run.markdown


def _block(config: str, predicate: Any) -> tuple[str, list[str]]:
    """(interface name, its lines) of the first interface block matching predicate."""
    for m in re.finditer(r"^interface (\S+)\n((?: .*\n)*)", config, re.MULTILINE):
        lines = m.group(2).splitlines()
        if predicate(m.group(1), lines):
            return m.group(1), lines
    raise LookupError("no such interface")


def test_description_changed_by_hand_then_accepted(env: Env) -> None:
    host = env.first("cisco_ios", "access")
    port, _lines = _block(
        env.committed(host),
        lambda name, ls: (
            name.startswith("GigabitEthernet")
            and " spanning-tree portfast" in ls
            and not any(x.startswith(" description TO-") for x in ls)
        ),
    )
    conn = env.connect(host)
    try:
        conn.enable()
        conn.send_config_set([f"interface {port}", " description HAND-CHANGED-E2E"])
    finally:
        conn.disconnect()
    run = env.drift()
    assert run.code == 1, run.out[-3000:]
    failed = run.failed()
    assert {h for _, h in failed} == {host}
    assert "+ description HAND-CHANGED-E2E" in failed[("config", host)]
    assert f"approved/{host}.cfg" in failed[("config", host)]

    reason = "CHG-0042 label the port of the meeting-room screen"
    proc = env.netsteward(
        "drift", "accept", host, "--reason", reason, "--repo", str(env.repo), "--json"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["command"], doc["exit_code"], doc["counts"]) == (
        "drift accept",
        0,
        {"accepted": 1, "failed": 0},
    )
    assert doc["accepted"] == [host] and doc["commit"] == git.Repo(env.repo).head.commit.hexsha
    assert reason in git.Repo(env.repo).head.commit.message
    assert host in git.Repo(env.repo).head.commit.message
    again = env.drift()
    assert again.code == 0, again.out[-3000:]


def test_firewall_rule_added_by_hand(env: Env) -> None:
    host = env.first("cisco_asa", "firewall")
    before = env.committed(host)
    acl = re.search(r"^access-list (\S+) extended ", before, re.MULTILINE)
    name = acl.group(1) if acl else "OUTSIDE_IN"
    rule = f"access-list {name} line 1 extended permit tcp any host 10.99.99.99 eq 3389"
    conn = env.connect(host)
    try:
        conn.enable()
        conn.send_config_set([rule])
        run = env.drift()
        assert run.code == 1, run.out[-3000:]
        failed = run.failed()
        assert {h for _, h in failed} == {host}
        diff = failed[("config", host)]
        assert re.search(r"^\+access-list .*10\.99\.99\.99 eq 3389", diff, re.MULTILINE), diff
        conn.send_config_set([f"no {rule}".replace(" line 1", "")])
    finally:
        conn.disconnect()
    after = env.drift()
    assert after.code == 0, after.markdown[-3000:]


def test_loop_protection_removed_by_hand_is_new(env: Env) -> None:
    host = env.first("cisco_ios", "access")
    port, _ = _block(
        env.committed(host),
        lambda name, ls: (
            name.startswith("GigabitEthernet")
            and " spanning-tree bpduguard enable" in ls
            and " spanning-tree portfast" in ls
            and not any(x.startswith(" description") for x in ls)
        ),
    )
    conn = env.connect(host)
    try:
        conn.enable()
        conn.send_config_set([f"interface {port}", " no spanning-tree bpduguard enable"])
        run = env.drift()
        assert run.code == 1 and run.report, run.err[-3000:]
        drift = {(d["host"], d["check"]): d for d in run.report["drift"]}
        new = drift[(host, "port_policy")]["new"]
        assert [(v["subject"], v["kind"]) for v in new] == [(port, "edge_without_loop_protection")]
        assert ("port_policy", host) in run.failed()
        conn.send_config_set([f"interface {port}", " spanning-tree bpduguard enable"])
    finally:
        conn.disconnect()
    assert env.drift().code == 0


def test_relink_is_reported_as_topology_drift(env: Env) -> None:
    truth = env.lab.truth()
    ours = set(env.hosts)
    cable = next(
        c
        for c in truth["cables"]
        if c["a"] in ours
        and c["b"] in ours
        and not c.get("lag_a")
        and not c.get("lag_b")
        and env.hosts[c["a"]]["data"]["role"] == "access"
    )
    spare_host = cable["b"]
    used = {(c["a"], c["a_port"]) for c in truth["cables"]} | {
        (c["b"], c["b_port"]) for c in truth["cables"]
    }
    config = env.committed(spare_host)
    spare, _ = _block(
        config,
        lambda name, ls: (
            name.startswith(("GigabitEthernet", "Ten-Gigabit", "XGigabit"))
            and (spare_host, name) not in used
        ),
    )
    a = f"{cable['a']}:{cable['a_port']}"
    env.lab.cli("relink", a, f"{spare_host}:{spare}", check=True)
    try:
        run = env.drift()
        assert run.code == 1, run.out[-3000:]
        failed = run.failed()
        assert ("topology", cable["a"]) in failed
        assert spare in failed[("topology", cable["a"])]
    finally:
        env.lab.cli("relink", a, f"{cable['b']}:{cable['b_port']}", check=True)


def test_device_down_exits_3_and_is_named(env: Env) -> None:
    host = env.first("huawei_vrp", "access")
    env.lab.cli("fault", host, "down", check=True)
    try:
        run = env.drift()
    finally:
        env.lab.cli("fault", host, "clear", check=True)
    assert run.code == 3, run.out[-3000:]
    assert [u["host"] for u in run.report["unreadable"]] == [host]
    assert ("config", host) in run.errored()
    assert host in run.markdown
