"""The drawing primitives of a topology page: boxes, edges and where their end labels sit.

The layout (tasks/topology/layout.py) places them, the routing (tasks/topology/routing.py)
draws the lines between them, the writers (export/svg.py, export/drawio.py) and the report
read them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from netsteward.tasks.topology.model import Node

NODE_W, NODE_H = 168, 58
MARGIN = 40


@dataclass
class Box:
    id: str
    x: float
    y: float
    w: float
    h: float
    label: list[str]  # lines; the first is the title
    kind: (
        str  # role, "unknown", "group" (access count box), "bar" (aggregation bar), "title", "text"
    )
    status: str = ""  # "" | added | removed | changed
    meta: dict[str, str] = field(default_factory=dict)
    link: str = ""  # id of the page this box opens (drill-down)
    auto: tuple[float, float] | None = (
        None  # where the layout put it, when a kept position overrides that
    )

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Edge:
    id: str
    source: str
    target: str
    points: list[tuple[float, float]]  # first and last are the attachment points
    src_label: str = ""
    tgt_label: str = ""
    label: str = ""  # middle label (LAG member count, "x90")
    status: str = ""
    seen: str = "both"
    kind: str = "physical"
    meta: dict[str, str] = field(default_factory=dict)
    # where the end labels sit: (x, y, anchor start|middle|end, rotation 0|-90); set by place_labels()
    src_pos: tuple[float, float, str, int] | None = None
    tgt_pos: tuple[float, float, str, int] | None = None


LabelPos = tuple[float, float, str, int]


def _along(points: list[tuple[float, float]], d: float) -> tuple[float, float, int]:
    """The point d px along a polyline from its first point, and the angle (degrees, -90..90) of that segment."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        seg = math.hypot(x2 - x1, y2 - y1)
        if seg >= d or (x2, y2) == points[-1]:
            f = min(1.0, d / seg) if seg else 0.0
            angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
            if angle > 90:
                angle -= 180
            elif angle <= -90:
                angle += 180
            if abs(abs(angle) - 90) < 1:
                angle = -90
            return x1 + f * (x2 - x1), y1 + f * (y2 - y1), round(angle)
        d -= seg
    return points[-1][0], points[-1][1], 0


def place_labels(e: Edge, dist: float = 34) -> None:
    """Default end-label places: on the line, `dist` px from each end, turned along vertical lines;
    on short horizontal lines the source label goes above, the target label below."""
    (x1, y1), (x2, y2) = e.points[0], e.points[-1]
    if len(e.points) == 2 and abs(y2 - y1) < 1 and abs(x2 - x1) < 4 * dist:
        if e.src_pos is None:
            e.src_pos = (x1 + (4 if x2 > x1 else -4), y1 - 5, "start" if x2 > x1 else "end", 0)
        if e.tgt_pos is None:
            e.tgt_pos = (x2 - (4 if x2 > x1 else -4), y2 + 12, "end" if x2 > x1 else "start", 0)
        return
    if e.src_pos is None:
        x, y, angle = _along(e.points, dist)
        e.src_pos = (x, y, "middle", angle)
    if e.tgt_pos is None:
        x, y, angle = _along(list(reversed(e.points)), dist)
        e.tgt_pos = (x, y, "middle", angle)


@dataclass
class Page:
    id: str
    name: str
    boxes: list[Box] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0
    height: float = 0

    def fit(self) -> None:
        xs = [b.x + b.w for b in self.boxes] + [p[0] for e in self.edges for p in e.points]
        ys = [b.y + b.h for b in self.boxes] + [p[1] for e in self.edges for p in e.points]
        self.width = max(xs, default=400) + MARGIN
        self.height = max(ys, default=300) + MARGIN


def node_id(name: str) -> str:
    return "n:" + name


def node_box(n: Node, x: float, y: float, status: str, w: float = NODE_W) -> Box:
    sub = n.model or (n.description[:28] if n.description else n.chassis_id)
    meta = {
        k: v
        for k, v in (
            ("role", n.role or n.kind),
            ("network", n.network),
            ("platform", n.platform),
            ("model", n.model),
            ("serial", n.serial),
            ("version", n.version),
            ("mgmt", n.mgmt),
            ("location", n.location),
            ("chassis_id", n.chassis_id),
        )
        if v
    }
    return Box(
        node_id(n.name),
        x,
        y,
        w,
        NODE_H,
        [n.name, sub],
        n.role if n.kind == "device" else "unknown",
        status,
        meta,
    )
