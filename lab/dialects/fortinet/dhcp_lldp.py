"""FortiOS 7.x `execute dhcp lease-list` and `diagnose lldprx port neighbor details` (pure).

DHCP leases.  The clients are endpoints outside the lab's device list, so they
follow a fixed rule, derived from the configuration, a hash and the clock:
- every enabled `config system dhcp server` entry whose `interface` exists and
  is not `status down` serves clients (the lab does not cable endpoints, so the
  link state of the interface is not looked at);
- each of its `config ip-range` entries has 2 to 5 clients (a hash of device,
  server and range), holding the first addresses of the range in order;
- a client's MAC, name and vendor class are a hash of device, interface and
  address (office PCs `MSFT 5.0`, IP phones, printers, laptops without a VCI);
- clients renew at half the `lease-time` (default 604800 s) from a phase
  hashed per address, so the expiry moves with the clock and stays between
  half a lease and a whole lease ahead.
The FortiOS 7 layout (7 columns, SSID and AP empty on a wired interface) is
printed; interfaces without leases print nothing, and so does a FortiGate
without a DHCP server.

LLDP.  A port with `set lldp-reception enable` (or unset/`vdom` with the global
`set lldp-reception enable` of `config system global`) lists the device cabled
to it when the link is up and the peer's port runs LLDP; the peer's system
name, port, port description, system description, capabilities and management
address are what that device advertises elsewhere in the lab.  Without a
neighbour the command prints nothing.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from netsteward.lab.dialects.fortinet.render import Block, find_path, unquote
from netsteward.lab.dialects.render_common import lldp_system_description, mac_colon, stable_int
from netsteward.lab.model import DeviceSpec

DEFAULT_LEASE = 604800

# (OUI, name pattern, vendor class): kinds of office endpoint on a government LAN
_CLIENTS = (
    ("f8:bc:12", "PC-{n:04d}", "MSFT 5.0"),
    ("00:1e:7a", "SEP{mac}", "Cisco Systems, Inc. IP Phone CP-7841"),
    ("3c:d9:2b", "NPI{tail}", "Hewlett-Packard JetDirect"),
    ("54:ee:75", "LT-{n:04d}", ""),
)


@dataclass(frozen=True)
class Lease:
    interface: str
    ip: str
    mac: str
    hostname: str
    vci: str
    expiry: datetime


def _interfaces(root: Block) -> dict[str, Block]:
    block = find_path(root, "system interface")
    return {unquote(e.name): e for e in (block.blocks() if block is not None else [])}


def leases(host: str, root: Block, now: datetime) -> list[Lease]:
    block = find_path(root, "system dhcp server")
    ifs = _interfaces(root)
    out: list[Lease] = []
    for server in block.blocks() if block is not None else []:
        iface = server.get("interface") or ""
        entry = ifs.get(iface)
        if server.get("status") == "disable" or entry is None or entry.get("status") == "down":
            continue
        lease_time = int(server.get("lease-time") or DEFAULT_LEASE)
        ranges = server.child("config", "ip-range")
        for rng in ranges.blocks() if ranges is not None else []:
            try:
                start = ipaddress.IPv4Address(rng.get("start-ip") or "")
                end = ipaddress.IPv4Address(rng.get("end-ip") or "")
            except ValueError:
                continue
            size = int(end) - int(start) + 1
            count = min(size, 2 + stable_int(host, server.name, rng.name, modulo=4))
            for i in range(max(0, count)):
                ip = str(start + i)
                out.append(_client(host, iface, ip, lease_time, now))
    return out


def _client(host: str, iface: str, ip: str, lease_time: int, now: datetime) -> Lease:
    oui, pattern, vci = _CLIENTS[stable_int(host, iface, ip, "kind", modulo=len(_CLIENTS))]
    tail = stable_int(host, iface, ip, "mac", modulo=1 << 24)
    mac = f"{oui}:{tail >> 16:02x}:{tail >> 8 & 0xFF:02x}:{tail & 0xFF:02x}"
    name = pattern.format(
        n=stable_int(host, ip, "n", modulo=10000),
        mac=mac.replace(":", "").upper(),
        tail=f"{tail:06X}",
    )
    half = max(1, lease_time // 2)
    elapsed = (int(now.timestamp()) + stable_int(host, ip, "phase", modulo=half)) % half
    expiry = now.replace(microsecond=0) - timedelta(seconds=elapsed) + timedelta(seconds=lease_time)
    return Lease(iface, ip, mac, name, vci, expiry)


def lease_list(items: list[Lease], interface: str = "") -> str:
    """`execute dhcp lease-list [INTERFACE]`."""
    out: list[str] = []
    current = None
    for lease in items:
        if interface and lease.interface != interface:
            continue
        if lease.interface != current:
            current = lease.interface
            out += [
                current,
                "  IP            MAC-Address             Hostname            VCI"
                "                 SSID                AP                  Expiry",
            ]
        t = lease.expiry
        out.append(
            f"  {lease.ip:<14}{lease.mac:<24}{lease.hostname:<20}{lease.vci:<20}{'':<20}{'':<20}"
            f"{t:%a %b} {t.day:>2} {t:%H:%M:%S %Y}"
        )
    return "\n".join(out) + ("\n" if out else "")


# -- LLDP ------------------------------------------------------------------------------


def lldp_reception(root: Block, port: str) -> bool:
    """Whether `port` receives LLDP (its own setting, else the global one)."""
    entry = _interfaces(root).get(port)
    own = entry.get("lldp-reception") if entry is not None else None
    if own in ("enable", "disable"):
        return own == "enable"
    glob = find_path(root, "system global")
    return glob is not None and glob.get("lldp-reception") == "enable"


@dataclass(frozen=True)
class LldpPeer:
    peer: DeviceSpec
    peer_port: str
    hostname: str  # the peer's configured system name
    port_description: str  # the peer port's description ('' when it has none)


_MAU = {"1G": ("001e", "1000baseTFD"), "10G": ("0024", "10GigBaseSR")}


def lldprx_neighbor_details(port: str, port_index: int, peers: list[LldpPeer]) -> str:
    """`diagnose lldprx port neighbor details PORT`: one numbered block per neighbour."""
    out: list[str] = []
    for n, p in enumerate(peers, 1):
        spec = p.peer
        mac = mac_colon(spec.mac)
        desc = p.port_description or p.peer_port
        system = lldp_system_description(spec)
        if spec.platform == "huawei_vrp" and spec.role != "router":
            system = f"Huawei Switch {spec.model}\n{system}"  # S-series switches say so first
        router = spec.role in ("router", "core", "aggregation")
        caps, caps_txt = ("0014", "bridge router") if router else ("0004", "bridge")
        peer_ports = [x.name for x in spec.ports]
        ifindex = 3 + (peer_ports.index(p.peer_port) if p.peer_port in peer_ports else 0)
        speed = next((x.speed for x in spec.ports if x.name == p.peer_port), "1G")
        mau, mau_txt = _MAU.get(speed, ("0000", "unknown"))
        address = spec.mgmt_ip or "0.0.0.0"
        fields = [
            ("port", str(port_index)),
            ("port.txt", port),
            ("mac", mac),
            ("chassis.type", "4"),
            ("chassis.type.txt", "interface-mac"),
            ("chassis.data", mac),
            ("port.id.type", "5"),
            ("port.id.type.txt", "interface-name"),
            ("port.id.len", str(len(p.peer_port))),
            ("port.id.data", p.peer_port),
            ("ttl", "120"),
            ("port.desc.len", str(len(desc))),
            ("port.desc.data", desc),
            ("system.name.len", str(len(p.hostname))),
            ("system.name.data", p.hostname),
            ("system.desc.len", str(len(system.replace("\n", "\r\n")))),
            ("system.desc.data", system),
            ("system.caps.available", caps),
            ("system.caps.available.txt", caps_txt),
            ("system.caps.enabled", caps),
            ("system.caps.enabled.txt", caps_txt),
            ("address.count", "1"),
            ("address.1.type", "1"),
            ("address.1.type.txt", "ipv4"),
            ("address.1.len", "4"),
            ("address.1.addr", address),
            ("address.1.addr.interface.type", "2"),
            ("address.1.addr.interface.type.txt", "if-index"),
            ("address.1.addr.interface.number", str(ifindex)),
            ("vlan.id", "1"),
            ("vlan.protocol.count", "1"),
            ("vlan.protocol.1.flag", "0"),
            ("vlan.protocol.1.flag.txt", ""),
            ("vlan.protocol.1.id", "0"),
            ("vlan.name.count", "1"),
            ("vlan.name.1.id", "1"),
            ("vlan.name.1.len", "9"),
            ("vlan.name.1.data", "VLAN 0001"),
            ("aggregation.status", "1"),
            ("aggregation.status.txt", "capable"),
            ("aggregation.port", "0"),
            ("mac_phy.auto", "3"),
            ("mac_phy.auto.txt", "supported enabled"),
            ("mac_phy.pmd", "7c05"),
            ("mac_phy.pmd.txt", "10BaseT 10BaseTFD 100BaseT4 100BaseTX 100baseTXFD 1000baseXFd"),
            ("mac_phy.mau", mau),
            ("mac_phy.mau.txt", mau_txt),
            ("power.status", "0"),
            ("power.status.txt", "PD"),
            ("power.pair", "0"),
            ("power.class", "0"),
            ("max-frame-size", "9216"),
        ]
        out += [f"{n} {key}: {value}".rstrip() if value else f"{n} {key}:" for key, value in fields]
        out.append("")
    return "\n".join(out) + ("\n" if out else "")
