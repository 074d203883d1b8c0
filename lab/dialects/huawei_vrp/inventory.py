"""Huawei VRP inventory displays that backup tools read besides the configuration
(a base of `HuaweiVrp`).

RANCID 3.13's `vrp` type runs `display version`, `display startup`, `display device`,
`display device manufacture-info`, `display transceiver verbose`, `display debugging`,
`dir /all /all-filesystems` and `display current-configuration`; oxidized's `vrp` model
runs `display current-configuration all`.  A real S-series switch, AR router, USG or NIP
accepts all of them; the formats follow the examples of the VRP V200R019 / V300R021
command references (Device Management and Interface Management chapters):

- `display device manufacture-info`: one row per board, power module and fan, with
  serial number and manufacturing date;
- `display transceiver verbose`: one block per interface that holds an optical module
  (the 10GE and faster ports with a cable in the lab), each block "Common information",
  "Manufacture information", "Diagnostic information" separated by dashed lines;
  interfaces without a module are not listed;
- `display debugging`: nothing while no debugging switch is on (the lab never turns one on).
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import CliError, Dialect, command

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

DASHES = "-" * 61

# optical module per port speed: (type, wavelength nm, distance, vendor part number)
MODULES = {
    "10G": ("10GBASE_SR_SFP", "850", "300(OM3),82(OM2),33(OM1)", "02318169"),
    "25G": ("25GBASE_SR_SFP", "850", "100(OM4),70(OM3)", "02312PNY"),
    "40G": ("40GBASE_SR4_QSFP+", "850", "150(OM4),100(OM3)", "02310MHR"),
    "100G": ("100GBASE_SR4_QSFP28", "850", "100(OM4),70(OM3)", "02311KNM"),
}


def _stamp(s: Session, salt: str) -> int:
    return zlib.crc32(f"{s.device.name}/{salt}".encode())


def _manu_date(s: Session, salt: str) -> str:
    """A manufacturing date before the device's boot, stable per device and part."""
    day = s.device.boot_time.date() - timedelta(days=200 + _stamp(s, salt) % 400)
    return f"{date(day.year, day.month, day.day):%Y-%m-%d}"


def field(label: str, value: str) -> str:
    """`  Label<padding>:value`, the colon in one column."""
    return f"  {label:<38}:{value}"


class VrpInventory(Dialect):
    def _reject_args(self, s: Session, command_text: str, args: list[str]) -> None:
        if args:
            indent = len(self.prompt(s)) + len(command_text) + 1
            raise CliError(" " * indent + "^\nError: Unrecognized command found at '^' position.\n")

    @command("display device manufacture-info", pipe=True)
    def display_manufacture_info(self, s: Session, args: list[str]) -> str:
        self._reject_args(s, "display device manufacture-info", args)
        spec = s.device.spec
        rows = [("0", "-", spec.serial, _manu_date(s, "board"))]
        for part in ("PWR1", "PWR2", "FAN1"):
            serial = f"2102{_stamp(s, part) % 10**8:08d}{part[-1]}{_stamp(s, part) % 997:04d}"
            rows.append(("0", part, serial, _manu_date(s, part)))
        out = [
            "Slot  Sub   Serial-number             Manu-date",
            "- " * 24,
        ]
        out += [f"{r[0]:<6}{r[1]:<6}{r[2]:<26}{r[3]}" for r in rows]
        return "\n".join(out) + "\n"

    def _optical_ports(self, s: Session) -> list[tuple[str, str]]:
        """(port, speed) of the ports that hold an optical module: 10GE and faster with a cable."""
        cabled = {
            port
            for cable in s.device.lab.cables
            for host, port in ((cable.a, cable.a_port), (cable.b, cable.b_port))
            if host == s.device.name
        }
        return [
            (p.name, p.speed)
            for p in s.device.spec.ports
            if p.kind == "ethernet" and p.speed in MODULES and p.name in cabled
        ]

    @command("display transceiver verbose", pipe=True)
    def display_transceiver_verbose(self, s: Session, args: list[str]) -> str:
        self._reject_args(s, "display transceiver verbose", args)
        out: list[str] = []
        for port, speed in self._optical_ports(s):
            kind, wavelength, distance, part = MODULES[speed]
            stamp = _stamp(s, port)
            temp = 30 + stamp % 12 + s.now().minute % 3  # moves between readings
            rx = -(2 + stamp % 30 / 10 + s.now().second % 5 / 100)
            tx = -(1.5 + stamp % 20 / 10)
            out += [
                f"{port} transceiver information:",
                DASHES,
                "Common information:",
                field("Transceiver Type", f"{kind}"),
                field("Connector Type", "LC"),
                field("Wavelength(nm)", f"{wavelength}"),
                field("Transfer Distance(m)", f"{distance}"),
                field("Digital Diagnostic Monitoring", "YES"),
                field("Vendor Name", "HUAWEI"),
                field("Vendor Part Number", f"{part}"),
                field("Ordering Name", ""),
                DASHES,
                "Manufacture information:",
                field(
                    "Manu. Serial Number", f"{'IN' if speed != '10G' else 'AB'}{stamp % 10**8:08d}"
                ),
                field("Manufacturing Date", f"{_manu_date(s, port)}"),
                field("Vendor Name", "HUAWEI"),
                DASHES,
                "Diagnostic information:",
                field("Temperature(\u00b0C)", f"{temp:.2f}"),
                field("Temp High Threshold(\u00b0C)", "80.00"),
                field("Temp Low  Threshold(\u00b0C)", "-5.00"),
                field("Voltage(V)", f"{3.28 + stamp % 5 / 100:.2f}"),
                field("Volt High Threshold(V)", "3.63"),
                field("Volt Low  Threshold(V)", "2.97"),
                field("Bias Current(mA)", f"{5 + stamp % 40 / 10:.2f}"),
                field("Bias High Threshold(mA)", "12.00"),
                field("Bias Low  Threshold(mA)", "2.00"),
                field("Current Rx Power(dBM)", f"{rx:.2f}"),
                field("Default Rx Power High Threshold(dBM)", "2.00"),
                field("Default Rx Power Low  Threshold(dBM)", "-13.90"),
                field("Current Tx Power(dBM)", f"{tx:.2f}"),
                field("Default Tx Power High Threshold(dBM)", "1.00"),
                field("Default Tx Power Low  Threshold(dBM)", "-7.30"),
                DASHES,
                "",
            ]
        return "\n".join(out)

    @command("display debugging", pipe=True)
    def display_debugging(self, s: Session, args: list[str]) -> str:
        self._reject_args(s, "display debugging", args)
        return ""
