"""Firewall audit reports: plain table, Markdown, HTML, JSON and SARIF 2.1.0 (pure text builders)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from netsteward.tasks.core.escape import html as escape_html
from netsteward.tasks.core.escape import md, md_code
from netsteward.tasks.core.i18n import N_, _, current_language
from netsteward.tasks.core.labels import severity_label
from netsteward.tasks.firewall.audit import (
    CHECKS,
    SEVERITY,
    AuditResult,
    Exposure,
    Finding,
)

CHECK_TEXT = {
    "EXCESS_EXPOSURE": N_(
        "A source outside the intent can reach a declared server, or a port outside its declared services is reachable"
    ),
    "ANY_ANY_PERMIT": N_("Permit with any source, any destination and any service"),
    "MANAGEMENT_ACCESS": N_(
        "Permit from any source to the firewall itself (its management plane: USG zone local, StoneOS self)"
    ),
    "RISKY_SERVICE": N_(
        "Permit from any source of telnet, FTP, TFTP, rlogin/rsh, NetBIOS, SMB, RDP, SSH, NFS or database ports"
    ),
    "DEFAULT_PERMIT": N_("The default action permits"),
    "UNDEFINED_OBJECT": N_("A rule refers to an object that is not defined"),
    "ANY_SERVICE": N_("Permit with any service to a specific destination"),
    "ANY_SOURCE": N_(
        "Permit from any source to a destination that the intent does not declare public"
    ),
    "WIDE_PORT_RANGE": N_("Permit of a port range wider than 1,000 ports"),
    "SHADOWED_RULE": N_(
        "A rule that can never match because earlier rules with a different action cover it"
    ),
    "EXPIRED_RULE": N_("A rule whose schedule or expiry lies in the past"),
    "REDUNDANT_RULE": N_("A rule covered by earlier rules with the same action"),
    "DISABLED_RULE": N_("A disabled or inactive rule"),
    "NO_LOGGING": N_("A permit rule that logs nothing"),
    "NO_COMMENT": N_("A rule with no comment or description"),
    "UNUSED_OBJECT": N_("An address or service object no rule uses"),
}
SARIF_LEVEL = {"high": "error", "medium": "warning", "low": "note"}
READ_WARNING = "CONFIG_NOT_READ"  # SARIF rule id of a read warning (not a check of the audit)


def check_text(check: str) -> str:
    """What a check id means, in the user's language."""
    return _(CHECK_TEXT[check])


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def to_json(result: AuditResult) -> dict[str, Any]:
    """Exactly `{"findings": [{device, rule, line, check, severity, detail}], "exposure": [...],
    "read_warnings": [{source, command, line, text, problem, kind}]}` (what the parser could
    not read; the audit of those configurations is incomplete)."""
    return {
        "findings": [asdict(f) for f in result.findings],
        "exposure": [asdict(e) for e in result.exposure],
        "read_warnings": [w.as_dict() for w in result.read_warnings],
    }


def json_text(result: AuditResult) -> str:
    return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"


def summary(result: AuditResult) -> dict[str, int]:
    counts = Counter(f.severity for f in result.findings)
    return {sev: counts.get(sev, 0) for sev in ("high", "medium", "low")}


def _rows(findings: list[Finding]) -> list[list[str]]:
    return [
        [severity_label(f.severity), f.device, f.rule, str(f.line), f.check, f.detail]
        for f in findings
    ]


def cell_width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def table(result: AuditResult, devices: int) -> str:
    """Fixed-width text table plus a one-line summary (what the console shows)."""
    head = [_("SEVERITY"), _("DEVICE"), _("RULE"), _("LINE"), _("CHECK"), _("DETAIL")]
    rows = _rows(result.findings)
    widths = [max([cell_width(head[i])] + [cell_width(r[i]) for r in rows]) for i in range(5)]
    lines = ["  ".join(pad(h, w) for h, w in zip(head[:5], widths, strict=True)) + "  " + head[5]]
    for r in rows:
        lines.append("  ".join(pad(c, w) for c, w in zip(r[:5], widths, strict=True)) + "  " + r[5])
    lines.append(summary_line(result, devices))
    return "\n".join(lines) + "\n"


def summary_line(result: AuditResult, devices: int) -> str:
    s = summary(result)
    servers = len({e.server for e in result.exposure})
    beyond = sum(1 for e in result.exposure if not e.within_intent)
    unread = ""
    if result.read_warnings:
        configs = len({w.source for w in result.read_warnings})
        unread = "; " + _(
            "{lines} configuration line(s) not read or not modelled in {configs} configuration(s)"
        ).format(lines=len(result.read_warnings), configs=configs)
    return (
        _(
            "audit: {devices} firewall(s), {findings} finding(s): {high} high, {medium} medium, "
            "{low} low; exposure rows for {servers} server(s), {beyond} beyond intent"
        ).format(
            devices=devices,
            findings=len(result.findings),
            high=s["high"],
            medium=s["medium"],
            low=s["low"],
            servers=servers,
            beyond=beyond,
        )
        + unread
    )


def _md_escape(text: str) -> str:
    return md(text)


def _exposure_by_server(result: AuditResult) -> dict[str, list[Exposure]]:
    out: dict[str, list[Exposure]] = {}
    for e in result.exposure:
        out.setdefault(e.server, []).append(e)
    return out


def markdown(result: AuditResult, devices: int, as_of: str) -> str:
    counts = Counter(f.check for f in result.findings)
    out = [
        "# " + _("Firewall audit ({date})").format(date=as_of),
        "",
        summary_line(result, devices),
        "",
        "## " + _("Findings by check"),
        "",
        "| " + " | ".join((_("check"), _("severity"), _("count"), _("meaning"))) + " |",
        "|---|---|---:|---|",
    ]
    out += [
        f"| {c} | {severity_label(SEVERITY[c])} | {counts.get(c, 0)} | {check_text(c)} |"
        for c in CHECKS
    ]
    out += [
        "",
        "## " + _("Findings"),
        "",
        "| "
        + " | ".join((_("severity"), _("device"), _("rule"), _("line"), _("check"), _("detail")))
        + " |",
        "|---|---|---|---:|---|---|",
    ]
    out += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in _rows(result.findings)]
    out += ["", "## " + _("Exposure per declared server"), ""]
    for server, rows in sorted(_exposure_by_server(result).items()):
        out += [
            f"### {_md_escape(server)}",
            "",
            "| "
            + " | ".join(
                (
                    _("device"),
                    _("rule"),
                    _("sources"),
                    _("protocol"),
                    _("ports"),
                    _("within intent"),
                )
            )
            + " |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| {_md_escape(e.device)} | {_md_escape(e.rule)} | {_md_escape(e.sources)} | "
            f"{_md_escape(e.protocol)} | {_md_escape(e.ports)} | "
            f"{yes_no(True) if e.within_intent else '**' + yes_no(False) + '**'} |"
            for e in rows
        ]
        out.append("")
    if result.read_warnings:
        out += [
            "## " + _("Configuration lines not read"),
            "",
            _(
                "The audit of these configurations is incomplete: the lines below were not"
                " read, or hold something the audit does not model."
            ),
            "",
            "| configuration | line | problem | text |",
            "|---|---:|---|---|",
        ]
        out += [
            f"| {_md_escape(w.source)} | {w.line} | {_md_escape(w.problem)} | `{md_code(w.text)}` |"
            for w in result.read_warnings
        ]
        out.append("")
    return "\n".join(out) + "\n"


def html_report(result: AuditResult, devices: int, as_of: str) -> str:
    esc = escape_html
    title = _("Firewall audit ({date})").format(date=as_of)
    lang = "zh-CN" if current_language() == "zh" else "en"
    cell = "".join(
        f"<th>{esc(h)}</th>"
        for h in (_("severity"), _("device"), _("rule"), _("line"), _("check"), _("detail"))
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #999;padding:2px 6px;font-size:90%}th{background:#eee}"
        ".high{background:#fdd}.medium{background:#ffd}.low{background:#eef}.no{color:#b00;font-weight:bold}</style>",
        "</head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(summary_line(result, devices))}</p>",
        f"<h2>{esc(_('Findings'))}</h2>",
        f"<table><tr>{cell}</tr>",
    ]
    for f in result.findings:
        parts.append(
            f'<tr class="{f.severity}"><td>{esc(severity_label(f.severity))}</td><td>{esc(f.device)}</td><td>{esc(f.rule)}</td>'
            f'<td>{f.line}</td><td title="{esc(check_text(f.check))}">{f.check}</td><td>{esc(f.detail)}</td></tr>'
        )
    parts.append(f"</table><h2>{esc(_('Exposure per declared server'))}</h2>")
    exposure_head = "".join(
        f"<th>{esc(h)}</th>"
        for h in (
            _("device"),
            _("rule"),
            _("sources"),
            _("protocol"),
            _("ports"),
            _("within intent"),
        )
    )
    for server, rows in sorted(_exposure_by_server(result).items()):
        parts += [
            f"<h3>{esc(server)}</h3>",
            f"<table><tr>{exposure_head}</tr>",
        ]
        for e in rows:
            ok = (
                esc(yes_no(True))
                if e.within_intent
                else f'<span class="no">{esc(yes_no(False))}</span>'
            )
            parts.append(
                f"<tr><td>{esc(e.device)}</td><td>{esc(e.rule)}</td><td>{esc(e.sources)}</td>"
                f"<td>{esc(e.protocol)}</td><td>{esc(e.ports)}</td><td>{ok}</td></tr>"
            )
        parts.append("</table>")
    if result.read_warnings:
        parts += [
            f"<h2>{esc(_('Configuration lines not read'))}</h2>",
            "<table><tr><th>configuration</th><th>line</th><th>problem</th><th>text</th></tr>",
        ]
        parts += [
            f"<tr><td>{esc(w.source)}</td><td>{w.line}</td><td>{esc(w.problem)}</td>"
            f"<td><code>{esc(w.text)}</code></td></tr>"
            for w in result.read_warnings
        ]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def sarif(result: AuditResult, files: dict[str, str], version: str = "0.1.0") -> dict[str, Any]:
    """SARIF 2.1.0: one rule per check id, one result per finding located at its configuration line."""
    rules = [
        {
            "id": c,
            "name": "".join(w.capitalize() for w in c.split("_")),
            "shortDescription": {"text": check_text(c)},
            "defaultConfiguration": {"level": SARIF_LEVEL[SEVERITY[c]]},
            "properties": {"severity": SEVERITY[c]},
        }
        for c in CHECKS
    ]
    results = []
    for f in result.findings:
        results.append(
            {
                "ruleId": f.check,
                "ruleIndex": CHECKS.index(f.check),
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f"{f.device} {f.rule}: {f.detail}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": files.get(f.device, f"{f.device}.cfg")},
                            "region": {"startLine": max(f.line, 1)},
                        }
                    }
                ],
                "partialFingerprints": {"findingKey/v1": f"{f.device}|{f.rule}|{f.check}"},
            }
        )
    for w in result.read_warnings:
        results.append(
            {
                "ruleId": READ_WARNING,
                "ruleIndex": len(CHECKS),
                "level": "warning",
                "message": {"text": f"{w.problem}: {w.text}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": w.source},
                            "region": {"startLine": max(w.line, 1)},
                        }
                    }
                ],
                "partialFingerprints": {"findingKey/v1": f"{w.source}|{w.line}|{READ_WARNING}"},
            }
        )
    rules.append(
        {
            "id": READ_WARNING,
            "name": "ConfigurationLineNotRead",
            "shortDescription": {
                "text": _("A configuration line the audit could not read or does not model")
            },
            "defaultConfiguration": {"level": "warning"},
            "properties": {"severity": "medium"},
        }
    )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "netsteward-audit",
                        "version": version,
                        "informationUri": "https://example.invalid/netsteward/docs/audit.md",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
