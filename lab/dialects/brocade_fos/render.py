"""Brocade Fabric OS 9.x (G620) command output from `DeviceSpec.extra` and the configshow text (pure).

Zoning is read from the `[Defined Configuration]` / `[Effective Configuration]`
sections of the running configuration, so zoning edits show up in `cfgshow`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from netsteward.lab.model import DeviceSpec


@dataclass
class Zoning:
    cfgs: dict[str, list[str]] = field(default_factory=dict)
    zones: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    effective: str = ""
    effective_zones: dict[str, list[str]] = field(default_factory=dict)


def zoning(config: str) -> Zoning:
    z = Zoning()
    section = ""
    for line in config.splitlines():
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition(":")
        members = [m for m in value.split(";") if m]
        if section == "[Defined Configuration]":
            kind, _, name = key.partition(".")
            table = {"cfg": z.cfgs, "zone": z.zones, "alias": z.aliases}.get(kind)
            if table is not None and name:
                table[name] = members
        elif section == "[Effective Configuration]":
            if key == "cfg":
                z.effective = value
            elif key.startswith("zone."):
                z.effective_zones[key[5:]] = members
    return z


def _block(kind: str, name: str, members: list[str]) -> list[str]:
    out = [f" {kind}:\t{name}\t"]
    text = "; ".join(members)
    out.append("\t\t" + text)
    return out


def cfgshow(config: str, what: str = "all") -> str:
    z = zoning(config)
    lines = ["Defined configuration:"]
    if not (z.cfgs or z.zones or z.aliases):
        lines.append(" no configuration defined")
    for name, members in z.cfgs.items():
        if what in ("all", "cfg"):
            lines += _block("cfg", name, members)
    for name, members in z.zones.items():
        if what in ("all", "zone"):
            lines += _block("zone", name, members)
    for name, members in z.aliases.items():
        if what in ("all", "alias"):
            lines += _block("alias", name, members)
    if what == "alias":
        return "\n".join(lines[1:]) + "\n"
    lines += ["", "Effective configuration:"]
    if not z.effective:
        lines.append(" no configuration in effect")
    else:
        lines.append(f" cfg:\t{z.effective}\t")
        for name, wwns in z.effective_zones.items():
            lines.append(f" zone:\t{name}\t")
            lines += [f"\t\t{w}" for w in wwns]
    return "\n".join(lines) + "\n\n"


def add_alias(config: str, name: str, wwns: list[str]) -> str:
    """The configuration with a new `alias.NAME:WWN;...` line in the defined configuration."""
    lines = config.splitlines()
    start = lines.index("[Defined Configuration]") if "[Defined Configuration]" in lines else None
    if start is None:
        raise ValueError("no defined configuration")
    end = start + 1
    while end < len(lines) and lines[end] and not lines[end].startswith("["):
        end += 1
    lines.insert(end, f"alias.{name}:" + ";".join(wwns))
    return "\n".join(lines) + "\n"


def remove_alias(config: str, name: str) -> str:
    return "\n".join(ln for ln in config.splitlines() if not ln.startswith(f"alias.{name}:")) + "\n"


def switchshow(spec: DeviceSpec) -> str:
    sw: dict[str, Any] = spec.extra.get("switch", {})
    order = [
        "switchName",
        "switchType",
        "switchState",
        "switchMode",
        "switchRole",
        "switchDomain",
        "switchId",
        "switchWwn",
        "zoning",
        "switchBeacon",
        "FC Router",
        "Fabric Name",
    ]
    lines = []
    for key in order:
        if key in sw:
            tabs = "\t\t" if len(key) < 7 else "\t"
            lines.append(f"{key}:{tabs}{sw[key]}")
    lines += ["HIF Mode:\tOFF", "Allow XISL Use:\tOFF"]
    if "LS Attributes" in sw:
        lines.append(f"LS Attributes:\t{sw['LS Attributes']}")
    lines += ["", "Index Port Address  Media Speed   State       Proto", "=" * 50]
    for p in spec.extra.get("fc_ports", []):
        tail = f"{p['type']}  {p['wwn']}" if p.get("type") else ""
        if p.get("type") == "E-Port" and p.get("attached"):
            tail += f' "{p["attached"]}" (upstream)'
        lines.append(
            f"{p['index']:>3}{p['port']:>5}   {p['address']}   {p['media']:<4}  {p['speed']:<6}  "
            f"{p['state']:<11} {p['proto']}  {tail}".rstrip()
        )
    return "\n".join(lines) + "\n"


def _dbm(uw: float) -> str:
    return f"{10 * math.log10(uw / 1000):.1f}" if uw > 0 else "-inf"


def sfpshow(
    spec: DeviceSpec, now: datetime, full: bool = False, rx_uw: dict[int, float] | None = None
) -> str:
    """`sfpshow [-all]`; `rx_uw` overrides the receive power of some ports (a weak optic)."""
    sfps = {s["port"]: s for s in spec.extra.get("sfps", [])}
    for port, value in (rx_uw or {}).items():
        if port in sfps:
            sfps[port] = {**sfps[port], "rx_power_uw": value}
    ports = [p["port"] for p in spec.extra.get("fc_ports", [])] or sorted(sfps)
    out: list[str] = []
    for port in ports:
        sfp = sfps.get(port)
        if not full:
            if sfp is None:
                out.append(f"Port {port:>2}: --")
            else:
                out.append(
                    f"Port {port:>2}: id (sw) Vendor: {sfp['vendor_name']:<16} Serial No: {sfp['serial']:<16} "
                    f"Speed: {sfp['speed']}"
                )
            continue
        out += ["=" * 13, f"Port {port:>2}:", "=" * 13]
        if sfp is None:
            out += ["Media not installed.", ""]
            continue
        out += [
            f"Identifier:  3    {sfp['identifier']}",
            f"Connector:   7    {sfp['connector']}",
            f"Transceiver: 6804406000000000 {sfp['speed']} M5,M5E,M6 sw Short_dist",
            "Encoding:    6    64B66B",
            "Baud Rate:   280  (units 100 megabaud)",
            f"Vendor Name: {sfp['vendor_name']}",
            f"Vendor OUI:  {sfp['vendor_oui']}",
            f"Vendor PN:   {sfp['vendor_pn']}",
            f"Vendor Rev:  {sfp['vendor_rev']}",
            f"Wavelength:  {sfp['wavelength_nm']}  (units nm)",
            "Options:     003a Loss_of_Sig,Tx_Fault,Tx_Disable",
            f"Serial No:   {sfp['serial']}",
            "Date Code:   190402",
            "                                          Alarm                  Warn",
            "                                      low        high       low         high",
            f"Temperature: {sfp['temperature_c']:<7} Centigrade     -5         85         0           75",
            f"Current:     {sfp['current_ma']:<7} mAmps          2.500      12.000     2.000       11.500",
            f"Voltage:     {sfp['voltage_mv']:<7} mVolts         2900.0     3700.0     3000.0      3600.0",
            f"RX Power:    {_dbm(sfp['rx_power_uw']):<7} dBm ({sfp['rx_power_uw']} uW)  31.6   uW  1258.9 uW  31.6   uW  794.3  uW",
            f"TX Power:    {_dbm(sfp['tx_power_uw']):<7} dBm ({sfp['tx_power_uw']} uW) 125.9  uW  1258.9 uW  251.2  uW  794.3  uW",
            "",
            "State transitions: 1",
            f"Last poll time: {now:%m-%d-%Y} UTC {now:%a %H:%M:%S}",
            "",
        ]
    return "\n".join(out) + "\n"


def version(spec: DeviceSpec) -> str:
    v = spec.version if spec.version.startswith("v") else "v" + spec.version
    return (
        "Kernel:     4.14.238\n"
        f"Fabric OS:  {v}\n"
        "Made on:    Fri Jun 17 02:06:12 2022\n"
        "Flash:\t    Tue Oct 10 14:12:03 2023\n"
        "BootProm:   2.0.11\n"
    )


def chassisshow(spec: DeviceSpec, now: datetime, booted: datetime) -> str:
    awake = (now - booted).days
    return (
        "\nCHASSIS/WWN  Unit: 1\n"
        "Header Version:     2\n"
        "Power Consume Factor:  -3W\n"
        "Factory Part Num:   40-1000011-11\n"
        f"Factory Serial Num: {spec.serial}\n"
        "Manufacture:        Day: 12  Month:  3  Year: 2021\n"
        f"Update:             Day: {now.day:>2}  Month: {now.month:>2}  Year: {now.year}\n"
        f"Time Alive:         {awake + 400} days\n"
        f"Time Awake:         {awake} days\n"
        "\nChassis Factory Serial Num: " + spec.serial + "\n"
    )


def configshow(config: str, now: datetime, full: bool) -> str:
    """`configshow` / `configshow -all`: the stored body with a fresh `date =` line (volatile)."""
    lines = config.rstrip("\n").splitlines()
    date = f"date = {now:%a %b} {now.day:>2} {now:%H:%M:%S %Y}"
    at = next(
        (i + 1 for i, ln in enumerate(lines) if ln.startswith("Configuration Format")),
        1 if lines else 0,
    )
    lines.insert(at, date)
    if full:
        marker = next(
            (i for i, ln in enumerate(lines) if ln == "[Chassis Configuration End]"), None
        )
        if marker is not None:
            lines.insert(marker + 1, date)
    return "\n".join(lines) + "\n"
