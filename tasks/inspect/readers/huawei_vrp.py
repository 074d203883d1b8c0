"""Huawei VRP health readers (S-series switches, AR routers, USG firewalls, NIP).

Tested on the real samples of the ntc-templates corpus where it has them (`display
device`, `display temperature`, `display ntp status`, `dir`, `display version`,
`display interface brief`) and on the formats of Huawei's command references for the rest
(tests/corpus/huawei_vrp/, sources in tests/NOTICE).
"""

from __future__ import annotations

import re
from datetime import datetime

from netsteward.tasks.core.reading import Reading, reader
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.readers.common import (
    cpu_rule,
    fact,
    limits,
    num,
    percent_rule,
    rule,
    scan,
    uptime_seconds,
)

HEADER = re.compile(r"^\s*-{5,}\s*$")


@reader("huawei_vrp.cpu")
def cpu(text: str) -> Reading[Fact]:
    """`display cpu-usage`: the five-second load, and the five-minute one as the average."""
    return scan(
        text,
        [
            cpu_rule(
                r"CPU utilization for five seconds: (\d+)%: one minute: (\d+)%: five minutes: (\d+)%"
            )
        ],
        strict=False,
    )


@reader("huawei_vrp.memory")
def memory(text: str) -> Reading[Fact]:
    """`display memory-usage`."""
    return scan(
        text, [percent_rule("memory", r"Memory Using Percentage Is:\s*(\d+)%")], strict=False
    )


@reader("huawei_vrp.temperature")
def temperature(text: str) -> Reading[Fact]:
    """`display temperature`: every sensor with the board's own minor/major/fatal limits."""
    slot = [""]

    def row(m: re.Match[str], n: int, ln: str) -> Fact:
        pcb, i2c, addr, chl, status = m[1], m[2], m[3], m[4], m[5]
        minor, major, fatal, temp = (float(m[i]) for i in (6, 7, 8, 11))
        return fact(
            "temperature",
            n,
            ln,
            item=f"slot {slot[0]} {pcb} {i2c}/{addr}/{chl}",
            value=temp,
            unit="C",
            state="ok" if status.upper() == "NORMAL" else "warning",
            limits=limits(high_warning=minor, high_alarm=major, critical=fatal),
        )

    def set_slot(m: re.Match[str], n: int, ln: str) -> None:
        slot[0] = m[1]

    return scan(
        text,
        [
            rule(r"^SlotID(\d+)\s*:", set_slot),
            rule(r"^\s*Base-Board, Unit:C, Slot"),
            rule(r"^\s*PCB\s+I2C\s+Addr\s+Chl\s+Status"),
            rule(r"^\s+TMin\s+Tmax"),
            rule(HEADER.pattern),
            rule(
                r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)"
                r"\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$",
                row,
            ),
        ],
    )


_ONLINE = ("Present", "Absent", "Offline", "Online")


@reader("huawei_vrp.hardware")
def hardware(text: str) -> Reading[Fact]:
    """`display device`: the fans and power supplies (rows named FAN*/PWR*), their presence
    and alarm state. Boards are understood but not kept (no check of ours reads them)."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact | None:
        words = ln.split()
        at = next((i for i, w in enumerate(words) if w in _ONLINE), None)
        if at is None:
            return None
        name = words[0]
        kind = (
            "fan"
            if name.upper().startswith("FAN")
            else "power"
            if name.upper().startswith(("PWR", "PSU", "POWER"))
            else ""
        )
        online = words[at]
        if not kind:  # a board: read (its line is understood), not inspected
            return fact("board", n, ln, item=name, value=online)
        alarm = words[at + 3] if len(words) > at + 3 else "-"
        if online in ("Absent", "Offline"):
            state = "absent"
        else:
            state = "ok" if alarm.lower() == "normal" else "failed"
        return fact(kind, n, ln, item=name, value=f"{online}/{alarm}", state=state)

    return scan(
        text,
        [
            rule(r"(?i)device status:\s*$"),
            rule(HEADER.pattern),
            rule(r"^\s*Slot(?:/Card)?\s+Card"),
            rule(r"^\*: configured"),
            rule(r"^\s*\S+\s+.*\b(?:Present|Absent|Offline|Online)\b", row),
        ],
    )


_OPTIC_PARAMS = {
    "Temperature(C)": "temperature",
    "Voltage(V)": "voltage",
    "Bias Current(mA)": "bias",
    "RX Power(dBm)": "rx",
    "TX Power(dBm)": "tx",
}


@reader("huawei_vrp.optics")
def optics(text: str) -> Reading[Fact]:
    """`display transceiver diagnosis interface`: receive/transmit power and temperature of
    each module, with the module's alarm and warning thresholds."""
    port = [""]

    def set_port(m: re.Match[str], n: int, ln: str) -> None:
        port[0] = m[1]

    def param(m: re.Match[str], n: int, ln: str) -> Fact | None:
        what = _OPTIC_PARAMS[m[1]]
        if what not in ("rx", "tx", "temperature"):
            return None
        cur, low_a, high_a, low_w, high_w = (num(m[i]) for i in range(2, 7))
        return fact(
            "optics",
            n,
            ln,
            item=port[0],
            value=cur,
            unit="C" if what == "temperature" else "dBm",
            limits=limits(low_a, high_a, low_w, high_w),
            extra=(("param", what),),
        )

    names = "|".join(re.escape(k) for k in _OPTIC_PARAMS)
    value = r"(-?[\d.]+|-?inf)"
    return scan(
        text,
        [
            rule(r"^Port (\S+) transceiver diagnostic information:", set_port),
            rule(HEADER.pattern),
            rule(r"^\s+Parameter\s+Current"),
            rule(rf"^\s+({names})\s+{value}\s+{value}\s+{value}\s+{value}\s+{value}\s*$", param),
        ],
    )


_LOGICAL = re.compile(
    r"^(Eth-Trunk|Vlanif|LoopBack|NULL|Aux|MEth|Tunnel|Virtual|Dialer|Ip-Trunk|Cellular|Wlan|Nve|Vbdif)",
    re.I,
)


@reader("huawei_vrp.errors")
def errors(text: str) -> Reading[Fact]:
    """`display interface brief`: input errors of every physical port (LAG rows add up
    their members and are skipped)."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact | None:
        name = m[1]
        if _LOGICAL.match(name):
            return None
        return fact(
            "errors", n, ln, item=name, value=float(m[2]), unit="", extra=(("kind", "input"),)
        )

    legend = r"^(PHY|\*down|\^down|\(\w\)|InUti/OutUti):"
    return scan(
        text,
        [
            rule(legend),
            rule(r"^Interface\s+PHY\s+Protocol"),
            rule(r"^\s*(\S+?)(?:\(\S+\))?\s+\S+\s+\S+\s+\S+\s+\S+\s+(\d+)\s+\d+\s*$", row),
        ],
    )


@reader("huawei_vrp.uptime")
def uptime(text: str) -> Reading[Fact]:
    """`display version`: the device's uptime (its first `uptime is` line)."""
    seen: list[Fact] = []

    def up(m: re.Match[str], n: int, ln: str) -> Fact | None:
        if seen:
            return None
        secs = uptime_seconds(m[2])
        if secs is None:
            return None
        seen.append(fact("uptime", n, ln, value=secs, unit="s"))
        return seen[0]

    # the device's line comes first; the boards' (`MPU 7(Master) : uptime is`) follow
    return scan(text, [rule(r"^(?!\s)(.+?) uptime is (.+)$", up)], strict=False)


@reader("huawei_vrp.ntp")
def ntp(text: str) -> Reading[Fact]:
    """`display ntp status`."""

    def status(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[1].lower()
        return fact("ntp", n, ln, value=word, state="ok" if word == "synchronized" else "failed")

    known = (
        "clock stratum|reference clock ID|nominal frequency|actual frequency|clock precision|"
        "clock offset|root delay|root dispersion|peer dispersion|reference time|"
        "synchronization state"
    )
    return scan(
        text,
        [rule(r"^\s*clock status:\s*(\S+)", status), rule(rf"^\s*(?:{known}):")],
    )


_VRP_TIME = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})")


@reader("huawei_vrp.config_saved")
def config_saved(text: str) -> Reading[Fact]:
    """`display current-configuration | include Last configuration`: unsaved when the last
    change is later than the last save (or there is no save line)."""
    stamps: dict[str, tuple[datetime, int, str]] = {}

    def stamp(m: re.Match[str], n: int, ln: str) -> None:
        t = _VRP_TIME.search(ln)
        if t:
            stamps[m[1]] = (datetime.fromisoformat(t[1]), n, ln)

    reading = scan(text, [rule(r"^!Last configuration was (updated|saved) at ", stamp)])
    if "updated" not in stamps:
        return reading
    changed, n, ln = stamps["updated"]
    saved = stamps.get("saved")
    unsaved = saved is None or changed > saved[0]
    f = fact(
        "config_saved",
        n,
        ln,
        value="unsaved" if unsaved else "saved",
        state="failed" if unsaved else "ok",
        extra=(("saved_at", saved[0].isoformat() if saved else ""),),
    )
    return Reading((f,), tuple(w for w in reading.warnings if "no records" not in w.problem))


@reader("huawei_vrp.storage")
def storage(text: str) -> Reading[Fact]:
    """`dir`: the flash's total and free space (its last line)."""

    def total(m: re.Match[str], n: int, ln: str) -> Fact:
        size, free = num(m[1]), num(m[2])
        used = round(100 * (size - free) / size, 1) if size else 0.0
        return fact("storage", n, ln, value=used, unit="%", extra=(("total_kb", size),))

    return scan(text, [rule(r"^\s*([\d,]+) KB total \(([\d,]+) KB free\)", total)], strict=False)


@reader("huawei_vrp.sessions")
def sessions(text: str) -> Reading[Fact]:
    """USG `display firewall session table` (its summary line)."""
    return scan(
        text,
        [
            rule(
                r"Current Total Sessions\s*:\s*(\d+)",
                lambda m, n, ln: fact("sessions", n, ln, value=float(m[1])),
            )
        ],
        strict=False,
    )


@reader("huawei_vrp.ha")
def ha(text: str) -> Reading[Fact]:
    """USG `display hrp state`: both roles and both core states."""
    got: dict[str, tuple[str, str, int, str]] = {}

    def keep(key: str):  # type: ignore[no-untyped-def]
        def handler(m: re.Match[str], n: int, ln: str) -> None:
            got[key] = (m[1].lower(), m[2].lower(), n, ln)

        return handler

    reading = scan(
        text,
        [
            rule(r"^\s*Role:\s*(\w+), peer:\s*(\w+)", keep("role")),
            rule(r"^\s*Core state:\s*(\w+), peer:\s*(\w+)", keep("core")),
            rule(r"^\s*(HRP is disabled)()", keep("disabled")),
        ],
        strict=False,
    )
    if "disabled" in got:
        n, ln = got["disabled"][2], got["disabled"][3]
        return Reading((fact("ha", n, ln, value="disabled", state="ok"),), ())
    if "role" not in got or "core" not in got:
        return reading
    role, peer, n, ln = got["role"]
    core, peer_core, cn, cln = got["core"]
    roles_ok = {role, peer} == {"active", "standby"} or role == peer == "active"
    healthy = roles_ok and core == peer_core == "normal"
    evidence_n, evidence = (n, ln) if not roles_ok or healthy else (cn, cln)
    f = fact(
        "ha", evidence_n, evidence, value=f"{role}/{peer}", state="ok" if healthy else "failed"
    )
    return Reading((f,), tuple(w for w in reading.warnings if "no records" not in w.problem))
