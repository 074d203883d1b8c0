"""H3C Comware 7 output of the lab, parsed with the ntc-templates TextFSM templates.

Every command with a real sample in networktocode/ntc-templates tests/hp_comware
that the lab implements must parse into non-empty records carrying the fields
the real sample carries (`engine_samples/hp_comware/<command>.yml`, copied from
networktocode/ntc-templates, Apache-2.0; see tests/NOTICE).  The routing displays the
fleet does not configure (BGP peers, VPN instances, route policies) are configured
through the CLI first and taken away again (`CONFIGURED`), as in test_vrp_realism.py.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from labtest import (
    check_parses_like_sample,
    configure,
    configured,
    live_session,
    parsed,
    running_config,
    sample_commands,
)
from ntc_templates.parse import parse_output

from netsteward.lab.dialects.hp_comware.extra import config_addresses

PLATFORM = "hp_comware"
# sample name -> the line a person types (the corpus folder names `in`/`out`bound as `bound`)
SENT = {"display counters bound interface": "display counters inbound interface"}
ROLES = ("aggregation", "access")
NOT_OURS: dict[str, set[str]] = {}


# tables learned from neighbours: empty on a device without any
NEEDS_NEIGHBOURS = {"display mac-address", "display arp"}

# displays of configuration the fleet does not start with (netsteward.lab.dialects.hp_comware.routing):
# (role, lines that add it, lines that take it away again, so the shared offline lab is left
# as it was).  {far}/{near}: the addresses at the two ends of the aggregation switch's first
# routed link to a VRP core, {loop}: the core's LoopBack0 address.
VPN_ADD = (
    "system-view",
    "ip vpn-instance vpn1",
    "route-distinguisher 65020:1",
    "description Building management",
    "vpn-target 65020:1 export-extcommunity",
    "vpn-target 65020:1 65010:1 import-extcommunity",
    "import route-policy VPN1-IN",
    "export route-policy VPN1-OUT",
    "tnl-policy TNL1",
    "routing-table limit 600 simply-alert",
    "address-family ipv6",
    "vpn-target 65020:6 export-extcommunity",
    "vpn-target 65020:6 import-extcommunity",
    "import route-policy VPN1-IN6",
    "export route-policy VPN1-OUT6",
    "tnl-policy TNL1",
    "routing-table limit 600 simply-alert",
    "quit",
    "quit",
    "ip vpn-instance vpn2",
    "quit",
    "interface LoopBack10",
    "ip binding vpn-instance vpn1",
    "interface LoopBack11",
    "ip binding vpn-instance vpn1",
    "interface LoopBack12",
    "ip binding vpn-instance vpn1",
)
VPN_REMOVE = (
    "system-view",
    "undo interface LoopBack10",
    "undo interface LoopBack11",
    "undo interface LoopBack12",
    "undo ip vpn-instance vpn1",
    "undo ip vpn-instance vpn2",
)
CONFIGURED = {
    "display bgp peer ipv4": (
        "aggregation",
        (
            "system-view",
            "bgp 65020",
            "peer {far} as-number 65010",
            "peer 203.0.113.1 as-number 65030",
            "peer {second} as-number 65010",
            "address-family ipv4 unicast",
            "peer {far} enable",
            "peer 203.0.113.1 enable",
            "peer {second} enable",
        ),
        ("system-view", "undo bgp 65020"),
    ),
    "display ip vpn-instance": ("aggregation", VPN_ADD, VPN_REMOVE),
    "display ip vpn-instance instance-name": ("aggregation", VPN_ADD, VPN_REMOVE),
    "display route-policy": (
        "aggregation",
        (
            "system-view",
            "route-policy UPLINK-OUT permit node 10",
            "if-match ip address prefix-list LOCAL-NETS",
            "apply community 65020:100",
            "apply local-preference 200",
            "quit",
            "route-policy UPLINK-OUT deny node 99",
            "quit",
            "route-policy UPLINK-IN permit node 10",
            "if-match cost 10",
            "if-match ip address prefix-list DEFAULT",
        ),
        ("system-view", "undo route-policy UPLINK-OUT", "undo route-policy UPLINK-IN"),
    ),
}
# the far end of a BGP session (a VRP core): the lines it needs and takes away again
BOTH_ENDS = {
    "display bgp peer ipv4": (
        ("system-view", "bgp 65010", "peer {near} as-number 65020", "network {loop} 32"),
        ("system-view", "undo bgp 65010"),
    )
}
TYPED = {"display ip vpn-instance instance-name": "display ip vpn-instance instance-name vpn1"}
COMMANDS = [c for c in sample_commands(PLATFORM) if c not in SENT]


def addresses(offline_lab, host: str) -> dict[str, ipaddress.IPv4Interface]:
    return dict(config_addresses(offline_lab.state.device(host).running_text()))


def core_link(offline_lab, host: str) -> tuple[str, dict[str, str]]:
    """The VRP core at the end of `host`'s first routed link, and the addresses to use."""
    mine = addresses(offline_lab, host)
    links = [
        n
        for n in offline_lab.state.neighbors(host)
        if n.peer.role == "core" and n.local_port in mine
    ]
    first, second = links[0], links[1]
    theirs = addresses(offline_lab, first.peer.name)
    where = {
        "near": str(mine[first.local_port].ip),
        "far": str(theirs[first.peer_port].ip),
        "second": str(addresses(offline_lab, second.peer.name)[second.peer_port].ip),
        "loop": str(theirs["LoopBack0"].ip),
    }
    return first.peer.name, where


# a configured display is tried on the role it is configured on
CASES = [(c, r) for c in COMMANDS for r in ROLES if c not in CONFIGURED or r == CONFIGURED[c][0]]


@pytest.mark.parametrize(("command", "role"), CASES)
def test_output_parses_like_the_real_sample(offline_lab, command: str, role: str) -> None:
    host = offline_lab.first(
        PLATFORM,
        role,
        lag="link-aggregation" in command,
        lldp="lldp" in command or command in NEEDS_NEIGHBOURS,
    )
    if command not in CONFIGURED:
        check_parses_like_sample(offline_lab, PLATFORM, host, command, NOT_OURS.get(command, set()))
        return
    with command_configured(offline_lab, command, host):
        not_ours = NOT_OURS.get(command, set())
        check_parses_like_sample(offline_lab, PLATFORM, host, command, not_ours, TYPED.get(command))


@contextmanager
def command_configured(offline_lab, command: str, host: str) -> Iterator[dict[str, str]]:
    """`command`'s configuration on `host` (and the far end) for the duration (labtest's
    `configured`).  Yields the addresses of `core_link`."""
    _, add, remove = CONFIGURED[command]
    core, where = core_link(offline_lab, host)
    steps = [(host, add, remove)]
    if command in BOTH_ENDS:
        steps.append((core, *BOTH_ENDS[command]))
    with configured(offline_lab, steps, where):
        yield where


def bgp_peers(offline_lab, host: str) -> dict[str, dict[str, str]]:
    return {r["peer"]: r for r in parsed(offline_lab, host, "display bgp peer ipv4")}


def test_bgp_peer_state_follows_the_far_end(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    with command_configured(offline_lab, "display bgp peer ipv4", host) as where:
        peers = bgp_peers(offline_lab, host)
        core, _ = core_link(offline_lab, host)
        # the core configures us back and announces its loopback
        assert peers[where["far"]]["state"] == "Established"
        assert peers[where["far"]]["prefixes_received"] == "1"
        assert int(peers[where["far"]]["messages_received"]) > 0
        assert peers[where["far"]]["local_router_id"] == str(
            addresses(offline_lab, host)["LoopBack0"].ip
        )
        # the second core runs no BGP: reachable, refused; 203.0.113.1 is on no subnet of ours
        assert peers[where["second"]]["state"] == "Active"
        assert peers["203.0.113.1"]["state"] == "Idle"
        unicast = parsed(offline_lab, host, "dis bgp peer ipv4 unicast", "display bgp peer ipv4")
        assert {r["peer"]: r["state"] for r in unicast} == {p: r["state"] for p, r in peers.items()}
        assert "Unrecognized command" in offline_lab.run(host, "display bgp peer ipv4 vpnv4")
        assert {p["prefixes_received"] for p in peers.values() if p["state"] != "Established"} == {
            "0"
        }
        # a peer line with the wrong AS on the core: the session does not come up
        wrong = ("system-view", "bgp 65010", "undo peer {near}", "peer {near} as-number 65099")
        configure(offline_lab, core, wrong, where)
        assert bgp_peers(offline_lab, host)[where["far"]]["state"] == "Active"
        right = ("system-view", "bgp 65010", "undo peer {near}", "peer {near} as-number 65020")
        configure(offline_lab, core, right, where)
        assert bgp_peers(offline_lab, host)[where["far"]]["state"] == "Established"


def test_bgp_session_up_within_a_day_shows_the_low_uptime_layout(offline_lab) -> None:
    """The real sample's low-uptime variant: `08:30:47` instead of `0286h47m`."""
    host = offline_lab.first(PLATFORM, "aggregation")
    with command_configured(offline_lab, "display bgp peer ipv4", host) as where:
        long = bgp_peers(offline_lab, host)[where["far"]]["up_down"]
        core, _ = core_link(offline_lab, host)
        devices = [offline_lab.state.device(d) for d in (host, core)]
        booted = [d.boot_time for d in devices]
        try:
            for d in devices:
                d.boot_time = datetime.now() - timedelta(hours=8, minutes=30, seconds=47)
            short = bgp_peers(offline_lab, host)[where["far"]]
        finally:
            for d, b in zip(devices, booted, strict=True):
                d.boot_time = b
    assert re.fullmatch(r"\d{4}h\d\dm", long), long
    assert re.fullmatch(r"08:3[01]:\d\d", short["up_down"]), short
    assert short["state"] == "Established"
    assert int(short["messages_received"]) < int(short["messages_sent"]) + 10 < 600


def test_bgp_between_the_aggregation_pair(offline_lab) -> None:
    """iBGP over a VLAN interface of the pair's peer link: both ends must enable the peer."""
    host = offline_lab.first(PLATFORM, "aggregation")
    mate = next(
        n.peer.name
        for n in offline_lab.state.neighbors(host)
        if n.peer.platform == PLATFORM and n.peer.role == "aggregation"
    )

    def lines(me: int, other: int) -> tuple[str, ...]:
        return (
            "system-view",
            "interface Vlan-interface100",
            f"ip address 10.1.100.{me} 255.255.255.248",
            "quit",
            "bgp 65020",
            f"peer 10.1.100.{other} as-number 65020",
            "address-family ipv4 unicast",
            f"peer 10.1.100.{other} enable",
        )

    undo = ("system-view", "undo bgp 65020", "undo interface Vlan-interface100")
    with configured(offline_lab, [(host, lines(2, 3), undo)]):
        assert bgp_peers(offline_lab, host)["10.1.100.3"]["state"] == "Active"
        with configured(offline_lab, [(mate, lines(3, 2), undo)]):
            assert bgp_peers(offline_lab, host)["10.1.100.3"]["state"] == "Established"
            assert bgp_peers(offline_lab, mate)["10.1.100.2"]["state"] == "Established"
            off = (
                "system-view",
                "bgp 65020",
                "address-family ipv4 unicast",
                "undo peer 10.1.100.2 enable",
            )
            configure(offline_lab, mate, off)
            assert bgp_peers(offline_lab, host)["10.1.100.3"]["state"] == "Active"
            assert "10.1.100.2" not in bgp_peers(offline_lab, mate)  # not an IPv4 unicast peer
            # deleting a peer deletes it from the address families too
            configure(offline_lab, host, ("system-view", "bgp 65020", "undo peer 10.1.100.3"))
            assert "peer 10.1.100.3" not in offline_lab.run(host, "display current-configuration")
            assert bgp_peers(offline_lab, host) == {}


def test_unconfigured_features_show_the_empty_state(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    for line in ("display bgp peer ipv4", "display route-policy"):
        assert offline_lab.run(host, line) == "", line
    assert (
        offline_lab.run(host, "display ip vpn-instance") == "  Total VPN-Instances configured : 0\n"
    )
    assert "does not exist" in offline_lab.run(host, "display ip vpn-instance instance-name vpn1")
    assert "Incomplete command" in offline_lab.run(host, "display bgp peer")
    # a BGP process without peers: the header, no records
    bgp = ("system-view", "bgp 65020", "router-id 10.1.255.200")
    with configured(offline_lab, [(host, bgp, ("system-view", "undo bgp 65020"))]):
        text = offline_lab.run(host, "display bgp peer ipv4")
    assert " BGP local router ID: 10.1.255.200" in text.splitlines()
    assert " Total number of peers: 0                 Peers in established state: 0" in text
    for line, command in (
        ("display bgp peer ipv4", "display bgp peer ipv4"),
        ("display ip vpn-instance", "display ip vpn-instance"),
        ("display route-policy", "display route-policy"),
    ):
        assert parsed(offline_lab, host, line, command) == []
    assert parse_output(platform=PLATFORM, command="display bgp peer ipv4", data=text) == []


def test_routing_views_have_comware_prompts(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    session, _ = live_session(offline_lab, host)
    before = running_config(offline_lab, host)
    prompts = []
    for line in (
        "system-view",
        "bgp 65020",
        "address-family ipv4 unicast",
        "quit",
        "quit",
        "ip vpn-instance vpn9",
        "address-family ipv6",
        "quit",
        "quit",
        "route-policy RP9 permit node 10",
        "quit",
        "undo route-policy RP9",
        "undo ip vpn-instance vpn9",
        "undo bgp 65020",
    ):
        session.run_exec(line)
        prompts.append(session.prompt)
    assert prompts[:10] == [
        f"[{host}]",
        f"[{host}-bgp-default]",
        f"[{host}-bgp-default-ipv4]",
        f"[{host}-bgp-default]",
        f"[{host}]",
        f"[{host}-vpn-instance-vpn9]",
        f"[{host}-vpn-ipv6-vpn9]",
        f"[{host}-vpn-instance-vpn9]",
        f"[{host}]",
        f"[{host}-route-policy-RP9-10]",
    ]
    assert running_config(offline_lab, host) == before


def test_vpn_binding_clears_addresses_and_deleting_the_instance_unbinds(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    before = running_config(offline_lab, host)
    loop = ("system-view", "interface LoopBack20")
    configure(offline_lab, host, (*loop, "ip address 10.1.254.20 255.255.255.255"))
    configure(
        offline_lab, host, ("system-view", "ip vpn-instance vpn20", "route-distinguisher 65020:20")
    )
    configure(offline_lab, host, (*loop, "ip binding vpn-instance vpn20"))
    shown = offline_lab.run(host, "display current-configuration interface LoopBack20").splitlines()
    assert " ip binding vpn-instance vpn20" in shown
    assert not any(x.startswith(" ip address") for x in shown)  # configured again after binding
    configure(offline_lab, host, (*loop, "ip address 10.1.254.20 255.255.255.255"))
    records = parsed(
        offline_lab,
        host,
        "display ip vpn-instance instance-name vpn20",
        "display ip vpn-instance instance-name",
    )
    assert [(r["name"], r["rd"], r["interfaces"]) for r in records] == [
        ("vpn20", "65020:20", ["LoopBack20"])
    ]
    configure(offline_lab, host, ("system-view", "undo ip vpn-instance vpn20"))
    shown = offline_lab.run(host, "display current-configuration interface LoopBack20").splitlines()
    assert " ip binding vpn-instance vpn20" not in shown
    assert " ip address 10.1.254.20 255.255.255.255" in shown
    assert (
        offline_lab.run(host, "display ip vpn-instance") == "  Total VPN-Instances configured : 0\n"
    )
    configure(offline_lab, host, ("system-view", "undo interface LoopBack20"))
    assert running_config(offline_lab, host) == before


def test_lldp_cdp_compliance_lines_are_stored_and_undone(offline_lab) -> None:
    """What a Cisco neighbour's CDP needs from a Comware switch (system and port views)."""
    host = offline_lab.first(PLATFORM, "aggregation", lldp=True)
    port = offline_lab.state.neighbors(host)[0].local_port
    view = ("system-view", f"interface {port}")
    steps = [
        (host, ("system-view", "lldp compliance cdp"), ("system-view", "undo lldp compliance cdp")),
        (
            host,
            (*view, "lldp compliance admin-status cdp txrx"),
            (*view, "undo lldp compliance admin-status cdp txrx"),
        ),
    ]
    with configured(offline_lab, steps):
        text = offline_lab.run(host, f"display current-configuration interface {port}")
        assert " lldp compliance admin-status cdp txrx" in text.splitlines()
        running = offline_lab.run(host, "display current-configuration").splitlines()
        assert " lldp compliance cdp" in running


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", sorted(SENT))
def test_typed_line_parses_like_the_real_sample(offline_lab, command: str, role: str) -> None:
    host = offline_lab.first(PLATFORM, role)
    check_parses_like_sample(offline_lab, PLATFORM, host, command, set(), SENT[command])


def test_routing_table_holds_connected_static_and_ospf_routes(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    records = parsed(offline_lab, host, "display ip routing-table")
    protocols = {r["protocol"] for r in records}
    assert {"Direct", "Static", "OSPF"} <= protocols
    config = offline_lab.state.specs[host].config
    loopback = config.split("interface LoopBack0\n ip address ")[1].split()[0]
    assert {"network": loopback, "prefix_length": "32", "nexthop_if": "InLoop0"}.items() <= next(
        r for r in records if r["network"] == loopback
    ).items()
    default = next(r for r in records if r["network"] == "0.0.0.0" and r["prefix_length"] == "0")
    assert default["protocol"] == "Static"
    assert f"ip route-static 0.0.0.0 0 {default['nexthop_ip']}" in config


def test_routing_table_lookup_and_protocol_filter_agree_with_the_full_table(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")

    def table(line: str) -> list[dict[str, str]]:
        # the template knows no `<Inactive>` part (what `protocol X` adds after the routes)
        text = offline_lab.run(host, line).split("OSPF Routing table status : <Inactive>")[0]
        return parse_output(platform=PLATFORM, command="display ip routing-table", data=text)

    full = table("display ip routing-table")
    ospf = table("display ip routing-table protocol ospf")
    assert ospf == [r for r in full if r["protocol"] == "OSPF"]
    loopback = next(r for r in ospf if r["prefix_length"] == "32")
    assert table(f"display ip routing-table {loopback['network']}") == [loopback]
    default = [r for r in full if r["network"] == "0.0.0.0" and r["prefix_length"] == "0"]
    assert table("display ip routing-table 198.51.100.7") == default
    assert "Unrecognized command" in offline_lab.run(host, "display ip routing-table protocol x")


def test_version_is_comware(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    text = offline_lab.run(host, "display version")
    assert text.startswith("H3C Comware Software, Version 7.1.070")
    assert f"H3C {offline_lab.state.specs[host].model} uptime is " in text


def test_lldp_verbose_matches_the_list(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation", lldp=True)
    verbose = parsed(offline_lab, host, "display lldp neighbor-information verbose")
    brief = parsed(
        offline_lab,
        host,
        "dis lldp neighbor-information list",
        "display lldp neighbor-information list",
    )
    assert len(verbose) == len(brief) == len(offline_lab.state.neighbors(host))
    assert {(r["neighbor_name"], r["neighbor_interface"]) for r in verbose} == {
        (r["neighbor_name"], r["neighbor_interface"]) for r in brief
    }


def test_unknown_command_gets_the_caret(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "access")
    text = offline_lab.run(host, "display bogus")
    caret, error = text.splitlines()[:2]
    assert error == " % Unrecognized command found at '^' position."
    assert caret.index("^") == len(f"<{host}>") + len("display ")


SESSION = Path(__file__).parent / "engine_samples" / "h3c_5130-48G_7.1.070_simulation.yaml"


def recorded() -> tuple[str, dict[str, str], str]:
    """The oxidized recording: (login text, command -> response, recorded hostname)."""
    data = yaml.safe_load(SESSION.read_text(encoding="utf-8"))
    answers = {k: v for item in data["commands"] for k, v in item.items()}
    init = data["init_prompt"].replace("\\r", "\r")
    name = init.rsplit("<", 1)[1].rstrip(">")
    return init, {k: v.replace("\\r", "\r") for k, v in answers.items()}, name


def shape(text: str) -> list[str]:
    """Line shapes: box-drawing banner lines, blank lines, the prompt."""
    out = []
    for line in text.split("\r\n"):
        if line.startswith("*") and line.endswith("*"):
            out.append(f"box{len(line)}")
        elif not line:
            out.append("blank")
        elif line.startswith("<") and line.endswith(">"):
            out.append("prompt")
        else:
            out.append("text")
    return out


def test_login_banner_and_prompt_match_the_recorded_session(offline_lab) -> None:
    init, _, _ = recorded()
    host = offline_lab.first(PLATFORM, "access")
    session, writes = live_session(offline_lab, host)
    session.start_shell()
    assert shape(writes[0]) == shape(init)
    assert writes[0].endswith(f"\r\n\r\n<{host}>")


def test_paging_off_echo_and_prompt_match_the_recorded_session(offline_lab) -> None:
    _, answers, name = recorded()
    host = offline_lab.first(PLATFORM, "access")
    session, writes = live_session(offline_lab, host)
    session.feed("screen-length disable\n")
    assert writes[-1] == answers["screen-length disable\n"].replace(name, host)


def test_display_version_has_the_recorded_shape(offline_lab) -> None:
    import re

    _, answers, name = recorded()
    real = answers["display version\n"].split("\r\n")
    host = offline_lab.first(PLATFORM, "access")
    session, writes = live_session(offline_lab, host)
    session.feed("screen-length disable\n")
    session.feed("display version\n")
    ours = writes[-1].split("\r\n")
    assert ours[0] == real[0] == "display version"
    assert ours[-1] == f"<{host}>" and real[-1] == f"<{name}>"
    patterns = [
        r"^(HPE|H3C) Comware Software, Version 7\.1\.\d+, Release \w+$",
        r"^Copyright \(c\) 20\d\d-20\d\d .+$",
        r"^(HPE|H3C) .+ uptime is \d+ weeks?, \d+ days?, \d+ hours?, \d+ minutes?$",
        r"^Last reboot reason : .+$",
    ]
    for i, pattern in enumerate(patterns, 1):
        assert re.match(pattern, real[i]), real[i]
        assert re.match(pattern, ours[i]), ours[i]
    keys = [
        line.split(":")[0].strip()
        for line in real
        if ":" in line and not line.strip().startswith(("Copyright", "Last", "Compiled"))
    ]
    for key in keys:
        assert any(line.startswith(key) for line in ours), key
