"""Pure helpers shared by the vendor renderers: neighbours, MACs, uptime, config sections.

Renderers turn device facts (`netsteward.lab.model.DeviceSpec`), the running configuration
text and the LLDP neighbours into the exact text a real device prints. They do no
I/O and keep no state, so they are unit-tested against the ntc-templates corpus.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from netsteward.lab.model import DeviceSpec


@dataclass(frozen=True)
class Neighbor:
    """What a device learns over LLDP on one local port."""

    local_port: str  # full local interface name
    peer: str  # system name of the neighbour
    peer_port: str  # port id the neighbour advertises (its full interface name)
    peer_mac: str  # chassis id, 12 hex digits in any separator style
    peer_description: str = ""  # system description (first line is enough for most parsers)
    peer_port_description: str = ""
    peer_mgmt_ip: str = ""
    capabilities: str = "B,R"


class Addressed:
    """An interface record with `ip` and `mask` (firewall renderers): its network and
    the other end of its transfer network."""

    ip: str
    mask: str

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(f"{self.ip}/{self.mask}", strict=False)

    @property
    def peer(self) -> str:
        """The other end of the transfer network (the first host that is not ours)."""
        for host in self.network.hosts():
            if str(host) != self.ip:
                return str(host)
        return self.ip


def mac_hex(mac: str) -> str:
    """Twelve lower-case hex digits from any MAC spelling."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac).lower()
    return (digits + "0" * 12)[:12]


def mac_dotted(mac: str) -> str:
    """Cisco style: 00e0.fc12.3456."""
    h = mac_hex(mac)
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def mac_colon(mac: str, upper: bool = False) -> str:
    h = mac_hex(mac)
    text = ":".join(h[i : i + 2] for i in range(0, 12, 2))
    return text.upper() if upper else text


def mac_offset(mac: str, offset: int) -> str:
    """The base MAC plus an offset (per-port MACs), as 12 hex digits."""
    return f"{(int(mac_hex(mac), 16) + offset) % (1 << 48):012x}"


def stable_int(*parts: object, modulo: int) -> int:
    """A deterministic number in [0, modulo) derived from the parts (no global RNG)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") % modulo


def boot_time(spec: DeviceSpec, now: datetime) -> datetime:
    """When the device last booted: a stable 3 to 700 days before `now`'s day, unless it
    rebooted (`extra["health"]["booted_at"]`, written by the lab's state)."""
    booted = spec.extra.get("health", {}).get("booted_at")
    if booted:
        return datetime.fromisoformat(booted)
    days = 3 + stable_int(spec.name, spec.serial, "boot", modulo=697)
    minutes = stable_int(spec.name, "bootmin", modulo=24 * 60)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=days, minutes=minutes)


def uptime_parts(seconds: float) -> tuple[int, int, int, int, int]:
    """(years, weeks, days, hours, minutes) the way Cisco counts them (365-day years)."""
    minutes_total = int(seconds // 60)
    minutes = minutes_total % 60
    hours_total = minutes_total // 60
    hours = hours_total % 24
    days_total = hours_total // 24
    years = days_total // 365
    rest = days_total % 365
    return years, rest // 7, rest % 7, hours, minutes


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class Section:
    """One top-level configuration line and its indented children (Cisco / StoneOS style)."""

    header: str
    children: list[str]


def sections(config: str, start: str = "") -> list[Section]:
    """Split an indented configuration into top-level sections (optionally only those starting with `start`)."""
    out: list[Section] = []
    current: Section | None = None
    for line in config.splitlines():
        if not line.strip() or line.startswith("!"):
            current = None
            continue
        if line[0] in " \t":
            if current is not None:
                current.children.append(line.strip())
            continue
        current = Section(line.rstrip(), [])
        out.append(current)
    if start:
        return [s for s in out if s.header.startswith(start)]
    return out


# LLDP capability words (IEEE 802.1AB) as each vendor prints them
_CAP_SPELLING = {
    "words": {"bridge": "bridge", "router": "router", "telephone": "telephone", "wlan": "wlan", "station": "station"},
    "title": {"bridge": "Bridge", "router": "Router", "telephone": "Telephone", "wlan": "WLAN access point", "station": "Station only"},
    "letters": {"bridge": "B", "router": "R", "telephone": "T", "wlan": "W", "station": "S"},
}  # fmt: skip
_CAP_JOIN = {"words": " ", "title": ", ", "letters": ","}


def lldp_capabilities(peer: DeviceSpec, style: str, routing: tuple[str, ...]) -> str:
    """A neighbour's enabled capabilities in a vendor's spelling (`words`: VRP, `title`:
    Comware, `letters`: IOS): what an endpoint advertises (`extra["lldp_capabilities"]`),
    else bridge and router for the `routing` roles, bridge for the others."""
    caps = peer.extra.get("lldp_capabilities")
    if not caps:
        caps = ["bridge", "router"] if peer.role in routing else ["bridge"]
    return _CAP_JOIN[style].join(_CAP_SPELLING[style][c] for c in caps)


def lldp_system_description(spec: DeviceSpec) -> str:
    """What a device advertises as its LLDP system description (multi-line where the vendor does)."""
    if spec.platform == "huawei_vrp":
        return (
            f"Huawei Versatile Routing Platform Software\n"
            f"VRP (R) software, Version 5.170 ({spec.model} {spec.version})\n"
            f"Copyright (C) 2000-2024 HUAWEI TECH CO., LTD"
        )
    if spec.platform == "hp_comware":
        return (
            f"H3C Comware Platform Software, Software Version {spec.version}\n"
            f"H3C {spec.model}\n"
            f"Copyright (c) 2004-2024 New H3C Technologies Co., Ltd. All rights reserved."
        )
    if spec.platform == "cisco_ios":
        return (
            f"Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version {spec.version}, "
            f"RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport\n"
            f"Copyright (c) 1986-2023 by Cisco Systems, Inc.\nCompiled Fri 17-Mar-23 04:21 by mcpre"
        )
    return f"{spec.vendor} {spec.model} {spec.version}"


def to_neighbor(
    local_port: str, peer: DeviceSpec, peer_port: str, peer_port_description: str = ""
) -> Neighbor:
    """A render `Neighbor` from the engine's view of a cable end (peer spec and port)."""
    return Neighbor(
        local_port=local_port,
        peer=peer.name,
        peer_port=peer_port,
        peer_mac=peer.mac,
        peer_description=lldp_system_description(peer),
        peer_port_description=peer_port_description,
        peer_mgmt_ip=peer.mgmt_ip,
        capabilities=lldp_capabilities(peer, "letters", ("router", "core", "aggregation")),
    )
