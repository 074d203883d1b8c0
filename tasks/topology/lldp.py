"""A device's neighbours: the platform's LLDP (and CDP) commands, read and put together.

    read_neighbors(platform, send, source) -> Reading[Neighbor]
    neighbor_commands(platform)            -> the commands that reading sends (may be none)

`send(command) -> text` is whatever reads one command from the device (netmiko, napalm's
session, a captured file): which commands and which readers come from the platform file
(`reads:` purposes `lldp`, `lldp_brief`, `cdp`), so every job reads neighbours the same way:

- the LLDP detail (`lldp`), every neighbour of every port;
- where the detail lacks a neighbour's local port (Cisco releases without `Local Intf:`), the
  brief table (`lldp_brief`) gives it: it lists the same neighbours in the same order (napalm's
  ios driver relies on the same); a neighbour the brief table does not confirm is reported;
- CDP (`cdp`) beside LLDP: a CDP neighbour that LLDP already shows on that port (same name,
  management address or remote port) only fills in what LLDP left blank; others are added.

The warnings of every reader come back named with the device and command.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from nornir.core.task import Task

from netsteward.tasks.backup.collect import read_command
from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.core.reading import Reading, ReadWarning, get_reader
from netsteward.tasks.platforms import Platform, load_platform
from netsteward.tasks.topology.neighbor import Neighbor
from netsteward.tasks.topology.readers.neighbors import not_running

__all__ = [
    "NEIGHBOR_PURPOSES",
    "Neighbor",
    "combine_cdp",
    "fill_local_interfaces",
    "napalm_device",
    "neighbor_commands",
    "neighbors_unread",
    "read_neighbors",
    "read_output",
]

NEIGHBOR_PURPOSES = ("lldp", "lldp_brief", "cdp")
READ_TIMEOUT = 60.0  # seconds for one command's whole output (the platform file may say more)

Send = Callable[[str], str]


def neighbor_commands(platform: Platform) -> list[str]:
    """The commands `read_neighbors` may send for this platform (none: no neighbour protocol)."""
    return [platform.reads[p].command for p in NEIGHBOR_PURPOSES if p in platform.reads]


def _read(platform: Platform, purpose: str, send: Send, source: str) -> Reading[Neighbor]:
    read = platform.reads[purpose]
    return get_reader(read.reader)(send(read.command)).about(source, read.command)


def fill_local_interfaces(detail: Reading[Neighbor], brief: Reading[Neighbor]) -> Reading[Neighbor]:
    """Neighbours of the detail output with the local port from the brief table where the
    detail has none. Both list the same neighbours in the same order; a neighbour whose brief
    row does not match (name prefix, port ID) or that has no row keeps no local port and is
    reported."""
    rows = list(brief.records)
    out: list[Neighbor] = []
    warnings: list[ReadWarning] = list(detail.warnings)
    same_count = len(rows) == len(detail.records)
    for i, nb in enumerate(detail.records):
        if nb.local_interface:
            out.append(nb)
            continue
        row = rows[i] if same_count and _same(rows[i], nb) else None
        if row is None:
            matches = [r for r in rows if _same(r, nb)]
            row = matches[0] if len(matches) == 1 else None
        if row is None:
            warnings.append(
                ReadWarning(
                    line=0,
                    text=nb.neighbor_name or nb.chassis_id,
                    problem="neighbour without a local port, and the brief table does not say it",
                    kind="partial",
                )
            )
            out.append(nb)
            continue
        out.append(replace(nb, local_interface=row.local_interface))
    return Reading(tuple(out), tuple(warnings))


def _same(row: Neighbor, nb: Neighbor) -> bool:
    name = row.neighbor_name
    named = not name or any(v.startswith(name) for v in (nb.neighbor_name, nb.chassis_id))
    port = not row.neighbor_port_id or row.neighbor_port_id in (
        nb.neighbor_port_id,
        nb.neighbor_port_description,
    )
    return named and port


def combine_cdp(
    platform: str, lldp: tuple[Neighbor, ...], cdp: tuple[Neighbor, ...]
) -> tuple[Neighbor, ...]:
    """LLDP neighbours plus the CDP neighbours LLDP does not show. A CDP neighbour on the same
    local port with the same name, management address or remote port is the same neighbour:
    it fills in only the fields LLDP left blank."""
    out = list(lldp)
    for c in cdp:
        local = canonical_name(platform, c.local_interface)
        for i, n in enumerate(out):
            if n.protocol != "lldp" or canonical_name(platform, n.local_interface) != local:
                continue
            if _same_peer(n, c):
                out[i] = replace(
                    n,
                    neighbor_name=n.neighbor_name or c.neighbor_name,
                    mgmt_address=n.mgmt_address or c.mgmt_address,
                    platform=n.platform or c.platform,
                    system_description=n.system_description or c.system_description,
                )
                break
        else:
            out.append(c)
    return tuple(out)


def _same_peer(a: Neighbor, b: Neighbor) -> bool:
    if a.peer_label and b.peer_label and a.peer_label.lower() == b.peer_label.lower():
        return True
    if a.mgmt_address and a.mgmt_address == b.mgmt_address:
        return True
    return bool(a.peer_port) and canonical_name(None, a.peer_port) == canonical_name(
        None, b.peer_port
    )


def read_neighbors(platform: Platform, send: Send, source: str = "") -> Reading[Neighbor]:
    """Every neighbour of one device, through the platform's neighbour readers."""
    reads = platform.reads
    lldp: Reading[Neighbor] = Reading()
    if "lldp" in reads:
        lldp = _read(platform, "lldp", send, source)
        if "lldp_brief" in reads and any(not n.local_interface for n in lldp.records):
            brief = _read(platform, "lldp_brief", send, source)
            lldp = fill_local_interfaces(lldp, brief).about(source, reads["lldp"].command)
    if "cdp" not in reads:
        return lldp
    cdp = _read(platform, "cdp", send, source)
    records = combine_cdp(platform.name, lldp.records, cdp.records)
    warnings = [*lldp.warnings, *cdp.warnings]
    if "lldp" in reads and any(not_running(w) for w in lldp.warnings) and records:
        warnings = [w for w in warnings if not not_running(w)]  # CDP-only: nothing missing
    return Reading(records, tuple(warnings))


def read_output(task: Task, command: str, timeout: float = READ_TIMEOUT) -> str:
    """One command over the host's netmiko session, read until the device prompt ends it.

    Not netmiko's `send_command`: its hp_comware driver turns command-echo checking off
    (`global_cmd_verify=False`), so the read ends at the first prompt it sees. Under load
    `find_prompt` sends a second Enter when the first prompt has not come within 25 ms; that
    prompt can arrive after netmiko's buffer clears and before the device's answer, and the
    command came back empty. Asked again, the answer of the first send was still in the
    channel: `find_prompt` took part of it as the prompt and the read ended at the first
    32 KiB SSH packet (H3C LAG tables cut after ~62 of 75 aggregates). The backup's reader
    (`netsteward.tasks.backup.collect.read_command`) drains the channel, writes the command once, waits for its
    echo and ends only when the last line is this device's prompt; a pager, a closed session
    or no prompt before the time limit raise instead of returning part of the answer.
    """
    conn = task.host.get_connection("netmiko", task.nornir.config)
    platform = load_platform(task.host.platform or "")
    return read_command(conn, platform, command, time.monotonic() + timeout)


def napalm_device(task: Task) -> Any:
    """The host's napalm `ios` driver, opened with platform "ios" whatever the inventory says.

    napalm enters enable mode on open: the secret is the netmiko extras' `secret`
    when the inventory sets one, else the login password.
    """
    host = task.host
    if "napalm" not in host.connections:
        extras = dict(host.get_connection_parameters("napalm").extras or {})
        netmiko_extras = host.get_connection_parameters("netmiko").extras or {}
        optional = dict(extras.get("optional_args") or {})
        optional.setdefault("port", host.port)
        optional.setdefault("conn_timeout", netmiko_extras.get("conn_timeout", 20))
        optional.setdefault("secret", netmiko_extras.get("secret") or host.password or "")
        extras["optional_args"] = optional
        host.open_connection("napalm", task.nornir.config, platform="ios", extras=extras)
    return host.get_connection("napalm", task.nornir.config)


def neighbors_unread(
    warnings: dict[str, tuple[ReadWarning, ...]], platforms: dict[str, str]
) -> dict[str, str]:
    """{host: why} of the devices whose neighbours could not be read ("not read: ...") or were
    read only in part ("partly read: ..."), from each device's reader warnings."""
    out: dict[str, str] = {}
    for host, found in sorted(warnings.items()):
        commands = set(neighbor_commands(load_platform(platforms[host])))
        about = [w for w in found if w.command in commands]
        if about:
            nothing = all(w.kind in ("nothing", "format") for w in about)
            more = f" (and {len(about) - 1} more)" if len(about) > 1 else ""
            out[host] = ("not read: " if nothing else "partly read: ") + str(about[0]) + more
    return out
