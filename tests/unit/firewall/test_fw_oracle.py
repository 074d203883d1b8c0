"""Property tests: first-match evaluation and shadow detection against a brute-force oracle.

Random rule sets over a tiny universe (zones a/b/local/other, addresses 0..3, TCP/UDP
ports 0..3, ICMP messages of types 3/8/11 and codes 0/3) are evaluated packet by
packet; the audit's box arithmetic must agree on which rule decides every packet, which
rules are covered, and whether the covering rules have a different action (shadowed) or
the same (redundant). The oracle matches ICMP by type and code as a firewall does; the
audit encodes them in its port dimension (`netsteward.tasks.firewall.model.icmp_span`), and
the two must agree. Traffic to the zone `local` (the firewall itself) is never exposure.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsteward.tasks.firewall.audit import ZoneIndex, coverage, reach
from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.sets import IntervalSet

ZONES = ["a", "b", "local"]
DEVICE = frozenset({"local"})
ADDRS = range(4)
PORTS = range(4)
PROTOS = (6, 17)
ICMP_TYPES = (3, 8, 11)
ICMP_CODES = (0, 3)

span = st.tuples(st.integers(0, 3), st.integers(0, 3)).map(lambda t: IntervalSet.of(min(t), max(t)))
zone_sets = st.one_of(st.none(), st.sets(st.sampled_from(ZONES), min_size=1).map(frozenset))
# a service as the oracle sees it: ("port", proto, ports) or ("icmp", type | None, code | None)
port_specs = st.tuples(st.just("port"), st.sampled_from(PROTOS), span)
icmp_specs = st.tuples(
    st.just("icmp"),
    st.one_of(st.none(), st.sampled_from(ICMP_TYPES)),
    st.one_of(st.none(), st.sampled_from(ICMP_CODES)),
).map(lambda t: t if t[1] is not None else (t[0], None, None))  # a code only with a type
specs = st.lists(st.one_of(port_specs, icmp_specs), min_size=1, max_size=2).map(tuple)


def service(spec: tuple) -> Service:
    if spec[0] == "port":
        return Service(IntervalSet.of(spec[1], spec[1]), spec[2])
    kind, code = spec[1], spec[2]
    if kind is None:
        return Service.icmp()
    return Service.icmp(kind, *((0, 255) if code is None else (code, code)))


@st.composite
def rules(draw: st.DrawFn) -> list[Rule]:
    out = []
    for i in range(draw(st.integers(1, 7))):
        spec = draw(specs)
        rule = Rule(
            id=str(i + 1),
            line=i + 1,
            action=draw(st.sampled_from(["permit", "deny"])),
            src_zones=draw(zone_sets),
            dst_zones=draw(zone_sets),
            src=draw(span),
            dst=draw(span),
            services=tuple(service(s) for s in spec),
        )
        SPECS[id(rule)] = spec
        out.append(rule)
    return out


SPECS: dict[int, tuple] = {}  # rule -> its services as the oracle reads them
# (zone, zone, source, destination, protocol, port) or, for ICMP, (..., 1, (type, code))
Packet = tuple[str, str, int, int, int, object]
ALL_PACKETS: list[Packet] = list(
    itertools.product([*ZONES, "other"], [*ZONES, "other"], ADDRS, ADDRS, PROTOS, PORTS)
) + list(
    itertools.product(
        [*ZONES, "other"],
        [*ZONES, "other"],
        ADDRS,
        ADDRS,
        [1],
        itertools.product(ICMP_TYPES, ICMP_CODES),
    )
)


def spec_matches(spec: tuple, proto: int, port: object) -> bool:
    if spec[0] == "port":
        return proto == spec[1] and port in spec[2]
    kind, code = port if proto == 1 else (None, None)
    return proto == 1 and spec[1] in (None, kind) and spec[2] in (None, code)


def matches(r: Rule, p: Packet) -> bool:
    sz, dz, src, dst, proto, port = p
    return (
        (r.src_zones is None or sz in r.src_zones)
        and (r.dst_zones is None or dz in r.dst_zones)
        and src in r.src
        and dst in r.dst
        and any(spec_matches(spec, proto, port) for spec in SPECS[id(r)])
    )


def first_match(rules: list[Rule], p: Packet) -> Rule | None:
    return next((r for r in rules if matches(r, p)), None)


def encode(zones: ZoneIndex, p: Packet) -> tuple[int, ...]:
    def z(name: str) -> int:
        return zones.index.get(name, zones.all.hi)

    port = p[5][0] * 256 + p[5][1] if isinstance(p[5], tuple) else p[5]
    return (z(p[0]), z(p[1]), p[2], p[3], p[4], port)


def in_box(point: tuple[int, ...], box: tuple[IntervalSet, ...]) -> bool:
    return all(v in s for v, s in zip(point, box, strict=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rules(), st.sets(st.sampled_from(list(ADDRS)), min_size=1), st.sampled_from(["deny", "permit"])
)
def test_reach_agrees_with_first_match(rs: list[Rule], server: set[int], default: str) -> None:
    zones = ZoneIndex(rs, DEVICE)
    boxes = {id(r): zones.boxes(r) for r in rs}
    addresses = IntervalSet((a, a) for a in server)
    claims = reach(rs, boxes, zones, addresses, default, 0)
    for p in ALL_PACKETS:
        if p[3] not in server:
            continue
        point = encode(zones, p)
        owners = [rid for rid, _, pieces in claims for b in pieces if in_box(point, b)]
        winner = first_match(rs, p)
        if p[1] in DEVICE:
            expected = []  # to the firewall itself: management plane, not the servers
        elif winner is None:
            expected = ["default"] if default == "permit" else []
        else:
            expected = [winner.id] if winner.action == "permit" else []
        assert owners == expected, (p, owners, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules())
def test_coverage_agrees_with_brute_force(rs: list[Rule]) -> None:
    zones = ZoneIndex(rs, DEVICE)
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


def test_one_icmp_message_neither_shadows_nor_duplicates_another() -> None:
    """Issue 11: an `unreachable` permit was reported as shadowing a `time-exceeded` one."""
    unreachable = Rule("1", 1, "deny", services=(Service.icmp(3),))
    time_exceeded = Rule("2", 2, "permit", services=(Service.icmp(11),))
    port_unreachable = Rule("3", 3, "permit", services=(Service.icmp(3, 3, 3),))
    rs = [unreachable, time_exceeded, port_unreachable]
    zones = ZoneIndex(rs)
    found = {r.id: check for r, check, _ in coverage(rs, {id(r): zones.boxes(r) for r in rs})}
    assert found == {"3": "SHADOWED_RULE"}
