"""LAG readers: which member ports each aggregate has, as the device printed their names.

| reader                | command                                 | how |
|-----------------------|-----------------------------------------|-----|
| huawei_vrp.lag        | display eth-trunk                       | ntc-templates |
| hp_comware.lag        | display link-aggregation verbose        | ntc-templates |
| cisco_ios.lag         | show etherchannel summary               | ntc-templates |
| huawei_vrp.lag_config | display current-configuration interface | `eth-trunk N` in interface sections |
| hp_comware.lag_config | display current-configuration interface | `port link-aggregation group N` |
| cisco_ios.lag_config  | show running-config                     | `channel-group N` |

The `lag_config` readers are what discovery falls back to when a device does not know the LAG
command; no ntc-templates template reads a configuration, hence the three regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netsteward.tasks.core.fsm import read_table
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, nothing_read, reader


@dataclass(frozen=True)
class Lag:
    """One aggregate and its member ports (names as printed; each once, in the device's order)."""

    name: str
    members: tuple[str, ...] = ()


def _lags(pairs: list[tuple[str, str]]) -> tuple[Lag, ...]:
    members: dict[str, list[str]] = {}
    for lag, port in pairs:
        if lag:
            members.setdefault(lag, [])
            if port and port not in members[lag]:
                members[lag].append(port)
    return tuple(Lag(lag, tuple(ports)) for lag, ports in members.items())


@reader("huawei_vrp.lag")
def huawei_lag(text: str) -> Reading[Lag]:
    """`display eth-trunk`: the Local and Partner tables of each Eth-Trunk (members once)."""
    rows, warnings = read_table(
        "ntc:huawei_vrp_display_eth-trunk.textfsm", text, strict=True, what=_("LAG member")
    )
    pairs = [(str(r.values["eth_trunk"]), str(r.values["interface"])) for r in rows]
    return Reading(_lags(pairs), warnings)


@reader("hp_comware.lag")
def comware_lag(text: str) -> Reading[Lag]:
    """`display link-aggregation verbose`: each aggregate's Local member ports ("(R)", the
    reference port mark, dropped). ntc-templates' template skips the legend lines it has no rule
    for: each `Aggregate Interface:` must still become one aggregate, else it is reported."""
    rows, warnings = read_table(
        "ntc:hp_comware_display_link-aggregation_verbose.textfsm",
        text,
        strict=False,
        entry=r"^Aggregat\S*\s+Interface:",
        what=_("aggregate"),
        known=r"\s--\s",  # the legend: "Port Status: S -- Selected, U -- Unselected, ..."
    )
    pairs: list[tuple[str, str]] = []
    for r in rows:
        name = str(r.values["interface"])
        pairs.append((name, ""))
        pairs.extend((name, re.sub(r"\(R\)$", "", m)) for m in r.values["local_interfaces"])
    return Reading(_lags(pairs), warnings)


@reader("cisco_ios.lag")
def cisco_lag(text: str) -> Reading[Lag]:
    """`show etherchannel summary`: each group's port-channel and its member ports."""
    rows, warnings = read_table(
        "ntc:cisco_ios_show_etherchannel_summary.textfsm",
        text,
        strict=False,
        entry=r"^\d+\s+\S+\(",
        what=_("channel group"),
        # the legend and the header of an empty table
        known=r"^(Flags:|\s+[A-Za-z]\s+-\s|Number of (channel-groups|aggregators)|Group\s+Port-channel|-+\+)",
    )
    pairs: list[tuple[str, str]] = []
    for r in rows:
        name = str(r.values["bundle_name"])
        pairs.append((name, ""))
        pairs.extend((name, m) for m in r.values["member_interface"])
    return Reading(_lags(pairs), warnings)


def _from_config(text: str, member: str, prefix: str) -> Reading[Lag]:
    """LAG -> members from the interface sections of a running configuration."""
    member_re = re.compile(member)
    pairs: list[tuple[str, str]] = []
    current, interfaces = "", 0
    for line in text.splitlines():
        m = re.match(r"^interface\s+(\S+)", line)
        if m:
            current, interfaces = m.group(1), interfaces + 1
            continue
        if line and not line[0].isspace():
            current = ""
        m = member_re.match(line)
        if m and current:
            pairs.append((prefix + m.group(1), current))
    if not interfaces and text.strip():
        return Reading(warnings=(nothing_read(text, "no interface section in this output"),))
    return Reading(_lags(pairs))


@reader("huawei_vrp.lag_config")
def huawei_lag_config(text: str) -> Reading[Lag]:
    return _from_config(text, r"^\s*eth-trunk\s+(\d+)", "Eth-Trunk")


@reader("hp_comware.lag_config")
def comware_lag_config(text: str) -> Reading[Lag]:
    return _from_config(text, r"^\s*port link-aggregation group\s+(\d+)", "Bridge-Aggregation")


@reader("cisco_ios.lag_config")
def cisco_lag_config(text: str) -> Reading[Lag]:
    return _from_config(text, r"^\s*channel-group\s+(\d+)", "Port-channel")
