"""Cisco ASA 9.x routing, ARP, NAT, failover, object-group and logging displays (pure).

Everything is derived from the running configuration (named interfaces and their
addresses, objects) and the device spec (HA peer, serial, MAC); the next hop of a
/30 transfer network is its other host address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from netsteward.lab.dialects.render_common import (
    Addressed,
    mac_dotted,
    mac_offset,
    sections,
    stable_int,
)
from netsteward.lab.model import DeviceSpec


@dataclass(frozen=True)
class NamedIf(Addressed):
    port: str
    nameif: str
    ip: str
    mask: str
    shutdown: bool


def named_interfaces(config: str) -> list[NamedIf]:
    out: list[NamedIf] = []
    for sec in sections(config, "interface "):
        nameif = next((c.split()[1] for c in sec.children if c.startswith("nameif ")), "")
        addr = next(
            (c.split()[2:4] for c in sec.children if c.startswith("ip address ")),
            [],
        )
        if nameif and len(addr) == 2:
            out.append(
                NamedIf(
                    sec.header.split(None, 1)[1],
                    nameif,
                    addr[0],
                    addr[1],
                    "shutdown" in sec.children,
                )
            )
    return out


def _uptime_short(spec: DeviceSpec, salt: str) -> str:
    return (
        f"{stable_int(spec.name, salt, modulo=9) + 1}w{stable_int(spec.name, salt, 'd', modulo=7)}d"
    )


def show_route(spec: DeviceSpec, config: str) -> str:
    ifs = [i for i in named_interfaces(config) if not i.shutdown]
    outside = next((i for i in ifs if i.nameif == "outside"), ifs[0] if ifs else None)
    inside = next((i for i in ifs if i.nameif == "inside"), None)
    lines = [
        "",
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP",
        "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area ",
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
        "       E1 - OSPF external type 1, E2 - OSPF external type 2, V - VPN",
        "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2",
        "       ia - IS-IS inter area, * - candidate default, U - per-user static route",
        "       o - ODR, P - periodic downloaded static route, + - replicated route",
        "       SI - Static InterVRF, BI - BGP InterVRF",
    ]
    if outside is None:
        return "\n".join([*lines, "Gateway of last resort is not set", ""])
    lines += [
        f"Gateway of last resort is {outside.peer} to network 0.0.0.0",
        "",
        f"S*       0.0.0.0 0.0.0.0 [1/0] via {outside.peer}, {outside.nameif}",
    ]
    if inside is not None:
        for summary in ("10.0.0.0 255.0.0.0", "172.16.0.0 255.240.0.0"):
            lines.append(f"S        {summary} [1/0] via {inside.peer}, {inside.nameif}")
    for i in ifs:
        net = i.network
        lines.append(
            f"C        {net.network_address} {net.netmask} is directly connected, {i.nameif}"
        )
        lines.append(f"L        {i.ip} 255.255.255.255 is directly connected, {i.nameif}")
    return "\n".join(lines) + "\n\n"


def show_arp(spec: DeviceSpec, config: str, up: set[str]) -> str:
    lines = []
    for n, i in enumerate(named_interfaces(config)):
        if i.shutdown or i.port not in up:
            continue
        mac = mac_dotted(mac_offset(spec.mac, 0x40 + n * 7 + 3))
        age = stable_int(spec.name, i.nameif, "arp", modulo=14000)
        lines.append(f"\t{i.nameif} {i.peer} {mac} {age}")
    return "\n".join(lines) + "\n" if lines else ""


def show_object_group_network(config: str) -> str:
    out: list[str] = []
    for sec in sections(config, "object-group network "):
        out.append(sec.header)
        out += [" " + c for c in sec.children]
    return "\n".join(out) + "\n" if out else ""


def nat_objects(config: str) -> list[tuple[str, str, str]]:
    """(name, network, mask) of the subnet objects that the lab PATs to the outside (at most 4)."""
    out: list[tuple[str, str, str]] = []
    for sec in sections(config, "object network "):
        sub = next((c.split()[1:3] for c in sec.children if c.startswith("subnet ")), [])
        if len(sub) == 2 and ipaddress.IPv4Address(sub[0]).is_private:
            out.append((sec.header.split()[2], sub[0], sub[1]))
    return out[:4]


def nat_source(config: str) -> str:
    """The interface the PAT-ed networks sit behind: inside, else the first non-outside one."""
    names = [i.nameif for i in named_interfaces(config) if i.nameif != "outside"]
    return "inside" if "inside" in names else (names[0] if names else "any")


def show_nat(spec: DeviceSpec, config: str) -> str:
    """Auto NAT: every private subnet object is PAT-ed to the outside interface."""
    ifs = {i.nameif for i in named_interfaces(config)}
    objects = nat_objects(config)
    if "outside" not in ifs or not objects:
        return ""
    src = nat_source(config)
    lines = ["", "Auto NAT Policies (Section 2)"]
    for n, (obj, _net, _mask) in enumerate(objects, start=1):
        hits = stable_int(spec.name, obj, "nat", modulo=90000)
        lines.append(f"{n} ({src}) to (outside) source dynamic {obj} interface  ")
        lines.append(f"    translate_hits = {hits}, untranslate_hits = {hits // 97}")
    return "\n".join(lines) + "\n"


def _ha_role(spec: DeviceSpec) -> tuple[str, str]:
    peer = str(spec.extra.get("ha_peer", ""))
    primary = not peer or spec.name < peer
    return ("Primary", "Secondary") if primary else ("Secondary", "Primary")


def show_failover(
    spec: DeviceSpec,
    config: str,
    version: str,
    booted: datetime,
    now: datetime,
    mate_serial: str = "",
) -> str:
    peer = str(spec.extra.get("ha_peer", ""))
    if not peer:
        return "Failover Off\nFailover unit Primary\nFailover LAN Interface: not Configured\n"
    link = next(
        (
            str(lk.get("local_port"))
            for lk in spec.extra.get("links", [])  # type: ignore[union-attr]
            if lk.get("peer") == peer
        ),
        "GigabitEthernet0/7",
    )
    me, mate = _ha_role(spec)
    state, state_mate = (
        ("Active", "Standby Ready") if me == "Primary" else ("Standby Ready", "Active")
    )
    mate_serial = mate_serial or "JAD" + f"{stable_int(peer, 'serial', modulo=10**8):08d}"
    last = booted + timedelta(minutes=3)
    ifs = named_interfaces(config)
    model = spec.model.replace("-X", "").replace("ASA ", "ASA")
    active_s = int((now - booted).total_seconds())

    def unit(address: str) -> list[str]:
        return [f"Interface {i.nameif} ({address or i.ip}): Normal (Monitored)" for i in ifs]

    lines = [
        "Failover On ",
        f"Failover unit {me}",
        f"Failover LAN Interface: folink {link} (up)",
        "Reconnect timeout 0:00:00",
        "Unit Poll frequency 1 seconds, holdtime 15 seconds",
        "Interface Poll frequency 5 seconds, holdtime 25 seconds",
        "Interface Policy 1",
        f"Monitored Interfaces {len(ifs)} of 1049 maximum",
        "MAC Address Move Notification Interval not set",
        f"Version: Ours {version}, Mate {version}",
        f"Serial Number: Ours {spec.serial}, Mate {mate_serial}",
        f"Last Failover at: {last:%H:%M:%S} UTC {last:%b} {last.day} {last.year}",
        f"\tThis host: {me} - {state}",
        f"\t\tActive time: {active_s if state == 'Active' else 0} (sec)",
        f"\t\tslot 0: {model} hw/sw rev (1.0/{version}) status (Up Sys)",
        *("\t\t  " + ln for ln in unit("")),
        f"\tOther host: {mate} - {state_mate}",
        f"\t\tActive time: {0 if state == 'Active' else active_s} (sec)",
        f"\t\tslot 0: {model} hw/sw rev (1.0/{version}) status (Up Sys)",
        *(f"\t\t  Interface {i.nameif} (0.0.0.0): Normal (Monitored)" for i in ifs),
        "",
        "Stateful Failover Logical Update Statistics",
        f"\tLink : folink {link} (up)",
        "\tStateful Obj \txmit       xerr       rcv        rerr      ",
        f"\tGeneral       \t{stable_int(spec.name, 'xmit', modulo=900000):<11}0          "
        f"{stable_int(spec.name, 'rcv', modulo=900000):<11}0         ",
        "",
    ]
    return "\n".join(lines) + "\n"


_MESSAGES = (
    (
        "6",
        "302013",
        "Built inbound TCP connection {n} for outside:198.51.100.{a}/443 ({ip}/443) to inside:10.20.1.{b}/5{a:04d} (10.20.1.{b}/5{a:04d})",
    ),
    (
        "6",
        "302014",
        "Teardown TCP connection {n} for outside:198.51.100.{a}/443 to inside:10.20.1.{b}/5{a:04d} duration 0:00:0{d} bytes {n} TCP FINs",
    ),
    (
        "4",
        "106023",
        'Deny tcp src outside:203.0.113.{a}/4{a:04d} dst inside:10.20.1.{b}/23 by access-group "OUTSIDE_IN" [0x0, 0x0]',
    ),
    (
        "6",
        "305011",
        "Built dynamic TCP translation from inside:10.20.1.{b}/5{a:04d} to outside:{ip}/5{a:04d}",
    ),
    ("5", "111008", "User 'netsteward' executed the 'show running-config' command."),
)


def show_logging(spec: DeviceSpec, config: str, now: datetime) -> str:
    outside = next((i.ip for i in named_interfaces(config) if i.nameif == "outside"), "192.0.2.1")
    logged = stable_int(spec.name, "log", modulo=900000) + 1000
    lines = [
        "Syslog logging: enabled",
        "    Facility: 20",
        "    Timestamp logging: enabled",
        "    Hide Username logging: enabled",
        "    Standby logging: disabled",
        "    Debug-trace logging: disabled",
        "    Console logging: disabled",
        "    Monitor logging: disabled",
        f"    Buffer logging: level informational, {logged} messages logged",
        f"    Trap logging: level informational, facility 20, {logged} messages logged",
        "    Global TCP syslog stats::",
        "        NOT_PUTABLE: 0, ALL_CHANNEL_DOWN: 0",
        "        CHANNEL_FLAP_CNT: 0, SYSLOG_PKT_LOSS: 0",
        "        PARTIAL_REWRITE_CNT: 0",
        "    Permit-hostdown logging: disabled",
        "    History logging: disabled",
        "    Device ID: disabled",
        "    Mail logging: disabled",
        "    ASDM logging: disabled",
    ]
    start = now.replace(microsecond=0) - timedelta(seconds=40)
    for k in range(12):
        sev, mnemonic, text = _MESSAGES[k % len(_MESSAGES)]
        a = stable_int(spec.name, k, "a", modulo=200) + 10
        b = stable_int(spec.name, k, "b", modulo=200) + 10
        n = stable_int(spec.name, k, "n", modulo=900000) + 100000
        msg = text.format(a=a, b=b, n=n, d=k % 10, ip=outside)
        when = start + timedelta(seconds=3 * k)
        lines.append(f"{when:%b %d %Y %H:%M:%S}: %ASA-{sev}-{mnemonic}: {msg}")
    return "\n".join(lines) + "\n"


def answers_ping(config: str, target: str) -> bool:
    """Own addresses and transfer-network peers answer; other hosts of a connected
    network do not; anything else is routed on (static routes) and answers."""
    addr = ipaddress.IPv4Address(target)
    ifs = named_interfaces(config)
    for i in ifs:
        if addr in i.network:
            return not i.shutdown and target in (i.ip, i.peer)
    return bool(ifs)
