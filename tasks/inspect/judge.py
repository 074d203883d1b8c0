"""Facts + policy + the previous inspection -> findings and the status of every check.

Pure: no device, no file. `judge(reading, rules, previous, rx_history)` returns one
device's `DeviceResult`. Every finding carries the measured value, the threshold it was
compared with and the evidence line; a display that could not be read is a finding of its
own (`unread`), never a healthy check; a device that could not be reached is one too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import ReadWarning
from netsteward.tasks.inspect.checks import (
    Work,
    check_alarms,
    check_cpu,
    check_errors,
    check_fc_switch,
    check_optics,
    check_percent,
    check_sessions,
    check_state,
    check_temperature,
    check_trend,
    check_uptime,
)
from netsteward.tasks.inspect.model import (
    NOT_READ,
    OK,
    UNREAD,
    CheckResult,
    DeviceResult,
    Fact,
    Finding,
    severity_rank,
)
from netsteward.tasks.inspect.policy import Rules

# which checks a display feeds, by its purpose's last word (a display named after its check
# feeds that check only); platform-neutral, the platform files name the displays
PURPOSE_CHECKS: dict[str, tuple[str, ...]] = {
    "hardware": ("fan", "power"),
    "environment": ("fan", "power", "temperature"),
    "sensors": ("fan", "power", "temperature"),
    "performance": ("cpu", "memory", "uptime"),
    "switch_status": ("fc_switch", "fan", "power", "temperature"),
    "port_errors": ("errors",),
    "sfp": ("optics",),
}


def checks_of(purpose: str) -> tuple[str, ...]:
    what = purpose.rsplit(".", 1)[-1]
    return PURPOSE_CHECKS.get(what, (what,))


@dataclass(frozen=True)
class DisplayRead:
    """One health display as read from the device."""

    purpose: str
    command: str
    facts: tuple[Fact, ...] = ()
    warnings: tuple[ReadWarning, ...] = ()


@dataclass(frozen=True)
class DeviceReading:
    """A device's health displays (or why it could not be read)."""

    host: str
    platform: str
    role: str
    room: str
    model: str = ""
    ok: bool = True
    reason: str = ""
    displays: tuple[DisplayRead, ...] = ()
    read_at: str = ""


# -- one device ---------------------------------------------------------------------------


def unreachable(reading: DeviceReading, rules: Rules) -> DeviceResult:
    """A device that could not be read: one finding, every check unread."""
    result = DeviceResult(
        reading.host,
        reading.platform,
        reading.role,
        reading.room,
        reachable=False,
        reason=reading.reason,
        read_at=reading.read_at,
    )
    result.checks = {"reachable": CheckResult(rules.severity.unreachable, _("unreachable"))}
    result.findings = [
        Finding(
            host=reading.host,
            check="reachable",
            item="",
            severity=rules.severity.unreachable,
            message=_("not read: {reason}").format(reason=reading.reason or _("unknown")),
            value=_("unreachable"),
            threshold=_("device answers over SSH"),
            evidence=reading.reason,
            kind="unreachable",
        )
    ]
    return result


def judge(
    reading: DeviceReading,
    rules: Rules,
    previous: DeviceResult | None = None,
    capacity: int | None = None,
    rx_history: dict[str, list[tuple[str, float]]] | None = None,
) -> DeviceResult:
    """One device's result (see the module docstring)."""
    if not reading.ok:
        return unreachable(reading, rules)
    w = Work(reading.host)
    facts: dict[str, list[Fact]] = {}
    gaps = 0
    for d in reading.displays:
        checks = [c for c in checks_of(d.purpose) if rules.reads(c)]
        for f in d.facts:
            facts.setdefault(f.check, []).append(f)
        w.read.update(checks)
        if d.warnings:
            gaps += len(d.warnings)
            first = d.warnings[0]
            w.unread.update(checks)
            w.add(
                checks[0] if checks else "reachable",
                None,
                rules.severity.unread,
                _("{command}: {n} line(s) not understood, first at line {line}: {problem}").format(
                    command=d.command, n=len(d.warnings), line=first.line, problem=first.problem
                ),
                item=d.purpose,
                value=_("unread"),
                evidence=first.text,
                command=d.command,
                threshold=_("every line of the display understood"),
                kind="unread",
            )
    result = DeviceResult(
        reading.host,
        reading.platform,
        reading.role,
        reading.room,
        read_at=reading.read_at,
        gaps=gaps,
    )
    simple = {
        "cpu": check_cpu,
        "memory": check_percent("memory", _("memory {value}% used"), rules.memory),
        "storage": check_percent("storage", _("flash {value}% used"), rules.storage),
        "temperature": check_temperature,
        "fan": check_state("fan", _("fan {item}: {value}"), _("fan {item} missing")),
        "power": check_state(
            "power",
            _("power supply {item}: {value}, redundancy lost"),
            _("power supply {item} missing, redundancy lost"),
        ),
        "ntp": check_state("ntp", _("NTP {value}")),
        "config_saved": check_state("config_saved", _("running configuration not saved")),
        "ha": check_state("ha", _("HA state {value}")),
        "optics": check_optics,
    }
    for check in (
        "cpu",
        "memory",
        "temperature",
        "fan",
        "power",
        "optics",
        "ntp",
        "config_saved",
        "storage",
        "ha",
    ):
        if facts.get(check) and rules.reads(check):
            simple[check](w, facts[check], rules)  # type: ignore[operator]
    if facts.get("errors") and rules.reads("errors"):
        check_errors(w, facts["errors"], rules, previous, result.counters)
    if facts.get("uptime") and rules.reads("uptime"):
        result.uptime_s = check_uptime(w, facts["uptime"], rules, previous, reading.read_at)
    if facts.get("alarms") and rules.reads("alarms"):
        check_alarms(w, facts["alarms"], rules, previous, reading.read_at)
    if facts.get("sessions") and rules.reads("sessions"):
        check_sessions(w, facts["sessions"], rules, capacity)
    if facts.get("fc_switch") and rules.reads("fc_switch"):
        check_fc_switch(w, facts["fc_switch"], rules)
    result.optics_rx = {
        f.item: float(f.value)
        for f in facts.get("optics", [])
        if f.get("param") == "rx" and isinstance(f.value, float) and not math.isinf(f.value)
    }
    if rx_history:
        check_trend(w, result.optics_rx, rx_history, rules, reading.read_at)
    result.findings = sorted(w.findings, key=lambda x: (severity_rank(x.severity), x.check, x.item))
    result.checks = _statuses(w, facts, rules)
    return result


def _statuses(w: Work, facts: dict[str, list[Fact]], rules: Rules) -> dict[str, CheckResult]:
    from netsteward.tasks.inspect.model import CHECKS

    worst: dict[str, str] = {}
    for f in w.findings:
        if f.kind == "unread":
            continue
        if f.check not in worst or severity_rank(f.severity) < severity_rank(worst[f.check]):
            worst[f.check] = f.severity
    out = {"reachable": CheckResult(OK, _("yes"))}
    for check in CHECKS[1:]:
        if not rules.reads(check):
            out[check] = CheckResult(NOT_READ)
        elif check in worst:
            out[check] = CheckResult(worst[check], w.values.get(check, ""))
        elif check in w.unread:
            out[check] = CheckResult(UNREAD, _("unread"))
        elif facts.get(check):
            out[check] = CheckResult(OK, w.values.get(check, ""))
        elif check in w.read:
            out[check] = CheckResult(NOT_READ, "-")
        else:
            out[check] = CheckResult(NOT_READ)
    return out


def findings_at_or_above(results: Iterable[DeviceResult], severity: str) -> list[Finding]:
    limit = severity_rank(severity)
    return [f for r in results for f in r.findings if severity_rank(f.severity) <= limit]
