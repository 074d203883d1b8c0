"""The ASA parser on real `show running-config object/object-group/access-group` output (ntc-templates).

The four corpus files are used verbatim; a hand-written access-list refers to
their objects so that each object's meaning can be checked through a rule.
The corpus names objects and object-groups alike ("one" ... "five"), which one
ASA would refuse, so the object file and the object-group file are read as two
configurations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.parsers import parse_firewall
from netsteward.tasks.firewall.sets import (
    ALL_PORTS,
    EMPTY,
    IntervalSet,
    addr_set,
)

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "cisco_asa"
OBJECTS = ["ntc_object_network.raw", "ntc_object_service.raw", "ntc_access-group.raw"]
GROUPS = ["ntc_object_network.raw", "ntc_object-group_service.raw", "ntc_access-group.raw"]

ACL = """\
access-list INSIDE_acl remark objects from the corpus
access-list INSIDE_acl extended permit object one object corp host 192.0.2.10 log
access-list INSIDE_acl extended permit object two object visitors host 192.0.2.10 log
access-list INSIDE_acl extended permit object three object internal object dmz log
access-list INSIDE_acl extended permit object seventeen object host-10.10.11.1 any log
access-list INSIDE_acl extended permit object twenty-five object contractor any log
access-list INSIDE_acl extended permit object thirty-one any object server-vip log
access-list INSIDE_acl extended permit object thirty-two any object server-vip log
access-list INSIDE_acl extended permit object twenty-eight object fqdn_test any log
"""
GROUP_ACL = """\
access-list OUTSIDE_acl extended permit tcp object corp object server-vip object-group five log
access-list OUTSIDE_acl extended permit object-group four object block any log
access-list OUTSIDE_acl extended permit object-group two object corp object cloudflare-ipv6-dns-primary log
access-list OUTSIDE_acl extended permit object-group one any any log
"""


def _tcp(lo: int, hi: int) -> Service:
    return Service(IntervalSet.of(6, 6), IntervalSet.of(lo, hi))


def _udp(lo: int, hi: int) -> Service:
    return Service(IntervalSet.of(17, 17), IntervalSet.of(lo, hi))


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    objects = "\n".join((GOLDEN / name).read_text() for name in OBJECTS) + ACL
    groups = "\n".join((GOLDEN / name).read_text() for name in GROUPS) + GROUP_ACL
    return (
        parse_firewall("cisco_asa", objects, "ntc").rules
        + parse_firewall("cisco_asa", groups, "ntc").rules
    )


@pytest.mark.parametrize(
    ("index", "src", "dst", "services"),
    [
        (
            0,
            addr_set("10.0.0.0/8"),
            addr_set("192.0.2.10"),
            [_tcp(9000, 9000)],
        ),  # source port ignored
        (1, IntervalSet.of(0x0A0A0A04, 0x0A0A0A3C), addr_set("192.0.2.10"), [_udp(9001, 65535)]),
        (2, addr_set("192.168.0.0/24"), addr_set("11.1.2.2"), [_tcp(0, 8999)]),
        (
            3,
            addr_set("10.10.11.1"),
            None,
            [_tcp(0, 65535)],
        ),  # only a source port: any destination port
        (4, IntervalSet.of(0x0A4B330F, 0x0A4B3364), None, [_tcp(443, 443)]),
        (
            5,
            None,
            addr_set("10.1.11.8"),
            [Service(IntervalSet.of(6, 6), ALL_PORTS - IntervalSet.of(6667, 6667))],
        ),
        (6, None, addr_set("10.1.11.8"), [Service(IntervalSet.of(137, 137), ALL_PORTS)]),
        (
            7,
            EMPTY,
            None,
            [Service.icmp(8)],
        ),  # fqdn: not resolvable offline; `icmp echo`: ICMP type 8 only
        (
            8,
            addr_set("10.0.0.0/8"),
            addr_set("10.1.11.8"),
            [Service(IntervalSet.of(6, 6), IntervalSet([(139, 139), (445, 445)]))],
        ),
        (
            9,
            addr_set("10.75.51.11"),
            None,
            [_udp(0, 65535)],
        ),  # group four = three: udp ranges, one without ports
    ],
)
def test_objects_through_rules(rules: list[Rule], index: int, src, dst, services) -> None:
    r = rules[index]
    if src is not None:
        assert r.src == src
    else:
        assert r.src_any
    if dst is not None:
        assert r.dst == dst
    else:
        assert r.dst_any
    assert list(r.services) == services


def test_rule_ids_count_remarks_and_bindings(rules: list[Rule]) -> None:
    assert [r.id for r in rules][:2] == ["INSIDE_acl line 2", "INSIDE_acl line 3"]
    assert rules[0].comment == "objects from the corpus" and rules[1].comment == ""


def test_ipv6_and_undefined_members(rules: list[Rule]) -> None:
    r = rules[10]  # group two refers to object charlie, never defined; the destination is IPv6 only
    assert r.undefined == ("charlie",)
    assert r.dst == EMPTY and r.matches_nothing()
    assert rules[0].undefined == ()
    one = rules[11]  # group one: objects alpha and bravo (undefined here) and ICMP echo
    assert one.undefined == ("alpha", "bravo")
    assert list(one.services) == [Service.icmp(8)]


def test_real_asa_running_config_only_has_unused_objects() -> None:
    """oxidized's recorded ASA 5512 backup (already in tests/golden): no ACLs, so three
    interfaces pass all traffic to lower security levels, and three objects nobody uses."""
    from datetime import date

    from netsteward.tasks.firewall.audit import audit_config
    from netsteward.tasks.firewall.intent import load_intent

    text = (GOLDEN / "asa5512_9_12.raw").read_text()
    result = audit_config(
        "cisco_asa",
        text,
        load_intent(GOLDEN.parent / "firewall" / "intent.yaml"),
        date(2026, 6, 1),
        "asa5512",
    )
    assert [(f.rule, f.line, f.check) for f in result.findings] == [
        ("interface RZ", 33, "DEFAULT_PERMIT"),
        ("interface NAT64", 48, "DEFAULT_PERMIT"),
        ("interface OXIDIZED", 54, "DEFAULT_PERMIT"),
        ("OXIDIZED", 88, "UNUSED_OBJECT"),
        ("ROCKS", 90, "UNUSED_OBJECT"),
        ("SOME_OBJECT", 92, "UNUSED_OBJECT"),
    ]
    nat = text.replace(
        " host 10.42.0.12\n", " host 10.42.0.12\n nat (inside,outside) static 192.0.2.12\n"
    )
    result = audit_config(
        "cisco_asa",
        nat,
        load_intent(GOLDEN.parent / "firewall" / "intent.yaml"),
        date(2026, 6, 1),
        "asa5512",
    )
    assert [f.rule for f in result.findings if f.check == "UNUSED_OBJECT"] == ["OXIDIZED", "ROCKS"]
