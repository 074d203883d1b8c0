"""Renderers for a `DriftReport`: console text, Markdown (CI job summary), JUnit XML, JSON.

Pure functions returning strings (or a JSON-ready dict); the playbook writes them out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from netsteward.tasks.core.escape import md, md_fenced, printable_tree
from netsteward.tasks.core.i18n import _, pgettext
from netsteward.tasks.drift.model import (
    Check,
    CheckResult,
    DriftReport,
    Status,
)

# Long diffs are cut in the human renderings (JUnit and JSON always carry them whole).
CONSOLE_DIFF_LINES = 40
MARKDOWN_DIFF_LINES = 80
MARKDOWN_MAX_DETAILS = 100
MARKDOWN_MAX_BYTES = 800_000


def _cut(text: str, limit: int) -> str:
    lines = text.splitlines()
    if len(lines) <= limit:
        return "\n".join(lines)
    return "\n".join([*lines[:limit], _("... {n} more line(s)").format(n=len(lines) - limit)])


def _changed_part(r: CheckResult, prefix: str = "") -> str:
    """What drifted: the diff, or the new violations (known ones are not drift)."""
    if r.check in (Check.PORT_POLICY, Check.FIREWALL):
        return "\n".join(prefix + _("new: {violation}").format(violation=v.line()) for v in r.new)
    return r.diff


def check_label(check: Check | str) -> str:
    """A check id (`config`, `port_policy`, `firewall`, `topology`) as people read it."""
    labels = {
        "config": lambda: pgettext("check", "config"),
        "port_policy": lambda: pgettext("check", "port_policy"),
        "firewall": lambda: pgettext("check", "firewall"),
        "topology": lambda: pgettext("check", "topology"),
    }
    return labels[str(check)]() if str(check) in labels else str(check)


def verdict(report: DriftReport) -> str:
    unreadable = report.unreadable
    drifted_hosts = sorted({r.host for r in report.drifted})
    if unreadable:
        extra = _("; drift on {n} device(s)").format(n=len(drifted_hosts)) if drifted_hosts else ""
        return _("{n} device(s) could not be read").format(n=len(unreadable)) + extra
    if drifted_hosts:
        return _("drift on {n} device(s)").format(n=len(drifted_hosts))
    return _("no drift")


def _headline(report: DriftReport) -> str:
    text = (
        _(
            "committed backups at {live} against the approved state {approved} ({n} device(s), {when})"
        )
        if report.offline
        else _("live devices against the approved state {approved} ({n} device(s), {when})")
    )
    return text.format(
        live=report.live,
        approved=report.approved,
        n=len(report.devices),
        when=report.checked_at,
    )


def _cell(text: str, width: int, right: bool = False) -> str:
    from netsteward.tasks.firewall.report import cell_width

    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def render_console(report: DriftReport, *, diff_lines: int = CONSOLE_DIFF_LINES) -> str:
    out = [_("netsteward drift: {headline}").format(headline=_headline(report)), ""]
    counts = report.counts()
    head = (_("check"), _("clean"), pgettext("status", "drift"), _("unreadable"))
    out.append(
        f"{_cell(head[0], 12)} {_cell(head[1], 6, True)} {_cell(head[2], 6, True)} {_cell(head[3], 10, True)}"
    )
    for check, row in counts.items():
        out.append(
            f"{_cell(check_label(check), 12)} {row['clean']:>6} {row['drift']:>6} {row['unreadable']:>10}"
        )
    known = report.known_violations()
    if known:
        out.append(_("known violations (already in the approved state): {n}").format(n=known))
    for note in report.notes:
        out.append(_("note: {note}").format(note=note))
    for r in report.drifted:
        out.append("")
        out.append(
            _("DRIFT {check} {host}: {summary}").format(
                check=check_label(r.check), host=r.host, summary=r.summary
            )
        )
        details = _changed_part(r)
        if details:
            out.extend("  " + ln for ln in _cut(details, diff_lines).splitlines())
    unreadable = report.unreadable
    if unreadable:
        out.append("")
        for host, reason in unreadable.items():
            out.append(_("UNREADABLE {host}: {reason}").format(host=host, reason=reason))
    out.append("")
    out.append(
        _("result: {verdict} (exit {code})").format(verdict=verdict(report), code=report.exit_code)
    )
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    """Device text in a cell or a <summary>: no markup passes (netsteward.tasks.core.escape)."""
    return md(text)


def render_markdown(
    report: DriftReport,
    *,
    diff_lines: int = MARKDOWN_DIFF_LINES,
    max_details: int = MARKDOWN_MAX_DETAILS,
) -> str:
    icon = {0: "✅", 1: "❌", 3: "⚠️"}[report.exit_code]
    out = [
        f"## {icon} " + _("netsteward drift: {headline}").format(headline=verdict(report)),
        "",
        _headline(report) + _("."),
        "",
    ]
    head = (_("check"), _("clean"), pgettext("status", "drift"), _("unreadable"))
    out += ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|"]
    for check, row in report.counts().items():
        out.append(
            f"| {check_label(check)} | {row['clean']} | {row['drift']} | {row['unreadable']} |"
        )
    out.append("")
    known = report.known_violations()
    if known:
        out.append(
            _("Known violations (already in the approved state, not drift): {n}.").format(n=known)
        )
        out.append("")
    for note in report.notes:
        out.append(f"> {_md_escape(note)}")
        out.append("")
    unreadable = report.unreadable
    if unreadable:
        out += [
            "### " + _("Devices that could not be read"),
            "",
            f"| {_('device')} | {_('reason')} |",
            "|---|---|",
        ]
        out += [f"| {_md_escape(h)} | {_md_escape(reason)} |" for h, reason in unreadable.items()]
        out.append("")
    drifted = report.drifted
    if drifted:
        out += [
            "### " + _("Drift"),
            "",
            f"| {_('device')} | {_('check')} | {_('what')} |",
            "|---|---|---|",
        ]
        out += [
            f"| {_md_escape(r.host)} | {check_label(r.check)} | {_md_escape(r.summary)} |"
            for r in drifted
        ]
        out.append("")
        shown = 0
        size = sum(len(line) + 1 for line in out)
        for r in drifted[:max_details]:
            body = _changed_part(r, prefix="+ ")
            fence = "diff" if r.check is not Check.TOPOLOGY else "text"
            block = [
                f"<details><summary>{_md_escape(r.host)} · {check_label(r.check)} · "
                f"{_md_escape(r.summary)}</summary>",
                "",
                f"```{fence}",
                md_fenced(_cut(body, diff_lines)),
                "```",
                "",
                "</details>",
                "",
            ]
            size += sum(len(line) + 1 for line in block)
            if size > MARKDOWN_MAX_BYTES:  # GitHub caps a job summary at 1 MiB
                break
            out += block
            shown += 1
        if len(drifted) > shown:
            out.append(
                _("... and {n} more; see the JUnit report or `--json`.").format(
                    n=len(drifted) - shown
                )
            )
            out.append("")
    out.append(
        _(
            'To approve a drift: `netsteward drift accept HOST... --reason "why"` '
            "(takes a fresh backup and commits it with the reason)."
        )
    )
    return "\n".join(out) + "\n"


def render_junit(report: DriftReport) -> str:
    """JUnit XML: one <testsuite> per check, one <testcase> per device.

    Drift is a <failure> whose text is the diff (or the new violations); a device that could
    not be read is an <error>, so no CI system shows it as passed.
    """
    root = ET.Element("testsuites", name="netsteward drift")
    by_check: dict[Check, list[CheckResult]] = {}
    for r in report.results:
        by_check.setdefault(r.check, []).append(r)
    roles = {d.host: d for d in report.devices}
    total = fails = errors = 0
    for check in Check:
        results = by_check.get(check)
        if not results:
            continue
        f = sum(r.status is Status.DRIFT for r in results)
        e = sum(r.status is Status.UNREADABLE for r in results)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"drift.{check}",
            tests=str(len(results)),
            failures=str(f),
            errors=str(e),
            skipped="0",
            timestamp=report.checked_at,
        )
        for r in sorted(results, key=lambda r: r.host):
            info = roles.get(r.host)
            classname = f"drift.{check}" + (f".{info.network}.{info.role}" if info else "")
            case = ET.SubElement(suite, "testcase", classname=classname, name=r.host, time="0")
            if r.status is Status.DRIFT:
                el = ET.SubElement(case, "failure", message=r.summary, type=f"{check}_drift")
                el.text = r.details()
            elif r.status is Status.UNREADABLE:
                el = ET.SubElement(case, "error", message=r.summary, type="unreadable")
                el.text = r.summary
            elif r.known:
                out = ET.SubElement(case, "system-out")
                out.text = r.details()
        total += len(results)
        fails += f
        errors += e
    root.set("tests", str(total))
    root.set("failures", str(fails))
    root.set("errors", str(errors))
    printable_tree(root)  # device text: no character XML forbids
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def report_counts(report: DriftReport) -> dict[str, int]:
    """The `--json` envelope's counts: devices by their worst status, and known violations."""
    worst: dict[str, Status] = {d.host: Status.CLEAN for d in report.devices}
    for r in report.results:
        if r.status is Status.UNREADABLE or worst.get(r.host) is Status.CLEAN:
            worst[r.host] = r.status
    return {
        "devices": len(report.devices),
        "clean": sum(1 for s in worst.values() if s is Status.CLEAN),
        "drifted": sum(1 for s in worst.values() if s is Status.DRIFT),
        "unreadable": sum(1 for s in worst.values() if s is Status.UNREADABLE),
        "known_violations": report.known_violations(),
    }


def report_json(report: DriftReport) -> dict[str, Any]:
    """The `--json` document's own fields (after the envelope's command, exit code and
    counts): summary, counts per check, and each non-clean result in full."""

    def violation(v: Any) -> dict[str, str]:
        return {"subject": v.subject, "kind": v.kind, "severity": v.severity, "detail": v.detail}

    def result(r: CheckResult) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "host": r.host,
            "check": str(r.check),
            "status": str(r.status),
            "summary": r.summary,
        }
        if r.diff:
            doc["diff"] = r.diff
        if r.check in (Check.PORT_POLICY, Check.FIREWALL):
            doc["new"] = [violation(v) for v in r.new]
            doc["known"] = [violation(v) for v in r.known]
            doc["resolved"] = [violation(v) for v in r.resolved]
        return doc

    return {
        "verdict": verdict(report),
        "offline": report.offline,
        "approved": report.approved,
        "live": report.live,
        "checked_at": report.checked_at,
        "devices": len(report.devices),
        "by_check": report.counts(),
        "known_violations": report.known_violations(),
        "unreadable": [{"host": h, "reason": why} for h, why in report.unreadable.items()],
        "drift": [result(r) for r in report.drifted],
        "known": [result(r) for r in report.results if r.known and r.status is Status.CLEAN],
        "notes": list(report.notes),
    }
