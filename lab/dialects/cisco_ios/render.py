"""Cisco IOS 15.2 (Catalyst C2960X) show-command output, rendered from device state.

Every function is pure: device facts, the running configuration text, the LLDP
neighbours and the clock go in, the exact text the switch prints comes out
(lines joined with "\n", no trailing prompt).
"""

from __future__ import annotations

import re
from datetime import datetime

from netsteward.lab.dialects.render_common import (
    boot_time,
    mac_dotted,
    mac_offset,
    plural,
    sections,
    stable_int,
    uptime_parts,
)
from netsteward.lab.model import DeviceSpec

VOLATILE = re.compile(
    r"^(! Last configuration change at|! NVRAM config last updated at|ntp clock-period)"
)


def ios_time(when: datetime) -> str:
    """`10:03:27 UTC Mon Sep 4 2023`."""
    return f"{when:%H:%M:%S} UTC {when:%a %b} {when.day} {when.year}"


def _image(spec: DeviceSpec) -> tuple[str, str]:
    """(software image, running image file) from the version, e.g. 15.2(7)E8."""
    m = re.match(r"(\d+)\.(\d+)\((\d+)\)(\S*)", _ios_version(spec))
    compact = f"{m.group(1)}{m.group(2)}-{m.group(3)}.{m.group(4)}" if m else spec.version
    name = f"c2960x-universalk9-mz.{compact}"
    return "C2960X-UNIVERSALK9-M", f"flash:/{name}/{name}.bin"


def _ios_version(spec: DeviceSpec) -> str:
    m = re.search(r"\d+\.\d+\(\d+\)\S*", spec.version)
    return m.group(0) if m else spec.version


def show_version(spec: DeviceSpec, now: datetime, last_reload: str = "power-on") -> str:
    booted = boot_time(spec, now)
    years, weeks, days, hours, minutes = uptime_parts((now - booted).total_seconds())
    parts = []
    if years:
        parts.append(plural(years, "year"))
    if weeks:
        parts.append(plural(weeks, "week"))
    if days:
        parts.append(plural(days, "day"))
    parts += [plural(hours, "hour"), plural(minutes, "minute")]
    image, image_file = _image(spec)
    version = _ios_version(spec)
    n_gi = sum(1 for p in spec.ports if p.name.startswith("GigabitEthernet"))
    n_te = sum(1 for p in spec.ports if p.name.startswith("TenGigabitEthernet"))
    n_ports = sum(1 for p in spec.ports if p.kind == "ethernet")
    base_mac = ":".join(mac_offset(spec.mac, 0)[i : i + 2] for i in range(0, 12, 2)).upper()
    sub = f"FOC{stable_int(spec.serial, 'mb', modulo=10**8):08d}"
    lines = [
        f"Cisco IOS Software, C2960X Software ({image}), Version {version}, RELEASE SOFTWARE (fc2)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
        "Compiled Fri 17-Mar-23 04:21 by mcpre",
        "",
        "ROM: Bootstrap program is C2960X boot loader",
        "BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E1, RELEASE SOFTWARE (fc1)",
        "",
        f"{spec.name} uptime is {', '.join(parts)}",
        f"System returned to ROM by {last_reload}",
        f"System restarted at {ios_time(booted)}",
        f'System image file is "{image_file}"',
        f"Last reload reason: {last_reload}",
        "",
        "",
        "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. Delivery of Cisco cryptographic products does not imply",
        "third-party authority to import, export, distribute or use encryption.",
        "Importers, exporters, distributors and users are responsible for",
        "compliance with U.S. and local country laws. By using this product you",
        "agree to comply with applicable laws and regulations. If you are unable",
        "to comply with U.S. and local laws, return this product immediately.",
        "",
        "A summary of U.S. laws governing Cisco cryptographic products may be found at:",
        "http://www.cisco.com/wwl/export/crypto/tool/stqrg.html",
        "",
        "If you require further assistance please contact us by sending email to",
        "export@cisco.com.",
        "",
        f"cisco {spec.model} (APM86XXX) processor (revision B0) with 524288K bytes of memory.",
        f"Processor board ID {spec.serial}",
        "Last reset from power-on",
        "1 Virtual Ethernet interface",
        "1 FastEthernet interface",
        f"{n_gi} Gigabit Ethernet interfaces",
        f"{n_te} Ten Gigabit Ethernet interfaces",
        "The password-recovery mechanism is enabled.",
        "",
        "512K bytes of flash-simulated non-volatile configuration memory.",
        f"Base ethernet MAC Address       : {base_mac}",
        "Motherboard assembly number     : 73-15961-07",
        "Power supply part number        : 341-0527-03",
        f"Motherboard serial number       : {sub}",
        f"Power supply serial number      : LIT{stable_int(spec.serial, 'ps', modulo=10**8):08d}",
        "Model revision number           : B0",
        "Motherboard revision number     : A0",
        f"Model number                    : {spec.model}",
        "Daughterboard assembly number   : 73-14200-02",
        f"Daughterboard serial number     : FOC{stable_int(spec.serial, 'db', modulo=10**8):08d}",
        f"System serial number            : {spec.serial}",
        "Top Assembly Part Number        : 68-4875-04",
        "Top Assembly Revision Number    : A0",
        "Version ID                      : V06",
        "CLEI Code Number                : CMMFF00ARC",
        "Hardware Board Revision Number  : 0x01",
        "",
        "",
        "Switch Ports Model                     SW Version            SW Image                 ",
        "------ ----- -----                     ----------            ----------               ",
        f"*    1 {n_ports:<5} {spec.model:<25} {version:<21} {image:<25}",
        "",
        "",
        "Configuration register is 0xF",
        "",
    ]
    return "\n".join(lines)


def show_inventory(spec: DeviceSpec, up_ports: set[str] | None = None) -> str:
    lines = [
        f'NAME: "1", DESCR: "{spec.model}"',
        f"PID: {spec.model:<18}, VID: V06  , SN: {spec.serial}",
        "",
        'NAME: "Switch 1 - FlexStackPlus Module", DESCR: "Stacking Module"',
        f"PID: C2960X-STACK      , VID: V01  , SN: FOC{stable_int(spec.serial, 'stack', modulo=10**8):08d}",
        "",
    ]
    for port in spec.ports:
        if port.name.startswith("TenGigabitEthernet"):
            lines += [
                f'NAME: "{port.name}", DESCR: "SFP-10GBase-SR"',
                f"PID: SFP-10G-SR          , VID: V03  , SN: FNS{stable_int(spec.serial, port.name, modulo=10**8):08d}",
                "",
            ]
    lines.append("")
    return "\n".join(lines)


def domain_name(config: str) -> str:
    m = re.search(r"^ip domain[ -]name (\S+)", config, re.M)
    return m.group(1) if m else ""


def show_hosts(config: str) -> str:
    domain = domain_name(config)
    servers = re.findall(r"^ip name-server (.+)$", config, re.M)
    lines = [f"Default domain is {domain}" if domain else "Default domain is not set"]
    lines.append("Name/address lookup uses domain service")
    if servers:
        lines.append("Name servers are " + ", ".join(" ".join(servers).split()))
    else:
        lines.append("Name servers are 255.255.255.255")
    lines += [
        "",
        "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
        "       temp - temporary, perm - permanent",
        "       NA - Not Applicable None - Not defined",
        "",
        "Host                      Port  Flags      Age Type   Address(es)",
        "",
    ]
    return "\n".join(lines)


def clean_config(config: str) -> str:
    """The stored configuration without the lines the device regenerates on every display."""
    return "\n".join(line for line in config.splitlines() if not VOLATILE.match(line))


def running_config(
    config: str, now: datetime, last_change: datetime, saved_at: datetime | None, user: str
) -> str:
    """`show running-config`: header, volatile comment lines, the configuration, `end`."""
    body = clean_config(config).strip("\n").splitlines()
    if body and body[-1].strip() == "end":
        body = body[:-1]
    if body and body[0] == "!":
        body = body[1:]
    volatile = ["!", f"! Last configuration change at {ios_time(last_change)} by {user}"]
    if saved_at is not None:
        volatile.append(f"! NVRAM config last updated at {ios_time(saved_at)} by {user}")
    volatile.append("!")
    period = 36028000 + int(now.timestamp()) % 997
    out: list[str] = []
    inserted = False
    for line in body:
        if not inserted and line.startswith("ntp server"):
            out.append(f"ntp clock-period {period}")
            inserted = True
        out.append(line)
    text = "\n".join(volatile + out + ["end", ""])
    return f"Building configuration...\n\nCurrent configuration : {len(text)} bytes\n{text}"


def running_config_interface(config: str, name: str) -> str | None:
    """`show running-config interface X`; None when the interface does not exist."""
    for sec in sections(config, "interface "):
        if sec.header.split(None, 1)[1].strip() == name:
            body = "\n".join(["!", sec.header, *(" " + c for c in sec.children), "end", ""])
            return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n{body}"
    return None


def show_vtp_status(spec: DeviceSpec, config: str) -> str:
    vlans = len(re.findall(r"^vlan \d+$", config, re.M)) + 5  # plus VLAN 1 and 1002-1005
    return "\n".join(
        [
            "VTP Version capable             : 1 to 3",
            "VTP version running             : 1",
            "VTP Domain Name                 : ",
            "VTP Pruning Mode                : Disabled",
            "VTP Traps Generation            : Disabled",
            f"Device ID                       : {mac_dotted(spec.mac)}",
            "Configuration last modified by 0.0.0.0 at 0-0-00 00:00:00",
            "",
            "Feature VLAN:",
            "--------------",
            "VTP Operating Mode                : Transparent",
            "Maximum VLANs supported locally   : 1005",
            f"Number of existing VLANs          : {vlans}",
            "Configuration Revision            : 0",
            "MD5 digest                        : 0x3D 0x05 0xEE 0x1F 0x35 0xCC 0x7C 0x74 ",
            "                                    0x41 0x7A 0xB2 0x1F 0xE9 0x77 0x9A 0xCD ",
            "",
        ]
    )
