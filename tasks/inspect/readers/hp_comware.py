"""H3C Comware 7 health readers (S5130S, S6520X).

Tested on the real samples of the ntc-templates corpus where it has them (`display
counters inbound interface`) and on the formats of H3C's Comware 7 command references
for the rest (tests/corpus/hp_comware/, sources in tests/NOTICE).
"""

from __future__ import annotations

import re

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, ReadWarning, nothing_read, reader, shown
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.readers.common import fact, limits, num, rule, scan, uptime_seconds


@reader("hp_comware.cpu")
def cpu(text: str) -> Reading[Fact]:
    """`display cpu-usage`: per slot and CPU, the 5-second load and the 5-minute average."""
    where = [""]
    load: dict[str, float] = {}

    def head(m: re.Match[str], n: int, ln: str) -> None:
        where[0] = f"slot {m[1]} cpu {m[2]}"
        load.clear()

    def figure(m: re.Match[str], n: int, ln: str) -> Fact | None:
        load[m[2]] = float(m[1])
        if m[2] != "5 minutes" or "5 seconds" not in load:
            return None
        return fact(
            "cpu",
            n,
            ln,
            item=where[0],
            value=load["5 seconds"],
            unit="%",
            extra=(("one_minute", load.get("1 minute")), ("average", load["5 minutes"])),
        )

    return scan(
        text,
        [
            rule(r"^\s*Slot (\d+) CPU (\d+) CPU usage:", head),
            rule(r"^\s*(\d+)% in last (5 seconds|1 minute|5 minutes)\s*$", figure),
        ],
    )


@reader("hp_comware.memory")
def memory(text: str) -> Reading[Fact]:
    """`display memory`: used share per slot (100 % minus FreeRatio, which counts buffers
    and cache as free)."""
    slot = [""]

    def set_slot(m: re.Match[str], n: int, ln: str) -> None:
        slot[0] = m[1]

    def mem(m: re.Match[str], n: int, ln: str) -> Fact:
        return fact(
            "memory", n, ln, item=f"slot {slot[0]}", value=round(100 - float(m[1]), 1), unit="%"
        )

    return scan(
        text,
        [
            rule(r"^\s*Memory statistics are measured in KB:"),
            rule(r"^\s*Slot (\d+):", set_slot),
            rule(r"^\s+Total\s+Used\s+Free"),
            rule(r"^Mem:\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+([\d.]+)%\s*$", mem),
            rule(r"^-/\+ Buffers/Cache:"),
            rule(r"^Swap:"),
        ],
    )


@reader("hp_comware.temperature")
def temperature(text: str) -> Reading[Fact]:
    """`display environment`: each sensor with its warning, alarm and shutdown limits."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact:
        shutdown = None if m[7].upper() == "NA" else float(m[7])
        return fact(
            "temperature",
            n,
            ln,
            item=f"slot {m[1]} {m[2]}",
            value=float(m[3]),
            unit="C",
            limits=limits(high_warning=float(m[5]), high_alarm=float(m[6]), critical=shutdown),
        )

    return scan(
        text,
        [
            rule(r"^\s*System temperature information"),
            rule(r"^\s*-{5,}\s*$"),
            rule(r"^\s*Slot\s+Sensor\s+Temperature"),
            rule(
                r"^\s*(\d+)\s+([A-Za-z]+(?: \d+)?)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(\S+)\s*$",
                row,
            ),
        ],
    )


@reader("hp_comware.fan")
def fan(text: str) -> Reading[Fact]:
    """`display fan`: each fan's state."""
    where = ["", ""]

    def slot(m: re.Match[str], n: int, ln: str) -> None:
        where[0] = m[1]

    def fan_no(m: re.Match[str], n: int, ln: str) -> None:
        where[1] = m[1]

    def state(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[1]
        st = (
            "ok" if word.lower() == "normal" else "absent" if word.lower() == "absent" else "failed"
        )
        return fact("fan", n, ln, item=f"slot {where[0]} fan {where[1]}", value=word, state=st)

    return scan(
        text,
        [
            rule(r"^\s*Slot (\d+):", slot),
            rule(r"^\s*Fan\s+(\d+):", fan_no),
            rule(r"^\s*State\s*:\s*(\S+)", state),
            rule(r"^\s*(?:Prefer )?Airflow Direction\s*:"),
        ],
    )


@reader("hp_comware.power")
def power(text: str) -> Reading[Fact]:
    """`display power`: each supply's state (Normal, Absent, Fault...)."""
    slot = [""]

    def set_slot(m: re.Match[str], n: int, ln: str) -> None:
        slot[0] = m[1]

    def row(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[2]
        st = (
            "ok" if word.lower() == "normal" else "absent" if word.lower() == "absent" else "failed"
        )
        return fact("power", n, ln, item=f"slot {slot[0]} power {m[1]}", value=word, state=st)

    return scan(
        text,
        [
            rule(r"^\s*Slot (\d+):", set_slot),
            rule(r"^\s*PowerID\s+State"),
            rule(r"^\s*(\d+)\s+(\w+)\s+\S+\s+\S+\s+\S+\s+\S+\s*$", row),
        ],
    )


@reader("hp_comware.optics")
def optics(text: str) -> Reading[Fact]:
    """`display transceiver diagnosis interface`: per module the current temperature, RX
    and TX power, and the module's high and low alarm thresholds."""
    port = [""]
    current: dict[str, float] = {}
    high: dict[str, float] = {}
    where: list[tuple[int, str]] = []
    value = r"(-?[\d.]+|-?inf)"

    def set_port(m: re.Match[str], n: int, ln: str) -> None:
        port[0] = m[1]
        current.clear()
        high.clear()

    def now(m: re.Match[str], n: int, ln: str) -> None:
        current.update(temperature=num(m[1]), rx=num(m[4]), tx=num(m[5]))
        where[:] = [(n, ln)]

    def hi(m: re.Match[str], n: int, ln: str) -> None:
        high.update(temperature=num(m[1]), rx=num(m[4]), tx=num(m[5]))

    def lo(m: re.Match[str], n: int, ln: str) -> list[Fact]:
        low = {"temperature": num(m[1]), "rx": num(m[4]), "tx": num(m[5])}
        if not current or not where:
            return []
        n0, ln0 = where[0]
        return [
            fact(
                "optics",
                n0,
                ln0,
                item=port[0],
                value=current[p],
                unit="C" if p == "temperature" else "dBm",
                limits=limits(low_alarm=low[p], high_alarm=high.get(p)),
                extra=(("param", p),),
            )
            for p in ("rx", "tx", "temperature")
        ]

    return scan(
        text,
        [
            rule(r"^(\S+) transceiver diagnostic information:", set_port),
            rule(r"^\s*(?:Current diagnostic parameters|Alarm thresholds):"),
            rule(r"^\s*Temp"),
            rule(rf"^\s*High\s+{value}\s+{value}\s+{value}\s+{value}\s+{value}\s*$", hi),
            rule(rf"^\s*Low\s+{value}\s+{value}\s+{value}\s+{value}\s+{value}\s*$", lo),
            rule(rf"^\s*{value}\s+{value}\s+{value}\s+{value}\s+{value}\s*$", now),
        ],
    )


_AGGREGATE = re.compile(r"^(BAGG|RAGG|Vlan|Loop|NULL|Tun)", re.I)


@reader("hp_comware.errors")
def errors(text: str) -> Reading[Fact]:
    """`display counters inbound interface`: inbound error packets of each physical port."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact | None:
        if m[2] == "--":
            return None
        extra: tuple[tuple[str, object], ...] = (("kind", "input"),)
        if _AGGREGATE.match(m[1]):
            extra += (("logical", True),)
        return fact("errors", n, ln, item=m[1], value=float(m[2]), extra=extra)

    return scan(
        text,
        [
            rule(r"^Interface\s+Total \(pkts\)"),
            rule(r"^\s*Overflow: More than"),
            rule(r"^\s*--: Not supported"),
            rule(r"^(\S+)\s+(?:\d+|--)\s+(?:\d+|--)\s+(?:\d+|--)\s+(\d+|--)\s*$", row),
        ],
    )


@reader("hp_comware.uptime")
def uptime(text: str) -> Reading[Fact]:
    """`display version`: the device's uptime and the last reboot reason."""
    got: list[tuple[float, int, str]] = []
    reason = [""]

    def up(m: re.Match[str], n: int, ln: str) -> None:
        secs = uptime_seconds(m[1])
        if secs is not None and not got:
            got.append((secs, n, ln))

    def why(m: re.Match[str], n: int, ln: str) -> None:
        reason[0] = m[1].strip()

    reading = scan(
        text,
        [
            rule(r"^(?:H3C|HPE|HP) .* uptime is (.+)$", up),
            rule(r"^Last reboot reason\s*:\s*(.+)$", why),
        ],
        strict=False,
    )
    if not got:
        return reading
    secs, n, ln = got[0]
    f = fact("uptime", n, ln, value=secs, unit="s", extra=(("reason", reason[0]),))
    return Reading((f,), ())


@reader("hp_comware.ntp")
def ntp(text: str) -> Reading[Fact]:
    """`display ntp-service status`."""

    def status(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[1].lower()
        return fact("ntp", n, ln, value=word, state="ok" if word == "synchronized" else "failed")

    known = (
        "Clock stratum|System peer|Local mode|Reference clock ID|Leap indicator|Clock jitter|"
        "Stability|Clock precision|Root delay|Root dispersion|Reference time"
    )
    return scan(text, [rule(r"^\s*Clock status:\s*(\S+)", status), rule(rf"^\s*(?:{known}):")])


@reader("hp_comware.storage")
def storage(text: str) -> Reading[Fact]:
    """`dir`: the flash's total and free space."""

    def total(m: re.Match[str], n: int, ln: str) -> Fact:
        size, free = num(m[1]), num(m[2])
        used = round(100 * (size - free) / size, 1) if size else 0.0
        return fact("storage", n, ln, value=used, unit="%", extra=(("total_kb", size),))

    return scan(text, [rule(r"^\s*([\d,]+) KB total \(([\d,]+) KB free\)", total)], strict=False)


_ALARM_LEVELS = ("ERROR", "WARNING", "NOTICE", "INFO")  # most severe first
_ALARM_ROW = re.compile(
    r"^\s*(?:(?P<chassis>\d+|-)\s+)?(?P<slot>\d+|-)\s+(?P<level>ERROR|WARNING|NOTICE|INFO)\s+"
    r"(?P<info>\S.*?)\s*$"
)


@reader("hp_comware.alarms")
def alarms(text: str) -> Reading[Fact]:
    """`display alarm`: the alarms present now, as HPE's FlexNetwork 12500 installation guide
    documents the display (standalone `Slot Level Info`, IRF `Chassis Slot Level Info`;
    a hyphen for an alarm of the chassis; levels ERROR, WARNING, NOTICE, INFO). ERROR and
    WARNING alarms are kept (the `alarms` check reports each); NOTICE and INFO are read and
    not kept. The header gives one fact (the number of alarms), so that a device without
    alarms reads as such and not as an empty display."""
    header: tuple[int, str] | None = None
    irf = False
    facts: list[Fact] = []
    rows = 0

    def row(m: re.Match[str], n: int, ln: str) -> Fact | None:
        nonlocal rows
        if (m["chassis"] is not None) != irf:  # a column more or less than the header
            return None
        rows += 1
        if m["level"] not in ("ERROR", "WARNING"):
            return None
        where = "chassis" if m["slot"] == "-" else f"slot {m['slot']}"
        if m["chassis"] not in (None, "-"):
            where = f"chassis {m['chassis']} {where}"
        return fact(
            "alarms",
            n,
            ln,
            item=f"{where}: {m['info']}",
            value=m["info"],
            state="failed",
            extra=(("level", m["level"]), ("active", True)),
        )

    def head(m: re.Match[str], n: int, ln: str) -> None:
        nonlocal header, irf
        header, irf = (n, ln), m[1] is not None

    reading = scan(
        text,
        [rule(r"^\s*(Chassis\s+)?Slot\s+Level\s+Info\s*$", head), rule(_ALARM_ROW.pattern, row)],
    )
    warnings = [w for w in reading.warnings if "no records" not in w.problem]
    facts = list(reading.records)
    # a row whose columns do not match the header's is not understood
    understood = {f.line for f in facts}
    for number, line in enumerate(text.splitlines(), 1):
        m = _ALARM_ROW.match(line)
        if m and (m["chassis"] is not None) != irf and number not in understood:
            warnings.append(ReadWarning(number, shown(line), "line not understood"))
    warnings.sort(key=lambda w: w.line)
    if header is None:
        if text.strip():
            warnings.append(nothing_read(text, _("no `Slot Level Info` header in the display")))
        return Reading(tuple(facts), tuple(warnings))
    n, ln = header
    summary = fact("alarms", n, ln, value=float(rows), extra=(("active", True),))
    return Reading((summary, *facts), tuple(warnings))
