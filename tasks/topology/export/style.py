"""Colours and line styles shared by the draw.io and SVG writers (one look for both)."""

from __future__ import annotations

from netsteward.tasks.core.i18n import N_

FILL = {
    "router": "#dae8fc",
    "firewall": "#e1d5e7",
    "ips": "#e1d5e7",
    "core": "#b1ddf0",
    "aggregation": "#cfe2f3",
    "access": "#f5f5f5",
    "fc_switch": "#fff2cc",
    "unknown": "#ffffff",
    "group": "#eeeeee",
    "bar": "#cfe2f3",
    "title": "none",
    "text": "none",
    "cell": "#ffffff",
    "header": "#dddddd",
}
STROKE = {"unknown": "#999999", "title": "none", "text": "none"}
DEFAULT_STROKE = "#4d4d4d"

# change status: (stroke, fill, stroke width, dashed)
STATUS = {
    "added": ("#00a000", "#d5f5d5", 3.0, False),
    "removed": ("#d00000", "#fde0e0", 3.0, True),
    "changed": ("#f08000", "#ffe8cc", 3.0, False),
}
EDGE_STROKE = "#555555"
ONE_SIDED = ("#999999", "2 3")  # dotted: seen from one end only
DECLARED = ("#6c8ebf", "8 4")  # dashed blue: declared in the inventory, not seen by LLDP
REMOVED_DASH = "6 4"
LEGEND_ROLES = [
    "router",
    "firewall",
    "ips",
    "core",
    "aggregation",
    "access",
    "fc_switch",
    "unknown",
    "group",
]
ROLE_TITLES = {
    "router": N_("Egress router"),
    "firewall": N_("Firewall"),
    "ips": N_("IPS"),
    "core": N_("Core switch"),
    "aggregation": N_("Aggregation switch"),
    "access": N_("Access switch"),
    "fc_switch": N_("FC switch"),
    "unknown": N_("Unknown LLDP neighbour"),
    "group": N_("Access switches of a pair (click to open)"),
}


def box_colours(kind: str, status: str) -> tuple[str, str, float, bool]:
    """(stroke, fill, width, dashed) of a box; table cells only take the status fill."""
    if kind in ("cell", "header"):
        return "#999999", STATUS[status][1] if status in STATUS else FILL[kind], 0.6, False
    if status in STATUS:
        stroke, fill, width, dashed = STATUS[status]
        return stroke, fill, width, dashed
    return STROKE.get(kind, DEFAULT_STROKE), FILL.get(kind, "#ffffff"), 1.0, kind == "unknown"


def edge_colours(status: str, seen: str, kind: str) -> tuple[str, float, str]:
    """(stroke, width, dash pattern or "") of a link."""
    width = 2.2 if kind == "lag" else 1.2
    if status in STATUS:
        stroke, _fill, _width, dashed = STATUS[status]
        return stroke, max(width, 2.5), REMOVED_DASH if dashed else ""
    if seen == "one-sided":
        return ONE_SIDED[0], width, ONE_SIDED[1]
    if seen == "declared":
        return DECLARED[0], width, DECLARED[1]
    return EDGE_STROKE, width, ""
