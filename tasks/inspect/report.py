"""The daily inspection as Markdown and HTML, and the JSON document of `--json`.

Device text (evidence lines) is escaped for Markdown tables and HTML; every heading goes
through `_()`.
"""

from __future__ import annotations

from typing import Any

from netsteward.tasks.core.escape import html as escape_html
from netsteward.tasks.core.escape import md, md_code
from netsteward.tasks.core.i18n import _
from netsteward.tasks.inspect.history import Inspection
from netsteward.tasks.inspect.model import SEVERITIES, Finding
from netsteward.tasks.inspect.summary import Summary
from netsteward.tasks.inspect.workbook import check_label, count_rows, severity_label


def _md(text: object) -> str:
    return md(text)


def _value(f: Finding) -> str:
    if isinstance(f.value, float):
        return f"{f.value:g}"
    return "" if f.value is None else str(f.value)


def _status(f: Finding) -> str:
    return {"new": _("new"), "open": _("open"), "cleared": _("cleared")}.get(f.status, f.status)


def markdown(ins: Inspection, s: Summary) -> str:
    out = [f"# {_('Daily inspection {date}').format(date=s.date)}", ""]
    out.append(
        _("Started {started}; compared with {previous}.").format(
            started=s.started, previous=s.previous or _("no earlier inspection")
        )
    )
    out += ["", f"| {_('What')} | {_('Count')} |", "|---|---:|"]
    out += [f"| {label} | {value} |" for label, value in count_rows(s)]
    out += [
        "",
        f"## {_('Anomalies by room')}",
        "",
        f"| {_('Room')} | {_('Devices')} | "
        + " | ".join(severity_label(x) for x in SEVERITIES)
        + " |",
        "|---|---:|" + "---:|" * len(SEVERITIES),
    ]
    for room, c in s.by_room.items():
        if any(c.get(x) for x in SEVERITIES):
            out.append(
                f"| {_md(room)} | {c['devices']} | "
                + " | ".join(str(c.get(x, 0)) for x in SEVERITIES)
                + " |"
            )
    out += ["", f"## {_('Anomalies')}", ""]
    if not s.findings:
        out.append(_("None."))
    else:
        cols = [
            _("Severity"),
            _("Status"),
            _("Device"),
            _("Check"),
            _("Item"),
            _("Finding"),
            _("Value"),
            _("Threshold"),
            _("Evidence"),
        ]
        out += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for f in s.findings:
            row = [
                severity_label(f.severity),
                _status(f),
                f.host,
                check_label(f.check),
                f.item,
                f.message,
                _value(f),
                f.threshold,
                f"`{md_code(f.evidence)}`" if f.evidence else "",
            ]
            out.append("| " + " | ".join(_md(c) if i != 8 else c for i, c in enumerate(row)) + " |")
    if ins.cleared:
        out += ["", f"## {_('Cleared since the previous inspection')}", ""]
        out += [
            f"- {_md(f.host)} {check_label(f.check)} {_md(f.item)}: {_md(f.message)}"
            for f in ins.cleared
        ]
    return "\n".join(out) + "\n"


_CSS = """body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}.critical{background:#f8696b}.major{background:#ffb366}.minor{background:#ffe699}
.new{font-weight:bold}code{font-size:90%}"""


def html_report(ins: Inspection, s: Summary) -> str:
    e = escape_html
    title = _("Daily inspection {date}").format(date=s.date)
    parts = [
        "<!DOCTYPE html>",
        f'<html><head><meta charset="utf-8"><title>{e(title)}</title><style>{_CSS}</style></head><body>',
        f"<h1>{e(title)}</h1>",
        f"<p>{e(_('Started {started}; compared with {previous}.').format(started=s.started, previous=s.previous or _('no earlier inspection')))}</p>",
        "<table>"
        + "".join(f"<tr><th>{e(label)}</th><td>{e(str(v))}</td></tr>" for label, v in count_rows(s))
        + "</table>",
        f"<h2>{e(_('Anomalies by room'))}</h2><table><tr><th>{e(_('Room'))}</th><th>{e(_('Devices'))}</th>"
        + "".join(f"<th>{e(severity_label(x))}</th>" for x in SEVERITIES)
        + "</tr>",
    ]
    for room, c in s.by_room.items():
        if any(c.get(x) for x in SEVERITIES):
            parts.append(
                f"<tr><td>{e(room)}</td><td>{c['devices']}</td>"
                + "".join(
                    f'<td class="{x if c.get(x) else ""}">{c.get(x, 0)}</td>' for x in SEVERITIES
                )
                + "</tr>"
            )
    parts.append("</table>")
    parts.append(f"<h2>{e(_('Anomalies'))}</h2>")
    if s.findings:
        cols = [
            _("Severity"),
            _("Status"),
            _("Device"),
            _("Check"),
            _("Item"),
            _("Finding"),
            _("Value"),
            _("Threshold"),
            _("Evidence"),
        ]
        parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>")
        for f in s.findings:
            cells = [f.host, check_label(f.check), f.item, f.message, _value(f), f.threshold]
            parts.append(
                f'<tr><td class="{e(f.severity)}">{e(severity_label(f.severity))}</td>'
                f'<td class="{e(f.status)}">{e(_status(f))}</td>'
                + "".join(f"<td>{e(str(c))}</td>" for c in cells)
                + f"<td><code>{e(f.evidence)}</code></td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p>{e(_('None.'))}</p>")
    if ins.cleared:
        parts.append(f"<h2>{e(_('Cleared since the previous inspection'))}</h2><ul>")
        parts += [
            f"<li>{e(f.host)} {e(check_label(f.check))} {e(f.item)}: {e(f.message)}</li>"
            for f in ins.cleared
        ]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "host": f.host,
        "check": f.check,
        "item": f.item,
        "kind": f.kind,
        "severity": f.severity,
        "status": f.status,
        "message": f.message,
        "value": f.value,
        "threshold": f.threshold,
        "evidence": f.evidence,
        "command": f.command,
        "line": f.line,
    }


def as_json(ins: Inspection, s: Summary, files: dict[str, str]) -> dict[str, Any]:
    return {
        "date": s.date,
        "started": s.started,
        "previous": s.previous or None,
        "seconds": ins.seconds,
        "counts": {
            "devices": s.devices,
            "read": s.read,
            "unreachable": s.unreachable,
            "unread_displays": s.gaps,
            "findings": s.total,
            "by_severity": s.by_severity,
            "new": s.new,
            "cleared": s.cleared,
        },
        "by_room": s.by_room,
        "unreachable": [
            {"host": d.host, "reason": d.reason} for d in ins.devices if not d.reachable
        ],
        "findings": [finding_json(f) for f in s.findings],
        "cleared": [finding_json(f) for f in ins.cleared],
        "files": files,
    }
