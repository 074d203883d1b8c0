"""The port policy file: the shipped defaults match DESIGN.md, mistakes name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.core.errors import EXIT_BAD_INPUT, PolicyError
from netsteward.tasks.ports.plan import Device, plan_device
from netsteward.tasks.ports.policy import in_ranges, load_policy, parse_policy

ROOT = Path(__file__).resolve().parents[3]
POLICY_FILE = ROOT / "policy" / "ports.yaml"
TEXT = POLICY_FILE.read_text()


def test_shipped_policy_is_the_design_contract() -> None:
    policy = load_policy(POLICY_FILE)
    assert policy.scope.roles == ["router", "core", "aggregation", "access"]
    assert policy.descriptions.port == "TO-{peer}-{peer_port}"
    assert policy.descriptions.lag == "TO-{peer}-{peer_lag}"
    edge = {p: [vl.line for vl in s.edge_lines] for p, s in policy.platforms.items()}
    assert edge == {
        "huawei_vrp": ["stp edged-port enable", "loopback-detect enable"],
        "hp_comware": [
            "stp edged-port",
            "loopback-detection enable vlan all",
            "loopback-detection action shutdown",
        ],
        "cisco_ios": ["spanning-tree portfast", "spanning-tree bpduguard enable"],
    }
    glob = {p: [vl.line for vl in s.global_lines] for p, s in policy.platforms.items()}
    assert glob == {
        "huawei_vrp": ["stp bpdu-protection"],
        "hp_comware": ["loopback-detection global enable vlan all", "stp bpdu-protection"],
        "cisco_ios": ["errdisable recovery cause bpduguard"],
    }
    for role in ("router", "core", "aggregation"):
        rules = policy.for_host(role=role, network="base", host="X")
        assert rules.descriptions and not rules.loop_protection
    assert policy.for_host(role="access", network="base", host="X").loop_protection


def test_layers_host_beats_network_beats_role() -> None:
    text = TEXT.replace(
        "networks: {}\nhosts: {}",
        "networks:\n  san: {loop_protection: false}\n"
        "hosts:\n  SW1: {loop_protection: true, skip_interfaces: ['^GigabitEthernet0/0/48$']}",
    )
    policy = parse_policy(text)
    assert not policy.for_host(role="access", network="san", host="SW2").loop_protection
    sw1 = policy.for_host(role="access", network="san", host="SW1")
    assert sw1.loop_protection and sw1.skip_interfaces == ["^GigabitEthernet0/0/48$"]
    assert policy.for_host(role="access", network="san", host="SW1").descriptions


BAD = [
    # (replace, with, field, message part); the expected line is where the new text lands
    (
        "    loop_protection: true",
        "    loop_protection: maybe",
        "roles.access.loop_protection",
        "boolean",
    ),
    ('lag_name: "Eth-Trunk{id}"', 'lag_name: "Eth-Trunk"', "platforms.huawei_vrp.lag_name", "{id}"),
    (
        "    interface_exit: exit",
        "    interface_exit: exit\n    bogus: 1",
        "platforms.cisco_ios.bogus",
        "Extra",
    ),
    ("[router, core,", "[router, kore,", "scope.roles", "unknown role 'kore'"),
    ('port: "TO-{peer}-{peer_port}"', 'port: "TO-{per}"', "descriptions.port", "{per}"),
    (
        "{match: '^stp edged-port\\b', undo: \"undo stp edged-port\"}",
        "{match: '^stp (edged', undo: \"undo stp edged-port\"}",
        "platforms.huawei_vrp.uplink_forbidden.0.match",
        "regular expression",
    ),
    (
        "  access:\n    loop_protection: true",
        "  acces:\n    loop_protection: true",
        "roles",
        "acces",
    ),
]


def line_of(text: str, needle: str) -> int:
    """1-based line where the last line of `needle` sits in `text`."""
    index = text.index(needle) + len(needle)
    return text.count("\n", 0, index) + 1


@pytest.mark.parametrize(("old", "new", "field", "part"), BAD, ids=[b[2] for b in BAD])
def test_mistakes_name_file_line_and_field(old: str, new: str, field: str, part: str) -> None:
    assert old in TEXT
    bad = TEXT.replace(old, new, 1)
    line = line_of(bad, new) if field != "roles" else line_of(bad, "\nroles:")
    with pytest.raises(PolicyError) as info:
        parse_policy(bad, "policy/ports.yaml")
    err = info.value
    assert (err.file, err.line, err.field) == ("policy/ports.yaml", line, field)
    assert part in err.message
    assert str(err).startswith(f"policy/ports.yaml:{line}: {field}: ")
    assert err.exit_code == EXIT_BAD_INPUT


def test_yaml_syntax_error_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"^p.yaml:2: not valid YAML"):
        parse_policy("version: 1\nplatforms: x: y\n", "p.yaml")
    with pytest.raises(PolicyError, match="file not found"):
        load_policy(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("name", "ranges", "inside"),
    [
        ("GigabitEthernet0/0/1", ["GigabitEthernet0/0/1-48"], True),
        ("GigabitEthernet0/0/48", ["GigabitEthernet0/0/1-48"], True),
        ("GigabitEthernet0/0/49", ["GigabitEthernet0/0/1-48"], False),
        ("XGigabitEthernet0/0/1", ["GigabitEthernet0/0/1-48"], False),
        ("GigabitEthernet1/0/10", ["GigabitEthernet1/0/10"], True),
    ],
)
def test_user_port_ranges(name: str, ranges: list[str], inside: bool) -> None:
    assert in_ranges(name, ranges) is inside


def test_user_port_ranges_limit_edge_ports() -> None:
    config = "\n".join(
        f"interface GigabitEthernet0/0/{i}\n port link-type access\n#" for i in (1, 2, 47, 48)
    )
    policy = parse_policy(
        TEXT.replace("user_port_ranges: {}", "user_port_ranges:\n  S1: [GigabitEthernet0/0/1-2]")
    )
    plan = plan_device(Device("SW", "huawei_vrp", "access", "base", "S1"), config, [], policy)
    assert {c.interface for c in plan.changes} == {
        None,
        "GigabitEthernet0/0/1",
        "GigabitEthernet0/0/2",
    }
    other = plan_device(Device("SW", "huawei_vrp", "access", "base", "S2"), config, [], policy)
    assert len({c.interface for c in other.changes}) == 5


def test_long_description_fits_vendor_limit() -> None:
    policy = load_policy(POLICY_FILE)
    from netsteward.tasks.ports.plan import Link, PeerIndex

    peer = "P" * 300 + " with space?"
    plan = plan_device(
        Device("R1", "cisco_ios", "router", "base"),
        "interface GigabitEthernet0/1\n ip address 192.0.2.1 255.255.255.0\n!\n",
        [Link("Gi0/1", peer, "GigabitEthernet0/0/1")],
        policy,
        PeerIndex(platforms={peer: "huawei_vrp"}),
    )
    (line,) = plan.changes[0].lines
    desc = line.removeprefix("description ")
    assert len(desc) == 240 and " " not in desc and "?" not in desc


def test_out_of_scope_roles_get_no_changes() -> None:
    policy = load_policy(POLICY_FILE)
    plan = plan_device(
        Device("FW1", "huawei_vrp", "firewall", "base"),
        "interface GigabitEthernet0/0/1\n#\n",
        [],
        policy,
    )
    assert plan.changes == [] and plan.fingerprint.startswith("sha256:")


def test_port_descriptions_map_ports_without_neighbour() -> None:
    from netsteward.tasks.ports.plan import Link, PeerIndex

    text = TEXT.replace(
        "hosts: {}",
        "hosts:\n  SW: {port_descriptions: {GigabitEthernet0/0/2: CONSOLE-SRV, GigabitEthernet0/0/3: X}}",
    )
    config = (
        "interface GigabitEthernet0/0/2\n description old\n stp edged-port enable\n loopback-detect enable\n#\n"
        "interface GigabitEthernet0/0/3\n#\nstp bpdu-protection\n"
    )
    plan = plan_device(
        Device("SW", "huawei_vrp", "access", "base"),
        config,
        [Link("GE0/0/3", "PEER", "GigabitEthernet0/0/9")],
        parse_policy(text),
        PeerIndex(platforms={"PEER": "huawei_vrp"}),
    )
    got = [(c.interface, c.kind, c.lines) for c in plan.changes]
    assert got == [
        ("GigabitEthernet0/0/2", "stale_description", ["description CONSOLE-SRV"]),
        # a port with a neighbour follows the template, whatever the map says
        ("GigabitEthernet0/0/3", "missing_description", ["description TO-PEER-GE0/0/9"]),
    ]
