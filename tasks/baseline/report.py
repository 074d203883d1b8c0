"""Baseline audit reports: console text, Markdown, HTML, JSON and SARIF 2.1.0 (pure builders).

Findings are grouped by device, by check or by control (the GB/T 22239-2019 clause).
JSON and SARIF are stable for CI: sorted, no timestamps or paths of the machine that ran
the audit, ids untranslated; a finding's SARIF fingerprint is its device, check, section
and evidence, so a CI system tracks it across runs.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from netsteward.tasks.baseline.check import Finding
from netsteward.tasks.baseline.rules import SEVERITY_RANK, Rules
from netsteward.tasks.baseline.waivers import EXPIRED, WAIVED, Waiver, counted
from netsteward.tasks.core.escape import html as escape_html
from netsteward.tasks.core.escape import md, md_code
from netsteward.tasks.core.i18n import _, current_language
from netsteward.tasks.core.labels import severity_label
from netsteward.tasks.firewall.report import cell_width, pad

GROUPS = ("device", "check", "control")
SARIF_LEVEL = {"high": "error", "medium": "warning", "low": "note"}


@dataclass
class AuditRun:
    """Everything one `audit baseline` run found, for every renderer."""

    as_of: str
    rules_digest: str
    devices: int = 0  # configurations audited
    checks: int = 0  # check evaluations
    findings: list[Finding] = field(default_factory=list)  # every finding, waived ones included
    problems: dict[str, str] = field(default_factory=dict)  # device -> why it was not audited
    unknown: list[str] = field(default_factory=list)  # backed-up files no inventory host owns
    unused_waivers: list[Waiver] = field(default_factory=list)
    skipped_role: int = 0  # checks not applied: the device's role was not known
    files: dict[str, str] = field(default_factory=dict)  # device -> configuration path

    @property
    def counted(self) -> list[Finding]:
        return [f for f in self.findings if counted(f)]

    def failing(self, fail_on: str) -> bool:
        return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in self.counted)


def sort_key(f: Finding) -> tuple[str, int, str, str]:
    return (f.device, f.line, f.check, f.evidence)


def summary(run: AuditRun) -> dict[str, Any]:
    sev = Counter(f.severity for f in run.counted)
    return {
        "as_of": run.as_of,
        "rules": run.rules_digest,
        "devices": run.devices,
        "devices_with_findings": len({f.device for f in run.counted}),
        "checks_evaluated": run.checks,
        "findings": len(run.counted),
        "by_severity": {s: sev.get(s, 0) for s in ("high", "medium", "low")},
        "waived": sum(1 for f in run.findings if f.status == WAIVED),
        "waiver_expired": sum(1 for f in run.findings if f.status == EXPIRED),
        "fixable": sum(1 for f in run.counted if f.auto),
        "not_audited": len(run.problems),
        "checks_skipped_no_role": run.skipped_role,
    }


def summary_line(run: AuditRun) -> str:
    s = summary(run)
    sev = s["by_severity"]
    text = _(
        "baseline: {devices} device(s), {findings} finding(s) on {failing} device(s): "
        "{high} high, {medium} medium, {low} low; {waived} waived, {expired} waiver(s) expired; "
        "{fixable} fixable by --plan"
    ).format(
        devices=s["devices"],
        findings=s["findings"],
        failing=s["devices_with_findings"],
        high=sev["high"],
        medium=sev["medium"],
        low=sev["low"],
        waived=s["waived"],
        expired=s["waiver_expired"],
        fixable=s["fixable"],
    )
    if run.problems:
        text += _("; {n} not audited").format(n=len(run.problems))
    return text


def _group_key(group_by: str) -> Callable[[Finding], str]:
    if group_by == "check":
        return lambda f: f.check
    if group_by == "control":
        return lambda f: f.control
    return lambda f: f.device


def grouped(findings: list[Finding], group_by: str) -> dict[str, list[Finding]]:
    key = _group_key(group_by)
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(findings, key=sort_key):
        out[key(f)].append(f)
    return dict(sorted(out.items(), key=lambda kv: _group_order(kv[0], group_by)))


def _group_order(key: str, group_by: str) -> tuple[Any, ...]:
    if group_by == "control":  # clause order: 8.1.4.1 a before 8.1.4.10
        head, _, item = key.partition(" ")
        return (tuple(int(p) for p in head.split(".")), item)
    return (key,)


def heading(key: str, group_by: str, rules: Rules, both: bool = False) -> str:
    """A group's title; a clause in the reader's language (`both`: an English report
    carries the Chinese text as well, for the assessor)."""
    zh = current_language() == "zh"
    both = both and not zh
    if group_by == "control":
        c = rules.controls.controls.get(key)
        if c is None:
            return key
        if both:
            return f"{key} {c.zh} / {c.en}"
        return f"{key} {c.zh if zh else c.en}"
    if group_by == "check":
        t = rules.controls.checks.get(key)
        if t is None:
            return key
        text = f"{t.zh} / {t.en}" if both else (t.zh if zh else t.en)
        return f"{key}: {text}"
    return key


def _status(f: Finding) -> str:
    if f.status == WAIVED:
        return _("waived")
    if f.status == EXPIRED:
        return _("waiver expired")
    return ""


def _what(f: Finding) -> str:
    """The offending line, or what is missing (a section header is in the SECTION column)."""
    return f.evidence if f.evidence and f.kind != "require" else f.detail


def _row(f: Finding, group_by: str) -> list[str]:
    first = {"device": f.check, "check": f.device, "control": f.device}[group_by]
    second = f.control if group_by != "control" else f.check
    return [
        severity_label(f.severity),
        first,
        second,
        str(f.line),
        f.section or "-",
        _what(f),
        _status(f),
    ]


def table(run: AuditRun, rules: Rules, group_by: str = "device") -> str:
    """Plain text for the console: one block per group, then the summary line."""
    head = {
        "device": [
            _("SEV"),
            _("CHECK"),
            _("CONTROL"),
            _("LINE"),
            _("SECTION"),
            _("EVIDENCE / MISSING"),
            "",
        ],
        "check": [
            _("SEV"),
            _("DEVICE"),
            _("CONTROL"),
            _("LINE"),
            _("SECTION"),
            _("EVIDENCE / MISSING"),
            "",
        ],
        "control": [
            _("SEV"),
            _("DEVICE"),
            _("CHECK"),
            _("LINE"),
            _("SECTION"),
            _("EVIDENCE / MISSING"),
            "",
        ],
    }[group_by]
    out: list[str] = []
    for key, items in grouped(run.findings, group_by).items():
        rows = [_row(f, group_by) for f in items]
        widths = [
            max(cell_width(head[i]), *(cell_width(r[i]) for r in rows)) for i in range(len(head))
        ]
        out.append(heading(key, group_by, rules))
        out.append("  " + "  ".join(pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip())
        out += [
            "  " + "  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows
        ]
        out.append("")
    for device, why in sorted(run.problems.items()):
        out.append(_("not audited: {device}: {why}").format(device=device, why=why))
    for w in run.unused_waivers:
        out.append(
            _("waiver matches no finding: {device} {check} ({who})").format(
                device=w.device, check=w.check, who=w.who
            )
        )
    out.append(summary_line(run))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return md(text)


def _code(text: str) -> str:
    return f"`{md_code(text)}`"


def markdown(run: AuditRun, rules: Rules, group_by: str = "device") -> str:
    out = [
        "# " + _("Hardening baseline audit ({as_of})").format(as_of=run.as_of),
        "",
        summary_line(run),
        "",
        _("Rules {digest}; GB/T 22239-2019 level 3 clauses; CIS items where one exists.").format(
            digest=run.rules_digest
        ),
        "",
        "## " + _("Findings by control"),
        "",
        "| "
        + _("control")
        + " | "
        + _("requirement")
        + " | "
        + _("findings")
        + " | "
        + _("devices")
        + " |",
        "|---|---|---:|---:|",
    ]
    for key, items in grouped(run.counted, "control").items():
        c = rules.controls.controls[key]
        out.append(f"| {key} | {_md(c.zh)} | {len(items)} | {len({f.device for f in items})} |")
    out += [
        "",
        "## " + _("Findings by check"),
        "",
        "| "
        + _("check")
        + " | "
        + _("requirement")
        + " | "
        + _("severity")
        + " | "
        + _("findings")
        + " | "
        + _("fixable")
        + " |",
        "|---|---|---|---:|---:|",
    ]
    for key, items in grouped(run.counted, "check").items():
        text = heading(key, "check", rules, both=True).removeprefix(f"{key}: ")
        fixable = sum(1 for f in items if f.auto)
        severity = severity_label(rules.check_severity(key))
        out.append(f"| {key} | {_md(text)} | {severity} | {len(items)} | {fixable} |")
    out += ["", "## " + _("Findings by {what}").format(what=_(group_by)), ""]
    for key, items in grouped(run.findings, group_by).items():
        out += [f"### {_md(heading(key, group_by, rules, both=True))}", ""]
        out += [
            "| "
            + " | ".join(
                [
                    _("severity"),
                    _("device"),
                    _("check"),
                    _("control"),
                    _("line"),
                    _("section"),
                    _("evidence"),
                    _("remediation"),
                    _("status"),
                ]
            )
            + " |",
            "|---|---|---|---|---:|---|---|---|---|",
        ]
        for f in items:
            remedy = "; ".join(_code(x) for x in f.fix) if f.fix else _md(f.note)
            cells = [
                _md(severity_label(f.severity)),
                _md(f.device),
                _md(f.check),
                _md(f.control),
                str(f.line),
                _code(f.section) if f.section else "-",
                _code(f.evidence) if f.evidence else "-",
                remedy,
                _md(_status(f) + (f" ({f.waiver})" if f.waiver else "")),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    if run.problems or run.unused_waivers or run.unknown:
        out += ["## " + _("Not audited and stale waivers"), ""]
        out += [f"- {_code(d)}: {_md(why)}" for d, why in sorted(run.problems.items())]
        out += [
            "- " + _("backed up, not in the inventory: {path}").format(path=p) for p in run.unknown
        ]
        out += [
            "- "
            + _("waiver matches no finding: {device} {check} ({who}, until {expires})").format(
                device=w.device, check=w.check, who=w.who, expires=w.expires.isoformat()
            )
            for w in run.unused_waivers
        ]
    return "\n".join(out) + "\n"


def html_report(run: AuditRun, rules: Rules, group_by: str = "device") -> str:
    esc = escape_html
    title = _("Hardening baseline audit ({as_of})").format(as_of=run.as_of)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if current_language() == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #999;padding:2px 6px;font-size:90%;vertical-align:top}th{background:#eee}"
        ".high{background:#fdd}.medium{background:#ffd}.low{background:#eef}.waived{color:#777}"
        "code{font-size:95%}</style>",
        "</head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(summary_line(run))}</p>",
    ]
    cols = [
        _("severity"),
        _("device"),
        _("check"),
        _("control"),
        _("line"),
        _("section"),
        _("evidence"),
        _("remediation"),
        _("status"),
    ]
    for key, items in grouped(run.findings, group_by).items():
        parts.append(f"<h2>{esc(heading(key, group_by, rules, both=True))}</h2><table><tr>")
        parts += [f"<th>{esc(c)}</th>" for c in cols]
        parts.append("</tr>")
        for f in items:
            cls = "waived" if f.status == WAIVED else f.severity
            remedy = "<br>".join(f"<code>{esc(x)}</code>" for x in f.fix) if f.fix else esc(f.note)
            title = esc(rules.controls.controls[f.control].zh)
            parts.append(
                f'<tr class="{cls}"><td>{esc(severity_label(f.severity))}</td><td>{esc(f.device)}</td><td>{esc(f.check)}</td>'
                f'<td title="{title}">{esc(f.control)}</td><td>{f.line}</td><td><code>{esc(f.section)}</code></td>'
                f"<td><code>{esc(f.evidence)}</code></td><td>{remedy}</td>"
                f"<td>{esc(_status(f))} {esc(f.waiver)}</td></tr>"
            )
        parts.append("</table>")
    if run.problems:
        parts.append("<h2>" + esc(_("Not audited")) + "</h2><ul>")
        parts += [f"<li>{esc(d)}: {esc(w)}</li>" for d, w in sorted(run.problems.items())]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


FINDING_KEYS = (
    "device",
    "platform",
    "check",
    "title",
    "category",
    "control",
    "cis",
    "severity",
    "section",
    "line",
    "evidence",
    "detail",
    "fix",
    "undo",
    "auto",
    "note",
    "status",
    "waiver",
)


def to_json(run: AuditRun) -> dict[str, Any]:
    """`{summary, findings, not_audited, unknown_files, unused_waivers}`, every list sorted."""
    findings = []
    for f in sorted(run.findings, key=sort_key):
        d = asdict(f)
        findings.append({k: list(d[k]) if isinstance(d[k], tuple) else d[k] for k in FINDING_KEYS})
    return {
        "summary": summary(run),
        "findings": findings,
        "not_audited": dict(sorted(run.problems.items())),
        "unknown_files": sorted(run.unknown),
        "unused_waivers": [w.model_dump(mode="json") for w in run.unused_waivers],
    }


def sarif(run: AuditRun, rules: Rules, version: str = "0.1.0") -> dict[str, Any]:
    """SARIF 2.1.0: one rule per check id; one result per finding, at its configuration line.

    Waived findings carry an external suppression with the waiver's reason, so code
    scanning shows them as dismissed rather than losing them.
    """
    checks = rules.used_checks()
    ids = list(checks)
    out_rules = []
    for cid, t in checks.items():
        control = rules.controls.controls[t.control]
        severity = rules.check_severity(cid)
        out_rules.append(
            {
                "id": cid,
                "name": "".join(w.capitalize() for w in cid.split("-")),
                "shortDescription": {"text": t.en},
                "fullDescription": {"text": f"{t.en} (GB/T 22239-2019 {t.control}: {control.en})"},
                "defaultConfiguration": {"level": SARIF_LEVEL[severity]},
                "properties": {
                    "control": t.control,
                    "requirement_zh": t.zh,
                    "control_zh": control.zh,
                    "severity": severity,
                    "tags": ["security", "MLPS-2.0", t.control],
                },
            }
        )
    results = []
    for f in sorted(run.findings, key=sort_key):
        result: dict[str, Any] = {
            "ruleId": f.check,
            "ruleIndex": ids.index(f.check),
            "level": SARIF_LEVEL[f.severity],
            "message": {
                "text": f"{f.device}: {f.detail}" + (f" ({f.evidence})" if f.evidence else "")
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": run.files.get(f.device, f"{f.device}.cfg")},
                        "region": {"startLine": max(f.line, 1)},
                    },
                    "logicalLocations": [{"name": f.section or f.device, "kind": "module"}],
                }
            ],
            "partialFingerprints": {
                "baselineFinding/v1": hashlib.sha256(f.key.encode()).hexdigest()[:32]
            },
            "properties": {
                "device": f.device,
                "control": f.control,
                "cis": f.cis or "",
                "section": f.section,
            },
        }
        if f.status == WAIVED:
            result["suppressions"] = [{"kind": "external", "justification": f.waiver}]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "netsteward-baseline",
                        "version": version,
                        "informationUri": "https://example.invalid/netsteward/docs/baseline.md",
                        "rules": out_rules,
                    }
                },
                "results": results,
            }
        ],
    }
