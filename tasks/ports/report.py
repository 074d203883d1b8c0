"""Renderings of a port plan and of an apply run: summary rows, Markdown, JSON, change record."""

from __future__ import annotations

from collections import Counter
from typing import Any

from netsteward.tasks.core.escape import md, md_code, md_fenced
from netsteward.tasks.core.i18n import N_, _, pgettext
from netsteward.tasks.core.labels import network_label, role_label
from netsteward.tasks.ports.apply import ApplyOutcome
from netsteward.tasks.ports.plan import KINDS, Plan

SHORT = {
    "missing_description": N_("desc"),
    "stale_description": N_("stale"),
    "edge_without_loop_protection": N_("edge"),
    "uplink_marked_edge": N_("upl"),
    "missing_global_loop_protection": N_("glob"),
}
# the deviation kinds as people read them (the kind itself in English: it is also the id)
KIND_LABELS = {
    "missing_description": N_("missing_description"),
    "stale_description": N_("stale_description"),
    "edge_without_loop_protection": N_("edge_without_loop_protection"),
    "uplink_marked_edge": N_("uplink_marked_edge"),
    "missing_global_loop_protection": N_("missing_global_loop_protection"),
}
LEGEND = N_(
    "desc: uplink or LAG without description; stale: wrong description; edge: edge port without "
    "loop protection; upl: uplink with edge-port lines; glob: global loop protection missing"
)


def legend() -> str:
    return _(LEGEND)


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def deviations(plan: Plan) -> list[dict[str, str | None]]:
    """(host, interface, kind) of every planned change, the shape of `lab truth` port_deviations."""
    return sorted(
        (
            {"host": d.host, "interface": c.interface, "kind": c.kind}
            for d in plan.devices
            for c in d.changes
        ),
        key=lambda r: (r["host"] or "", r["interface"] or "", r["kind"] or ""),
    )


def plan_summary(plan: Plan, out: str | None = None) -> dict[str, Any]:
    by_kind = Counter(c.kind for d in plan.devices for c in d.changes)
    return {
        "source": plan.source,
        "created_at": plan.created_at,
        "policy_digest": plan.policy_digest,
        "devices": len(plan.devices),
        "devices_with_changes": len(plan.changed()),
        "lines": sum(len(d.commands) for d in plan.devices),
        "changes_by_kind": {k: by_kind.get(k, 0) for k in KINDS},
        "unreadable": plan.unreadable,
        "deviations": deviations(plan),
        "plan_file": out,
    }


def plan_rows(plan: Plan) -> list[tuple[str, ...]]:
    """One row per device with changes: host, platform, role, one count per kind, lines."""
    rows = []
    for d in plan.changed():
        counts = Counter(c.kind for c in d.changes)
        rows.append(
            (
                d.host,
                d.platform,
                d.role,
                *(str(counts.get(k, 0) or "") for k in KINDS),
                str(len(d.commands)),
            )
        )
    return rows


def plan_header() -> tuple[str, ...]:
    """host, platform, role, one short column per kind, lines (narrow: a terminal table)."""
    return (
        _("host"),
        _("platform"),
        pgettext("column", "role"),
        *(_(SHORT[k]) for k in KINDS),
        pgettext("column", "lines"),
    )


def plan_markdown(plan: Plan) -> str:
    """The plan for review: summary table, then per device the lines with their reasons."""
    s = plan_summary(plan)
    header = plan_header()
    source = _("live") if plan.source == "live" else _("offline")
    out = [
        "# " + _("Port normalisation plan"),
        "",
        _(
            "Made {created} by {who} from the {source} configuration (policy {policy}). "
            "{changed} of {devices} devices need {lines} lines."
        ).format(
            created=plan.created_at,
            who=plan.created_by,
            source=source,
            policy=plan.policy_digest,
            changed=s["devices_with_changes"],
            devices=s["devices"],
            lines=s["lines"],
        ),
        "",
        legend() + _("."),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    out += [
        "| " + " | ".join((md(host), platform, role_label(role), *rest)) + " |"
        for host, platform, role, *rest in plan_rows(plan)
    ]
    if plan.unreadable:
        out += ["", "## " + _("Not read"), ""]
        out += [f"- `{md_code(h)}`: {md(why)}" for h, why in plan.unreadable.items()]
    for d in plan.changed():
        out += [
            "",
            f"## {md(d.host)}",
            "",
            _("{platform}, {role}, {network}; fingerprint {fingerprint}").format(
                platform=d.platform,
                role=role_label(d.role),
                network=network_label(d.network),
                fingerprint=f"`{d.fingerprint[:23]}`",
            ),
            "",
        ]
        for ch in d.changes:
            where = f"`{md_code(ch.interface)}`" if ch.interface else _("global")
            out.append(
                "- "
                + _("{where} {kind}: {reason}").format(
                    where=where, kind=f"**{kind_label(ch.kind)}**", reason=md(ch.reason)
                )
            )
        out += ["", "```", md_fenced("\n".join(d.commands)), "```"]
        if d.notes:
            out += ["", *("- " + _("note: {note}").format(note=md(n)) for n in d.notes)]
    return "\n".join(out) + "\n"


def apply_summary(outcomes: list[ApplyOutcome]) -> dict[str, Any]:
    by_status = Counter(o.status for o in outcomes)
    return {
        "devices": len(outcomes),
        "by_status": dict(sorted(by_status.items())),
        "outcomes": [
            {"host": o.host, "status": o.status, "detail": o.detail, "seconds": o.seconds}
            for o in sorted(outcomes, key=lambda o: o.host)
        ],
    }


def change_record(
    plan: Plan,
    outcomes: list[ApplyOutcome],
    *,
    who: str,
    when: str,
    plan_file: str,
    plan_sha256: str,
) -> dict[str, Any]:
    """What goes into the backup repository under changes/: who, when, what, and how it went."""
    by_host = {d.host: d for d in plan.devices}
    devices = []
    for o in sorted(outcomes, key=lambda o: o.host):
        d = by_host[o.host]
        devices.append(
            {
                "host": o.host,
                "status": o.status,
                "detail": o.detail,
                "started": o.started,
                "finished": o.finished,
                "fingerprint_before": d.fingerprint,
                "changes": [
                    {"interface": c.interface, "kind": c.kind, "reason": c.reason, "lines": c.lines}
                    for c in d.changes
                ],
                "sent": list(o.sent),
            }
        )
    return {
        "job": "normalize apply",
        "who": who,
        "when": when,
        "plan": {
            "job": plan.job,  # normalize (ports) or baseline (audit baseline --plan)
            "file": plan_file,
            "sha256": plan_sha256,
            "created_at": plan.created_at,
            "created_by": plan.created_by,
            "source": plan.source,
            "policy": plan.policy_digest,
        },
        "summary": apply_summary(outcomes)["by_status"],
        "devices": devices,
    }
