"""First-match evaluation over boxes: zones, shadow/redundancy proofs, reachable space.

A rule's match space is a union of boxes (source zone, destination zone, source,
destination, protocol, port).  `reach` subtracts each rule from what is still
undecided, giving the exact space every rule decides; `coverage` proves that a
rule is covered by earlier rules, finding candidates through a bucket index over
source (/16), destination (/16) and port (1,024 blocks) instead of comparing
every pair, then subtracting in rule order.
"""

from __future__ import annotations

from collections import defaultdict

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.labels import action_label
from netsteward.tasks.firewall.intent import Server
from netsteward.tasks.firewall.model import Rule
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    Box,
    IntervalSet,
    box_intersect,
    box_overlaps,
    box_subtract,
)

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


# -- zones ----------------------------------------------------------------------


class ZoneIndex:
    """Zone and interface names as small integers; 'any' is every index plus one for all others."""

    def __init__(self, rules: list[Rule], device_zones: frozenset[str] = frozenset()) -> None:
        named = {z for r in rules for zs in (r.src_zones, r.dst_zones) if zs for z in zs}
        names = sorted(named | device_zones)
        self.index = {n: i for i, n in enumerate(names)}
        self.all = IntervalSet.of(0, len(names))  # the last value stands for any other zone
        # where servers can be: every zone but the firewall itself (USG `local`, StoneOS `self`)
        self.beyond_device = self.all - IntervalSet(
            (i, i) for n, i in self.index.items() if n in device_zones
        )

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
                listed = ", ".join(f"{b.id} ({action_label(b.action)})" for b in names[:5])
                more = _(" and {n} more").format(n=len(names) - 5) if len(names) > 5 else ""
                text = (
                    _("can never match: covered by earlier rule(s) {rules}")
                    if different
                    else _("covered by earlier rule(s) {rules}")
                )
                out.append((r, check, text.format(rules=listed + more)))
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


def proto_text(protos: IntervalSet) -> str:
    if protos == ALL_PROTO:
        return "ip"
    if protos.size() > 128:
        return "ip except " + proto_text(ALL_PROTO - protos)
    names: list[str] = []
    for lo, hi in protos.spans:
        names.extend(PROTO_NAMES.get(p, str(p)) for p in range(lo, hi + 1))
    return ",".join(names) if len(names) <= 4 else f"{len(names)} protocols"


def build_index(rules: list[Rule], boxes: dict[int, list[Box]]) -> _Index:
    """An index over all rules of a policy (positions are rule order)."""
    index = _Index()
    for pos, r in enumerate(rules):
        index.add(pos, boxes[id(r)])
    return index


def _minus(pieces: list[Box], box: Box) -> list[Box]:
    out: list[Box] = []
    for p in pieces:
        out.extend(box_subtract(p, box))
    return out


def reach(
    rules: list[Rule],
    boxes: dict[int, list[Box]],
    zones: ZoneIndex,
    addresses: IntervalSet,
    default_action: str = "deny",
    default_line: int = 0,
    index: _Index | None = None,
) -> list[tuple[str, int, list[Box]]]:
    """First-match evaluation of all traffic to `addresses`: the space each permitting rule decides.

    Returns (rule id, line, disjoint boxes) for every rule (or "default") that permits some of it.
    Each permit rule's share is its own space minus the earlier rules the index finds for it, so
    the cost follows the overlaps, not the square of the rule count.
    """
    if index is None:
        index = build_index(rules, boxes)
    # traffic to the servers: not traffic to the firewall itself (management plane)
    target: Box = (zones.all, zones.beyond_device, ALL_ADDR, addresses, ALL_PROTO, ALL_PORTS)
    claims: list[tuple[str, int, list[Box]]] = []
    for pos, r in enumerate(rules):
        if r.action != "permit" or not r.dst.overlaps(addresses):
            continue
        pieces: list[Box] = []
        for b in boxes[id(r)]:
            clip = box_intersect(b, target)
            if clip is not None:
                new = [clip]
                for q in pieces:  # the rule's own boxes may overlap: keep its share disjoint
                    new = _minus(new, q)
                pieces.extend(new)
        if not pieces:
            continue
        for c in index.candidates(pieces):
            if c >= pos:
                break
            for b in boxes[id(rules[c])]:
                pieces = _minus(pieces, b)
            if not pieces:
                break
        if pieces:
            claims.append((r.id, r.line, pieces))
    if default_action == "permit":
        remaining = [target]
        for c in index.candidates(remaining):
            for b in boxes[id(rules[c])]:
                remaining = _minus(remaining, b)
            if not remaining:
                break
        if remaining:
            claims.append(("default", default_line, remaining))
    return claims


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
