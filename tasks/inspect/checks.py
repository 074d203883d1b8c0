"""The checks: each turns one check's facts into findings and the sheet's value.

Used by `netsteward.tasks.inspect.judge`; pure. Every finding gets the measured value, the
threshold it was compared with and the evidence line of its fact.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from netsteward.tasks.core.i18n import _
from netsteward.tasks.inspect.model import UNREAD, DeviceResult, Fact, Finding
from netsteward.tasks.inspect.policy import Levels, Rules


@dataclass
class Work:
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


def check_cpu(w: Work, facts: list[Fact], rules: Rules) -> None:
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


def check_percent(check: str, label: str, levels: Levels) -> object:
    def run(w: Work, facts: list[Fact], rules: Rules) -> None:
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


def check_temperature(w: Work, facts: list[Fact], rules: Rules) -> None:
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


def check_state(check: str, label_failed: str, label_absent: str = "") -> object:
    def run(w: Work, facts: list[Fact], rules: Rules) -> None:
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


def check_optics(w: Work, facts: list[Fact], rules: Rules) -> None:
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


def check_errors(
    w: Work,
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


def check_uptime(
    w: Work, facts: list[Fact], rules: Rules, previous: DeviceResult | None, read_at: str
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


def check_sessions(w: Work, facts: list[Fact], rules: Rules, capacity: int | None) -> None:
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


def check_fc_switch(w: Work, facts: list[Fact], rules: Rules) -> None:
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


def check_trend(
    w: Work,
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


def dated(f: Fact, read_at: str) -> Fact:
    """A log time printed without a year (`MM-DDTHH:MM:SS`, IOS) dated in the year that puts
    it at most a day after the inspection's own time (a December entry read in January is
    last year's)."""
    when = str(f.get("time") or "")
    if not re.fullmatch(r"\d\d-\d\dT\d\d:\d\d:\d\d", when) or not read_at:
        return f
    now = datetime.fromisoformat(read_at)
    try:
        got = datetime.fromisoformat(f"{now.year}-{when}")
    except ValueError:  # 29 February of a year without it
        got = datetime.fromisoformat(f"{now.year - 1}-{when}")
    if got.date() > (now + timedelta(days=1)).date():
        got = got.replace(year=got.year - 1)
    extra = tuple((k, got.isoformat() if k == "time" else v) for k, v in f.extra)
    return replace(f, extra=extra)


def check_alarms(
    w: Work, facts: list[Fact], rules: Rules, previous: DeviceResult | None, read_at: str
) -> None:
    """Log entries of the highest levels since the previous inspection (the last 24 hours
    for the first one; entries without a time count as new), one finding per message id."""
    since = previous.read_at if previous is not None and previous.read_at else ""
    if not since and read_at:
        since = (datetime.fromisoformat(read_at) - timedelta(hours=24)).isoformat()
    facts = [dated(f, read_at) for f in facts]
    entries = [f for f in facts if f.item and (not f.get("time") or str(f.get("time")) > since)]
    w.values["alarms"] = (
        _("{n} active").format(n=len(entries))
        if any(f.get("active") for f in facts)
        else _("{n} since the last inspection").format(n=len(entries))
    )
    by_id: dict[str, list[Fact]] = {}
    for f in entries:
        by_id.setdefault(f.item, []).append(f)
    for item, group in by_id.items():
        last = max(group, key=lambda f: str(f.get("time", "")))
        severity = (
            rules.severity.alarm_critical
            if last.state == "critical"
            else rules.severity.alarm_major
        )
        if last.get("active"):  # an alarm present now (Comware `display alarm`), not a log entry
            w.add(
                "alarms",
                last,
                severity,
                _("active alarm {item} ({level})").format(item=item, level=last.get("level")),
                threshold=_("no active alarm of level {level} or above").format(
                    level=last.get("level")
                ),
                kind="active",
            )
            continue
        w.add(
            "alarms",
            last,
            severity,
            _("{n} x {item} since {since}: {text}").format(
                n=len(group), item=item, since=since[:16] or "-", text=_fmt(last.value)
            ),
            threshold=_("no entry of level {level} or above").format(level=last.get("level")),
            kind="log",
        )
