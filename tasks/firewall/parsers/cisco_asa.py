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

import re

from netsteward.tasks.core.i18n import _
from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.parsers.asa_terms import (
    KNOWN_TOP,
    LOG_WORDS,
    SHOW_ACCESS_LIST,
    _icmp,
    _Interface,
    _port_op,
    _proto,
    _svc,
    _when,
    routed_to,
)
from netsteward.tasks.firewall.parsers.common import (
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
    source_port,
)
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    ALL_PORTS,
    IntervalSet,
)


class _AsaParser:
    def __init__(self, device: str) -> None:
        self.book = ObjectBook(device, "cisco_asa")
        self.port_groups: dict[str, IntervalSet] = {}  # object-group service NAME tcp|udp|tcp-udp
        self.port_group_proto: dict[str, str] = {}
        self.icmp_groups: dict[str, IntervalSet] = {}  # object-group icmp-type NAME
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
        show = re.compile(SHOW_ACCESS_LIST)
        section = ""
        members: list | None = None
        name = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            self.book.line = self._line = number
            if show.search(raw):
                why = "this is `show access-list` output (line numbers and hit counts)"
                self.book.not_config = (number, why)
                return self.book
            try:
                if not raw.strip() or raw.startswith((":", "!")):
                    if raw.startswith("!"):
                        section = ""
                    continue
                words = raw.split()
                if words[0].startswith("!"):
                    continue  # a comment inside a block
                if not raw[0].isspace():
                    section, members, name = self._top(words, raw, number)
                    continue
                if section == "":
                    continue  # a block this model leaves alone (crypto, policy-map, ...)
                if not self._child(section, name, members, words):
                    self.book.unread.append(number)
            except (ValueError, IndexError, KeyError):
                self.book.skipped.append(number)  # a form this model does not cover: reported
        self._unfiltered()
        return self.book

    def _top(self, words: list[str], raw: str, number: int) -> tuple[str, list | None, str]:
        """A top-level statement: (the section it opens, its member list, its name)."""
        head = words[0]
        if head in KNOWN_TOP or head.startswith("Cryptochecksum"):
            self.book.recognised += 1
        if head == "object" and len(words) >= 3 and words[1] in ("network", "service"):
            add = self.book.add_address if words[1] == "network" else self.book.add_service
            return words[1], add(words[2], number), words[2]
        if head == "object-group" and len(words) >= 3:
            return self._group(words, number)
        if head == "time-range" and len(words) >= 2:
            self.book.schedules.setdefault(words[1], None)
            return "time", None, words[1]
        if head == "interface" and len(words) >= 2:
            self.interfaces[words[1]] = _Interface()
            return "interface", None, words[1]
        if head == "access-group" and len(words) >= 3:
            if words[2] == "global":
                self.global_acl = True
            elif words[2] == "in" and words[3:4] == ["interface"]:
                self.filtered.add(words[4])
        elif head == "route" and len(words) >= 5:  # route NAMEIF NET MASK GATEWAY
            self.routes.append((addr_mask(words[2], words[3], note=self.book.note), words[1]))
        elif words[:3] == ["same-security-traffic", "permit", "inter-interface"]:
            self.same_security = True
        elif head == "nat":  # twice-NAT names objects: they are in use
            self.book.member_refs.update(words[1:])
        elif head == "access-list" and len(words) >= 3:
            self._acl(words, raw, number)
        return "", None, ""

    def _group(self, words: list[str], number: int) -> tuple[str, list | None, str]:
        kind, name = words[1], words[2]
        if kind == "network":
            return "net-group", self.book.add_address(name, number), name
        if kind == "service":
            members = self.book.add_service(name, number)
            if len(words) >= 4:
                self.port_group_proto[name] = words[3]
                self.port_groups[name] = IntervalSet()
                return "port-group", members, name
            return "svc-group", members, name
        if kind == "protocol":
            self.proto_groups.add(name)
            return "proto-group", self.book.add_service(name, number), name
        if kind == "icmp-type":
            self.icmp_groups[name] = IntervalSet()
            return "icmp-group", self.book.add_service(name, number), name
        if kind == "group" and words[2:3] == ["icmp-type"] and len(words) >= 4:
            name = words[3]  # `object-group group icmp-type NAME`: nested icmp-type groups
            self.icmp_groups[name] = IntervalSet()
            return "icmp-group", self.book.add_service(name, number), name
        return "", None, ""  # user, security groups: not modelled, not filtering members

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

    def _child(self, section: str, name: str, members: list | None, words: list[str]) -> bool:
        """Read one line inside a section; False when the line is not understood there."""
        key = words[0]
        if key == "description":
            return True
        if section == "interface":
            self._interface(self.interfaces[name], words)
            return True  # the interface's other settings do not filter traffic
        if section == "time":
            if key == "absolute" and "end" in words:
                self.book.schedules[name] = _when(words[words.index("end") + 1 :])
            return key in ("absolute", "periodic")
        if members is None:
            return False
        if key == "nat" and section == "network":
            self.book.member_refs.add(name)  # object NAT uses the object
            return True
        reader = {
            "network": self._network,
            "net-group": self._net_group,
            "service": self._service,
            "port-group": self._port_group,
            "svc-group": self._svc_group,
            "proto-group": self._proto_group,
            "icmp-group": self._icmp_group,
        }.get(section)
        return reader is not None and reader(name, members, words)

    def _interface(self, iface: _Interface, words: list[str]) -> None:
        key = words[0]
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

    def _network(self, name: str, members: list, words: list[str]) -> bool:
        key = words[0]
        if key == "host":
            members.append(addr_mask(words[1], "32", note=self.book.note))
        elif key == "subnet":
            if "/" in words[1]:  # an IPv6 prefix
                members.append(addr_mask(words[1].split("/")[0], "128", note=self.book.note))
            else:
                members.append(addr_mask(words[1], words[2], note=self.book.note))
        elif key == "range":
            members.append(addr_range(words[1], words[2]))
        elif key == "fqdn":
            self.book.note(
                _("fqdn {name} not modelled (no name resolution): matches nothing").format(
                    name=words[-1]
                )
            )
        else:
            return False
        return True

    def _net_group(self, name: str, members: list, words: list[str]) -> bool:
        key = words[0]
        if key == "network-object":
            if words[1] == "host":
                members.append(addr_mask(words[2], "32", note=self.book.note))
            elif words[1] == "object":
                self.book.member(members, words[2])
            elif "/" in words[1]:
                members.append(addr_mask(words[1].split("/")[0], "128", note=self.book.note))
            else:
                members.append(addr_mask(words[1], words[2], note=self.book.note))
        elif key == "group-object":
            self.book.member(members, words[1])
        else:
            return False
        return True

    def _service(self, name: str, members: list, words: list[str]) -> bool:
        """`service tcp [source OP PORT] [destination OP PORT]`, `service icmp echo`."""
        if words[0] != "service" or len(words) < 2:
            return False
        if words[1].lower() in ("icmp", "icmp6") and len(words) > 2:
            found = _icmp(words, 2)
            if found is None:
                return False
            members.append(_svc(words[1], found[0]))
            return True
        ports = None
        if "destination" in words:
            port = _port_op(words, words.index("destination") + 1)
            ports = port[0] if port else None
        members.append(_svc(words[1], ports))
        return True

    def _port_group(self, name: str, members: list, words: list[str]) -> bool:
        key = words[0]
        proto = self.port_group_proto[name]
        if key == "port-object":
            port = _port_op(words, 1)
            if port is None:
                return False
            self.port_groups[name] = self.port_groups[name] | port[0]
            members.append(_svc(proto, port[0]))
        elif key == "group-object":
            self.book.member(members, words[1])
            inner = self.port_groups.get(words[1])
            if inner is not None:
                self.port_groups[name] = self.port_groups[name] | inner
        else:
            return False
        return True

    def _svc_group(self, name: str, members: list, words: list[str]) -> bool:
        key = words[0]
        if key == "service-object" and len(words) >= 2:
            if words[1] == "object":
                self.book.member(members, words[2])
            elif words[1].lower() in ("icmp", "icmp6") and len(words) > 2:
                found = _icmp(words, 2)
                if found is None:
                    return False
                members.append(_svc(words[1], found[0]))
            else:
                i = words.index("destination") + 1 if "destination" in words else 2
                port = _port_op(words, i)
                members.append(_svc(words[1], port[0] if port else None))
        elif key == "port-object":
            port = _port_op(words, 1)
            if port is None:
                return False
            members.append(_svc("tcp-udp", port[0]))
        elif key == "group-object":
            self.book.member(members, words[1])
        else:
            return False
        return True

    def _proto_group(self, name: str, members: list, words: list[str]) -> bool:
        if words[0] == "protocol-object":
            members.append(_svc(words[1], None))
        elif words[0] == "group-object":
            self.book.member(members, words[1])
        else:
            return False
        return True

    def _icmp_group(self, name: str, members: list, words: list[str]) -> bool:
        if words[0] == "icmp-object" and len(words) >= 2:
            found = _icmp(words, 1)
            if found is None:
                return False
            self.icmp_groups[name] = self.icmp_groups[name] | found[0]
            members.append(Service(IntervalSet.of(1, 1), found[0]))
        elif words[0] == "group-object":
            self.book.member(members, words[1])
            inner = self.icmp_groups.get(words[1])
            if inner is not None:
                self.icmp_groups[name] = self.icmp_groups[name] | inner
        else:
            return False
        return True

    def _addr(self, words: list[str], i: int, refs: list) -> int:
        tok = words[i]
        if tok in ("any", "any4"):
            refs.append(ALL_ADDR)
            return i + 1
        if tok == "any6":
            self.book.note(_("any6 (IPv6) not modelled: matches nothing here"))
            refs.append(IntervalSet())
            return i + 1
        if tok == "host":
            refs.append(addr_mask(words[i + 1], "32", note=self.book.note))
            return i + 2
        if tok in ("object", "object-group"):
            refs.append(words[i + 1])
            return i + 2
        if tok == "interface":
            refs.append(IntervalSet())  # the firewall's own address: not a server flow
            return i + 2
        if "/" in tok:  # an IPv6 prefix
            refs.append(addr_mask(tok.split("/")[0], "128", note=self.book.note))
            return i + 1
        refs.append(addr_mask(tok, words[i + 1], note=self.book.note))
        return i + 2

    def _acl(self, words: list[str], raw: str, number: int) -> None:
        acl = words[1]
        kind = words[2]
        if kind == "remark":
            self.acl_lines[acl] = self.acl_lines.get(acl, 0) + 1
            self.remarks.setdefault(acl, []).append(raw.split("remark", 1)[1].strip())
            return
        if kind in ("standard", "ethertype", "webtype"):
            self.acl_lines[acl] = self.acl_lines.get(acl, 0) + 1
            self.book.note(
                _("{kind} access-list not modelled (only extended ones are audited)").format(
                    kind=kind
                )
            )
            return
        if kind != "extended":
            self.book.unread.append(number)
            return
        self.acl_lines[acl] = self.acl_lines.get(acl, 0) + 1
        rid = f"{acl} line {self.acl_lines[acl]}"
        action = words[3]
        if action not in ("permit", "deny"):
            raise ValueError(f"unknown action {action!r}")
        r = Rule(id=rid, line=number, action=action, policy=acl)
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
            _proto(proto)  # an unknown protocol is reported, never read as "ip"
            i += 1
        src: list = []
        dst: list = []
        i = self._addr(words, i, src)
        # a protocol group takes port operators too (they apply to its TCP/UDP members)
        ported = proto.lower() in ("tcp", "udp", "tcp-udp") or svc_ref in self.proto_groups
        # optional source port: operator or a port object-group (source ports are not modelled)
        src_group: str | None = None
        found = _port_op(words, i) if ported else None
        if found:
            if found[0] != ALL_PORTS:
                self.book.note(source_port())
            i = found[1]
        elif (
            ported
            and i + 3 < len(words)
            and words[i] == "object-group"
            and words[i + 2] in ("any", "any4", "any6", "host", "object", "object-group")
        ):
            # `object-group NAME` followed by another address: NAME is a source port group
            src_group = words[i + 1]
            self.book.member_refs.add(src_group)
            if src_group in self.port_groups:
                self.book.note(source_port())
            i += 2
        i = self._addr(words, i, dst)
        ports: IntervalSet | str | None = None
        icmp: IntervalSet | str | None = None
        if ported:
            found = _port_op(words, i)
            if found:
                ports, i = found
            elif i + 1 < len(words) and words[i] == "object-group":
                ports = words[i + 1]  # a port group; undefined -> UNDEFINED_OBJECT, no ports
                i += 2
        elif proto.lower() in ("icmp", "icmp6"):
            found = _icmp(words, i)
            if found:
                icmp, i = found
            elif i + 1 < len(words) and words[i] == "object-group":
                icmp = words[i + 1]
                i += 2
        rest = words[i:]
        self._options(r, rest)
        p.src, p.dst = src, dst
        p.svc = self._services(p, proto, svc_ref, ports, icmp)
        if src_group is not None and src_group not in self.port_groups:
            p.rule.refs = (*p.rule.refs, src_group)
            p.svc = [src_group]  # undefined: UNDEFINED_OBJECT, and the rule matches nothing
        self.book.pending.append(p)

    def _options(self, r: Rule, rest: list[str]) -> None:
        """`log [disable|level]`, `time-range NAME`, `inactive`; anything else is reported."""
        j = 0
        while j < len(rest):
            word = rest[j]
            if word == "log":
                r.log = not (j + 1 < len(rest) and rest[j + 1] == "disable")
                j += 1
                while j < len(rest) and (rest[j].isdigit() or rest[j] in LOG_WORDS):
                    j += 1
            elif word == "time-range" and j + 1 < len(rest):
                r.schedule = rest[j + 1]
                j += 2
            elif word == "inactive":
                r.enabled = False
                j += 1
            else:
                self.book.note(
                    _("access-list option {option!r} not understood").format(
                        option=" ".join(rest[j:])
                    )
                )
                return

    def _services(
        self,
        p: PendingRule,
        proto: str,
        svc_ref: str | None,
        ports: IntervalSet | str | None,
        icmp: IntervalSet | str | None,
    ) -> list:
        if svc_ref is not None and svc_ref in self.proto_groups and isinstance(ports, IntervalSet):
            # a protocol group with a port operator: the ports apply to its TCP/UDP members
            self.book.member_refs.add(svc_ref)
            protos = IntervalSet()
            for member in self.book.svc.get(svc_ref, []):
                if isinstance(member, Service):
                    protos = protos | member.protocols
            ported_protos = protos & IntervalSet([(6, 6), (17, 17)])
            out: list = [Service(ported_protos, ports)] if ported_protos else []
            if protos - ported_protos:
                out.append(Service(protos - ported_protos, ALL_PORTS))
            p.rule.refs = (svc_ref,)
            return out
        if svc_ref is not None:
            return [svc_ref]
        for named in (ports, icmp):
            if isinstance(named, str):
                p.rule.refs = (*p.rule.refs, named)
                known = self.port_groups if named is ports else self.icmp_groups
                if named not in known:
                    return [named]  # undefined: UNDEFINED_OBJECT, and the rule matches nothing
                self.book.member_refs.add(named)
                # the group's ports (messages) under the ACE's protocol
                return [_svc(proto, known[named])]
        if isinstance(icmp, IntervalSet):
            return [_svc(proto, icmp)]
        if proto.lower() in ("ip", "ipv4") and ports is None:
            return []
        return [_svc(proto, ports if isinstance(ports, IntervalSet) else None)]


def parse_asa(text: str, device: str = "") -> ObjectBook:
    return _AsaParser(device).parse(text)
