"""Facts + policy + the previous inspection -> findings and the status of every check.

Pure: no device, no file. `judge(reading, rules, previous, rx_history)` returns one
device's `DeviceResult`. Every finding carries the measured value, the threshold it was
compared with and the evidence line; a display that could not be read is a finding of its
own (`unread`), never a healthy check; a device that could not be reached is one too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import ReadWarning
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
from netsteward.tasks.inspect.policy import Levels, Rules

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


@dataclass
class _Work:
    host: str
    findings: list[Finding] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    unread: set[str] = field(default_factory=set)

    def add(self, check: str, f: Fact | None, severity: str, message: str, **kw: object) -> None:
        self.findings.append(
            Finding(
                host=self.host,
                check=check,
                item=f.item if f else str(kw.pop("item", "")),
                severity=severity,
                message=message,
                value=kw.pop("value", f.value if f else None),  # type: ignore[arg-type]
                evidence=f.evidence if f else str(kw.pop("evidence", "")),
                command=f.command if f else str(kw.pop("command", "")),
                line=f.line if f else 0,
                **kw,  # type: ignore[arg-type]
            )
        )


def _fmt(value: float | str | None, unit: str = "") -> str:
    if isinstance(value, float):
        if math.isinf(value):
            return "-inf" + (f" {unit}" if unit else "")
        text = f"{value:.1f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return f"{text}{'' if unit in ('', '%') else ' '}{unit}"
    return "" if value is None else str(value)


def _levels(levels: Levels, unit: str) -> str:
    parts = [
        f"{n} >= {_fmt(float(v), unit)}"
        for n in ("minor", "major", "critical")
        if (v := getattr(levels, n)) is not None
    ]
    return ", ".join(parts)


# -- the checks ---------------------------------------------------------------------------


def _cpu(w: _Work, facts: list[Fact], rules: Rules) -> None:
    worst = max(facts, key=lambda f: float(f.get("average", f.value) or 0))
    avg = float(worst.get("average", worst.value) or 0)
    w.values["cpu"] = f"{_fmt(worst.value, '%')} / {_fmt(avg, '%')}"
    for f in facts:
        a = float(f.get("average", f.value) or 0)
        hit = rules.cpu.level(a)
        if hit:
            w.add(
                "cpu",
                f,
                hit[0],
                _("CPU {avg}% on average (now {now}%)").format(avg=_fmt(a), now=_fmt(f.value)),
                value=a,
                threshold=_levels(rules.cpu, "%"),
            )


def _percent(check: str, label: str, levels: Levels) -> object:
    def run(w: _Work, facts: list[Fact], rules: Rules) -> None:
        worst = max(facts, key=lambda f: float(f.value or 0))
        w.values[check] = _fmt(worst.value, "%")
        for f in facts:
            hit = levels_of(rules, check).level(float(f.value or 0))
            if hit:
                w.add(
                    check,
                    f,
                    hit[0],
                    label.format(value=_fmt(f.value)),
                    threshold=_levels(levels_of(rules, check), "%"),
                )

    return run


def levels_of(rules: Rules, check: str) -> Levels:
    return {"memory": rules.memory, "storage": rules.storage}[check]


def _temperature(w: _Work, facts: list[Fact], rules: Rules) -> None:
    numbers = [float(f.value) for f in facts if isinstance(f.value, (int, float))]
    w.values["temperature"] = _fmt(max(numbers), "C") if numbers else _fmt(facts[0].value)
    sev = rules.severity
    for f in facts:
        if not isinstance(f.value, (int, float)):  # a monitor's state word (FOS: MARGINAL)
            if f.state in ("failed", "critical", "warning"):
                level = sev.temperature_warning if f.state == "warning" else sev.temperature_alarm
                w.add(
                    "temperature",
                    f,
                    level,
                    _("{item}: {value}").format(item=f.item or "-", value=_fmt(f.value)),
                    threshold=_("device state ok"),
                )
            continue
        value = float(f.value)
        lim = f.limits
        hit: tuple[str, float] | None = None
        if lim and (lim.high_warning or lim.high_alarm or lim.critical):
            for name, limit in (
                ("critical", lim.critical),
                (sev.temperature_alarm, lim.high_alarm),
                (sev.temperature_warning, lim.high_warning),
            ):
                if limit is not None and value >= limit:
                    hit = (name, limit)
                    break
            threshold = _("device: warning {w} C, alarm {a} C, critical {c} C").format(
                w=_fmt(lim.high_warning), a=_fmt(lim.high_alarm), c=_fmt(lim.critical)
            )
        elif f.state in ("warning", "critical"):
            hit = (
                sev.temperature_warning if f.state == "warning" else sev.temperature_alarm,
                value,
            )
            threshold = _("device state {state}").format(state=f.state)
        else:
            hit = rules.temperature.level(value)
            threshold = _levels(rules.temperature, "C")
        if hit:
            w.add(
                "temperature",
                f,
                hit[0],
                _("{item}: {value} C").format(item=f.item or "-", value=_fmt(value)),
                threshold=threshold,
            )


def _state_check(check: str, label_failed: str, label_absent: str = "") -> object:
    def run(w: _Work, facts: list[Fact], rules: Rules) -> None:
        bad = [f for f in facts if f.state in ("failed", "absent", "critical")]
        w.values[check] = (
            _("{bad} of {n} bad").format(bad=len(bad), n=len(facts))
            if bad
            else _("{n} ok").format(n=len(facts))
            if len(facts) > 1
            else _fmt(facts[0].value)
        )
        for f in bad:
            label = label_absent if f.state == "absent" and label_absent else label_failed
            w.add(
                check,
                f,
                getattr(rules.severity, check),
                label.format(item=f.item or "-", value=_fmt(f.value)),
                threshold=_("device state ok"),
            )

    return run


def _optics(w: _Work, facts: list[Fact], rules: Rules) -> None:
    rx = [f for f in facts if f.get("param") == "rx" and not math.isinf(float(f.value or 0))]
    w.values["optics"] = (
        _("{n} modules, lowest RX {low} dBm").format(
            n=len({f.item for f in facts}), low=_fmt(min(float(f.value or 0) for f in rx))
        )
        if rx
        else _("{n} modules").format(n=len({f.item for f in facts}))
    )
    sev = rules.severity
    for f in facts:
        value = float(f.value or 0)
        if math.isinf(value) or (f.get("param") != "temperature" and value <= -40):
            continue  # no light: an unused port, not a weak optic
        param = str(f.get("param", ""))
        lim, hit, threshold = f.limits, None, ""
        if lim and any(v is not None for v in (lim.low_alarm, lim.high_alarm)):
            if lim.low_alarm is not None and value <= lim.low_alarm:
                hit, threshold = (
                    sev.optics_alarm,
                    _("module low alarm {v}").format(v=_fmt(lim.low_alarm, f.unit)),
                )
            elif lim.high_alarm is not None and value >= lim.high_alarm:
                hit, threshold = (
                    sev.optics_alarm,
                    _("module high alarm {v}").format(v=_fmt(lim.high_alarm, f.unit)),
                )
            elif lim.low_warning is not None and value <= lim.low_warning:
                hit, threshold = (
                    sev.optics_warning,
                    _("module low warning {v}").format(v=_fmt(lim.low_warning, f.unit)),
                )
            elif lim.high_warning is not None and value >= lim.high_warning:
                hit, threshold = (
                    sev.optics_warning,
                    _("module high warning {v}").format(v=_fmt(lim.high_warning, f.unit)),
                )
        elif f.state in ("alarm", "warning"):
            hit = sev.optics_alarm if f.state == "alarm" else sev.optics_warning
            threshold = _("device flags the module's {state} threshold").format(state=f.state)
        elif param == "rx":
            if value <= rules.optics.rx_low_major:
                hit, threshold = "major", f"<= {_fmt(rules.optics.rx_low_major, 'dBm')}"
            elif value <= rules.optics.rx_low_minor:
                hit, threshold = "minor", f"<= {_fmt(rules.optics.rx_low_minor, 'dBm')}"
        if hit:
            w.add(
                "optics",
                f,
                hit,
                _("{item}: {param} {value}").format(
                    item=f.item,
                    param=param.upper() if param != "temperature" else _("temperature"),
                    value=_fmt(value, f.unit),
                ),
                threshold=threshold,
                kind=param,
            )


def _errors(
    w: _Work,
    facts: list[Fact],
    rules: Rules,
    previous: DeviceResult | None,
    counters: dict[str, int],
) -> None:
    grown = 0
    for f in facts:
        if f.get("logical"):
            continue  # a LAG or VLAN interface: its members are counted
        now = int(float(f.value or 0))
        counters[f.item] = now
        if (
            previous is None
            or not previous.reachable
            or "errors" not in previous.checks
            or previous.checks["errors"].status == UNREAD
        ):
            continue
        before = previous.counters.get(f.item, 0)
        growth = now - before if now >= before else now  # a counter reset is not a negative growth
        grown = max(grown, growth)
        hit = rules.errors.level(growth)
        if hit:
            kind = str(f.get("kind", ""))
            w.add(
                "errors",
                f,
                hit[0],
                _(
                    "{item}: {kind} errors grew by {growth} since the last inspection ({before} -> {now})"
                ).format(
                    item=f.item,
                    kind=kind.upper() if kind == "crc" else kind,
                    growth=growth,
                    before=before,
                    now=now,
                ),
                value=float(growth),
                threshold=_levels(rules.errors, ""),
                kind="growth",
            )
    w.values["errors"] = _("+{n} max").format(n=grown) if previous is not None else _("baseline")


def _uptime(
    w: _Work, facts: list[Fact], rules: Rules, previous: DeviceResult | None, read_at: str
) -> float | None:
    f = facts[0]
    secs = float(f.value or 0)
    w.values["uptime"] = _("{d} d {h} h").format(d=int(secs // 86400), h=int(secs % 86400 // 3600))
    since_previous = None
    if previous is not None and previous.uptime_s is not None and previous.read_at and read_at:
        elapsed = (
            datetime.fromisoformat(read_at) - datetime.fromisoformat(previous.read_at)
        ).total_seconds()
        if secs + 300 < previous.uptime_s + elapsed and secs < elapsed:
            since_previous = elapsed
    recent = secs < rules.recent_reboot_hours * 3600
    if recent or since_previous is not None:
        reason = str(f.get("reason", "") or "")
        message = _("rebooted {hours} h ago").format(hours=_fmt(round(secs / 3600, 1)))
        if since_previous is not None:
            message += _(" (since the last inspection)")
        if reason:
            message += _(", reason: {reason}").format(reason=reason)
        w.add(
            "uptime",
            f,
            rules.severity.reboot,
            message,
            value=secs,
            threshold=_("uptime >= {h} h").format(h=_fmt(rules.recent_reboot_hours)),
            kind="reboot",
        )
    return secs


def _sessions(w: _Work, facts: list[Fact], rules: Rules, capacity: int | None) -> None:
    f = facts[0]
    count = float(f.value or 0)
    cap = float(f.get("capacity") or capacity or 0)
    if not cap:
        w.values["sessions"] = _fmt(count)
        return
    pct = 100 * count / cap
    w.values["sessions"] = f"{_fmt(count)} ({_fmt(round(pct, 1), '%')})"
    hit = rules.sessions.level(pct)
    if hit:
        w.add(
            "sessions",
            f,
            hit[0],
            _("{count} sessions, {pct}% of the capacity {cap}").format(
                count=_fmt(count), pct=_fmt(round(pct, 1)), cap=_fmt(cap)
            ),
            value=count,
            threshold=_levels(rules.sessions, "%"),
        )


def _fc_switch(w: _Work, facts: list[Fact], rules: Rules) -> None:
    overall = [f for f in facts if not f.item]
    monitors = [f for f in facts if f.item and f.state != "ok"]
    w.values["fc_switch"] = _fmt(overall[0].value) if overall else "-"
    for f in monitors:
        w.add(
            "fc_switch",
            f,
            rules.severity.fc_switch,
            _("{item}: {value}").format(item=f.item, value=_fmt(f.value)),
            threshold=_("HEALTHY"),
        )
    others = [x for x in w.findings if x.check in ("fan", "power", "temperature")]
    for f in overall:
        if f.state != "ok" and not monitors and not others:
            w.add(
                "fc_switch",
                f,
                rules.severity.fc_switch,
                _("switch state {value}").format(value=_fmt(f.value)),
                threshold=_("HEALTHY"),
            )


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
    w = _Work(reading.host)
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
        "cpu": _cpu,
        "memory": _percent("memory", _("memory {value}% used"), rules.memory),
        "storage": _percent("storage", _("flash {value}% used"), rules.storage),
        "temperature": _temperature,
        "fan": _state_check("fan", _("fan {item}: {value}"), _("fan {item} missing")),
        "power": _state_check(
            "power",
            _("power supply {item}: {value}, redundancy lost"),
            _("power supply {item} missing, redundancy lost"),
        ),
        "ntp": _state_check("ntp", _("NTP {value}")),
        "config_saved": _state_check("config_saved", _("running configuration not saved")),
        "ha": _state_check("ha", _("HA state {value}")),
        "optics": _optics,
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
        _errors(w, facts["errors"], rules, previous, result.counters)
    if facts.get("uptime") and rules.reads("uptime"):
        result.uptime_s = _uptime(w, facts["uptime"], rules, previous, reading.read_at)
    if facts.get("sessions") and rules.reads("sessions"):
        _sessions(w, facts["sessions"], rules, capacity)
    if facts.get("fc_switch") and rules.reads("fc_switch"):
        _fc_switch(w, facts["fc_switch"], rules)
    result.optics_rx = {
        f.item: float(f.value)
        for f in facts.get("optics", [])
        if f.get("param") == "rx" and isinstance(f.value, float) and not math.isinf(f.value)
    }
    if rx_history:
        _trend(w, result.optics_rx, rx_history, rules, reading.read_at)
    result.findings = sorted(w.findings, key=lambda x: (severity_rank(x.severity), x.check, x.item))
    result.checks = _statuses(w, facts, rules)
    return result


def _trend(
    w: _Work,
    rx_now: dict[str, float],
    history: dict[str, list[tuple[str, float]]],
    rules: Rules,
    read_at: str,
) -> None:
    """An optic whose receive power dropped by `trend.rx_drop_db` over at least `min_days`
    (and `min_points` readings), while no threshold has fired yet."""
    t = rules.trend
    alarmed = {x.item for x in w.findings if x.check == "optics"}
    for port, now in rx_now.items():
        points = [(day, v) for day, v in history.get(port, []) if day < read_at[:10]]
        if port in alarmed or len(points) + 1 < t.min_points:
            continue
        first_day = min(day for day, _v in points)
        span = (datetime.fromisoformat(read_at[:10]) - datetime.fromisoformat(first_day)).days
        best = max(v for _d, v in points)
        if span >= t.min_days and best - now >= t.rx_drop_db:
            w.add(
                "optics",
                None,
                rules.severity.trend,
                _("{port}: RX fell {drop} dB in {days} days ({best} -> {now} dBm)").format(
                    port=port,
                    drop=_fmt(round(best - now, 1)),
                    days=span,
                    best=_fmt(best),
                    now=_fmt(now),
                ),
                item=port,
                value=now,
                threshold=_("drop < {db} dB over {days} days").format(
                    db=_fmt(t.rx_drop_db), days=t.min_days
                ),
                kind="trend",
            )


def _statuses(w: _Work, facts: dict[str, list[Fact]], rules: Rules) -> dict[str, CheckResult]:
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
