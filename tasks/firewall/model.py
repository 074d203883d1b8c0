"""The one firewall rule model every vendor parser produces.

A `Firewall` holds ordered `Rule`s grouped into policies (USG `security-policy`,
StoneOS `policy-global` and FortiOS `firewall policy` are one policy each; every
ASA access-list bound by `access-group` is its own policy), the defined address
and service objects, and the default action.  Addresses, protocols and ports are
exact interval sets (`netsteward.tasks.firewall.sets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    EMPTY,
    IntervalSet,
)

PROTO_NUMBERS = {
    "icmp": 1,
    "igmp": 2,
    "tcp": 6,
    "udp": 17,
    "gre": 47,
    "esp": 50,
    "ah": 51,
    "icmp6": 58,
    "ospf": 89,
    "pim": 103,
    "sctp": 132,
}
PORTED = {6, 17}  # protocols whose services carry destination ports
ICMP = {1, 58}  # protocols whose services carry a message type and code
ICMP_PROTOS = IntervalSet([(1, 1), (58, 58)])

# ICMP (v4) messages by the names the four vendors' configurations use: (type, code or None)
ICMP_TYPES: dict[str, tuple[int, int | None]] = {
    "echo-reply": (0, None),
    "unreachable": (3, None),
    "destination-unreachable": (3, None),
    "net-unreachable": (3, 0),
    "host-unreachable": (3, 1),
    "protocol-unreachable": (3, 2),
    "port-unreachable": (3, 3),
    "fragmentneed-dfset": (3, 4),
    "packet-too-big": (3, 4),
    "source-route-failed": (3, 5),
    "source-quench": (4, None),
    "redirect": (5, None),
    "net-redirect": (5, 0),
    "host-redirect": (5, 1),
    "net-tos-redirect": (5, 2),
    "host-tos-redirect": (5, 3),
    "alternate-address": (6, None),
    "echo": (8, None),
    "echo-request": (8, None),
    "router-advertisement": (9, None),
    "router-solicitation": (10, None),
    "time-exceeded": (11, None),
    "ttl-exceeded": (11, 0),
    "reassembly-timeout": (11, 1),
    "parameter-problem": (12, None),
    "timestamp-request": (13, None),
    "timestamp": (13, None),
    "timestamp-reply": (14, None),
    "information-request": (15, None),
    "information-reply": (16, None),
    "mask-request": (17, None),
    "address-mask-request": (17, None),
    "mask-reply": (18, None),
    "address-mask-reply": (18, None),
    "traceroute": (30, None),
    "conversion-error": (31, None),
    "mobile-redirect": (32, None),
}
_ICMP_NAMES = {
    (t, c): name
    for name, (t, c) in reversed(list(ICMP_TYPES.items()))
    if name not in ("destination-unreachable", "echo-request", "timestamp")
}


def icmp_span(icmp_type: int | None, code_lo: int = 0, code_hi: int = 255) -> IntervalSet:
    """The ICMP messages of one type (and a range of codes) in a service's `ports` dimension:
    type * 256 + code, so an ICMP service is a set of (type, code) pairs (None: every type)."""
    if icmp_type is None:
        return ALL_PORTS
    if not (0 <= icmp_type <= 255 and 0 <= code_lo <= code_hi <= 255):
        raise ValueError(f"ICMP type {icmp_type} code {code_lo}-{code_hi} out of range")
    return IntervalSet.of(icmp_type * 256 + code_lo, icmp_type * 256 + code_hi)


def icmp_type(token: str) -> tuple[int, int | None] | None:
    """An ICMP message named or numbered as configurations write it ("echo", "8")."""
    if token.isdigit():
        return int(token), None
    return ICMP_TYPES.get(token.lower())


def describe_icmp(ports: IntervalSet) -> str:
    """ICMP messages by name: 'echo', 'unreachable code 4', 'any'."""
    if ports == ALL_PORTS:
        return "any"
    parts: list[str] = []
    for lo, hi in ports.spans:
        t_lo, t_hi = lo >> 8, hi >> 8
        if lo & 0xFF == 0 and hi & 0xFF == 0xFF:
            for t in range(t_lo, t_hi + 1):
                parts.append(_ICMP_NAMES.get((t, None), f"type {t}"))
        else:
            for value in range(lo, hi + 1):
                t, c = value >> 8, value & 0xFF
                parts.append(
                    _ICMP_NAMES.get((t, c)) or f"{_ICMP_NAMES.get((t, None), f'type {t}')} code {c}"
                )
        if len(parts) > 6:
            return ",".join(parts[:6]) + ",…"
    return ",".join(parts)


@dataclass(frozen=True)
class Service:
    """A set of protocols and, for TCP/UDP, destination ports; for ICMP, message types and
    codes (`icmp_span`); other protocols: all ports."""

    protocols: IntervalSet
    ports: IntervalSet = ALL_PORTS

    @classmethod
    def of(cls, proto: str | int, lo: int = 0, hi: int = 65535) -> Service:
        number = proto if isinstance(proto, int) else PROTO_NUMBERS[proto.lower()]
        if number not in PORTED:
            return cls(IntervalSet.of(number, number), ALL_PORTS)
        return cls(IntervalSet.of(number, number), IntervalSet.of(lo, hi))

    @classmethod
    def icmp(
        cls, icmp_type: int | None = None, code_lo: int = 0, code_hi: int = 255, proto: int = 1
    ) -> Service:
        """ICMP (or ICMPv6, proto 58) messages of one type and a range of codes; None: all."""
        return cls(IntervalSet.of(proto, proto), icmp_span(icmp_type, code_lo, code_hi))


ANY_SERVICE = Service(ALL_PROTO, ALL_PORTS)


@dataclass(frozen=True)
class ObjectDef:
    name: str
    kind: str  # address | service
    line: int
    builtin: bool = False


@dataclass
class Rule:
    """One rule (or ASA access-list entry) as configured."""

    id: str  # what findings name: USG rule name, StoneOS id, FortiOS policy id, ASA "ACL line N"
    line: int  # 1-based line of the rule's first line in the configuration
    action: str  # permit | deny
    policy: str = "policy"  # which ordered list the rule belongs to
    name: str = ""
    enabled: bool = True
    src_zones: frozenset[str] | None = None  # None: any
    dst_zones: frozenset[str] | None = None
    src: IntervalSet = ALL_ADDR
    dst: IntervalSet = ALL_ADDR
    services: tuple[Service, ...] = (ANY_SERVICE,)
    log: bool = False
    comment: str = ""
    schedule: str = ""  # schedule / time-range name, "" when none
    expires: datetime | None = None  # end of the schedule or expire-time
    refs: tuple[str, ...] = ()  # object names the rule refers to
    undefined: tuple[str, ...] = ()  # referenced names with no definition
    # traffic to the firewall itself (USG `destination-zone local`, StoneOS `dst-zone self`):
    # management-plane access, audited as such, never exposure of the servers behind it
    to_device: bool = False

    @property
    def src_any(self) -> bool:
        return self.src == ALL_ADDR

    @property
    def dst_any(self) -> bool:
        return self.dst == ALL_ADDR

    @property
    def service_any(self) -> bool:
        return any(s.protocols == ALL_PROTO and s.ports == ALL_PORTS for s in self.services)

    def matches_nothing(self) -> bool:
        return not self.src or not self.dst or not self.services


@dataclass
class Firewall:
    device: str
    platform: str
    rules: list[Rule] = field(default_factory=list)
    objects: list[ObjectDef] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # object names referenced by rules or groups
    default_action: str = "deny"
    default_line: int = 0  # 0: implicit
    # interfaces whose traffic no rule filters (ASA: nameif without an inbound access-group):
    # (interface, line, what the device then permits by default)
    unfiltered: list[tuple[str, int, str]] = field(default_factory=list)
    # per unfiltered interface, the destinations it reaches by default: what the routing
    # table (connected subnets, static routes) sends out of the interfaces it may reach
    unfiltered_reach: dict[str, IntervalSet] = field(default_factory=dict)
    skipped: list[int] = field(
        default_factory=list
    )  # configuration lines the parser could not read
    device_zones: frozenset[str] = frozenset()  # zones that are the firewall itself

    def as_dict(self) -> dict[str, object]:
        """The parsed configuration for people and `netsteward parse --json`: rules with their
        match spaces spelled out (CIDR, protocol/port, ICMP message), objects, default action."""
        from netsteward.tasks.firewall.sets import describe_addrs

        names = {number: name for name, number in PROTO_NUMBERS.items()}

        def services(rule: Rule) -> list[str]:
            out = []
            for svc in rule.services:
                proto = ",".join(
                    names.get(lo, str(lo)) if lo == hi else f"{lo}-{hi}"
                    for lo, hi in svc.protocols.spans
                )
                if svc.protocols == ALL_PROTO and svc.ports == ALL_PORTS:
                    out.append("any")
                elif svc.ports == ALL_PORTS:
                    out.append(proto)
                elif svc.protocols.issubset(ICMP_PROTOS):
                    out.append(f"{proto}/{describe_icmp(svc.ports)}")
                else:
                    ports = ",".join(
                        str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in svc.ports.spans
                    )
                    out.append(f"{proto}/{ports}")
            return out

        return {
            "device": self.device,
            "platform": self.platform,
            "default_action": self.default_action,
            "rules": [
                {
                    "id": r.id,
                    "line": r.line,
                    "policy": r.policy,
                    "action": r.action,
                    "enabled": r.enabled,
                    "src_zones": sorted(r.src_zones) if r.src_zones is not None else "any",
                    "dst_zones": sorted(r.dst_zones) if r.dst_zones is not None else "any",
                    "to_device": r.to_device,
                    "src": describe_addrs(r.src, 8),
                    "dst": describe_addrs(r.dst, 8),
                    "services": services(r),
                    "log": r.log,
                    "comment": r.comment,
                    "schedule": r.schedule,
                    "expires": r.expires.isoformat() if r.expires else None,
                    "undefined": list(r.undefined),
                }
                for r in self.rules
            ],
            "objects": [
                {"name": o.name, "kind": o.kind, "line": o.line}
                for o in self.objects
                if not o.builtin
            ],
            "unfiltered": [
                {"interface": i, "line": line, "detail": d} for i, line, d in self.unfiltered
            ],
        }

    def policies(self) -> dict[str, list[Rule]]:
        out: dict[str, list[Rule]] = {}
        for rule in self.rules:
            out.setdefault(rule.policy, []).append(rule)
        return out


def union_addrs(sets: list[IntervalSet]) -> IntervalSet:
    out = EMPTY
    for s in sets:
        out = out.union(s)
    return out
