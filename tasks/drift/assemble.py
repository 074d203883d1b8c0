"""Both sides of the drift check as `DeviceState`s, from what was read (pure functions).

- live side: the devices' reads (`netsteward.tasks.drift.collect.LiveRead`), or with `--offline` the
  backup repository at HEAD and its latest topology snapshot;
- approved side: the committed files and the latest snapshot of the approved revision.

What cannot be known is not judged: cables a snapshot saw from one end only, cables of a
device a snapshot could not read (on its peers too), cables to a peer not read now. They are
"optional" on the approved side (neither gone nor new) and, for the port policy, assumed
unchanged on the live side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from netsteward.tasks.core.i18n import _
from netsteward.tasks.drift.check import DeviceState
from netsteward.tasks.drift.collect import LiveRead
from netsteward.tasks.drift.evaluators import SnapshotView, live_adjacencies
from netsteward.tasks.drift.model import Adjacency, DeviceInfo
from netsteward.tasks.drift.state import RepoState


@dataclass(frozen=True)
class LiveSide:
    states: dict[str, DeviceState]
    unreadable: dict[str, str]  # host -> why
    unknown: frozenset[str] = frozenset()  # hosts whose cabling is unknown now (offline)


def live_from_reads(
    reads: Mapping[str, LiveRead], failed: Mapping[str, str], platforms: Mapping[str, str]
) -> LiveSide:
    """The live side from the devices' reads; `failed`: hosts whose task raised."""
    unreadable = dict(failed)
    states: dict[str, DeviceState] = {}
    for host, read in reads.items():
        if read.error:
            unreadable[host] = read.error
            continue
        neighbors = (
            live_adjacencies(platforms[host], read.neighbors, dict(platforms), host)
            if read.neighbors is not None
            else None
        )
        states[host] = DeviceState(
            config=read.files.get("cfg"),
            files=read.files,
            neighbors=neighbors,
            lldp_error=read.lldp_error,
        )
    return LiveSide(states, unreadable)


def live_from_repo(current: RepoState, names: Iterable[str], snap: SnapshotView | None) -> LiveSide:
    """`--offline`: the committed backups at HEAD and its latest snapshot are the live side."""
    states: dict[str, DeviceState] = {}
    unreadable: dict[str, str] = {}
    for host in sorted(names):
        stored = current.files.get(host)
        if stored is None:
            unreadable[host] = _("no backup in the repository at {revision}").format(
                revision=current.label
            )
            continue
        neighbors: tuple[Adjacency, ...] | None = None
        lldp_error = None
        if snap is not None and host in snap.unreachable:
            lldp_error = _("{snapshot} could not read it").format(snapshot=snap.name)
        elif snap is not None:
            neighbors = snap.adjacencies.get(host, ()) + snap.one_sided.get(host, ())
        states[host] = DeviceState(
            config=stored.get("cfg"), files=stored, neighbors=neighbors, lldp_error=lldp_error
        )
    return LiveSide(states, unreadable, snap.unreachable if snap is not None else frozenset())


@dataclass(frozen=True)
class Sides:
    live: dict[str, DeviceState]
    approved: dict[str, DeviceState]
    notes: tuple[str, ...]


def assemble(
    devices: Iterable[DeviceInfo],
    live: LiveSide,
    approved_files: Mapping[str, Mapping[str, str]],
    snap: SnapshotView | None,
) -> Sides:
    """Approved states for `devices`, and the live states adjusted for unknown cabling."""
    devices = list(devices)
    notes: list[str] = []
    if snap is None:
        notes.append(_("topology not checked: no topology snapshot in the backup repository"))
    else:
        notes.append(_("topology compared with {snapshot}").format(snapshot=snap.name))
        skipped = sorted(snap.unreachable & {d.host for d in devices})
        if skipped:
            notes.append(
                _(
                    "topology not compared for {n} device(s) the snapshot could not read"
                    " (first {host})"
                ).format(n=len(skipped), host=skipped[0])
            )
    not_read_now = set(live.unknown) | set(live.unreadable)
    approved: dict[str, DeviceState] = {}
    for d in devices:
        files = approved_files.get(d.host)
        now = live.states.get(d.host)
        neighbors: tuple[Adjacency, ...] | None
        if snap is not None:
            neighbors = snap.adjacencies.get(d.host)
            if neighbors is None and d.host not in snap.unreachable and now is not None:
                neighbors = ()  # a device the snapshot does not know: every neighbour is new
            seen_now = now.neighbors if now is not None and now.neighbors else ()
            optional = (
                snap.one_sided.get(d.host, ())
                + tuple(a for a in seen_now if a.peer in snap.unreachable)
                + tuple(a for a in neighbors or () if a.peer in not_read_now)
            )
        else:  # no snapshot: judge the approved config on today's cabling
            neighbors = now.neighbors if now is not None else None
            optional = ()
        approved[d.host] = DeviceState(
            config=files.get("cfg") if files else None,
            files=files,
            neighbors=neighbors,
            optional_neighbors=optional,
        )
    states = dict(live.states)
    for host, state in live.states.items():
        before = approved.get(host)
        if before is None or not before.links():
            continue
        if state.neighbors is None:  # its cabling cannot be read now: assume unchanged
            states[host] = replace(state, optional_neighbors=before.links())
        elif live.unknown:  # cables to peers whose cabling is unknown now: assume unchanged
            kept = tuple(a for a in before.links() if a.peer in live.unknown)
            states[host] = replace(state, optional_neighbors=kept)
    return Sides(states, approved, tuple(notes))
