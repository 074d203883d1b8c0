"""normalize without a lab: offline planning from a backup repository, apply helpers, bad input.

The offline case uses the golden configurations: a backup repository is laid
out as DESIGN.md says (configs/<network>/<role>/<HOST>.cfg and
topology/YYYY-MM-DD.json) and `netsteward normalize plan --offline` must give
the golden plan, without credentials and without touching a device.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netsteward.playbooks.normalize import choose_canaries
from netsteward.tasks.ports.apply import blocks, rollback_lines
from netsteward.tasks.ports.plan import DevicePlan
from netsteward.tasks.topology.model import Link as TopoLink
from netsteward.tasks.topology.model import Node, Snapshot, dump_snapshot

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
CASES = ["huawei_vrp/normalize_access", "hp_comware/normalize_access", "cisco_ios/normalize_access"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETSTEWARD_")}
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture
def offline_site(tmp_path: Path) -> Path:
    """Inventory, backup repository and topology snapshot made from the golden cases."""
    hosts: dict[str, dict[str, object]] = {}
    nodes: dict[str, Node] = {}
    links: dict[str, TopoLink] = {}
    repo = tmp_path / "configs"
    for case in CASES:
        spec = yaml.safe_load((GOLDEN / f"{case}.input.yaml").read_text())
        dev = spec["device"]
        hosts[dev["host"]] = {
            "hostname": "127.0.0.1",
            "port": 10001 + len(hosts),
            "platform": dev["platform"],
            "groups": [dev["platform"], dev["role"], dev["network"]],
            "data": {"role": dev["role"], "network": dev["network"], "model": dev["model"]},
        }
        for peer, platform in spec["peers"]["platforms"].items():
            hosts.setdefault(
                peer,
                {
                    "hostname": "127.0.0.1",
                    "port": 10001 + len(hosts),
                    "platform": platform,
                    "groups": [platform, "aggregation", dev["network"]],
                    "data": {"role": "aggregation", "network": dev["network"]},
                },
            )
        cfg = repo / dev["network"] / dev["role"] / f"{dev['host']}.cfg"
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text((GOLDEN / f"{case}.raw").read_text())
        for lk in spec["links"]:
            t = TopoLink(dev["host"], lk["local_port"], lk["peer"], lk["peer_port"])
            links[t.key] = t
        # the peers' LAGs come from their backups: a minimal configuration each
        for peer, port, lag in spec["peers"]["lags"]:
            platform = spec["peers"]["platforms"][peer]
            member = {
                "huawei_vrp": "eth-trunk {}",
                "hp_comware": "port link-aggregation group {}",
                "cisco_ios": "channel-group {} mode active",
            }[platform]
            path = repo / dev["network"] / "aggregation" / f"{peer}.cfg"
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.read_text() if path.exists() else ""
            number = "".join(ch for ch in lag if ch.isdigit())
            path.write_text(old + f"interface {port}\n {member.format(number)}\n#\n")
    for name in hosts:
        nodes[name] = Node(name)
    (repo / "topology").mkdir(parents=True)
    (repo / "topology" / "2026-11-01.json").write_text(
        dump_snapshot(Snapshot("2026-11-01", nodes, links))
    )
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (tmp_path / "nornir_config.yaml").write_text(
        yaml.safe_dump(
            {
                "inventory": {
                    "plugin": "SimpleInventory",
                    "options": {
                        "host_file": "hosts.yaml",
                        "group_file": str(ROOT / "inventory" / "groups.yaml"),
                        "defaults_file": str(ROOT / "inventory" / "defaults.yaml"),
                    },
                },
                "runner": {"plugin": "threaded", "options": {"num_workers": 4}},
                "logging": {"enabled": False},
            }
        )
    )
    return tmp_path


def test_offline_plan_is_the_golden_plan(offline_site: Path) -> None:
    out = offline_site / "plan.json"
    md = offline_site / "plan.md"
    proc = cli(
        "normalize",
        "plan",
        "--offline",
        "--config",
        "nornir_config.yaml",
        "--group",
        "access",
        "--repo",
        "configs",
        "--policy",
        str(ROOT / "policy" / "ports.yaml"),
        "--out",
        str(out),
        "--markdown",
        str(md),
        "--json",
        cwd=offline_site,
    )
    assert proc.returncode == 1, proc.stderr
    plan = json.loads(out.read_text())
    assert plan["source"] == "offline"
    got = {d["host"]: d for d in plan["devices"]}
    for case in CASES:
        expected = json.loads((GOLDEN / f"{case}.expected.json").read_text())
        assert got[expected["host"]] == expected
    summary = json.loads(proc.stdout)
    assert summary["devices_with_changes"] == len(CASES)
    assert sum(summary["changes_by_kind"].values()) == len(summary["deviations"])
    text = md.read_text()
    assert "| YM-BASE-ACC-001 | huawei_vrp | access |" in text
    assert (
        "interface GigabitEthernet0/0/3\nstp edged-port enable\nloopback-detect enable\nquit"
        in text
    )


def test_compliant_network_exits_0(offline_site: Path) -> None:
    # the policy off for everything: nothing to do, exit 0
    policy = (
        (ROOT / "policy" / "ports.yaml")
        .read_text()
        .replace("scope:\n  roles: [router, core, aggregation, access]", "scope:\n  roles: []")
    )
    (offline_site / "empty.yaml").write_text(policy)
    proc = cli(
        "normalize",
        "plan",
        "--offline",
        "--config",
        "nornir_config.yaml",
        "--policy",
        "empty.yaml",
        "--out",
        "p.json",
        cwd=offline_site,
    )
    assert proc.returncode == 0, proc.stderr
    assert "0 of 0 devices change" in proc.stdout


def test_bad_policy_is_one_line_exit_2(offline_site: Path) -> None:
    bad = (
        (ROOT / "policy" / "ports.yaml")
        .read_text()
        .replace("interface_exit: quit", "interface_exit: 7", 1)
    )
    (offline_site / "bad.yaml").write_text(bad)
    proc = cli(
        "normalize",
        "plan",
        "--offline",
        "--config",
        "nornir_config.yaml",
        "--policy",
        "bad.yaml",
        cwd=offline_site,
    )
    assert proc.returncode == 2
    line = bad[: bad.index("interface_exit: 7")].count("\n") + 1
    assert proc.stderr.strip().splitlines() == [
        f"netsteward: bad.yaml:{line}: platforms.huawei_vrp.interface_exit: Input should be a valid string"
    ]


def test_bad_plan_file_exit_2(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text('{"version": 2, "devices": "no"}')
    proc = cli("normalize", "apply", str(tmp_path / "plan.json"), cwd=ROOT)
    assert proc.returncode == 2
    assert (
        "plan.json" in proc.stderr
        and "not a plan" in proc.stderr
        and "Traceback" not in proc.stderr
    )


PLAN = DevicePlan(
    host="H",
    platform="huawei_vrp",
    role="access",
    network="base",
    fingerprint="sha256:x",
    commands=[
        "stp bpdu-protection",
        "interface GE0/0/1",
        "stp edged-port enable",
        "quit",
        "interface GE0/0/2",
        "description TO-X-GE0/0/1",
        "quit",
    ],
    rollback=[
        "undo stp bpdu-protection",
        "interface GE0/0/1",
        "undo stp edged-port",
        "quit",
        "interface GE0/0/2",
        "undo description",
        "quit",
    ],
)


def test_blocks_split_global_and_interface_sections() -> None:
    assert blocks(PLAN.commands) == [
        ["stp bpdu-protection"],
        ["interface GE0/0/1", "stp edged-port enable", "quit"],
        ["interface GE0/0/2", "description TO-X-GE0/0/1", "quit"],
    ]


@pytest.mark.parametrize(
    ("failed_at", "expected"),
    [
        (None, PLAN.rollback),  # failure after the push: undo everything
        (0, []),  # the first line was refused: nothing changed
        (1, ["undo stp bpdu-protection"]),  # `interface GE0/0/1` refused
        (2, ["undo stp bpdu-protection"]),  # its first line refused
        (3, ["undo stp bpdu-protection", "interface GE0/0/1", "undo stp edged-port", "quit"]),
        (5, ["undo stp bpdu-protection", "interface GE0/0/1", "undo stp edged-port", "quit"]),
        (6, PLAN.rollback),
    ],
)
def test_rollback_only_what_was_touched(failed_at: int | None, expected: list[str]) -> None:
    assert rollback_lines(PLAN, failed_at) == expected


def test_canaries_spread_over_platforms() -> None:
    plans = [
        PLAN.model_copy(update={"host": h, "platform": p})
        for h, p in [
            ("A1", "huawei_vrp"),
            ("A2", "huawei_vrp"),
            ("B1", "hp_comware"),
            ("C1", "cisco_ios"),
        ]
    ]
    assert choose_canaries(plans, 2) == ["C1", "B1"]
    assert choose_canaries(plans, 4) == ["C1", "B1", "A1", "A2"]
    assert choose_canaries(plans, 9) == ["C1", "B1", "A1", "A2"]
    assert choose_canaries(plans, 0) == []


def test_offline_host_missing_from_snapshot_is_not_planned(offline_site: Path) -> None:
    """Without its neighbours every port would look like an edge port: the host is left out (exit 3)."""
    from netsteward.tasks.topology.model import load_snapshot

    repo = offline_site / "configs"
    snap = load_snapshot(repo / "topology" / "2026-11-01.json")
    gone = "YM-EGOV-ACC-014"
    later = Snapshot(
        "2026-11-02",
        {n: node for n, node in snap.nodes.items() if n != gone},
        {k: lk for k, lk in snap.links.items() if gone not in (lk.a, lk.b)},
        unreachable=(gone,),
    )
    (repo / "topology" / "2026-11-02.json").write_text(dump_snapshot(later))
    proc = cli(
        "normalize",
        "plan",
        "--offline",
        "--config",
        "nornir_config.yaml",
        "--group",
        "access",
        "--policy",
        str(ROOT / "policy" / "ports.yaml"),
        "--out",
        "p.json",
        "--json",
        cwd=offline_site,
    )
    assert proc.returncode == 3, proc.stderr
    summary = json.loads(proc.stdout)
    assert list(summary["unreadable"]) == [gone]
    assert "not discovered in the topology snapshot of 2026-11-02" in summary["unreadable"][gone]
    assert gone not in {d["host"] for d in summary["deviations"]}


def test_offline_phones_and_unknown_switches_keep_loop_protection(offline_site: Path) -> None:
    """Offline, from the snapshot: a phone on a compliant edge port, an unknown switch on a
    port that lacks its edge lines, and a neighbour that spells an inventory name in upper
    and lower case (the snapshot resolves names as the inventory spells them)."""
    from netsteward.tasks.topology.model import load_snapshot

    path = offline_site / "configs" / "topology" / "2026-11-01.json"
    snap = load_snapshot(path)
    nodes = dict(snap.nodes)
    nodes["SEP001122334455"] = Node(
        "SEP001122334455", kind="unknown", capabilities="bridge telephone"
    )
    nodes["DESK-SW-01"] = Node("DESK-SW-01", kind="unknown", capabilities="bridge")
    links = dict(snap.links)
    for port, peer, peer_port in (
        ("GigabitEthernet0/0/1", "SEP001122334455", "WANPORT"),
        ("GigabitEthernet0/0/3", "DESK-SW-01", "GigabitEthernet1"),
    ):
        t = TopoLink("YM-BASE-ACC-001", port, peer, peer_port, seen="one-sided")
        links[t.key] = t
    path.write_text(dump_snapshot(Snapshot(snap.date, nodes, links)))
    out = offline_site / "plan.json"
    args = ["--config", "nornir_config.yaml", "--repo", "configs", "--out", str(out)]
    args += ["--policy", str(ROOT / "policy" / "ports.yaml")]
    proc = cli("normalize", "plan", "--offline", "--group", "access", *args, cwd=offline_site)
    assert proc.returncode == 1, proc.stderr
    dev = next(d for d in json.loads(out.read_text())["devices"] if d["host"] == "YM-BASE-ACC-001")
    by_port = {(c["interface"], c["kind"]) for c in dev["changes"]}
    assert ("GigabitEthernet0/0/3", "edge_without_loop_protection") in by_port
    assert not {k for i, k in by_port if i in ("GigabitEthernet0/0/1", "GigabitEthernet0/0/3")} - {
        "edge_without_loop_protection"
    }
    assert [n.split(":")[0] for n in dev["notes"] if "not an infrastructure device" in n] == [
        "GigabitEthernet0/0/1",
        "GigabitEthernet0/0/3",
    ]


def test_a_refused_plan_in_json(offline_site: Path) -> None:
    """A plan for a host the inventory does not have: the JSON error envelope, exit 2."""
    from netsteward.tasks.ports.plan import Device, new_plan, plan_device
    from netsteward.tasks.ports.policy import load_policy

    policy = load_policy(ROOT / "policy" / "ports.yaml")
    config = "interface GigabitEthernet0/0/9\n port link-type access\n#\nstp bpdu-protection\n"
    dev = plan_device(Device("YM-NOWHERE", "huawei_vrp", "access", "base"), config, [], policy)
    plan = new_plan([dev], source="live", policy=policy, created_by="test")
    (offline_site / "plan.json").write_text(plan.model_dump_json())
    args = ["apply", "plan.json", "--config", "nornir_config.yaml", "--json"]
    args += ["--policy", str(ROOT / "policy" / "ports.yaml")]
    env = {**os.environ, "NETSTEWARD_USERNAME": "u", "NETSTEWARD_PASSWORD": "p"}
    proc = subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", "normalize", *args],
        capture_output=True, text=True, check=False, cwd=offline_site, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["exit_code"] == 2 and doc["error"]["kind"] == "bad_input"
    assert doc["error"]["field"] == "devices.0.host"
    assert "YM-NOWHERE is not in the inventory" in doc["error"]["message"]
    assert proc.stderr.count("\n") == 1
