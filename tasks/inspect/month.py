"""The month's inspection report (`inspect report --month 2026-11`) for the contract's
monthly report: the runs of the month (the last of each day), every anomaly with the days
it was open, what is still open at the month's end, what cleared, unreachable device-days.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from netsteward.tasks.core.i18n import _
from netsteward.tasks.inspect.history import Inspection
from netsteward.tasks.inspect.model import SEVERITIES, Finding, severity_rank
from netsteward.tasks.inspect.workbook import check_label, severity_label


@dataclass
class Anomaly:
    finding: Finding  # its latest occurrence
    first: str  # day
    last: str
    days: int
    worst: str
    open_at_end: bool


@dataclass
class MonthReport:
    month: str
    runs: int
    days: list[str]
    devices: int
    unreachable_days: dict[str, int]  # host -> days it could not be read
    anomalies: list[Anomaly] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "days": len(self.days),
            "devices": self.devices,
            "anomalies": len(self.anomalies),
            "by_severity": {s: sum(1 for a in self.anomalies if a.worst == s) for s in SEVERITIES},
            "open_at_end": sum(1 for a in self.anomalies if a.open_at_end),
            "cleared": sum(1 for a in self.anomalies if not a.open_at_end),
            "unreachable_device_days": sum(self.unreachable_days.values()),
        }


def build(month: str, runs: list[Inspection]) -> MonthReport:
    daily: dict[str, Inspection] = {}
    for ins in runs:
        daily[ins.date] = ins  # the last run of each day
    days = sorted(daily)
    seen: dict[str, Anomaly] = {}
    unreachable: Counter[str] = Counter()
    for day in days:
        for d in daily[day].devices:
            if not d.reachable:
                unreachable[d.host] += 1
            for f in d.findings:
                a = seen.get(f.key)
                if a is None:
                    seen[f.key] = Anomaly(f, day, day, 1, f.severity, False)
                else:
                    a.finding, a.last, a.days = f, day, a.days + 1
                    if severity_rank(f.severity) < severity_rank(a.worst):
                        a.worst = f.severity
    last_keys = {f.key for d in daily[days[-1]].devices for f in d.findings} if days else set()
    for key, a in seen.items():
        a.open_at_end = key in last_keys
    anomalies = sorted(
        seen.values(), key=lambda a: (severity_rank(a.worst), -a.days, a.finding.host)
    )
    return MonthReport(
        month=month,
        runs=len(runs),
        days=days,
        devices=max((len(i.devices) for i in runs), default=0),
        unreachable_days=dict(unreachable.most_common()),
        anomalies=anomalies,
    )


def _rows(r: MonthReport) -> list[list[object]]:
    return [
        [
            severity_label(a.worst),
            a.finding.host,
            check_label(a.finding.check),
            a.finding.item,
            a.finding.message,
            a.first,
            a.last,
            a.days,
            _("open") if a.open_at_end else _("cleared"),
        ]
        for a in r.anomalies
    ]


def _columns() -> list[str]:
    return [
        _("Severity"),
        _("Device"),
        _("Check"),
        _("Item"),
        _("Finding"),
        _("First seen"),
        _("Last seen"),
        _("Days"),
        _("At month end"),
    ]


def _count_rows(r: MonthReport) -> list[tuple[str, object]]:
    c = r.counts()
    return [
        (_("Inspection runs"), c["runs"]),
        (_("Days inspected"), c["days"]),
        (_("Devices"), c["devices"]),
        (_("Anomalies"), c["anomalies"]),
        *(
            (_("Anomalies: {severity}").format(severity=severity_label(s)), c["by_severity"][s])
            for s in SEVERITIES
        ),
        (_("Still open at the month's end"), c["open_at_end"]),
        (_("Cleared during the month"), c["cleared"]),
        (_("Unreachable device-days"), c["unreachable_device_days"]),
    ]


def markdown(r: MonthReport) -> str:
    out = [f"# {_('Monthly inspection report {month}').format(month=r.month)}", ""]
    out += [f"| {_('What')} | {_('Count')} |", "|---|---:|"]
    out += [f"| {k} | {v} |" for k, v in _count_rows(r)]
    out += ["", f"## {_('Anomalies of the month')}", ""]
    cols = _columns()
    out += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in _rows(r)]
    if r.unreachable_days:
        out += ["", f"## {_('Devices not read')}", ""]
        out += [
            _("- {host}: {n} day(s)").format(host=h, n=n) for h, n in r.unreachable_days.items()
        ]
    return "\n".join(out) + "\n"


def html_report(r: MonthReport) -> str:
    e = html.escape
    title = _("Monthly inspection report {month}").format(month=r.month)
    parts = [
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(title)}</title></head><body>',
        f"<h1>{e(title)}</h1><table>",
        *(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in _count_rows(r)),
        "</table>",
        f"<h2>{e(_('Anomalies of the month'))}</h2><table><tr>"
        + "".join(f"<th>{e(c)}</th>" for c in _columns())
        + "</tr>",
        *("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in _rows(r)),
        "</table></body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_workbook(r: MonthReport, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Summary")
    ws["A1"] = _("Monthly inspection report {month}").format(month=r.month)
    ws["A1"].font = Font(bold=True, size=14)
    for i, (k, v) in enumerate(_count_rows(r), 3):
        ws.cell(row=i, column=1, value=k).font = Font(bold=True)
        ws.cell(row=i, column=2, value=v)
    ws.column_dimensions["A"].width = 36
    an = wb.create_sheet(_("Anomalies"))
    for c, name in enumerate(_columns(), 1):
        an.cell(row=1, column=c, value=name).font = Font(bold=True)
    for i, row in enumerate(_rows(r), 2):
        for c, v in enumerate(row, 1):
            an.cell(row=i, column=c, value=v)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def as_json(r: MonthReport, files: dict[str, str]) -> dict[str, Any]:
    return {
        "month": r.month,
        "days": r.days,
        "counts": r.counts(),
        "anomalies": [
            {
                "host": a.finding.host,
                "check": a.finding.check,
                "item": a.finding.item,
                "kind": a.finding.kind,
                "severity": a.worst,
                "message": a.finding.message,
                "first": a.first,
                "last": a.last,
                "days": a.days,
                "open_at_end": a.open_at_end,
            }
            for a in r.anomalies
        ],
        "unreachable_days": r.unreachable_days,
        "files": files,
    }
