"""Parser details beyond the golden policies: VDOMs, objects used by NAT, defaults shown or omitted."""

from __future__ import annotations

from netsteward.tasks.firewall.parsers import parse_firewall
from netsteward.tasks.firewall.sets import ALL_ADDR, addr_set

FORTI_VDOMS = """\
config vdom
edit root
config firewall address
    edit "A"
        set subnet 10.0.0.0 255.0.0.0
    next
    edit "B"
        set subnet 10.9.0.0 255.255.0.0
    next
end
config firewall policy
    edit 1
        set srcaddr "A"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
    next
end
next
edit dmz
config firewall policy
    edit 1
        set srcaddr "all"
        set dstaddr "all"
        set service "ALL"
    next
end
config firewall central-snat-map
    edit 1
        set orig-addr "B"
    next
end
next
end
"""


def test_fortios_vdoms_are_separate_policies_and_nat_uses_objects() -> None:
    fw = parse_firewall("fortinet", FORTI_VDOMS, "fgt")
    assert [(r.id, r.policy, r.action) for r in fw.rules] == [
        ("root/1", "vdom root firewall policy", "permit"),
        ("dmz/1", "vdom dmz firewall policy", "deny"),
    ]
    assert fw.rules[0].src == addr_set("10.0.0.0/8") and fw.rules[1].src == ALL_ADDR
    assert fw.rules[0].log and not fw.rules[0].comment  # no logtraffic shown: the default (utm)
    assert {"A", "B"} <= fw.used


def test_usg_nat_policy_uses_address_sets() -> None:
    text = """\
ip address-set INSIDE type object
 address 0 10.0.0.0 mask 8
ip address-set SPARE type object
 address 0 10.1.0.0 mask 16
#
nat-policy
 rule name snat-out
  source-zone trust
  source-address address-set INSIDE
  action source-nat easy-ip
#
"""
    fw = parse_firewall("huawei_vrp", text, "usg")
    assert "INSIDE" in fw.used and "SPARE" not in fw.used and fw.rules == []


def test_stoneos_nat_rules_use_address_entries_and_rule_without_action_denies() -> None:
    text = """\
address "LAN"
  ip 10.0.0.0/8
exit
nat
  snatrule id 1 from "LAN" to "Any" service "Any" trans-to eif-ip mode dynamicport
exit
policy-global
  rule id 7
    src-addr "LAN"
    dst-addr "Any"
    service "HTTPS"
  exit
exit
"""
    fw = parse_firewall("hillstone_stoneos", text, "sg")
    assert "LAN" in fw.used
    (rule,) = fw.rules
    assert (rule.id, rule.action, rule.src, rule.dst_any) == (
        "7",
        "deny",
        addr_set("10.0.0.0/8"),
        True,
    )


def test_usg_inline_addresses_wildcards_and_ranges() -> None:
    text = """\
security-policy
 rule name r1
  source-address 10.1.0.0 0.0.255.255
  source-address 10.2.0.0 16
  destination-address range 192.0.2.1 192.0.2.9
  service protocol udp destination-port 500 4500
  action permit
"""
    (rule,) = parse_firewall("huawei_vrp", text, "usg").rules
    assert rule.src == addr_set("10.1.0.0/16", "10.2.0.0/16")
    assert rule.dst.spans == ((0xC0000201, 0xC0000209),)
    assert [s.ports.spans for s in rule.services] == [((500, 500), (4500, 4500))]
    assert not rule.log and not rule.comment


def test_unreadable_lines_are_reported_not_fatal() -> None:
    from datetime import date

    from netsteward.tasks.firewall.audit import audit_config, audit_firewall
    from netsteward.tasks.firewall.intent import parse_intent

    text = """\
access-list IN remark web
access-list IN extended permit tcp any host 192.0.2.10 eq https log
access-list IN extended permit tcp any host 192.0.2.10 eq no-such-port log
"""
    fw = parse_firewall("cisco_asa", text, "asa")
    assert [r.id for r in fw.rules] == ["IN line 2"] and fw.skipped == [3]
    result = audit_config("cisco_asa", text, parse_intent("servers: []"), date(2026, 1, 1), "asa")
    assert result.warnings == [
        "asa: 1 configuration line(s) not read or not modelled",
        "asa:3: configuration line not understood: "
        "'access-list IN extended permit tcp any host 192.0.2.10 eq no-such-port log'",
    ]
    assert audit_firewall(fw, parse_intent("servers: []"), date(2026, 1, 1)).read_warnings == []


def test_an_unreadable_address_or_service_never_widens_a_rule() -> None:
    usg = """\
security-policy
 rule name r1
  source-address domain-set PARTNERS
  destination-address 192.0.2.10 mask 255.255.255.255
  service protocol tcp destination-port http-alt
  session logging
  action permit
"""
    fw = parse_firewall("huawei_vrp", usg, "usg")
    (rule,) = fw.rules
    assert fw.skipped == [3, 5]
    assert not rule.src_any and not rule.service_any and rule.matches_nothing()


def test_asa_protocol_group_with_port_operator() -> None:
    from netsteward.tasks.firewall.model import Service
    from netsteward.tasks.firewall.sets import IntervalSet

    text = """\
object-group protocol TCPUDP
 protocol-object tcp
 protocol-object udp
object-group protocol TCPUDP-GRE
 protocol-object tcp
 protocol-object gre
access-list IN remark dns
access-list IN extended permit object-group TCPUDP any host 192.0.2.53 eq domain log
access-list IN remark tunnel
access-list IN extended permit object-group TCPUDP-GRE any host 192.0.2.54 range 1000 1010 log
"""
    fw = parse_firewall("cisco_asa", text, "asa")
    dns, tunnel = fw.rules
    assert list(dns.services) == [Service(IntervalSet([(6, 6), (17, 17)]), IntervalSet.of(53, 53))]
    assert list(tunnel.services) == [
        Service(IntervalSet.of(6, 6), IntervalSet.of(1000, 1010)),
        Service(IntervalSet.of(47, 47), IntervalSet.of(0, 65535)),
    ]
    assert dns.refs == ("TCPUDP",) and {"TCPUDP", "TCPUDP-GRE"} <= fw.used


def test_fortios_negated_matches() -> None:
    from netsteward.tasks.firewall.model import Service
    from netsteward.tasks.firewall.sets import IntervalSet

    text = """\
config firewall address
    edit "LAN"
        set subnet 10.0.0.0 255.0.0.0
    next
end
config firewall policy
    edit 3
        set srcaddr "LAN"
        set srcaddr-negate enable
        set dstaddr "all"
        set action accept
        set service "HTTPS"
        set service-negate enable
    next
end
"""
    (rule,) = parse_firewall("fortinet", text, "fgt").rules
    assert rule.src == ALL_ADDR - addr_set("10.0.0.0/8")
    assert Service(IntervalSet.of(6, 6), IntervalSet([(0, 442), (444, 65535)])) in rule.services
    assert not any(6 in s.protocols and 443 in s.ports for s in rule.services)
    assert any(17 in s.protocols and 443 in s.ports for s in rule.services)


ASA_TWO_SIDES = """interface GigabitEthernet1/1
 nameif outside
 security-level 0
!
interface GigabitEthernet1/2
 nameif inside
!
access-list ANY extended deny ip any any
"""


def test_asa_interface_without_access_group_permits_down_the_security_levels() -> None:
    from netsteward.tasks.firewall.parsers import parse_firewall

    fw = parse_firewall("cisco_asa", ASA_TWO_SIDES, "fw")
    # `inside` without a security-level line is 100 on an ASA; outside is 0
    assert [(i, line) for i, line, _ in fw.unfiltered] == [("inside", 6)]
    assert "to outside is permitted by default" in fw.unfiltered[0][2]
    filtered = ASA_TWO_SIDES + "access-group ANY in interface inside\n"
    assert parse_firewall("cisco_asa", filtered, "fw").unfiltered == []
    global_acl = ASA_TWO_SIDES + "access-group ANY global\n"
    assert parse_firewall("cisco_asa", global_acl, "fw").unfiltered == []


def test_asa_routing_longest_prefix_wins_connected_before_static() -> None:
    from netsteward.tasks.firewall.parsers.cisco_asa import routed_to
    from netsteward.tasks.firewall.sets import EMPTY

    table = [
        (addr_set("10.0.50.0/24"), "dmz"),  # connected
        (addr_set("10.0.50.0/24"), "inside"),  # a static route to the same prefix loses
        (addr_set("192.0.2.0/24"), "dmz"),
        (addr_set("192.0.2.20/32"), "inside"),  # more specific: leaves by inside
        (addr_set("0.0.0.0/0"), "outside"),
    ]
    assert routed_to(table, {"dmz"}) == addr_set("10.0.50.0/24", "192.0.2.0/24").difference(
        addr_set("192.0.2.20/32")
    )
    assert routed_to(table, {"inside"}) == addr_set("192.0.2.20/32")
    everything_else = ALL_ADDR.difference(addr_set("10.0.50.0/24", "192.0.2.0/24"))
    assert routed_to(table, {"outside"}) == everything_else
    assert routed_to(table[:4], {"outside"}) == EMPTY  # no default route: routed nowhere


def test_asa_unfiltered_interface_reaches_what_routes_leave_by_lower_levels() -> None:
    fw = parse_firewall(
        "cisco_asa",
        "\n".join(
            [
                "interface Gi1/1",
                " nameif outside",
                " security-level 0",
                " ip address 203.0.113.1 255.255.255.0",
                "interface Gi1/2",
                " nameif inside",
                " security-level 100",
                " ip address 10.0.0.1 255.255.255.0",
                "interface Gi1/3",
                " nameif dmz",
                " security-level 50",
                " ip address 10.0.50.1 255.255.255.0",
                "access-list OUT extended deny ip any any",
                "access-group OUT in interface outside",
                "route dmz 192.0.2.0 255.255.255.0 10.0.50.254",
            ]
        ),
        "asa",
    )
    assert [u[0] for u in fw.unfiltered] == ["inside", "dmz"]
    # inside (100) reaches dmz and outside: their subnets and the route via dmz
    assert fw.unfiltered_reach["inside"] == addr_set(
        "10.0.50.0/24", "192.0.2.0/24", "203.0.113.0/24"
    )
    # dmz (50) reaches outside only (no default route: only its connected subnet)
    assert fw.unfiltered_reach["dmz"] == addr_set("203.0.113.0/24")
