"""Canonical and short interface names, per platform.

LLDP, configurations and people spell one port many ways: `GE0/0/1`,
`GigabitEthernet0/0/1`, `Gi0/0/1`; H3C's `XGE1/0/49` is `Ten-GigabitEthernet1/0/49`
and a Cisco neighbour may call it `Te1/0/49`. netutils knows the Cisco-style
names; this module adds the Huawei and H3C spellings and renders each port in
the platform's own full name (the name the device prints in its running
configuration), so that one port is one key everywhere.

    canonical_name("huawei_vrp", "XGE0/0/1")         -> "XGigabitEthernet0/0/1"
    canonical_name("hp_comware", "XGE1/0/49")        -> "Ten-GigabitEthernet1/0/49"
    canonical_name(None, "Ten-GigabitEthernet1/0/1") -> "TenGigabitEthernet1/0/1"
    short_name("hp_comware", "Bridge-Aggregation1")  -> "BAGG1"

Names whose prefix is not known (FortiGate `port1`, Brocade port `0`), and all
names on platforms without a table here (firewalls, FC switches), are returned
as printed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from netutils.interface import canonical_interface_name

# Spelling (lower case, no spaces) -> kind. Longest prefix wins (see _split).
_KINDS: dict[str, str] = {
    # 1G
    "gigabitethernet": "ge",
    "gigabitether": "ge",
    "gigabiteth": "ge",
    "gige": "ge",
    "ge": "ge",
    "gi": "ge",
    "g": "ge",
    # 10G
    "xgigabitethernet": "xge",
    "ten-gigabitethernet": "xge",
    "tengigabitethernet": "xge",
    "tengige": "xge",
    "10ge": "xge",
    "xge": "xge",
    "te": "xge",
    # 25G
    "25ge": "25ge",
    "twenty-fivegige": "25ge",
    "twentyfivegige": "25ge",
    "twentyfivegigabitethernet": "25ge",
    "wge": "25ge",
    "twe": "25ge",
    # 40G
    "40ge": "40ge",
    "fortygige": "40ge",
    "fortygigabitethernet": "40ge",
    "fge": "40ge",
    "fo": "40ge",
    # 100G
    "100ge": "100ge",
    "hundredgige": "100ge",
    "hundredgigabitethernet": "100ge",
    "hge": "100ge",
    "hu": "100ge",
    # 100M and plain Ethernet
    "fastethernet": "fe",
    "fa": "fe",
    "ethernet": "eth",
    "eth": "eth",
    "et": "eth",
    # aggregates
    "eth-trunk": "lag",
    "bridge-aggregation": "lag",
    "bagg": "lag",
    "port-channel": "lag",
    "portchannel": "lag",
    "po": "lag",
    # management
    "meth": "mgmt",
    "m-gigabitethernet": "mgmt",
    "mge": "mgmt",
    # logical
    "vlanif": "vlan",
    "vlan-interface": "vlan",
    "vlan": "vlan",
    "vl": "vlan",
    "loopback": "loop",
    "lo": "loop",
    "loop": "loop",
    "nullo": "null",
    "null": "null",
}

# kind -> (full name, short name) per platform; None is the vendor-neutral form.
_NAMES: dict[str | None, dict[str, tuple[str, str]]] = {
    "huawei_vrp": {
        "ge": ("GigabitEthernet", "GE"),
        "xge": ("XGigabitEthernet", "XGE"),
        "25ge": ("25GE", "25GE"),
        "40ge": ("40GE", "40GE"),
        "100ge": ("100GE", "100GE"),
        "fe": ("Ethernet", "Eth"),
        "eth": ("Ethernet", "Eth"),
        "lag": ("Eth-Trunk", "Eth-Trunk"),
        "mgmt": ("MEth", "MEth"),
        "vlan": ("Vlanif", "Vlanif"),
        "loop": ("LoopBack", "LoopBack"),
        "null": ("NULL", "NULL"),
    },
    "hp_comware": {
        "ge": ("GigabitEthernet", "GE"),
        "xge": ("Ten-GigabitEthernet", "XGE"),
        "25ge": ("Twenty-FiveGigE", "WGE"),
        "40ge": ("FortyGigE", "FGE"),
        "100ge": ("HundredGigE", "HGE"),
        "fe": ("Ethernet", "Eth"),
        "eth": ("Ethernet", "Eth"),
        "lag": ("Bridge-Aggregation", "BAGG"),
        "mgmt": ("M-GigabitEthernet", "MGE"),
        "vlan": ("Vlan-interface", "Vlan-int"),
        "loop": ("LoopBack", "Loop"),
        "null": ("NULL", "NULL"),
    },
    "cisco_ios": {
        "ge": ("GigabitEthernet", "Gi"),
        "xge": ("TenGigabitEthernet", "Te"),
        "25ge": ("TwentyFiveGigE", "Twe"),
        "40ge": ("FortyGigabitEthernet", "Fo"),
        "100ge": ("HundredGigE", "Hu"),
        "fe": ("FastEthernet", "Fa"),
        "eth": ("Ethernet", "Et"),
        "lag": ("Port-channel", "Po"),
        "mgmt": ("GigabitEthernet", "Gi"),
        "vlan": ("Vlan", "Vl"),
        "loop": ("Loopback", "Lo"),
        "null": ("Null", "Nu"),
    },
}
# Vendor-neutral names (unknown neighbours): netutils' canonical spelling.
_NAMES[None] = {
    **_NAMES["cisco_ios"],
    "40ge": ("FortyGigabitEthernet", "Fo"),
    "100ge": ("HundredGigabitEthernet", "Hu"),
    "mgmt": ("MgmtEthernet", "Mgmt"),
}

_PREFIXES = sorted(_KINDS, key=len, reverse=True)
# a number part: digits and separators, e.g. 1/0/49, 0/0/1.100, 1:2
_NUMBER = re.compile(r"^\d+([/:.]\d+)*$")


def _split(name: str) -> tuple[str | None, str]:
    """(kind, number part) of an interface name; kind None when the prefix is unknown."""
    compact = name.replace(" ", "")
    lower = compact.lower()
    for prefix in _PREFIXES:
        if lower.startswith(prefix) and _NUMBER.match(compact[len(prefix) :]):
            return _KINDS[prefix], compact[len(prefix) :]
    return None, compact


def _platform_names(platform: str | None) -> dict[str, tuple[str, str]]:
    return _NAMES.get(platform, _NAMES[None])


@lru_cache(maxsize=65536)
def canonical_name(platform: str | None, name: str) -> str:
    """The platform's own full spelling of an interface name (vendor-neutral when platform is None)."""
    if not name:
        return name
    if platform is not None and platform not in _NAMES:
        return name.strip()  # firewalls, FC switches: their own names, taken as printed
    kind, number = _split(name.strip())
    if kind is None:
        if platform is None:
            # let netutils try its own (larger) Cisco-world table
            return canonical_interface_name(number)
        return number
    return _platform_names(platform)[kind][0] + number


@lru_cache(maxsize=65536)
def short_name(platform: str | None, name: str) -> str:
    """The short form used in port descriptions (DESIGN.md "Port policy defaults")."""
    if not name:
        return name
    if platform is not None and platform not in _NAMES:
        return name.strip()
    kind, number = _split(name.strip())
    if kind is None:
        return number
    return _platform_names(platform)[kind][1] + number


def port_kind(name: str) -> str | None:
    """'ge', 'xge', '25ge', '40ge', '100ge', 'fe', 'eth', 'lag', 'mgmt', 'vlan', 'loop', 'null' or None."""
    return _split(name.strip())[0]


def is_lag(name: str) -> bool:
    """True for Eth-Trunk, Bridge-Aggregation, Port-channel names in any spelling."""
    return port_kind(name) == "lag"


def same_port(platform: str | None, a: str, b: str) -> bool:
    """True when two spellings name the same port of a device of this platform."""
    return canonical_name(platform, a) == canonical_name(platform, b)
