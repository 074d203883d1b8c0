"""Cisco ASA displays of configuration the fleet does not start with, parsed with the
ntc-templates TextFSM templates.

Each test configures the feature through the ASA CLI as an engineer types it (and,
where the real protocol needs both ends, the cabled Huawei VRP peer too), checks the
display parses like the real sample (`engine_samples/cisco_asa/<command>.yml`, copied
from networktocode/ntc-templates, Apache-2.0; see tests/NOTICE), then removes the
configuration with the vendor's own `no` / `undo` / `clear configure` lines and checks
the running configurations are back to what they were (the offline lab is shared).
"""

from __future__ import annotations

import re

import pytest
from labtest import (
    check_parses_like_sample,
    configure,
    configured,
    interface_address,
    parsed,
    sample_commands,
    table_steps,
)
from ntc_templates.parse import parse_output

PLATFORM = "cisco_asa"
COMMANDS = sample_commands(PLATFORM)
CONF = ("configure terminal",)
END = ("end",)

# a site-to-site IKEv1 tunnel to a branch outside the lab, on the outside interface
L2L_ACL = (
    "access-list VPN-BRANCH extended permit ip 10.20.0.0 255.255.0.0 10.200.10.0 255.255.255.0"
)
L2L = (
    L2L_ACL,
    "crypto ipsec ikev1 transform-set ESP-AES256-SHA esp-aes-256 esp-sha-hmac",
    "crypto ipsec ikev1 transform-set ESP-AES128-SHA esp-aes esp-sha-hmac",
    "crypto map OUTSIDE_MAP 10 match address VPN-BRANCH",
    "crypto map OUTSIDE_MAP 10 set peer 203.0.113.10",
    "crypto map OUTSIDE_MAP 10 set ikev1 transform-set ESP-AES256-SHA ESP-AES128-SHA",
    "crypto map OUTSIDE_MAP 10 set security-association lifetime seconds 28800",
    "crypto map OUTSIDE_MAP interface outside",
    "crypto ikev1 enable outside",
    "crypto ikev1 policy 10",
    "authentication pre-share",
    "encryption aes-256",
    "hash sha",
    "group 14",
    "lifetime 86400",
    "tunnel-group 203.0.113.10 type ipsec-l2l",
    "tunnel-group 203.0.113.10 ipsec-attributes",
    "ikev1 pre-shared-key Br4nch-Lab-Key",
)
NO_L2L = (
    "clear configure crypto map OUTSIDE_MAP",
    "no crypto ipsec ikev1 transform-set ESP-AES256-SHA esp-aes-256 esp-sha-hmac",
    "no crypto ipsec ikev1 transform-set ESP-AES128-SHA esp-aes esp-sha-hmac",
    "no crypto ikev1 enable outside",
    "no crypto ikev1 policy 10",
    "clear configure tunnel-group 203.0.113.10",
    f"no {L2L_ACL}",
)
VPN_CONFIG = ((*CONF, *L2L, *END), (*CONF, *NO_L2L, *END), (), ())
# AnyConnect for two local users (the clients are outside the lab)
POOL = "ip local pool VPN-POOL 10.99.0.10-10.99.0.200 mask 255.255.255.0"
REMOTE_ACCESS = (
    POOL,
    "webvpn",
    "enable outside",
    "anyconnect image disk0:/anyconnect-win-4.10.08025-webdeploy-k9.pkg 1",
    "anyconnect enable",
    "tunnel-group-list enable",
    "group-policy GP-STAFF internal",
    "group-policy GP-STAFF attributes",
    "vpn-tunnel-protocol ssl-client",
    "split-tunnel-policy tunnelall",
    "tunnel-group STAFF-VPN type remote-access",
    "tunnel-group STAFF-VPN general-attributes",
    "address-pool VPN-POOL",
    "default-group-policy GP-STAFF",
    "tunnel-group STAFF-VPN webvpn-attributes",
    "group-alias STAFF enable",
    "username alice password Lab-User-1",
    "username alice attributes",
    "vpn-group-policy GP-STAFF",
    "service-type remote-access",
    "username bob password Lab-User-2",
    "username bob attributes",
    "vpn-group-policy GP-STAFF",
)
NO_REMOTE_ACCESS = (
    "no username alice",
    "no username bob",
    "clear configure tunnel-group STAFF-VPN",
    "no group-policy GP-STAFF",
    "clear configure webvpn",
    f"no {POOL}",
)
ALL_VPN = (
    (*CONF, *L2L, *REMOTE_ACCESS, *END),
    (*CONF, *NO_REMOTE_ACCESS, *NO_L2L, *END),
    (),
    (),
)

# command -> (ASA lines that add the feature, ASA lines that remove it,
#             peer lines that add, peer lines that remove); "{asa_ip}" is the ASA's address
# on its cable to the VRP peer, "{peer_ip}" the peer's address on that cable,
# "{peer_port}" the peer's port
CONFIGURED: dict[str, tuple[tuple[str, ...], ...]] = {
    "show name": (
        (
            *CONF,
            "name 10.20.1.10 SRV-DB description Database cluster",
            "name 10.20.1.11 SRV-DB-2",
            *END,
        ),
        (*CONF, "no name 10.20.1.10 SRV-DB", "no name 10.20.1.11 SRV-DB-2", *END),
        (),
        (),
    ),
    "show port-channel summary": (
        (
            *CONF,
            "interface {asa_port}",
            "channel-group 1 mode active",
            "interface GigabitEthernet0/2",
            "channel-group 1 mode active",
            *END,
        ),
        (
            *CONF,
            "interface {asa_port}",
            "no channel-group 1 mode active",
            "interface GigabitEthernet0/2",
            "no channel-group 1 mode active",
            *END,
        ),
        (),
        (),
    ),
    "show bgp summary": (
        (
            *CONF,
            "router bgp 65030",
            "bgp log-neighbor-changes",
            "address-family ipv4 unicast",
            "neighbor {peer_ip} remote-as 65010",
            "neighbor {peer_ip} activate",
            "neighbor 203.0.113.9 remote-as 64999",
            "exit-address-family",
            *END,
        ),
        (*CONF, "no router bgp 65030", *END),
        (
            "system-view",
            "bgp 65010",
            "peer {asa_ip} as-number 65030",
            "network 10.1.0.0 255.255.0.0",
        ),
        ("system-view", "undo bgp 65010"),
    ),
    # the VRP core runs OSPF area 0 on its transfer networks already
    "show ospf neighbor": (
        (*CONF, "router ospf 1", "network {asa_net} area 0", "log-adj-changes", *END),
        (*CONF, "no router ospf 1", *END),
        (),
        (),
    ),
    "show ospf interface brief": (
        (*CONF, "router ospf 1", "network {asa_net} area 0", *END),
        (*CONF, "no router ospf 1", *END),
        (),
        (),
    ),
    "show running-config crypto map": VPN_CONFIG,
    "show running-config all crypto map": VPN_CONFIG,
    "show running-config crypto ikev1": VPN_CONFIG,
    "show running-config ipsec": VPN_CONFIG,
    "show running-config tunnel-group": VPN_CONFIG,
    "show crypto ipsec sa": VPN_CONFIG,
    "show crypto ikev1 sa detail": VPN_CONFIG,
    "show vpn-sessiondb": ALL_VPN,
    "show vpn-sessiondb anyconnect": ALL_VPN,
    "show vpn-sessiondb detail l2l": VPN_CONFIG,
    "show asp table vpn-context detail": VPN_CONFIG,
}

# the real device's answer with the feature unconfigured
EMPTY = {
    "show running-config crypto map": "",
    "show running-config all crypto map": "",
    "show running-config crypto ikev1": "",
    "show running-config ipsec": "",
    "show running-config tunnel-group": "",
    "show crypto ipsec sa": "\nThere are no ipsec sas\n",
    "show crypto ikev1 sa detail": "\nThere are no IKEv1 SAs\n",
    "show vpn-sessiondb": "INFO: There are presently no active sessions\n",
    "show vpn-sessiondb anyconnect": "INFO: There are presently no active sessions\n",
    "show vpn-sessiondb detail l2l": (
        "INFO: There are presently no active sessions of the type specified\n"
    ),
    "show asp table vpn-context detail": "",
    "show name": "",
    "show bgp summary": "% BGP not active\n",
    "show ospf neighbor": "",
    "show ospf interface brief": "",
}


def asa_host(offline_lab) -> str:
    return offline_lab.first(PLATFORM, "firewall")


def vrp_link(offline_lab, host: str) -> dict[str, str]:
    """The ASA's cable to a VRP device and the addresses at both ends."""
    state = offline_lab.state
    for cable in state.cables:
        for here, port, there, there_port in (
            (cable.a, cable.a_port, cable.b, cable.b_port),
            (cable.b, cable.b_port, cable.a, cable.a_port),
        ):
            if here == host and state.specs[there].platform == "huawei_vrp":
                ours = address(offline_lab, host, port)
                theirs = address(offline_lab, there, there_port)
                return {
                    "peer": there,
                    "asa_port": port,
                    "peer_port": there_port,
                    "asa_ip": ours[0],
                    "asa_net": f"{ours[0]} {ours[1]}",
                    "peer_ip": theirs[0],
                }
    raise LookupError(f"{host}: no cable to a huawei_vrp device")


def address(offline_lab, host: str, port: str) -> tuple[str, str]:
    found = interface_address(offline_lab.state.device(host).running_text(), port)
    assert found, (host, port)
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_configured_display_parses_like_the_real_sample(offline_lab, command: str) -> None:
    host = asa_host(offline_lab)
    link = vrp_link(offline_lab, host)
    with configured(offline_lab, table_steps(CONFIGURED[command], host, link["peer"]), link):
        check_parses_like_sample(offline_lab, PLATFORM, host, command, set())


@pytest.mark.parametrize("command", sorted(EMPTY))
def test_unconfigured_display_is_the_real_empty_state(offline_lab, command: str) -> None:
    assert offline_lab.run(asa_host(offline_lab), command) == EMPTY[command]


def test_names_go_under_names_in_order(offline_lab) -> None:
    host = asa_host(offline_lab)
    lines = ("name 10.20.1.10 SRV-DB description Database cluster", "name 10.20.1.12 SRV-WEB")
    remove = (*CONF, *(f"no {x}" for x in lines), *END)
    with configured(offline_lab, [(host, (*CONF, *lines, *END), remove)]):
        config = offline_lab.run(host, "show running-config").splitlines()
        at = config.index("names")
        assert config[at + 1 : at + 3] == list(lines)
        assert [(r["ip_address"], r["name"]) for r in parsed(offline_lab, host, "show name")] == [
            ("10.20.1.10", "SRV-DB"),
            ("10.20.1.12", "SRV-WEB"),
        ]
    assert offline_lab.run(host, "show name") == ""


def test_port_channel_members_follow_the_cabling(offline_lab) -> None:
    host = asa_host(offline_lab)
    link = vrp_link(offline_lab, host)
    empty = offline_lab.run(host, "show port-channel summary")
    assert "Number of channel-groups in use: 0" in empty
    assert parse_output(platform=PLATFORM, command="show port-channel summary", data=empty) == []
    with configured(offline_lab, table_steps(CONFIGURED["show port-channel summary"], host), link):
        (rec,) = parsed(offline_lab, host, "show port-channel summary")
    short = link["asa_port"].replace("GigabitEthernet", "Gi")
    assert rec["bundle_name"] == "Po1" and rec["bundle_status"] == "U"
    assert dict(zip(rec["member_interface"], rec["member_interface_status"], strict=True)) == {
        short: "P",
        "Gi0/2": "D",  # no cable
    }


def test_bgp_neighbour_is_established_only_with_both_ends(offline_lab) -> None:
    host = asa_host(offline_lab)
    link = vrp_link(offline_lab, host)
    peer_step, host_step = table_steps(CONFIGURED["show bgp summary"], host, link["peer"])
    with configured(offline_lab, [host_step], link):
        alone = {r["bgp_neigh"]: r for r in parsed(offline_lab, host, "show bgp summary")}
        with configured(offline_lab, [peer_step], link):
            both = {r["bgp_neigh"]: r for r in parsed(offline_lab, host, "show bgp summary")}
    peer = link["peer_ip"]
    # cabled, but the peer refuses (lab/dialects/bgp_common.py): the ASA keeps trying
    assert (alone[peer]["state_pfxrcd"], alone[peer]["up_down"]) == ("Active", "never")
    assert both[peer]["state_pfxrcd"] == "1"  # the peer's one `network` line
    assert both[peer]["neigh_as"] == "65010" and both[peer]["local_as"] == "65030"
    assert both["203.0.113.9"]["state_pfxrcd"] == "Idle"  # outside the lab


def test_ospf_neighbour_is_the_cabled_peer(offline_lab) -> None:
    host = asa_host(offline_lab)
    link = vrp_link(offline_lab, host)
    with configured(offline_lab, table_steps(CONFIGURED["show ospf neighbor"], host), link):
        (nbr,) = parsed(offline_lab, host, "show ospf neighbor")
        (brief,) = parsed(offline_lab, host, "show ospf interface brief")
    peer_config = offline_lab.state.device(link["peer"]).running_text()
    rid = re.search(r"^ospf \d+ router-id (\S+)", peer_config, re.M)
    assert rid and nbr["neighbor_id"] == rid.group(1)
    assert nbr["ip_address"] == link["peer_ip"] and nbr["state"] in ("FULL/DR", "FULL/BDR")
    assert brief["ip_address"] == link["asa_ip"] and brief["neighbors_fc"] == "1/1"
    assert brief["interface"] == nbr["interface"]


def test_pre_shared_key_shows_only_in_system_running_config(offline_lab) -> None:
    host = asa_host(offline_lab)
    with configured(offline_lab, table_steps(VPN_CONFIG, host)):
        shown = {
            c: offline_lab.run(host, c)
            for c in (
                "show running-config",
                "show running-config tunnel-group",
                "more system:running-config",
            )
        }
    assert " ikev1 pre-shared-key *****" in shown["show running-config"].splitlines()
    assert " ikev1 pre-shared-key *****" in shown["show running-config tunnel-group"].splitlines()
    assert (
        "Br4nch-Lab-Key"
        not in shown["show running-config"] + shown["show running-config tunnel-group"]
    )
    assert (
        " ikev1 pre-shared-key Br4nch-Lab-Key" in shown["more system:running-config"].splitlines()
    )


def test_crypto_lines_are_kept_in_the_asa_order(offline_lab) -> None:
    """A crypto map entry typed after the map's interface line still comes before it, and a
    retyped single-valued attribute replaces the old one."""
    host = asa_host(offline_lab)
    add, remove, _, _ = VPN_CONFIG
    more = (
        "crypto map OUTSIDE_MAP 5 match address VPN-BRANCH",
        "crypto map OUTSIDE_MAP 5 set peer 198.51.100.7",
        "crypto map OUTSIDE_MAP 5 set ikev1 transform-set ESP-AES128-SHA",
        "crypto map OUTSIDE_MAP 5 set peer 198.51.100.8",
    )
    with configured(offline_lab, [(host, (*add[:-1], *more, *END), remove)]):
        records = parsed(offline_lab, host, "show running-config crypto map")
        text = offline_lab.run(host, "show running-config crypto")
    assert [(r["seq"], r["peer"]) for r in records] == [
        ("5", "198.51.100.8"),
        ("10", "203.0.113.10"),
    ]
    lines = text.splitlines()
    interface = lines.index("crypto map OUTSIDE_MAP interface outside")
    assert interface > max(i for i, x in enumerate(lines) if x.split()[1:4:2] == ["map", "10"])
    assert lines.index("crypto ikev1 enable outside") == interface + 1
    assert lines[0].startswith("crypto ipsec ikev1 transform-set ")


def test_l2l_tunnel_is_up_only_with_everything_it_needs(offline_lab) -> None:
    """Without its pre-shared key (or with its interface shut down) the tunnel is down."""
    host = asa_host(offline_lab)
    attributes = (*CONF, "tunnel-group 203.0.113.10 ipsec-attributes")
    outside = (*CONF, "interface GigabitEthernet0/0")
    with configured(offline_lab, table_steps(VPN_CONFIG, host)):
        (sa,) = parsed(offline_lab, host, "show crypto ipsec sa")
        contexts = parsed(offline_lab, host, "show asp table vpn-context detail")
        (session,) = parsed(offline_lab, host, "show vpn-sessiondb detail l2l")[1:]
        configure(offline_lab, host, (*attributes, "no ikev1 pre-shared-key", *END))
        keyless = offline_lab.run(host, "show crypto ipsec sa")
        configure(offline_lab, host, (*attributes, L2L[-1], *END))
        configure(offline_lab, host, (*outside, "shutdown", *END))
        shut = offline_lab.run(host, "show vpn-sessiondb detail l2l")
        configure(offline_lab, host, (*outside, "no shutdown", *END))
    assert keyless == EMPTY["show crypto ipsec sa"]
    assert shut == EMPTY["show vpn-sessiondb detail l2l"]
    assert (sa["interface"], sa["current_peer"], sa["local_address"]) == (
        "outside",
        "203.0.113.10",
        address(offline_lab, host, "GigabitEthernet0/0")[0],
    )
    assert (sa["local_identity_addr"], sa["remote_identity_addr"]) == ("10.20.0.0", "10.200.10.0")
    # the ASP's contexts are the SA pair's: same SPIs and packet counts
    assert {(c["spi"], c["pkts"]) for c in contexts} == {
        (sa["inbound_spi_hex"], sa["packets_decapsulated"]),
        (sa["outbound_spi_hex"], sa["packets_encapsulated"]),
    }
    assert session["bytes_transmitted"] and int(session["rekey_time_left"]) <= 28800
    assert session["packets_transmitted"] == sa["packets_encapsulated"]


def test_anyconnect_users_get_pool_addresses(offline_lab) -> None:
    host = asa_host(offline_lab)
    with configured(offline_lab, table_steps(ALL_VPN, host)):
        users = parsed(offline_lab, host, "show vpn-sessiondb anyconnect")
        (summary,) = parsed(offline_lab, host, "show vpn-sessiondb")
        config = offline_lab.run(host, "show running-config username")
    assert [(u["username"], u["assigned_ip"], u["tunnel_group"]) for u in users] == [
        ("alice", "10.99.0.10", "STAFF-VPN"),
        ("bob", "10.99.0.11", "STAFF-VPN"),
    ]
    assert len({u["index"] for u in users}) == 2
    assert summary["total_active_and_inactive"] == "3"  # two users and the branch tunnel
    # local passwords are stored hashed, as ASA 9.x does
    assert "Lab-User-1" not in config
    assert re.search(r"^username alice password \$sha512\$5000\$\S+ pbkdf2$", config, re.M)


def test_ikev1_policy_shows_its_defaults_and_keys_replace_each_other(offline_lab) -> None:
    host = asa_host(offline_lab)
    add = (
        *CONF,
        "crypto ikev1 policy 20",
        "authentication pre-share",
        "tunnel-group 198.51.100.4 type ipsec-l2l",
        "tunnel-group 198.51.100.4 ipsec-attributes",
        "ikev1 pre-shared-key First-Key",
        "ikev1 pre-shared-key Second-Key",
        *END,
    )
    remove = (*CONF, "no crypto ikev1 policy 20", "clear configure tunnel-group 198.51.100.4", *END)
    with configured(offline_lab, [(host, add, remove)]):
        (policy,) = parsed(offline_lab, host, "show running-config crypto ikev1")
        system = offline_lab.run(host, "more system:running-config")
    assert policy == {
        "ike_version": "1",
        "policy_id": "20",
        "auth_method": "pre-share",
        "encryption": "aes",
        "auth_algorithm": "sha",
        "dh_group": "group 14",
        "lifetime": "86400",
    }
    assert " ikev1 pre-shared-key Second-Key" in system.splitlines()
    assert "First-Key" not in system
