"""The exposure matrix of lab firewalls against a packet-by-packet oracle.

For configurations from `netsteward.lab.fleet.firewall` (all four platforms) random packets towards
the declared servers are evaluated naively (first matching active rule of each
policy, zones included); the audit's first-match space (`reach`) must give each
packet to the same rule, and every permitted packet that the generator's own
server table (`netsteward.lab.fleet.firewall.SERVERS`, independent of netsteward.tasks.firewall.intent) does not allow
must fall under a rule reported as EXCESS_EXPOSURE.
"""

from __future__ import annotations

import ipaddress
import random
from datetime import datetime
from pathlib import Path

import pytest

from netsteward.lab.fleet.firewall import SERVERS, generate_firewall
from netsteward.lab.model import DeviceSpec
from netsteward.tasks.firewall.audit import (
    ZoneIndex,
    audit_firewall,
    is_active,
    reach,
)
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.firewall.model import Rule
from netsteward.tasks.firewall.parsers import parse_firewall

ROOT = Path(__file__).resolve().parents[3]
INTENT = load_intent(ROOT / "policy" / "firewall_intent.yaml")
NOW = datetime(2026, 11, 27)


def _ip(text: str) -> int:
    return int(ipaddress.ip_address(text))


def _allowed(server: str, src: int, proto: int, port: int) -> bool:
    """Does the generator's server table allow this flow?"""
    for p, lo, hi, sources in SERVERS[server][1]:
        if (
            {"tcp": 6, "udp": 17}[p] == proto
            and lo <= port <= hi
            and (
                sources == ["any"]
                or any(ipaddress.ip_address(src) in ipaddress.ip_network(n) for n in sources)
            )
        ):
            return True
    return False


def _match(r: Rule, zs: str, zd: str, src: int, dst: int, proto: int, port: int) -> bool:
    return (
        (r.src_zones is None or zs in r.src_zones)
        and (r.dst_zones is None or zd in r.dst_zones)
        and src in r.src
        and dst in r.dst
        and any(proto in s.protocols and port in s.ports for s in r.services)
    )


@pytest.mark.parametrize("platform", ["huawei_vrp", "hillstone_stoneos", "fortinet", "cisco_asa"])
def test_exposure_against_packet_oracle(platform: str) -> None:
    spec = DeviceSpec(
        name="YM-EGOV-FW-09",
        platform=platform,
        role="firewall",
        network="egov_intranet",
        model="lab",
        vendor="lab",
        serial="S",
        version="",
        mac="00e0fc000009",
        index=9,
    )
    text, _, _ = generate_firewall(spec, random.Random(9))
    fw = parse_firewall(platform, text, spec.name)
    result = audit_firewall(fw, INTENT, NOW)
    excess = {f.rule for f in result.findings if f.check == "EXCESS_EXPOSURE"}
    zones = ZoneIndex(fw.rules)
    names = [*zones.index, "elsewhere"]
    rng = random.Random(1)
    sources = [
        "10.10.0.7",
        "10.10.9.9",
        "10.30.4.4",
        "198.51.100.20",
        "10.20.1.10",
        "10.20.2.3",
        "8.8.8.8",
    ]
    checked = permitted = 0
    for policy, rules in fw.policies().items():
        active = [r for r in rules if is_active(r, NOW)]
        boxes = {id(r): zones.boxes(r) for r in active}
        for server in INTENT.servers:
            claims = reach(
                active, boxes, zones, server.addresses, fw.default_action, fw.default_line
            )
            touching = [r for r in active if r.dst.overlaps(server.addresses)]
            for _ in range(300):
                if touching and rng.random() < 0.7:  # aim at a rule that reaches the server
                    r = rng.choice(touching)
                    zs = rng.choice(sorted(r.src_zones)) if r.src_zones else rng.choice(names)
                    zd = rng.choice(sorted(r.dst_zones)) if r.dst_zones else rng.choice(names)
                    lo, hi = rng.choice(r.src.spans)
                    src = rng.randint(lo, hi)
                    svc = rng.choice(r.services)
                    proto = rng.choice(
                        [
                            p
                            for lo_, hi_ in svc.protocols.spans
                            for p in range(lo_, min(hi_, lo_ + 20) + 1)
                        ]
                    )
                    lo, hi = rng.choice(svc.ports.spans)
                    port = rng.randint(lo, hi)
                else:
                    zs, zd = rng.choice(names), rng.choice(names)
                    src = _ip(rng.choice(sources)) if rng.random() < 0.8 else rng.randrange(1 << 32)
                    proto = rng.choice([6, 6, 6, 17, 1])
                    port = rng.choice(
                        [22, 25, 53, 80, 443, 445, 1521, 3389, 8081, 8443, rng.randrange(65536)]
                    )
                dst = rng.choice([lo for lo, _ in server.addresses.spans])
                winner = next((r for r in active if _match(r, zs, zd, src, dst, proto, port)), None)
                decided = winner.id if winner is not None and winner.action == "permit" else None
                if winner is None and fw.default_action == "permit":
                    decided = "default"
                point = (
                    zones.index.get(zs, zones.all.hi),
                    zones.index.get(zd, zones.all.hi),
                    src,
                    dst,
                    proto,
                    port,
                )
                owners = [
                    rid
                    for rid, _, pieces in claims
                    for b in pieces
                    if all(v in s for v, s in zip(point, b, strict=True))
                ]
                assert owners == ([decided] if decided else []), (policy, server.name, point)
                checked += 1
                if decided:
                    permitted += 1
                    if not _allowed(server.name, src, proto, port):
                        assert decided in excess, (decided, server.name, src, proto, port)
    assert checked > 1000 and permitted > 50
