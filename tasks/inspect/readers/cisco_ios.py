"""Cisco IOS health readers (Catalyst access switches).

Tested on the real samples of the ntc-templates corpus (`show processes cpu`, `show
processes memory sorted`, `show environment temperature`, `show environment power all`,
`show interface transceiver`, `show interfaces`, `show version`) and on the formats of
Cisco's command references for `show environment fan`, `show ntp status` and `dir`
(tests/corpus/cisco_ios/, sources in tests/NOTICE).
"""

from __future__ import annotations

import re
from datetime import datetime

from netsteward.tasks.core.reading import Reading, reader
from netsteward.tasks.inspect.model import Fact, Limits
from netsteward.tasks.inspect.readers.common import (
    cpu_rule,
    crc_errors,
    fact,
    limits,
    num,
    rule,
    scan,
    uptime_seconds,
)


@reader("cisco_ios.cpu")
def cpu(text: str) -> Reading[Fact]:
    """`show processes cpu` (its first line; the process table is not read)."""
    return scan(
        text,
        [
            cpu_rule(  # five seconds: total/interrupt; one minute; five minutes
                r"CPU utilization for five seconds: (\d+)%/(\d+)%; one minute: (\d+)%; five minutes: (\d+)%",
                groups=(1, 3, 4),
            )
        ],
        strict=False,
    )


@reader("cisco_ios.memory")
def memory(text: str) -> Reading[Fact]:
    """`show processes memory` (the processor pool line)."""

    def pool(m: re.Match[str], n: int, ln: str) -> Fact:
        total, used = float(m[1]), float(m[2])
        return fact("memory", n, ln, value=round(100 * used / total, 1), unit="%")

    return scan(
        text,
        [rule(r"^\s*Processor Pool Total:\s*(\d+) Used:\s*(\d+) Free:\s*(\d+)", pool)],
        strict=False,
    )


@reader("cisco_ios.temperature")
def temperature(text: str) -> Reading[Fact]:
    """`show environment temperature`: each sensor's value, state and yellow/red limits."""
    cur: dict[str, object] = {}

    def switch(m: re.Match[str], n: int, ln: str) -> None:
        cur.clear()
        cur["switch"] = m[1]

    def sensor(m: re.Match[str], n: int, ln: str) -> None:
        cur.update(name=m[1], value=float(m[2]), n=n, ln=ln)

    def state(m: re.Match[str], n: int, ln: str) -> None:
        cur["state"] = m[1].upper()

    def yellow(m: re.Match[str], n: int, ln: str) -> None:
        cur["yellow"] = float(m[1])

    def red(m: re.Match[str], n: int, ln: str) -> Fact | None:
        if "value" not in cur:
            return None
        st = str(cur.get("state", ""))
        return fact(
            "temperature",
            int(cur["n"]),  # type: ignore[call-overload]
            str(cur["ln"]),
            item=f"switch {cur.get('switch', '1')} {cur['name']}",
            value=cur["value"],  # type: ignore[arg-type]
            unit="C",
            state={"GREEN": "ok", "YELLOW": "warning", "RED": "critical"}.get(st, ""),
            limits=_limits(cur.get("yellow"), float(m[1])),
        )

    return scan(
        text,
        [
            rule(r"^Switch (\d+): SYSTEM TEMPERATURE is", switch),
            rule(r"^SYSTEM TEMPERATURE is"),
            rule(r"^(?:System )?(\w+) Temperature Value: (-?\d+) Degree Celsius", sensor),
            rule(r"^(?:System )?Temperature State: (\w+)", state),
            rule(r"^Yellow Threshold\s*:\s*(-?\d+)", yellow),
            rule(r"^Red Threshold\s*:\s*(-?\d+)", red),
        ],
    )


def _limits(yellow: object, red: float) -> Limits:
    return limits(high_warning=float(str(yellow)) if yellow is not None else None, high_alarm=red)


@reader("cisco_ios.fan")
def fan(text: str) -> Reading[Fact]:
    """`show environment fan`: each fan's state; power-supply fans only when they fail."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact:
        st = m[4].upper()
        return fact(
            "fan",
            n,
            ln,
            item=f"switch {m[1]} fan {m[2]}",
            value=st,
            state="ok" if st == "OK" else "failed",
        )

    def ps_fan(m: re.Match[str], n: int, ln: str) -> Fact | None:
        word = m[2].strip().upper()
        if word in ("OK", "NOT PRESENT"):
            return None  # a missing supply is the power check's finding
        return fact("fan", n, ln, item=f"PS-{m[1]}", value=word, state="failed")

    return scan(
        text,
        [
            rule(r"^\s*Switch\s+FAN\s+Speed\s+State"),
            rule(r"^\s*-{5,}\s*$"),
            rule(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)(?:\s+.*)?$", row),
            rule(r"^FAN PS-(\d+) is (.+)$", ps_fan),
        ],
    )


@reader("cisco_ios.power")
def power(text: str) -> Reading[Fact]:
    """`show environment power all`: each supply's status (OK, Not Present, No Input Power...)."""

    def absent(m: re.Match[str], n: int, ln: str) -> Fact:
        return fact("power", n, ln, item=m[1], value="Not Present", state="absent")

    def row(m: re.Match[str], n: int, ln: str) -> Fact:
        status = m[2].strip()
        ok = status.upper() in ("OK", "GOOD")
        return fact("power", n, ln, item=m[1], value=status, state="ok" if ok else "failed")

    return scan(
        text,
        [
            rule(r"^\s*SW\s+PID\s+Serial#"),
            rule(r"^\s*-{2,}\s+-{5,}"),
            rule(r"^\s*(\d+[A-Z]?)\s+Not Present\s*$", absent),
            rule(r"^\s*(\d+[A-Z]?)\s+Built-in\s+(\S+)\s*$", row),
            rule(
                r"^\s*(\d+[A-Z]?)\s+\S+\s+\S+\s+(OK|No Input Power|Bad|Faulty|Not Present|"
                r"Good|Disabled|Fail\w*|Unknown)\s+\S+\s+\S+\s+\S+\s*$",
                row,
            ),
        ],
    )


_FLAG = {"--": "alarm", "++": "alarm", "-": "warning", "+": "warning"}


@reader("cisco_ios.optics")
def optics(text: str) -> Reading[Fact]:
    """`show interfaces transceiver`: temperature, TX and RX power of each module; the device
    marks a value past its module's thresholds with ++ + - -- (it prints no limits here)."""

    def row(m: re.Match[str], n: int, ln: str) -> list[Fact] | None:
        words = ln.split()
        port, values = words[0], []
        i = 1
        while i < len(words):
            flag = words[i + 1] if i + 1 < len(words) and words[i + 1] in _FLAG else ""
            values.append((words[i], flag))
            i += 2 if flag else 1
        if len(values) != 4:
            return None
        out = []
        for (text_value, flag), param, unit in zip(
            (values[0], values[2], values[3]),
            ("temperature", "tx", "rx"),
            ("C", "dBm", "dBm"),
            strict=True,
        ):
            if text_value.upper() in ("N/A", "NA"):
                continue
            out.append(
                fact(
                    "optics",
                    n,
                    ln,
                    item=port,
                    value=num(text_value),
                    unit=unit,
                    state=_FLAG.get(flag, "ok"),
                    extra=(("param", param),),
                )
            )
        return out

    return scan(
        text,
        [
            rule(r"^If device is externally calibrated"),
            rule(r"^\+\+ : high alarm"),
            rule(r"^NA or N/A: not applicable"),
            rule(r"^mA: milliamperes"),
            rule(r"^\s+(?:Optical|Temperature|Port)\s"),
            rule(r"^Port\s+\("),
            rule(r"^-{5,}\s+-{5,}"),
            rule(r"^(\S+)\s+(-?[\d.]+|N/A)\s", row),
        ],
    )


_LOGICAL = re.compile(r"^(Vlan|Port-channel|Loopback|Tunnel|NVI|Null|BDI)", re.I)


@reader("cisco_ios.errors")
def errors(text: str) -> Reading[Fact]:
    """`show interfaces | include line protocol|input errors`: input and CRC errors of every
    physical port (the CRC count is the counter watched)."""
    return crc_errors(text, r"^(\S+) is .*, line protocol is ", _LOGICAL)


@reader("cisco_ios.uptime")
def uptime(text: str) -> Reading[Fact]:
    """`show version`: uptime and the last reload reason."""
    got: list[tuple[float, int, str]] = []
    reason = [""]

    def up(m: re.Match[str], n: int, ln: str) -> None:
        secs = uptime_seconds(m[1])
        if secs is not None and not got:
            got.append((secs, n, ln))

    def why(m: re.Match[str], n: int, ln: str) -> None:
        reason[0] = reason[0] or m[1].strip()

    reading = scan(
        text,
        [
            rule(r"^\S+ uptime is (.+)$", up),
            rule(r"^Last reload reason:\s*(.+)$", why),
            rule(r"^System returned to ROM by (.+?)(?: at .*)?$", why),
        ],
        strict=False,
    )
    if not got:
        return reading
    secs, n, ln = got[0]
    return Reading((fact("uptime", n, ln, value=secs, unit="s", extra=(("reason", reason[0]),)),))


@reader("cisco_ios.ntp")
def ntp(text: str) -> Reading[Fact]:
    """`show ntp status` (its first line)."""

    def status(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[1].lower()
        return fact("ntp", n, ln, value=word, state="ok" if word == "synchronized" else "failed")

    return scan(text, [rule(r"^Clock is (synchronized|unsynchronized)", status)], strict=False)


_IOS_TIME = re.compile(r"(\d{1,2}:\d{2}:\d{2})(?:\.\d+)? \S+ \w{3} (\w{3}) (\d{1,2}) (\d{4})")


def ios_time(text: str) -> datetime | None:
    m = _IOS_TIME.search(text)
    if not m:
        return None
    return datetime.strptime(f"{m[4]} {m[2]} {m[3]} {m[1]}", "%Y %b %d %H:%M:%S")


@reader("cisco_ios.config_saved")
def config_saved(text: str) -> Reading[Fact]:
    """`show running-config | include ^! (Last configuration change|NVRAM config last
    updated|No configuration change)`: unsaved when the last change is later than the last
    write to NVRAM."""
    stamps: dict[str, tuple[datetime | None, int, str]] = {}

    def keep(key: str):  # type: ignore[no-untyped-def]
        def handler(m: re.Match[str], n: int, ln: str) -> None:
            stamps[key] = (ios_time(ln), n, ln)

        return handler

    reading = scan(
        text,
        [
            rule(r"^! Last configuration change at ", keep("changed")),
            rule(r"^! NVRAM config last updated at ", keep("saved")),
            rule(r"^! No configuration change since last restart", keep("unchanged")),
        ],
    )
    if "unchanged" in stamps:
        _, n, ln = stamps["unchanged"]
        return Reading((fact("config_saved", n, ln, value="saved", state="ok"),))
    if "changed" not in stamps:
        return reading
    changed, n, ln = stamps["changed"]
    saved = stamps.get("saved")
    unsaved = saved is None or (changed is not None and saved[0] is not None and changed > saved[0])
    return Reading(
        (
            fact(
                "config_saved",
                n,
                ln,
                value="unsaved" if unsaved else "saved",
                state="failed" if unsaved else "ok",
            ),
        )
    )


@reader("cisco_ios.storage")
def storage(text: str) -> Reading[Fact]:
    """`dir flash:` (its last line)."""

    def total(m: re.Match[str], n: int, ln: str) -> Fact:
        size, free = float(m[1]), float(m[2])
        used = round(100 * (size - free) / size, 1) if size else 0.0
        return fact("storage", n, ln, value=used, unit="%", extra=(("total_bytes", size),))

    return scan(text, [rule(r"^\s*(\d+) bytes total \((\d+) bytes free", total)], strict=False)
