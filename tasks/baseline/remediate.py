"""`audit baseline --plan`: the automatic remediations as a normalize plan.

The plan is built with the normalize job's own plan code (`netsteward.tasks.ports.plan`:
`PlannedChange`, `render_commands`, `new_plan`), so `netsteward normalize apply` pushes it
like a port plan, with the same canaries, read-back verification, save and rollback, and
whatever later checks apply to plans (a seal over the pushed lines) apply to this one too.

Only findings whose check has an `auto` remediation go in, on platforms the apply path
can configure (the platform file's `config_mode:`) and whose section exit the port
policy's platform syntax knows; waived findings stay out. Each change carries:

- the fix lines, in the finding's section (`interface X`, or another section such as
  `user-interface vty 0 4`, entered through its header lines);
- the rollback (the check's `undo`, e.g. the offending line itself);
- what apply verifies after the push: a `forbid` check's regex must match no line of the
  section, the fix lines a `require`/`value` check asks for must be there.

The fingerprint covers the whole configuration (view `config`): a device whose
configuration changed since the backup is refused by apply as stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netsteward.tasks.baseline.check import Finding
from netsteward.tasks.baseline.source import Source
from netsteward.tasks.baseline.waivers import counted
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.config import fingerprint, parse_config
from netsteward.tasks.ports.plan import DevicePlan, Plan, PlannedChange, new_plan, render_commands
from netsteward.tasks.ports.policy import PortPolicy


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    advice_only: int  # fixable findings on a platform the apply path cannot configure


def _change(f: Finding) -> PlannedChange:
    interface = None
    section = list(f.headers)
    if len(f.headers) == 1 and f.headers[0].startswith("interface "):
        interface, section = f.headers[0][len("interface ") :], []
    if f.kind == "forbid":
        present, absent = [], [f.pattern]
    else:
        rx = re.compile(f.pattern)
        present = [ln for ln in f.fix if rx.search(ln)]
        # a value out of bounds: its line must be gone too, not only the new one there
        gone = f.kind == "value" and f.evidence and f.evidence not in f.fix
        absent = ["^" + re.escape(f.evidence) + "$"] if gone else []
    where = f" ({f.evidence})" if f.evidence and f.kind != "require" else ""
    return PlannedChange(
        interface=interface,
        section=section,
        kind=f.check,
        lines=list(f.fix),
        reason=f"{f.check} [{f.control}]: {f.detail}{where}",
        rollback=list(f.undo),
        present=present,
        absent=absent,
    )


def build_plan(
    findings: list[Finding],
    sources: list[Source],
    policy: PortPolicy,
    *,
    digest: str,
    created_by: str,
) -> PlanResult:
    by_host = {s.device.host: s for s in sources}
    fixable: dict[str, list[Finding]] = {}
    advice = 0
    for f in findings:
        if not (f.auto and counted(f)):
            continue
        if load_platform(f.platform).config_mode is None or f.platform not in policy.platforms:
            advice += 1
            continue
        fixable.setdefault(f.device, []).append(f)
    devices = []
    for host, items in sorted(fixable.items()):
        src = by_host[host]
        changes: list[PlannedChange] = []
        seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        # global lines first, then the sections in configuration order
        for f in sorted(items, key=lambda f: (bool(f.headers), f.line, f.check)):
            key = (f.headers, f.fix)
            if key in seen:  # two checks asking for the same line (password-control enable)
                continue
            seen.add(key)
            changes.append(_change(f))
        syntax = policy.platforms[src.device.platform]
        commands, rollback = render_commands(changes, syntax)
        devices.append(
            DevicePlan(
                host=host,
                platform=src.device.platform,
                role=src.device.role or "",
                network=src.device.network or "",
                fingerprint=fingerprint(parse_config(src.device.platform, src.text), "config"),
                view="config",
                changes=changes,
                commands=commands,
                rollback=rollback,
            )
        )
    plan = new_plan(devices, source="offline", digest=digest, created_by=created_by, job="baseline")
    return PlanResult(plan, advice)
