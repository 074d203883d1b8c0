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

import pytest
from labtest import check_parses_like_sample, filled_fields, sample_commands, sample_records
from ntc_templates.parse import parse_output

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
        peer_config = offline_lab.state.device(end[0]).running_text()
        theirs = re.search(
            rf"^interface {re.escape(end[1])}\n(?: .*\n)*? ip address (\S+) (\S+)",
            peer_config,
            re.M,
        )
        if ours and theirs:
            return {
                "port": port,
                "peer": end[0],
                "peer_port": end[1],
                "fgt_ip": ours.group(1),
                "fgt_net": f"{ours.group(1)} {ours.group(2)}",
                "peer_ip": theirs.group(1),
            }
    raise LookupError(f"{host}: no cable to a huawei_vrp device")


def run_lines(offline_lab, host: str, lines: tuple[str, ...], link: dict[str, str]) -> None:
    if lines:
        filled = tuple(x.format(**link) for x in lines)
        offline_lab.run(host, filled[-1], filled[:-1])


def config_lines(offline_lab, host: str) -> list[str]:
    if offline_lab.state.specs[host].platform == PLATFORM:
        text = offline_lab.run(host, "show")
        return [x for x in text.splitlines() if not x.startswith("#")]
    text = offline_lab.run(host, "display current-configuration")
    return [x for x in text.splitlines()[2:] if x != "#"]


def command_line(command: str, link: dict[str, str]) -> str:
    return command.replace("port-name", link["port"]) if command == LLDP else command


def check_like_sample(offline_lab, host: str, command: str, link: dict[str, str]) -> None:
    if command != LLDP:
        check_parses_like_sample(offline_lab, PLATFORM, host, command, set())
        return
    # the sample is named after the template's `... details <port-name>`
    line = command_line(command, link)
    text = offline_lab.run(host, line)
    records = parse_output(platform=PLATFORM, command=line, data=text)
    assert records, text
    sample = sample_records(PLATFORM, command)
    assert set(records[0]) == set(sample[0])
    assert filled_fields(sample) <= filled_fields(records)


def test_every_command_is_configured_here() -> None:
    assert set(COMMANDS) == set(CONFIGURED)


@pytest.mark.parametrize("command", COMMANDS)
def test_configured_display_parses_like_the_real_sample(offline_lab, command: str) -> None:
    host = fgt_host(offline_lab)
    link = vrp_link(offline_lab, host)
    add, remove, peer_add, peer_remove = CONFIGURED[command]
    devices = [host, link["peer"]] if peer_add else [host]
    before = [config_lines(offline_lab, d) for d in devices]
    run_lines(offline_lab, link["peer"], peer_add, link)
    run_lines(offline_lab, host, add, link)
    try:
        check_like_sample(offline_lab, host, command, link)
    finally:
        run_lines(offline_lab, host, remove, link)
        run_lines(offline_lab, link["peer"], peer_remove, link)
    assert [config_lines(offline_lab, d) for d in devices] == before


@pytest.mark.parametrize("command", sorted(EMPTY))
def test_unconfigured_display_is_the_real_empty_state(offline_lab, command: str) -> None:
    host = fgt_host(offline_lab)
    line = command_line(command, vrp_link(offline_lab, host))
    assert offline_lab.run(host, line) == EMPTY[command]
