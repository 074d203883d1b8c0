"""Canonical and short interface names, per platform.

LLDP, CDP, napalm, configurations and people spell one port many ways: `GE0/0/1`,
`GigabitEthernet0/0/1`, `Gi0/0/1`; H3C's `XGE1/0/49` is `Ten-GigabitEthernet1/0/49` and a
Cisco neighbour may call it `Te1/0/49`. Every port gets one key: the platform's own full
name (the name its running configuration prints), whichever spelling and whichever reader
(a template or napalm) produced it.

    canonical_name("huawei_vrp", "XGE0/0/1")         -> "XGigabitEthernet0/0/1"
    canonical_name("hp_comware", "XGE1/0/49")        -> "Ten-GigabitEthernet1/0/49"
    canonical_name("cisco_ios", "Tw2/0/33")          -> "TwoGigabitEthernet2/0/33"
    canonical_name(None, "Ten-GigabitEthernet1/0/1") -> "TenGigabitEthernet1/0/1"
    short_name("hp_comware", "Bridge-Aggregation1")  -> "BAGG1"

The names each platform prints are data: `interface_names:` in `tasks/platforms/<name>.yaml`.
A spelling the platform itself does not print (another vendor's, e.g. a Cisco `Te` read on a
Huawei switch) is recognised by its kind of port (any platform's table, then netutils' table
of Cisco-world spellings) and given the platform's first name of that kind.

Without a platform (a neighbour that is not in the inventory) names are netutils'
`canonical_interface_name`. Where netutils is wrong for our platforms the platform files say
otherwise, each case with a test (tests/unit/core/test_ifnames.py): Huawei `XGE` is
XGigabitEthernet (netutils: TenGigabitEthernet), Comware `Bridge-Aggregation` stays itself
(netutils: Port-channel), IOS-XE `Hu` is HundredGigE (netutils: HundredGigabitEthernet), and
netutils does not know Huawei `10GE`/`25GE`/`40GE`/`100GE`/`MEth`/`Eth-Trunk` or Comware
`WGE`/`HGE`/`BAGG`/`RAGG`/`MGE`.

Names of platforms without a table (firewalls, FC switches: FortiGate `port1`, Brocade `0`)
are taken as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from netutils.interface import abbreviated_interface_name, canonical_interface_name

from netsteward.tasks.platforms import PLATFORMS, load_platform

# ports that carry a cable (what port policies apply to); the others are logical
PHYSICAL_KINDS = frozenset(
    {"ge", "2.5ge", "5ge", "multige", "xge", "25ge", "40ge", "100ge", "fe", "eth"}
)

# a number part: digits and separators, e.g. 1/0/49, 0/0/1.100, 1:2
_NUMBER = re.compile(r"^\d+([/:.]\d+)*$")


@dataclass(frozen=True)
class _Entry:
    name: str
    short: str
    kind: str


@dataclass(frozen=True)
class _Tables:
    own: dict[str, dict[str, _Entry]]  # platform -> spelling (lower) -> its entry
    first: dict[str, dict[str, _Entry]]  # platform -> kind -> the platform's first entry of it
    kinds: dict[str, str]  # every platform's spellings (lower) -> kind
    prefixes: tuple[str, ...]  # every spelling, longest first


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    own: dict[str, dict[str, _Entry]] = {}
    first: dict[str, dict[str, _Entry]] = {}
    kinds: dict[str, str] = {}
    for platform in PLATFORMS:
        names = load_platform(platform).interface_names
        if not names:
            continue
        own[platform], first[platform] = {}, {}
        for item in names:
            entry = _Entry(item.name, item.short, item.kind)
            first[platform].setdefault(item.kind, entry)
            for spelling in (item.name, item.short, *item.aliases):
                own[platform][spelling.lower()] = entry
                kinds.setdefault(spelling.lower(), item.kind)
    prefixes = tuple(sorted(kinds, key=len, reverse=True))
    return _Tables(own, first, kinds, prefixes)


def _split(name: str) -> tuple[str, str] | None:
    """(type spelling, number part) when the name starts with a spelling some platform knows."""
    compact = name.replace(" ", "")
    lower = compact.lower()
    for prefix in _tables().prefixes:
        if lower.startswith(prefix) and _NUMBER.match(compact[len(prefix) :]):
            return compact[: len(prefix)], compact[len(prefix) :]
    return None


@lru_cache(maxsize=65536)
def _kind_and_number(name: str) -> tuple[str | None, str, str]:
    """(kind, type spelling, number part); kind None when no table nor netutils knows it."""
    found = _split(name)
    if found is not None:
        return _tables().kinds[found[0].lower()], found[0], found[1]
    expanded = canonical_interface_name(name.replace(" ", ""))
    found = _split(expanded)
    if found is not None:  # a Cisco-world spelling netutils knows (TenGigE, Fast, ...)
        return _tables().kinds[found[0].lower()], found[0], found[1]
    return None, name.replace(" ", ""), ""


def _entry(platform: str, name: str) -> tuple[_Entry | None, str]:
    kind, spelling, number = _kind_and_number(name)
    if kind is None:
        return None, spelling
    tables = _tables()
    entry = tables.own[platform].get(spelling.lower()) or tables.first[platform].get(kind)
    return entry, number


@lru_cache(maxsize=65536)
def canonical_name(platform: str | None, name: str) -> str:
    """The platform's own full spelling of an interface name (netutils' without a platform)."""
    if not name:
        return name
    name = name.strip()
    if platform is None:
        return canonical_interface_name(name.replace(" ", ""))
    if platform not in _tables().own:
        return name  # firewalls, FC switches: their own names, taken as printed
    entry, number = _entry(platform, name)
    return entry.name + number if entry is not None else number


@lru_cache(maxsize=65536)
def short_name(platform: str | None, name: str) -> str:
    """The short form used in port descriptions (DESIGN.md "Port policy defaults")."""
    if not name:
        return name
    name = name.strip()
    if platform is None:
        return abbreviated_interface_name(canonical_name(None, name))
    if platform not in _tables().own:
        return name
    entry, number = _entry(platform, name)
    return entry.short + number if entry is not None else number


def port_kind(name: str) -> str | None:
    """The kind of port ('ge', 'xge', '25ge', ..., 'lag', 'mgmt', 'vlan', 'loop', 'null') or None."""
    return _kind_and_number(name.strip())[0]


def is_lag(name: str) -> bool:
    """True for Eth-Trunk, Bridge-Aggregation, Route-Aggregation, Port-channel in any spelling."""
    return port_kind(name) == "lag"


def is_physical(name: str) -> bool:
    """A port that takes a cable (not a LAG, VLAN interface, loopback...)."""
    return port_kind(name) in PHYSICAL_KINDS


def same_port(platform: str | None, a: str, b: str) -> bool:
    """True when two spellings name the same port of a device of this platform."""
    return canonical_name(platform, a) == canonical_name(platform, b)
