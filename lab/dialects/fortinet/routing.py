"""FortiOS 7.x BGP and OSPF displays, derived from configuration (pure).

`get router info bgp summary`, `get router info bgp neighbors` and
`get router info ospf status` read `config router bgp` / `config router ospf`
of the FortiGate and, for sessions, the configuration of the devices cabled to
it (BGP: `netsteward.lab.dialects.bgp_common`, any vendor's syntax; OSPF: `Link`, the peer's
running configuration in VRP or Comware syntax: `ospf N` / `area A` /
`network IP WILDCARD`, `interface X` / `ip address IP MASK`).

Simplified against real BGP/OSPF:
- a BGP neighbour's state is the lab's one BGP rule (`bgp_common.peer_state`:
  Established when a cabled device with a link up has the address, runs BGP
  with the neighbour's remote AS and configures one of our addresses back with
  our AS; else Active when the address is on one of our subnets or a cabled
  device's; else Idle), and Idle when the neighbour is shut down (no routing or
  multihop is simulated);
- the session came up when both ends were last configured (or booted, if
  later); message counters count keepalives since then; received prefixes are
  the peer's `network` lines, announced prefixes ours;
- non-Established neighbours print `BGP state = Active` without an `up for`
  part, as ZebOS-derived stacks do (the ntc-templates template then finds no
  record: it knows Established sessions only);
- OSPF: an interface is in an area when its address lies in one of the
  area's `config network` prefixes; it counts as active when its link is up;
  a neighbour is fully adjacent when the cabled peer's address on that link is
  covered by a `network` of the peer's `ospf` process (area types, timers and
  LSDB contents are not simulated; LSA counts are derived from the adjacency
  count).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from netsteward.lab.dialects import bgp_common
from netsteward.lab.dialects.fortinet.extra import FgtIf, interfaces
from netsteward.lab.dialects.fortinet.render import Block, find_path, unquote
from netsteward.lab.dialects.render_common import stable_int
from netsteward.lab.engine.configtree import ConfigTree
from netsteward.lab.model import DeviceSpec


@dataclass(frozen=True)
class Link:
    """A cable from one of our ports to a peer device, with the link up (for OSPF)."""

    local_port: str
    peer: DeviceSpec
    peer_port: str
    peer_config: str  # the peer's running configuration


@dataclass(frozen=True)
class PeerFacts:
    """What a VRP / Comware peer's configuration says about OSPF."""

    addresses: dict[str, ipaddress.IPv4Interface]
    ospf_networks: tuple[ipaddress.IPv4Network, ...]


def peer_facts(text: str) -> PeerFacts:
    ospf: list[ipaddress.IPv4Network] = []
    for node in ConfigTree.parse(text).sections("ospf"):
        for child in node.walk():
            w = child.text.split()
            if w[:1] == ["network"] and len(w) >= 3:
                try:
                    ospf.append(ipaddress.IPv4Network(f"{w[1]}/{w[2]}", strict=False))
                except ValueError:
                    continue
    return PeerFacts(bgp_common.addresses("huawei_vrp", text), tuple(ospf))


def fortios_age(seconds: int) -> str:
    """ZebOS style: `05:48:47` below a day, `4d14h28m` below a week, else `09w3d01h`."""
    seconds = max(0, seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days == 0:
        return f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if days < 7:
        return f"{days}d{hours:02d}h{minutes:02d}m"
    return f"{days // 7:02d}w{days % 7}d{hours:02d}h"


# -- BGP -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BgpSession:
    neighbor: str
    remote_as: str
    state: str  # Established | Active | Idle
    up_seconds: int
    local_ip: str
    local_port: str
    remote_router_id: str
    prefixes_in: int
    route_map_in: str
    route_map_out: str
    holdtime: int
    keepalive: int
    interval: int
    ipv6: bool
    shared: bool


@dataclass(frozen=True)
class Bgp:
    local_as: str
    router_id: str
    announced: int
    sessions: list[BgpSession]
    route_maps: frozenset[str] = frozenset()  # defined in `config router route-map`


def _router_id(root: Block, block: Block, ifs: list[FgtIf]) -> str:
    rid = block.get("router-id")
    if rid and rid != "0.0.0.0":
        return rid
    return max((i.ip for i in ifs if not i.down), key=ipaddress.IPv4Address, default="0.0.0.0")


def bgp(
    root: Block, far_ends: list[bgp_common.FarEnd], our_since: datetime, now: datetime
) -> Bgp | None:
    """The BGP process of `config router bgp` (None when `as` is unset or 0); `our_since`:
    the later of our boot and last configuration change."""
    block = find_path(root, "router bgp")
    local_as = block.get("as") if block is not None else None
    if block is None or not local_as or local_as == "0":
        return None
    ifs = interfaces(root)
    ours = {i.ip: i for i in ifs if not i.down}
    mine = {i.name: ipaddress.IPv4Interface(f"{i.ip}/{i.mask}") for i in ours.values()}
    table = block.child("config", "neighbor")
    sessions: list[BgpSession] = []
    for entry in table.blocks() if table is not None else []:
        address = unquote(entry.name)
        remote_as = entry.get("remote-as") or "0"
        ps = bgp_common.PeerState("Idle")
        if entry.get("shutdown") != "enable":
            ps = bgp_common.peer_state(mine, our_since, local_as, address, remote_as, far_ends)
        up = int((now - ps.since).total_seconds()) if ps.since is not None else 0
        try:
            shared = any(ipaddress.IPv4Address(address) in i.network for i in ours.values())
        except ValueError:
            shared = False
        sessions.append(
            BgpSession(
                neighbor=address,
                remote_as=remote_as,
                state=ps.state,
                up_seconds=up,
                local_ip=ps.local_ip,
                local_port=ps.local_port,
                remote_router_id=ps.router_id or "0.0.0.0",
                prefixes_in=ps.prefixes,
                route_map_in=entry.get("route-map-in") or "",
                route_map_out=entry.get("route-map-out") or "",
                holdtime=int(entry.get("holdtime-timer") or 180),
                keepalive=int(entry.get("keepalive-timer") or 60),
                interval=int(entry.get("advertisement-interval") or 30),
                ipv6=entry.get("activate6") != "disable",
                shared=shared,
            )
        )
    networks = block.child("config", "network")
    maps = find_path(root, "router route-map")
    defined = {unquote(e.name) for e in maps.blocks()} if maps is not None else set()
    announced = len(networks.blocks()) if networks is not None else 0
    return Bgp(local_as, _router_id(root, block, ifs), announced, sessions, frozenset(defined))


def _messages(host: str, s: BgpSession) -> tuple[int, int]:
    if s.state != "Established":
        return 0, 0
    base = s.up_seconds // max(1, s.keepalive) + 3
    return base + s.prefixes_in, base + stable_int(host, s.neighbor, modulo=3) + 1


def bgp_summary(host: str, b: Bgp | None) -> str:
    if b is None:
        return ""
    up = [s for s in b.sessions if s.state == "Established"]
    out = [
        f"BGP router identifier {b.router_id}, local AS number {b.local_as}",
        f"BGP table version is {1 + sum(s.prefixes_in for s in up) + b.announced}",
        f"{len({s.remote_as for s in up})} BGP AS-PATH entries",
        "0 BGP community entries",
        "",
        "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    ]
    for s in b.sessions:
        rcvd, sent = _messages(host, s)
        updown = fortios_age(s.up_seconds) if s.state == "Established" else "never"
        state = f"{s.prefixes_in:>8}" if s.state == "Established" else f"{s.state:<11}"
        out.append(
            f"{s.neighbor:<15}{4:>2}{s.remote_as:>11}{rcvd:>8}{sent:>8}{0:>9}{0:>5}{0:>5}"
            f" {updown:>8} {state}"
        )
    out += ["", f"Total number of neighbors {len(b.sessions)}", ""]
    return "\n".join(out) + "\n"


def _family(name: str, index: int, s: BgpSession, table: int, b: Bgp) -> list[str]:
    """One `For address family` part; `*` marks a route map that exists (as Quagga does)."""
    announced = b.announced
    up = s.state == "Established"
    out = [
        "",
        f" For address family: {name}",
        f"  BGP table version {table}, neighbor version {table if up else 0}",
        f"  Index {index}, Offset 0, Mask 0x{1 << index:x}",
        "  Community attribute sent to this neighbor (both)",
    ]
    ipv4 = name == "IPv4 Unicast"
    if ipv4 and s.route_map_in:
        out.append("  Inbound path policy configured")
    if ipv4 and s.route_map_out:
        out.append("  Outbound path policy configured")
    if ipv4 and s.route_map_in:
        out.append(f"  Route map for incoming advertisements is {_star(b, s.route_map_in)}")
    if ipv4 and s.route_map_out:
        out.append(f"  Route map for outgoing advertisements is {_star(b, s.route_map_out)}")
    received = s.prefixes_in if up and ipv4 else 0
    out += [
        f"  {received} accepted prefixes, {received} prefixes in rib",
        f"  {announced if up and ipv4 else 0} announced prefixes",
    ]
    return out


def _star(b: Bgp, name: str) -> str:
    return ("*" if name in b.route_maps else "") + name


def bgp_neighbors(host: str, b: Bgp | None, now: datetime, only: str = "") -> str:
    """Every neighbour's details (or only the neighbour `only`)."""
    if b is None or not b.sessions:
        return ""
    out = ["VRF 0 neighbor table:"]
    for index, s in enumerate(b.sessions, 1):
        if only and s.neighbor != only:
            continue
        up = s.state == "Established"
        rcvd, sent = _messages(host, s)
        link = "internal" if s.remote_as == b.local_as else "external"
        last_read = stable_int(host, s.neighbor, now.minute, modulo=min(s.keepalive, 60))
        out += [
            f"BGP neighbor is {s.neighbor}, remote AS {s.remote_as}, local AS {b.local_as}, {link} link",
            f"  BGP version 4, remote router ID {s.remote_router_id}",
            f"  BGP state = Established, up for {fortios_age(s.up_seconds)}"
            if up
            else f"  BGP state = {s.state}",
            f"  Last read 00:00:{last_read:02d}, hold time is {s.holdtime}, keepalive interval is {s.keepalive} seconds",
            f"  Configured hold time is {s.holdtime}, keepalive interval is {s.keepalive} seconds",
        ]
        if up:
            out += [
                "  Neighbor capabilities:",
                "    Route refresh: advertised and received (old and new)",
                "    Address family IPv4 Unicast: advertised and received",
            ]
            if s.ipv6:
                out.append("    Address family IPv6 Unicast: advertised")
        out += [
            f"  Received {rcvd} messages, 0 notifications, 0 in queue",
            f"  Sent {sent} messages, 0 notifications, 0 in queue",
            "  Route refresh request: received 0, sent 0",
            f"  Minimum time between advertisement runs is {s.interval} seconds",
        ]
        table = 1 + s.prefixes_in + b.announced if up else 1
        out += _family("IPv4 Unicast", index, s, table, b)
        if s.ipv6:
            out += _family("IPv6 Unicast", index, s, 1, b)
        out += ["", f" Connections established {1 if up else 0}; dropped 0"]
        if up:
            port = 1024 + stable_int(host, s.neighbor, "port", modulo=60000)
            out += [
                f"Local host: {s.local_ip}, Local port: {port}",
                f"Foreign host: {s.neighbor}, Foreign port: 179",
                f"Nexthop: {s.local_ip}",
                f"Nexthop interface: {s.local_port}",
                "Nexthop global: ::",
                "Nexthop local: ::",
                f"BGP connection: {'shared' if s.shared else 'non shared'} network",
            ]
        else:
            out.append(
                f"Next connect timer due in {stable_int(host, s.neighbor, modulo=120)} seconds"
            )
        out.append("")
    return "\n".join(out) + "\n"


# -- OSPF ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OspfArea:
    area: str
    interfaces: int
    active: int
    neighbors: int


def ospf_areas(root: Block, links: list[Link], up: set[str]) -> tuple[str, list[OspfArea]] | None:
    """(router ID, areas) of `config router ospf`, or None when OSPF is not configured."""
    block = find_path(root, "router ospf")
    if block is None:
        return None
    ifs = interfaces(root)
    names: list[str] = []
    table = block.child("config", "area")
    for entry in table.blocks() if table is not None else []:
        names.append(unquote(entry.name))
    nets: list[tuple[str, ipaddress.IPv4Network]] = []
    table = block.child("config", "network")
    for entry in table.blocks() if table is not None else []:
        prefix = (entry.get("prefix") or "").split()
        area = entry.get("area") or "0.0.0.0"
        try:
            net = ipaddress.IPv4Network("/".join(prefix[:2]), strict=False)
        except ValueError:
            continue
        nets.append((area, net))
        if area not in names:
            names.append(area)
    by_port = {lk.local_port: lk for lk in links}
    areas: list[OspfArea] = []
    for name in sorted(names, key=lambda a: ipaddress.IPv4Address(a) if a.count(".") == 3 else 0):
        inside = [
            i for i in ifs if any(a == name and ipaddress.IPv4Address(i.ip) in n for a, n in nets)
        ]
        active = [i for i in inside if not i.down and i.name in up]
        adjacent = 0
        for i in active:
            link = by_port.get(i.name)
            if link is None:
                continue
            pf = peer_facts(link.peer_config)
            address = pf.addresses.get(link.peer_port)
            if address is not None and any(address.ip in n for n in pf.ospf_networks):
                adjacent += 1
        areas.append(OspfArea(name, len(inside), len(active), adjacent))
    rid = block.get("router-id") or _router_id(root, block, ifs)
    return rid, areas


def ospf_status(host: str, ospf: tuple[str, list[OspfArea]] | None, now: datetime) -> str:
    if ospf is None:
        return ""
    rid, areas = ospf
    running = any(a.active for a in areas)
    adjacent = sum(a.neighbors for a in areas)
    received = adjacent * (2 + stable_int(host, "lsa", modulo=40))
    out = [
        f' Routing Process "ospf 0" with ID {rid}',
        f" Process is {'up' if running else 'not up'}",
        " Process bound to VRF default",
        " Conforms to RFC2328, and RFC1583Compatibility flag is disabled",
        " Supports only single TOS(TOS0) routes",
        " Supports opaque LSA",
        " Do not support Restarting",
        " SPF schedule delay 5 secs, Hold time between two SPFs 10 secs",
        " Refresh timer 10 secs",
        " Number of incomming current DD exchange neighbors 0/5",
        " Number of outgoing current DD exchange neighbors 0/5",
        " Number of external LSA 0. Checksum 0x000000",
        " Number of opaque AS LSA 0. Checksum 0x000000",
        " Number of non-default external LSA 0",
        " External LSA database is unlimited.",
        f" Number of LSA originated {len(areas) if running else 0}",
        f" Number of LSA received {received}",
        f" Number of areas attached to this router: {len(areas)}",
    ]
    for a in areas:
        backbone = " (BACKBONE)" if a.area == "0.0.0.0" else ""
        spf = 1 + a.neighbors * 2 + stable_int(host, a.area, "spf", modulo=5)
        ago = stable_int(host, a.area, now.hour, now.minute, modulo=600000)
        lsa = (1 + 2 * a.neighbors) if a.active else 0
        checksum = stable_int(host, a.area, a.neighbors, modulo=1 << 24) if lsa else 0
        out += [
            f"    Area {a.area}{backbone}",
            f"        Number of interfaces in this area is {a.active}({a.interfaces})",
            f"        Number of fully adjacent neighbors in this area is {a.neighbors}",
            "        Area has no authentication",
            f"        SPF algorithm last executed {ago // 3600000:02d}:{ago // 60000 % 60:02d}:"
            f"{ago // 1000 % 60:02d}.{ago % 1000:03d} ago",
            f"        SPF algorithm executed {spf} times",
            f"        Number of LSA {lsa}. Checksum 0x{checksum:06x}",
        ]
    return "\n".join([*out, ""]) + "\n"
