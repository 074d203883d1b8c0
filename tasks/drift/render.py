"""Renderers for a `DriftReport`: console text, Markdown (CI job summary), JUnit XML, JSON.

Pure functions returning strings (or a JSON-ready dict); the playbook writes them out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

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
    return "\n".join([*lines[:limit], f"... {len(lines) - limit} more line(s)"])


def _changed_part(r: CheckResult, prefix: str = "") -> str:
    """What drifted: the diff, or the new violations (known ones are not drift)."""
    if r.check in (Check.PORT_POLICY, Check.FIREWALL):
        return "\n".join(f"{prefix}new: {v.line()}" for v in r.new)
    return r.diff


def verdict(report: DriftReport) -> str:
    unreadable = report.unreadable
    drifted_hosts = sorted({r.host for r in report.drifted})
    if unreadable:
        extra = f"; drift on {len(drifted_hosts)} device(s)" if drifted_hosts else ""
        return f"{len(unreadable)} device(s) could not be read{extra}"
    if drifted_hosts:
        return f"drift on {len(drifted_hosts)} device(s)"
    return "no drift"


def _headline(report: DriftReport) -> str:
    live = "committed backups at " + report.live if report.offline else "live devices"
    return (
        f"{live} against the approved state {report.approved} "
        f"({len(report.devices)} device(s), {report.checked_at})"
    )


def render_console(report: DriftReport, *, diff_lines: int = CONSOLE_DIFF_LINES) -> str:
    out = ["netsteward drift: " + _headline(report), ""]
    counts = report.counts()
    out.append(f"{'check':<12} {'clean':>6} {'drift':>6} {'unreadable':>10}")
    for check, row in counts.items():
        out.append(f"{check:<12} {row['clean']:>6} {row['drift']:>6} {row['unreadable']:>10}")
    known = report.known_violations()
    if known:
        out.append(f"known violations (already in the approved state): {known}")
    for note in report.notes:
        out.append(f"note: {note}")
    for r in report.drifted:
        out.append("")
        out.append(f"DRIFT {r.check} {r.host}: {r.summary}")
        details = _changed_part(r)
        if details:
            out.extend("  " + ln for ln in _cut(details, diff_lines).splitlines())
    unreadable = report.unreadable
    if unreadable:
        out.append("")
        for host, reason in unreadable.items():
            out.append(f"UNREADABLE {host}: {reason}")
    out.append("")
    out.append(f"result: {verdict(report)} (exit {report.exit_code})")
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(
    report: DriftReport,
    *,
    diff_lines: int = MARKDOWN_DIFF_LINES,
    max_details: int = MARKDOWN_MAX_DETAILS,
) -> str:
    icon = {0: "✅", 1: "❌", 3: "⚠️"}[report.exit_code]
    out = [f"## {icon} netsteward drift: {verdict(report)}", "", _headline(report) + ".", ""]
    out += ["| check | clean | drift | unreadable |", "|---|---:|---:|---:|"]
    for check, row in report.counts().items():
        out.append(f"| {check} | {row['clean']} | {row['drift']} | {row['unreadable']} |")
    out.append("")
    known = report.known_violations()
    if known:
        out.append(f"Known violations (already in the approved state, not drift): {known}.")
        out.append("")
    for note in report.notes:
        out.append(f"> {note}")
        out.append("")
    unreadable = report.unreadable
    if unreadable:
        out += ["### Devices that could not be read", "", "| device | reason |", "|---|---|"]
        out += [f"| {h} | {_md_escape(reason)} |" for h, reason in unreadable.items()]
        out.append("")
    drifted = report.drifted
    if drifted:
        out += ["### Drift", "", "| device | check | what |", "|---|---|---|"]
        out += [f"| {r.host} | {r.check} | {_md_escape(r.summary)} |" for r in drifted]
        out.append("")
        shown = 0
        size = sum(len(line) + 1 for line in out)
        for r in drifted[:max_details]:
            body = _changed_part(r, prefix="+ ")
            fence = "diff" if r.check is not Check.TOPOLOGY else "text"
            block = [
                f"<details><summary>{r.host} · {r.check} · {_md_escape(r.summary)}</summary>",
                "",
                f"```{fence}",
                _cut(body, diff_lines).replace("```", "` ` `"),
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
            out.append(f"... and {len(drifted) - shown} more; see the JUnit report or `--json`.")
            out.append("")
    out.append(
        'To approve a drift: `netsteward drift accept HOST... --reason "why"` '
        "(takes a fresh backup and commits it with the reason)."
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
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def report_json(report: DriftReport) -> dict[str, Any]:
    """The `--json` document: summary, counts, and each non-clean result in full."""

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
        "exit_code": report.exit_code,
        "verdict": verdict(report),
        "offline": report.offline,
        "approved": report.approved,
        "live": report.live,
        "checked_at": report.checked_at,
        "devices": len(report.devices),
        "counts": report.counts(),
        "known_violations": report.known_violations(),
        "unreadable": [{"host": h, "reason": why} for h, why in report.unreadable.items()],
        "drift": [result(r) for r in report.drifted],
        "known": [result(r) for r in report.results if r.known and r.status is Status.CLEAN],
        "notes": list(report.notes),
    }
