"""What a port plan is computed from: each device's configuration and LLDP neighbours.

Live: the Nornir task `read_port_state` reads the running configuration and the
LLDP neighbours through one device session. Offline: `offline_states` takes the latest
backup (`configs/<network>/<role>/<HOST>.cfg`) and the latest topology snapshot
(`configs/topology/YYYY-MM-DD.json`) from the backup repository.

Live configurations are normalised exactly like backups (`netsteward.tasks.core.scrub`), so
a plan made from either source has the same fingerprint for the same device.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nornir.core.task import Result, Task
from pydantic import TypeAdapter

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.failures import ERROR, INCOMPLETE, DeviceFailure
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.core.session import Session, SessionOptions, on_device
from netsteward.tasks.core.store import BackupStore
from netsteward.tasks.ports.config import scrubbed
from netsteward.tasks.ports.plan import Link

log = logging.getLogger(__name__)

# one device's whole read (configuration, then LLDP), retries included
READ_BUDGET = 120.0


@dataclass(frozen=True)
class PortState:
    """One device's inputs to the plan."""

    host: str
    config: str  # normalised like the backup stores it
    links: tuple[Link, ...]


def read_running_config(session: Session) -> str:
    """The device's running configuration, raw; DeviceFailure(INCOMPLETE) when cut short.

    Read as the backup reads it (to the device's prompt), so live and offline plans
    fingerprint alike."""
    collect = next(c for c in session.platform.collect if c.kind == "config")
    text = session.read(collect.command, collect.read_timeout)
    if not re.search(collect.end_marker, text, re.M):
        raise DeviceFailure(
            INCOMPLETE,
            _("{command!r} output has no end marker (cut short?)").format(command=collect.command),
        )
    return text


def neighbours_as_links(neighbors: Sequence[object]) -> tuple[Link, ...]:
    """netsteward.tasks.topology.neighbor.Neighbor records -> plan input links (peer by system name, domain stripped)."""
    out = []
    for n in neighbors:
        peer = getattr(n, "peer_label", "") or getattr(n, "peer", "")
        port = getattr(n, "peer_port", "")
        if peer and port:
            caps = str(getattr(n, "capabilities", "") or "")
            out.append(Link(n.local_port, peer, port, caps))  # type: ignore[attr-defined]
    return tuple(out)


def read_neighbours(session: Session) -> tuple[Link, ...]:
    """LLDP (and CDP) neighbours, read until the device's own prompt, as topology discovery
    reads them (`netsteward.tasks.topology.lldp.read_neighbors`). Neighbours that could not be
    read, or only in part, make the device unreadable: a plan from a shorter list of neighbours
    would call live cables stale."""
    from netsteward.tasks.topology.lldp import neighbor_commands, read_neighbors

    if not neighbor_commands(session.platform):
        return ()
    found = read_neighbors(session.platform, session.read, session.name)
    if found.warnings:
        more = f" (and {len(found.warnings) - 1} more)" if len(found.warnings) > 1 else ""
        raise DeviceFailure(ERROR, f"neighbours not fully read: {found.warnings[0]}{more}")
    return neighbours_as_links(found.records)


def read_port_state(
    task: Task, retries: int = 1, timeout: float = READ_BUDGET, backoff: float = 0.5
) -> Result:
    """Nornir task: the host's normalised running configuration and its LLDP neighbours.

    One device session (`netsteward.tasks.core.session.on_device`) with the fleet-wide
    retry rule: a session that did not answer, dropped or came back cut short is tried
    again on a new session (`retries` more times, within `timeout` seconds); a refused
    log-in or a pager is not. The session is closed as soon as the device is read, so a
    plan of the whole fleet holds at most `num_workers` sessions.
    """
    host = task.host
    options = SessionOptions(timeout=timeout, retries=retries, backoff=backoff)
    got = on_device(task, lambda s: (read_running_config(s), read_neighbours(s)), options)
    if not got.ok or got.value is None:  # a failed result, not an exception: no traceback logged
        log.info("%s: reading configuration and LLDP failed: %s", host.name, got.reason)
        return Result(host=host, result=got.reason or "failed", failed=True)
    config, links = got.value
    log.debug("%s: %d config lines, %d LLDP neighbours", host.name, config.count("\n"), len(links))
    state = PortState(host.name, scrubbed(host.platform or "", config), links)
    return Result(host=host, result=state)


def read_states(
    nr: Any, processors: Sequence[Any] = ()
) -> tuple[dict[str, PortState], dict[str, str]]:
    """Every selected host's `PortState`, and the hosts that could not be read (host ->
    reason): what a live plan is computed from, locally or on a Celery worker's shard.
    `processors`: Nornir processors (the progress bar)."""
    runner = nr.with_processors(list(processors)) if processors else nr
    # on_failed: a host that failed an earlier run of this Nornir (a worker's, which lives
    # on) is read again, not left out
    agg = runner.run(
        task=read_port_state, name="read port state", raise_on_error=False, on_failed=True
    )
    typed = typed_results(agg, PortState)  # (each device's session closed when read)
    return typed.ok, {h: f.reason for h, f in typed.failed.items()}


def state_payload(state: PortState) -> dict[str, Any]:
    """A `PortState` as JSON-ready data (what a Celery worker returns)."""
    return asdict(state)


_STATES: TypeAdapter[list[PortState]] = TypeAdapter(list[PortState])


def states_from_payload(data: Any) -> list[PortState]:
    """`PortState`s back from a worker's JSON (validated: a malformed reply raises)."""
    return _STATES.validate_python(data)


# -- offline: the backup repository --------------------------------------------


class BackupReader:
    """Committed backups of a repository, read in one walk of the git tree.

    Hosts never committed fall back to the work-tree file
    `<network>/<role>/<HOST>.cfg` (a repository that is not a git repository yet).
    """

    def __init__(self, repo: Path) -> None:
        self.store = BackupStore.at(repo)
        self.committed = self.store.configs()

    def get(self, host: str, network: str, role: str) -> str | None:
        text = self.committed.get(host)
        if text:
            return text
        return self.store.read(f"{network}/{role}/{host}.cfg")


def latest_snapshot_path(repo: Path) -> Path | None:
    """The newest topology snapshot in the repository's work tree (None: there is none)."""
    names = BackupStore.at(repo).snapshots()
    return repo / names[-1] if names else None


def snapshot_links(repo: Path) -> tuple[dict[str, list[Link]], set[str], str]:
    """host -> LLDP links from the latest topology snapshot (declared links left out: the
    plan takes them from the inventory), the hosts the snapshot discovered, and its date.
    A neighbour the inventory does not have keeps the LLDP capabilities it advertised."""
    from netsteward.tasks.topology.store import read_snapshot

    store = BackupStore.at(repo)
    names = store.snapshots()
    if not names:
        raise BadInput(
            _(
                "no topology snapshot (configs/topology/YYYY-MM-DD.json); run `netsteward topology` first"
            ),
            file=str(repo / "topology"),
        )
    snap = read_snapshot(store, names[-1])
    out: dict[str, list[Link]] = {}
    for link in snap.links.values():
        if link.seen == "declared":
            continue
        for (ha, pa), (hb, pb) in link.cables():
            caps_a, caps_b = (
                snap.nodes[h].capabilities if h in snap.nodes else "" for h in (ha, hb)
            )
            out.setdefault(ha, []).append(Link(pa, hb, pb, caps_b))
            out.setdefault(hb, []).append(Link(pb, ha, pa, caps_a))
    discovered = {name for name, node in snap.nodes.items() if node.kind == "device"} - set(
        snap.unreachable
    )
    return out, discovered, snap.date


def offline_states(
    repo: Path, hosts: dict[str, tuple[str, str]]
) -> tuple[dict[str, PortState], dict[str, str]]:
    """States of `hosts` (name -> (network, role)) from the backup; and hosts left out, with why.

    A host the snapshot did not discover is left out: without its neighbours every
    port would look like an edge port.
    """
    links, discovered, date = snapshot_links(repo)
    backups = BackupReader(repo)
    states: dict[str, PortState] = {}
    missing: dict[str, str] = {}
    for host, (network, role) in sorted(hosts.items()):
        text = backups.get(host, network, role)
        if text is None:
            missing[host] = "no backup in the repository"
            continue
        if host not in discovered:
            missing[host] = (
                f"not discovered in the topology snapshot of {date} (neighbours unknown)"
            )
            continue
        states[host] = PortState(host, text, tuple(links.get(host, [])))
    return states, missing
