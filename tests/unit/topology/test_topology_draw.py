"""Layout, draw.io and SVG output, kept hand-made positions, report colouring, store and CLI."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netsteward.playbooks.topology import app
from netsteward.tasks.topology.export.drawio import drawio_xml, read_positions
from netsteward.tasks.topology.export.svg import page_svg, write_png
from netsteward.tasks.topology.layout import layout
from netsteward.tasks.topology.model import (
    DeviceDiscovery,
    InventoryNode,
    Snapshot,
    build_snapshot,
    diff_snapshots,
)
from netsteward.tasks.topology.neighbor import Neighbor
from netsteward.tasks.topology.report import merge_for_report, report_pages, write_outputs
from netsteward.tasks.topology.shapes import Page
from netsteward.tasks.topology.store import default_pair, resolve, write_snapshot


def fleet(
    n_access: int = 14, moved: bool = False, extra: bool = False
) -> tuple[list[InventoryNode], list]:
    inv = [
        InventoryNode("RT-01", "huawei_vrp", "router", "base", "huawei", "AR6280"),
        InventoryNode("CORE-01", "huawei_vrp", "core", "base", "huawei", "S12700E"),
        InventoryNode("CORE-02", "huawei_vrp", "core", "base", "huawei", "S12700E"),
        InventoryNode(
            "FW-01",
            "fortinet",
            "firewall",
            "base",
            "fortinet",
            "FG600E",
            declared_links=(("port2", "CORE-01", "XGigabitEthernet1/0/10"),),
        ),
        InventoryNode("AGG-01", "hp_comware", "aggregation", "base", "h3c", "S6520X"),
        InventoryNode("AGG-02", "hp_comware", "aggregation", "base", "h3c", "S6520X"),
    ]
    cables = [
        ("RT-01", "XGigabitEthernet0/0/10", "CORE-01", "XGigabitEthernet1/0/0"),
        ("RT-01", "XGigabitEthernet0/0/11", "CORE-02", "XGigabitEthernet1/0/0"),
        ("CORE-01", "40GE2/0/10", "CORE-02", "40GE2/0/10"),
        ("AGG-01", "FortyGigE1/0/53", "CORE-01", "40GE2/0/0"),
        ("AGG-02", "FortyGigE1/0/53", "CORE-02", "40GE2/0/0"),
        ("AGG-01", "FortyGigE1/0/54", "AGG-02", "FortyGigE1/0/54"),
    ]
    for k in range(1, n_access + (2 if extra else 1)):
        name = f"ACC-{k:03d}"
        inv.append(
            InventoryNode(
                name, "huawei_vrp", "access", "base", "huawei", "S5735", uplink_pair="AGG-01"
            )
        )
        cables.append(
            (
                name,
                "XGigabitEthernet0/0/1",
                "AGG-01",
                f"Ten-GigabitEthernet1/0/{k + (20 if moved and k == 3 else 0)}",
            )
        )
        if k % 5:
            cables.append((name, "XGigabitEthernet0/0/2", "AGG-02", f"Ten-GigabitEthernet1/0/{k}"))
    return inv, cables


def snap_of(inv: list[InventoryNode], cables: list, date: str) -> Snapshot:
    plat = {n.name: n.platform for n in inv}
    seen: dict[str, list[Neighbor]] = {n.name: [] for n in inv}
    for a, ap, b, bp in cables:
        seen[a].append(Neighbor(ap, b, "", bp, "", "Interface name"))
        seen[b].append(Neighbor(bp, a, "", ap, "", "Interface name"))
    del plat
    return build_snapshot([DeviceDiscovery(n, tuple(v)) for n, v in seen.items()], inv, date)


@pytest.fixture
def snap() -> Snapshot:
    return snap_of(*fleet(), "2026-01-05")


def _overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _segments_cross_box(page: Page) -> list[str]:
    boxes = {b.id: b for b in page.boxes if b.kind not in ("title", "text")}
    bad = []
    for e in page.edges:
        for (x1, y1), (x2, y2) in zip(e.points, e.points[1:], strict=False):
            for i in range(1, 20):
                x, y = x1 + (x2 - x1) * i / 20, y1 + (y2 - y1) * i / 20
                for b in boxes.values():
                    if (
                        b.id not in (e.source, e.target)
                        and b.x + 1 < x < b.x + b.w - 1
                        and b.y + 1 < y < b.y + b.h - 1
                    ):
                        bad.append(f"{e.id} through {b.id}")
    return bad


def test_layout_is_deterministic_and_tidy(snap: Snapshot) -> None:
    pages = layout(snap)
    assert [p.id for p in pages] == ["overview", "pair:AGG-01"]
    assert drawio_xml(pages) == drawio_xml(layout(snap))
    for page in pages:
        boxes = [b for b in page.boxes if b.kind not in ("title", "text")]
        assert not [
            (a.id, b.id) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)
        ]
    overview, pair = pages
    assert {b.id for b in overview.boxes if b.id.startswith("n:")} == {
        "n:RT-01",
        "n:CORE-01",
        "n:CORE-02",
        "n:FW-01",
        "n:AGG-01",
        "n:AGG-02",
    }
    group = next(b for b in overview.boxes if b.id == "g:AGG-01")
    assert group.label[1] == "14 access switches" and group.link == "pair:AGG-01"
    assert len([b for b in pair.boxes if b.kind == "access"]) == 14
    # uplinks go through the corridors: no line crosses a box on the pair page
    assert _segments_cross_box(pair) == []
    # port names at both ends of every link
    assert all(e.src_label and e.tgt_label for e in pair.edges)


def test_new_switch_only_shifts_its_group(snap: Snapshot) -> None:
    before = {b.id: (b.x, b.y) for b in layout(snap)[0].boxes if b.id.startswith("n:")}
    after = {
        b.id: (b.x, b.y)
        for b in layout(snap_of(*fleet(extra=True), "d"))[0].boxes
        if b.id.startswith("n:")
    }
    assert before == after


def test_drawio_is_uncompressed_multi_page_with_metadata(snap: Snapshot) -> None:
    pages, _ = report_pages(snap, snap)
    root = ET.fromstring(drawio_xml(pages))
    diagrams = root.findall("diagram")
    assert [d.get("name") for d in diagrams] == ["Overview", "Pair AGG-01/02", "Changes", "Legend"]
    assert all(d.find("mxGraphModel") is not None for d in diagrams)  # not base64-deflated
    agg = root.find(".//object[@id='overview/n:AGG-01']")
    assert agg is not None and agg.get("role") == "aggregation" and agg.get("model") == "S6520X"
    assert agg.get("mgmt") is None or agg.get("mgmt") == ""
    group = root.find(".//object[@id='overview/g:AGG-01']")
    assert group is not None and group.get("link") == "data:page/id,pair:AGG-01"
    edge = root.find(".//object[@id='overview/l:CORE-01:40GE2/0/10 -- CORE-02:40GE2/0/10']")
    assert edge is not None and edge.find("mxCell").get("edge") == "1"
    labels = {c.get("value") for c in root.iter("mxCell") if c.get("parent") == edge.get("id")}
    assert labels == {"40GE2/0/10"}


def test_positions_moved_by_hand_are_kept(snap: Snapshot) -> None:
    text = drawio_xml(layout(snap))
    assert read_positions(text) == {}
    root = ET.fromstring(text)
    obj = root.find(".//object[@id='overview/n:RT-01']")
    obj.find("mxCell/mxGeometry").set("x", "1234")
    moved = ET.tostring(root, encoding="unicode")
    keep = read_positions(moved)
    assert list(keep) == ["overview/n:RT-01"] and keep["overview/n:RT-01"][0] == 1234
    page = layout(snap, keep=keep)[0]
    assert next(b for b in page.boxes if b.id == "n:RT-01").x == 1234


def test_svg_is_valid_and_renders_to_png(snap: Snapshot, tmp_path: Path) -> None:
    page = layout(snap)[1]
    svg = page_svg(page)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "ACC-001" in texts and "AGG-01" in texts
    assert write_png(svg, tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_colours_the_year(snap: Snapshot, tmp_path: Path) -> None:
    later = snap_of(*fleet(moved=True, extra=True), "2026-12-01")
    merged, status, d = merge_for_report(snap, later)
    assert status["n:ACC-015"] == "added"
    assert [c.new.key for c in d.changed_links] == [
        k for k, v in status.items() if v == "changed" and k.startswith("l:") for k in [k[2:]]
    ]
    pages, _ = report_pages(snap, later)
    files = write_outputs(pages, tmp_path, "topology-2026", d, png=False)
    names = {f.name for f in files}
    assert {
        "topology-2026.drawio",
        "topology-2026-overview.svg",
        "topology-2026-changes.md",
        "topology-2026-changes.csv",
    } <= names
    csv_text = (tmp_path / "topology-2026-changes.csv").read_text()
    assert "added,device,ACC-015" in csv_text
    assert "changed,link" in csv_text
    assert merged.nodes.keys() >= later.nodes.keys()


def test_store_resolves_dates_files_and_revisions(snap: Snapshot, tmp_path: Path) -> None:
    repo = tmp_path / "configs"
    later = snap_of(*fleet(moved=True), "2026-02-05")
    assert write_snapshot(repo, snap)[1] is True
    assert write_snapshot(repo, snap)[1] is False  # unchanged: nothing to commit
    write_snapshot(repo, later)
    assert resolve(repo, "2026-01-05") == snap
    assert resolve(repo, str(repo / "topology" / "2026-02-05.json")) == later
    assert resolve(repo, "HEAD~1") == snap
    assert resolve(repo, "HEAD") == later
    old, new = default_pair(repo)
    assert (old.date, new.date) == ("2026-01-05", "2026-02-05")
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%s"], capture_output=True, text=True
    ).stdout
    assert log.splitlines()[0].startswith("topology snapshot 2026-02-05")


def test_cli_diff_exit_codes_and_formats(snap: Snapshot, tmp_path: Path) -> None:
    repo = tmp_path / "configs"
    write_snapshot(repo, snap)
    write_snapshot(repo, snap_of(*fleet(moved=True), "2026-02-05"))
    runner = CliRunner()
    res = runner.invoke(app, ["diff", "--repo", str(repo), "--json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert set(data) >= {
        "added_nodes",
        "removed_nodes",
        "added_links",
        "removed_links",
        "changed_links",
    }
    assert len(data["changed_links"]) == 1 and data["changed_links"][0]["reasons"] == ["port moved"]
    res = runner.invoke(
        app, ["diff", "2026-01-05", "2026-02-05", "--repo", str(repo), "--format", "markdown"]
    )
    assert res.exit_code == 1 and "| changed | link |" in res.stdout
    res = runner.invoke(app, ["diff", "2026-01-05", "2026-01-05", "--repo", str(repo)])
    assert res.exit_code == 0 and "no topology changes" in res.stdout
    res = runner.invoke(app, ["diff", "2025-13-01", "--repo", str(repo)])
    assert res.exit_code != 0


def test_diff_of_same_snapshot_is_empty(snap: Snapshot) -> None:
    assert not diff_snapshots(snap, snap).changed


def test_unknown_neighbours_are_drawn_where_they_are_seen() -> None:
    inv, cables = fleet(n_access=3)
    snap = snap_of(inv, cables, "d")
    discoveries = []
    for name in [n.name for n in inv]:
        extra = ()
        if name == "CORE-01":
            extra = (
                Neighbor("XGigabitEthernet1/0/40", "", "0011-2233-4455", "eth0", "", "MAC address"),
            )
        if name == "ACC-002":
            extra = (
                Neighbor(
                    "GigabitEthernet0/0/7",
                    "SEP001122",
                    "",
                    "Port 1",
                    "",
                    "Locally assigned",
                    "Phone",
                ),
            )
        own = [Neighbor(p, b, "", bp, "", "Interface name") for a, p, b, bp in cables if a == name]
        own += [Neighbor(bp, a, "", p, "", "Interface name") for a, p, b, bp in cables if b == name]
        discoveries.append(DeviceDiscovery(name, (*own, *extra)))
    snap = build_snapshot(discoveries, inv, "d")
    assert (
        snap.nodes["0011-2233-4455"].kind == "unknown" and snap.nodes["SEP001122"].kind == "unknown"
    )
    overview, pair = layout(snap)
    assert "n:0011-2233-4455" in {b.id for b in overview.boxes}
    stub = next(b for b in pair.boxes if b.id == "n:SEP001122")
    assert stub.kind == "unknown"
    assert any(e.target == stub.id or e.source == stub.id for e in pair.edges)
    assert any(
        e.target == "n:0011-2233-4455" or e.source == "n:0011-2233-4455" for e in overview.edges
    )


def test_kept_position_survives_a_second_year(snap: Snapshot) -> None:
    root = ET.fromstring(drawio_xml(layout(snap)))
    root.find(".//object[@id='overview/n:RT-01']/mxCell/mxGeometry").set("x", "1234")
    year2 = drawio_xml(layout(snap, keep=read_positions(ET.tostring(root, encoding="unicode"))))
    year3 = layout(snap, keep=read_positions(year2))[0]
    assert next(b for b in year3.boxes if b.id == "n:RT-01").x == 1234


def test_phones_and_aps_are_counted_not_drawn() -> None:
    inv, cables = fleet(n_access=3)
    discoveries = []
    for name in [n.name for n in inv]:
        own = [Neighbor(p, b, "", bp, "", "Interface name") for a, p, b, bp in cables if a == name]
        own += [Neighbor(bp, a, "", p, "", "Interface name") for a, p, b, bp in cables if b == name]
        if name == "ACC-001":
            own += [
                Neighbor(
                    f"GigabitEthernet0/0/{i}",
                    f"SEP{i:04d}",
                    "",
                    "Port 1",
                    "",
                    "Locally assigned",
                    "Cisco IP Phone",
                    "B,T",
                )
                for i in range(3, 6)
            ]
            own.append(
                Neighbor(
                    "GigabitEthernet0/0/9", "AP-9", "", "eth0", "", "Interface name", "AP", "W"
                )
            )
            own.append(
                Neighbor(
                    "GigabitEthernet0/0/10", "tiny-sw", "", "ge1", "", "Interface name", "Sw", "B"
                )
            )
        discoveries.append(DeviceDiscovery(name, tuple(own)))
    snap = build_snapshot(discoveries, inv, "d")
    assert {n for n, node in snap.nodes.items() if node.kind == "unknown"} == {
        "SEP0003",
        "SEP0004",
        "SEP0005",
        "AP-9",
        "tiny-sw",
    }
    pair = layout(snap)[1]
    drawn = {b.id for b in pair.boxes if b.kind == "unknown"}
    # phones ("B,T": they bridge their PC port) and the AP ("W") are counted; the switch is drawn
    assert drawn == {"n:tiny-sw"}
    acc = next(b for b in pair.boxes if b.id == "n:ACC-001")
    assert acc.meta["lldp_endpoints"] == "4" and "4 endpoints" in acc.label[1]


def test_graphml_carries_the_snapshot_and_the_years_changes(snap: Snapshot, tmp_path: Path) -> None:
    import networkx as nx

    from netsteward.tasks.topology.export.graphml import write_graphml

    later = snap_of(*fleet(moved=True, extra=True), "2026-12-01")
    merged, status, d = merge_for_report(snap, later)
    path = write_graphml(merged, tmp_path / "t.graphml", status)
    graph = nx.read_graphml(path, force_multigraph=True)
    assert set(graph.nodes) == set(merged.nodes)
    assert graph.number_of_edges() == len(merged.links)
    assert graph.graph["date"] == "2026-12-01"
    assert graph.nodes["ACC-015"]["status"] == "added"
    assert graph.nodes["CORE-01"]["role"] == "core" and "status" not in graph.nodes["CORE-01"]
    edges = {key: attrs for _, _, key, attrs in graph.edges(keys=True, data=True)}
    assert set(edges) == set(merged.links)
    for change in d.changed_links:
        assert edges[change.new.key]["status"] == "changed"
    rt_core = next(lk for lk in merged.links.values() if {lk.a, lk.b} == {"RT-01", "CORE-01"})
    assert {edges[rt_core.key]["a_port"], edges[rt_core.key]["b_port"]} == {
        rt_core.a_port,
        rt_core.b_port,
    }


def test_cli_draw_writes_graphml(snap: Snapshot, tmp_path: Path) -> None:
    repo = tmp_path / "configs"
    write_snapshot(repo, snap)
    res = CliRunner().invoke(
        app, ["draw", "--repo", str(repo), "--out", str(tmp_path / "out"), "--json"]
    )
    assert res.exit_code == 0, res.output
    files = {Path(f).name for f in json.loads(res.output)["files"]}
    assert "topology-2026-01-05.graphml" in files


def test_graphml_lists_the_member_cables_of_a_lag() -> None:
    from netsteward.tasks.topology.export.graphml import snapshot_graph
    from netsteward.tasks.topology.model import Link, Node

    lag = Link(
        "ACC-1",
        "Eth-Trunk1",
        "AGG-1",
        "Bridge-Aggregation1",
        kind="lag",
        members=(("XGE0/0/1", "XGE1/0/1"), ("XGE0/0/2", "XGE1/0/2")),
    )
    snap = Snapshot("d", {n: Node(n) for n in ("ACC-1", "AGG-1")}, {lag.key: lag})
    (edge,) = snapshot_graph(snap).edges(keys=True, data=True)
    assert edge[2] == lag.key
    assert edge[3]["members"] == "ACC-1:XGE0/0/1=AGG-1:XGE1/0/1; ACC-1:XGE0/0/2=AGG-1:XGE1/0/2"
    assert edge[3]["kind"] == "lag"
