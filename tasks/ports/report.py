"""Renderings of a port plan and of an apply run: summary rows, Markdown, JSON, change record."""

from __future__ import annotations

from collections import Counter
from typing import Any

from netsteward.tasks.ports.apply import ApplyOutcome
from netsteward.tasks.ports.plan import KINDS, Plan

SHORT = {
    "missing_description": "desc",
    "stale_description": "stale",
    "edge_without_loop_protection": "edge",
    "uplink_marked_edge": "upl",
    "missing_global_loop_protection": "glob",
}
LEGEND = (
    "desc: uplink or LAG without description; stale: wrong description; edge: edge port without "
    "loop protection; upl: uplink with edge-port lines; glob: global loop protection missing"
)


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


PLAN_HEADER = ("host", "platform", "role", *(SHORT[k] for k in KINDS), "lines")


def plan_markdown(plan: Plan) -> str:
    """The plan for review: summary table, then per device the lines with their reasons."""
    s = plan_summary(plan)
    out = [
        "# Port normalisation plan",
        "",
        f"Made {plan.created_at} by {plan.created_by} from the {plan.source} configuration "
        f"(policy {plan.policy_digest}). {s['devices_with_changes']} of {s['devices']} devices "
        f"need {s['lines']} lines.",
        "",
        LEGEND + ".",
        "",
        "| " + " | ".join(PLAN_HEADER) + " |",
        "|" + "---|" * len(PLAN_HEADER),
    ]
    out += ["| " + " | ".join(row) + " |" for row in plan_rows(plan)]
    if plan.unreadable:
        out += ["", "## Not read", ""]
        out += [f"- `{h}`: {why}" for h, why in plan.unreadable.items()]
    for d in plan.changed():
        out += [
            "",
            f"## {d.host}",
            "",
            f"{d.platform}, {d.role}, {d.network}; fingerprint `{d.fingerprint[:23]}`",
            "",
        ]
        for ch in d.changes:
            where = f"`{ch.interface}`" if ch.interface else "global"
            out.append(f"- {where} **{ch.kind}**: {ch.reason}")
        out += ["", "```", *d.commands, "```"]
        if d.notes:
            out += ["", *(f"- note: {n}" for n in d.notes)]
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
