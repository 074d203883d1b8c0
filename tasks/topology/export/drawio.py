"""draw.io (diagrams.net) file from laid-out pages: uncompressed XML, one <diagram> per page.

    drawio_xml(pages) -> str
    read_positions(text) -> {"<page id>/<element id>": (x, y)}   # hand-adjusted places to keep

Every node and link is an <object> carrying its metadata (role, model, serial,
management address, link key, LAG members...), so engineers can click through;
port names sit at both ends of each link as child labels of the edge.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from netsteward.tasks.core.escape import html, printable_tree
from netsteward.tasks.topology.export.style import box_colours, edge_colours
from netsteward.tasks.topology.shapes import Box, Edge, Page


def _style(**items: object) -> str:
    return "".join(f"{k}={v};" for k, v in items.items())


def _box_style(b: Box) -> str:
    if b.kind in ("title", "text"):
        return _style(
            text=None,
            html=1,
            align="left",
            verticalAlign="middle",
            fontSize=18 if b.kind == "title" else 12,
            fontStyle=1 if b.kind == "title" else 0,
            strokeColor="none",
            fillColor="none",
        ).replace("text=None;", "text;")
    stroke, fill, width, dashed = box_colours(b.kind, b.status)
    if b.kind in ("cell", "header"):
        return _style(
            rounded=0,
            whiteSpace="wrap",
            html=1,
            fillColor=fill,
            strokeColor=stroke,
            align="left",
            spacingLeft=4,
            fontSize=10,
            fontStyle=1 if b.kind == "header" else 0,
        )
    return _style(
        rounded=1,
        whiteSpace="wrap",
        html=1,
        fillColor=fill,
        strokeColor=stroke,
        strokeWidth=width,
        dashed=int(dashed),
        fontSize=12,
        arcSize=8,
    )


def _label_html(b: Box) -> str:
    if not b.label:
        return ""
    if b.kind in ("cell", "header", "title", "text"):
        return ET_escape(" ".join(b.label))
    first, *rest = b.label
    return (
        "<b>"
        + ET_escape(first)
        + "</b>"
        + "".join('<br><font style="font-size:10px">' + ET_escape(x) + "</font>" for x in rest)
    )


def ET_escape(text: str) -> str:
    """Text inside an HTML label (`html=1`): markup escaped, unprintables made visible."""
    return html(text)


def _geometry(parent: ET.Element, **attrs: object) -> ET.Element:
    g = ET.SubElement(parent, "mxGeometry", {k: _num(v) for k, v in attrs.items()})
    g.set("as", "geometry")
    return g


def _num(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return str(v)


def _edge_cells(root: ET.Element, page: Page, e: Edge, boxes: dict[str, Box]) -> None:
    stroke, width, dash = edge_colours(e.status, e.seen, e.kind)
    src, tgt = boxes[e.source], boxes[e.target]
    (x1, y1), (x2, y2) = e.points[0], e.points[-1]
    style = _style(
        endArrow="none",
        html=1,
        rounded=0,
        strokeColor=stroke,
        strokeWidth=width,
        dashed=int(bool(dash)),
        dashPattern=dash.replace(" ", "_") if dash else "none",
        exitX=round((x1 - src.x) / src.w, 4),
        exitY=round((y1 - src.y) / src.h, 4),
        exitPerimeter=0,
        entryX=round((x2 - tgt.x) / tgt.w, 4),
        entryY=round((y2 - tgt.y) / tgt.h, 4),
        entryPerimeter=0,
    )
    style = style.replace("dashPattern=none;", "").replace("_", " ")
    eid = f"{page.id}/{e.id}"
    obj = ET.SubElement(
        root,
        "object",
        {
            "id": eid,
            "label": e.label,
            **{k: v for k, v in e.meta.items()},
            **({"status": e.status} if e.status else {}),
        },
    )
    cell = ET.SubElement(
        obj,
        "mxCell",
        {
            "style": style,
            "edge": "1",
            "parent": "1",
            "source": f"{page.id}/{e.source}",
            "target": f"{page.id}/{e.target}",
        },
    )
    geo = _geometry(cell, relative=1)
    if len(e.points) > 2:
        arr = ET.SubElement(geo, "Array")
        arr.set("as", "points")
        for x, y in e.points[1:-1]:
            ET.SubElement(arr, "mxPoint", {"x": _num(float(x)), "y": _num(float(y))})
    length = sum(
        math.hypot(bx - ax, by - ay)
        for (ax, ay), (bx, by) in zip(e.points, e.points[1:], strict=False)
    )
    for end, text, pos in (("src", e.src_label, e.src_pos), ("tgt", e.tgt_label, e.tgt_pos)):
        if not text or pos is None:
            continue
        px, py, anchor, rot = pos
        ax, ay = (x1, y1) if end == "src" else (x2, y2)
        rel = -1.0 if end == "src" else 1.0
        align = {"start": "left", "end": "right"}.get(anchor, "center")
        lstyle = _style(
            edgeLabel=None,
            html=1,
            align=align,
            verticalAlign="middle",
            resizable=0,
            fontSize=9,
            labelBackgroundColor="#ffffff",
            horizontal=0 if rot == -90 else 1,
        ).replace("edgeLabel=None;", "edgeLabel;")
        if rot and rot != -90:  # a slanted line: turn the label along it, as the SVG does
            lstyle += f"rotation={rot};"
        lab = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"{eid}/{end}",
                "value": ET_escape(text),
                "style": lstyle,
                "vertex": "1",
                "connectable": "0",
                "parent": eid,
            },
        )
        g = _geometry(lab, x=rel, relative=1)
        off = ET.SubElement(g, "mxPoint", {"x": _num(float(px - ax)), "y": _num(float(py - ay))})
        off.set("as", "offset")
    del length


def drawio_xml(pages: list[Page], modified: str = "") -> str:
    mxfile = ET.Element(
        "mxfile",
        {"host": "netsteward", "type": "device", **({"modified": modified} if modified else {})},
    )
    for page in pages:
        diagram = ET.SubElement(mxfile, "diagram", {"id": page.id, "name": page.name})
        model = ET.SubElement(
            diagram,
            "mxGraphModel",
            {
                "dx": "1200",
                "dy": "800",
                "grid": "1",
                "gridSize": "10",
                "guides": "1",
                "tooltips": "1",
                "connect": "1",
                "arrows": "0",
                "fold": "1",
                "page": "1",
                "pageScale": "1",
                "pageWidth": _num(float(math.ceil(page.width))),
                "pageHeight": _num(float(math.ceil(page.height))),
                "math": "0",
                "shadow": "0",
            },
        )
        root = ET.SubElement(model, "root")
        ET.SubElement(root, "mxCell", {"id": "0"})
        ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
        boxes = {b.id: b for b in page.boxes}
        for e in page.edges:  # edges first so that boxes are drawn over line ends
            _edge_cells(root, page, e, boxes)
        for b in page.boxes:
            attrs = {
                "id": f"{page.id}/{b.id}",
                "label": _label_html(b),
                **b.meta,
                **({"status": b.status} if b.status else {}),
                # where netsteward put it: a geometry that differs was moved by hand and is kept
                "layout_x": _num(float(b.auto[0] if b.auto else b.x)),
                "layout_y": _num(float(b.auto[1] if b.auto else b.y)),
            }
            if b.link:
                attrs["link"] = f"data:page/id,{b.link}"
            obj = ET.SubElement(root, "object", attrs)
            cell = ET.SubElement(
                obj, "mxCell", {"style": _box_style(b), "vertex": "1", "parent": "1"}
            )
            _geometry(cell, x=float(b.x), y=float(b.y), width=float(b.w), height=float(b.h))
    printable_tree(mxfile)
    ET.indent(mxfile, space=" ")
    return ET.tostring(mxfile, encoding="unicode") + "\n"


def read_positions(text: str, moved_only: bool = True) -> dict[str, tuple[float, float]]:
    """(x, y) of the vertices of a draw.io file by element id (uncompressed files only).

    With `moved_only`, only those an engineer moved: the geometry differs from the
    `layout_x`/`layout_y` netsteward wrote (objects without them count as moved).
    """
    out: dict[str, tuple[float, float]] = {}
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        from netsteward.tasks.core.errors import BadInput

        raise BadInput(f"not an uncompressed draw.io file ({exc})") from None
    for elem in root.iter():
        cell = (
            elem if elem.tag == "mxCell" else elem.find("mxCell") if elem.tag == "object" else None
        )
        if cell is None or cell.get("vertex") != "1":
            continue
        eid = elem.get("id") if elem.tag == "object" else cell.get("id")
        geo = cell.find("mxGeometry")
        if eid and geo is not None and geo.get("relative") != "1":
            x, y = float(geo.get("x", 0)), float(geo.get("y", 0))
            untouched = (
                elem.tag == "object"
                and elem.get("layout_x") is not None
                and abs(x - float(elem.get("layout_x", 0))) < 1
                and abs(y - float(elem.get("layout_y", 0))) < 1
            )
            if moved_only and untouched:
                continue
            out[eid] = (x, y)
    return out
