"""Property tests: first-match evaluation and shadow detection against a brute-force oracle.

Random rule sets over a tiny universe (zones a/b/other, addresses 0..3, TCP/UDP
ports 0..3) are evaluated packet by packet; the audit's box arithmetic must
agree on which rule decides every packet, which rules are covered, and whether
the covering rules have a different action (shadowed) or the same (redundant).
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsteward.tasks.firewall.audit import ZoneIndex, coverage, reach
from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.sets import IntervalSet

ZONES = ["a", "b"]
ADDRS = range(4)
PORTS = range(4)
PROTOS = (6, 17)

span = st.tuples(st.integers(0, 3), st.integers(0, 3)).map(lambda t: IntervalSet.of(min(t), max(t)))
zone_sets = st.one_of(st.none(), st.sets(st.sampled_from(ZONES), min_size=1).map(frozenset))
services = st.lists(
    st.builds(Service, st.sampled_from(PROTOS).map(lambda p: IntervalSet.of(p, p)), span),
    min_size=1,
    max_size=2,
).map(tuple)


@st.composite
def rules(draw: st.DrawFn) -> list[Rule]:
    out = []
    for i in range(draw(st.integers(1, 7))):
        out.append(
            Rule(
                id=str(i + 1),
                line=i + 1,
                action=draw(st.sampled_from(["permit", "deny"])),
                src_zones=draw(zone_sets),
                dst_zones=draw(zone_sets),
                src=draw(span),
                dst=draw(span),
                services=draw(services),
            )
        )
    return out


Packet = tuple[str, str, int, int, int, int]
ALL_PACKETS: list[Packet] = list(
    itertools.product([*ZONES, "other"], [*ZONES, "other"], ADDRS, ADDRS, PROTOS, PORTS)
)


def matches(r: Rule, p: Packet) -> bool:
    sz, dz, src, dst, proto, port = p
    return (
        (r.src_zones is None or sz in r.src_zones)
        and (r.dst_zones is None or dz in r.dst_zones)
        and src in r.src
        and dst in r.dst
        and any(proto in s.protocols and port in s.ports for s in r.services)
    )


def first_match(rules: list[Rule], p: Packet) -> Rule | None:
    return next((r for r in rules if matches(r, p)), None)


def encode(zones: ZoneIndex, p: Packet) -> tuple[int, ...]:
    def z(name: str) -> int:
        return zones.index.get(name, zones.all.hi)

    return (z(p[0]), z(p[1]), p[2], p[3], p[4], p[5])


def in_box(point: tuple[int, ...], box: tuple[IntervalSet, ...]) -> bool:
    return all(v in s for v, s in zip(point, box, strict=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rules(), st.sets(st.sampled_from(list(ADDRS)), min_size=1), st.sampled_from(["deny", "permit"])
)
def test_reach_agrees_with_first_match(rs: list[Rule], server: set[int], default: str) -> None:
    zones = ZoneIndex(rs)
    boxes = {id(r): zones.boxes(r) for r in rs}
    addresses = IntervalSet((a, a) for a in server)
    claims = reach(rs, boxes, zones, addresses, default, 0)
    for p in ALL_PACKETS:
        if p[3] not in server:
            continue
        point = encode(zones, p)
        owners = [rid for rid, _, pieces in claims for b in pieces if in_box(point, b)]
        winner = first_match(rs, p)
        if winner is None:
            expected = ["default"] if default == "permit" else []
        else:
            expected = [winner.id] if winner.action == "permit" else []
        assert owners == expected, (p, owners, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules())
def test_coverage_agrees_with_brute_force(rs: list[Rule]) -> None:
    zones = ZoneIndex(rs)
    boxes = {id(r): zones.boxes(r) for r in rs}
    found = {r.id: (check, detail) for r, check, detail in coverage(rs, boxes)}
    for i, r in enumerate(rs):
        mine = [p for p in ALL_PACKETS if matches(r, p)]
        deciders = [first_match(rs[:i], p) for p in mine]
        covered = bool(mine) and all(d is not None for d in deciders)
        if not covered:
            assert r.id not in found, (r.id, found.get(r.id))
            continue
        different = any(d.action != r.action for d in deciders if d is not None)
        assert found[r.id][0] == ("SHADOWED_RULE" if different else "REDUNDANT_RULE")
        names = {d.id for d in deciders if d is not None}
        for name in names:
            assert f"{name} (" in found[r.id][1]
