"""Topology against the lab: a snapshot recovers every cable of `lab truth` (ports at both ends,
LAGs bundled) and nothing else; after relink/unplug the diff reports exactly those changes."""

from __future__ import annotations

import json
import os
import select
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.core.reading import read_purpose
from netsteward.tasks.core.session import Session
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.topology.model import Snapshot, load_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LAB_USERNAME, LAB_PASSWORD = "netsteward", "Lab-Only-Pa55"  # as tests/conftest.py
LAG_COMMAND = load_platform("hp_comware").reads["lag"].command


def _cables(truth: dict[str, Any]) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    plat = {d["name"]: d["platform"] for d in truth["devices"]}
    return {
        tuple(
            sorted(
                [
                    (c["a"], canonical_name(plat[c["a"]], c["a_port"])),
                    (c["b"], canonical_name(plat[c["b"]], c["b_port"])),
                ]
            )
        )  # type: ignore[misc]
        for c in truth["cables"]
        if c["a"] not in truth["unplugged"] and c["b"] not in truth["unplugged"]
    }


def _device_cables(snap: Snapshot, truth: dict[str, Any]) -> set[Any]:
    """The snapshot's cables between lab devices; its links to the lab's endpoints (phones,
    access points, desk switches: `truth["endpoints"]`) must be exactly those, one-sided,
    to `unknown` nodes that keep the capabilities they advertised."""
    plat = {d["name"]: d["platform"] for d in truth["devices"]}
    names = {e["name"] for e in truth["endpoints"]}
    cables = {c for lk in snap.links.values() for c in lk.cables()}
    to_endpoints = {c for c in cables if {c[0][0], c[1][0]} & names}
    seen = set()
    for (h1, p1), (h2, p2) in to_endpoints:
        (host, port), endpoint = ((h2, p2), h1) if h1 in names else ((h1, p1), h2)
        seen.add((host, port, endpoint))
    assert seen == {
        (e["host"], canonical_name(plat[e["host"]], e["interface"]), e["name"])
        for e in truth["endpoints"]
    }
    for e in truth["endpoints"]:
        node = snap.nodes[e["name"]]
        assert node.kind == "unknown" and node.capabilities, node
    return cables - to_endpoints


def _lag_ends(snap: Snapshot) -> dict[tuple[str, str], str]:
    """(host, member port) -> the logical end the snapshot gives it (LAG name, or the port itself)."""
    ends = {}
    for lk in snap.links.values():
        for pa, pb in lk.members or ((lk.a_port, lk.b_port),):
            ends[(lk.a, pa)] = lk.a_port
            ends[(lk.b, pb)] = lk.b_port
    return ends


def _snapshot(lab: Any, repo: Path, date: str) -> tuple[int, Snapshot, dict[str, Any]]:
    proc = lab.netsteward("topology", "snapshot", "--repo", str(repo), "--date", date, "--json")
    assert proc.returncode in (0, 3), proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    return proc.returncode, load_snapshot(Path(summary["file"])), summary


def _diff(lab: Any, repo: Path, a: str, b: str) -> tuple[int, dict[str, Any]]:
    proc = lab.netsteward("topology", "diff", a, b, "--repo", str(repo), "--json")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return proc.returncode, json.loads(proc.stdout)


def _free_port(truth: dict[str, Any], host: str, prefix: str) -> str:
    used = {c["a_port"] for c in truth["cables"] if c["a"] == host} | {
        c["b_port"] for c in truth["cables"] if c["b"] == host
    }
    for slot in (2, 1):
        for n in range(48, 0, -1):
            port = f"{prefix}{slot}/0/{n}"
            if port not in used:
                return port
    raise AssertionError(f"no free port on {host}")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's backup repository: the first test's snapshots, which the others read."""
    return tmp_path_factory.mktemp("topology") / "configs"


def test_snapshot_recovers_truth_then_diff_reports_exactly_the_changes(
    fresh_lab: Any, repo: Path
) -> None:
    truth = fresh_lab.truth()
    plat = {d["name"]: d["platform"] for d in truth["devices"]}

    # 1. every cable, both ports, LAGs bundled, nothing else
    rc, first, summary = _snapshot(fresh_lab, repo, "2026-01-05")
    assert rc == 0, summary["unreachable"]
    assert _device_cables(first, truth) == _cables(truth)
    ends = _lag_ends(first)
    for c in truth["cables"]:
        for host, port, lag in (
            (c["a"], c["a_port"], c["lag_a"]),
            (c["b"], c["b_port"], c["lag_b"]),
        ):
            want = canonical_name(plat[host], lag) if lag else canonical_name(plat[host], port)
            assert ends[(host, canonical_name(plat[host], port))] == want, (host, port, lag)
    assert len(first.nodes) == len(truth["devices"]) + len(truth["endpoints"])
    assert summary["one_sided_links"] == len(truth["endpoints"])  # nobody reads a phone

    # 2. re-cable one access uplink to a free aggregation port, unplug another access switch
    acc = sorted(
        (c for c in truth["cables"] if "-ACC-" in c["a"] and "-AGG-" in c["b"]),
        key=lambda c: c["a"],
    )
    moved, gone = acc[0], acc[-1]["a"]
    new_port = _free_port(truth, moved["b"], "Ten-GigabitEthernet")
    old_end = f"{moved['b']}:{moved['b_port']}"
    assert (
        fresh_lab.cli(
            "relink", f"{moved['a']}:{moved['a_port']}", f"{moved['b']}:{new_port}"
        ).returncode
        == 0
    )
    assert fresh_lab.cli("unplug", gone).returncode == 0
    try:
        rc, _second, summary = _snapshot(fresh_lab, repo, "2026-02-05")
        assert rc == 3 and list(summary["unreachable"]) == [gone], summary["unreachable"]
        # a closed port is asked again (it may be a device rebooting); the count says so
        assert summary["unreachable"][gone] == "connection refused (after 3 attempts)"
        rc, d = _diff(fresh_lab, repo, "2026-01-05", "2026-02-05")
        assert rc == 1
        assert [n["name"] for n in d["removed_nodes"]] == [gone]
        assert {lk["key"] for lk in d["removed_links"]} == {lk.key for lk in first.links_of(gone)}
        assert d["added_nodes"] == [] and d["added_links"] == [] and d["changed_nodes"] == []
        (change,) = d["changed_links"]
        old_cables = {
            (e[0], e[1])
            for m in change["old"]["members"]
            or [[change["old"]["a_port"], change["old"]["b_port"]]]
            for e in [(change["old"]["a"], m[0]), (change["old"]["b"], m[1])]
        }
        new_cables = {
            (e[0], e[1])
            for m in change["new"]["members"]
            or [[change["new"]["a_port"], change["new"]["b_port"]]]
            for e in [(change["new"]["a"], m[0]), (change["new"]["b"], m[1])]
        }
        assert (moved["b"], canonical_name(plat[moved["b"]], moved["b_port"])) in old_cables, (
            old_end
        )
        assert (moved["b"], canonical_name(plat[moved["b"]], new_port)) in new_cables
    finally:
        fresh_lab.cli("plug", gone)
        fresh_lab.cli("relink", f"{moved['a']}:{moved['a_port']}", old_end)

    # 3. put back, and a switch that refuses our log-in but is still cabled: the next
    # snapshot equals the first (the switch unreachable, not removed)
    refusing = acc[1]["a"]
    assert fresh_lab.cli("fault", refusing, "auth").returncode == 0
    try:
        rc, fourth, summary = _snapshot(fresh_lab, repo, "2026-03-06")
        assert rc == 3 and list(summary["unreachable"]) == [refusing], summary["unreachable"]
        # a refused log-in is not tried again (that would lock a real account)
        assert summary["unreachable"][refusing].startswith("authentication failed")
        assert refusing in fourth.nodes
        rc, d = _diff(fresh_lab, repo, "2026-01-05", "2026-03-06")
        assert rc == 0, d
    finally:
        fresh_lab.cli("fault", refusing, "clear")
    # the diff of two chosen snapshots sees the plug and the move back
    rc, d = _diff(fresh_lab, repo, "2026-02-05", "HEAD")
    assert rc == 1 and [n["name"] for n in d["added_nodes"]] == [gone]


def test_report_from_monthly_snapshots(fresh_lab: Any, repo: Path, tmp_path: Path) -> None:
    """The annual report draws from the repository's snapshots of the year (made by the
    test above: January to March, the lab back as it was in January)."""
    out = tmp_path / "report"
    proc = fresh_lab.netsteward(
        "topology", "report", "--year", "2026", "--repo", str(repo), "--out", str(out), "--json"
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert (summary["snapshots"], summary["from"], summary["to"]) == (3, "2026-01-05", "2026-03-06")
    assert summary["changes"] == 0  # January against March: the same network
    drawio = (out / "topology-2026.drawio").read_text()
    assert drawio.count("<diagram ") == len(summary["pages"]) >= 4
    assert (out / "topology-2026-overview.svg").exists()


def _assert_matches_truth(snap: Snapshot, truth: dict[str, Any]) -> None:
    plat = {d["name"]: d["platform"] for d in truth["devices"]}
    assert _device_cables(snap, truth) == _cables(truth)
    ends = _lag_ends(snap)
    for c in truth["cables"]:
        for host, port, lag in (
            (c["a"], c["a_port"], c["lag_a"]),
            (c["b"], c["b_port"], c["lag_b"]),
        ):
            want = canonical_name(plat[host], lag) if lag else canonical_name(plat[host], port)
            assert ends[(host, canonical_name(plat[host], port))] == want, (host, port, lag)


def test_back_to_back_snapshots_of_an_unchanged_lab_are_identical(
    fresh_lab: Any, repo: Path, tmp_path: Path
) -> None:
    """Regression: under load, LAG tables came back cut at the first 32 KiB SSH packet and
    commands came back empty (netmiko's timing-based prompt search), so two snapshots of the
    same network differed (73 LAG links "changed"). Two discoveries run at the same time
    (each other's load): both equal the truth, LAGs included, and the first test's
    January snapshot of the same network; the diff against it is empty."""
    truth = fresh_lab.truth()
    repos = [repo, tmp_path / "b"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(_snapshot, [fresh_lab] * 2, repos, ["2026-05-01"] * 2))
    for rc, snap, summary in runs:
        assert rc == 0, summary["unreachable"]
        assert summary["one_sided_links"] == len(truth["endpoints"])
        _assert_matches_truth(snap, truth)
    january = load_snapshot(repo / "topology" / "2026-01-05.json")
    assert runs[0][1].links == runs[1][1].links == january.links
    rc, d = _diff(fresh_lab, repo, "2026-01-05", "2026-05-01")
    assert rc == 0, d


def test_h3c_lag_table_is_read_whole_after_a_late_prompt_on_a_slow_device(fresh_lab: Any) -> None:
    """The cause of the unstable snapshots. netmiko's hp_comware driver turns command-echo
    checking off, so `send_command` ends its read at the first prompt it sees; under load
    `find_prompt`'s second Enter leaves a prompt that arrives after netmiko's buffer clears and
    before the device's answer, and the answer came back empty (then, read again, cut at the
    first 32 KiB SSH packet). Discovery reads with `Session.read`, which waits for the echo
    and ends only at the prompt that follows the answer: the whole table, then the next
    command's own answer."""
    truth = fresh_lab.truth()
    platform_of = {d["name"]: d["platform"] for d in truth["devices"]}
    lag_count: dict[str, int] = {}
    for lag in truth["lags"]:
        lag_count[lag["host"]] = lag_count.get(lag["host"], 0) + 1
    host = max((h for h in lag_count if platform_of[h] == "hp_comware"), key=lag_count.__getitem__)
    assert lag_count[host] > 40  # a table longer than one 32 KiB SSH packet
    conn = ConnectHandler(
        device_type="hp_comware",
        host="127.0.0.1",
        port=fresh_lab.port_of(host),
        username=os.environ.get("NETSTEWARD_USERNAME", LAB_USERNAME),
        password=os.environ.get("NETSTEWARD_PASSWORD", LAB_PASSWORD),
    )
    platform = load_platform("hp_comware")
    try:
        conn.write_channel(conn.RETURN)  # a prompt on its way that no read has taken yet
        assert select.select([conn.remote_conn], [], [], 30)[0], "no prompt came back"
        assert fresh_lab.cli("fault", host, "slow").returncode == 0  # answers 1.5 s late
        try:
            session = Session.attach(conn, platform)
            text = session.read(LAG_COMMAND, 60)
            version = session.read("display version", 60)
        finally:
            fresh_lab.cli("fault", host, "clear")
    finally:
        conn.disconnect()
    reading = read_purpose("hp_comware", "lag", text)
    assert len(reading.records) == lag_count[host] and reading.complete
    assert len(text) > 32768 and text.rstrip().endswith("{ACDEF}")
    assert "Aggregate Interface" not in version and "Comware Software" in version
