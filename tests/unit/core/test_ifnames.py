"""Canonical and short interface names across Huawei, H3C and Cisco spellings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsteward.tasks.core.ifnames import (
    canonical_name,
    is_lag,
    same_port,
    short_name,
)

CANONICAL = [
    # (platform, spelling, the platform's full name)
    ("huawei_vrp", "GE0/0/1", "GigabitEthernet0/0/1"),
    ("huawei_vrp", "GigabitEthernet0/0/1", "GigabitEthernet0/0/1"),
    ("huawei_vrp", "Gi0/0/1", "GigabitEthernet0/0/1"),
    ("huawei_vrp", "XGE0/0/1", "XGigabitEthernet0/0/1"),
    ("huawei_vrp", "XGigabitEthernet0/0/1", "XGigabitEthernet0/0/1"),
    # CE switches (VRP8) name 10G ports 10GE: their configuration says `interface 10GE1/0/1`
    ("huawei_vrp", "10GE1/0/1", "10GE1/0/1"),
    ("huawei_vrp", "25GE1/0/1", "25GE1/0/1"),
    ("huawei_vrp", "MultiGE0/0/1", "MultiGE0/0/1"),
    ("huawei_vrp", "Te1/0/1", "XGigabitEthernet1/0/1"),
    ("huawei_vrp", "GigabitEthernet0/0/1.100", "GigabitEthernet0/0/1.100"),
    ("huawei_vrp", "Eth-Trunk1.100", "Eth-Trunk1.100"),
    ("huawei_vrp", "Eth0/0/1", "Ethernet0/0/1"),
    ("huawei_vrp", "40GE0/0/1", "40GE0/0/1"),
    ("huawei_vrp", "100GE1/0/1", "100GE1/0/1"),
    ("huawei_vrp", "Eth-Trunk1", "Eth-Trunk1"),
    ("huawei_vrp", "eth-trunk 12", "Eth-Trunk12"),
    ("huawei_vrp", "MEth0/0/1", "MEth0/0/1"),
    ("huawei_vrp", "Vlanif10", "Vlanif10"),
    ("hp_comware", "GE1/0/1", "GigabitEthernet1/0/1"),
    ("hp_comware", "XGE1/0/49", "Ten-GigabitEthernet1/0/49"),
    ("hp_comware", "Ten-GigabitEthernet1/0/49", "Ten-GigabitEthernet1/0/49"),
    ("hp_comware", "TenGigabitEthernet1/0/49", "Ten-GigabitEthernet1/0/49"),
    ("hp_comware", "FGE1/0/53", "FortyGigE1/0/53"),
    ("hp_comware", "HGE1/0/1", "HundredGigE1/0/1"),
    ("hp_comware", "BAGG1", "Bridge-Aggregation1"),
    ("hp_comware", "Bridge-Aggregation1", "Bridge-Aggregation1"),
    ("hp_comware", "Ten-GigabitEthernet1/0/0/1", "Ten-GigabitEthernet1/0/0/1"),
    ("hp_comware", "WGE1/0/1", "Twenty-FiveGigE1/0/1"),
    ("hp_comware", "RAGG2", "Route-Aggregation2"),
    ("hp_comware", "Route-Aggregation2.10", "Route-Aggregation2.10"),
    ("hp_comware", "MGE0/0/0", "M-GigabitEthernet0/0/0"),
    ("hp_comware", "Po1", "Bridge-Aggregation1"),
    ("cisco_ios", "Gi1/0/1", "GigabitEthernet1/0/1"),
    ("cisco_ios", "Te1/1/1", "TenGigabitEthernet1/1/1"),
    ("cisco_ios", "Fa0/1", "FastEthernet0/1"),
    ("cisco_ios", "Po1", "Port-channel1"),
    ("cisco_ios", "Port-channel1", "Port-channel1"),
    ("cisco_ios", "Tw2/0/33", "TwoGigabitEthernet2/0/33"),
    ("cisco_ios", "TwoGigabitEthernet2/0/33", "TwoGigabitEthernet2/0/33"),
    ("cisco_ios", "Twe1/0/1", "TwentyFiveGigE1/0/1"),
    ("cisco_ios", "Fo1/1/1", "FortyGigabitEthernet1/1/1"),
    ("cisco_ios", "Hu1/0/49", "HundredGigE1/0/49"),
    ("cisco_ios", "HundredGigabitEthernet1/0/49", "HundredGigE1/0/49"),
    ("cisco_ios", "Gi1/0/1.100", "GigabitEthernet1/0/1.100"),
    ("cisco_ios", "Po10.20", "Port-channel10.20"),
    ("cisco_ios", "GigabitEthernet 1/0/1", "GigabitEthernet1/0/1"),
    (None, "XGE1/0/1", "TenGigabitEthernet1/0/1"),
    (None, "Ten-GigabitEthernet1/0/1", "TenGigabitEthernet1/0/1"),
    (None, "GE0/0/1", "GigabitEthernet0/0/1"),
    # unknown prefixes pass through
    ("fortinet", "port1", "port1"),
    ("brocade_fos", "0", "0"),
    ("hillstone_stoneos", "ethernet0/1", "ethernet0/1"),
    (None, "502", "502"),
    (None, "94f1.2879.5555", "94f1.2879.5555"),
]

SHORT = [
    ("huawei_vrp", "GigabitEthernet0/0/1", "GE0/0/1"),
    ("huawei_vrp", "XGigabitEthernet0/0/1", "XGE0/0/1"),
    ("huawei_vrp", "40GE0/0/1", "40GE0/0/1"),
    ("huawei_vrp", "100GE0/0/1", "100GE0/0/1"),
    ("huawei_vrp", "Eth-Trunk1", "Eth-Trunk1"),
    ("huawei_vrp", "MEth0/0/1", "MEth0/0/1"),
    ("hp_comware", "GigabitEthernet1/0/1", "GE1/0/1"),
    ("hp_comware", "Ten-GigabitEthernet1/0/49", "XGE1/0/49"),
    ("hp_comware", "FortyGigE1/0/53", "FGE1/0/53"),
    ("hp_comware", "HundredGigE1/0/1", "HGE1/0/1"),
    ("hp_comware", "Bridge-Aggregation1", "BAGG1"),
    ("cisco_ios", "GigabitEthernet1/0/1", "Gi1/0/1"),
    ("cisco_ios", "TenGigabitEthernet1/0/1", "Te1/0/1"),
    ("cisco_ios", "FastEthernet0/1", "Fa0/1"),
    ("cisco_ios", "Port-channel1", "Po1"),
    ("cisco_ios", "TwoGigabitEthernet2/0/33", "Tw2/0/33"),
    ("cisco_ios", "TwentyFiveGigE1/0/1", "Twe1/0/1"),
    ("cisco_ios", "FortyGigabitEthernet1/1/1", "Fo1/1/1"),
    ("cisco_ios", "HundredGigE1/0/49", "Hu1/0/49"),
    ("huawei_vrp", "10GE1/0/1", "10GE1/0/1"),
    ("hp_comware", "Route-Aggregation2", "RAGG2"),
    ("hp_comware", "Twenty-FiveGigE1/0/1", "WGE1/0/1"),
    ("fortinet", "port1", "port1"),
]


@pytest.mark.parametrize(("platform", "name", "expected"), CANONICAL)
def test_canonical_name(platform: str | None, name: str, expected: str) -> None:
    assert canonical_name(platform, name) == expected


@pytest.mark.parametrize(("platform", "name", "expected"), SHORT)
def test_short_name(platform: str, name: str, expected: str) -> None:
    assert short_name(platform, name) == expected


@pytest.mark.parametrize(("platform", "name", "expected"), SHORT)
def test_short_name_round_trips(platform: str, name: str, expected: str) -> None:
    assert canonical_name(platform, expected) == name


@pytest.mark.parametrize(
    ("name", "lag"),
    [
        ("Eth-Trunk1", True),
        ("BAGG2", True),
        ("Bridge-Aggregation3", True),
        ("Po4", True),
        ("RAGG5", True),
        ("Route-Aggregation6", True),
        ("GE0/0/1", False),
        ("port1", False),
    ],
)
def test_is_lag(name: str, lag: bool) -> None:
    assert is_lag(name) is lag


def test_same_port_across_spellings() -> None:
    assert same_port("hp_comware", "XGE1/0/1", "Ten-GigabitEthernet1/0/1")
    assert same_port("huawei_vrp", "GE0/0/1", "GigabitEthernet0/0/1")
    assert not same_port("huawei_vrp", "GE0/0/1", "GE0/0/2")


PLATFORMS = st.sampled_from(["huawei_vrp", "hp_comware", "cisco_ios", None])
KINDS = st.sampled_from(
    ["GE", "XGE", "40GE", "100GE", "Eth-Trunk", "Gi", "Te", "Po", "BAGG", "FGE", "HGE"]
)
NUMBERS = st.lists(st.integers(0, 99), min_size=1, max_size=3).map(
    lambda xs: "/".join(map(str, xs))
)


@given(PLATFORMS, KINDS, NUMBERS)
def test_canonical_is_idempotent_and_short_agrees(
    platform: str | None, kind: str, number: str
) -> None:
    name = kind + number
    full = canonical_name(platform, name)
    assert canonical_name(platform, full) == full
    assert canonical_name(platform, short_name(platform, name)) == full
    assert full.endswith(number)


# Where netutils (the field's library) is right we use it; where it is wrong for our platforms
# the platform files say otherwise. Each case: what netutils says, what the device prints.
NETUTILS_WRONG = [
    # Huawei S-series print XGigabitEthernet (display interface brief: XGE0/0/1)
    ("huawei_vrp", "XGE0/0/1", "TenGigabitEthernet0/0/1", "XGigabitEthernet0/0/1"),
    # Comware's aggregate is Bridge-Aggregation, not a Cisco Port-channel
    ("hp_comware", "Bridge-Aggregation1", "Port-channel1", "Bridge-Aggregation1"),
    # IOS-XE's 100G ports are HundredGigE1/0/49 (show running-config), abbreviated Hu
    ("cisco_ios", "Hu1/0/49", "HundredGigabitEthernet1/0/49", "HundredGigE1/0/49"),
    # Comware FortyGigE is the configuration's name; netutils expands it the Cisco way
    ("hp_comware", "FGE1/0/53", "FortyGigabitEthernet1/0/53", "FortyGigE1/0/53"),
    # netutils does not know Huawei's and Comware's own abbreviations at all
    ("huawei_vrp", "MEth0/0/1", "MEth0/0/1", "MEth0/0/1"),
    ("hp_comware", "BAGG1", "BAGG1", "Bridge-Aggregation1"),
    ("hp_comware", "HGE1/0/1", "HGE1/0/1", "HundredGigE1/0/1"),
]


@pytest.mark.parametrize(("platform", "name", "netutils_says", "expected"), NETUTILS_WRONG)
def test_own_rules_only_where_netutils_is_wrong(
    platform: str, name: str, netutils_says: str, expected: str
) -> None:
    from netutils.interface import canonical_interface_name

    assert canonical_interface_name(name) == netutils_says
    assert canonical_name(platform, name) == expected


@pytest.mark.parametrize(
    "name", ["Gi1/0/1", "Te1/1/1", "Fa0/1", "Po1", "Tw2/0/33", "Twe1/0/1", "Fo1/1/1"]
)
def test_cisco_names_agree_with_netutils(name: str) -> None:
    from netutils.interface import canonical_interface_name

    assert canonical_name("cisco_ios", name) == canonical_interface_name(name)


@pytest.mark.parametrize(
    ("platform", "napalm", "template"),
    [
        # napalm's ios driver expands local interfaces; the templates keep what IOS printed
        ("cisco_ios", "TwoGigabitEthernet2/0/33", "Tw2/0/33"),
        ("cisco_ios", "HundredGigabitEthernet1/0/49", "Hu1/0/49"),
        ("hp_comware", "Ten-GigabitEthernet1/0/49", "XGE1/0/49"),
        ("huawei_vrp", "XGigabitEthernet0/0/1", "XGE0/0/1"),
    ],
)
def test_one_key_whichever_path_read_the_port(platform: str, napalm: str, template: str) -> None:
    assert canonical_name(platform, napalm) == canonical_name(platform, template)


def test_interface_names_are_platform_data() -> None:
    """Every platform with switch ports names them in its platform file, not in Python."""
    from netsteward.tasks.platforms import load_platform

    for platform in ("huawei_vrp", "hp_comware", "cisco_ios"):
        kinds = {i.kind for i in load_platform(platform).interface_names}
        assert {"ge", "xge", "lag", "vlan"} <= kinds, platform
