"""Exact set arithmetic over addresses, protocols and ports.

An `IntervalSet` is a finite union of closed integer intervals, kept sorted and
merged, so equal sets compare equal.  IPv4 addresses are integers 0..2**32-1,
protocols 0..255, ports 0..65535, zones small integers.

A `Box` is a product of one interval set per dimension
(source zone, destination zone, source, destination, protocol, port); a rule's
match space is a union of boxes (one per service entry).  `subtract` splits a
box minus a box into disjoint boxes, which is what first-match evaluation and
shadow detection need.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

ADDR_MAX = (1 << 32) - 1
PROTO_MAX = 255
PORT_MAX = 65535


class IntervalSet:
    """Immutable union of closed integer intervals [lo, hi]."""

    __slots__ = ("_hash", "spans")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(s for s in spans if s[0] <= s[1]):
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        self.spans: tuple[tuple[int, int], ...] = tuple(merged)
        self._hash: int | None = None

    @classmethod
    def _raw(cls, spans: tuple[tuple[int, int], ...]) -> IntervalSet:
        obj = cls.__new__(cls)
        obj.spans = spans
        obj._hash = None
        return obj

    @classmethod
    def of(cls, lo: int, hi: int) -> IntervalSet:
        return cls._raw(((lo, hi),)) if lo <= hi else EMPTY

    # -- queries -------------------------------------------------------------
    def __bool__(self) -> bool:
        return bool(self.spans)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntervalSet) and self.spans == other.spans

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self.spans)
        return self._hash

    def __repr__(self) -> str:
        return f"IntervalSet({list(self.spans)!r})"

    def __contains__(self, value: int) -> bool:
        for lo, hi in self.spans:
            if value < lo:
                return False
            if value <= hi:
                return True
        return False

    def size(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.spans)

    @property
    def lo(self) -> int:
        return self.spans[0][0]

    @property
    def hi(self) -> int:
        return self.spans[-1][1]

    def widest(self) -> int:
        return max((hi - lo + 1 for lo, hi in self.spans), default=0)

    # -- algebra -------------------------------------------------------------
    def union(self, other: IntervalSet) -> IntervalSet:
        if not other.spans:
            return self
        if not self.spans:
            return other
        return IntervalSet(self.spans + other.spans)

    __or__ = union

    def intersection(self, other: IntervalSet) -> IntervalSet:
        a, b = self.spans, other.spans
        if not a or not b:
            return EMPTY
        if len(a) == 1 and len(b) == 1:
            lo = max(a[0][0], b[0][0])
            hi = min(a[0][1], b[0][1])
            return IntervalSet._raw(((lo, hi),)) if lo <= hi else EMPTY
        out: list[tuple[int, int]] = []
        i = j = 0
        while i < len(a) and j < len(b):
            lo = max(a[i][0], b[j][0])
            hi = min(a[i][1], b[j][1])
            if lo <= hi:
                out.append((lo, hi))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return IntervalSet._raw(tuple(out)) if out else EMPTY

    __and__ = intersection

    def overlaps(self, other: IntervalSet) -> bool:
        a, b = self.spans, other.spans
        i = j = 0
        while i < len(a) and j < len(b):
            if a[i][0] <= b[j][1] and b[j][0] <= a[i][1]:
                return True
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return False

    def difference(self, other: IntervalSet) -> IntervalSet:
        if not self.spans or not other.spans:
            return self
        out: list[tuple[int, int]] = []
        b = other.spans
        j = 0
        for lo, hi in self.spans:
            cur = lo
            while j < len(b) and b[j][1] < cur:
                j += 1
            k = j
            while k < len(b) and b[k][0] <= hi:
                if b[k][0] > cur:
                    out.append((cur, b[k][0] - 1))
                cur = max(cur, b[k][1] + 1)
                if cur > hi:
                    break
                k += 1
            if cur <= hi:
                out.append((cur, hi))
        return IntervalSet._raw(tuple(out)) if out else EMPTY

    __sub__ = difference

    def issubset(self, other: IntervalSet) -> bool:
        return not self.difference(other)

    __le__ = issubset


EMPTY = IntervalSet._raw(())
ALL_ADDR = IntervalSet.of(0, ADDR_MAX)
ALL_PROTO = IntervalSet.of(0, PROTO_MAX)
ALL_PORTS = IntervalSet.of(0, PORT_MAX)


# -- addresses -----------------------------------------------------------------


def net_range(text: str) -> tuple[int, int]:
    """'10.0.0.0/8', '10.0.0.1', '10.0.0.0 255.0.0.0' -> (first, last)."""
    net = ipaddress.ip_network(text.replace(" ", "/"), strict=False)
    return int(net.network_address), int(net.broadcast_address)


def addr_set(*cidrs: str) -> IntervalSet:
    return IntervalSet(net_range(c) for c in cidrs)


def ip_text(value: int) -> str:
    return str(ipaddress.IPv4Address(value))


def _cidrs(s: IntervalSet, limit: int) -> list[str]:
    parts: list[str] = []
    for lo, hi in s.spans:
        nets = ipaddress.summarize_address_range(
            ipaddress.IPv4Address(lo), ipaddress.IPv4Address(hi)
        )
        parts.extend(str(n) if n.prefixlen != 32 else str(n.network_address) for n in nets)
        if len(parts) > limit:
            break
    return parts


def describe_addrs(s: IntervalSet, limit: int = 4) -> str:
    """Shortest CIDR spelling of a set: 'any', 'any except …', or at most `limit` items then '…'."""
    if s == ALL_ADDR:
        return "any"
    if not s:
        return "none"
    parts = _cidrs(s, limit)
    if len(parts) > 2:
        rest = _cidrs(ALL_ADDR - s, limit)
        if len(rest) < len(parts) and len(rest) <= limit:
            return "any except " + ", ".join(rest)
    if len(parts) > limit:
        return ", ".join(parts[:limit]) + ", …"
    return ", ".join(parts)


def describe_ports(s: IntervalSet) -> str:
    if s == ALL_PORTS:
        return "any"
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in s.spans)


# -- boxes -----------------------------------------------------------------------

Box = tuple[IntervalSet, ...]


_ORDER6 = (2, 3, 5, 4, 0, 1)  # source, destination, port first: they tell boxes apart soonest


def _bounds_overlap(a: Box, b: Box) -> bool:
    """Cheap test on each dimension's outer bounds (no false negatives)."""
    for i in _ORDER6 if len(a) == 6 else range(len(a)):
        x, y = a[i].spans, b[i].spans
        if not x or not y or x[0][0] > y[-1][1] or y[0][0] > x[-1][1]:
            return False
    return True


def box_intersect(a: Box, b: Box) -> Box | None:
    if not _bounds_overlap(a, b):
        return None
    out = []
    for x, y in zip(a, b, strict=True):
        z = x.intersection(y)
        if not z:
            return None
        out.append(z)
    return tuple(out)


def box_overlaps(a: Box, b: Box) -> bool:
    if not _bounds_overlap(a, b):
        return False
    return all(
        x.overlaps(y) for x, y in zip(a, b, strict=True) if len(x.spans) > 1 or len(y.spans) > 1
    )


def box_subset(a: Box, b: Box) -> bool:
    return all(x.issubset(y) for x, y in zip(a, b, strict=True))


def box_subtract(a: Box, b: Box) -> list[Box]:
    """a minus b as disjoint boxes (at most one per dimension)."""
    if not box_overlaps(a, b):
        return [a]
    out: list[Box] = []
    head: list[IntervalSet] = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        rest = x.difference(y)
        if rest:
            out.append((*head, rest, *a[i + 1 :]))
        head.append(x.intersection(y))
    return out


def box_size(a: Box) -> int:
    n = 1
    for x in a:
        n *= x.size()
    return n
