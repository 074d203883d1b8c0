"""Firewall semantics real rule bases rely on, and the parsers failing loud (issue 11, items 1
and 5): input that is not a configuration, lines not read, values not modelled, ICMP messages,
the zones that are the firewall itself or any zone, undefined objects never widened."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.firewall.audit import audit_config
from netsteward.tasks.firewall.intent import parse_intent
from netsteward.tasks.firewall.model import Service, icmp_span
from netsteward.tasks.firewall.parsers import parse_firewall, read_firewall
from netsteward.tasks.firewall.sets import EMPTY, IntervalSet, addr_set

TESTS = Path(__file__).resolve().parents[2]
NTC = TESTS / "corpus" / "ntc-templates"
INTENT = parse_intent(
    "servers:\n  - name: WEB\n    addresses: [192.0.2.10]\n"
    "    services: [{protocol: tcp, ports: 443, sources: [any]}]\n"
)
WHEN = date(2026, 6, 1)


# -- not a configuration: bad input, never a clean audit ------------------------------------


@pytest.mark.parametrize("sample", sorted((NTC / "cisco_asa" / "show_access-list").glob("*.raw")))
def test_show_access_list_output_is_not_an_asa_configuration(sample: Path) -> None:
    """Real `show access-list` outputs (ntc-templates): hit counts, line numbers, no config."""
    reading = read_firewall("cisco_asa", sample.read_text())
    assert reading.records == () and [w.kind for w in reading.warnings] == ["format"]
    with pytest.raises(BadInput, match="show access-list"):
        audit_config("cisco_asa", sample.read_text(), INTENT, WHEN, "asa", sample.name)


@pytest.mark.parametrize(
    ("platform", "other"),
    [
        ("cisco_asa", "fortinet/fw_policy.cfg"),
        ("huawei_vrp", "fortinet/fw_policy.cfg"),
        ("fortinet", "cisco_asa/fw_policy.cfg"),
        ("hillstone_stoneos", "cisco_asa/fw_policy.cfg"),
    ],
)
def test_another_platforms_configuration_is_bad_input(platform: str, other: str) -> None:
    text = (TESTS / "golden" / other).read_text()
    with pytest.raises(BadInput, match="not a"):
        audit_config(platform, text, INTENT, WHEN, "fw", other)


# -- lines not read: how many and which ------------------------------------------------------

USG_UNREAD = """\
security-policy
 rule name web
  description CHG-1
  source-zone untrust
  destination-zone dmz
  destination-address 192.0.2.10 mask 255.255.255.255
  service https
  session logging
  action permit
  frobnicate now
 rule name apps
  description CHG-2
  destination-address 192.0.2.10 mask 255.255.255.255
  application app WeChat
  service http
  session logging
  action permit
#
return
"""


def test_unparsed_rule_lines_are_counted_and_named() -> None:
    result = audit_config("huawei_vrp", USG_UNREAD, INTENT, WHEN, "usg", "base/firewall/usg.cfg")
    assert [(w.line, w.kind) for w in result.read_warnings] == [(10, "unread"), (14, "partial")]
    assert result.read_warnings[0].text == "  frobnicate now"
    assert "application" in result.read_warnings[1].problem
    assert result.warnings[0] == (
        "base/firewall/usg.cfg: 2 configuration line(s) not read or not modelled"
    )


# -- ICMP messages on all four vendors -------------------------------------------------------

ICMP_CONFIGS = {
    "cisco_asa": "access-list IN extended permit icmp any host 192.0.2.10 unreachable\n"
    "access-list IN extended permit icmp any host 192.0.2.10 time-exceeded\n"
    "access-list IN extended permit icmp any host 192.0.2.10 3 4\n",
    "huawei_vrp": "#\nsecurity-policy\n rule name a\n  service protocol icmp icmp-type 3 0\n"
    "  action permit\n rule name b\n  service protocol icmp icmp-type ttl-exceeded\n"
    "  action permit\n rule name c\n  service protocol icmp\n  action permit\n#\n",
    "hillstone_stoneos": 'service "U"\n  icmp type 3 code 0 1\nexit\npolicy-global\n'
    '  rule id 1\n    action permit\n    service "U"\n  exit\n'
    "  rule id 2\n    action permit\n    service-rule icmp type 11\n  exit\nexit\n",
    "fortinet": 'config firewall service custom\n    edit "U"\n        set protocol ICMP\n'
    "        set icmptype 3\n        set icmpcode 0\n    next\nend\n"
    'config firewall policy\n    edit 1\n        set action accept\n        set service "U"\n'
    '    next\n    edit 2\n        set action accept\n        set service "PING"\n    next\nend\n',
}
ICMP_EXPECTED = {
    "cisco_asa": [icmp_span(3), icmp_span(11), icmp_span(3, 4, 4)],
    "huawei_vrp": [icmp_span(3, 0, 0), icmp_span(11, 0, 0), icmp_span(None)],
    "hillstone_stoneos": [icmp_span(3, 0, 1), icmp_span(11)],
    "fortinet": [icmp_span(3, 0, 0), icmp_span(8)],
}


@pytest.mark.parametrize("platform", sorted(ICMP_CONFIGS))
def test_icmp_type_and_code_are_in_the_service(platform: str) -> None:
    reading = read_firewall(platform, ICMP_CONFIGS[platform], "fw")
    assert reading.complete, [str(w) for w in reading.warnings]
    rules = reading.records[0].rules
    assert [r.services for r in rules] == [
        (Service(IntervalSet.of(1, 1), ports),) for ports in ICMP_EXPECTED[platform]
    ]


def test_asa_icmp_type_object_group() -> None:
    text = (
        TESTS / "corpus" / "batfish" / "cisco_asa" / "asa-nested-icmp-type-object-group"
    ).read_text()
    fw = parse_firewall("cisco_asa", text, "asa")
    groups = {o.name for o in fw.objects}
    assert {"echo_group", "unreachable_group", "services"} <= groups
    assert all(not r.undefined for r in fw.rules)


# -- zones: the firewall itself, and any ----------------------------------------------------

USG_ZONES = """\
#
security-policy
 rule name ssh-to-firewall
  description CHG-1
  source-zone untrust
  destination-zone local
  service ssh
  session logging
  action permit
 rule name any-zones
  description CHG-2
  source-zone any
  destination-zone any
  destination-address 192.0.2.10 mask 255.255.255.255
  service https
  session logging
  action permit
#
return
"""


def test_destination_zone_local_is_the_firewall_itself_not_the_servers() -> None:
    result = audit_config("huawei_vrp", USG_ZONES, INTENT, WHEN, "usg")
    mgmt = [f for f in result.findings if f.rule == "ssh-to-firewall"]
    assert [f.check for f in mgmt] == ["MANAGEMENT_ACCESS"]
    assert "SSH (tcp/22)" in mgmt[0].detail
    # the SSH rule has no destination address, yet it exposes no server
    assert {e.rule for e in result.exposure} == {"any-zones"}


def test_zone_any_is_no_zone_condition() -> None:
    fw = parse_firewall("huawei_vrp", USG_ZONES, "usg")
    any_rule = fw.rules[1]
    assert any_rule.src_zones is None and any_rule.dst_zones is None
    assert fw.rules[0].to_device and not any_rule.to_device


# -- undefined objects: reported, never widened ------------------------------------------------


def test_an_undefined_service_object_group_is_not_every_tcp_port() -> None:
    text = (
        "object-group network WEB\n network-object host 192.0.2.10\n"
        "access-list IN extended permit tcp any object-group WEB object-group NO-SUCH-PORTS\n"
        "access-list IN extended permit tcp any object-group NO-SUCH-SRC object-group WEB eq 443\n"
    )
    result = audit_config("cisco_asa", text, INTENT, WHEN, "asa")
    undefined = [f for f in result.findings if f.check == "UNDEFINED_OBJECT"]
    assert [f.rule for f in undefined] == ["IN line 1", "IN line 2"]
    fw = parse_firewall("cisco_asa", text, "asa")
    assert all(r.matches_nothing() for r in fw.rules)
    assert result.exposure == []


def test_an_unknown_protocol_is_reported_not_read_as_ip() -> None:
    reading = read_firewall("cisco_asa", "access-list IN extended permit frob any any\n", "asa")
    assert reading.records[0].rules == []
    assert [w.line for w in reading.warnings] == [1]


# -- non-contiguous masks: exact, and reported -------------------------------------------------


def test_a_non_contiguous_mask_is_read_exactly_and_reported() -> None:
    text = (
        "#\nip address-set ODD type object\n address 0 10.0.0.1 mask 255.255.0.255\n#\n"
        "security-policy\n rule name r\n  source-address address-set ODD\n  action permit\n#\n"
    )
    reading = read_firewall("huawei_vrp", text, "usg")
    (warning,) = reading.warnings
    assert "non-contiguous mask 255.255.0.255" in warning.problem and warning.line == 3
    src = reading.records[0].rules[0].src
    assert src.size() == 256 and 0x0A000001 in src and 0x0A000101 in src
    assert 0x0A000002 not in src and src != addr_set("10.0.0.0/16")


def test_a_wildcard_too_fragmented_to_model_matches_nothing() -> None:
    text = "#\nsecurity-policy\n rule name r\n  source-address 10.0.0.0 0.255.255.254\n  action permit\n#\n"
    reading = read_firewall("huawei_vrp", text, "usg")
    assert "not modelled" in reading.warnings[0].problem
    assert reading.records[0].rules[0].src == EMPTY


# -- the command: exit codes -----------------------------------------------------------------


def _audit_cli(*args: str) -> subprocess.CompletedProcess[str]:
    intent = TESTS / "golden" / "firewall" / "intent.yaml"
    netsteward = Path(sys.executable).parent / "netsteward"
    return subprocess.run(
        [str(netsteward), "audit", "firewall", "--intent", str(intent), "--fail-on", "low", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_show_access_list_given_as_a_configuration_is_exit_2_naming_file_and_line() -> None:
    sample = NTC / "cisco_asa" / "show_access-list" / "cisco_asa_show_access-list.raw"
    proc = _audit_cli("--config-file", str(sample), "--platform", "cisco_asa")
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert line.startswith(f"netsteward: {sample}:1: not a Cisco ASA configuration")
    assert "show access-list" in line and "\n" not in line and "Traceback" not in line


def test_cli_lines_not_read_are_listed_and_never_a_clean_exit(tmp_path: Path) -> None:
    config = tmp_path / "usg.cfg"
    config.write_text(USG_UNREAD)
    proc = _audit_cli("--config-file", str(config), "--platform", "huawei_vrp", "--json")
    data = json.loads(proc.stdout)
    assert [w["line"] for w in data["read_warnings"]] == [10, 14]
    assert proc.returncode == 1
    human = _audit_cli("--config-file", str(config), "--platform", "huawei_vrp")
    assert "2 configuration line(s) not read or not modelled in 1 configuration(s)" in human.stdout
    assert f"{config}:10: configuration line not understood: '  frobnicate now'" in human.stderr
