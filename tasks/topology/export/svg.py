"""SVG (and PNG through cairosvg when it is installed) from laid-out pages; no browser needed.

page_svg(page) -> str
write_png(svg_text, path) -> bool      # False when cairosvg is not importable
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from netsteward.tasks.core.escape import xml as escape
from netsteward.tasks.topology.export.style import box_colours, edge_colours
from netsteward.tasks.topology.shapes import Box, Edge, Page

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
# A page with Chinese text names a font with CJK glyphs first: cairosvg (the PNGs) draws
# every character with the first family only, and fonts-wqy-microhei is what the project
# installs (`make fonts`); viewers without it fall back to the Windows and macOS Chinese
# UI fonts. Pages without CJK text keep FONT, byte for byte.
CJK_FONT = (
    "WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, "
    "PingFang SC, SimHei, DejaVu Sans, sans-serif"
)
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


def font_for(texts: Iterable[str]) -> str:
    """The font-family list for a page whose text is `texts`."""
    return CJK_FONT if any(_CJK.search(t) for t in texts) else FONT


def _attr(value: object) -> str:
    return escape(value)


def _box(b: Box) -> list[str]:
    out = []
    if b.kind in ("title", "text"):
        size = 18 if b.kind == "title" else 12
        weight = "bold" if b.kind == "title" else "normal"
        for i, line in enumerate(b.label):
            out.append(
                f'<text x="{b.x:.1f}" y="{b.y + 20 + i * (size + 4):.1f}" font-size="{size}" '
                f'font-weight="{weight}">{escape(line)}</text>'
            )
        return out
    stroke, fill, width, dashed = box_colours(b.kind, b.status)
    if b.kind in ("cell", "header"):
        weight = "bold" if b.kind == "header" else "normal"
        return [
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"/>',
            f'<text x="{b.x + 4:.1f}" y="{b.y + b.h - 7:.1f}" font-size="10" font-weight="{weight}">'
            f"{escape(b.label[0] if b.label else '')}</text>",
        ]
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    title = "&#10;".join(_attr(f"{k}: {v}") for k, v in b.meta.items())
    out.append(f'<g id="{_attr(b.id)}"><title>{title}</title>')
    out.append(
        f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
    )
    first_y = b.y + (18 if len(b.label) > 1 else b.h / 2 + 5)
    if b.kind == "bar":  # a long bar: its name at the left, repeated along it
        for x in range(int(b.x) + 12, int(b.x + b.w) - 200, 1400):
            out.append(
                f'<text x="{x}" y="{b.y + 20:.1f}" font-size="13" font-weight="bold">'
                f"{escape(b.label[0])}</text>"
            )
            out.append(
                f'<text x="{x}" y="{b.y + 36:.1f}" font-size="10">{escape(" ".join(b.label[1:]))}</text>'
            )
        out.append("</g>")
        return out
    for i, line in enumerate(b.label):
        size, weight = (12, "bold") if i == 0 else (10, "normal")
        out.append(
            f'<text x="{b.cx:.1f}" y="{first_y + i * 14:.1f}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="middle">{escape(line)}</text>'
        )
    out.append("</g>")
    return out


def _label(text: str, pos: tuple[float, float, str, int] | None, colour: str) -> list[str]:
    if not text or pos is None:
        return []
    x, y, anchor, rot = pos
    width = 5.6 * len(text) + 4
    if anchor == "middle":
        rx = x - width / 2
    elif anchor == "end":
        rx = x - width
    else:
        rx = x
    transform = f' transform="rotate({rot} {x:.1f} {y:.1f})"' if rot else ""
    ty = y + 3.5 if anchor == "middle" else y
    ry = y - 6 if anchor == "middle" else y - 9
    return [
        f'<g{transform}><rect x="{rx:.1f}" y="{ry:.1f}" width="{width:.1f}" height="12" fill="#ffffff" '
        f'fill-opacity="0.85"/>',
        f'<text x="{x:.1f}" y="{ty:.1f}" font-size="9.5" text-anchor="{anchor}" fill="{colour}">'
        f"{escape(text)}</text></g>",
    ]


def _edge(e: Edge) -> tuple[list[str], list[str]]:
    stroke, width, dash = edge_colours(e.status, e.seen, e.kind)
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in e.points)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    title = "&#10;".join(_attr(f"{k}: {v}") for k, v in e.meta.items())
    line = [
        f'<polyline id="{_attr(e.id)}" points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width}"'
        f"{dash_attr}><title>{title}</title></polyline>"
    ]
    labels = []
    colour = stroke if e.status else "#222222"
    labels += _label(e.src_label, e.src_pos, colour)
    labels += _label(e.tgt_label, e.tgt_pos, colour)
    if e.label:
        (x1, y1), (x2, y2) = e.points[0], e.points[-1]
        labels += _label(e.label, ((x1 + x2) / 2, (y1 + y2) / 2, "middle", 0), colour)
    return line, labels


def page_svg(page: Page) -> str:
    lines: list[str] = []
    labels: list[str] = []
    for e in page.edges:
        ln, lb = _edge(e)
        lines += ln
        labels += lb
    boxes = [part for b in page.boxes for part in _box(b)]
    w, h = page.width, page.height
    font = font_for([page.name, *boxes, *labels])
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" '
            f'font-family="{font}">',
            f"<title>{escape(page.name)}</title>",
            f'<rect x="0" y="0" width="{w:.0f}" height="{h:.0f}" fill="#ffffff"/>',
            *lines,
            *boxes,
            *labels,
            "</svg>",
            "",
        ]
    )


def write_png(svg_text: str, path: Path, scale: float = 1.0) -> bool:
    """Render SVG to PNG with cairosvg; False (nothing written) when cairosvg is unavailable."""
    try:
        import cairosvg
    except (ImportError, OSError):
        return False
    cairosvg.svg2png(bytestring=svg_text.encode(), write_to=str(path), scale=scale)
    return True
