"""Drift assembly over the real parts: port policy (tasks/normalize), topology snapshot model
(tasks/topology_model), the backup repository read at a revision (tasks/drift_state).

Inputs are the normalize golden case tests/golden/huawei_vrp/normalize_access.* (its
planted deviations are the approved state's known violations).
"""

from __future__ import annotations

from pathlib import Path

import git
import pytest
import yaml

from netsteward.tasks.drift.check import DeviceState, build_report
from netsteward.tasks.drift.evaluators import load_port_evaluator, snapshot_view
from netsteward.tasks.drift.model import (
    Adjacency,
    Check,
    DeviceInfo,
    Status,
    Violation,
)
from netsteward.tasks.drift.state import default_baseline, read_state
from netsteward.tasks.topology.model import (
    DeviceDiscovery,
    InventoryNode,
    build_snapshot,
    dump_snapshot,
)
from netsteward.tasks.topology.neighbor import Neighbor

ROOT = Path(__file__).resolve().parents[3]
CASE = ROOT / "tests" / "golden" / "huawei_vrp" / "normalize_access"
POLICY = ROOT / "policy" / "ports.yaml"


@pytest.fixture(scope="module")
def case() -> dict:
    data = yaml.safe_load(CASE.with_suffix(".input.yaml").read_text())
    d = data["device"]
    dev = DeviceInfo(d["host"], d["platform"], d["role"], d["network"], d.get("model"))
    links = tuple(Adjacency(x["local_port"], x["peer"], x["peer_port"]) for x in data["links"])
    return {
        "dev": dev,
        "links": links,
        "config": CASE.with_suffix(".raw").read_text(),
        "peers": data["peers"],
    }


def _devices(case: dict) -> list[DeviceInfo]:
    peers = [
        DeviceInfo(h, p, "aggregation" if "AGG" in h else "access", "base")
        for h, p in case["peers"]["platforms"].items()
    ]
    return [case["dev"], *peers]


def test_unchanged_device_is_clean_and_keeps_known_violations(case: dict) -> None:
    dev = case["dev"]
    evaluate = load_port_evaluator(POLICY, _devices(case), {dev.host: case["config"]})
    state = DeviceState(config=case["config"], neighbors=case["links"])
    report = build_report(
        [dev],
        {dev.host: state},
        {},
        {dev.host: state},
        port_policy=evaluate,
        topology=False,
        evaluate_unchanged=True,
    )
    assert report.exit_code == 0
    port = next(r for r in report.results if r.check is Check.PORT_POLICY)
    assert port.status is Status.CLEAN
    kinds = {(v.subject, v.kind) for v in port.known}
    assert ("GigabitEthernet0/0/2", "edge_without_loop_protection") in kinds


def test_loop_protection_removed_by_hand_is_a_new_violation(case: dict) -> None:
    dev = case["dev"]
    approved = case["config"]
    block = "interface GigabitEthernet0/0/1\n port link-type access\n port default vlan 10\n stp edged-port enable\n loopback-detect enable\n"
    assert block in approved
    live = approved.replace(block, block.replace(" loopback-detect enable\n", ""))
    evaluate = load_port_evaluator(POLICY, _devices(case), {dev.host: live})
    report = build_report(
        [dev],
        {dev.host: DeviceState(config=live, neighbors=case["links"])},
        {},
        {dev.host: DeviceState(config=approved, neighbors=case["links"])},
        port_policy=evaluate,
        topology=False,
    )
    assert report.exit_code == 1
    by_check = {r.check: r for r in report.results}
    assert [(v.subject, v.kind) for v in by_check[Check.PORT_POLICY].new] == [
        ("GigabitEthernet0/0/1", "edge_without_loop_protection")
    ]
    assert by_check[Check.PORT_POLICY].known  # the planted ones stay known
    assert (
        by_check[Check.CONFIG].diff.count("\n-") == 1
        and "- loopback-detect enable" in by_check[Check.CONFIG].diff
    )


def _nb(local: str, peer: str, port: str) -> Neighbor:
    return Neighbor(
        local_interface=local,
        neighbor_name=peer,
        neighbor_port_id=port,
        port_id_type="Interface name",
    )


INV = [
    InventoryNode("A", platform="huawei_vrp", role="access", network="base"),
    InventoryNode("B", platform="huawei_vrp", role="aggregation", network="base"),
    InventoryNode("C", platform="huawei_vrp", role="aggregation", network="base"),
]


def _snapshot_text() -> str:
    devices = [
        DeviceDiscovery("A", (_nb("XGE0/0/1", "B", "XGE0/0/10"), _nb("GE0/0/9", "C", "GE0/0/9"))),
        DeviceDiscovery("B", (_nb("XGE0/0/10", "A", "XGE0/0/1"),)),
        DeviceDiscovery("C", ()),  # C does not see the A-C cable: one-sided
    ]
    return dump_snapshot(build_snapshot(devices, INV, "2026-11-01"))


def test_snapshot_view_splits_one_sided_links() -> None:
    view = snapshot_view(_snapshot_text())
    assert view.adjacencies["A"] == (
        Adjacency("XGigabitEthernet0/0/1", "B", "XGigabitEthernet0/0/10"),
    )
    assert view.one_sided["C"] == (Adjacency("GigabitEthernet0/0/9", "A", "GigabitEthernet0/0/9"),)
    assert view.adjacencies["C"] == ()


def test_relinked_cable_is_topology_drift_on_both_devices_only() -> None:
    view = snapshot_view(_snapshot_text())
    devs = [DeviceInfo(n.name, n.platform, n.role, n.network) for n in INV]

    def st(
        host: str, adj: tuple[Adjacency, ...], optional: tuple[Adjacency, ...] = ()
    ) -> DeviceState:
        return DeviceState(config="x\n", neighbors=adj, optional_neighbors=optional)

    approved = {h: st(h, view.adjacencies[h], view.one_sided.get(h, ())) for h in ("A", "B", "C")}
    # A's uplink moved from B XGE0/0/10 to C XGE0/0/11; C still does not see A's GE0/0/9
    live = {
        "A": st(
            "A",
            (
                Adjacency("XGigabitEthernet0/0/1", "C", "XGigabitEthernet0/0/11"),
                Adjacency("GigabitEthernet0/0/9", "C", "GigabitEthernet0/0/9"),
            ),
        ),
        "B": st("B", ()),
        "C": st("C", (Adjacency("XGigabitEthernet0/0/11", "A", "XGigabitEthernet0/0/1"),)),
    }
    report = build_report(devs, live, {}, approved)
    drift = {(r.host, r.check) for r in report.drifted}
    assert drift == {("A", Check.TOPOLOGY), ("B", Check.TOPOLOGY), ("C", Check.TOPOLOGY)}
    a = next(r for r in report.drifted if r.host == "A")
    assert (
        a.diff == "~ XGigabitEthernet0/0/1: B XGigabitEthernet0/0/10 -> C XGigabitEthernet0/0/11\n"
    )


def test_device_not_read_is_never_clean() -> None:
    devs = [DeviceInfo(n.name, n.platform, n.role, n.network) for n in INV]
    state = DeviceState(config="x\n", neighbors=())
    report = build_report(
        devs, {"A": state, "B": state}, {"B": "connection refused"}, {"A": state, "B": state}
    )
    assert report.exit_code == 3
    assert report.unreadable == {"B": "connection refused", "C": "not read"}
    assert all(r.status is Status.UNREADABLE for r in report.results if r.host in ("B", "C"))


def test_read_state_at_revisions(tmp_path: Path) -> None:
    repo = git.Repo.init(tmp_path)
    (tmp_path / "base" / "access").mkdir(parents=True)
    (tmp_path / "topology").mkdir()
    cfg = tmp_path / "base" / "access" / "A.cfg"
    cfg.write_text("sysname A\n")
    (tmp_path / "topology" / "2026-10-01.json").write_text(_snapshot_text())
    repo.index.add(["base/access/A.cfg", "topology/2026-10-01.json"])
    first = repo.index.commit("backup 1")
    cfg.write_text("sysname A\ninfo-center enable\n")
    (tmp_path / "topology" / "2026-11-01.json").write_text(_snapshot_text())
    repo.index.add(["base/access/A.cfg", "topology/2026-11-01.json"])
    repo.index.commit("backup 2")
    head = read_state(tmp_path)
    assert head.files == {"A": {"cfg": "sysname A\ninfo-center enable\n"}}
    assert head.snapshot_name == "topology/2026-11-01.json"
    assert default_baseline(tmp_path) == first.hexsha
    old = read_state(tmp_path, default_baseline(tmp_path), hosts={"A"})
    assert (
        old.files["A"]["cfg"] == "sysname A\n" and old.snapshot_name == "topology/2026-10-01.json"
    )


def test_asa_rule_inserted_above_keeps_old_findings_known() -> None:
    """ASA rule ids are positional; identity by the rule's text keeps old findings known."""
    from netsteward.tasks.drift.evaluators import load_firewall_evaluator

    evaluate = load_firewall_evaluator(ROOT / "policy" / "firewall_intent.yaml")
    dev = DeviceInfo("FW", "cisco_asa", "firewall", "base")
    approved = (
        "hostname FW\n"
        "access-list OUT extended permit tcp any any eq 23\n"
        "access-group OUT in interface outside\n"
    )
    live = approved.replace(
        "access-list OUT extended permit tcp any any eq 23\n",
        "access-list OUT extended permit tcp any host 10.99.99.99 eq 3389\n"
        "access-list OUT extended permit tcp any any eq 23\n",
    )
    report = build_report(
        [dev],
        {"FW": DeviceState(config=live)},
        {},
        {"FW": DeviceState(config=approved)},
        firewall=evaluate,
        topology=False,
    )
    fw = next(r for r in report.results if r.check is Check.FIREWALL)
    assert fw.known, "the telnet rule's findings stay known although its id moved to line 2"
    assert all("10.99.99.99" in v.anchor for v in fw.new)
    assert any(v.kind == "RISKY_SERVICE" for v in fw.new)


def test_policy_that_cannot_be_evaluated_is_unreadable_not_clean() -> None:
    def broken(dev: DeviceInfo, state: DeviceState) -> list:
        raise ValueError("unsupported rule syntax at line 3")

    dev = DeviceInfo("FW", "cisco_asa", "firewall", "base")
    before, now = DeviceState(config="hostname FW\n"), DeviceState(config="hostname FW\nx\n")
    report = build_report([dev], {"FW": now}, {}, {"FW": before}, firewall=broken, topology=False)
    fw = next(r for r in report.results if r.check is Check.FIREWALL)
    assert fw.status is Status.UNREADABLE and "unsupported rule syntax" in fw.summary
    assert report.exit_code == 3


def test_same_input_is_evaluated_once() -> None:
    calls = []

    def count(dev: DeviceInfo, state: DeviceState) -> list:
        calls.append(state)
        return [Violation(dev.host, Check.FIREWALL, "r1", "NO_LOGGING")]

    dev = DeviceInfo("FW", "cisco_asa", "firewall", "base")
    same: tuple[dict[str, DeviceState], dict[str, str], dict[str, DeviceState]] = (
        {"FW": DeviceState(config="a\n")},
        {},
        {"FW": DeviceState(config="a\n")},
    )
    report = build_report([dev], *same, firewall=count, topology=False)
    fw = next(r for r in report.results if r.check is Check.FIREWALL)
    assert not calls and fw.status is Status.CLEAN and "not re-evaluated" in fw.summary
    report = build_report([dev], *same, firewall=count, topology=False, evaluate_unchanged=True)
    fw = next(r for r in report.results if r.check is Check.FIREWALL)
    assert len(calls) == 1 and fw.status is Status.CLEAN and len(fw.known) == 1


def test_cables_to_a_peer_not_read_now_are_not_judged() -> None:
    """B is down now: A no longer sees it over LLDP, which is no topology drift on A (B is
    reported unreadable), and A's port policy assumes the A-B cable unchanged."""
    from netsteward.tasks.drift.assemble import LiveSide, assemble

    view = snapshot_view(_snapshot_text())
    devs = [DeviceInfo(n.name, n.platform, n.role, n.network) for n in INV]
    live = LiveSide(
        states={
            "A": DeviceState(
                config="x\n",
                neighbors=(Adjacency("GigabitEthernet0/0/9", "C", "GigabitEthernet0/0/9"),),
            ),
            "C": DeviceState(config="x\n", neighbors=()),
        },
        unreadable={"B": "connection refused"},
    )
    sides = assemble(devs, live, {}, view)
    a_before = sides.approved["A"]
    assert (
        Adjacency("XGigabitEthernet0/0/1", "B", "XGigabitEthernet0/0/10")
        in a_before.optional_neighbors
    )
    report = build_report(devs, sides.live, live.unreadable, sides.approved)
    assert {(r.host, r.status) for r in report.results if r.check is Check.TOPOLOGY} == {
        ("A", Status.CLEAN),
        ("B", Status.UNREADABLE),
        ("C", Status.CLEAN),
    }
    assert sides.notes == ("topology compared with snapshot",)
