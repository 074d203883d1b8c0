"""FortiOS and Hillstone StoneOS health readers.

FortiOS: `get system performance status` as Fortinet's administration guide prints it,
`get system ha status` and `execute log display` on the real samples of the ntc-templates
corpus, the sensor list,
session status and NTP status as the FortiOS CLI reference shows them. StoneOS: no public
capture exists; the readers follow the layout the lab prints from the StoneOS CLI
reference (docs/inspect.md says so). Sources in tests/NOTICE.
"""

from __future__ import annotations

import re

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, ReadWarning, nothing_read, reader, shown
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.readers.common import fact, rule, scan, uptime_seconds

_PERF_KNOWN = (
    r"^(?:CPU\d+ states|Average network usage|Maximal network usage|Average sessions|"
    r"Maximal sessions|Average session setup rate|Maximal session setup rate|"
    r"Average NPU sessions|Maximal NPU sessions|Average nTurbo sessions|Maximal nTurbo sessions|"
    r"Virus caught|IPS attacks blocked|IPS attacks blocked):"
)


@reader("fortinet.performance")
def performance(text: str) -> Reading[Fact]:
    """`get system performance status`: CPU (100 % minus idle), memory used, uptime."""

    def cpu(m: re.Match[str], n: int, ln: str) -> Fact:
        return fact("cpu", n, ln, value=float(100 - int(m[1])), unit="%")

    def mem(m: re.Match[str], n: int, ln: str) -> Fact:
        return fact("memory", n, ln, value=float(m[1]), unit="%")

    def up(m: re.Match[str], n: int, ln: str) -> Fact | None:
        secs = uptime_seconds(m[1])
        return None if secs is None else fact("uptime", n, ln, value=secs, unit="s")

    return scan(
        text,
        [
            rule(r"^CPU states: .*?(\d+)% idle", cpu),
            rule(r"^Memory: \d+k total, \d+k used \(([\d.]+)%\)", mem),
            rule(r"^Uptime:\s*(.+)$", up),
            rule(_PERF_KNOWN),
        ],
    )


@reader("fortinet.sensors")
def sensors(text: str) -> Reading[Fact]:
    """`execute sensor list`: fans, power supplies and temperatures by their alarm flag."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact | None:
        label, alarm, value = m[2].strip(), m[3] == "1", m[4]
        upper = label.upper()
        if "FAN" in upper:
            check = "fan"
        elif re.search(r"\bPS\d|PSU|POWER SUPPLY", upper):
            check = "power"
        elif "TEMP" in upper or upper.startswith(("DTS", "TD", "LM75", "CPU CORE")):
            check = "temperature"
        else:
            return None  # voltages: understood, not inspected
        val: float | str | None = float(value) if value else ("alarm" if alarm else "ok")
        return fact(
            check,
            n,
            ln,
            item=label,
            value=val,
            unit="C" if check == "temperature" else "",
            state="failed" if alarm and check != "temperature" else "critical" if alarm else "ok",
        )

    return scan(
        text,
        [
            rule(
                r"^\s*(\d+)\s+(.+?)\s+alarm=(\d)(?:\s+value=(-?[\d.]+))?(?:\s+threshold_status=\d+)?\s*$",
                row,
            )
        ],
    )


@reader("fortinet.sessions")
def sessions(text: str) -> Reading[Fact]:
    """`get system session status`."""
    return scan(
        text,
        [
            rule(
                r"The total number of (?:IPv4 )?sessions for the current VDOM:\s*(\d+)",
                lambda m, n, ln: fact("sessions", n, ln, value=float(m[1])),
            )
        ],
    )


@reader("fortinet.ha")
def ha(text: str) -> Reading[Fact]:
    """`get system ha status`: the cluster's health status (standalone units are healthy)."""
    got: dict[str, tuple[str, int, str]] = {}

    def keep(key: str):  # type: ignore[no-untyped-def]
        def handler(m: re.Match[str], n: int, ln: str) -> None:
            got.setdefault(key, (m[1].strip(), n, ln))

        return handler

    reading = scan(
        text,
        [
            rule(r"^HA Health Status:\s*(.*)$", keep("health")),
            rule(r"^Mode:\s*(.+)$", keep("mode")),
        ],
        strict=False,
    )
    if "mode" not in got:
        return reading
    mode, n, ln = got["mode"]
    health, hn, hln = got.get("health", ("", n, ln))
    if mode.lower() == "standalone":
        return Reading((fact("ha", n, ln, value="standalone", state="ok"),))
    ok = health.upper() == "OK"
    return Reading(
        (fact("ha", hn, hln, value=f"{mode}: {health or '?'}", state="ok" if ok else "failed"),)
    )


@reader("fortinet.ntp")
def ntp(text: str) -> Reading[Fact]:
    """`diagnose sys ntp status` (its first line)."""

    def status(m: re.Match[str], n: int, ln: str) -> Fact:
        yes = m[1] == "yes"
        return fact(
            "ntp",
            n,
            ln,
            value="synchronized" if yes else "unsynchronized",
            state="ok" if yes else "failed",
        )

    return scan(text, [rule(r"^synchronized:\s*(yes|no)\b", status)], strict=False)


_FORTI_CRITICAL = ("emergency", "alert", "critical")


@reader("fortinet.alarms")
def alarms(text: str) -> Reading[Fact]:
    """`execute log display`: how many logs the filter found, and every entry of level
    emergency, alert, critical (critical) or error (major) with its time."""

    def found(m: re.Match[str], n: int, ln: str) -> Fact:
        return fact("alarms", n, ln, value=f"{m[1]} logs found")

    def entry(m: re.Match[str], n: int, ln: str) -> Fact | None:
        level = m[3]
        if level not in (*_FORTI_CRITICAL, "error"):
            return None
        desc = re.search(r'(?:logdesc|msg)="([^"]*)"', ln)
        logid = re.search(r'logid="(\d+)"', ln)
        return fact(
            "alarms",
            n,
            ln,
            item=f"logid {logid[1] if logid else '?'}",
            value=desc[1] if desc else level,
            state="critical" if level in _FORTI_CRITICAL else "failed",
            extra=(("time", f"{m[1]}T{m[2]}"), ("level", level)),
        )

    return scan(
        text,
        [
            rule(r"^(\d+) logs found\.", found),
            rule(r"^\d+ logs returned\."),
            rule(r"^[\d.]+% of logs has been searched\."),
            rule(r'^\d+: date=(\S+) time=(\S+) .*?\blevel="(\w+)"', entry),
        ],
    )


# -- Hillstone StoneOS -------------------------------------------------------------


@reader("hillstone_stoneos.cpu")
def stoneos_cpu(text: str) -> Reading[Fact]:
    """`show cpu`: current load and the 5-minute average."""
    got: dict[str, tuple[float, int, str]] = {}

    def keep(m: re.Match[str], n: int, ln: str) -> None:
        got[m[1]] = (float(m[2]), n, ln)

    reading = scan(
        text,
        [
            rule(r"^\s*Average CPU utilization:\s*$"),
            rule(r"^\s*(current|last 1 minute|last 5 minutes):\s*(\d+)%", keep),
        ],
    )
    if "current" not in got:
        return reading
    value, n, ln = got["current"]
    avg = got.get("last 5 minutes", (value, 0, ""))[0]
    return Reading((fact("cpu", n, ln, value=value, unit="%", extra=(("average", avg),)),))


@reader("hillstone_stoneos.memory")
def stoneos_memory(text: str) -> Reading[Fact]:
    """`show memory`."""
    return scan(
        text,
        [
            rule(r"^\s*(?:Total|Used|Free) memory:\s*\d+ KB"),
            rule(
                r"^\s*Memory utilization:\s*(\d+)%",
                lambda m, n, ln: fact("memory", n, ln, value=float(m[1]), unit="%"),
            ),
        ],
    )


@reader("hillstone_stoneos.sessions")
def stoneos_sessions(text: str) -> Reading[Fact]:
    """`show session generic`: sessions in use and the device's maximum."""
    got: dict[str, tuple[float, int, str]] = {}

    def keep(m: re.Match[str], n: int, ln: str) -> None:
        got[m[1].lower()] = (float(m[2]), n, ln)

    reading = scan(
        text,
        [
            rule(r"^\s*(Total|Maximum) sessions:\s*(\d+)", keep),
            rule(r"^\s*Session utilization:"),
        ],
    )
    if "total" not in got:
        return reading
    value, n, ln = got["total"]
    extra = (("capacity", got["maximum"][0]),) if "maximum" in got else ()
    return Reading((fact("sessions", n, ln, value=value, extra=extra),))


@reader("hillstone_stoneos.uptime")
def stoneos_uptime(text: str) -> Reading[Fact]:
    """`show version`: `Uptime is 3 days 4 hours 5 minutes 6 seconds`."""

    def up(m: re.Match[str], n: int, ln: str) -> Fact | None:
        secs = uptime_seconds(m[1])
        return None if secs is None else fact("uptime", n, ln, value=secs, unit="s")

    return scan(text, [rule(r"^Uptime is (.+)$", up)], strict=False)


_HA_CONFIGURED = re.compile(r"^\s*ha (?:cluster|group) \d+")


@reader("hillstone_stoneos.ha")
def stoneos_ha(text: str) -> Reading[Fact]:
    """`show configuration`: whether HA is configured (`ha cluster N`, `ha group N`).

    No documented layout of StoneOS's HA displays (`show ha group`, `show ha cluster`,
    `show ha link status`) could be found, so their state is not read (no reader on a
    guessed format): a configured HA is reported as a gap (a warning on its `ha` line, the
    check `unread`, exit 3), a device without HA lines is `not configured`. The
    configuration is checked complete as the backup checks it (its end marker)."""
    from netsteward.tasks.backup.collect import check_output
    from netsteward.tasks.core.scrub import normalise_config
    from netsteward.tasks.platforms import load_platform

    if not text.strip():
        return Reading((), (nothing_read(text, _("no configuration printed")),))
    spec = load_platform("hillstone_stoneos")
    bad = check_output(spec, spec.collect[0], normalise_config(spec, text))
    if bad is not None:
        return Reading(
            (),
            (
                nothing_read(
                    text, _("configuration not read: {reason}").format(reason=bad[1]), "partial"
                ),
            ),
        )
    for number, line in enumerate(text.splitlines(), 1):
        if _HA_CONFIGURED.match(line):
            return Reading(
                (),
                (
                    ReadWarning(
                        number,
                        shown(line.strip()),
                        _(
                            "HA configured but its state is not read (no documented layout "
                            "of `show ha group`)"
                        ),
                    ),
                ),
            )
    return Reading((Fact("ha", value=_("not configured"), evidence=_("no `ha cluster` line")),))
