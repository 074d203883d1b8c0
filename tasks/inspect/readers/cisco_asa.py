"""Cisco ASA health readers.

Tested on the real samples of the ntc-templates corpus (`show failover`, `show version`,
`show interface`, `dir`) and on the formats of Cisco's ASA command reference for `show cpu
usage`, `show memory`, `show environment` and `show conn count` (tests/corpus/cisco_asa/,
`show logging` on its real samples too;
sources in tests/NOTICE). `show ntp status` is the IOS reader's format.
"""

from __future__ import annotations

import re
from datetime import datetime

from netsteward.tasks.core.reading import Reading, reader
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.readers.cisco_ios import ntp as ios_ntp
from netsteward.tasks.inspect.readers.cisco_ios import storage as ios_storage
from netsteward.tasks.inspect.readers.common import (
    cpu_rule,
    crc_errors,
    fact,
    percent_rule,
    rule,
    scan,
    uptime_seconds,
)


@reader("cisco_asa.cpu")
def cpu(text: str) -> Reading[Fact]:
    """`show cpu usage`."""
    return scan(
        text,
        [cpu_rule(r"CPU utilization for 5 seconds = (\d+)%; 1 minute: (\d+)%; 5 minutes: (\d+)%")],
        strict=False,
    )


@reader("cisco_asa.memory")
def memory(text: str) -> Reading[Fact]:
    """`show memory` (the used-memory line)."""
    return scan(
        text, [percent_rule("memory", r"^Used memory:\s+\d+ bytes \(\s*(\d+)%\)")], strict=False
    )


_STATE = {"OK": "ok", "WARNING": "warning", "CRITICAL": "critical"}


@reader("cisco_asa.environment")
def environment(text: str) -> Reading[Fact]:
    """`show environment`: fans, power supplies (and redundancy) and temperatures."""

    def fan(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[3].upper()
        return fact(
            "fan",
            n,
            ln,
            item=m[1].strip(),
            value=f"{m[2]} RPM",
            state=_STATE.get(word, "failed") if word != "OK" else "ok",
        )

    def supply(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[2].strip()
        st = "ok" if word == "Present" else "absent" if word == "Not Present" else "failed"
        return fact("power", n, ln, item=m[1].strip(), value=word, state=st)

    def temp(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[3].upper()
        return fact(
            "temperature",
            n,
            ln,
            item=m[1].strip(),
            value=float(m[2]),
            unit="C",
            state=_STATE.get(word, "critical"),
        )

    return scan(
        text,
        [
            rule(r"^\s*(?:Cooling Fans|Power Supplies|Temperature|Voltage)\s*:\s*$"),
            rule(r"^\s*(?:Chassis Fans|Power Supplies|Processors|Chassis|Temperature)\s*:\s*$"),
            rule(r"^\s*-{5,}\s*$"),
            rule(r"^\s*Power Supply Unit Redundancy:"),
            rule(r"^\s*(.+?): (\d+) RPM - (\w+)", fan),
            rule(r"^\s*(.+?\(PS\d\)): (Present(?: - \w+)?|Not Present)\s*$", supply),
            rule(r"^\s*(.+?): (-?[\d.]+) C - (\w+)", temp),
            rule(r"^\s*(.+?): [\d.]+ V - \w+"),
        ],
    )


_LOGICAL = re.compile(r"^(Vlan|Port-channel|Tunnel|BVI|Redundant)", re.I)


@reader("cisco_asa.errors")
def errors(text: str) -> Reading[Fact]:
    """`show interface | include line protocol|input errors`: input and CRC errors per port."""
    return crc_errors(text, r'^Interface (\S+) ".*", is .*, line protocol is ', _LOGICAL)


@reader("cisco_asa.uptime")
def uptime(text: str) -> Reading[Fact]:
    """`show version`: the device's uptime (`<hostname> up 2 days 3 hours`)."""
    got: list[Fact] = []

    def up(m: re.Match[str], n: int, ln: str) -> Fact | None:
        secs = uptime_seconds(m[2])
        if got or secs is None or m[1].lower() == "failover":
            return None
        got.append(fact("uptime", n, ln, value=secs, unit="s"))
        return got[0]

    return scan(text, [rule(r"^(\S+) up ((?:\d+ \w+ ?)+)\s*$", up)], strict=False)


@reader("cisco_asa.ntp")
def ntp(text: str) -> Reading[Fact]:
    """`show ntp status` (as on IOS)."""
    return ios_ntp(text)


@reader("cisco_asa.storage")
def storage(text: str) -> Reading[Fact]:
    """`dir` (disk0:; its last line)."""
    return ios_storage(text)


@reader("cisco_asa.sessions")
def sessions(text: str) -> Reading[Fact]:
    """`show conn count`."""
    return scan(
        text,
        [
            rule(
                r"^\s*(\d+) in use, (\d+) most used",
                lambda m, n, ln: fact(
                    "sessions", n, ln, value=float(m[1]), extra=(("peak", float(m[2])),)
                ),
            )
        ],
    )


_HA_OK = ("active", "standby ready")


@reader("cisco_asa.ha")
def ha(text: str) -> Reading[Fact]:
    """`show failover`: both units' states (Active / Standby Ready is healthy)."""
    got: dict[str, tuple[str, int, str]] = {}

    def keep(key: str):  # type: ignore[no-untyped-def]
        def handler(m: re.Match[str], n: int, ln: str) -> None:
            got.setdefault(key, (m[1].strip(), n, ln))

        return handler

    scan(
        text,
        [
            rule(r"^Failover (On|Off)\s*$", keep("failover")),
            rule(r"^\s*This host:\s*\w+ - (.+?)\s*$", keep("this")),
            rule(r"^\s*Other host:\s*\w+ - (.+?)\s*$", keep("other")),
        ],
        strict=False,
    )
    if "failover" not in got:
        return scan(text, [], strict=False)
    on, n, ln = got["failover"]
    if on == "Off":
        return Reading((fact("ha", n, ln, value="off", state="ok"),))
    this, tn, tln = got.get("this", ("", n, ln))
    other, on_, oln = got.get("other", ("", n, ln))
    states = (this.lower(), other.lower())
    healthy = all(s in _HA_OK for s in states) and states.count("active") == 1
    bad_n, bad_ln = (tn, tln) if this.lower() not in _HA_OK else (on_, oln)
    return Reading(
        (
            fact(
                "ha",
                tn if healthy else bad_n,
                tln if healthy else bad_ln,
                value=f"{this}/{other}",
                state="ok" if healthy else "failed",
            ),
        )
    )


_LOG_HEAD = (
    r"^\s+(?:Facility|Timestamp logging|Hide Username logging|Standby logging|"
    r"Debug-trace logging|Console logging|Monitor logging|Buffer logging|Trap logging|"
    r"Global TCP syslog stats|Permit-hostdown logging|History logging|Device ID|Mail logging|"
    r"ASDM logging|NOT_PUTABLE|CHANNEL_FLAP_CNT|PARTIAL_REWRITE_CNT|Logging to)\b"
)
# `[time][ device-id] : %ASA-L-ID: text`: time and device id are both optional (logging
# timestamp / device-id settings)
_LOG_LINE = (
    r"^(?:(\w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2})(?: \S+ )?:? ?)?(?:\S+ : )?%ASA-(\d)-(\d+): (.*)$"
)


@reader("cisco_asa.alarms")
def alarms(text: str) -> Reading[Fact]:
    """`show logging`: the buffer's state, and every entry of level 0-2 (emergencies, alerts:
    critical; critical: major) with its time. Lower levels are read and not kept."""

    def state(m: re.Match[str], n: int, ln: str) -> Fact:
        return fact("alarms", n, ln, value=m[1])

    def entry(m: re.Match[str], n: int, ln: str) -> Fact | None:
        level = int(m[2])
        if level > 2:
            return None
        when = ""
        if m[1]:
            when = datetime.strptime(m[1], "%b %d %Y %H:%M:%S").isoformat()
        return fact(
            "alarms",
            n,
            ln,
            item=f"%ASA-{level}-{m[3]}",
            value=m[4].strip(),
            state="critical" if level <= 1 else "failed",
            extra=(("time", when), ("level", level)),
        )

    return scan(
        text,
        [rule(r"^Syslog logging:\s*(\w+)", state), rule(_LOG_HEAD), rule(_LOG_LINE, entry)],
    )
