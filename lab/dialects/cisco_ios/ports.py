"""Cisco IOS 15.2 (C2960X) port-level output: interfaces, status, LLDP, EtherChannel (pure).

The interface model comes from the device's ports and its running
configuration; link state comes from the cabling (`up_ports`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from netsteward.lab.dialects.render_common import (
    Neighbor,
    boot_time,
    mac_dotted,
    mac_offset,
    sections,
    stable_int,
)
from netsteward.lab.model import DeviceSpec

SHORT_PREFIXES = (
    ("TenGigabitEthernet", "Te"),
    ("GigabitEthernet", "Gi"),
    ("FastEthernet", "Fa"),
    ("Port-channel", "Po"),
    ("Vlan", "Vl"),
)


def short_name(name: str) -> str:
    for long, short in SHORT_PREFIXES:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


@dataclass
class Interface:
    name: str
    kind: str  # ethernet | lag | vlanif | mgmt
    speed: str
    description: str = ""
    shutdown: bool = False
    mode: str = "access"  # access | trunk | routed
    vlan: str = "1"
    channel_group: str = ""
    ip: str = ""
    mask: str = ""


def _kind_of(name: str) -> str:
    if name.startswith("Port-channel"):
        return "lag"
    if name.startswith("Vlan"):
        return "vlanif"
    if name.startswith("FastEthernet0"):
        return "mgmt"
    return "ethernet"


def interfaces(spec: DeviceSpec, config: str) -> list[Interface]:
    """Interfaces in device order: physical ports from the spec, then logical ones from the config."""
    by_name: dict[str, Interface] = {}
    for port in spec.ports:
        by_name[port.name] = Interface(
            port.name, port.kind if port.kind != "fc" else "ethernet", port.speed
        )
    for sec in sections(config, "interface "):
        name = sec.header.split(None, 1)[1].strip()
        itf = by_name.get(name)
        if itf is None:
            itf = by_name[name] = Interface(name, _kind_of(name), "1G")
        if itf.kind in ("vlanif", "mgmt"):
            itf.mode = "routed"
        for line in sec.children:
            words = line.split()
            if line.startswith("description "):
                itf.description = line[len("description ") :]
            elif line == "shutdown":
                itf.shutdown = True
            elif line == "switchport mode trunk":
                itf.mode = "trunk"
            elif line == "no switchport":
                itf.mode = "routed"
            elif line.startswith("switchport access vlan "):
                itf.vlan = words[-1]
            elif words[:1] == ["channel-group"] and len(words) > 1:
                itf.channel_group = words[1]
            elif words[:2] == ["ip", "address"] and len(words) >= 4:
                itf.ip, itf.mask = words[2], words[3]
    for lag, members in spec.lags.items():
        number = lag.removeprefix("Port-channel")
        by_name.setdefault(lag, Interface(lag, "lag", "1G", mode="trunk"))
        for member in members:
            if member in by_name and not by_name[member].channel_group:
                by_name[member].channel_group = number
    return list(by_name.values())


def _state(itf: Interface, up_ports: set[str], all_itfs: list[Interface]) -> str:
    """connected | notconnect | disabled."""
    if itf.shutdown:
        return "disabled"
    if itf.kind == "lag":
        number = itf.name.removeprefix("Port-channel")
        members = [m for m in all_itfs if m.channel_group == number]
        return (
            "connected"
            if any(_state(m, up_ports, all_itfs) == "connected" for m in members)
            else "notconnect"
        )
    if itf.kind == "vlanif":
        return "connected"
    return "connected" if itf.name in up_ports else "notconnect"


def _port_index(spec: DeviceSpec, name: str) -> int:
    for i, port in enumerate(spec.ports):
        if port.name == name:
            return i + 1
    return 64 + stable_int(name, modulo=64)


def _media(itf: Interface) -> str:
    if itf.name.startswith("TenGigabitEthernet"):
        return "SFP-10GBase-SR"
    if itf.name.startswith("FastEthernet"):
        return "10/100BaseTX"
    return "10/100/1000BaseTX"


def show_ip_interface_brief(spec: DeviceSpec, config: str, up_ports: set[str]) -> str:
    itfs = interfaces(spec, config)
    lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for itf in itfs:
        state = _state(itf, up_ports, itfs)
        status = {"disabled": "administratively down", "connected": "up", "notconnect": "down"}[
            state
        ]
        proto = "up" if state == "connected" else "down"
        ip = itf.ip or "unassigned"
        method = "NVRAM" if itf.ip else "unset"
        lines.append(f"{itf.name:<22} {ip:<15} YES {method:<6} {status:<21} {proto}")
    return "\n".join(lines) + "\n"


def show_interfaces_status(spec: DeviceSpec, config: str, up_ports: set[str]) -> str:
    itfs = interfaces(spec, config)
    lines = ["", "Port      Name               Status       Vlan       Duplex  Speed Type "]
    for itf in itfs:
        if itf.kind == "vlanif":
            continue
        state = _state(itf, up_ports, itfs)
        if itf.channel_group or itf.mode == "trunk":
            vlan = "trunk"
        elif itf.mode == "routed":
            vlan = "routed"
        else:
            vlan = itf.vlan
        if state == "connected":
            duplex = "a-full"
            speed = {"10G": "a-10G", "100M": "a-100"}.get(itf.speed, "a-1000")
        else:
            duplex, speed = "auto", "auto"
        media = "" if itf.kind == "lag" else _media(itf)
        lines.append(
            f"{short_name(itf.name):<10}{itf.description[:18]:<19}{state:<13}{vlan:<11}{duplex:>6} {speed:>6} {media}"
        )
    return "\n".join(lines) + "\n"


def _counters(
    spec: DeviceSpec,
    name: str,
    connected: bool,
    now: datetime,
    errors: tuple[int, int] = (0, 0),
) -> list[str]:
    k = stable_int(spec.name, name, modulo=10**6) if connected else 0
    age = int((now - boot_time(spec, now)).total_seconds())
    pin = k * 97 + age * (3 if connected else 0)
    pout = k * 131 + age * (5 if connected else 0)
    rate_in = (k % 900 + 100) * 1000 if connected else 0
    rate_out = (k % 700 + 300) * 1000 if connected else 0
    return [
        f"  5 minute input rate {rate_in} bits/sec, {rate_in // 4000} packets/sec",
        f"  5 minute output rate {rate_out} bits/sec, {rate_out // 4000} packets/sec",
        f"     {pin} packets input, {pin * 412} bytes, 0 no buffer",
        f"     Received {pin // 50} broadcasts ({pin // 60} multicasts)",
        "     0 runts, 0 giants, 0 throttles ",
        f"     {errors[0]} input errors, {errors[1]} CRC, 0 frame, 0 overrun, 0 ignored",
        f"     0 watchdog, {pin // 60} multicast, 0 pause input",
        "     0 input packets with dribble condition detected",
        f"     {pout} packets output, {pout * 388} bytes, 0 underruns",
        "     0 output errors, 0 collisions, 1 interface resets",
        "     0 unknown protocol drops",
        "     0 babbles, 0 late collision, 0 deferred",
        "     0 lost carrier, 0 no carrier, 0 pause output",
        "     0 output buffer failures, 0 output buffers swapped out",
    ]


def show_interfaces(
    spec: DeviceSpec,
    config: str,
    up_ports: set[str],
    now: datetime,
    only: str = "",
    errors: Callable[[str], tuple[int, int]] | None = None,
) -> str:
    """`show interfaces [X]`; `errors(port)` gives a port's (input errors, CRC) counters."""
    itfs = interfaces(spec, config)
    out: list[str] = []
    for itf in itfs:
        if only and itf.name != only:
            continue
        state = _state(itf, up_ports, itfs)
        connected = state == "connected"
        head = {
            "connected": "is up, line protocol is up (connected)",
            "notconnect": "is down, line protocol is down (notconnect)",
            "disabled": "is administratively down, line protocol is down (disabled)",
        }[state]
        if itf.kind == "vlanif":
            head = "is up, line protocol is up "
        mac = mac_dotted(mac_offset(spec.mac, _port_index(spec, itf.name)))
        hardware = {
            "lag": "EtherChannel",
            "vlanif": "EtherSVI",
            "mgmt": "Fast Ethernet",
        }.get(
            itf.kind, "Ten Gigabit Ethernet" if itf.name.startswith("Ten") else "Gigabit Ethernet"
        )
        bw = {"10G": 10000000, "100M": 100000}.get(itf.speed, 1000000)
        if itf.kind == "lag":
            number = itf.name.removeprefix("Port-channel")
            members = [
                m
                for m in itfs
                if m.channel_group == number and _state(m, up_ports, itfs) == "connected"
            ]
            bw = sum({"10G": 10000000}.get(m.speed, 1000000) for m in members) or bw
        out.append(f"{itf.name} {head} ")
        out.append(f"  Hardware is {hardware}, address is {mac} (bia {mac})")
        if itf.description:
            out.append(f"  Description: {itf.description}")
        if itf.ip:
            prefix = sum(bin(int(o)).count("1") for o in itf.mask.split("."))
            out.append(f"  Internet address is {itf.ip}/{prefix}")
        out.append(f"  MTU 1500 bytes, BW {bw} Kbit/sec, DLY 10 usec, ")
        out.append("     reliability 255/255, txload 1/255, rxload 1/255")
        out.append("  Encapsulation ARPA, loopback not set")
        out.append("  Keepalive set (10 sec)")
        if itf.kind in ("ethernet", "mgmt"):
            if connected:
                speed = {"10G": "10Gb/s", "100M": "100Mb/s"}.get(itf.speed, "1000Mb/s")
                out.append(f"  Full-duplex, {speed}, media type is {_media(itf)}")
            else:
                out.append(f"  Auto-duplex, Auto-speed, media type is {_media(itf)}")
            out.append("  input flow-control is off, output flow-control is unsupported ")
        elif itf.kind == "lag":
            number = itf.name.removeprefix("Port-channel")
            member_names = [short_name(m.name) for m in itfs if m.channel_group == number]
            out.append("  Full-duplex, 10Gb/s, link type is auto, media type is unknown")
            out.append("  input flow-control is off, output flow-control is unsupported ")
            out.append(f"  Members in this channel: {' '.join(member_names)} ")
        out.append("  ARP type: ARPA, ARP Timeout 04:00:00")
        last = "00:00:00" if connected else "never"
        out.append(f"  Last input {last}, output {last}, output hang never")
        out.append('  Last clearing of "show interface" counters never')
        out.append("  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0")
        out.append("  Queueing strategy: fifo")
        out.append("  Output queue: 0/40 (size/max)")
        out += _counters(spec, itf.name, connected, now, errors(itf.name) if errors else (0, 0))
    return "\n".join(out) + "\n"


def show_lldp_neighbors(neighbors: list[Neighbor]) -> str:
    lines = [
        "Capability codes:",
        "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "",
        "Device ID           Local Intf     Hold-time  Capability      Port ID",
    ]
    for n in neighbors:
        hold = 91 + stable_int(n.peer, n.peer_port, modulo=29)
        lines.append(
            f"{n.peer[:20]:<20}{short_name(n.local_port):<15}{hold:<11}{n.capabilities:<16}{n.peer_port}"
        )
    lines += ["", f"Total entries displayed: {len(neighbors)}", ""]
    return "\n".join(lines)


def show_lldp_neighbors_detail(neighbors: list[Neighbor]) -> str:
    lines: list[str] = []
    for n in neighbors:
        hold = 91 + stable_int(n.peer, n.peer_port, modulo=29)
        descr = n.peer_description.splitlines() or ["- not advertised"]
        lines += [
            "------------------------------------------------",
            f"Local Intf: {short_name(n.local_port)}",
            f"Chassis id: {mac_dotted(n.peer_mac)}",
            f"Port id: {n.peer_port}",
            f"Port Description: {n.peer_port_description or n.peer_port}",
            f"System Name: {n.peer}",
            "",
            "System Description: ",
            *descr,
            "",
            f"Time remaining: {hold} seconds",
            f"System Capabilities: {n.capabilities}",
            f"Enabled Capabilities: {n.capabilities}",
        ]
        if n.peer_mgmt_ip:
            lines += ["Management Addresses:", f"    IP: {n.peer_mgmt_ip}"]
        else:
            lines.append("Management Addresses - not advertised")
        lines += [
            "Auto Negotiation - not supported",
            "Physical media capabilities - not advertised",
            "Media Attachment Unit type - not advertised",
            "Vlan ID: - not advertised",
            "",
        ]
    lines += ["", f"Total entries displayed: {len(neighbors)}", ""]
    return "\n".join(lines)


def show_etherchannel_summary(spec: DeviceSpec, config: str, up_ports: set[str]) -> str:
    itfs = interfaces(spec, config)
    lags = [i for i in itfs if i.kind == "lag"]
    lines = [
        "Flags:  D - down        P - bundled in port-channel",
        "        I - stand-alone s - suspended",
        "        H - Hot-standby (LACP only)",
        "        R - Layer3      S - Layer2",
        "        U - in use      f - failed to allocate aggregator",
        "",
        "        M - not in use, minimum links not met",
        "        u - unsuitable for bundling",
        "        w - waiting to be aggregated",
        "        d - default port",
        "",
        "        A - formed by Auto LAG",
        "",
        "",
        f"Number of channel-groups in use: {len(lags)}",
        f"Number of aggregators:           {len(lags)}",
        "",
        "Group  Port-channel  Protocol    Ports",
        "------+-------------+-----------+-----------------------------------------------",
    ]
    for lag in lags:
        number = lag.name.removeprefix("Port-channel")
        members = [m for m in itfs if m.channel_group == number]
        up = _state(lag, up_ports, itfs) == "connected"
        flags = "(SU)" if up else "(SD)"
        ports = "  ".join(
            f"{short_name(m.name)}({'P' if _state(m, up_ports, itfs) == 'connected' else 'D'})"
            for m in members
        )
        lines.append(f"{number:<7}{short_name(lag.name) + flags:<16}LACP      {ports}  ")
    return "\n".join(lines) + "\n"
