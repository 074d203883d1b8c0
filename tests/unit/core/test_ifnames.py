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
    ("huawei_vrp", "10GE1/0/1", "XGigabitEthernet1/0/1"),
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
    ("cisco_ios", "Gi1/0/1", "GigabitEthernet1/0/1"),
    ("cisco_ios", "Te1/1/1", "TenGigabitEthernet1/1/1"),
    ("cisco_ios", "Fa0/1", "FastEthernet0/1"),
    ("cisco_ios", "Po1", "Port-channel1"),
    ("cisco_ios", "Port-channel1", "Port-channel1"),
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
