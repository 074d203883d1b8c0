"""Cisco ASA 9.x `show name`, `show port-channel summary`, `show bgp summary` and the
`show ospf` displays, derived from the running configuration and the cabling (pure).

What is simplified (the lab runs no routing protocol):

- A port-channel member is bundled `(P)` when its cable is plugged in and the far end
  is up, else down `(D)`; the channel is in use `(U)` when a member is bundled.  The
  far end's own LAG configuration is not checked.
- A BGP neighbour (`neighbor X remote-as Y` under `router bgp`) is in the state the
  lab's one BGP rule gives it (`netsteward.lab.dialects.bgp_common.peer_state`): Established when a
  cabled device with a link up has the address X, runs BGP with AS Y and names one of
  our interface addresses as a peer with our AS number (in its own vendor's syntax);
  its prefix count is the number of `network` lines in that device's BGP
  configuration.  Otherwise Active when X is on a subnet of ours or a cabled
  device's, else Idle; either `never` up.  Message counters grow with the minutes
  since the later of the two devices' boots.
- An OSPF interface is a named interface whose address a `network ... area A` line
  of `router ospf` covers; the device on the other end of its cable is a FULL
  neighbour when its OSPF configuration (`ospf N` / `area A` / `network IP WILDCARD`,
  VRP syntax) covers the address of its cabled port in the same area.  The router
  with the higher router ID is DR, the other BDR; hello and dead intervals are the
  defaults (10 s / 40 s) and the dead timer counts down with the clock.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from netsteward.lab.dialects import bgp_common
from netsteward.lab.dialects.cisco_asa.extra import NamedIf, named_interfaces
from netsteward.lab.dialects.render_common import sections, stable_int


@dataclass(frozen=True)
class Cabled:
    """One plugged-in cable of the device, seen from its local port."""

    local_port: str
    peer: str  # device name
    peer_port: str
    peer_config: str  # the peer's running configuration
    up: bool  # the peer is on the network


# -- names --------------------------------------------------------------------------


def show_name(config: str) -> str:
    """`show name`: the `name ADDRESS NAME [description TEXT]` lines, in configuration order."""
    lines = [ln.rstrip() for ln in config.splitlines() if ln.startswith("name ")]
    return "\n".join(lines) + "\n" if lines else ""


# -- port-channel -------------------------------------------------------------------

PORT_CHANNEL_HEAD = """\
Flags:  D - down        P - bundled in port-channel
        I - stand-alone s - suspended
        H - Hot-standby (LACP only)
        U - in use      N - not in use, no aggregation/nameif
        M - not in use, no aggregation due to minimum links not met
        w - waiting to be aggregated"""


def short_name(port: str) -> str:
    for full, short in (
        ("GigabitEthernet", "Gi"),
        ("TenGigabitEthernet", "Te"),
        ("Management", "Ma"),
        ("Port-channel", "Po"),
    ):
        if port.startswith(full):
            return short + port[len(full) :]
    return port


def channel_groups(config: str) -> dict[int, list[tuple[str, str]]]:
    """Channel group number -> [(member port, mode)] from `channel-group N mode M` lines."""
    groups: dict[int, list[tuple[str, str]]] = {}
    for sec in sections(config, "interface "):
        for child in sec.children:
            w = child.split()
            if w[:1] == ["channel-group"] and len(w) >= 2 and w[1].isdigit():
                mode = w[3] if len(w) >= 4 and w[2] == "mode" else "on"
                groups.setdefault(int(w[1]), []).append((sec.header.split(None, 1)[1], mode))
    return groups


def show_port_channel_summary(config: str, up: set[str]) -> str:
    groups = channel_groups(config)
    lines = [
        PORT_CHANNEL_HEAD,
        f"Number of channel-groups in use: {len(groups)}",
        "Group  Port-channel  Protocol  Span-cluster  Ports",
        "------+-------------+---------+------------+------------------------------------",
    ]
    for number in sorted(groups):
        members = groups[number]
        flags = [("P" if port in up else "D") for port, _ in members]
        state = "U" if "P" in flags else "D"
        protocol = "LACP" if any(m in ("active", "passive") for _, m in members) else "-"
        ports = "   ".join(
            f"{short_name(port)}({flag})" for (port, _), flag in zip(members, flags, strict=True)
        )
        lines.append(f"{number:<7}{f'Po{number}({state})':<18}{protocol:<14}{'No':<7}{ports}")
    return "\n".join(lines) + "\n"


# -- helpers over the peer's (VRP) configuration ----------------------------------------


def port_address(config: str, port: str) -> tuple[str, str] | None:
    """(address, mask) of `interface PORT` in a Cisco or VRP configuration."""
    for sec in sections(config, f"interface {port}"):
        if sec.header != f"interface {port}":
            continue
        for child in sec.children:
            w = child.split()
            if w[:2] == ["ip", "address"] and len(w) >= 4 and w[3][0].isdigit():
                return w[2], w[3]
    return None


def _vrp_sections(config: str, word: str) -> list[tuple[str, list[str]]]:
    """Top-level VRP sections whose first word is `word` ("#"-delimited configuration)."""
    return [
        (sec.header, sec.children)
        for sec in sections(config.replace("\n#\n", "\n!\n"))
        if sec.header.split()[:1] == [word]
    ]


def _loopback(config: str) -> str | None:
    addr = port_address(config, "LoopBack0")
    return addr[0] if addr else None


def _by_wildcard(address: str, base: str, wildcard: str) -> bool:
    a, b, w = (int(ipaddress.IPv4Address(x)) for x in (address, base, wildcard))
    return (a & ~w) == (b & ~w)


def _area(text: str) -> int:
    return int(ipaddress.IPv4Address(text)) if "." in text else int(text)


# -- BGP -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BgpNeighbor:
    address: str
    remote_as: str
    state: bgp_common.PeerState


def _uptime(delta: timedelta) -> str:
    """Cisco's Up/Down column: 00:12:34, 4d06h, 4w6d."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    if days >= 7:
        return f"{days // 7}w{days % 7}d"
    if days:
        return f"{days}d{rest // 3600:02d}h"
    return f"{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}"


def router_id(config: str, section: str, keyword: str) -> str:
    """The configured router ID of `section`, else the highest interface address."""
    for sec in sections(config, section):
        for child in sec.children:
            w = child.split()
            if w[: len(keyword.split())] == keyword.split() and len(w) > len(keyword.split()):
                return w[len(keyword.split())]
    ips = [i.ip for i in named_interfaces(config) if not i.shutdown]
    return max(ips, key=lambda x: int(ipaddress.IPv4Address(x))) if ips else "0.0.0.0"


def bgp_neighbors(
    config: str, far_ends: list[bgp_common.FarEnd], booted: datetime
) -> tuple[str, list[BgpNeighbor]] | None:
    """(local AS, neighbours) of `router bgp`, or None when BGP is not configured."""
    process = bgp_common.bgp_config("cisco_asa", config)
    if process is None:
        return None
    ours = {
        i.port: ipaddress.IPv4Interface(f"{i.ip}/{i.mask}")
        for i in named_interfaces(config)
        if not i.shutdown
    }
    return process.local_as, [
        BgpNeighbor(
            address,
            asn,
            bgp_common.peer_state(ours, booted, process.local_as, address, asn, far_ends),
        )
        for address, asn in process.peers.items()
    ]


def show_bgp_summary(
    config: str, far_ends: list[bgp_common.FarEnd], booted: datetime, now: datetime, device: str
) -> str:
    found = bgp_neighbors(config, far_ends, booted)
    if found is None:
        return "% BGP not active\n"
    local_as, neighbors = found
    rid = router_id(config, "router bgp ", "bgp router-id")
    local_nets = sum(1 for ln in config.splitlines() if ln.strip().startswith("network "))
    learned = sum(n.state.prefixes for n in neighbors)
    entries = learned + local_nets
    version = 1 + entries + len(neighbors)
    lines = [
        f"BGP router identifier {rid}, local AS number {local_as}",
        f"BGP table version is {version}, main routing table version {version}",
        f"{entries} network entries using {entries * 200} bytes of memory",
        f"{entries} path entries using {entries * 80} bytes of memory",
        f"{entries}/{entries} BGP path/bestpath attribute entries using {entries * 208} bytes of memory",
        f"{len(neighbors)} BGP AS-PATH entries using {len(neighbors) * 40} bytes of memory",
        "0 BGP route-map cache entries using 0 bytes of memory",
        "0 BGP filter-list cache entries using 0 bytes of memory",
        f"BGP using {entries * 488 + len(neighbors) * 40} total bytes of memory",
        f"BGP activity {entries}/0 prefixes, {entries}/0 paths, scan interval 60 secs",
        "",
        "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    ]
    for n in neighbors:
        if n.state.since is None:
            rcvd = sent = 0
            tbl, updown, state = 1, "never", n.state.state
        else:
            since = n.state.since
            minutes = max(int((now - since).total_seconds()) // 60, 0)
            seed = stable_int(device, n.address, modulo=50)
            rcvd, sent = minutes + seed, minutes + seed + n.state.prefixes + 3
            tbl, updown, state = version, _uptime(now - since), str(n.state.prefixes)
        lines.append(
            f"{n.address:<16}4{n.remote_as:>13} {rcvd:<7} {sent:<7} {tbl:>9}    0    0 "
            f"{updown:<6} {state}"
        )
    return "\n".join(lines) + "\n"


# -- OSPF ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OspfInterface:
    named: NamedIf
    process: str
    area: str
    neighbor: tuple[str, str] | None  # (router ID, address) of the FULL neighbour


def _vrp_ospf_covers(peer_config: str, address: str, area: int) -> str | None:
    """The peer's OSPF router ID when its configuration covers `address` in `area`."""
    current_area: int | None = None
    for header, children in _vrp_sections(peer_config, "ospf"):
        for child in children:
            w = child.split()
            if w[:1] == ["area"] and len(w) > 1:
                current_area = _area(w[1])
            elif (
                w[:1] == ["network"]
                and len(w) >= 3
                and current_area == area
                and _by_wildcard(address, w[1], w[2])
            ):
                hw = header.split()
                if "router-id" in hw:
                    return hw[hw.index("router-id") + 1]
                return _loopback(peer_config) or address
    return None


def ospf_interfaces(config: str, cabled: list[Cabled]) -> list[OspfInterface] | None:
    """The interfaces `router ospf` runs on, or None when OSPF is not configured."""
    secs = sections(config, "router ospf ")
    if not secs:
        return None
    by_port = {c.local_port: c for c in cabled}
    out: list[OspfInterface] = []
    for named in named_interfaces(config):
        if named.shutdown:
            continue
        for sec in secs:
            area = next(
                (
                    w[4]
                    for w in (c.split() for c in sec.children)
                    if w[:1] == ["network"]
                    and len(w) >= 5
                    and w[3] == "area"
                    and ipaddress.IPv4Address(named.ip)
                    in ipaddress.IPv4Network(f"{w[1]}/{w[2]}", strict=False)
                ),
                None,
            )
            if area is None:
                continue
            neighbor = None
            cable = by_port.get(named.port)
            if cable is not None and cable.up:
                addr = port_address(cable.peer_config, cable.peer_port)
                if addr is not None:
                    rid = _vrp_ospf_covers(cable.peer_config, addr[0], _area(area))
                    if rid is not None:
                        neighbor = (rid, addr[0])
            out.append(OspfInterface(named, sec.header.split()[2], area, neighbor))
            break
    return out


def _higher(a: str, b: str) -> bool:
    return int(ipaddress.IPv4Address(a)) > int(ipaddress.IPv4Address(b))


def show_ospf_neighbor(config: str, cabled: list[Cabled], now: datetime) -> str:
    ifs = ospf_interfaces(config, cabled)
    if ifs is None:
        return ""
    rid = router_id(config, "router ospf ", "router-id")
    lines = ["", "Neighbor ID     Pri   State           Dead Time   Address         Interface"]
    for i in ifs:
        if i.neighbor is None:
            continue
        nid, addr = i.neighbor
        role = "FULL/DR" if _higher(nid, rid) else "FULL/BDR"
        dead = 40 - (int(now.timestamp()) + stable_int(nid, modulo=10)) % 10
        lines.append(f"{nid:<18}{1}   {role:<16}0:00:{dead:02d}    {addr:<16}{i.named.nameif}")
    return "\n".join(lines) + "\n"


def show_ospf_interface_brief(config: str, cabled: list[Cabled], speeds: dict[str, int]) -> str:
    ifs = ospf_interfaces(config, cabled)
    if ifs is None:
        return ""
    rid = router_id(config, "router ospf ", "router-id")
    lines = ["Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C"]
    for i in ifs:
        if i.neighbor is None:
            state, nbrs = "DR", "0/0"
        else:
            state, nbrs = ("BDR" if _higher(i.neighbor[0], rid) else "DR"), "1/1"
        cost = max(100 // max(speeds.get(i.named.port, 1000), 1), 1)
        lines.append(
            f"{i.named.nameif:<13}{i.process:<6}{i.area:<16}{i.named.ip}/{i.named.mask}"
            f"    {cost:>2}   {state:>3} {nbrs}"
        )
    return "\n".join(lines) + "\n"


_SPEED = re.compile(r"(\d+)([GM])")


def speed_mbps(speed: str) -> int:
    m = _SPEED.match(speed)
    if not m:
        return 1000
    return int(m.group(1)) * (1000 if m.group(2) == "G" else 1)
