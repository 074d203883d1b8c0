"""The configuration tree keeps every line's number and section, on real configurations.

The corpus files here are the ones hier_config cannot load (a line or section repeated
under one parent: `DuplicateChildError`), which is why the baseline has its own tree
(module docstring of netsteward.tasks.baseline.tree).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hier_config import Platform, get_hconfig
from hier_config.exceptions import DuplicateChildError

from netsteward.tasks.baseline.rules import load_rules
from netsteward.tasks.baseline.tree import ConfigSyntax, parse

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
RULES = load_rules(ROOT / "policy" / "baseline")

# (file, our platform, the hier_config driver that rejects it)
REJECTED_BY_HIER_CONFIG = [
    (GOLDEN / "cisco_ios" / "asr920_16_8.raw", "cisco_ios", Platform.CISCO_IOS),
    (GOLDEN / "cisco_asa" / "asa5512_9_12.raw", "cisco_asa", Platform.GENERIC),
    (GOLDEN / "baseline" / "batfish_asa_filters.cfg", "cisco_asa", Platform.GENERIC),
    (
        GOLDEN / "baseline" / "batfish_fortios_service_custom.cfg",
        "fortinet",
        Platform.FORTINET_FORTIOS,
    ),
    (GOLDEN / "hp_comware" / "s5130_7_1_full.raw", "hp_comware", Platform.HP_COMWARE5),
]


def syntax(platform: str) -> ConfigSyntax:
    return RULES.platforms[platform].syntax


@pytest.mark.parametrize(
    ("path", "platform", "driver"),
    REJECTED_BY_HIER_CONFIG,
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_real_configs_hier_config_rejects_parse_with_line_numbers(
    path: Path, platform: str, driver: Platform
) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    with pytest.raises(DuplicateChildError):
        get_hconfig(driver, text)
    tree = parse(text, syntax(platform))
    raw = text.splitlines()
    assert len(tree) > 10
    for i in range(len(tree)):  # every line's number points at its own text
        assert raw[tree.number[i] - 1].strip() == tree.text[i]
        p = tree.parent[i]
        assert p < i and (p < 0 or tree.number[p] < tree.number[i])


def test_ios_sections_banner_and_indented_comments() -> None:
    text = (GOLDEN / "cisco_ios" / "c9200l_17_09.raw").read_text()
    tree = parse(text, syntax("cisco_ios"))
    by_text = {tree.text[i]: i for i in range(len(tree))}
    # ` !` inside `vrf definition` does not end the section
    vrf = by_text["vrf definition Mgmt-vrf"]
    assert [tree.text[k] for k in tree.kids(vrf)] == [
        "address-family ipv4",
        "exit-address-family",
        "address-family ipv6",
        "exit-address-family",
    ]
    # banner text is the banner's, not configuration
    banner = by_text["banner login ^C"]
    assert [tree.text[k] for k in tree.kids(banner)] == [".", "Login banner.", ".", "^C"]
    assert tree.parent[by_text["Login banner."]] == banner
    assert tree.path(by_text["switchport access vlan 2"]) == ["interface GigabitEthernet1/0/1"]


def test_comware_global_lines_after_a_separator_are_top_level() -> None:
    text = "#\n sysname X\n#\ninterface GigabitEthernet1/0/1\n port link-mode bridge\n#\n ssh server enable\n line class vty\n  user-role network-operator\n#\nreturn\n"
    tree = parse(text, syntax("hp_comware"))
    top = [tree.text[i] for i in tree.top]
    assert top == [
        "sysname X",
        "interface GigabitEthernet1/0/1",
        "ssh server enable",
        "line class vty",
        "return",
    ]
    assert tree.path(tree.text.index("user-role network-operator")) == ["line class vty"]
    assert tree.number[tree.text.index("ssh server enable")] == 7


def test_fortios_blocks_by_keywords_not_indentation() -> None:
    text = 'config system admin\nedit "a"\n    set trusthost1 10.0.0.0 255.0.0.0\nnext\nend\nconfig system global\n  set admintimeout 5\nend\n'
    tree = parse(text, syntax("fortinet"))
    i = tree.text.index("set trusthost1 10.0.0.0 255.0.0.0")
    assert tree.path(i) == ["config system admin", 'edit "a"']
    assert tree.path(tree.text.index("set admintimeout 5")) == ["config system global"]
    assert "next" not in tree.text and "end" not in tree.text


def test_stoneos_exit_lines_carry_nothing() -> None:
    text = 'admin user "hillstone"\n  access ssh\nexit\nntp enable\n'
    tree = parse(text, syntax("hillstone_stoneos"))
    assert [tree.text[i] for i in tree.top] == ['admin user "hillstone"', "ntp enable"]


def test_brocade_sections_are_the_bracket_headers() -> None:
    text = (GOLDEN / "brocade_fos" / "g620_configshow.raw").read_text()
    tree = parse(text, syntax("brocade_fos"))
    i = tree.text.index("snmp.snmpv1Community.0:SanComTTTT")
    assert tree.path(i) == ["[snmp]"]


def test_vrp_quoted_header_over_several_lines() -> None:
    text = 'header login information "first\nsecond"\nstelnet server enable\n'
    tree = parse(text, syntax("huawei_vrp"))
    assert [tree.text[i] for i in tree.top] == [
        'header login information "first',
        "stelnet server enable",
    ]
