"""The lab's one BGP far-end rule (`netsteward.lab.dialects.bgp_common`) across vendor pairs.

The pure rule is fed the real running configurations of cabled fleet devices with a
BGP process added in each vendor's own syntax; the CLI test types the same on a VRP
core and a Comware aggregation switch and reads both ends' displays.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from labtest import configure, configured
from ntc_templates.parse import parse_output

from netsteward.lab.dialects import bgp_common as bgp

LOCAL_AS, FAR_AS = "65010", "65020"
NOWHERE = "203.0.113.9"  # on no subnet of the lab


def snippet(platform: str, asn: str, peer: str, peer_as: str, loop: str) -> str:
    """A BGP process in `platform`'s syntax with one peer and one announced network."""
    if platform == "huawei_vrp":
        return (
            f"bgp {asn}\n peer {peer} as-number {peer_as}\n #\n ipv4-family unicast\n"
            f"  network {loop} 255.255.255.255\n#\n"
        )
    if platform == "hp_comware":
        return (
            f"bgp {asn}\n peer {peer} as-number {peer_as}\n #\n address-family ipv4 unicast\n"
            f"  network {loop} 255.255.255.255\n  peer {peer} enable\n#\n"
        )
    if platform == "fortinet":
        return (
            f"config router bgp\n    set as {asn}\n    config neighbor\n"
            f'        edit "{peer}"\n            set remote-as {peer_as}\n        next\n'
            f"    end\n    config network\n        edit 1\n            set prefix {loop} 255.255.255.255\n"
            "        next\n    end\nend\n"
        )
    assert platform == "cisco_asa"
    return (
        f"router bgp {asn}\n bgp log-neighbor-changes\n address-family ipv4 unicast\n"
        f"  neighbor {peer} remote-as {peer_as}\n  neighbor {peer} activate\n"
        f"  network {loop} mask 255.255.255.255\n exit-address-family\n!\n"
    )


def cabled_pair(offline_lab: Any, one: tuple[str, str], other: tuple[str, str]) -> list[Any]:
    """[(name, port, platform, config)] of both ends of the first cable between a device of
    `one` (platform, role) and one of `other` whose two ports carry an address."""
    state = offline_lab.state
    for cable in state.cables:
        for ends in (
            (cable.a, cable.a_port, cable.b, cable.b_port),
            (cable.b, cable.b_port, cable.a, cable.a_port),
        ):
            here, there = state.specs[ends[0]], state.specs[ends[2]]
            if (here.platform, here.role) != one or (there.platform, there.role) != other:
                continue
            found = []
            for name, port in ((ends[0], ends[1]), (ends[2], ends[3])):
                spec = state.specs[name]
                text = state.device(name).running_text()
                if port not in bgp.addresses(spec.platform, text):
                    break
                found.append((name, port, spec.platform, text))
            if len(found) == 2:
                return found
    raise LookupError(f"no addressed cable between a {one} and a {other} in the fleet")


PAIRS = [
    (("huawei_vrp", "core"), ("hp_comware", "aggregation")),
    (("fortinet", "firewall"), ("huawei_vrp", "router")),
    (("cisco_asa", "firewall"), ("huawei_vrp", "core")),
]
BOOTED = datetime(2026, 1, 1, 8, 0)


class Ends:
    """Both ends of a cable, each with an optional BGP process added to its configuration."""

    def __init__(self, pair: list[Any]) -> None:
        self.names = [p[0] for p in pair]
        self.ports = [p[1] for p in pair]
        self.platforms = [p[2] for p in pair]
        self.texts = [p[3] for p in pair]
        self.ips = [str(bgp.addresses(p[2], p[3])[p[1]].ip) for p in pair]
        self.loops = ["10.255.0.1", "10.255.0.2"]
        self.extra = ["", ""]
        self.since = [BOOTED, BOOTED + timedelta(hours=5)]

    def run_bgp(self, i: int, asn: str, peer_as: str, peer: str | None = None) -> None:
        far = self.ips[1 - i] if peer is None else peer
        self.extra[i] = snippet(self.platforms[i], asn, far, peer_as, self.loops[i])

    def config(self, i: int) -> str:
        return self.texts[i] + self.extra[i]

    def state(self, i: int, peer_as: str, local_as: str, cabled: bool = True) -> bgp.PeerState:
        """What end `i` shows for its neighbour at the far end's address."""
        far = 1 - i
        far_ends = [
            bgp.FarEnd(
                self.ports[i],
                self.names[far],
                self.platforms[far],
                self.config(far),
                self.since[far],
            )
        ]
        ours = bgp.addresses(self.platforms[i], self.config(i))
        return bgp.peer_state(
            ours, self.since[i], local_as, self.ips[far], peer_as, far_ends if cabled else []
        )


@pytest.fixture(params=PAIRS, ids=lambda p: f"{p[0][0]}-{p[1][0]}")
def ends(request: pytest.FixtureRequest, offline_lab: Any) -> Ends:
    return Ends(cabled_pair(offline_lab, *request.param))


def test_established_both_ways_when_both_ends_agree(ends: Ends) -> None:
    ends.run_bgp(0, LOCAL_AS, FAR_AS)
    ends.run_bgp(1, FAR_AS, LOCAL_AS)
    for i, (mine, theirs) in enumerate(((LOCAL_AS, FAR_AS), (FAR_AS, LOCAL_AS))):
        ps = ends.state(i, theirs, mine)
        assert ps.state == "Established", (ends.names, i)
        assert ps.far_end == ends.names[1 - i]
        assert ps.prefixes == 1  # the far end's one `network`
        assert ps.local_ip == ends.ips[i] and ps.local_port == ends.ports[i]
        assert ps.since == BOOTED + timedelta(hours=5)  # the later of the two ends
        assert ps.router_id  # configured nowhere: the far end's loopback or highest address


def test_active_with_one_end_only(ends: Ends) -> None:
    ends.run_bgp(0, LOCAL_AS, FAR_AS)
    ps = ends.state(0, FAR_AS, LOCAL_AS)
    assert (ps.state, ps.far_end, ps.local_port) == ("Active", ends.names[1], ends.ports[0])
    assert (ps.prefixes, ps.since) == (0, None)


@pytest.mark.parametrize("wrong", ["far AS", "our AS"])
def test_active_when_the_as_numbers_disagree(ends: Ends, wrong: str) -> None:
    ends.run_bgp(0, LOCAL_AS, FAR_AS)
    if wrong == "far AS":  # the far end runs another AS than we expect
        ends.run_bgp(1, "65099", LOCAL_AS)
    else:  # the far end expects another AS from us
        ends.run_bgp(1, FAR_AS, "65099")
    assert ends.state(0, FAR_AS, LOCAL_AS).state == "Active"


def test_active_when_the_far_end_names_an_address_not_ours(ends: Ends) -> None:
    ends.run_bgp(0, LOCAL_AS, FAR_AS)
    ends.run_bgp(1, FAR_AS, LOCAL_AS, peer="192.0.2.250")
    assert ends.state(0, FAR_AS, LOCAL_AS).state == "Active"


def test_link_down_leaves_a_connected_neighbour_active_and_others_idle(ends: Ends) -> None:
    ends.run_bgp(0, LOCAL_AS, FAR_AS)
    ends.run_bgp(1, FAR_AS, LOCAL_AS)
    assert ends.state(0, FAR_AS, LOCAL_AS, cabled=False).state == "Active"  # same /30
    ours = bgp.addresses(ends.platforms[0], ends.config(0))
    far = bgp.FarEnd(ends.ports[0], ends.names[1], ends.platforms[1], ends.config(1), BOOTED)
    ps = bgp.peer_state(ours, BOOTED, LOCAL_AS, NOWHERE, FAR_AS, [far])
    assert ps == bgp.PeerState("Idle")
    assert bgp.peer_state(ours, BOOTED, LOCAL_AS, "PEER-GROUP", FAR_AS, [far]).state == "Idle"


@pytest.mark.parametrize(
    ("platform", "text", "peers"),
    [
        # Comware opens IPv4 unicast only for peers enabled in its address family
        (
            "hp_comware",
            "bgp 65020\n peer 10.0.0.1 as-number 65010\n peer 10.0.0.5 as-number 65010\n"
            " #\n address-family ipv4\n  peer 10.0.0.5 enable\n#\n",
            {"10.0.0.5": "65010"},
        ),
        # VRP enables IPv4 unicast by default, unless undone; peer groups are no addresses
        (
            "huawei_vrp",
            "bgp 65020\n router-id 10.9.9.9\n group IBGP internal\n"
            " peer IBGP as-number 65020\n peer 10.0.0.1 as-number 65010\n"
            " peer 10.0.0.5 as-number 65010\n #\n ipv4-family unicast\n"
            "  undo peer 10.0.0.5 enable\n#\n",
            {"10.0.0.1": "65010"},
        ),
        # a FortiOS neighbour that is shut down answers nobody
        (
            "fortinet",
            "config router bgp\n    set as 65020\n    set router-id 10.9.9.9\n    config neighbor\n"
            '        edit "10.0.0.1"\n            set remote-as 65010\n            set shutdown enable\n'
            '        next\n        edit "10.0.0.5"\n            set remote-as 65010\n        next\n'
            "    end\nend\n",
            {"10.0.0.5": "65010"},
        ),
        (
            "cisco_asa",
            "router bgp 65020\n bgp router-id 10.9.9.9\n address-family ipv4 unicast\n"
            "  neighbor 10.0.0.1 remote-as 65010\n exit-address-family\n!\n",
            {"10.0.0.1": "65010"},
        ),
    ],
)
def test_bgp_config_in_each_syntax(platform: str, text: str, peers: dict[str, str]) -> None:
    process = bgp.bgp_config(platform, text)
    assert process is not None
    assert (process.local_as, process.peers) == ("65020", peers)
    if platform != "hp_comware":
        assert process.router_id == "10.9.9.9"


def test_no_bgp_process() -> None:
    assert bgp.bgp_config("huawei_vrp", "sysname X\n#\nreturn\n") is None
    assert bgp.bgp_config("fortinet", "config router bgp\n    set as 0\nend\n") is None
    assert bgp.bgp_config("cisco_asa", "hostname X\n!\n") is None


# -- through the CLI: a VRP core and a Comware aggregation switch ---------------------------


def peers(offline_lab: Any, host: str, command: str) -> dict[str, str]:
    platform = offline_lab.state.specs[host].platform
    data = offline_lab.run(host, command)
    return {
        r["peer"]: r["state"] for r in parse_output(platform=platform, command=command, data=data)
    }


def test_vrp_core_is_established_only_when_the_comware_end_agrees(offline_lab: Any) -> None:
    pair = cabled_pair(offline_lab, ("huawei_vrp", "core"), ("hp_comware", "aggregation"))
    (core, core_port, _, core_text), (agg, agg_port, _, agg_text) = pair
    where = {
        "core_ip": str(bgp.addresses("huawei_vrp", core_text)[core_port].ip),
        "agg_ip": str(bgp.addresses("hp_comware", agg_text)[agg_port].ip),
    }
    core_bgp = ("system-view", "bgp 65010", "peer {agg_ip} as-number 65020")
    agg_bgp = (
        "system-view",
        "bgp 65020",
        "peer {core_ip} as-number 65010",
        "address-family ipv4 unicast",
        "peer {core_ip} enable",
    )
    with configured(offline_lab, [(core, core_bgp, ("system-view", "undo bgp 65010"))], where):
        # the aggregation switch runs no BGP yet: reachable, refused (was Established)
        assert peers(offline_lab, core, "display bgp peer") == {where["agg_ip"]: "Active"}
        with configured(offline_lab, [(agg, agg_bgp, ("system-view", "undo bgp 65020"))], where):
            assert peers(offline_lab, core, "display bgp peer") == {where["agg_ip"]: "Established"}
            agg_view = peers(offline_lab, agg, "display bgp peer ipv4")
            assert agg_view == {where["core_ip"]: "Established"}
            # the Comware end stops enabling the core for IPv4 unicast: down again
            configure(
                offline_lab,
                agg,
                (
                    "system-view",
                    "bgp 65020",
                    "address-family ipv4 unicast",
                    "undo peer {core_ip} enable",
                ),
                where,
            )
            assert peers(offline_lab, core, "display bgp peer") == {where["agg_ip"]: "Active"}
