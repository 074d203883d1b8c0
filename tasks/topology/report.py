"""Diagram sets: the monthly drawing and the annual report coloured against the year's first snapshot.

merged, status = merge_for_report(first, last)    # last + what was removed; element id -> status
pages = report_pages(first, last, keep)           # overview, pairs, changes, legend
files = write_outputs(pages, out_dir, stem, diff, graph=(merged, status))
                                                  # .drawio, .svg/.png per page, changes .md/.csv, .graphml
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from netsteward.tasks.core.i18n import _
from netsteward.tasks.topology.changes import (
    change_header,
    change_rows,
    changes_csv,
    diff_markdown,
    fit_text,
    shown_row,
)
from netsteward.tasks.topology.export.drawio import drawio_xml
from netsteward.tasks.topology.export.graphml import write_graphml
from netsteward.tasks.topology.export.style import LEGEND_ROLES, ROLE_TITLES
from netsteward.tasks.topology.export.svg import page_svg, write_png
from netsteward.tasks.topology.layout import layout
from netsteward.tasks.topology.model import (
    Link,
    Snapshot,
    TopologyDiff,
    diff_snapshots,
)
from netsteward.tasks.topology.shapes import (
    MARGIN,
    NODE_H,
    NODE_W,
    Box,
    Edge,
    Page,
    node_id,
    place_labels,
)

CHANGES_SHOWN = 60  # rows on the Changes page; the CSV has them all


def merge_for_report(
    first: Snapshot, last: Snapshot
) -> tuple[Snapshot, dict[str, str], TopologyDiff]:
    """The last snapshot plus what the year removed, and the colour status of every element."""
    d = diff_snapshots(first, last)
    nodes = dict(last.nodes)
    links = dict(last.links)
    status: dict[str, str] = {}
    for n in d.added_nodes:
        status[node_id(n.name)] = "added"
    for n in d.removed_nodes:
        nodes[n.name] = n
        status[node_id(n.name)] = "removed"
    for c in d.changed_nodes:
        status[node_id(c.new.name)] = "changed"
    for lk in d.added_links:
        status["l:" + lk.key] = "added"
    for lk in d.removed_links:
        if lk.a in nodes and lk.b in nodes:
            links[lk.key] = lk
            status["l:" + lk.key] = "removed"
    for ch in d.changed_links:
        status["l:" + ch.new.key] = "changed"
    # an access group box is "changed" when anything in it changed (its devices or their links)
    for name, node in nodes.items():
        if node.role == "access" and node_id(name) in status and node.uplink_pair:
            status.setdefault("g:" + node.uplink_pair, "changed")
    for key, lk in links.items():
        if "l:" + key in status:
            for end in (lk.a, lk.b):
                end_node = nodes.get(end)
                if end_node is not None and end_node.role == "access" and end_node.uplink_pair:
                    status.setdefault("g:" + end_node.uplink_pair, "changed")
    merged = Snapshot(
        date=last.date,
        nodes=dict(sorted(nodes.items())),
        links=dict(sorted(links.items())),
        unreachable=last.unreachable,
    )
    return merged, status, d


def changes_page(d: TopologyDiff, title: str) -> Page:
    page = Page("changes", _("Changes"))
    page.boxes.append(Box("t:changes", MARGIN, MARGIN, 900, 30, [title], "title"))
    rows = change_rows(d)
    counts = _(
        "{added} devices added, {removed} removed, {replaced} replaced; "
        "{links_added} links added, {links_removed} removed, {links_changed} changed"
    ).format(
        added=len(d.added_nodes),
        removed=len(d.removed_nodes),
        replaced=len(d.changed_nodes),
        links_added=len(d.added_links),
        links_removed=len(d.removed_links),
        links_changed=len(d.changed_links),
    )
    page.boxes.append(Box("t:counts", MARGIN, MARGIN + 34, 900, 20, [counts], "text"))
    y = MARGIN + 70
    widths = (90, 70, 420, 420, 420, 200)
    header = change_header()
    statuses = [""] + [r.change for r in rows[:CHANGES_SHOWN]]
    for i, row in enumerate([header, *[shown_row(r) for r in rows[:CHANGES_SHOWN]]]):
        x = MARGIN
        status = statuses[i]
        for j, (cell, w) in enumerate(zip(row, widths, strict=True)):
            text = fit_text(cell, w // 6)
            page.boxes.append(
                Box(f"c:{i}:{j}", x, y, w, 22, [text], "cell" if i else "header", status)
            )
            x += w
        y += 22
    if len(rows) > CHANGES_SHOWN:
        page.boxes.append(
            Box(
                "t:more",
                MARGIN,
                y + 10,
                900,
                20,
                [
                    _("... and {n} more rows: see the changes CSV / Markdown.").format(
                        n=len(rows) - CHANGES_SHOWN
                    )
                ],
                "text",
            )
        )
    if not rows:
        page.boxes.append(Box("t:none", MARGIN, y + 10, 900, 20, [_("No changes.")], "text"))
    page.fit()
    return page


def legend_page() -> Page:
    page = Page("legend", _("Legend"))
    page.boxes.append(Box("t:legend", MARGIN, MARGIN, 600, 30, [_("Legend")], "title"))
    y = MARGIN + 50
    for role in LEGEND_ROLES:
        page.boxes.append(
            Box(
                f"r:{role}",
                MARGIN,
                y,
                NODE_W * 1.8,
                NODE_H - 10,
                [_(ROLE_TITLES[role])],
                role if role != "group" else "group",
            )
        )
        y += NODE_H + 4
    y2 = MARGIN + 50
    x = MARGIN + NODE_W * 1.8 + 80
    for status, text in (
        ("added", _("Added this year")),
        ("removed", _("Removed this year (kept in place)")),
        ("changed", _("Changed: device replaced, port moved, LAG members changed")),
    ):
        page.boxes.append(
            Box(f"s:{status}", x, y2, NODE_W * 2.8, NODE_H - 10, [text], "access", status)
        )
        y2 += NODE_H + 4
    for i, (status, seen, kind, text) in enumerate(
        (
            ("", "both", "physical", _("Cable seen by LLDP at both ends")),
            ("", "both", "lag", _("Link aggregation (LAG), members in its metadata")),
            ("", "one-sided", "physical", _("Seen from one end only")),
            ("", "declared", "physical", _("Declared in the inventory (firewalls, FC)")),
            ("added", "both", "physical", _("Link added")),
            ("removed", "both", "physical", _("Link removed")),
            ("changed", "both", "physical", _("Link changed")),
        )
    ):
        yy = y2 + 20 + i * 30
        a = Box(f"e:{i}:a", x, yy, 1, 1, [], "text")
        b = Box(f"e:{i}:b", x + 120, yy, 1, 1, [text], "text")
        page.boxes += [a, b]
        page.boxes.append(Box(f"e:{i}:t", x + 130, yy - 14, 420, 20, [text], "text"))
        b.label = []
        e = Edge(
            f"e:{i}",
            a.id,
            b.id,
            [(x, yy), (x + 120, yy)],
            "GE0/0/1",
            "XGE1/0/9",
            status=status,
            seen=seen,
            kind=kind,
        )
        place_labels(e)
        page.edges.append(e)
    page.fit()
    return page


def report_pages(
    first: Snapshot,
    last: Snapshot,
    keep: dict[str, tuple[float, float]] | None = None,
    title: str | None = None,
) -> tuple[list[Page], TopologyDiff]:
    merged, status, d = merge_for_report(first, last)
    return merged_pages(merged, status, d, keep, title), d


def merged_pages(
    merged: Snapshot,
    status: dict[str, str],
    d: TopologyDiff,
    keep: dict[str, tuple[float, float]] | None = None,
    title: str | None = None,
) -> list[Page]:
    """The report's pages from `merge_for_report`'s result: overview, pairs, changes, legend."""
    pages = layout(merged, status, keep)
    pages.append(
        changes_page(
            d, title or _("Changes {old} \u2192 {new}").format(old=d.old_date, new=d.new_date)
        )
    )
    pages.append(legend_page())
    return pages


def _file_stem(page: Page) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", page.id)


def write_outputs(
    pages: list[Page],
    out: Path,
    stem: str,
    d: TopologyDiff | None,
    png: bool = True,
    graph: tuple[Snapshot, dict[str, str]] | None = None,
) -> list[Path]:
    """The draw.io file, one SVG (and PNG) per page, the changes table as Markdown and CSV,
    and with `graph` (a snapshot and its change status) the graph as GraphML."""
    # everything is rendered before anything is written: a page that cannot be rendered
    # leaves no partial set of files behind
    texts: list[tuple[Path, str]] = [(out / f"{stem}.drawio", drawio_xml(pages))]
    svgs = [(out / f"{stem}-{_file_stem(page)}.svg", page_svg(page)) for page in pages]
    texts += svgs
    if d is not None:
        texts.append((out / f"{stem}-changes.md", diff_markdown(d)))
        texts.append((out / f"{stem}-changes.csv", changes_csv(d)))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in texts:
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if png:
        for svg, svg_text in svgs:
            if write_png(svg_text, svg.with_suffix(".png")):
                written.append(svg.with_suffix(".png"))
    if graph is not None:
        written.append(write_graphml(graph[0], out / f"{stem}.graphml", graph[1]))
    return written


def empty_diff(snap: Snapshot) -> TopologyDiff:
    return diff_snapshots(snap, replace(snap))


__all__ = [
    "Link",
    "empty_diff",
    "merge_for_report",
    "merged_pages",
    "report_pages",
    "write_outputs",
]
