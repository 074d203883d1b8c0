"""Property tests: interval-set and box arithmetic against Python sets (brute-force oracle)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    IntervalSet,
    addr_set,
    box_intersect,
    box_overlaps,
    box_subset,
    box_subtract,
    describe_addrs,
    describe_ports,
)

UNIVERSE = 40
spans = st.lists(
    st.tuples(st.integers(0, UNIVERSE), st.integers(0, UNIVERSE)).map(lambda t: (min(t), max(t))),
    max_size=5,
)
isets = spans.map(IntervalSet)


def points(s: IntervalSet) -> set[int]:
    return {x for lo, hi in s.spans for x in range(lo, hi + 1)}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spans)
def test_normal_form(raw: list[tuple[int, int]]) -> None:
    s = IntervalSet(raw)
    assert points(s) == {x for lo, hi in raw for x in range(lo, hi + 1)}
    for (_, hi), (lo2, _) in itertools.pairwise(s.spans):
        assert hi + 1 < lo2  # sorted, disjoint, not adjacent: one spelling per set
    assert s.size() == len(points(s))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isets, isets)
def test_algebra_matches_python_sets(a: IntervalSet, b: IntervalSet) -> None:
    pa, pb = points(a), points(b)
    assert points(a | b) == pa | pb
    assert points(a & b) == pa & pb
    assert points(a - b) == pa - pb
    assert a.issubset(b) == (pa <= pb)
    assert a.overlaps(b) == bool(pa & pb)
    assert (a == b) == (pa == pb)
    for x in range(-1, UNIVERSE + 2):
        assert (x in a) == (x in pa)


small = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 6)).map(lambda t: (min(t), max(t))),
    min_size=1,
    max_size=2,
).map(IntervalSet)
boxes = st.tuples(small, small, small)


def box_points(b: tuple[IntervalSet, ...]) -> set[tuple[int, ...]]:
    return set(itertools.product(*(sorted(points(x)) for x in b)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boxes, boxes)
def test_box_subtract_is_exact_and_disjoint(a: tuple, b: tuple) -> None:
    pieces = box_subtract(a, b)
    seen: set[tuple[int, ...]] = set()
    for p in pieces:
        pts = box_points(p)
        assert pts, "no empty pieces"
        assert not (pts & seen), "pieces are disjoint"
        seen |= pts
    assert seen == box_points(a) - box_points(b)
    assert len(pieces) <= len(a)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boxes, boxes)
def test_box_predicates(a: tuple, b: tuple) -> None:
    pa, pb = box_points(a), box_points(b)
    inter = box_intersect(a, b)
    assert (box_points(inter) if inter else set()) == pa & pb
    assert box_overlaps(a, b) == bool(pa & pb)
    assert box_subset(a, b) == (pa <= pb)


def test_describe() -> None:
    assert describe_addrs(ALL_ADDR) == "any"
    assert describe_addrs(addr_set("10.0.0.0/24", "10.0.1.5")) == "10.0.0.0/24, 10.0.1.5"
    assert describe_addrs(ALL_ADDR - addr_set("10.1.0.0/24")) == "any except 10.1.0.0/24"
    assert describe_ports(IntervalSet([(22, 22), (8000, 8080)])) == "22,8000-8080"
