"""Vendor renderers for `netsteward.lab.fleet.firewall`: one neutral policy -> USG, StoneOS, FortiOS or ASA text.

Each renderer returns the configuration lines and the planted secrets, and
fills `Rule.rule_id` with the name the audit reports (USG rule name, StoneOS
rule id, FortiOS policy id, ASA `ACL line N`).
"""

from __future__ import annotations

import ipaddress
import random
import string
from typing import TYPE_CHECKING

from netsteward.lab.model import DeviceSpec

if (
    TYPE_CHECKING
):  # pragma: no cover - types only; netsteward.lab.fleet.firewall imports this module
    from netsteward.lab.fleet.firewall import Policy, Rule


# -- secrets -----------------------------------------------------------------


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# -- renderers -----------------------------------------------------------------


def _mask(net: ipaddress.IPv4Network) -> str:
    return str(net.netmask)


def _date(d: tuple[int, int, int]) -> str:
    return f"{d[0]:04d}/{d[1]:02d}/{d[2]:02d}"


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _ports(spec: DeviceSpec, default: list[str]) -> list[str]:
    """The first three data ports (outside, inside, DMZ): not management, HA or the USG's GE0/0/0."""
    names = [
        p.name
        for p in spec.ports
        if p.kind == "ethernet"
        and not p.name.lower().startswith(("mgmt", "ha", "management", "meth"))
        and p.name != "GigabitEthernet0/0/0"
    ]
    return names if len(names) >= 3 else default


def _address(spec: DeviceSpec, i: int, port: str) -> str:
    """`ADDRESS MASK` of data port `i`: our side of the transfer network to the cabled
    router or core (netsteward.lab.fleet.ports), else a /30 of the device's own in 10.196.0.0/14."""
    linked: str | None = spec.extra.get("link_ip", {}).get(port)
    if linked:
        return linked
    return f"10.{196 + spec.index // 256}.{spec.index % 256}.{1 + i * 4} 255.255.255.252"


def _render_usg(spec: DeviceSpec, p: Policy, rng: random.Random) -> tuple[list[str], list[dict]]:
    secrets: list[dict] = []
    pw = (
        "$1c$"
        + _token(rng, 40, string.ascii_letters + string.digits + "!@#%^&*()_+-=[]{}|;:,.<>?~`")
        + "$"
    )
    pw = pw.replace(" ", "")
    community = (
        "%^%#"
        + _token(rng, 48, string.ascii_letters + string.digits + "!\"#$&'()*+,-./:;<=>?@[]^_`{|}~")
        + "%^%#"
    )
    secrets += [
        {"host": spec.name, "kind": "local_user_password", "value": pw},
        {"host": spec.name, "kind": "snmp_community", "value": community},
    ]
    ports = _ports(
        spec,
        [
            "GigabitEthernet1/0/0",
            "GigabitEthernet1/0/1",
            "GigabitEthernet1/0/2",
            "GigabitEthernet1/0/3",
        ],
    )
    out = [
        f"!Software Version {spec.version or 'V500R005C20SPC300'}",
        f"sysname {spec.name}",
        "#",
        " l2tp domain suffix-separator @",
        "#",
        " firewall defend action discard",
        "#",
        " info-center loghost source GigabitEthernet0/0/0",
        "#",
    ]
    for i, port in enumerate(ports[:3]):
        out += [f"interface {port}", f" ip address {_address(spec, i, port)}", "#"]
    out += [
        "firewall zone local",
        " set priority 100",
        "#",
        "firewall zone trust",
        " set priority 85",
        f" add interface {ports[1]}",
        "#",
        "firewall zone untrust",
        " set priority 5",
        f" add interface {ports[0]}",
        "#",
        "firewall zone dmz",
        " set priority 50",
        f" add interface {ports[2]}",
        "#",
        "aaa",
        f" local-user admin password irreversible-cipher {pw}",
        " local-user admin service-type ssh",
        " local-user admin level 15",
        "#",
        f"snmp-agent community read cipher {community}",
        "snmp-agent sys-info version v2c v3",
        "#",
    ]
    for name, (start, end) in sorted(p.schedules.items()):
        out += [
            f"time-range {name}",
            f" absolute-range 00:00:00 {_date(start)} to 23:59:59 {_date(end)}",
            "#",
        ]
    for a in p.addrs.values():
        out.append(f"ip address-set {a.name} type object")
        for i, net in enumerate(a.nets):
            n = ipaddress.ip_network(net)
            out.append(f" address {i} {n.network_address} mask {n.prefixlen}")
        out.append("#")
    for s in p.svcs.values():
        out.append(f"ip service-set {s.name} type object")
        for i, (proto, lo, hi) in enumerate(s.entries):
            dport = f"{lo}" if lo == hi else f"{lo} to {hi}"
            out.append(
                f" service {i} protocol {proto} source-port 0 to 65535 destination-port {dport}"
            )
        out.append("#")
    out.append("security-policy")
    if p.default_permit:
        out.append(" default action permit")
    for r in p.rules:
        r.rule_id = r.name
        out.append(f" rule name {r.name}")
        if r.comment:
            out.append(f"  description {r.comment}")
        if not r.enabled:
            out.append("  disable")
        if r.szone != "any":
            out.append(f"  source-zone {r.szone}")
        if r.dzone != "any":
            out.append(f"  destination-zone {r.dzone}")
        for side, refs in (("source-address", r.src), ("destination-address", r.dst)):
            for ref in refs:
                if ref.startswith("obj:"):
                    out.append(f"  {side} address-set {ref[4:]}")
                elif ref.startswith("net:"):
                    n = ipaddress.IPv4Network(ref[4:])
                    out.append(f"  {side} {n.network_address} mask {_mask(n)}")
        for ref in r.svc:
            if ref.startswith("obj:"):
                out.append(f"  service {ref[4:]}")
        if r.schedule:
            out.append(f"  time-range {r.schedule}")
        if r.log and r.action == "permit":
            out.append("  session logging")
        out.append(f"  action {r.action}")
    out += ["#", "return"]
    return out, secrets


def _render_stoneos(
    spec: DeviceSpec, p: Policy, rng: random.Random
) -> tuple[list[str], list[dict]]:
    pw = _token(rng, 30, string.ascii_letters + string.digits + "+/")
    community = "cm" + _token(rng, 14)
    secrets = [
        {"host": spec.name, "kind": "local_user_password", "value": pw},
        {"host": spec.name, "kind": "snmp_community", "value": community},
    ]
    ports = _ports(spec, ["ethernet0/0", "ethernet0/1", "ethernet0/2", "ethernet0/3"])
    out = [
        f'hostname "{spec.name}"',
        'admin user "hillstone"',
        f"  password {pw}",
        "  privilege 15",
        "  access ssh",
        "  access https",
        "exit",
        'zone "untrust"',
        "exit",
        'zone "trust"',
        "exit",
        'zone "dmz"',
        "exit",
    ]
    for i, (port, zone) in enumerate(zip(ports[:3], ["untrust", "trust", "dmz"], strict=False)):
        out += [
            f"interface {port}",
            f'  zone "{zone}"',
            f"  ip address {_address(spec, i, port)}",
            "  manage ping",
            "exit",
        ]
    out += [f"snmp-server community {community} ro", "snmp-server manager"]
    for a in p.addrs.values():
        out.append(f'address "{a.name}"')
        for net in a.nets:
            out.append(f"  ip {net}")
        out.append("exit")
    for s in p.svcs.values():
        out.append(f'service "{s.name}"')
        for proto, lo, hi in s.entries:
            out.append(f"  {proto} dst-port {lo}" + ("" if lo == hi else f" {hi}"))
        out.append("exit")
    # half the time-limited rules use a schedule object, the others expire-time
    use_expire = {name: i % 2 == 0 for i, name in enumerate(sorted(p.schedules))}
    for name, (start, end) in sorted(p.schedules.items()):
        if not use_expire[name]:
            out += [
                f'schedule "{name}"',
                f"  absolute start {start[1]:02d}/{start[2]:02d}/{start[0]} 00:00 end "
                f"{end[1]:02d}/{end[2]:02d}/{end[0]} 23:59",
                "exit",
            ]
    out.append("policy-global")
    if p.default_permit:
        out.append("  default-action permit")
    for n, r in enumerate(p.rules, start=1):
        r.rule_id = str(n)
        out.append(f"  rule id {n}")
        out.append(f"    action {r.action}")
        out.append(f'    src-zone "{r.szone if r.szone != "any" else "Any"}"')
        out.append(f'    dst-zone "{r.dzone if r.dzone != "any" else "Any"}"')
        for key, refs in (("src", r.src), ("dst", r.dst)):
            for ref in refs:
                if ref == "any":
                    out.append(f'    {key}-addr "Any"')
                elif ref.startswith("obj:"):
                    out.append(f'    {key}-addr "{ref[4:]}"')
                else:
                    out.append(f"    {key}-ip {ref[4:]}")
        for ref in r.svc:
            out.append('    service "Any"' if ref == "any" else f'    service "{ref[4:]}"')
        out.append(f'    name "{r.name}"')
        if r.comment:
            out.append(f'    description "{r.comment}"')
        if r.schedule:
            if use_expire[r.schedule]:
                end = p.schedules[r.schedule][1]
                out.append(f"    expire-time {end[1]:02d}/{end[2]:02d}/{end[0]} 23:59:59")
            else:
                out.append(f'    schedule "{r.schedule}"')
        if r.log and r.action == "permit":
            out.append("    log session-start")
            out.append("    log session-end")
        if not r.enabled:
            out.append("    disable")
        out.append("  exit")
    out.append("exit")
    return out, secrets


def _q(names: list[str]) -> str:
    return " ".join(f'"{n}"' for n in names)


def _render_fortios(
    spec: DeviceSpec, p: Policy, rng: random.Random
) -> tuple[list[str], list[dict]]:
    pw = "ENC SH2" + _token(rng, 60, "0123456789abcdef")
    community = "fgt" + _token(rng, 12)
    secrets = [
        {"host": spec.name, "kind": "local_user_password", "value": pw},
        {"host": spec.name, "kind": "snmp_community", "value": community},
    ]
    ports = _ports(spec, ["port1", "port2", "port3", "port4"])
    out = [
        "config system global",
        f'    set hostname "{spec.name}"',
        "    set timezone 55",
        "end",
        "config system admin",
        '    edit "admin"',
        '        set accprofile "super_admin"',
        '        set vdom "root"',
        f"        set password {pw}",
        "    next",
        "end",
        "config system interface",
    ]
    for i, port in enumerate(ports[:3]):
        out += [
            f'    edit "{port}"',
            '        set vdom "root"',
            f"        set ip {_address(spec, i, port)}",
            "        set allowaccess ping" + (" https ssh" if i == 1 else ""),
            "        set type physical",
            "    next",
        ]
    out += [
        "end",
        "config system snmp community",
        "    edit 1",
        f'        set name "{community}"',
        "    next",
        "end",
        "config firewall address",
    ]
    groups = [a for a in p.addrs.values() if len(a.nets) > 1]
    for a in p.addrs.values():
        members = (
            [(f"{a.name}-{i}", net) for i, net in enumerate(a.nets, 1)]
            if len(a.nets) > 1
            else [(a.name, a.nets[0])]
        )
        for name, net in members:
            n = ipaddress.ip_network(net)
            out += [
                f'    edit "{name}"',
                f"        set uuid {_uuid(rng)}",
                f"        set subnet {n.network_address} {n.netmask}",
                "    next",
            ]
    out.append("end")
    if groups:
        out.append("config firewall addrgrp")
        for a in groups:
            out += [
                f'    edit "{a.name}"',
                f"        set uuid {_uuid(rng)}",
                f"        set member {_q([f'{a.name}-{i}' for i in range(1, len(a.nets) + 1)])}",
                "    next",
            ]
        out.append("end")
    out += ["config firewall service custom"]
    for s in p.svcs.values():
        out.append(f'    edit "{s.name}"')
        for proto in ("tcp", "udp"):
            ranges = [
                f"{lo}" if lo == hi else f"{lo}-{hi}" for pr, lo, hi in s.entries if pr == proto
            ]
            if ranges:
                out.append(f"        set {proto}-portrange {' '.join(ranges)}")
        out.append("    next")
    out.append("end")
    if p.schedules:
        out.append("config firewall schedule onetime")
        for name, (start, end) in sorted(p.schedules.items()):
            out += [
                f'    edit "{name}"',
                f'        set start "00:00 {_date(start)}"',
                f'        set end "23:59 {_date(end)}"',
                "    next",
            ]
        out.append("end")
    out.append("config firewall policy")
    for number, r in enumerate(p.rules, start=1):
        r.rule_id = str(number)

        def names(refs: list[str], anyname: str) -> list[str]:
            return [anyname if ref == "any" else ref[4:] for ref in refs]

        out += [
            f"    edit {number}",
            f'        set name "{r.name}"',
            f"        set uuid {_uuid(rng)}",
            f'        set srcintf "{r.szone}"',
            f'        set dstintf "{r.dzone}"',
            f"        set action {'accept' if r.action == 'permit' else 'deny'}",
            f"        set srcaddr {_q(names(r.src, 'all'))}",
            f"        set dstaddr {_q(names(r.dst, 'all'))}",
            f'        set schedule "{r.schedule or "always"}"',
            f"        set service {_q(names(r.svc, 'ALL'))}",
        ]
        if not r.enabled:
            out.append("        set status disable")
        if r.action == "permit":
            out.append(f"        set logtraffic {'all' if r.log else 'disable'}")
        if r.comment:
            out.append(f'        set comments "{r.comment}"')
        out.append("    next")
    out.append("end")
    return out, secrets


def _uuid(rng: random.Random) -> str:
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _render_asa(spec: DeviceSpec, p: Policy, rng: random.Random) -> tuple[list[str], list[dict]]:
    enable = _token(rng, 16, string.ascii_letters + string.digits + "./")
    pw = _token(rng, 16, string.ascii_letters + string.digits + "./")
    community = "asa" + _token(rng, 12)
    secrets = [
        {"host": spec.name, "kind": "enable_password", "value": enable},
        {"host": spec.name, "kind": "local_user_password", "value": pw},
        {"host": spec.name, "kind": "snmp_community", "value": community},
    ]
    ports = _ports(
        spec, ["GigabitEthernet0/0", "GigabitEthernet0/1", "GigabitEthernet0/2", "Management0/0"]
    )
    out = [
        f"ASA Version {spec.version or '9.12(4)67'}",
        "!",
        f"hostname {spec.name}",
        f"enable password {enable} encrypted",
        "names",
        "!",
    ]
    for i, (port, (nameif, level)) in enumerate(
        zip(ports[:3], [("outside", 0), ("inside", 100), ("dmz", 50)], strict=False)
    ):
        out += [
            f"interface {port}",
            f" nameif {nameif}",
            f" security-level {level}",
            f" ip address {_address(spec, i, port)}",
            "!",
        ]
    for name, (start, end) in sorted(p.schedules.items()):
        out += [
            f"time-range {name}",
            f" absolute start 00:00 {start[2]:02d} {MONTHS[start[1] - 1]} {start[0]} end 23:59 "
            f"{end[2]:02d} {MONTHS[end[1] - 1]} {end[0]}",
        ]

    def asa_net(net: str, prefix: str) -> str:
        n = ipaddress.ip_network(net)
        return (
            f"{prefix}host {n.network_address}"
            if n.prefixlen == 32
            else f"{prefix}{'subnet ' if not prefix else ''}{n.network_address} {n.netmask}"
        )

    multi = set()
    for a in p.addrs.values():
        if len(a.nets) == 1:
            out += [f"object network {a.name}", " " + asa_net(a.nets[0], "")]
        else:
            multi.add(a.name)
            out.append(f"object-group network {a.name}")
            out += [" " + asa_net(net, "network-object ") for net in a.nets]
    for s in p.svcs.values():
        proto, lo, hi = s.entries[0]
        port = f"eq {lo}" if lo == hi else f"range {lo} {hi}"
        out += [f"object service {s.name}", f" service {proto} destination {port}"]

    def addr(ref: str) -> str:
        if ref == "any":
            return "any"
        if ref.startswith("obj:"):
            return f"object-group {ref[4:]}" if ref[4:] in multi else f"object {ref[4:]}"
        n = ipaddress.ip_network(ref[4:])
        return (
            f"host {n.network_address}" if n.prefixlen == 32 else f"{n.network_address} {n.netmask}"
        )

    groups: dict[tuple[str, ...], str] = {}
    for r in p.rules:
        if len(r.svc) > 1 and tuple(r.svc) not in groups:
            groups[tuple(r.svc)] = f"SVCGRP-{len(groups) + 1:03d}"
            out.append(f"object-group service {groups[tuple(r.svc)]}")
            out += [f" service-object object {ref[4:]}" for ref in r.svc]

    acls: dict[str, list[Rule]] = {"OUTSIDE_IN": [], "INSIDE_IN": [], "DMZ_IN": []}
    for r in p.rules:
        targets = list(acls) if r.acl == "*" else [r.acl or "INSIDE_IN"]
        for acl in targets:
            acls[acl].append(r)
    for acl, rules in acls.items():
        line = 0
        for r in rules:
            if r.comment:
                line += 1
                out.append(f"access-list {acl} remark {r.comment}")
            if r.svc == ["any"]:
                proto = "ip"
            elif len(r.svc) > 1:
                proto = f"object-group {groups[tuple(r.svc)]}"
            else:
                proto = f"object {r.svc[0][4:]}"
            line += 1
            text = (
                f"access-list {acl} extended {r.action} {proto} {addr(r.src[0])} {addr(r.dst[0])}"
            )
            if r.log and r.action == "permit":
                text += " log"
            if r.schedule:
                text += f" time-range {r.schedule}"
            if not r.enabled:
                text += " inactive"
            out.append(text)
            if not r.rule_id:
                r.rule_id = f"{acl} line {line}"
    out.append("!")
    for acl, iface in (("OUTSIDE_IN", "outside"), ("INSIDE_IN", "inside"), ("DMZ_IN", "dmz")):
        out.append(f"access-group {acl} in interface {iface}")
    out += [
        f"username admin password {pw} encrypted privilege 15",
        f"snmp-server community {community}",
        "snmp-server enable traps snmp authentication linkup linkdown coldstart",
        "ssh version 2",
        "!",
    ]
    return out, secrets


RENDERERS = {
    "huawei_vrp": _render_usg,
    "hillstone_stoneos": _render_stoneos,
    "fortinet": _render_fortios,
    "cisco_asa": _render_asa,
}
