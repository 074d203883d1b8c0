"""Cisco ASA 9.x (ASA 5516-X) show-command output, rendered from device state (pure)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from netsteward.lab.dialects.render_common import (
    boot_time,
    mac_dotted,
    mac_offset,
    sections,
    stable_int,
)
from netsteward.lab.model import DeviceSpec

VOLATILE = re.compile(
    r"^(: Saved|: Serial Number:|: Hardware:|: Written by|:\s*$|Cryptochecksum:|: end)"
)


def asa_time(when: datetime) -> str:
    """`10:21:33.629 UTC Fri Nov 27 2026`."""
    return f"{when:%H:%M:%S}.{when.microsecond // 1000:03d} UTC {when:%a %b} {when.day} {when.year}"


def hardware_line(spec: DeviceSpec) -> str:
    model = spec.model.replace("-X", "").replace("ASA ", "ASA")
    return f"{model}, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)"


def _version(spec: DeviceSpec) -> str:
    m = re.search(r"\d+\.\d+\(\d+\)\d*", spec.version)
    return m.group(0) if m else spec.version


def _image(spec: DeviceSpec) -> str:
    v = _version(spec)
    compact = re.sub(r"[.()]+", "-", v).strip("-")
    return f"disk0:/asa{compact}-lfbff-k8.SPA"


def port_names(spec: DeviceSpec) -> list[str]:
    names = [p.name for p in spec.ports if p.kind in ("ethernet", "mgmt")]
    return names or [f"GigabitEthernet1/{i}" for i in range(1, 9)] + ["Management1/1"]


def show_version(spec: DeviceSpec, now: datetime, last_modified: datetime, user: str) -> str:
    booted = boot_time(spec, now)
    up = now - booted
    days, hours = up.days, up.seconds // 3600
    uptime = f"{days} days {hours} hours" if days else f"{hours} hours {up.seconds // 60 % 60} mins"
    lines = [
        "",
        f"Cisco Adaptive Security Appliance Software Version {_version(spec)} ",
        "SSP Operating System Version 2.6(1.272)",
        "Device Manager Version 7.12(2)",
        "",
        "Compiled on Thu 14-Mar-24 18:01 GMT by builders",
        f'System image file is "{_image(spec)}"',
        'Config file at boot was "startup-config"',
        "",
        f"{spec.name} up {uptime}",
        "",
        f"Hardware:   {hardware_line(spec)}",
        "Internal ATA Compact Flash, 8192MB",
        "BIOS Flash M25P64 @ 0xfed01000, 16384KB",
        "",
        "Encryption hardware device : Cisco ASA Crypto on-board accelerator (revision 0x1)",
        "                             Number of accelerators: 1",
        "",
    ]
    internal = ["Internal-Data1/1", "Internal-Data1/2", "Internal-Control1/1", "Internal-Data1/3"]
    names = port_names(spec)
    for i, name in enumerate(names[:-1] + internal + names[-1:], start=1):
        kind = "Int" if name.startswith("Internal") else "Ext"
        lines.append(
            f"{i:>2}: {kind}: {name:<20}: address is {mac_dotted(mac_offset(spec.mac, i))}, irq 255"
        )
    lines += [
        "",
        "Licensed features for this platform:",
        "Maximum Physical Interfaces       : Unlimited      perpetual",
        "Maximum VLANs                     : 150            perpetual",
        "Inside Hosts                      : Unlimited      perpetual",
        "Failover                          : Active/Active  perpetual",
        "Encryption-DES                    : Enabled        perpetual",
        "Encryption-3DES-AES               : Enabled        perpetual",
        "Security Contexts                 : 2              perpetual",
        "Carrier                           : Disabled       perpetual",
        "AnyConnect Premium Peers          : 4              perpetual",
        "AnyConnect Essentials             : Disabled       perpetual",
        "Other VPN Peers                   : 300            perpetual",
        "Total VPN Peers                   : 300            perpetual",
        "AnyConnect for Mobile             : Disabled       perpetual",
        "AnyConnect for Cisco VPN Phone    : Disabled       perpetual",
        "Advanced Endpoint Assessment      : Disabled       perpetual",
        "Shared License                    : Disabled       perpetual",
        "Total TLS Proxy Sessions          : 320            perpetual",
        "Botnet Traffic Filter             : Disabled       perpetual",
        "Cluster                           : Disabled       perpetual",
        "",
        "This platform has an ASA5516 Security Plus license.",
        "",
        f"Serial Number: {spec.serial}",
        "Running Permanent Activation Key: 0x0b3cd552 0x2c4ff5a1 0x7d4c8154 0xbb8c2c08 0x0b0d4e1e ",
        "Configuration register is 0x1",
        "Image type                : Release",
        "Key Version               : A",
        f"Configuration last modified by {user} at {asa_time(last_modified)}",
        "",
    ]
    return "\n".join(lines)


def clean_config(config: str) -> str:
    return "\n".join(line for line in config.splitlines() if not VOLATILE.match(line))


def running_config(spec: DeviceSpec, config: str, written_at: datetime | None, user: str) -> str:
    """`show running-config` / `more system:running-config` with the header and checksum lines."""
    body = clean_config(config).strip("\n").removeprefix("!\n")
    checksum = hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()
    head = [
        ": Saved",
        "",
        ": ",
        f": Serial Number: {spec.serial}",
        f": Hardware:   {hardware_line(spec)}",
    ]
    if written_at is not None:
        head.append(f": Written by {user} at {asa_time(written_at)}")
    head.append("!")
    return "\n".join([*head, body, f"Cryptochecksum:{checksum}", ": end", ""])


def running_config_filter(config: str, prefixes: tuple[str, ...]) -> str:
    """`show running-config object network` and friends: the matching sections verbatim."""
    out: list[str] = []
    for sec in sections(clean_config(config)):
        if any(sec.header == p.rstrip() or sec.header.startswith(p) for p in prefixes):
            out.append(sec.header)
            out += [" " + c for c in sec.children]
    return "\n".join(out) + ("\n" if out else "")


def _objects(config: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Network objects (name -> address specs) and network groups (name -> address specs)."""
    objects: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    for sec in sections(config):
        words = sec.header.split()
        if words[:2] == ["object", "network"] and len(words) > 2:
            specs = []
            for child in sec.children:
                w = child.split()
                if w[0] == "host" and len(w) > 1:
                    specs.append(f"host {w[1]}")
                elif w[0] == "subnet" and len(w) > 2:
                    specs.append(f"{w[1]} {w[2]}")
                elif w[0] == "range" and len(w) > 2:
                    specs.append(f"range {w[1]} {w[2]}")
            objects[words[2]] = specs
    for sec in sections(config):
        words = sec.header.split()
        if words[:2] == ["object-group", "network"] and len(words) > 2:
            specs = []
            for child in sec.children:
                w = child.split()
                if w[:2] == ["network-object", "host"] and len(w) > 2:
                    specs.append(f"host {w[2]}")
                elif w[:2] == ["network-object", "object"] and len(w) > 2:
                    specs += objects.get(w[2], [])
                elif w[0] == "network-object" and len(w) > 2:
                    specs.append(f"{w[1]} {w[2]}")
            groups[words[2]] = specs
    return objects, groups


_PLAIN_PROTO = {"ip", "tcp", "udp", "icmp", "esp", "ah", "gre", "sctp", "icmp6"}


def _expand(
    ace: list[str], objects: dict[str, list[str]], groups: dict[str, list[str]]
) -> list[str]:
    """Expand one level of network objects in `[action, proto, ...]`; [] when nothing to expand."""
    if len(ace) < 3 or ace[1] not in _PLAIN_PROTO:
        return []
    variants: list[list[str]] = [[ace[0], ace[1]]]
    i = 2
    expanded = False
    while i < len(ace):
        word = ace[i]
        if word in ("object", "object-group") and i + 1 < len(ace):
            table = objects if word == "object" else groups
            specs = table.get(ace[i + 1])
            if specs:
                variants = [v + spec.split() for v in variants for spec in specs]
                expanded = True
                i += 2
                continue
        variants = [[*v, word] for v in variants]
        i += 1
    return [" ".join(v) for v in variants] if expanded else []


def show_access_list(config: str, now_count: int = 0) -> str:
    """`show access-list`: every ACL with line numbers, hit counts and hashes, objects expanded."""
    objects, groups = _objects(config)
    acls: dict[str, list[str]] = {}
    for line in config.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "access-list":
            entry = " ".join(line.split(None, 2)[2].split())
            entry = re.sub(
                r" log(?= time-range | inactive$|$)", " log informational interval 300", entry
            )
            acls.setdefault(words[1], []).append(entry)
    out = [
        "access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)",
        "            alert-interval 300",
    ]
    for name, entries in acls.items():
        body: list[str] = []
        elements = 0
        number = 0
        for entry in entries:
            number += 1
            h = stable_int(name, entry, modulo=1 << 32)
            if entry.startswith("remark "):
                body.append(f"access-list {name} line {number} {entry}")
                continue
            words = entry.split()
            inactive = "inactive" in words
            hits = 0 if inactive else stable_int(name, entry, "hits", modulo=50000) + now_count
            tail = " (inactive)" if inactive else ""
            body.append(
                f"access-list {name} line {number} {entry} (hitcnt={hits}){tail} 0x{h:08x} "
            )
            ace = words[1:] if words[0] == "extended" else words
            expansions = _expand(ace, objects, groups)
            elements += max(1, len(expansions))
            for k, exp in enumerate(expansions):
                opts = ""
                hk = stable_int(name, entry, k, modulo=1 << 32)
                body.append(
                    f"  access-list {name} line {number} extended {exp}{opts} (hitcnt={hits // (k + 2)}){tail} 0x{hk:08x} "
                )
        name_hash = stable_int(name, modulo=1 << 32)
        out.append(f"access-list {name}; {elements} elements; name hash: 0x{name_hash:08x}")
        out += body
    return "\n".join(out) + "\n"


def show_inventory(spec: DeviceSpec) -> str:
    model = spec.model.replace("-X", "")
    data_ports = sum(1 for p in spec.ports if p.kind == "ethernet") or 8
    return (
        f'Name: "Chassis", DESCR: "ASA {model.removeprefix("ASA")}-X with SW, {data_ports} GE Data, 1 GE Mgmt, AC"\n'
        f"PID: {model:<18}, VID: V03     , SN: {spec.serial}\n"
        "\n"
        'Name: "power supply", DESCR: "ASA/IPS 180W AC Power Supply"\n'
        f"PID: ASA-180W-PWR-AC   , VID: V01     , SN: DTN{stable_int(spec.serial, 'psu', modulo=10**8):08d}\n"
        "\n"
    )


def show_interface_ip_brief(spec: DeviceSpec, config: str, up: set[str]) -> str:
    """`show interface ip brief`: ports of the spec, addresses and shutdown from the configuration."""
    conf: dict[str, tuple[str, bool]] = {}
    for sec in sections(config, "interface "):
        name = sec.header.split(None, 1)[1]
        ip = next(
            (
                c.split()[2]
                for c in sec.children
                if c.startswith("ip address ") and len(c.split()) > 2
            ),
            "",
        )
        conf[name] = (ip, "shutdown" in sec.children)
    names = [p.name for p in spec.ports] or list(conf)
    lines = ["Interface                  IP-Address      OK? Method Status                Protocol"]
    for name in names:
        ip, shut = conf.get(name, ("", name not in conf))
        if shut:
            status, proto = "administratively down", "down"
        elif name in up:
            status, proto = "up", "up"
        else:
            status, proto = "down", "down"
        method = "CONFIG" if ip else "unset"
        lines.append(f"{name:<26} {ip or 'unassigned':<15} YES {method:<6} {status:<21} {proto}  ")
    return "\n".join(lines) + "\n"
