"""Topology diff as rows, Markdown and CSV (the report's changes table).

change_rows(diff) -> list[ChangeRow]      # one row per added/removed/changed node or link
diff_markdown(diff) -> str
changes_csv(diff) -> str
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from netsteward.tasks.core.ifnames import short_name
from netsteward.tasks.topology.model import Link, TopologyDiff


@dataclass(frozen=True)
class ChangeRow:
    change: str  # added | removed | changed
    what: str  # device | link
    name: str  # device name or link key
    before: str
    after: str
    detail: str


def _link_text(lk: Link, platforms: dict[str, str] | None = None) -> str:
    """`A GE0/0/1 <-> B XGE1/0/9`, LAG members in brackets; short port names where the platform is known."""
    plat = platforms or {}

    def sa(port: str) -> str:
        return short_name(plat.get(lk.a), port) if lk.a in plat else port

    def sb(port: str) -> str:
        return short_name(plat.get(lk.b), port) if lk.b in plat else port

    text = f"{lk.a} {sa(lk.a_port)} <-> {lk.b} {sb(lk.b_port)}"
    if lk.kind == "lag":
        text += " [" + ", ".join(f"{sa(a)}={sb(b)}" for a, b in lk.members) + "]"
    if lk.seen != "both":
        text += f" ({lk.seen})"
    return text


def change_rows(d: TopologyDiff) -> list[ChangeRow]:
    rows: list[ChangeRow] = []
    for n in d.added_nodes:
        rows.append(
            ChangeRow(
                "added", "device", n.name, "", f"{n.model} {n.serial}".strip(), n.role or n.kind
            )
        )
    for n in d.removed_nodes:
        rows.append(
            ChangeRow(
                "removed", "device", n.name, f"{n.model} {n.serial}".strip(), "", n.role or n.kind
            )
        )
    for c in d.changed_nodes:
        before = ", ".join(f"{f}={getattr(c.old, f)}" for f in c.fields)
        after = ", ".join(f"{f}={getattr(c.new, f)}" for f in c.fields)
        rows.append(ChangeRow("changed", "device", c.new.name, before, after, "device replaced"))
    for lk in d.added_links:
        rows.append(ChangeRow("added", "link", lk.key, "", _link_text(lk, d.platforms), lk.kind))
    for lk in d.removed_links:
        rows.append(ChangeRow("removed", "link", lk.key, _link_text(lk, d.platforms), "", lk.kind))
    for ch in d.changed_links:
        rows.append(
            ChangeRow(
                "changed",
                "link",
                ch.new.key,
                _link_text(ch.old, d.platforms),
                _link_text(ch.new, d.platforms),
                "; ".join(ch.reasons),
            )
        )
    return rows


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(d: TopologyDiff, title: str | None = None) -> str:
    rows = change_rows(d)
    lines = [f"## {title or f'Topology changes {d.old_date} -> {d.new_date}'}", ""]
    counts = {
        "devices added": len(d.added_nodes),
        "devices removed": len(d.removed_nodes),
        "devices replaced": len(d.changed_nodes),
        "links added": len(d.added_links),
        "links removed": len(d.removed_links),
        "links changed": len(d.changed_links),
    }
    lines.append(", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
    lines.append("")
    if not rows:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    lines += ["| change | what | name | before | after | detail |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(
                _md_cell(x) for x in (r.change, r.what, r.name, r.before, r.after, r.detail)
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def changes_csv(d: TopologyDiff) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["from", "to", "change", "what", "name", "before", "after", "detail"])
    for r in change_rows(d):
        writer.writerow(
            [d.old_date, d.new_date, r.change, r.what, r.name, r.before, r.after, r.detail]
        )
    return out.getvalue()
