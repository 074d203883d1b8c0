"""Deterministic tiered layout of a topology into pages (the input of the draw.io and SVG writers).

    pages = layout(snapshot, status=None, keep=None)   # list[Page]

Pages: "Overview" (routers, firewalls/IPS, core, aggregation and one box per
aggregation pair counting its access switches, one column per network), one
page per aggregation pair (the two aggregation switches as bars above and
below, their access switches in a grid, uplinks routed in the corridors between
columns so that no line crosses a box), then "Changes" and "Legend" (added by
the report). Everything is sorted by name, so a new switch only shifts its own
group. `keep` maps element ids to (x, y) positions an engineer set by hand in
last year's draw.io file; those nodes keep their place.
"""

from __future__ import annotations

import math
from collections import defaultdict

from netsteward.tasks.core.i18n import N_, _, ngettext
from netsteward.tasks.topology.model import (
    Link,
    Node,
    Snapshot,
    is_endpoint,
)
from netsteward.tasks.topology.routing import connect, edge, member_label
from netsteward.tasks.topology.shapes import (
    MARGIN,
    NODE_H,
    NODE_W,
    Box,
    Page,
    node_box,
    node_id,
    place_labels,
)

GAP_X, TIER_GAP = 70, 120
COLUMN_GAP = 180
BAND_W = 3000  # start a new band of network columns beyond this width
ROW_MAX = 8  # nodes per row in a tier of a network column before wrapping
NETWORK_ORDER = ["base", "egov_intranet", "egov_extranet", "device_net", "san"]
NETWORK_TITLES = {
    "base": N_("Base network"),
    "egov_intranet": N_("E-gov intranet"),
    "egov_extranet": N_("E-gov extranet"),
    "device_net": N_("Device network"),
    "san": N_("SAN (FC)"),
}
TIERS = [("router",), ("firewall", "ips"), ("core", "fc_switch"), ("aggregation",), ("unknown",)]


def _tier_role(n: Node) -> str:
    return n.role if n.kind == "device" else "unknown"


def pairs_of(snap: Snapshot) -> dict[str, list[str]]:
    """Aggregation pair key (the inventory's uplink_pair) -> the pair's aggregation switches."""
    groups: dict[str, set[str]] = defaultdict(set)
    for n in snap.nodes.values():
        if n.role == "access" and n.uplink_pair:
            groups[n.uplink_pair].add(n.uplink_pair)
            for lk in snap.links_of(n.name):
                peer = lk.b if lk.a == n.name else lk.a
                if peer in snap.nodes and snap.nodes[peer].role == "aggregation":
                    groups[n.uplink_pair].add(peer)
    return {k: sorted(v)[:2] for k, v in sorted(groups.items())}


def _tally(what: tuple[str, str], n: int) -> str:
    """`2 added switches`, `1 removed link` (status and kind of what changed in a pair)."""
    status, kind = what
    texts = {
        ("added", "switch"): lambda: ngettext("{n} added switch", "{n} added switches", n),
        ("removed", "switch"): lambda: ngettext("{n} removed switch", "{n} removed switches", n),
        ("changed", "switch"): lambda: ngettext("{n} changed switch", "{n} changed switches", n),
        ("added", "link"): lambda: ngettext("{n} added link", "{n} added links", n),
        ("removed", "link"): lambda: ngettext("{n} removed link", "{n} removed links", n),
        ("changed", "link"): lambda: ngettext("{n} changed link", "{n} changed links", n),
    }
    return texts[what]().format(n=n) if what in texts else f"{n} {status} {kind}"


def pair_title(aggs: list[str]) -> str:
    if len(aggs) == 2:
        common = aggs[1].rsplit("-", 1)
        return (
            f"{aggs[0]}/{common[-1]}"
            if aggs[0].rsplit("-", 1)[0] == common[0]
            else " + ".join(aggs)
        )
    return " + ".join(aggs)


def overview(snap: Snapshot, status: dict[str, str], keep: dict[str, tuple[float, float]]) -> Page:
    page = Page("overview", _("Overview"))
    pairs = pairs_of(snap)
    access_of: dict[str, list[str]] = defaultdict(list)
    for n in snap.nodes.values():
        if n.role == "access":
            access_of[n.uplink_pair or "(none)"].append(n.name)
    networks = sorted(
        {n.network for n in snap.nodes.values() if n.kind == "device" and n.role != "access"},
        key=lambda x: (NETWORK_ORDER.index(x) if x in NETWORK_ORDER else 99, x),
    )
    # unknown LLDP neighbours of routers/core/aggregation go under their neighbour's network column
    # (those of access switches are drawn on their pair's page)
    unknown_net: dict[str, str] = {}
    for n in sorted(snap.nodes.values()):
        if n.kind != "unknown":
            continue
        for lk in sorted(snap.links_of(n.name)):
            peer = snap.nodes.get(lk.b if lk.a == n.name else lk.a)
            if (
                peer is not None
                and peer.kind == "device"
                and peer.role != "access"
                and peer.network
            ):
                unknown_net[n.name] = peer.network
                break
    x0: float = MARGIN
    band_y: float = 0  # networks are laid side by side, wrapping into bands below
    band_bottom: float = 0
    placed: dict[str, Box] = {}
    for net in networks:
        col_nodes = [
            n
            for n in snap.nodes.values()
            if (n.network == net and n.kind == "device") or unknown_net.get(n.name) == net
        ]
        if x0 > BAND_W:
            x0, band_y = MARGIN, band_bottom + 40
        y: float = band_y + MARGIN + 40
        col_w = 0.0
        tier_boxes: list[list[Box]] = []
        for roles in TIERS:
            members = sorted(
                (n for n in col_nodes if _tier_role(n) in roles),
                key=lambda n: (roles.index(_tier_role(n)), n.name),
            )
            if not members:
                continue
            rows = [members[i : i + ROW_MAX] for i in range(0, len(members), ROW_MAX)]
            row_boxes: list[Box] = []
            for row in rows:
                x: float = x0
                # few boxes in a tier (routers, the core pair) carry many links: make them wide
                w = NODE_W if len(members) > 2 else NODE_W * (2.4 if "core" in roles else 1.6)
                for n in row:
                    nb = node_box(n, x, y, status.get(node_id(n.name), ""), w)
                    row_boxes.append(nb)
                    x += w + GAP_X
                col_w = max(col_w, x - x0 - GAP_X)
                y += NODE_H + 36
            tier_boxes.append(row_boxes)
            y += TIER_GAP - 36
        group_w = NODE_W * 1.4
        net_pairs = [k for k, v in pairs.items() if v and snap.nodes[v[0]].network == net]
        col_w = max(col_w, len(net_pairs) * (group_w + GAP_X) - GAP_X)
        for tier_row in tier_boxes:  # centre each row of a tier in the column
            for ry in sorted({tb.y for tb in tier_row}):
                rb = [tb for tb in tier_row if tb.y == ry]
                shift = (col_w - (rb[-1].x + rb[-1].w - rb[0].x)) / 2
                for tb in rb:
                    tb.x += shift
            for tb in tier_row:
                page.boxes.append(tb)
                placed[tb.id] = tb
        # access count boxes, each centred under its aggregation pair where there is room
        x_min = x0
        for key in net_pairs:
            count = len(access_of.get(key, []))
            aggs = pairs[key]
            label = [
                pair_title(aggs),
                ngettext("{n} access switch", "{n} access switches", count).format(n=count),
            ]
            tally: dict[tuple[str, str], int] = defaultdict(int)
            for name in access_of.get(key, []):
                if status.get(node_id(name)):
                    tally[(status[node_id(name)], "switch")] += 1
                for lk in snap.links_of(name):
                    if status.get("l:" + lk.key):
                        tally[(status["l:" + lk.key], "link")] += 1
            if tally:
                label.append(", ".join(_tally(k, v) for k, v in sorted(tally.items())))
            centres = [placed[node_id(a)].cx for a in aggs if node_id(a) in placed]
            x = max(x_min, (sum(centres) / len(centres) - group_w / 2) if centres else x_min)
            gb = Box(
                "g:" + key,
                x,
                y,
                group_w,
                NODE_H,
                label,
                "group",
                status.get("g:" + key, ""),
                {"pair": key, "access_switches": str(count)},
                link="pair:" + key,
            )
            page.boxes.append(gb)
            placed[gb.id] = gb
            x_min = x + group_w + GAP_X
        col_w = max(col_w, x_min - x0 - GAP_X)
        page.boxes.append(
            Box(
                "t:" + net,
                x0,
                band_y + MARGIN,
                max(col_w, NODE_W),
                30,
                [_(NETWORK_TITLES[net]) if net in NETWORK_TITLES else net],
                "title",
            )
        )
        band_bottom = max(band_bottom, y + NODE_H)
        x0 += col_w + COLUMN_GAP
    _apply_keep(page, keep)
    placed = {b.id: b for b in page.boxes}
    links: list[tuple[Link, str, str, str]] = []
    bundles: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for lk in snap.links.values():
        ida, idb = node_id(lk.a), node_id(lk.b)
        if ida in placed and idb in placed:
            src, tgt = (ida, idb) if placed[ida].cy <= placed[idb].cy else (idb, ida)
            links.append((lk, src, tgt, ""))
            continue
        # access uplinks collapse into one edge per aggregation switch and pair box
        for end, other in ((lk.a, lk.b), (lk.b, lk.a)):
            node = snap.nodes.get(other)
            if node_id(end) in placed and node is not None and node.role == "access":
                key = "g:" + (node.uplink_pair or "(none)")
                if key in placed:
                    bundles[(node_id(end), key)].append(lk)
    for (agg, box), lks in sorted(bundles.items()):
        rep = lks[0]
        links.append(
            (rep, agg, box, ngettext("{n} uplink", "{n} uplinks", len(lks)).format(n=len(lks)))
        )
    links.sort(key=lambda t: (t[1], t[2], t[0].key))
    connect(page, snap, links, status)
    for e in page.edges:
        if e.target.startswith("g:"):
            e.id = f"b:{e.source}->{e.target}"
            e.status = ""
            e.kind, e.seen = "lag", "both"  # a bundle of uplinks: drawn thick and plain
            e.meta = {"links": e.label}
    for e in page.edges:
        place_labels(e)
    page.fit()
    return page


def _apply_keep(page: Page, keep: dict[str, tuple[float, float]]) -> None:
    for b in page.boxes:
        pos = keep.get(f"{page.id}/{b.id}")
        if pos is not None:
            b.auto = (b.x, b.y)
            b.x, b.y = pos


def pair_page(
    snap: Snapshot,
    key: str,
    aggs: list[str],
    status: dict[str, str],
    keep: dict[str, tuple[float, float]],
) -> Page:
    """Aggregation A as a bar on top, B as a bar below, access switches in a grid between,
    uplinks routed through the corridors between grid columns."""
    page = Page("pair:" + key, _("Pair {pair}").format(pair=pair_title(aggs)))
    access = sorted(
        n.name for n in snap.nodes.values() if n.role == "access" and n.uplink_pair == key
    )
    # unknown neighbours: switches and routers are drawn as stubs; endpoints (phones, APs,
    # cameras: no bridge/router capability) are only counted in their switch's box
    stubs = sorted(
        {
            (lk.b if lk.a == a else lk.a)
            for a in access
            for lk in snap.links_of(a)
            if snap.nodes.get(lk.b if lk.a == a else lk.a, Node("")).kind == "unknown"
            and not is_endpoint(snap.nodes[lk.b if lk.a == a else lk.a])
        }
    )
    endpoints: dict[str, int] = defaultdict(int)
    for a in access:
        for lk in snap.links_of(a):
            far = snap.nodes.get(lk.b if lk.a == a else lk.a)
            if far is not None and is_endpoint(far):
                endpoints[a] += 1
    n = max(1, len(access))
    rows = max(1, min(8, math.ceil(math.sqrt(n / 2.5))))
    cols = math.ceil(n / rows)
    pitch = 11.0
    corridor = 2 * rows * pitch + 24
    col_w = NODE_W + corridor
    row_h = NODE_H + 34
    top_bar_y = MARGIN + 40
    grid_y = top_bar_y + 48 + 60
    width = cols * col_w + corridor
    bottom_bar_y = grid_y + rows * row_h + 40
    page.boxes.append(
        Box(
            "t:" + key,
            MARGIN,
            MARGIN,
            width,
            30,
            [
                ngettext(
                    "Aggregation pair {pair}: {n} access switch",
                    "Aggregation pair {pair}: {n} access switches",
                    len(access),
                ).format(pair=pair_title(aggs), n=len(access))
            ],
            "title",
        )
    )
    bars = {}
    for i, agg in enumerate(aggs[:2]):
        node = snap.nodes[agg]
        b = node_box(
            node, MARGIN, top_bar_y if i == 0 else bottom_bar_y, status.get(node_id(agg), ""), width
        )
        b.kind, b.h = "bar", 48
        page.boxes.append(b)
        bars[agg] = b
    cells: dict[str, tuple[int, int]] = {}
    for idx, name in enumerate(access):
        c, r = idx // rows, idx % rows
        x = MARGIN + corridor + c * col_w
        b = node_box(snap.nodes[name], x, grid_y + r * row_h, status.get(node_id(name), ""))
        if endpoints.get(name):
            b.label[1] += " \u00b7 " + ngettext(
                "{n} endpoint", "{n} endpoints", endpoints[name]
            ).format(n=endpoints[name])
            b.meta["lldp_endpoints"] = str(endpoints[name])
        page.boxes.append(b)
        cells[b.id] = (c, r)
    stub_y = bottom_bar_y + 48 + 60
    for i, name in enumerate(stubs):
        b = node_box(
            snap.nodes[name], MARGIN + i * (NODE_W + GAP_X), stub_y, status.get(node_id(name), "")
        )
        page.boxes.append(b)
    moved = {b.id for b in page.boxes if f"{page.id}/{b.id}" in keep}
    _apply_keep(page, keep)
    boxes = {b.id: b for b in page.boxes}
    straight: list[tuple[Link, str, str, str]] = []
    for name in access:
        aid = node_id(name)
        for lk in sorted(snap.links_of(name), key=lambda lk: lk.key):
            peer = lk.b if lk.a == name else lk.a
            pid = node_id(peer)
            if pid not in boxes:
                continue
            if peer in bars and aid not in moved and pid not in moved:
                c, r = cells[aid]
                ab = boxes[aid]
                bar = bars[peer]
                up = bar.y < ab.y
                # lanes are ordered so that no horizontal stub crosses another uplink's lane
                if up:  # left corridor; lower rows further left
                    lane_x = ab.x - 12 - (r + 1) * pitch
                    start = (ab.x, ab.y + ab.h * 0.5)
                    end = (lane_x, bar.y + bar.h)
                    e = edge(snap, lk, ab, bar, [start, (lane_x, start[1]), end], status)
                    e.src_pos = (ab.x + 5, ab.y + ab.h - 6, "start", 0)
                    e.src_label = "\u25b2 " + member_label(snap, lk, name, e.src_label)
                else:  # right corridor; upper rows further right
                    lane_x = ab.x + ab.w + 12 + (rows - 1 - r) * pitch
                    start = (ab.x + ab.w, ab.y + ab.h * 0.5)
                    end = (lane_x, bar.y)
                    e = edge(snap, lk, ab, bar, [start, (lane_x, start[1]), end], status)
                    e.src_pos = (ab.x + ab.w - 5, ab.y + ab.h - 6, "end", 0)
                    e.src_label = member_label(snap, lk, name, e.src_label) + " \u25bc"
                page.edges.append(e)
            else:
                straight.append((lk, aid, pid, ""))
    if straight:
        connect(page, snap, straight, status)
    for e in page.edges:
        place_labels(e)
    page.fit()
    return page


def layout(
    snap: Snapshot,
    status: dict[str, str] | None = None,
    keep: dict[str, tuple[float, float]] | None = None,
) -> list[Page]:
    """Overview and one page per aggregation pair. `status` maps element ids to added/removed/changed."""
    status = status or {}
    keep = keep or {}
    pages = [overview(snap, status, keep)]
    for key, aggs in pairs_of(snap).items():
        pages.append(pair_page(snap, key, aggs, status, keep))
    return pages
