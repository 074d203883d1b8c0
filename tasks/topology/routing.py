"""Lines between the boxes of a topology page: attachment points spread along a box's side,
a detour down a lane beside boxes a straight line would cross, and the end labels (port
names as the device's platform abbreviates them).
"""

from __future__ import annotations

import math
from collections import defaultdict

from netsteward.tasks.core.ifnames import short_name
from netsteward.tasks.topology.model import Link, Snapshot
from netsteward.tasks.topology.shapes import Box, Edge, Page


def _short(snap: Snapshot, host: str, port: str) -> str:
    node = snap.nodes.get(host)
    return short_name(node.platform if node and node.platform else None, port)


def _link_labels(snap: Snapshot, lk: Link, src: str) -> tuple[str, str]:
    a = _short(snap, lk.a, lk.a_port)
    b = _short(snap, lk.b, lk.b_port)
    if lk.kind == "lag" and len(lk.members) == 1:  # a LAG end with one member here: name both
        ma, mb = lk.members[0]
        a = a if ma == lk.a_port else f"{_short(snap, lk.a, ma)} ({a})"
        b = b if mb == lk.b_port else f"{_short(snap, lk.b, mb)} ({b})"
    return (a, b) if src == lk.a else (b, a)


def member_label(snap: Snapshot, lk: Link, host: str, label: str) -> str:
    """Inside a small box: just the member port of a one-member LAG end (the LAG is in the metadata)."""
    if lk.kind == "lag" and len(lk.members) == 1:
        port = lk.members[0][0] if lk.a == host else lk.members[0][1]
        return _short(snap, host, port)
    return label


def edge(
    snap: Snapshot,
    lk: Link,
    src: Box,
    tgt: Box,
    points: list[tuple[float, float]],
    status: dict[str, str],
) -> Edge:
    s_name = src.id[2:]
    sl, tl = _link_labels(snap, lk, s_name)
    middle = f"LAG x{len(lk.members)}" if lk.kind == "lag" and len(lk.members) > 1 else ""
    meta = {"link_key": lk.key, "kind": lk.kind, "seen": lk.seen}
    if lk.members:
        meta["members"] = ", ".join(f"{a}={b}" for a, b in lk.members)
    return Edge(
        "l:" + lk.key,
        src.id,
        tgt.id,
        points,
        sl,
        tl,
        middle,
        status.get("l:" + lk.key, ""),
        lk.seen,
        lk.kind,
        meta,
    )


def _spread(
    edges_at: dict[tuple[str, str], list[tuple[float, int]]], boxes: dict[str, Box]
) -> dict[tuple[str, str, int], tuple[float, float]]:
    """Attachment points: edges on one side of a box spread evenly, ordered by the other end's x/y."""
    out = {}
    for (bid, side), items in edges_at.items():
        b = boxes[bid]
        items.sort()
        n = len(items)
        for i, (_key, eidx) in enumerate(items):
            f = (i + 1) / (n + 1)
            if side == "top":
                out[(bid, side, eidx)] = (b.x + f * b.w, b.y)
            elif side == "bottom":
                out[(bid, side, eidx)] = (b.x + f * b.w, b.y + b.h)
            elif side == "left":
                out[(bid, side, eidx)] = (b.x, b.y + f * b.h)
            else:
                out[(bid, side, eidx)] = (b.x + b.w, b.y + f * b.h)
    return out


def _crosses(p1: tuple[float, float], p2: tuple[float, float], b: Box, pad: float = 4) -> bool:
    """Does the segment p1-p2 pass through box b (sampled; boxes are large compared with the step)?"""
    steps = max(2, int(math.hypot(p2[0] - p1[0], p2[1] - p1[1]) / 6))
    for i in range(1, steps):
        f = i / steps
        x, y = p1[0] + f * (p2[0] - p1[0]), p1[1] + f * (p2[1] - p1[1])
        if b.x - pad < x < b.x + b.w + pad and b.y - pad < y < b.y + b.h + pad:
            return True
    return False


def connect(
    page: Page, snap: Snapshot, links: list[tuple[Link, str, str, str]], status: dict[str, str]
) -> None:
    """Straight edges between boxes of a page; (link, source box id, target box id, middle label)."""
    boxes = {b.id: b for b in page.boxes}
    edges_at: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    sides = []
    for i, (_lk, s, t, _label) in enumerate(links):
        bs, bt = boxes[s], boxes[t]
        if abs(bs.cy - bt.cy) < max(bs.h, bt.h):  # same tier: side by side
            s_side, t_side = ("right", "left") if bs.cx <= bt.cx else ("left", "right")
            edges_at[(s, s_side)].append((bt.cy, i))
            edges_at[(t, t_side)].append((bs.cy, i))
        else:
            s_side, t_side = ("bottom", "top") if bs.cy < bt.cy else ("top", "bottom")
            edges_at[(s, s_side)].append((bt.cx, i))
            edges_at[(t, t_side)].append((bs.cx, i))
        sides.append((s_side, t_side))
    points = _spread(edges_at, boxes)
    lanes: dict[tuple[int, str], int] = defaultdict(int)
    for i, (lk, s, t, middle) in enumerate(links):
        p1 = points[(s, sides[i][0], i)]
        p2 = points[(t, sides[i][1], i)]
        path = [p1, p2]
        blocked = [
            b
            for b in page.boxes
            if b.id not in (s, t) and b.kind not in ("title", "text") and _crosses(p1, p2, b)
        ]
        if blocked and sides[i][0] in ("top", "bottom"):
            # detour around the boxes in the way, down a lane beside them
            left = min(b.x for b in blocked)
            right = max(b.x + b.w for b in blocked)
            side = "left" if (p1[0] + p2[0]) / 2 < (left + right) / 2 else "right"
            col = int(min(b.y for b in blocked))
            k = lanes[(col, side)]
            lanes[(col, side)] += 1
            lane_x = left - 18 - 7 * k if side == "left" else right + 18 + 7 * k
            dy = 14 if p2[1] > p1[1] else -14
            path = [
                p1,
                (p1[0], p1[1] + dy),
                (lane_x, p1[1] + dy),
                (lane_x, p2[1] - dy),
                (p2[0], p2[1] - dy),
                p2,
            ]
        e = edge(snap, lk, boxes[s], boxes[t], path, status)
        if middle:
            e.label = middle
            e.src_label = e.tgt_label = ""
        page.edges.append(e)
