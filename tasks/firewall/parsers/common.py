"""What the four firewall parsers share: the object book and name resolution.

Each parser records objects as it reads them (`ObjectBook.add_address`,
`add_service`, group members as references) and builds rules from names and
inline values; `ObjectBook.finish` resolves names recursively, records which
names are used and which are undefined, and returns the `Firewall`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from netsteward.tasks.core.reading import ReadWarning, at_line, capped
from netsteward.tasks.firewall.model import (
    ANY_SERVICE,
    Firewall,
    ObjectDef,
    Rule,
    Service,
)
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    EMPTY,
    IntervalSet,
    box_subtract,
    net_range,
)

# an address or service member: a value, or a reference to another object by name
AddrMember = IntervalSet | str
SvcMember = Service | str


@dataclass
class PendingRule:
    """A rule as read, before object names are resolved."""

    rule: Rule
    src: list[AddrMember] = field(default_factory=list)  # empty: any
    dst: list[AddrMember] = field(default_factory=list)
    svc: list[SvcMember] = field(default_factory=list)  # empty: any
    schedule_line: int = 0
    negate: frozenset[str] = (
        frozenset()
    )  # FortiOS srcaddr/dstaddr/service-negate: "src", "dst", "svc"


@dataclass
class ObjectBook:
    device: str
    platform: str
    builtin_addr: dict[str, IntervalSet] = field(default_factory=dict)
    builtin_svc: dict[str, list[Service]] = field(default_factory=dict)
    addr: dict[str, list[AddrMember]] = field(default_factory=dict)
    svc: dict[str, list[SvcMember]] = field(default_factory=dict)
    schedules: dict[str, datetime | None] = field(
        default_factory=dict
    )  # name -> end (None: open/recurring)
    defs: list[ObjectDef] = field(default_factory=list)
    member_refs: set[str] = field(default_factory=set)
    pending: list[PendingRule] = field(default_factory=list)
    default_action: str = "deny"
    default_line: int = 0
    unfiltered: list[tuple[str, int, str]] = field(default_factory=list)  # see Firewall
    unfiltered_reach: dict[str, IntervalSet] = field(default_factory=dict)  # see Firewall
    case_insensitive_builtins: bool = False
    factory_names: frozenset[str] = frozenset()  # factory-default objects: never reported unused
    skipped: list[int] = field(default_factory=list)  # lines that could not be read

    # -- definitions ---------------------------------------------------------
    def add_address(self, name: str, line: int, builtin: bool = False) -> list[AddrMember]:
        if name not in self.addr:
            self.addr[name] = []
            self.defs.append(
                ObjectDef(
                    name,
                    "address",
                    line,
                    builtin or name in self.builtin_addr or name in self.factory_names,
                )
            )
        return self.addr[name]

    def add_service(self, name: str, line: int, builtin: bool = False) -> list[SvcMember]:
        if name not in self.svc:
            self.svc[name] = []
            self.defs.append(
                ObjectDef(
                    name,
                    "service",
                    line,
                    builtin or name in self.builtin_svc or name in self.factory_names,
                )
            )
        return self.svc[name]

    def read_warnings(self, text: str) -> tuple[ReadWarning, ...]:
        """The lines this parser could not read, as reader warnings."""
        return capped(at_line(text, n, "configuration line not understood") for n in self.skipped)

    def member(self, members: list, ref: str) -> None:
        """Add a reference to another object as a group member."""
        members.append(ref)
        self.member_refs.add(ref)

    # -- resolution ----------------------------------------------------------
    def _builtin_addr(self, name: str) -> IntervalSet | None:
        if name in self.builtin_addr:
            return self.builtin_addr[name]
        if self.case_insensitive_builtins:
            for key, value in self.builtin_addr.items():
                if key.lower() == name.lower():
                    return value
        return None

    def _builtin_svc(self, name: str) -> list[Service] | None:
        if name in self.builtin_svc:
            return self.builtin_svc[name]
        if self.case_insensitive_builtins:
            for key, value in self.builtin_svc.items():
                if key.lower() == name.lower():
                    return value
        return None

    def resolve_addr(
        self, members: list[AddrMember], undefined: list[str], seen: frozenset[str] = frozenset()
    ) -> IntervalSet:
        out = EMPTY
        for m in members:
            if isinstance(m, IntervalSet):
                out = out.union(m)
            elif m in self.addr and m not in seen:
                out = out.union(self.resolve_addr(self.addr[m], undefined, seen | {m}))
            elif m in self.addr:
                continue  # a group that contains itself adds nothing more
            else:
                value = self._builtin_addr(m)
                if value is None:
                    undefined.append(m)
                else:
                    out = out.union(value)
        return out

    def resolve_svc(
        self, members: list[SvcMember], undefined: list[str], seen: frozenset[str] = frozenset()
    ) -> list[Service]:
        out: list[Service] = []
        for m in members:
            if isinstance(m, Service):
                out.append(m)
            elif m in self.svc and m not in seen:
                out.extend(self.resolve_svc(self.svc[m], undefined, seen | {m}))
            elif m in self.svc:
                continue
            else:
                value = self._builtin_svc(m)
                if value is None:
                    undefined.append(m)
                else:
                    out.extend(value)
        return out

    def finish(self) -> Firewall:
        fw = Firewall(
            self.device,
            self.platform,
            default_action=self.default_action,
            default_line=self.default_line,
        )
        fw.objects = list(self.defs)
        fw.skipped = list(self.skipped)
        fw.unfiltered = list(self.unfiltered)
        fw.unfiltered_reach = dict(self.unfiltered_reach)
        used = set(self.member_refs)
        for p in self.pending:
            r = p.rule
            undefined: list[str] = []
            refs = [m for m in (*p.src, *p.dst, *p.svc) if isinstance(m, str)]
            used.update(refs)
            r.src = self.resolve_addr(p.src, undefined) if p.src else ALL_ADDR
            r.dst = self.resolve_addr(p.dst, undefined) if p.dst else ALL_ADDR
            r.services = (
                tuple(merge_services(self.resolve_svc(p.svc, undefined)))
                if p.svc
                else (ANY_SERVICE,)
            )
            if "src" in p.negate:
                r.src = ALL_ADDR - r.src
            if "dst" in p.negate:
                r.dst = ALL_ADDR - r.dst
            if "svc" in p.negate:
                r.services = complement_services(r.services)
            if r.schedule and r.expires is None:
                r.expires = self.schedules.get(r.schedule)
            r.refs = tuple(dict.fromkeys([*r.refs, *refs]))
            r.undefined = tuple(dict.fromkeys(undefined))
            fw.rules.append(r)
        fw.used = used
        return fw


def merge_services(services: list[Service]) -> list[Service]:
    """Group service entries by protocol set, merging their port sets."""
    by_proto: dict[IntervalSet, IntervalSet] = {}
    for s in services:
        if not s.protocols or not s.ports:
            continue  # placeholder of an unreadable entry
        by_proto[s.protocols] = by_proto.get(s.protocols, EMPTY).union(s.ports)
    return [Service(p, ports) for p, ports in by_proto.items()]


def complement_services(services: tuple[Service, ...]) -> tuple[Service, ...]:
    """Every protocol/port not in `services` (for negated service matches)."""
    rest: list[tuple[IntervalSet, ...]] = [(ALL_PROTO, ALL_PORTS)]
    for svc in services:
        nxt: list[tuple[IntervalSet, ...]] = []
        for piece in rest:
            nxt.extend(box_subtract(piece, (svc.protocols, svc.ports)))
        rest = nxt
    return tuple(merge_services([Service(p[0], p[1]) for p in rest]))


def addr_range(first: str, last: str) -> IntervalSet:
    if ":" in first:
        return EMPTY
    return IntervalSet.of(net_range(first)[0], net_range(last)[0])


def addr_mask(address: str, mask: str, wildcard: bool = False) -> IntervalSet:
    """'10.0.0.0' with '255.0.0.0' or '8'; with `wildcard`, '0.255.255.255' is read as a wildcard (VRP).

    IPv6 is not modelled: an IPv6 address gives the empty set.
    """
    if ":" in address:
        return EMPTY
    if mask.isdigit():
        return IntervalSet.of(*net_range(f"{address}/{mask}"))
    value = int.from_bytes(bytes(int(x) for x in mask.split(".")), "big")
    if wildcard and mask.startswith("0.") and mask != "0.0.0.0":
        value ^= 0xFFFFFFFF
    prefix = bin(value).count("1")
    return IntervalSet.of(*net_range(f"{address}/{prefix}"))


def port_list(tokens: list[str]) -> IntervalSet:
    """'80 443 8000-8080', '8000 to 8080' -> ports."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if "-" in tok:
            lo, hi = tok.split("-", 1)
            spans.append((int(lo), int(hi)))
            i += 1
        elif i + 2 < len(tokens) and tokens[i + 1] == "to":
            spans.append((int(tok), int(tokens[i + 2])))
            i += 3
        elif tok.isdigit():
            spans.append((int(tok), int(tok)))
            i += 1
        else:
            break
    return IntervalSet(spans)


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text
