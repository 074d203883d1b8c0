"""Fact readers: model, software version and serial number of a device.

| reader                   | command                 | how |
|--------------------------|-------------------------|-----|
| huawei_vrp.version       | display version         | ntc-templates |
| huawei_vrp.serial        | display esn             | own (ntc-templates has none) |
| hp_comware.version       | display version         | own (ntc-templates has none) |
| hp_comware.serial        | display device manuinfo | ntc-templates |
| cisco_ios.version        | show version            | ntc-templates |
| cisco_asa.version        | show version            | ntc-templates |
| fortinet.version         | get system status       | ntc-templates |
| hillstone_stoneos.version| show version            | own (no template anywhere) |
| brocade_fos.version      | version                 | own |
| brocade_fos.serial       | chassisshow             | own |

Version outputs are free text: a reader cannot tell a line it does not understand from a line
it has no use for, so it fails loud when it reads none of the three facts from non-empty output
(and, through ntc-templates' strict templates, on lines those reject).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netsteward.tasks.core.fsm import first, read_table
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, ReadWarning, nothing_read, reader


@dataclass(frozen=True)
class Facts:
    model: str = ""
    version: str = ""
    serial: str = ""

    def as_dict(self) -> dict[str, str]:
        """The facts found ({} keys for those the output does not show)."""
        return {
            k: v
            for k, v in (("model", self.model), ("version", self.version), ("serial", self.serial))
            if v
        }


def _facts(text: str, facts: Facts, warnings: tuple[ReadWarning, ...] = ()) -> Reading[Facts]:
    if facts.as_dict():
        return Reading((facts,), warnings)
    if not text.strip() or any(w.kind == "nothing" for w in warnings):
        return Reading(warnings=warnings)
    problem = _("no model, version or serial in this output")
    return Reading(warnings=(*warnings, nothing_read(text, problem)))


def _search(patterns: list[str], text: str) -> str:
    for pattern in patterns:
        m = re.search(pattern, text, re.M)
        if m:
            return m.group(1)
    return ""


@reader("huawei_vrp.version")
def huawei_version(text: str) -> Reading[Facts]:
    """`display version`: the model (`HUAWEI S5735-L48T4X-A1 Routing Switch uptime is ...`) and
    the release (the last word of `(S5735 V200R021C00SPC100)`)."""
    rows, warnings = read_table("ntc:huawei_vrp_display_version.textfsm", text, strict=True)
    values = rows[0].values if rows else {}
    product = str(values.get("product_version") or "").split()
    model = str(values.get("model") or "").split()
    return _facts(text, Facts(model[0] if model else "", product[-1] if product else ""), warnings)


@reader("huawei_vrp.serial")
def huawei_serial(text: str) -> Reading[Facts]:
    """`display esn`: `ESN of slot 0: 2102...`, `ESN of device: ...`, `ESN of master chassis: ...`."""
    serial = _search([r"ESN of (?:slot|device|master chassis)[^:]*:\s*(\S+)"], text)
    return _facts(text, Facts(serial=serial))


@reader("hp_comware.version")
def comware_version(text: str) -> Reading[Facts]:
    """`display version`: `... Software, Version 7.1.070, Release 6128P01` and
    `H3C S5130S-52S-EI uptime is ...`."""
    version = _search([r"Software, Version ([\d.]+, (?:Release|Alpha|ESS) \w+)"], text)
    model = _search([r"^(?:H3C|HPE|HP) (\S+)(?: \w+)? uptime is"], text)
    return _facts(text, Facts(model, version))


@reader("hp_comware.serial")
def comware_serial(text: str) -> Reading[Facts]:
    """`display device manuinfo`: the first serial number (the chassis, or slot 1)."""
    rows, warnings = read_table(
        "ntc:hp_comware_display_device_manuinfo.textfsm", text, strict=False
    )
    serials = [first(r.values.get("device_serial_number")) for r in rows]
    serial = next((s for s in serials if s and s.upper() != "NONE"), "")
    return _facts(text, Facts(serial=serial), warnings)


@reader("cisco_ios.version")
def cisco_version(text: str) -> Reading[Facts]:
    """`show version`: release, model (`Model number`, else the `cisco X (...) processor`
    line) and serial (`System serial number`, else `Processor board ID`)."""
    rows, warnings = read_table("ntc:cisco_ios_show_version.textfsm", text, strict=False)
    values = rows[0].values if rows else {}
    model = _search([r"^Model [Nn]umber\s*:\s*(\S+)"], text) or first(values.get("hardware"))
    serial = _search([r"^System [Ss]erial [Nn]umber\s*:\s*(\S+)"], text) or first(
        values.get("serial")
    )
    return _facts(text, Facts(model, str(values.get("version") or ""), serial), warnings)


@reader("cisco_asa.version")
def asa_version(text: str) -> Reading[Facts]:
    """`show version`: release, model (`Hardware: ASA5525, ...`, else `Model Id:`) and serial."""
    rows, warnings = read_table("ntc:cisco_asa_show_version.textfsm", text, strict=False)
    values = rows[0].values if rows else {}
    hardware = str(values.get("hardware") or "").split(",")[0].strip()
    return _facts(
        text,
        Facts(
            hardware or str(values.get("model") or ""),
            str(values.get("version") or ""),
            first(values.get("serial")),
        ),
        warnings,
    )


@reader("fortinet.version")
def fortinet_version(text: str) -> Reading[Facts]:
    """`get system status`: `Version: FortiGate-600E v7.2.8,build1639,240201 (GA.M)` and the
    serial number."""
    rows, warnings = read_table("ntc:fortinet_get_system_status.textfsm", text, strict=False)
    values = rows[0].values if rows else {}
    version = str(values.get("version") or "").split()
    return _facts(
        text,
        Facts(
            version[0] if version else "",
            version[1] if len(version) > 1 else "",
            str(values.get("serial_number") or ""),
        ),
        warnings,
    )


@reader("hillstone_stoneos.version")
def stoneos_version(text: str) -> Reading[Facts]:
    """`show version`: `Product name: SG-6000-E5760  S/N: 0302...  Assembly No.: ...` and the
    release (`Build number: 5.5R10P1`, else `StoneOS software, version 5.5`)."""
    return _facts(
        text,
        Facts(
            _search([r"Product name:\s*(\S+)"], text),
            _search([r"^Build number:\s*(\S+)", r"(?i)StoneOS software, version\s+(\S+)"], text),
            _search([r"S/N:\s*(\S+)"], text),
        ),
    )


@reader("brocade_fos.version")
def fos_version(text: str) -> Reading[Facts]:
    """`version`: `Fabric OS:  v9.1.1b`."""
    return _facts(text, Facts(version=_search([r"Fabric OS:\s+(\S+)"], text)))


@reader("brocade_fos.serial")
def fos_serial(text: str) -> Reading[Facts]:
    """`chassisshow`: the first `Serial Num:` (or `Factory Serial Num:`)."""
    return _facts(text, Facts(serial=_search([r"(?:Factory |)Serial Num:\s*(\S+)"], text)))
