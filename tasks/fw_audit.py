"""Firewall least-exposure audit: the 15 checks of issue 6 and the exposure matrix.

`audit_config(platform, text, intent, as_of)` parses one configuration and
audits it; `audit_firewall(fw, intent, as_of)` audits a parsed `Firewall`.

Evaluation is first match per policy, default action last, over exact sets
(`tasks.fw_sets`): a rule's match space is a union of boxes (source zone,
destination zone, source, destination, protocol, port).  Only active rules
take part (enabled, not expired, not empty because of undefined objects).

Shadowing and redundancy: a rule is covered when the earlier active rules of
its policy cover its whole match space.  Candidates come from a bucket index
over source, destination and port (the most selective dimension of the rule),
never from comparing every pair; the covering is then proved by box
subtraction in rule order, and the rules that took part are named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from tasks.fw_model import Firewall, Rule, Service
from tasks.fw_sets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    Box,
    IntervalSet,
    box_intersect,
    box_overlaps,
    box_subtract,
    describe_addrs,
    describe_ports,
)
from tasks.intent import Intent, Server

SEVERITY = {
    "EXCESS_EXPOSURE": "high",
    "ANY_ANY_PERMIT": "high",
    "RISKY_SERVICE": "high",
    "DEFAULT_PERMIT": "high",
    "UNDEFINED_OBJECT": "high",
    "ANY_SERVICE": "medium",
    "ANY_SOURCE": "medium",
    "WIDE_PORT_RANGE": "medium",
    "SHADOWED_RULE": "medium",
    "EXPIRED_RULE": "medium",
    "REDUNDANT_RULE": "low",
    "DISABLED_RULE": "low",
    "NO_LOGGING": "low",
    "NO_COMMENT": "low",
    "UNUSED_OBJECT": "low",
}
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
CHECKS = tuple(SEVERITY)

# (name, protocol, first port, last port): risky when reachable from any source
RISKY_PORTS: tuple[tuple[str, str, int, int], ...] = (
    ("FTP", "tcp", 20, 21),
    ("SSH", "tcp", 22, 22),
    ("telnet", "tcp", 23, 23),
    ("TFTP", "udp", 69, 69),
    ("rexec/rlogin/rsh", "tcp", 512, 514),
    ("NetBIOS", "tcp", 137, 139),
    ("NetBIOS", "udp", 137, 139),
    ("SMB", "tcp", 445, 445),
    ("RDP", "tcp", 3389, 3389),
    ("NFS", "tcp", 2049, 2049),
    ("NFS", "udp", 2049, 2049),
    ("MS SQL", "tcp", 1433, 1434),
    ("Oracle", "tcp", 1521, 1521),
    ("MySQL", "tcp", 3306, 3306),
    ("PostgreSQL", "tcp", 5432, 5432),
    ("Redis", "tcp", 6379, 6379),
    ("MongoDB", "tcp", 27017, 27017),
)
WIDE_PORTS = 1000
PORTED_PROTOS = IntervalSet([(6, 6), (17, 17)])
PIECE_LIMIT = 20000  # box fragments per shadow proof before giving up (reported as not covered)
PROTO_NAMES = {
    1: "icmp",
    6: "tcp",
    17: "udp",
    47: "gre",
    50: "esp",
    51: "ah",
    58: "icmp6",
    89: "ospf",
    132: "sctp",
}


@dataclass(frozen=True)
class Finding:
    device: str
    rule: str
    line: int
    check: str
    severity: str
    detail: str


@dataclass(frozen=True)
class Exposure:
    """Who can reach a declared server, on which ports, through which firewall rule."""

    server: str
    device: str
    policy: str
    rule: str
    line: int
    sources: str
    protocol: str
    ports: str
    within_intent: bool


@dataclass
class AuditResult:
    findings: list[Finding] = field(default_factory=list)
    exposure: list[Exposure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # configuration lines that could not be read

    def extend(self, other: AuditResult) -> None:
        self.findings.extend(other.findings)
        self.exposure.extend(other.exposure)
        self.warnings.extend(other.warnings)


def as_datetime(as_of: date | datetime | None) -> datetime:
    if as_of is None:
        return datetime.combine(date.today(), datetime.min.time())
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=None)
    return datetime.combine(as_of, datetime.min.time())


def audit_config(
    platform: str, text: str, intent: Intent, as_of: date | datetime | None = None, device: str = ""
) -> AuditResult:
    from tasks.fw_parse import parse_firewall

    return audit_firewall(parse_firewall(platform, text, device), intent, as_of)


def audit_firewall(
    fw: Firewall, intent: Intent, as_of: date | datetime | None = None
) -> AuditResult:
    when = as_datetime(as_of)
    result = AuditResult()
    out = result.findings

    def add(rule: str, line: int, check: str, detail: str) -> None:
        out.append(Finding(fw.device, rule, line, check, SEVERITY[check], detail))

    if fw.skipped:
        result.warnings.append(
            f"{fw.device}: {len(fw.skipped)} configuration line(s) not understood, first at line {fw.skipped[0]}"
        )
    public = intent.public_addresses()
    for r in fw.rules:
        for check, detail in rule_checks(r, public, when):
            add(r.id, r.line, check, detail)
    if fw.default_action == "permit":
        add(
            "default",
            fw.default_line,
            "DEFAULT_PERMIT",
            "the default action permits what no rule matches",
        )
    for obj in fw.objects:
        if not obj.builtin and obj.name not in fw.used:
            add(
                obj.name,
                obj.line,
                "UNUSED_OBJECT",
                f"{obj.kind} object {obj.name} is used by no rule or group",
            )

    zones = ZoneIndex(fw.rules)
    for policy, rules in fw.policies().items():
        active = [r for r in rules if is_active(r, when)]
        boxes = {id(r): zones.boxes(r) for r in active}
        for r, check, detail in coverage(active, boxes):
            add(r.id, r.line, check, detail)
        exposure, excess = expose(fw, policy, active, boxes, zones, intent)
        result.exposure.extend(exposure)
        for (rid, line), parts in excess.items():
            add(
                rid,
                line,
                "EXCESS_EXPOSURE",
                "reaches beyond the intent: "
                + "; ".join(parts[:3])
                + (f"; and {len(parts) - 3} more" if len(parts) > 3 else ""),
            )
    out.sort(key=lambda f: (f.device, f.line, CHECKS.index(f.check)))
    return result


def is_active(r: Rule, when: datetime) -> bool:
    return (
        r.enabled and not (r.expires is not None and r.expires < when) and not r.matches_nothing()
    )


def _risky(services: tuple[Service, ...]) -> list[str]:
    hits = []
    for name, proto, lo, hi in RISKY_PORTS:
        probe = Service.of(proto, lo, hi)
        for s in services:
            if s.protocols.overlaps(probe.protocols) and s.ports.overlaps(probe.ports):
                label = f"{name} ({proto}/{lo if lo == hi else f'{lo}-{hi}'})"
                if label not in hits:
                    hits.append(label)
    return hits


def rule_checks(r: Rule, public: IntervalSet, when: datetime) -> list[tuple[str, str]]:
    """The checks that look at one rule on its own."""
    out: list[tuple[str, str]] = []
    if r.undefined:
        out.append(("UNDEFINED_OBJECT", "refers to undefined object(s) " + ", ".join(r.undefined)))
    if not r.enabled:
        out.append(("DISABLED_RULE", "the rule is disabled"))
    if r.expires is not None and r.expires < when:
        what = "expire-time" if r.schedule in ("", "expire-time") else f"schedule {r.schedule}"
        out.append(("EXPIRED_RULE", f"{what} ended {r.expires:%Y-%m-%d %H:%M}"))
    if r.action == "permit":
        if r.src_any and r.dst_any and r.service_any:
            out.append(("ANY_ANY_PERMIT", "permits any source to any destination on any service"))
        else:
            risky = _risky(r.services) if r.src_any else []
            if risky:
                out.append(("RISKY_SERVICE", "permits from any source: " + ", ".join(risky[:4])))
            if r.src_any and r.dst and not r.dst.issubset(public):
                out.append(
                    (
                        "ANY_SOURCE",
                        f"permits any source to {describe_addrs(r.dst)}, not declared public",
                    )
                )
            if r.service_any and not r.dst_any and r.dst:
                out.append(("ANY_SERVICE", f"permits any service to {describe_addrs(r.dst)}"))
            if not r.service_any:
                widest = max(
                    (s.ports.widest() for s in r.services if s.protocols.overlaps(PORTED_PROTOS)),
                    default=0,
                )
                if widest > WIDE_PORTS:
                    out.append(("WIDE_PORT_RANGE", f"permits a range of {widest} ports"))
        if not r.log:
            out.append(("NO_LOGGING", "permit rule without logging"))
    if not r.comment.strip():
        out.append(("NO_COMMENT", "no comment or description"))
    return out


# -- zones ----------------------------------------------------------------------


class ZoneIndex:
    """Zone and interface names as small integers; 'any' is every index plus one for all others."""

    def __init__(self, rules: list[Rule]) -> None:
        names = sorted({z for r in rules for zs in (r.src_zones, r.dst_zones) if zs for z in zs})
        self.index = {n: i for i, n in enumerate(names)}
        self.all = IntervalSet.of(0, len(names))  # the last value stands for any other zone

    def of(self, zones: frozenset[str] | None) -> IntervalSet:
        if zones is None:
            return self.all
        return IntervalSet((self.index[z], self.index[z]) for z in zones)

    def boxes(self, r: Rule) -> list[Box]:
        sz, dz = self.of(r.src_zones), self.of(r.dst_zones)
        return [(sz, dz, r.src, r.dst, s.protocols, s.ports) for s in r.services]


# -- shadowing and redundancy -------------------------------------------------


def _buckets(s: IntervalSet, shift: int, limit: int) -> list[int] | None:
    """Bucket numbers a set touches (value >> shift), or None when more than `limit`."""
    out: list[int] = []
    for lo, hi in s.spans:
        a, b = lo >> shift, hi >> shift
        if len(out) + (b - a + 1) > limit:
            return None
        out.extend(range(a, b + 1))
    return out


class _Index:
    """Earlier rules by /16 of source and destination and by 1,024-port block."""

    DIMS = ((2, 16, 64), (3, 16, 64), (5, 10, 8))  # (box dimension, shift, bucket limit)

    def __init__(self) -> None:
        self.buckets: list[dict[int, list[int]]] = [defaultdict(list) for _ in self.DIMS]
        self.wide: list[list[int]] = [[] for _ in self.DIMS]
        self.count = 0

    def _projection(self, boxes: list[Box], dim: int) -> IntervalSet:
        out = boxes[0][dim]
        for b in boxes[1:]:
            out = out.union(b[dim])
        return out

    def add(self, pos: int, boxes: list[Box]) -> None:
        for k, (dim, shift, limit) in enumerate(self.DIMS):
            keys = _buckets(self._projection(boxes, dim), shift, limit)
            if keys is None:
                self.wide[k].append(pos)
            else:
                for key in keys:
                    self.buckets[k][key].append(pos)
        self.count += 1

    def candidates(self, boxes: list[Box]) -> list[int]:
        best: set[int] | None = None
        for k, (dim, shift, limit) in enumerate(self.DIMS):
            keys = _buckets(self._projection(boxes, dim), shift, limit)
            if keys is None:
                continue
            found: set[int] = set(self.wide[k])
            for key in keys:
                found.update(self.buckets[k].get(key, ()))
            if best is None or len(found) < len(best):
                best = found
        if best is None:
            return list(range(self.count))
        return sorted(best)


def coverage(rules: list[Rule], boxes: dict[int, list[Box]]) -> list[tuple[Rule, str, str]]:
    """(rule, SHADOWED_RULE | REDUNDANT_RULE, detail) for every rule covered by earlier rules."""
    out: list[tuple[Rule, str, str]] = []
    index = _Index()
    for pos, r in enumerate(rules):
        mine = boxes[id(r)]
        cands = [
            c
            for c in index.candidates(mine)
            if any(box_overlaps(a, b) for a in mine for b in boxes[id(rules[c])])
        ]
        if cands and _projections_covered(mine, [boxes[id(rules[c])] for c in cands]):
            blockers = _cover(mine, [(c, boxes[id(rules[c])]) for c in cands])
            if blockers is not None:
                names = [rules[c] for c in blockers]
                different = [b for b in names if b.action != r.action]
                check = "SHADOWED_RULE" if different else "REDUNDANT_RULE"
                listed = ", ".join(f"{b.id} ({b.action})" for b in names[:5])
                more = f" and {len(names) - 5} more" if len(names) > 5 else ""
                verb = "can never match: covered by" if different else "covered by"
                out.append((r, check, f"{verb} earlier rule(s) {listed}{more}"))
        index.add(pos, mine)
    return out


def _projections_covered(mine: list[Box], others: list[list[Box]]) -> bool:
    """Necessary condition: on every dimension the others' projections cover the rule's."""
    for dim in range(6):
        need = mine[0][dim]
        for b in mine[1:]:
            need = need.union(b[dim])
        for boxes in others:
            for b in boxes:
                need = need.difference(b[dim])
                if not need:
                    break
            if not need:
                break
        if need:
            return False
    return True


def _cover(mine: list[Box], earlier: list[tuple[int, list[Box]]]) -> list[int] | None:
    """Positions of the earlier rules that take part in covering `mine`, or None if not covered."""
    pieces = list(mine)
    used: list[int] = []
    for pos, boxes in earlier:
        took = False
        for b in boxes:
            nxt: list[Box] = []
            for p in pieces:
                if box_overlaps(p, b):
                    took = True
                    nxt.extend(box_subtract(p, b))
                else:
                    nxt.append(p)
            pieces = nxt
            if len(pieces) > PIECE_LIMIT:
                return None
        if took:
            used.append(pos)
        if not pieces:
            return used
    return None


# -- exposure -------------------------------------------------------------------


def _proto_text(protos: IntervalSet) -> str:
    if protos == ALL_PROTO:
        return "ip"
    if protos.size() > 128:
        return "ip except " + _proto_text(ALL_PROTO - protos)
    names: list[str] = []
    for lo, hi in protos.spans:
        names.extend(PROTO_NAMES.get(p, str(p)) for p in range(lo, hi + 1))
    return ",".join(names) if len(names) <= 4 else f"{len(names)} protocols"


def _allowed_boxes(server: Server) -> list[tuple[IntervalSet, IntervalSet, IntervalSet]]:
    return [(a.sources, a.service.protocols, a.service.ports) for a in server.allowed]


def reach(
    rules: list[Rule],
    boxes: dict[int, list[Box]],
    zones: ZoneIndex,
    addresses: IntervalSet,
    default_action: str = "deny",
    default_line: int = 0,
) -> list[tuple[str, int, list[Box]]]:
    """First-match evaluation of all traffic to `addresses`: the space each permitting rule decides.

    Returns (rule id, line, disjoint boxes) for every rule (or "default") that permits some of it.
    """
    remaining: list[Box] = [(zones.all, zones.all, ALL_ADDR, addresses, ALL_PROTO, ALL_PORTS)]
    claims: list[tuple[str, int, list[Box]]] = []
    for r in rules:
        if not remaining:
            break
        if not r.dst.overlaps(addresses):
            continue
        claimed: list[Box] = []
        for b in boxes[id(r)]:
            nxt: list[Box] = []
            for p in remaining:
                inter = box_intersect(p, b)
                if inter is None:
                    nxt.append(p)
                    continue
                claimed.append(inter)
                nxt.extend(box_subtract(p, b))
            remaining = nxt
        if claimed and r.action == "permit":
            claims.append((r.id, r.line, claimed))
    if remaining and default_action == "permit":
        claims.append(("default", default_line, remaining))
    return claims


def expose(
    fw: Firewall,
    policy: str,
    rules: list[Rule],
    boxes: dict[int, list[Box]],
    zones: ZoneIndex,
    intent: Intent,
) -> tuple[list[Exposure], dict[tuple[str, int], list[str]]]:
    """The exposure rows of each declared server, and what lies beyond the intent per rule."""
    exposures: list[Exposure] = []
    excess: dict[tuple[str, int], list[str]] = defaultdict(list)
    for server in intent.servers:
        for rid, line, pieces in reach(
            rules, boxes, zones, server.addresses, fw.default_action, fw.default_line
        ):
            for sources, protos, ports, within in split_by_intent(server, pieces):
                exposures.append(
                    Exposure(
                        server.name,
                        fw.device,
                        policy,
                        rid,
                        line,
                        describe_addrs(sources, 8),
                        _proto_text(protos),
                        describe_ports(ports),
                        within,
                    )
                )
                text = f"{describe_addrs(sources, 3)} -> {server.name} {_proto_text(protos)}/{describe_ports(ports)}"
                if not within and text not in excess[(rid, line)]:
                    excess[(rid, line)].append(text)
    return exposures, excess


Box3 = tuple[IntervalSet, IntervalSet, IntervalSet]  # sources, protocols, ports


def split_by_intent(
    server: Server, pieces: list[Box]
) -> list[tuple[IntervalSet, IntervalSet, IntervalSet, bool]]:
    """Project claimed boxes on (source, protocol, port), split into within / beyond the intent, merge."""
    allowed: list[Box3] = [
        (a.sources, a.service.protocols, a.service.ports) for a in server.allowed
    ]
    within: list[Box3] = []
    beyond: list[Box3] = []
    for p in pieces:
        rest: list[Box3] = [(p[2], p[4], p[5])]
        for a in allowed:
            nxt: list[Box3] = []
            for piece in rest:
                inter = box_intersect(piece, a)
                if inter is not None:
                    within.append(inter)  # type: ignore[arg-type]
                nxt.extend(box_subtract(piece, a))  # type: ignore[arg-type]
            rest = nxt
        beyond.extend(rest)
    rows = [(*b, True) for b in merge_boxes(within)] + [(*b, False) for b in merge_boxes(beyond)]
    return rows  # type: ignore[return-value]


def merge_boxes(boxes: list[Box3]) -> list[Box3]:
    """Union boxes that agree on two of three dimensions, until nothing changes; sorted."""
    current = list(boxes)
    changed = True
    while changed and len(current) > 1:
        changed = False
        for keep in ((1, 2), (0, 2), (0, 1)):
            merged: dict[tuple[IntervalSet, IntervalSet], IntervalSet] = {}
            free = ({0, 1, 2} - set(keep)).pop()
            for b in current:
                key = (b[keep[0]], b[keep[1]])
                merged[key] = merged[key].union(b[free]) if key in merged else b[free]
            if len(merged) < len(current):
                changed = True
            rebuilt: list[Box3] = []
            for (x, y), z in merged.items():
                parts: list[IntervalSet] = [IntervalSet(), IntervalSet(), IntervalSet()]
                parts[keep[0]], parts[keep[1]], parts[free] = x, y, z
                rebuilt.append((parts[0], parts[1], parts[2]))
            current = rebuilt
    return sorted(current, key=lambda b: (b[1].spans, b[2].spans, b[0].spans))
