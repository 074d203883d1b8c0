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


@dataclass(frozen=True)
class Service:
    """A set of protocols and, for TCP/UDP, destination ports (other protocols: all ports)."""

    protocols: IntervalSet
    ports: IntervalSet = ALL_PORTS

    @classmethod
    def of(cls, proto: str | int, lo: int = 0, hi: int = 65535) -> Service:
        number = proto if isinstance(proto, int) else PROTO_NUMBERS[proto.lower()]
        if number not in PORTED:
            return cls(IntervalSet.of(number, number), ALL_PORTS)
        return cls(IntervalSet.of(number, number), IntervalSet.of(lo, hi))


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
