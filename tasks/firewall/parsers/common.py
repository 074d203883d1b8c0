"""What the four firewall parsers share: the object book and name resolution.

Each parser records objects as it reads them (`ObjectBook.add_address`,
`add_service`, group members as references) and builds rules from names and
inline values; `ObjectBook.finish` resolves names recursively, records which
names are used and which are undefined, and returns the `Firewall`.

Parsers fail loud through the book: a line inside a section they parse that they do not
understand (`unread`), a value they read but do not model (`note`: IPv6, a non-contiguous
mask, an application match...), a line that broke the parser (`skipped`), and output that is
not this platform's configuration at all (`recognised` statements, `not_config`) all become
`ReadWarning`s (`read_warnings`). A name that is not defined resolves to nothing, never to
"any" (`resolve_addr`, `resolve_svc`): the rule is reported UNDEFINED_OBJECT and matches only
what its defined parts match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from netsteward.tasks.core.i18n import _
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
    any_zones: set[str] = field(default_factory=set)  # "src_zones"/"dst_zones" set to any


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
    unread: list[int] = field(default_factory=list)  # lines not understood inside a section
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what is not modelled)
    line: int = 0  # the line being read (what `note` points at)
    recognised: int = 0  # statements of this platform's configuration grammar seen
    not_config: tuple[int, str] | None = None  # (line, why): not a configuration at all
    device_zones: frozenset[str] = frozenset()  # zones that are the firewall itself

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

    def note(self, problem: str, line: int | None = None) -> None:
        """Something on the current line that is read but not modelled (reported once)."""
        entry = (self.line if line is None else line, problem)
        if entry not in self.notes:
            self.notes.append(entry)

    def read_warnings(self, text: str) -> tuple[ReadWarning, ...]:
        """What this parser could not read, as reader warnings (line order)."""
        what = PLATFORM_NAMES.get(self.platform, self.platform)
        if self.not_config is not None:
            line, why = self.not_config
            return (at_line(text, line, f"not a {what} configuration: {why}", kind="format"),)
        if text.strip() and not self.recognised:
            first = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip())
            problem = _("not a {what} configuration: no statement of its grammar").format(what=what)
            return (at_line(text, first, problem, kind="format"),)
        found = [
            *(at_line(text, n, _("configuration line not understood")) for n in self.skipped),
            *(at_line(text, n, _("configuration line not understood")) for n in self.unread),
            *(at_line(text, n, problem, kind="partial") for n, problem in self.notes),
        ]
        return capped(sorted(found, key=lambda w: w.line))

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
        fw.device_zones = self.device_zones
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


def source_port() -> str:
    return _("source port not modelled: read as any source port")


def not_in_rule(key: str) -> str:
    return _("`{key}` not modelled: the rule is read as matching without it").format(key=key)


PLATFORM_NAMES = {
    "huawei_vrp": "Huawei USG",
    "hillstone_stoneos": "Hillstone StoneOS",
    "fortinet": "FortiOS",
    "cisco_asa": "Cisco ASA",
}
Note = Callable[[str], None]
NONCONTIGUOUS_SPANS = 1024  # a non-contiguous mask giving more ranges than this is not modelled


def _ipv4(text: str) -> int:
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        raise ValueError(f"not an IPv4 address: {text!r}")
    return int.from_bytes(bytes(int(x) for x in parts), "big")


def _noncontiguous(base: int, care: int) -> list[tuple[int, int]] | None:
    """The addresses matching `base` on the bits set in `care` (a non-contiguous mask), as
    ranges, or None when there would be more than NONCONTIGUOUS_SPANS of them."""
    low = 0  # the trailing run of don't-care bits: one range per combination of the others
    while low < 32 and not care >> low & 1:
        low += 1
    free = [b for b in range(low, 32) if not care >> b & 1]
    if 2 ** len(free) > NONCONTIGUOUS_SPANS:
        return None
    start = base & care & ~((1 << low) - 1)
    out = []
    for combo in range(2 ** len(free)):
        value = start
        for i, bit in enumerate(free):
            if combo >> i & 1:
                value |= 1 << bit
        out.append((value, value + (1 << low) - 1))
    return out


def addr_mask(
    address: str, mask: str, wildcard: bool = False, note: Note | None = None
) -> IntervalSet:
    """'10.0.0.0' with '255.0.0.0' or '8'; with `wildcard`, '0.255.255.255' is read as a
    wildcard (VRP). What is not modelled is reported through `note`, never rounded:

    - IPv6 gives the empty set (the audit models IPv4);
    - a non-contiguous mask (`255.0.255.0`, wildcard `0.255.0.255`) gives exactly the
      addresses it matches (or, beyond NONCONTIGUOUS_SPANS ranges, none).
    """
    if ":" in address:
        if note is not None:
            note(
                _("IPv6 address {address} not modelled (IPv4 only): matches nothing here").format(
                    address=address
                )
            )
        return EMPTY
    base = _ipv4(address)
    if mask.isdigit():
        if int(mask) > 32:
            raise ValueError(f"prefix length {mask} out of range")
        return IntervalSet.of(*net_range(f"{address}/{mask}"))
    value = _ipv4(mask)
    if wildcard and mask.startswith("0.") and mask != "0.0.0.0":
        value ^= 0xFFFFFFFF
    prefix = bin(value).count("1")
    if value == (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF:
        return IntervalSet.of(*net_range(f"{address}/{prefix}"))
    spans = _noncontiguous(base, value)
    if note is not None:
        if spans is None:
            note(
                _(
                    "non-contiguous mask {mask} not modelled ({address}): matches nothing here"
                ).format(mask=mask, address=address)
            )
        else:
            note(
                _("non-contiguous mask {mask} ({address}): read exactly as {n} ranges").format(
                    mask=mask, address=address, n=len(spans)
                )
            )
    return IntervalSet(spans or ())


def port_list(
    tokens: list[str], stop: tuple[str, ...] = ("source-port", "destination-port")
) -> IntervalSet:
    """'80 443 8000-8080', '8000 to 8080' -> ports, up to the next keyword in `stop`; anything
    else (a port name this model does not know) raises ValueError: reported, never widened."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        lo, _, hi = tok.partition("-")
        if hi and lo.isdigit() and hi.isdigit():
            spans.append((int(lo), int(hi)))
            i += 1
        elif i + 2 < len(tokens) and tokens[i + 1] == "to":
            spans.append((int(tok), int(tokens[i + 2])))
            i += 3
        elif tok.isdigit():
            spans.append((int(tok), int(tok)))
            i += 1
        elif tok in stop:
            break
        else:
            raise ValueError(f"port {tok!r} not understood")
    return IntervalSet(spans)


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text
