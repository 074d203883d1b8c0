"""Huawei VRP output of the lab, parsed with the ntc-templates TextFSM templates.

Every command with a real sample in networktocode/ntc-templates tests/huawei_vrp
that the lab implements must parse into non-empty records carrying the fields
the real sample carries (`engine_samples/huawei_vrp/<command>.yml`, copied from
networktocode/ntc-templates, Apache-2.0; see tests/NOTICE).
"""

from __future__ import annotations

import ipaddress

import pytest
from labtest import (
    Step,
    check_parses_like_sample,
    configure,
    configured,
    filled_fields,
    live_session,
    parsed,
    sample_commands,
    sample_records,
)
from ntc_templates.parse import parse_output

from netsteward.lab.dialects.bgp_common import addresses

PLATFORM = "huawei_vrp"
COMMANDS = sample_commands(PLATFORM)
ROLES = ("router", "core", "access", "firewall", "ips")
# fields the real sample fills only because of what that device was: its neighbour
# was an LLDP-MED endpoint with PoE and a voice policy; its trunk ran in manual mode
NOT_OURS = {
    "display lldp neighbor": {
        "hardware_revision",
        "location_format",
        "location_information",
        "manufacturer",
        "med_device_class",
        "media_policy_dscp",
        "media_policy_l2_priority",
        "media_policy_type",
        "media_policy_vlan_id",
        "model_name",
        "poe_pse_power_source",
        "port_available_power_value",
        "port_pse_priority",
        "power_type",
        "software_revision",
        "unknown_policy",
        "vlan_tagged",
    },
    "display eth-trunk": {"max_bandwidth_affected_linknumber"},
}


# tables learned from neighbours: empty on a device without any
NEEDS_NEIGHBOURS = {"display mac-address", "display arp all"}

# commands that show something only on some roles (a USG firewall has no numbered ACL,
# no VLANs on a router or firewall)
ONLY_ON = {
    "display acl all": {"router", "core", "access", "ips"},
    "display vlan brief": {"core", "access"},
    "display ip vpn-instance interface": {"ips"},  # the IPS binds its management port
    # an interface-view command with a question: test_virtual_cable_test_... below
    "virtual-cable-test": set(),
}

# displays of configuration the fleet does not start with: (role, lines that add it,
# lines that take it away again, so the shared offline lab is left as it was)
GE0 = ("system-view", "interface GigabitEthernet0/0/0")
NAT = (
    "nat server protocol tcp global current-interface 8443 inside 10.1.20.10 443",
    "nat server protocol udp global 100.64.1.2 1194 inside 10.1.20.11 1194",
)
CONFIGURED = {
    # configured at both ends of the router's first link to a VRP device (FAR_END there)
    "display bgp peer": (
        "router",
        (
            "system-view",
            "bgp 65010",
            "peer {far} as-number 65020",
            "peer 100.64.1.1 as-number 65000",
            "peer 10.9.9.9 as-number 65020",
        ),
        ("system-view", "undo bgp 65010"),
    ),
    "display traffic-filter applied-record": (
        "router",
        (*GE0, "traffic-filter inbound acl 2001", "traffic-filter outbound acl name EDGE-OUT"),
        (
            *GE0,
            "undo traffic-filter inbound acl 2001",
            "undo traffic-filter outbound acl name EDGE-OUT",
        ),
    ),
    "display nat server": ("router", (*GE0, *NAT), (*GE0, *(f"undo {x}" for x in NAT))),
    "display ip vpn-instance": (
        "router",
        ("system-view", "ip vpn-instance MGMT", "ipv4-family", "route-distinguisher 65010:1"),
        ("system-view", "undo ip vpn-instance MGMT"),
    ),
    "display mpls te tunnel": (
        "router",
        (
            "system-view",
            "mpls lsr-id 10.1.255.1",
            "mpls",
            "mpls te",
            "interface Tunnel1",
            "ip address unnumbered interface LoopBack0",
            "tunnel-protocol mpls te",
            "destination 10.1.255.5",
            "mpls te tunnel-id 1",
        ),
        ("system-view", "undo interface Tunnel1", "undo mpls te", "undo mpls", "undo mpls lsr-id"),
    ),
    # configured at both ends of the router's first link to a VRP device
    "display isis peer": (
        "router",
        ("system-view", "isis 1", "quit", "interface {port}", "isis enable 1"),
        ("system-view", "interface {port}", "undo isis enable 1", "quit", "undo isis 1"),
    ),
    "display ipv6 neighbors": (
        "router",
        (
            "system-view",
            "ipv6",
            "interface {port}",
            "ipv6 enable",
            "ipv6 address 2001:DB8:1::{n}/64",
        ),
        (
            "system-view",
            "interface {port}",
            "undo ipv6 address 2001:DB8:1::{n}/64",
            "undo ipv6 enable",
            "quit",
            "undo ipv6",
        ),
    ),
}
# WLAN: the core as a native AC (APs join through its CAPWAP source interface) and the
# service sets of the older AC syntax (netsteward.lab.dialects.huawei_vrp.wlan)
AP_ADD = (
    "system-view",
    "interface Vlanif100",
    "ip address 10.1.100.1 255.255.255.0",
    "quit",
    "capwap source interface Vlanif100",
    "wlan",
    "ap-group name F03-APS",
    "quit",
    "ap-id 0 type-id 60 ap-mac 00e0-fc12-3456 ap-sn 2102354DNS10L4000001",
    "ap-name F03-AP-01",
    "ap-group F03-APS",
    "quit",
    "ap-id 1 ap-type AirEngine5760-51 ap-sn 2102354DNS10L4000002",
)
AP_REMOVE = (
    "system-view",
    "wlan",
    "undo ap-id 0",
    "undo ap-id 1",
    "undo ap-group name F03-APS",
    "quit",
    "undo capwap source interface",
    "undo interface Vlanif100",
)
SET_ADD = (
    "system-view",
    "wlan",
    "traffic-profile name traf id 0",
    "quit",
    "security-profile name sec id 1",
    "quit",
    "service-set name OFFICE id 1",
    "wlan-bss 7",
    "ssid OFFICE-WIFI",
    "traffic-profile id 0",
    "security-profile id 1",
    "quit",
    "service-set name GUEST id 2",
    "ssid GUEST-WIFI",
    "user-isolate",
)
SET_REMOVE = (
    "system-view",
    "wlan",
    "undo service-set name OFFICE",
    "undo service-set name GUEST",
    "undo traffic-profile name traf",
    "undo security-profile name sec",
    "quit",
)
CONFIGURED["display ap all"] = ("core", AP_ADD, AP_REMOVE)
CONFIGURED["display service-set all"] = ("core", SET_ADD, SET_REMOVE)
CONFIGURED["display service-set id id"] = ("core", SET_ADD, SET_REMOVE)
# sample names whose typed line differs (the ntc-templates index takes any id)
SENT = {"display service-set id id": "display service-set id 1"}
BOTH_ENDS = {"display isis peer", "display ipv6 neighbors", "display bgp peer"}
# what the far end configures instead of the same lines: the BGP peer back to us
FAR_END = {
    "display bgp peer": (
        ("system-view", "bgp 65020", "peer {near} as-number 65010", "network {loop} 32"),
        ("system-view", "undo bgp 65020"),
    )
}
for _command, (_role, _, _) in CONFIGURED.items():
    ONLY_ON[_command] = {_role}

# what a role has in the fleet: routers no LAG; firewalls and the IPS neither LAGs nor LLDP
# neighbours (so no learned MAC or ARP entries of neighbours either)
LAG_ROLES = {"core", "access"}
NEIGHBOUR_ROLES = {"router", "core", "access"}


def needs_lag(command: str) -> bool:
    return "eth-trunk" in command or command == "display port vlan"


def needs_neighbours(command: str) -> bool:
    return "lldp" in command or command in NEEDS_NEIGHBOURS


def roles_showing(command: str) -> set[str]:
    """The roles on which `command` shows something in the fleet."""
    roles = set(ONLY_ON.get(command, ROLES))
    if needs_lag(command):
        roles &= LAG_ROLES
    if needs_neighbours(command):
        roles &= NEIGHBOUR_ROLES
    return roles


CASES = [(c, r) for c in COMMANDS for r in ROLES if r in roles_showing(c)]


def steps(offline_lab, host: str, command: str) -> list[Step]:
    """`command`'s configuration steps: on `host`, and on its first VRP neighbour too for
    `BOTH_ENDS` (`FAR_END`'s lines there if any; {port}: each end's port of that link,
    {n}: 1 here, 2 there, {near} / {far}: the link's addresses here / there, {loop}: the
    neighbour's LoopBack0 address)."""
    _, add, remove = CONFIGURED[command]
    ends = [(host, "", 1, add, remove)]
    where: dict[str, str] = {}
    if command in BOTH_ENDS:
        n = next(n for n in offline_lab.state.neighbors(host) if n.peer.platform == PLATFORM)
        mine, theirs = (
            addresses(PLATFORM, offline_lab.state.device(h).running_text())
            for h in (host, n.peer.name)
        )
        for key, ips, port in (("near", mine, n.local_port), ("far", theirs, n.peer_port)):
            where[key] = str(ips[port].ip) if port in ips else ""
        where["loop"] = str(theirs["LoopBack0"].ip) if "LoopBack0" in theirs else ""
        far_add, far_remove = FAR_END.get(command, (add, remove))
        ends = [
            (host, n.local_port, 1, add, remove),
            (n.peer.name, n.peer_port, 2, far_add, far_remove),
        ]
    return [
        (
            device,
            [x.format(port=port, n=number, **where) for x in lines_add],
            [x.format(port=port, n=number, **where) for x in lines_remove],
        )
        for device, port, number, lines_add, lines_remove in ends
    ]


@pytest.mark.parametrize(("command", "role"), CASES)
def test_output_parses_like_the_real_sample(offline_lab, command: str, role: str) -> None:
    host = offline_lab.first(PLATFORM, role, lag=needs_lag(command), lldp=needs_neighbours(command))
    if command not in CONFIGURED:
        check_parses_like_sample(offline_lab, PLATFORM, host, command, NOT_OURS.get(command, set()))
        return
    with configured(offline_lab, steps(offline_lab, host, command)):
        check_parses_like_sample(offline_lab, PLATFORM, host, command, set(), SENT.get(command))


def test_version_names_the_device(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "access")
    spec = offline_lab.state.specs[host]
    rec = parsed(offline_lab, host, "display version")[0]
    assert rec["model"].startswith(spec.model)
    assert spec.version in rec["product_version"]
    assert "Huawei Versatile Routing Platform Software" in offline_lab.run(host, "dis ver")


def test_lldp_both_ends_agree(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "access")
    recs = parsed(offline_lab, host, "display lldp neighbor")
    assert recs
    for rec in recs:
        peer = rec["neighbor_name"]
        peer_spec = offline_lab.state.specs[peer]
        back = offline_lab.run(
            peer,
            "display lldp neighbor-information list"
            if peer_spec.platform == "hp_comware"
            else "display lldp neighbor brief",
        )
        assert host in back
        assert rec["neighbor_port_id"] in {p.name for p in peer_spec.ports}


def test_running_config_has_a_live_header(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "core")
    text = offline_lab.run(host, "display current-configuration")
    lines = text.splitlines()
    assert lines[0].startswith("!Software Version")
    assert lines[1].startswith("!Last configuration was updated at ")
    assert lines[-1] == "return"
    assert offline_lab.state.device(host).spec.config.count("!Last configuration") <= 1


def test_unknown_command_gets_the_caret(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "access")
    text = offline_lab.run(host, "display bogus")
    caret, error = text.splitlines()[:2]
    assert error == "Error: Unrecognized command found at '^' position."
    assert caret.index("^") == len(f"<{host}>") + len("display ")


def test_snmp_community_is_shown_in_cipher_form(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "router")
    config = offline_lab.state.specs[host].config
    recs = parsed(offline_lab, host, "display snmp-agent community read")
    assert recs
    for rec in recs:
        assert rec["name"].startswith("%^%#") and rec["name"].endswith("%^%#")
        assert f"community read cipher {rec['name']}" in config


def test_routing_table_holds_the_configured_routes(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "router")
    recs = parsed(offline_lab, host, "display ip routing-table verbose")
    statics = [r for r in recs if r["protocol"] == "Static"]
    assert [r["destination"] for r in statics] == ["0.0.0.0/0"]
    assert f"ip route-static 0.0.0.0 0.0.0.0 {statics[0]['next_hop']}" in (
        offline_lab.state.specs[host].config
    )
    assert any(r["destination"].endswith("/32") and r["interface"] == "LoopBack0" for r in recs)


def test_vrp_only_displays_leave_comware_as_it_was(offline_lab) -> None:
    host = offline_lab.first("hp_comware", "access")
    caret, error = offline_lab.run(host, "display acl all").splitlines()[:2]
    assert error.strip().startswith("% Unrecognized command")
    assert caret.index("^") == len(f"<{host}>") + len("display ")
    assert "Brief information about all VLANs" in offline_lab.run(host, "display vlan brief")


def test_virtual_cable_test_parses_like_the_real_sample(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "access")
    device = offline_lab.state.device(host)
    session, _ = live_session(offline_lab, host)
    for line in ("system-view", "interface GigabitEthernet0/0/1"):
        session.run_exec(line)
    changed = device.spec.config, getattr(device, "changed_at", None)
    question = session._handle_line("virtual-cable-test")
    answer = session._handle_line("Y").replace("\r\n", "\n")
    assert answer.endswith(session.prompt)
    text = question.replace("\r\n", "\n") + "Y\n" + answer[: -len(session.prompt)]
    records = parse_output(platform=PLATFORM, command="virtual-cable-test", data=text)
    assert records, text
    sample = sample_records(PLATFORM, "virtual-cable-test")
    assert set(records[0]) == set(sample[0])
    assert filled_fields(sample) <= filled_fields(records)
    assert (device.spec.config, getattr(device, "changed_at", None)) == changed


# -- WLAN (netsteward.lab.dialects.huawei_vrp.wlan) ------------------------------------------------


def test_wlan_displays_without_configuration_show_the_empty_state(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "core")
    assert "\nwlan\n" not in offline_lab.run(host, "display current-configuration")
    assert offline_lab.run(host, "display ap all") == "Info: AP does not exist.\n"
    text = offline_lab.run(host, "display service-set all")
    assert text.splitlines()[-1] == "  Total: 0"
    assert parse_output(platform=PLATFORM, command="display service-set all", data=text) == []
    for line in ("display service-set id 1", "display service-set name OFFICE"):
        assert offline_lab.run(host, line) == "Info: The service-set does not exist.\n"


def test_aps_join_through_the_capwap_source_interface(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "core")
    with configured(offline_lab, [(host, AP_ADD, AP_REMOVE)]):
        recs = parsed(offline_lab, host, "display ap all")
        assert [(r["id"], r["name"], r["group"], r["type"], r["state"]) for r in recs] == [
            ("0", "F03-AP-01", "F03-APS", "AirEngine5760-10", "nor"),
            ("1", recs[1]["mac_address"], "default", "AirEngine5760-51", "nor"),
        ]
        assert recs[0]["mac_address"] == "00e0-fc12-3456"
        addresses = {ipaddress.IPv4Address(r["ip_address"]) for r in recs}
        assert len(addresses) == 2
        assert all(a in ipaddress.IPv4Network("10.1.100.0/24") for a in addresses)
        assert ipaddress.IPv4Address("10.1.100.1") not in addresses
        assert all(r["uptime"] for r in recs)
        # the source interface shut down: no AP can reach the AC
        down = ("system-view", "interface Vlanif100", "shutdown")
        with configured(offline_lab, [(host, down, (*down[:2], "undo shutdown"))]):
            text = offline_lab.run(host, "display ap all")
        idle = parse_output(platform=PLATFORM, command="display ap all", data=text)
        assert [(r["state"], r["ip_address"], r["uptime"]) for r in idle] == [("idle", "", "")] * 2
        assert "idle  : idle            [2]" in text.splitlines()
        assert [r["state"] for r in parsed(offline_lab, host, "display ap all")] == ["nor"] * 2


def test_aps_without_a_capwap_source_stay_idle(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "core")
    aps_only = ("system-view", *AP_ADD[AP_ADD.index("wlan") :])
    with configured(offline_lab, [(host, aps_only, AP_REMOVE[:6])]):
        recs = parsed(offline_lab, host, "display ap all")
        assert [(r["id"], r["state"], r["ip_address"], r["sta"]) for r in recs] == [
            ("0", "idle", "", "0"),
            ("1", "idle", "", "0"),
        ]
        # an AP added by serial number only has no MAC until it joins
        assert recs[1]["mac_address"] == "-"


def test_service_sets_show_their_bound_profiles(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "core")
    with configured(offline_lab, [(host, SET_ADD, SET_REMOVE)]):
        table = parsed(offline_lab, host, "display service-set all")
        assert [(r["id"], r["name"], r["ssid"]) for r in table] == [
            ("1", "OFFICE", "OFFICE-WIFI"),
            ("2", "GUEST", "GUEST-WIFI"),
        ]
        office = parsed(offline_lab, host, "display service-set id 1")
        assert office == parsed(offline_lab, host, "display service-set name OFFICE")
        assert (office[0]["traffic_profile_name"], office[0]["security_profile_name"]) == (
            "traf",
            "sec",
        )
        assert office[0]["wlan_bss_interface"] == "Wlan-bss7"
        assert office[0]["user_isolate"] == "disable"
        guest = parsed(offline_lab, host, "dis service-set id 2")[0]
        assert (guest["user_isolate"], guest["traffic_profile_name"]) == ("enable", "-")
        assert (guest["max_nb_user"], guest["forward_mode"]) == ("32", "direct-forward")


def test_an_emptied_wlan_view_leaves_no_trace(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "core")
    session, _ = live_session(offline_lab, host)
    for line in ("system-view", "wlan"):
        session.run_exec(line)
    assert session.prompt == f"[{host}-wlan-view]"
    session.run_exec("ap-group name F03-APS")
    assert session.prompt == f"[{host}-wlan-ap-group-F03-APS]"
    for line in ("quit", "undo ap-group name F03-APS"):
        session.run_exec(line)
    assert "\nwlan\n" in offline_lab.run(host, "display current-configuration")
    session.run_exec("quit")
    assert session.prompt == f"[{host}]"
    assert "\nwlan\n" not in offline_lab.run(host, "display current-configuration")


def test_wlan_displays_are_vrp_only(offline_lab) -> None:
    host = offline_lab.first("hp_comware", "access")
    for line in ("display ap all", "display service-set all", "display service-set id 1"):
        caret, error = offline_lab.run(host, line).splitlines()[:2]
        assert error.strip().startswith("% Unrecognized command")
        assert caret.index("^") == len(f"<{host}>") + len("display ")


def test_lines_of_upper_views_leave_the_wlan_sub_views(offline_lab) -> None:
    """A pasted block without `quit` lines builds the same wlan view as typed with them."""
    host = offline_lab.first(PLATFORM, "core")
    device = offline_lab.state.device(host)
    wlan_lines = [*AP_ADD[AP_ADD.index("wlan") + 1 :], *SET_ADD[SET_ADD.index("wlan") + 1 :]]
    typed = ("system-view", "wlan", *(x for x in wlan_lines))
    remove = (*SET_REMOVE[:-1], *AP_REMOVE[2:6])
    with configured(offline_lab, [(host, AP_ADD, AP_REMOVE), (host, SET_ADD, SET_REMOVE)]):
        wlan = device.running.section("wlan")
        assert wlan is not None
        expected = wlan.render_lines()
    assert [x for x in typed if x == "quit"], "the typed block has quit lines"
    pasted = tuple(x for x in typed if x != "quit")
    with configured(offline_lab, [(host, pasted, remove)]):
        wlan = device.running.section("wlan")
        assert wlan is not None
        assert wlan.render_lines() == expected
        # `ap-id 0` enters the AP configured with its MAC and serial number
        this = offline_lab.run(host, "display this", ("system-view", "wlan", "ap-id 0"))
        assert "  ap-name F03-AP-01" in this.splitlines()
        assert wlan.render_lines() == expected
        # a system-view line typed in a sub-view leaves the wlan view too
        offline_lab.run(
            host, "capwap source interface Vlanif100", ("system-view", "wlan", "ap-id 0")
        )
        assert device.running.section("capwap source interface Vlanif100") is not None
        configure(offline_lab, host, ("system-view", "undo capwap source interface"))


# -- labtest's running_config and configured() on every platform of the fleet -------------
