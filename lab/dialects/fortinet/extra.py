"""FortiOS 7.x routing table, ARP, HA status, NIC list, ping and traceroute (pure).

Derived from `config system interface` (addresses) and the device spec (HA peer,
serial, MAC).  The next hop of a /30 transfer network is its other host address.
`execute ping` / `execute traceroute` are answered here with plausible lab output:
the lab never sends a packet.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from netsteward.lab.dialects.fortinet.render import Block, find_path, unquote
from netsteward.lab.dialects.render_common import (
    Addressed,
    mac_colon,
    mac_offset,
    stable_int,
)
from netsteward.lab.model import DeviceSpec


@dataclass(frozen=True)
class FgtIf(Addressed):
    name: str
    ip: str
    mask: str
    down: bool


def interfaces(root: Block) -> list[FgtIf]:
    block = find_path(root, "system interface")
    out: list[FgtIf] = []
    for entry in block.blocks() if block is not None else []:
        ip = (entry.get("ip") or "").split()
        if len(ip) == 1 and "/" in ip[0]:
            net = ipaddress.IPv4Interface(ip[0])
            ip = [str(net.ip), str(net.netmask)]
        if len(ip) == 2 and ip[0] != "0.0.0.0":
            out.append(FgtIf(unquote(entry.name), ip[0], ip[1], entry.get("status") == "down"))
    return out


def _age(spec: DeviceSpec, salt: str) -> str:
    weeks = stable_int(spec.name, salt, modulo=20)
    days = stable_int(spec.name, salt, "d", modulo=7)
    hours = stable_int(spec.name, salt, "h", modulo=24)
    return f"{weeks:02d}w{days}d{hours:02d}h"


def routing_table_all(spec: DeviceSpec, root: Block) -> str:
    ifs = [i for i in interfaces(root) if not i.down]
    lines = [
        "Codes: K - kernel, C - connected, S - static, R - RIP, B - BGP",
        "       O - OSPF, IA - OSPF inter area",
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
        "       E1 - OSPF external type 1, E2 - OSPF external type 2",
        "       i - IS-IS, L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area",
        "       * - candidate default",
        "",
        "Routing table for VRF=0",
    ]
    if ifs:
        wan, lan = ifs[0], ifs[1] if len(ifs) > 1 else ifs[0]
        lines.append(f"S*      0.0.0.0/0 [10/0] via {wan.peer}, {wan.name}")
        for net in ("10.0.0.0/8", "172.16.0.0/12"):
            lines.append(f"S       {net} [10/0] via {lan.peer}, {lan.name}")
    for i in ifs:
        lines.append(f"C       {i.network} is directly connected, {i.name}")
    return "\n".join(lines) + "\n\n"


def system_arp(spec: DeviceSpec, root: Block, up: set[str]) -> str:
    lines = ["Address           Age(min)   Hardware Addr      Interface"]
    for n, i in enumerate(interfaces(root)):
        if i.down or i.name not in up:
            continue
        mac = mac_colon(mac_offset(spec.mac, 0x50 + 11 * n))
        age = stable_int(spec.name, i.name, "arp", modulo=6)
        lines.append(f"{i.peer:<17} {age:<10} {mac} {i.name}")
    return "\n".join(lines) + "\n"


def _ha_serial(name: str) -> str:
    return f"FG6H0E{stable_int(name, 'serial', modulo=10**10):010d}"


def ha_status(
    spec: DeviceSpec, hbdevs: list[str], now: datetime, booted: datetime, peer_serial: str = ""
) -> str:
    peer = str(spec.extra.get("ha_peer", ""))
    if not peer:
        return (
            "HA Health Status: OK\n"
            f"Model: {spec.model}\n"
            "Mode: standalone\n"
            "Group: 0\n"
            "Debug: 0\n"
            "Cluster Uptime: 0 days 0:0:0\n"
            "Cluster state change time: 1970-01-01 00:00:00\n"
        )
    me, mate = (spec.name, peer) if spec.name < peer else (peer, spec.name)
    other = peer_serial or _ha_serial(peer)
    my_serial = spec.serial if me == spec.name else other
    mate_serial = spec.serial if mate == spec.name else other
    up = now - booted
    hours, rest = divmod(up.seconds, 3600)
    changed = booted + timedelta(minutes=2)
    group = stable_int(min(me, mate), "hagroup", modulo=200) + 1
    lines = [
        "HA Health Status: OK",
        f"Model: {spec.model}",
        "Mode: HA A-P",
        f"Group: {group}",
        "Debug: 0",
        f"Cluster Uptime: {up.days} days {hours}:{rest // 60:02d}:{rest % 60:02d}",
        f"Cluster state change time: {changed:%Y-%m-%d %H:%M:%S}",
        "Primary selected using:",
        f"    <{changed:%Y/%m/%d %H:%M:%S}> {my_serial} is selected as the primary because its"
        f" override priority is larger than peer member {mate_serial}.",
        "ses_pickup: enable, ses_pickup_delay=disable",
        "override: enable",
        "Configuration Status:",
        f"    {my_serial}(updated 3 seconds ago): in-sync",
        f"    {mate_serial}(updated 4 seconds ago): in-sync",
        "System Usage stats:",
    ]
    for k, serial in enumerate((my_serial, mate_serial)):
        sessions = stable_int(serial, "sess", modulo=4000) + 50
        idle = 90 + stable_int(serial, "idle", modulo=10)
        lines += [
            f"    {serial}(updated {3 + k} seconds ago):",
            f"        sessions={sessions}, average-cpu-user/nice/system/idle="
            f"{100 - idle}%/0%/0%/{idle}%, memory={30 + stable_int(serial, 'mem', modulo=30)}%",
        ]
    lines.append("HBDEV stats:")
    for k, serial in enumerate((my_serial, mate_serial)):
        lines.append(f"    {serial}(updated {3 + k} seconds ago):")
        for dev in hbdevs:
            rx = stable_int(serial, dev, "rx", modulo=10**10)
            tx = stable_int(serial, dev, "tx", modulo=10**10)
            lines.append(
                f"        {dev}: physical/1000full, up, rx-bytes/packets/dropped/errors="
                f"{rx}/{rx // 350}/0/0, tx={tx}/{tx // 350}/0/0"
            )
    lines += [
        f"Primary     : {me:<15}, {my_serial}, HA cluster index = 0",
        f"Secondary   : {mate:<15}, {mate_serial}, HA cluster index = 1",
        "number of vcluster: 1",
        "vcluster 1: work 169.254.0.1",
        f"Primary: {my_serial}, HA operating index = 0",
        f"Secondary: {mate_serial}, HA operating index = 1",
    ]
    return "\n".join(lines) + "\n"


def hardware_nic_list(ports: list[str]) -> str:
    names = sorted({*ports, "npu0_vlink0", "npu0_vlink1"})
    return "The following NICs are available:\n" + "".join(f"\t{n}\n" for n in names) + "\n"


def _rtt(target: str, seq: int) -> float:
    return (stable_int(target, "rtt", modulo=40) + 2 + stable_int(target, seq, modulo=3)) / 10


def ping(target: str, reachable: bool) -> str:
    """`execute ping A.B.C.D`: five echoes (all lost when nothing in the lab answers)."""
    lines = [f"PING {target} ({target}): 56 data bytes"]
    rtts = [_rtt(target, seq) for seq in range(5)]
    if reachable:
        lines += [
            f"64 bytes from {target}: icmp_seq={seq} ttl=255 time={rtt:.1f} ms"
            for seq, rtt in enumerate(rtts)
        ]
    lines += ["", f"--- {target} ping statistics ---"]
    if reachable:
        lines += [
            "5 packets transmitted, 5 packets received, 0% packet loss",
            f"round-trip min/avg/max = {min(rtts):.1f}/{sum(rtts) / 5:.1f}/{max(rtts):.1f} ms",
        ]
    else:
        lines.append("5 packets transmitted, 0 packets received, 100% packet loss")
    return "\n".join(lines) + "\n\n"


def traceroute(target: str, hops: list[str]) -> str:
    """`execute traceroute A.B.C.D` through the given hops (the last one is the target)."""
    lines = [
        f"traceroute to {target} ({target}), 32 hops max, 3 probe packets per hop, 84 byte packets"
    ]
    for n, hop in enumerate(hops, start=1):
        probes = "  ".join(f"{_rtt(hop, k) + n * 0.3:.3f} ms" for k in range(3))
        lines.append(f"{n:>2}  {hop}  {probes}")
    return "\n".join(lines) + "\n"


def reachable(root: Block, target: str) -> bool:
    """Own addresses and transfer-network peers answer; other hosts of a connected
    network do not; anything else is routed on (static routes) and answers."""
    addr = ipaddress.IPv4Address(target)
    for i in interfaces(root):
        if addr in i.network:
            return not i.down and target in (i.ip, i.peer)
    return bool(interfaces(root))


def trace_hops(root: Block, target: str) -> list[str]:
    addr = ipaddress.IPv4Address(target)
    ifs = [i for i in interfaces(root) if not i.down]
    for i in ifs:
        if addr in i.network:
            return [target]
    if not ifs:
        return []
    internal = addr.is_private and not addr.is_global
    egress = ifs[1] if internal and len(ifs) > 1 else ifs[0]
    return [egress.peer, target] if egress.peer != target else [target]
