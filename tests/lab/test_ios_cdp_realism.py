"""Cisco IOS CDP output of the lab, parsed with the ntc-templates TextFSM templates.

The C2960X access switches run CDP by default; their only neighbours are H3C
Comware switches, which send CDP only with `lldp compliance cdp` (system view) and
`lldp compliance admin-status cdp txrx` on the port.  The tests configure those
through the Comware CLI, check that `show cdp neighbors [detail]` parses like the
real samples (`engine_samples/cisco_ios/<command>.yml`, copied from
networktocode/ntc-templates, Apache-2.0; see tests/NOTICE) and carries what the
peer's configuration says, then undo the lines and check both configurations are
back as they were (the offline lab is shared by the whole test session).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from labtest import (
    Step,
    check_parses_like_sample,
    configured,
    parsed,
    running_config,
    sample_commands,
    sample_records,
)
from ntc_templates.parse import parse_output

PLATFORM = "cisco_ios"
COMMANDS = ("show cdp neighbors", "show cdp neighbors detail")
COMWARE_GLOBAL = "lldp compliance cdp"
COMWARE_PORT = "lldp compliance admin-status cdp txrx"


def test_every_copied_sample_is_exercised() -> None:
    assert set(sample_commands(PLATFORM)) == set(COMMANDS)


@pytest.fixture
def cabled(offline_lab: Any) -> Iterator[tuple[str, Any]]:
    """An IOS access switch and its first Comware neighbour (both configurations are
    compared before and after the test)."""
    host = offline_lab.first(PLATFORM, "access", lldp=True)
    link = next(n for n in offline_lab.state.neighbors(host) if n.peer.platform == "hp_comware")
    before = {h: running_config(offline_lab, h) for h in (host, link.peer.name)}
    yield host, link
    assert {h: running_config(offline_lab, h) for h in before} == before


def comware_cdp(peer: str, ports: list[str]) -> list[Step]:
    """The steps that turn a Comware switch's CDP compatibility on (system view and each of
    `ports`) and off again, through its CLI."""
    on = [("system-view", COMWARE_GLOBAL)] + [
        ("system-view", f"interface {port}", COMWARE_PORT) for port in ports
    ]
    return [(peer, lines, (*lines[:-1], f"undo {lines[-1]}")) for lines in on]


def test_the_comware_lines_are_stored_and_undone(offline_lab: Any, cabled: Any) -> None:
    _, link = cabled
    with configured(offline_lab, comware_cdp(link.peer.name, [link.peer_port])):
        config = offline_lab.run(link.peer.name, "display current-configuration")
        assert f" {COMWARE_GLOBAL}\n" in config
        section = config.split(f"interface {link.peer_port}\n", 1)[1].split("#", 1)[0]
        assert f" {COMWARE_PORT}\n" in section


def test_the_fleet_as_generated_has_no_cdp_neighbours(offline_lab: Any, cabled: Any) -> None:
    host, _ = cabled
    text = offline_lab.run(host, "show cdp neighbors")
    assert text.startswith("Capability Codes: R - Router, T - Trans Bridge")
    assert text.splitlines()[4].startswith("Device ID        Local Intrfce     Holdtme")
    assert text.rstrip().endswith("Total cdp entries displayed : 0")
    assert parsed(offline_lab, host, "show cdp neighbors") == []
    detail = offline_lab.run(host, "show cdp neighbors detail")
    assert detail.strip() == "Total cdp entries displayed : 0"
    assert "cdp" not in offline_lab.run(host, "show running-config")


@pytest.mark.parametrize("command", COMMANDS)
def test_output_parses_like_the_real_sample(offline_lab: Any, cabled: Any, command: str) -> None:
    host, link = cabled
    with configured(offline_lab, comware_cdp(link.peer.name, [link.peer_port])):
        check_parses_like_sample(offline_lab, PLATFORM, host, command, set())
        records = parsed(offline_lab, host, command)
    assert len(records) == 1
    rec = records[0]
    assert rec["neighbor_name"] == link.peer.name
    assert rec["neighbor_interface"] == link.peer_port
    assert link.peer.model.startswith(rec["platform"])
    assert set(rec) == set(sample_records(PLATFORM, command)[0])
    if command.endswith("detail"):
        assert rec["local_interface"] == link.local_port
        assert link.peer.version in rec["neighbor_description"]
        assert rec["capabilities"] == "Router Switch"
        # the peer's lowest permitted VLAN with an address: the first `port trunk permit`
        peer_config = offline_lab.run(link.peer.name, "display current-configuration")
        port = peer_config.split(f"interface {link.peer_port}\n", 1)[1].split("#", 1)[0]
        permit = next(x for x in port.splitlines() if x.startswith(" port trunk permit vlan "))
        vlan = permit.split()[4]
        vlanif = peer_config.split(f"interface Vlan-interface{vlan}\n", 1)[1].split("#", 1)[0]
        assert f" ip address {rec['mgmt_address']} " in vlanif
    else:
        assert rec["local_interface"] == "Ten " + link.local_port.removeprefix("TenGigabitEthernet")
        assert rec["capabilities"] == "R S"


def test_one_comware_line_alone_sends_no_cdp(offline_lab: Any, cabled: Any) -> None:
    host, link = cabled
    with configured(offline_lab, comware_cdp(link.peer.name, [])):
        assert parsed(offline_lab, host, "show cdp neighbors") == []


def test_no_cdp_run_turns_cdp_off_and_is_shown(offline_lab: Any, cabled: Any) -> None:
    host, link = cabled
    with configured(offline_lab, comware_cdp(link.peer.name, [link.peer_port])):
        offline_lab.run(host, "no cdp run", ("configure terminal",))
        running = offline_lab.run(host, "show running-config").splitlines()
        at = running.index("no cdp run")
        assert running[at - 1 : at + 3] == ["!", "no cdp run", "!", "lldp run"]
        for command in COMMANDS:
            assert offline_lab.run(host, command) == "% CDP is not enabled\n"
        offline_lab.run(host, "cdp run", ("configure terminal",))
        assert len(parsed(offline_lab, host, "show cdp neighbors")) == 1


def test_no_cdp_enable_hides_the_neighbour_on_that_port(offline_lab: Any, cabled: Any) -> None:
    host, link = cabled
    interface = ("configure terminal", f"interface {link.local_port}")
    with configured(offline_lab, comware_cdp(link.peer.name, [link.peer_port])):
        offline_lab.run(host, "no cdp enable", interface)
        shown = offline_lab.run(host, f"show running-config interface {link.local_port}")
        assert " no cdp enable\n" in shown
        assert parsed(offline_lab, host, "show cdp neighbors") == []
        offline_lab.run(host, "cdp enable", interface)
        assert len(parsed(offline_lab, host, "show cdp neighbors detail")) == 1


def test_interface_filter_and_a_bad_name(offline_lab: Any, cabled: Any) -> None:
    host, link = cabled
    other = next(
        n.local_port for n in offline_lab.state.neighbors(host) if n.local_port != link.local_port
    )
    with configured(offline_lab, comware_cdp(link.peer.name, [link.peer_port])):
        mine = parsed(
            offline_lab,
            host,
            f"show cdp neighbors {link.local_port} detail",
            "show cdp neighbors detail",
        )
        assert [r["neighbor_name"] for r in mine] == [link.peer.name]
        text = offline_lab.run(host, f"show cdp neighbors {other}")
        assert text.rstrip().endswith("Total cdp entries displayed : 0")
    caret, error = offline_lab.run(host, "show cdp neighbors bogus").splitlines()[:2]
    assert error == "% Invalid input detected at '^' marker."
    assert caret.index("^") == len(f"{host}#") + len("show cdp neighbors ")


def test_every_ios_switch_lists_each_uplink_once_all_peers_send_cdp(offline_lab: Any) -> None:
    fleet = offline_lab.state.fleet.devices
    switches = [d.name for d in fleet if d.platform == PLATFORM]
    specs = offline_lab.state.specs  # (phones and access points on its ports send no CDP)
    links = {
        h: [n for n in offline_lab.state.neighbors(h) if n.peer.name in specs] for h in switches
    }
    peer_ports: dict[str, list[str]] = {}
    for neighbours in links.values():
        for n in neighbours:
            peer_ports.setdefault(n.peer.name, []).append(n.peer_port)
    assert peer_ports, "the fleet's IOS switches have neighbours"
    steps = [step for peer, ports in peer_ports.items() for step in comware_cdp(peer, ports)]
    with configured(offline_lab, steps):
        for host, neighbours in links.items():
            for command in COMMANDS:
                got = [
                    (r["neighbor_name"], r["neighbor_interface"])
                    for r in parsed(offline_lab, host, command)
                ]
                assert got == [(n.peer.name, n.peer_port) for n in neighbours], (host, command)


COMWARE_PORT_CASES = [
    ([], (1, {1})),
    (["port access vlan 30"], (30, {30})),
    (
        [
            "port link-type trunk",
            "undo port trunk permit vlan 1",
            "port trunk permit vlan 10 20 to 22",
            "port trunk pvid vlan 20",
        ],
        (20, {10, 20, 21, 22}),
    ),
    (["port link-type hybrid", "port hybrid vlan 5 7 untagged"], (1, {1, 5, 7})),
]


@pytest.mark.parametrize(("lines", "expected"), COMWARE_PORT_CASES)
def test_comware_port_vlans_follow_the_port_lines(lines: list[str], expected: Any) -> None:
    from netsteward.lab.dialects.cisco_ios.cdp import comware_port_vlans
    from netsteward.lab.engine.configtree import ConfigTree

    text = "\n".join(["interface GigabitEthernet1/0/1", *(f" {x}" for x in lines)])
    section = ConfigTree.parse(text + "\n").section("interface GigabitEthernet1/0/1")
    assert comware_port_vlans(section) == expected


def test_the_address_is_the_lowest_permitted_vlan_interface_that_is_up() -> None:
    from netsteward.lab.dialects.cisco_ios.cdp import comware_port_address
    from netsteward.lab.engine.configtree import ConfigTree

    tree = ConfigTree.parse(
        "interface Vlan-interface5\n shutdown\n ip address 10.0.5.1 255.255.255.0\n#\n"
        "interface Vlan-interface7\n description none\n#\n"
        "interface Vlan-interface9\n ip address 10.0.9.1 255.255.255.0\n#\n"
        "interface Vlan-interface11\n ip address 10.0.11.1 255.255.255.0\n#\n"
    )
    assert comware_port_address(tree, {11, 9, 7, 5}) == "10.0.9.1"
    assert comware_port_address(tree, {5, 7}) == ""


def test_a_long_device_id_gets_a_line_of_its_own() -> None:
    from netsteward.lab.dialects.cisco_ios.cdp import CdpEntry, show_cdp_neighbors

    entry = CdpEntry(
        device_id="YM-EGOV-INTRANET-AGG-01",
        local_port="GigabitEthernet1/0/52",
        holdtime=97,
        capabilities=("Switch",),
        platform="S5130S-52S-EI",
        port_id="GigabitEthernet1/0/48",
        address="",
        version="",
        native_vlan=1,
    )
    text = show_cdp_neighbors([entry])
    assert "\nYM-EGOV-INTRANET-AGG-01\n                 Gig 1/0/52        97 " in text
    records = parse_output(platform=PLATFORM, command="show cdp neighbors", data=text)
    assert records == [
        {
            "neighbor_name": "YM-EGOV-INTRANET-AGG-01",
            "local_interface": "Gig 1/0/52",
            "capabilities": "S",
            "platform": "S5130S-52",
            "neighbor_interface": "GigabitEthernet1/0/48",
        }
    ]
