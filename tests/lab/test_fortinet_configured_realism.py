"""FortiGate routing, DHCP and LLDP displays of configuration the fleet does not start
with, parsed with the ntc-templates TextFSM templates.

Each test configures the feature through the FortiOS CLI as an engineer types it (and,
where the real protocol needs both ends, the cabled Huawei VRP peer too), checks the
display parses like the real sample (`engine_samples/fortinet/<command>.yml`, copied
from networktocode/ntc-templates, Apache-2.0; see tests/NOTICE), then removes the
configuration with the vendor's own `delete` / `unset` / `undo` lines and checks the
running configurations are back to what they were (the offline lab is shared).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from labtest import (
    check_parses_like_sample,
    configured,
    filled_fields,
    interface_address,
    parsed,
    sample_commands,
    sample_records,
    table_steps,
)

PLATFORM = "fortinet"
COMMANDS = sample_commands(PLATFORM)
LLDP = "diagnose lldprx port neighbor details port-name"  # the sample's name for `... PORT`

ROUTE_MAP = ("config router route-map", 'edit "FROM-CORE"', "next", "end")
NO_ROUTE_MAP = ("config router route-map", 'delete "FROM-CORE"', "end")
BGP = (
    *ROUTE_MAP,
    "config router bgp",
    "set as 65040",
    "set router-id 10.1.255.40",
    "config neighbor",
    'edit "{peer_ip}"',
    "set remote-as 65010",
    'set route-map-in "FROM-CORE"',
    "next",
)
NO_BGP = ("config router bgp", "config neighbor", 'delete "{peer_ip}"')
NO_BGP_END = ("end", "unset as", "unset router-id", "end", *NO_ROUTE_MAP)
# the VRP peer: BGP towards the FortiGate's address on the cable, one network announced
PEER_BGP = (
    "system-view",
    "bgp 65010",
    "peer {fgt_ip} as-number 65040",
    "network 10.1.0.0 255.255.0.0",
)
PEER_NO_BGP = ("system-view", "undo bgp 65010")
STAFF_VLAN = (
    "config system interface",
    'edit "STAFF"',
    'set vdom "root"',
    "set ip 10.1.50.1 255.255.255.0",
    'set interface "{port}"',
    "set vlanid 50",
    "next",
    "end",
)

# command -> (FortiGate lines that add the feature, FortiGate lines that remove it,
#             peer lines that add, peer lines that remove); "{port}" is the FortiGate's
# port cabled to a VRP device, "{fgt_ip}" its address, "{peer_ip}" the peer's address
CONFIGURED: dict[str, tuple[tuple[str, ...], ...]] = {
    "get router info bgp summary": (
        (*BGP, 'edit "203.0.113.9"', "set remote-as 65030", "next", "end", "end"),
        (*NO_BGP, 'delete "203.0.113.9"', *NO_BGP_END),
        PEER_BGP,
        PEER_NO_BGP,
    ),
    "get router info bgp neighbors": (
        (*BGP, "end", "end"),
        (*NO_BGP, *NO_BGP_END),
        PEER_BGP,
        PEER_NO_BGP,
    ),
    # the fleet's VRP routers and cores already run OSPF over their links
    "get router info ospf status": (
        (
            "config router ospf",
            "set router-id 10.1.255.40",
            "config area",
            "edit 0.0.0.0",
            "next",
            "end",
            "config network",
            "edit 1",
            "set prefix {fgt_net}",
            "next",
            "end",
            "end",
        ),
        (
            "config router ospf",
            "config area",
            "delete 0.0.0.0",
            "end",
            "config network",
            "delete 1",
            "end",
            "unset router-id",
            "end",
        ),
        (),
        (),
    ),
    "execute dhcp lease-list": (
        (
            *STAFF_VLAN,
            "config system dhcp server",
            "edit 1",
            "set default-gateway 10.1.50.1",
            "set netmask 255.255.255.0",
            'set interface "STAFF"',
            "config ip-range",
            "edit 1",
            "set start-ip 10.1.50.100",
            "set end-ip 10.1.50.199",
            "next",
            "end",
            "next",
            "end",
        ),
        (
            "config system dhcp server",
            "delete 1",
            "end",
            "config system interface",
            'delete "STAFF"',
            "end",
        ),
        (),
        (),
    ),
    LLDP: (
        (
            "config system interface",
            'edit "{port}"',
            "set lldp-reception enable",
            "next",
            "end",
        ),
        ("config system interface", 'edit "{port}"', "unset lldp-reception", "next", "end"),
        (),
        (),
    ),
}

# what each display prints with the feature unconfigured (as the real empty sample of
# `get router info bgp neighbors` does: nothing at all)
EMPTY = {command: "" for command in CONFIGURED}


def fgt_host(offline_lab) -> str:
    return offline_lab.first(PLATFORM, "firewall")


def vrp_link(offline_lab, host: str) -> dict[str, str]:
    """The FortiGate's first cable to a Huawei VRP device, with both ends' addresses."""
    fgt_config = offline_lab.state.device(host).running_text()
    for cable in offline_lab.state.cables:
        end = cable.other_end(host, cable.a_port if cable.a == host else cable.b_port)
        if end is None or offline_lab.state.specs[end[0]].platform != "huawei_vrp":
            continue
        port = cable.a_port if cable.a == host else cable.b_port
        ours = re.search(rf'edit "{port}"\n(?:\s+set .*\n)*?\s+set ip (\S+) (\S+)', fgt_config)
        theirs = interface_address(offline_lab.state.device(end[0]).running_text(), end[1])
        if ours and theirs:
            return {
                "port": port,
                "peer": end[0],
                "peer_port": end[1],
                "fgt_ip": ours.group(1),
                "fgt_net": f"{ours.group(1)} {ours.group(2)}",
                "peer_ip": theirs[0],
            }
    raise LookupError(f"{host}: no cable to a huawei_vrp device")


def command_line(command: str, link: dict[str, str]) -> str:
    return command.replace("port-name", link["port"]) if command == LLDP else command


def check_like_sample(offline_lab, host: str, command: str, link: dict[str, str]) -> None:
    if command != LLDP:
        check_parses_like_sample(offline_lab, PLATFORM, host, command, set())
        return
    # the sample is named after the template's `... details <port-name>`; every field it
    # fills somewhere, the lab fills somewhere too
    line = command_line(command, link)
    records = check_parses_like_sample(offline_lab, PLATFORM, host, command, set(), line)
    assert filled_fields(sample_records(PLATFORM, command)) <= filled_fields(records)


def test_every_command_is_configured_here() -> None:
    assert set(COMMANDS) == set(CONFIGURED)


@pytest.mark.parametrize("command", COMMANDS)
def test_configured_display_parses_like_the_real_sample(offline_lab, command: str) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    with configured(offline_lab, table_steps(CONFIGURED[command], host, link["peer"]), link):
        check_like_sample(offline_lab, host, command, link)


@pytest.mark.parametrize("command", sorted(EMPTY))
def test_unconfigured_display_is_the_real_empty_state(offline_lab, command: str) -> None:
    host = fgt_host(offline_lab)
    line = command_line(command, vrp_link(offline_lab, host))
    assert offline_lab.run(host, line) == EMPTY[command]


def test_bgp_neighbour_is_established_only_with_both_ends(offline_lab) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    summary = "get router info bgp summary"
    peer_step, host_step = table_steps(CONFIGURED[summary], host, link["peer"])
    # the peer expects another AS of us: the OPEN is refused, the FortiGate keeps trying
    wrong_as = (link["peer"], (*PEER_BGP[:2], "peer {fgt_ip} as-number 65099"), PEER_NO_BGP)
    with configured(offline_lab, [host_step], link):
        alone = {r["bgp_neigh"]: r for r in parsed(offline_lab, host, summary)}
        with configured(offline_lab, [wrong_as], link):
            half = parsed(offline_lab, host, summary)
        with configured(offline_lab, [peer_step], link):
            both = {r["bgp_neigh"]: r for r in parsed(offline_lab, host, summary)}
            # (one neighbour: the template knows Established sessions only)
            (detail,) = parsed(
                offline_lab, host, f"get router info bgp neighbors {link['peer_ip']}"
            )
    peer = link["peer_ip"]
    # cabled, but nobody answers on port 179
    assert (alone[peer]["state_pfxrcd"], alone[peer]["up_down"]) == ("Active", "never")
    assert {r["bgp_neigh"]: r["state_pfxrcd"] for r in half}[peer] == "Active"
    assert both[peer]["state_pfxrcd"] == "1"  # the peer's one `network` line
    assert both[peer]["neigh_as"] == "65010"
    assert re.fullmatch(r"\d\d:\d\d:\d\d", str(both[peer]["up_down"]))
    assert both["203.0.113.9"]["state_pfxrcd"] == "Idle"  # outside the lab
    assert (detail["neighbor"], detail["local_asn"], detail["bgp_state"]) == (
        peer,
        "65040",
        "Established",
    )
    assert (detail["localhost_ip"], detail["nexthop_interface"]) == (link["fgt_ip"], link["port"])
    assert detail["inbound_routemap"] == ["*FROM-CORE"]
    assert detail["accepted_prefixes"] == ["1", "0"]
    peer_config = offline_lab.state.device(link["peer"]).running_text()
    loopback = re.search(r"^interface LoopBack0\n ip address (\S+)", peer_config, re.M)
    assert loopback and detail["remote_router_id"] == loopback.group(1)


def test_bgp_neighbour_that_is_not_up_is_printed_without_up_time(offline_lab) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    with configured(
        offline_lab, table_steps(CONFIGURED["get router info bgp neighbors"], host), link
    ):
        text = offline_lab.run(host, "get router info bgp neighbors")
        one = offline_lab.run(host, "get router info bgp neighbors 203.0.113.77")
    assert f"BGP neighbor is {link['peer_ip']}, remote AS 65010, local AS 65040" in text
    # cabled, but the peer runs no BGP: Active, no up time, no TCP connection
    assert "  BGP state = Active\n" in text and "Local host:" not in text
    assert one == "% No neighbor exist\n"


def test_ospf_counts_the_interfaces_and_adjacent_peers_in_its_networks(offline_lab) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    with configured(
        offline_lab, table_steps(CONFIGURED["get router info ospf status"], host), link
    ):
        (rec,) = parsed(offline_lab, host, "get router info ospf status")
        shown = offline_lab.run(host, "show router ospf")
    assert (rec["process_id"], rec["process_status"]) == ("10.1.255.40", "up")
    assert rec["attached_area"] == ["0.0.0.0 (BACKBONE)"]
    # the one interface in the network, its link up, its VRP peer running OSPF on it
    assert rec["attached_area_interfaces"] == ["1(1)"]
    assert rec["attached_area_fully_adjacent_neighbors"] == ["1"]
    assert "        edit 0.0.0.0\n" in shown  # areas are not quoted, as FortiOS shows them


def test_dhcp_leases_follow_the_configured_range_and_the_clock(offline_lab) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    with configured(offline_lab, table_steps(CONFIGURED["execute dhcp lease-list"], host), link):
        records = parsed(offline_lab, host, "execute dhcp lease-list")
        again = parsed(offline_lab, host, "execute dhcp lease-list")
        other = offline_lab.run(host, "execute dhcp lease-list port9")
        offline_lab.run(
            host, "end", ("config system dhcp server", "edit 1", "set status disable", "next")
        )
        disabled = offline_lab.run(host, "execute dhcp lease-list")
    assert 2 <= len(records) <= 5
    assert [r["ip"] for r in records] == [f"10.1.50.{100 + i}" for i in range(len(records))]
    assert {r["interface"] for r in records} == {"STAFF"}
    assert records == again
    assert len({r["mac_address"] for r in records}) == len(records)
    now = datetime.now()
    for rec in records:
        expiry = datetime.strptime(" ".join(str(rec["expiry"]).split()), "%a %b %d %H:%M:%S %Y")
        assert now + timedelta(days=3.5, minutes=-1) <= expiry <= now + timedelta(days=7, minutes=1)
    assert other == "" and disabled == ""


def test_lldp_reception_lists_the_cabled_peer(offline_lab) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    line = command_line(LLDP, link)
    with configured(offline_lab, table_steps(CONFIGURED[LLDP], host), link):
        (rec,) = parsed(offline_lab, host, line)
        offline_lab.state.set_unplugged(link["peer"], True)
        try:
            unplugged = offline_lab.run(host, line)
        finally:
            offline_lab.state.set_unplugged(link["peer"], False)
    peer = offline_lab.state.specs[link["peer"]]
    assert (rec["port_txt"], rec["system_name_data"], rec["port_id_data"]) == (
        link["port"],
        link["peer"],
        link["peer_port"],
    )
    assert rec["chassis_data"] == ":".join(re.findall("..", re.sub("[^0-9a-f]", "", peer.mac)))
    description = offline_lab.state.device(link["peer"]).interface_description(link["peer_port"])
    assert rec["port_desc_data"] == (description or link["peer_port"])
    assert unplugged == ""


def test_lldp_on_an_unknown_port_is_a_parse_error(offline_lab) -> None:
    text = offline_lab.run(fgt_host(offline_lab), "diagnose lldprx port neighbor details port99")
    assert "command parse error before 'port99'" in text


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (5 * 3600 + 48 * 60 + 47, "05:48:47"),  # the up times of the real sample
        (4 * 86400 + 14 * 3600 + 28 * 60 + 5, "4d14h28m"),
        (66 * 86400 + 3600 + 59, "09w3d01h"),
        (0, "00:00:00"),
    ],
)
def test_bgp_up_time_is_spelled_as_fortios_does(seconds: int, shown: str) -> None:
    from netsteward.lab.dialects.fortinet.routing import fortios_age

    assert fortios_age(seconds) == shown
