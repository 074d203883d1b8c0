"""Brocade Fabric OS health readers: `switchstatusshow`, `porterrshow`, `sfpshow -all`,
`uptime`.

The corpus has no Brocade captures; the formats follow the FOS command reference, Dell's
Connectrix KB 000037925 (`porterrshow`) and brcddb's `sfpshow` parser (jconsoli/brcddb
`util/parse_cli.py`); sources in tests/NOTICE.
"""

from __future__ import annotations

import re

from netsteward.tasks.core.reading import Reading, reader
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.readers.common import dbm_of_uw, fact, limits, num, rule, scan

# switchstatusshow monitor -> our check
_MONITOR = {"power supplies": "power", "temperatures": "temperature", "fans": "fan"}


@reader("brocade_fos.switch_status")
def switch_status(text: str) -> Reading[Fact]:
    """`switchstatusshow`: the overall switch state and each health monitor."""

    def overall(m: re.Match[str], n: int, ln: str) -> Fact:
        word = m[1].upper()
        return fact("fc_switch", n, ln, value=word, state="ok" if word == "HEALTHY" else "failed")

    def monitor(m: re.Match[str], n: int, ln: str) -> Fact:
        name, word = m[1].strip(), m[2].upper()
        check = _MONITOR.get(name.lower(), "fc_switch")
        return fact(
            check,
            n,
            ln,
            item=f"{name} monitor",
            value=word,
            state="ok" if word == "HEALTHY" else "failed",
        )

    return scan(
        text,
        [
            rule(r"^Switch Health Report"),
            rule(r"^(?:Switch Name|IP address|Duration):"),
            rule(r"^SwitchState:\s*(\w+)", overall),
            rule(r"^(.+?) monitor\s+(HEALTHY|MARGINAL|DOWN|UNKNOWN|\S+)\s*$", monitor),
            rule(r"^All ports are healthy"),
            rule(r"^\s*(?:Port|Index)\s+Health"),
        ],
    )


def _count(text: str) -> float:
    """porterrshow counters: `12`, `4.5k`, `2.1m`, `1.2g`."""
    scale = {"k": 1e3, "m": 1e6, "g": 1e9}.get(text[-1:].lower(), 1.0)
    return float(text[:-1] if scale != 1.0 else text) * scale


@reader("brocade_fos.port_errors")
def port_errors(text: str) -> Reading[Fact]:
    """`porterrshow`: each port's CRC errors (`crc err`, the counter watched)."""

    def row(m: re.Match[str], n: int, ln: str) -> Fact | None:
        cols = m[2].split()
        if len(cols) < 4:
            return None
        return fact(
            "errors",
            n,
            ln,
            item=m[1],
            value=_count(cols[3]),
            extra=(("kind", "crc"), ("enc_out", _count(cols[8]) if len(cols) > 8 else 0.0)),
        )

    return scan(
        text,
        [
            rule(r"^\s*frames\s+enc\s+crc"),
            rule(r"^\s*tx\s+rx\s+in\s+err"),
            rule(r"^\s*(\d+):\s+(.+)$", row),
        ],
    )


_SFP_KEYS = (
    r"^(?:Identifier|Connector|Transceiver|Encoding|Baud Rate|Length\w*|Vendor Name|Vendor OUI|"
    r"Vendor PN|Vendor Rev|Wavelength|Options|BR Max|BR Min|Serial No|Date Code|DD Type|"
    r"Enh Options|Status/Ctrl|Pwr On Time|Alarm flags|Warn Flags|Current|Voltage|"
    r"State transitions|Last poll time)\s*(?:\[\d+\])?:"
)
_UW = r"(-?[\d.]+)\s*uW"


@reader("brocade_fos.sfp")
def sfp(text: str) -> Reading[Fact]:
    """`sfpshow -all`: each SFP's temperature, RX and TX power against the module's alarm and
    warning thresholds (printed in the display; powers in uW, compared in dBm)."""
    port = [""]

    def set_port(m: re.Match[str], n: int, ln: str) -> None:
        port[0] = m[1]

    def temp(m: re.Match[str], n: int, ln: str) -> Fact:
        lo_a, hi_a, lo_w, hi_w = (num(m[i]) for i in range(2, 6))
        return fact(
            "optics",
            n,
            ln,
            item=port[0],
            value=num(m[1]),
            unit="C",
            limits=limits(lo_a, hi_a, lo_w, hi_w),
            extra=(("param", "temperature"),),
        )

    def power(m: re.Match[str], n: int, ln: str) -> Fact:
        lo_a, hi_a, lo_w, hi_w = (dbm_of_uw(num(m[i])) for i in range(3, 7))
        return fact(
            "optics",
            n,
            ln,
            item=port[0],
            value=dbm_of_uw(num(m[2])),
            unit="dBm",
            limits=limits(lo_a, hi_a, lo_w, hi_w),
            extra=(("param", m[1].lower()),),
        )

    return scan(
        text,
        [
            rule(r"^=+\s*$"),
            rule(r"^Port\s+(\d+):\s*$", set_port),
            rule(r"^(?:Media not installed|No SFP installed)"),
            rule(r"^\s+Alarm\s+Warn\s*$"),
            rule(r"^\s+low\s+high\s+low\s+high\s*$"),
            rule(
                r"^Temperature:\s+(-?[\d.]+)\s+Centigrade\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)",
                temp,
            ),
            rule(
                rf"^(RX|TX) Power:\s+\S+\s+dBm \(([\d.]+)\s*uW\)\s+{_UW}\s+{_UW}\s+{_UW}\s+{_UW}",
                power,
            ),
            rule(_SFP_KEYS),
        ],
    )


@reader("brocade_fos.uptime")
def uptime(text: str) -> Reading[Fact]:
    """`uptime`: ` 16:32:17 up 218 days,  3:04,  1 user, ...`."""

    def up(m: re.Match[str], n: int, ln: str) -> Fact:
        days = int(m[1] or 0)
        if m[2] is not None:
            secs = days * 86400 + int(m[2]) * 3600 + int(m[3]) * 60
        else:
            secs = days * 86400 + int(m[4] or 0) * 60
        return fact("uptime", n, ln, value=float(secs), unit="s")

    return scan(
        text,
        [rule(r"\bup\s+(?:(\d+) days?,\s+)?(?:(\d+):(\d+)|(\d+) min)", up)],
    )
