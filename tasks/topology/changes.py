"""Topology diff as rows, Markdown and CSV (the report's changes table).

change_rows(diff) -> list[ChangeRow]      # one row per added/removed/changed node or link
diff_markdown(diff) -> str
changes_csv(diff) -> str
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from netsteward.tasks.core.escape import md
from netsteward.tasks.core.i18n import N_, _, pgettext
from netsteward.tasks.core.ifnames import short_name
from netsteward.tasks.core.labels import role_label
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


HEADER = (N_("change"), N_("what"), N_("name"), N_("before"), N_("after"), N_("detail"))
# the reasons of a changed link or device (model.py), as people read them
REASONS = {
    "peer device changed": N_("peer device changed"),
    "port moved": N_("port moved"),
    "LAG members changed": N_("LAG members changed"),
    "device replaced": N_("device replaced"),
}


def change_header() -> tuple[str, ...]:
    return tuple(_(h) for h in HEADER)


def shown_row(r: ChangeRow) -> tuple[str, ...]:
    """A row as people read it (the CSV keeps the ids: added, device, access, ...)."""
    change = {
        "added": lambda: pgettext("change", "added"),
        "removed": lambda: pgettext("change", "removed"),
        "changed": lambda: pgettext("change", "changed"),
    }
    what = {
        "device": lambda: pgettext("change", "device"),
        "link": lambda: pgettext("change", "link"),
    }
    detail = "; ".join(_(REASONS[p]) if p in REASONS else p for p in r.detail.split("; "))
    if r.what == "device" and r.change != "changed":
        detail = role_label(r.detail)
    return (
        change[r.change]() if r.change in change else r.change,
        what[r.what]() if r.what in what else r.what,
        r.name,
        r.before,
        r.after,
        detail,
    )


def fit_text(text: str, columns: int) -> str:
    """`text` cut to `columns` (a CJK character takes two), with an ellipsis when cut."""
    import unicodedata

    used = 0
    out: list[str] = []
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > columns:
            return "".join(out[: max(0, len(out) - 1)]) + "\u2026"
        used += w
        out.append(ch)
    return text


def _md_cell(text: str) -> str:
    """Names and ports come from devices: nothing in them is markup."""
    return md(text)


def diff_markdown(d: TopologyDiff, title: str | None = None) -> str:
    rows = change_rows(d)
    heading = title or _("Topology changes {old} -> {new}").format(old=d.old_date, new=d.new_date)
    lines = [f"## {heading}", ""]
    lines.append(
        _(
            "{added} devices added, {removed} devices removed, {replaced} devices replaced, "
            "{links_added} links added, {links_removed} links removed, {links_changed} links changed."
        ).format(
            added=len(d.added_nodes),
            removed=len(d.removed_nodes),
            replaced=len(d.changed_nodes),
            links_added=len(d.added_links),
            links_removed=len(d.removed_links),
            links_changed=len(d.changed_links),
        )
    )
    lines.append("")
    if not rows:
        lines.append(_("No changes."))
        return "\n".join(lines) + "\n"
    lines += ["| " + " | ".join(change_header()) + " |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| " + " | ".join(_md_cell(x) for x in shown_row(r)) + " |")
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
