"""Cisco ASA: objects, object-groups, time-ranges and extended access-lists.

```
object network WEB01
 host 10.2.0.10
object-group network PARTNERS
 network-object host 203.0.113.7
access-list OUTSIDE_IN remark CHG-1234 partner API
access-list OUTSIDE_IN extended permit tcp object-group PARTNERS object WEB01 eq 8443 log
access-list OUTSIDE_IN extended permit tcp any any eq telnet inactive
access-group OUTSIDE_IN in interface outside
```
Each access-list is its own ordered policy ending in the implicit deny.  An
entry is named `ACL line N`, N counting remarks too, as `show access-list`
numbers them; its comment is the remark lines directly above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from netsteward.tasks.core.i18n import _
from netsteward.tasks.firewall.model import PROTO_NUMBERS, Rule, Service
from netsteward.tasks.firewall.parsers.common import (
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
)
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    ALL_PORTS,
    EMPTY,
    IntervalSet,
)

PORT_NAMES = {
    "echo": 7,
    "discard": 9,
    "daytime": 13,
    "chargen": 19,
    "ftp-data": 20,
    "ftp": 21,
    "ssh": 22,
    "telnet": 23,
    "smtp": 25,
    "time": 37,
    "nameserver": 42,
    "whois": 43,
    "tacacs": 49,
    "domain": 53,
    "bootps": 67,
    "bootpc": 68,
    "tftp": 69,
    "gopher": 70,
    "finger": 79,
    "www": 80,
    "http": 80,
    "kerberos": 88,
    "hostname": 101,
    "pop2": 109,
    "pop3": 110,
    "sunrpc": 111,
    "ident": 113,
    "nntp": 119,
    "ntp": 123,
    "netbios-ns": 137,
    "netbios-dgm": 138,
    "netbios-ssn": 139,
    "imap4": 143,
    "snmp": 161,
    "snmptrap": 162,
    "xdmcp": 177,
    "bgp": 179,
    "irc": 194,
    "dnsix": 195,
    "ldap": 389,
    "mobile-ip": 434,
    "https": 443,
    "pim-auto-rp": 496,
    "isakmp": 500,
    "biff": 512,
    "exec": 512,
    "login": 513,
    "who": 513,
    "rsh": 514,
    "cmd": 514,
    "syslog": 514,
    "lpd": 515,
    "talk": 517,
    "rip": 520,
    "uucp": 540,
    "klogin": 543,
    "kshell": 544,
    "rtsp": 554,
    "ldaps": 636,
    "kerberos-adm": 749,
    "lotusnotes": 1352,
    "citrix-ica": 1494,
    "sqlnet": 1521,
    "radius": 1645,
    "radius-acct": 1646,
    "h323": 1720,
    "pptp": 1723,
    "nfs": 2049,
    "ctiqbe": 2748,
    "cifs": 3020,
    "sip": 5060,
    "aol": 5190,
    "secureid-udp": 5510,
    "pcanywhere-data": 5631,
    "pcanywhere-status": 5632,
    "vxlan": 4789,
}
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def _port(token: str) -> int:
    return int(token) if token.isdigit() else PORT_NAMES[token.lower()]


def _port_op(words: list[str], i: int) -> tuple[IntervalSet, int] | None:
    """Port operator at words[i] -> (ports, next index); None when there is none.

    An operator with an unknown port name raises KeyError: the line is reported, never widened.
    """
    if i >= len(words):
        return None
    op = words[i]
    if op == "eq":
        p = _port(words[i + 1])
        return IntervalSet.of(p, p), i + 2
    if op == "range":
        return IntervalSet.of(_port(words[i + 1]), _port(words[i + 2])), i + 3
    if op == "lt":
        return IntervalSet.of(0, _port(words[i + 1]) - 1), i + 2
    if op == "gt":
        return IntervalSet.of(_port(words[i + 1]) + 1, 65535), i + 2
    if op == "neq":
        p = _port(words[i + 1])
        return ALL_PORTS - IntervalSet.of(p, p), i + 2
    return None


def _proto(token: str) -> IntervalSet:
    t = token.lower()
    if t in ("ip", "ipv4"):
        return IntervalSet.of(0, 255)
    number = int(t) if t.isdigit() else PROTO_NUMBERS.get(t, -1)
    return IntervalSet.of(number, number) if number >= 0 else IntervalSet.of(0, 255)


def _svc(proto: str, ports: IntervalSet | None) -> Service:
    protos = _proto(proto)
    if proto.lower() == "tcp-udp":
        protos = IntervalSet([(6, 6), (17, 17)])
    if protos in (IntervalSet.of(6, 6), IntervalSet.of(17, 17)) or proto.lower() == "tcp-udp":
        return Service(protos, ports or ALL_PORTS)
    return Service(protos, ALL_PORTS)


def _when(words: list[str]) -> datetime | None:
    """`23:59 30 June 2025` -> datetime."""
    try:
        h, m = words[0].split(":")[:2]
        return datetime(int(words[3]), MONTHS[words[2].lower()], int(words[1]), int(h), int(m))
    except (IndexError, KeyError, ValueError):
        return None


@dataclass
class _Interface:
    nameif: str = ""
    line: int = 0  # of the nameif line
    level: int | None = None
    management_only: bool = False
    shutdown: bool = False
    network: IntervalSet = EMPTY  # the connected subnet (`ip address A M`)


def routed_to(table: list[tuple[IntervalSet, str]], interfaces: set[str]) -> IntervalSet:
    """The destinations whose longest-prefix match in `table` leaves by one of `interfaces`.

    `table` lists (destination, interface), connected subnets first: on equal prefixes the
    first entry wins, as a connected route beats a static one. Destinations no entry
    covers (no default route) are routed nowhere.
    """
    order = sorted(range(len(table)), key=lambda i: (table[i][0].size(), i))
    taken = EMPTY
    out = EMPTY
    for i in order:
        net, nameif = table[i]
        fresh = net.difference(taken)
        if nameif in interfaces:
            out = out.union(fresh)
        taken = taken.union(net)
    return out


class _AsaParser:
    def __init__(self, device: str) -> None:
        self.book = ObjectBook(device, "cisco_asa")
        self.port_groups: dict[str, IntervalSet] = {}  # object-group service NAME tcp|udp|tcp-udp
        self.port_group_proto: dict[str, str] = {}
        self.acl_lines: dict[str, int] = {}
        self.proto_groups: set[str] = set()
        self.remarks: dict[str, list[str]] = {}
        self.interfaces: dict[str, _Interface] = {}
        self.filtered: set[str] = set()  # nameifs with an inbound access-group
        self.global_acl = False
        self._line = 0
        self.same_security = False
        self.routes: list[tuple[IntervalSet, str]] = []  # static: (destination, nameif)

    def parse(self, text: str) -> ObjectBook:
        section = ""
        members: list | None = None
        name = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            try:
                if not raw.strip() or raw.startswith((":", "!")):
                    if raw.startswith("!"):
                        section = ""
                    continue
                words = raw.split()
                if not raw[0].isspace():
                    section, members = "", None
                    head = words[0]
                    if head == "object" and len(words) >= 3 and words[1] in ("network", "service"):
                        section, name = words[1], words[2]
                        members = (
                            self.book.add_address
                            if words[1] == "network"
                            else self.book.add_service
                        )(name, number)
                    elif head == "object-group" and len(words) >= 3:
                        kind, name = words[1], words[2]
                        if kind == "network":
                            section, members = "net-group", self.book.add_address(name, number)
                        elif kind == "service":
                            members = self.book.add_service(name, number)
                            if len(words) >= 4:
                                section = "port-group"
                                self.port_group_proto[name] = words[3]
                                self.port_groups[name] = IntervalSet()
                            else:
                                section = "svc-group"
                        elif kind == "protocol":
                            section, members = "proto-group", self.book.add_service(name, number)
                            self.proto_groups.add(name)
                    elif head == "time-range" and len(words) >= 2:
                        section, name = "time", words[1]
                        self.book.schedules.setdefault(name, None)
                    elif head == "interface" and len(words) >= 2:
                        section, name = "interface", words[1]
                        self.interfaces[name] = _Interface()
                    elif head == "access-group" and len(words) >= 3:
                        if words[2] == "global":
                            self.global_acl = True
                        elif words[2] == "in" and words[3:4] == ["interface"]:
                            self.filtered.add(words[4])
                    elif head == "route" and len(words) >= 5:  # route NAMEIF NET MASK GATEWAY
                        self.routes.append((addr_mask(words[2], words[3]), words[1]))
                    elif words[:3] == ["same-security-traffic", "permit", "inter-interface"]:
                        self.same_security = True
                    elif head == "nat":  # twice-NAT names objects: they are in use
                        self.book.member_refs.update(words[1:])
                    elif head == "access-list" and len(words) >= 3:
                        self._acl(
                            words, raw, number
                        )  # an entry that cannot be read is reported as skipped
                    continue
                self._line = number
                try:
                    self._child(section, name, members, words)
                except (IndexError, ValueError):
                    continue  # a line this model does not cover (IPv6 prefix, fqdn, nat...): skip it
            except (ValueError, IndexError, KeyError):
                self.book.skipped.append(number)  # a form this model does not cover: reported
        self._unfiltered()
        return self.book

    def _unfiltered(self) -> None:
        """Interfaces whose incoming traffic no access-group filters.

        Without an inbound access-group (and without a global one) an ASA permits
        traffic from an interface to every interface of a lower security level (of
        the same level too with `same-security-traffic permit inter-interface`).
        Management-only and shut-down interfaces forward nothing.
        """
        if self.global_acl:
            return
        live: dict[str, tuple[int, int]] = {}
        for iface in self.interfaces.values():
            if not iface.nameif or iface.management_only or iface.shutdown:
                continue
            default = 100 if iface.nameif == "inside" else 0  # the ASA's own default levels
            live[iface.nameif] = (default if iface.level is None else iface.level, iface.line)
        table = self._routing_table(set(live))
        for name, (level, line) in live.items():
            if name in self.filtered:
                continue
            reached = sorted(
                other
                for other, (their, _lvl) in live.items()
                if other != name and (their < level or (their == level and self.same_security))
            )
            if reached:
                self.book.unfiltered_reach[name] = routed_to(table, set(reached))
                self.book.unfiltered.append(
                    (
                        name,
                        line,
                        _(
                            "no inbound access-group on interface {name} (security-level {level}):"
                            " all traffic from it to {reached} is permitted by default"
                        ).format(name=name, level=level, reached=", ".join(reached)),
                    )
                )

    def _routing_table(self, live: set[str]) -> list[tuple[IntervalSet, str]]:
        """Connected subnets, then static routes, of the interfaces that forward traffic."""
        connected = [
            (i.network, i.nameif)
            for i in self.interfaces.values()
            if i.nameif in live and i.network
        ]
        return connected + [(net, nameif) for net, nameif in self.routes if nameif in live]

    def _child(self, section: str, name: str, members: list | None, words: list[str]) -> None:
        key = words[0]
        if section == "interface":
            iface = self.interfaces[name]
            if key == "nameif" and len(words) >= 2:
                iface.nameif, iface.line = words[1], self._line
            elif key == "security-level" and len(words) >= 2:
                iface.level = int(words[1])
            elif words[:2] == ["ip", "address"] and len(words) >= 4 and words[2][0].isdigit():
                iface.network = addr_mask(words[2], words[3])
            elif key == "management-only":
                iface.management_only = True
            elif key == "shutdown":
                iface.shutdown = True
            elif key == "no" and words[1:2] == ["nameif"]:
                iface.nameif = ""
            return
        if section == "time":
            if key == "absolute" and "end" in words:
                self.book.schedules[name] = _when(words[words.index("end") + 1 :])
            return
        if members is None:
            return
        if key == "nat" and section == "network":
            self.book.member_refs.add(name)  # object NAT uses the object
            return
        if section == "network":
            if key == "host":
                members.append(addr_mask(words[1], "32"))
            elif key == "subnet":
                members.append(addr_mask(words[1], words[2]))
            elif key == "range":
                members.append(addr_range(words[1], words[2]))
        elif section == "net-group":
            if key == "network-object":
                if words[1] == "host":
                    members.append(addr_mask(words[2], "32"))
                elif words[1] == "object":
                    self.book.member(members, words[2])
                elif len(words) >= 3:
                    members.append(addr_mask(words[1], words[2]))
            elif key == "group-object":
                self.book.member(members, words[1])
        elif section == "service" and key == "service" and len(words) >= 2:
            ports = None
            if "destination" in words:
                found = _port_op(words, words.index("destination") + 1)
                ports = found[0] if found else None
            members.append(_svc(words[1], ports))
        elif section == "port-group":
            proto = self.port_group_proto[name]
            if key == "port-object":
                found = _port_op(words, 1)
                if found:
                    self.port_groups[name] = self.port_groups[name] | found[0]
                    members.append(_svc(proto, found[0]))
            elif key == "group-object":
                self.book.member(members, words[1])
                inner = self.port_groups.get(words[1])
                if inner is not None:
                    self.port_groups[name] = self.port_groups[name] | inner
        elif section == "svc-group":
            if key == "service-object" and len(words) >= 2:
                if words[1] == "object":
                    self.book.member(members, words[2])
                else:
                    ports = None
                    i = words.index("destination") + 1 if "destination" in words else 2
                    found = _port_op(words, i)
                    ports = found[0] if found else None
                    members.append(_svc(words[1], ports))
            elif key == "port-object":
                found = _port_op(words, 1)
                if found:
                    members.append(_svc("tcp-udp", found[0]))
            elif key == "group-object":
                self.book.member(members, words[1])
        elif section == "proto-group":
            if key == "protocol-object":
                members.append(_svc(words[1], None))
            elif key == "group-object":
                self.book.member(members, words[1])

    def _addr(self, words: list[str], i: int, refs: list) -> int:
        tok = words[i]
        if tok in ("any", "any4"):
            refs.append(ALL_ADDR)
            return i + 1
        if tok == "any6":
            refs.append(IntervalSet())
            return i + 1
        if tok == "host":
            refs.append(addr_mask(words[i + 1], "32"))
            return i + 2
        if tok in ("object", "object-group"):
            refs.append(words[i + 1])
            return i + 2
        if tok == "interface":
            refs.append(IntervalSet())  # the firewall's own address: not a server flow
            return i + 2
        refs.append(addr_mask(tok, words[i + 1]))
        return i + 2

    def _acl(self, words: list[str], raw: str, number: int) -> None:
        acl = words[1]
        kind = words[2]
        if kind == "remark":
            self.acl_lines[acl] = self.acl_lines.get(acl, 0) + 1
            self.remarks.setdefault(acl, []).append(raw.split("remark", 1)[1].strip())
            return
        if kind != "extended":
            return
        self.acl_lines[acl] = self.acl_lines.get(acl, 0) + 1
        rid = f"{acl} line {self.acl_lines[acl]}"
        action = words[3]
        r = Rule(id=rid, line=number, action="permit" if action == "permit" else "deny", policy=acl)
        r.comment = " ".join(self.remarks.pop(acl, []))
        p = PendingRule(r)
        i = 4
        proto_tok = words[i]
        svc_ref: str | None = None
        proto = "ip"
        if proto_tok in ("object", "object-group"):
            svc_ref = words[i + 1]
            i += 2
        else:
            proto = proto_tok
            i += 1
        src: list = []
        dst: list = []
        i = self._addr(words, i, src)
        ported = proto.lower() in ("tcp", "udp", "tcp-udp")
        # optional source port: operator or a port object-group
        found = _port_op(words, i)
        if found:
            i = found[1]
        elif (
            i + 1 < len(words)
            and words[i] == "object-group"
            and words[i + 1] in self.port_groups
            and ported
        ):
            # a port group here is the source port only if another address follows
            i += 2
        i = self._addr(words, i, dst)
        ports: IntervalSet | str | None = None
        found = _port_op(words, i)
        if found:
            ports, i = found
        elif i + 1 < len(words) and words[i] == "object-group" and words[i + 1] in self.port_groups:
            ports = words[i + 1]
            i += 2
        rest = words[i:]
        if "log" in rest:
            j = rest.index("log")
            r.log = not (j + 1 < len(rest) and rest[j + 1] == "disable")
        if "time-range" in rest:
            r.schedule = rest[rest.index("time-range") + 1]
        if "inactive" in rest:
            r.enabled = False
        p.src, p.dst = src, dst
        if svc_ref is not None and svc_ref in self.proto_groups and isinstance(ports, IntervalSet):
            # a protocol group with a port operator: the ports apply to its TCP/UDP members
            self.book.member_refs.add(svc_ref)
            protos = IntervalSet()
            for member in self.book.svc.get(svc_ref, []):
                if isinstance(member, Service):
                    protos = protos | member.protocols
            ported_protos = protos & IntervalSet([(6, 6), (17, 17)])
            p.svc = [Service(ported_protos, ports)] if ported_protos else []
            if protos - ported_protos:
                p.svc.append(Service(protos - ported_protos, ALL_PORTS))
            p.rule.refs = (svc_ref,)
        elif svc_ref is not None:
            p.svc = [svc_ref]
        elif isinstance(ports, str):
            p.svc = [ports]
            self.book.member_refs.add(ports)
            # the group's ports under the ACE's protocol
            p.svc = [_svc(proto, self.port_groups[ports])]
            p.rule.refs = (ports,)
        elif proto.lower() in ("ip", "ipv4") and ports is None:
            p.svc = []
        else:
            p.svc = [_svc(proto, ports)]
        self.book.pending.append(p)


def parse_asa(text: str, device: str = "") -> ObjectBook:
    return _AsaParser(device).parse(text)
