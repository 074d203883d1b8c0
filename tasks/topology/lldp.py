"""A device's neighbours: the platform's LLDP (and CDP) commands, read and put together.

    read_neighbors(platform, send, source) -> Reading[Neighbor]
    neighbor_commands(platform)            -> the commands that reading sends (may be none)

`send(command) -> text` is whatever reads one command from the device (the device session's
`Session.read`, napalm's `cli`, a captured file): which commands and which readers come from the platform file
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

from collections.abc import Callable
from dataclasses import replace

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
    "neighbor_commands",
    "neighbors_unread",
    "read_neighbors",
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
