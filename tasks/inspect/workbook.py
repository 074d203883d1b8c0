"""The daily sheet (巡检表) as an XLSX workbook (openpyxl): the summary page, one row per
device with each check's value and status, the anomalies page and the cleared page.

Every heading goes through `_()`, so the workbook follows the language set for the run.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from netsteward.tasks.core.i18n import _
from netsteward.tasks.inspect.history import Inspection
from netsteward.tasks.inspect.model import CHECKS, NOT_READ, OK, SEVERITIES, UNREAD, Finding
from netsteward.tasks.inspect.summary import Summary, summarise

FILL = {
    "critical": "F8696B",
    "major": "FFB366",
    "minor": "FFE699",
    UNREAD: "C9C9C9",
    OK: "C6EFCE",
    "new": "FFC7CE",
}
BOLD = Font(bold=True)


def check_label(check: str) -> str:
    labels = {
        "reachable": _("Reachable"),
        "cpu": _("CPU now / avg"),
        "memory": _("Memory"),
        "temperature": _("Temperature"),
        "fan": _("Fans"),
        "power": _("Power supplies"),
        "optics": _("Optics"),
        "errors": _("Port errors"),
        "uptime": _("Uptime"),
        "alarms": _("Critical logs"),
        "ntp": _("NTP"),
        "config_saved": _("Config saved"),
        "storage": _("Flash"),
        "sessions": _("Sessions"),
        "ha": _("HA"),
        "fc_switch": _("FC switch"),
    }
    return labels.get(check, check)


def severity_label(severity: str) -> str:
    return {"critical": _("critical"), "major": _("major"), "minor": _("minor")}.get(
        severity, severity
    )


FILLS = {
    key: PatternFill("solid", start_color=color, end_color=color) for key, color in FILL.items()
}


def _fill(cell: object, key: str) -> None:
    fill = FILLS.get(key)  # one PatternFill per colour, shared by every cell of that colour
    if fill is not None:
        cell.fill = fill  # type: ignore[attr-defined]


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, 1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = BOLD
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _summary_page(ws: Worksheet, s: Summary) -> None:
    ws.title = _("Summary")
    ws["A1"] = _("Daily inspection {date}").format(date=s.date)
    ws["A1"].font = Font(bold=True, size=14)
    rows = [
        (_("Started"), s.started),
        (_("Compared with"), s.previous or _("(first inspection)")),
        *count_rows(s, total=True),
    ]
    for i, (label, value) in enumerate(rows, 3):
        ws.cell(row=i, column=1, value=label).font = BOLD
        ws.cell(row=i, column=2, value=value)
    row = len(rows) + 5
    ws.cell(row=row, column=1, value=_("Anomalies by room")).font = BOLD
    _header_at(ws, row + 1, [_("Room"), _("Devices"), *(severity_label(x) for x in SEVERITIES)])
    for i, (room, counts) in enumerate(s.by_room.items(), row + 2):
        ws.cell(row=i, column=1, value=room)
        ws.cell(row=i, column=2, value=counts["devices"])
        for j, sev in enumerate(SEVERITIES, 3):
            cell = ws.cell(row=i, column=j, value=counts.get(sev, 0))
            if counts.get(sev):
                _fill(cell, sev)
    row += len(s.by_room) + 3
    ws.cell(row=row, column=1, value=_("Anomalies by check")).font = BOLD
    for i, (check, n) in enumerate(s.by_check.items(), row + 1):
        ws.cell(row=i, column=1, value=check_label(check))
        ws.cell(row=i, column=2, value=n)
    _widths(ws, [40, 26, 12, 12, 12])


def _header_at(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, 1):
        ws.cell(row=row, column=col, value=name).font = BOLD


def _devices_page(ws: Worksheet, ins: Inspection) -> None:
    ws.title = _("Devices")
    checks = list(CHECKS)
    _header(
        ws,
        1,
        [
            _("Device"),
            _("Platform"),
            _("Role"),
            _("Room"),
            _("Worst"),
            *(check_label(c) for c in checks),
        ],
    )
    for r, d in enumerate(sorted(ins.devices, key=lambda d: (d.room, d.host)), 2):
        worst = d.worst
        values = [
            d.host,
            d.platform,
            d.role,
            d.room,
            severity_label(worst) if worst else (_("ok") if d.reachable else _("unreachable")),
        ]
        for c, v in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=v)
        if worst:
            _fill(ws.cell(row=r, column=5), worst)
        for c, check in enumerate(checks, 6):
            res = d.checks.get(check)
            if res is None or res.status == NOT_READ:
                ws.cell(row=r, column=c, value=res.value if res and res.value else "-")
                continue
            text = res.value or ""
            if res.status not in (OK,):
                label = severity_label(res.status) if res.status in SEVERITIES else _("unread")
                text = f"{label}: {text}" if text and text != _("unread") else label
            cell = ws.cell(row=r, column=c, value=text)
            _fill(cell, res.status)
    _widths(ws, [20, 16, 12, 16, 11, *([16] * len(checks))])


def _findings_page(
    ws: Worksheet, title: str, findings: list[Finding], cleared: bool = False
) -> None:
    ws.title = title
    names = [
        _("Severity"),
        _("Status"),
        _("Device"),
        _("Check"),
        _("Item"),
        _("Finding"),
        _("Value"),
        _("Threshold"),
        _("Evidence"),
        _("Command"),
    ]
    _header(ws, 1, names)
    status_label = {"new": _("new"), "open": _("open"), "cleared": _("cleared")}
    for r, f in enumerate(findings, 2):
        row = [
            severity_label(f.severity),
            status_label.get(f.status, f.status),
            f.host,
            check_label(f.check),
            f.item,
            f.message,
            ""
            if f.value is None
            else (f.value if isinstance(f.value, (int, float)) else str(f.value)),
            f.threshold,
            f.evidence,
            f.command,
        ]
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=v)
            if c == 9:
                cell.alignment = Alignment(wrap_text=False)
        _fill(ws.cell(row=r, column=1), f.severity)
        if f.status == "new" and not cleared:
            _fill(ws.cell(row=r, column=2), "new")
    _widths(ws, [10, 9, 20, 16, 26, 60, 14, 36, 60, 40])


def write_workbook(ins: Inspection, path: Path, summary: Summary | None = None) -> Path:
    s = summary or summarise(ins)
    wb = Workbook()
    _summary_page(wb.active, s)  # type: ignore[arg-type]
    _devices_page(wb.create_sheet(), ins)
    _findings_page(wb.create_sheet(), _("Anomalies"), s.findings)
    _findings_page(wb.create_sheet(), _("Cleared"), ins.cleared, cleared=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def count_rows(s: Summary, total: bool = False) -> list[tuple[str, object]]:
    """The summary's counts as (label, value) rows: the sheet's summary page and the
    Markdown and HTML reports show the same ones (the sheet with the anomalies' total)."""
    return [
        (_("Devices inspected"), s.devices),
        (_("Devices read"), s.read),
        (_("Devices unreachable"), s.unreachable),
        (_("Devices with unread displays"), s.gaps),
        *([(_("Anomalies"), s.total)] if total else []),
        *(
            (_("Anomalies: {severity}").format(severity=severity_label(sev)), s.by_severity[sev])
            for sev in SEVERITIES
        ),
        (_("New since the previous inspection"), s.new),
        (_("Cleared since the previous inspection"), s.cleared),
    ]
