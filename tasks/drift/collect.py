"""Nornir task: read one device's live state for the drift check.

One device session per attempt (`netsteward.tasks.core.session.on_device`, the backup's
time limit and retry rule): every command the backup collects, normalised and judged
exactly as the backup does (`netsteward.tasks.backup.collect.collect_files`), then the
platform's neighbour commands (LLDP, and CDP where the platform file reads it), read exactly
as topology discovery reads them (`netsteward.tasks.topology.lldp.read_neighbors`).
A configuration that cannot be read is reported with the backup's failure kinds and
reasons; when only the neighbours fail, or could be read only in part, the configuration
still counts and `lldp_error` says why: never a shorter list of neighbours that would look
like removed cables.

`read_hosts(nr)` is what `netsteward drift` runs on either engine (locally, or on a Celery
worker's shard: playbooks/worker.py); `live_payload` / `lives_from_payload` are the JSON
form a shard's reads travel in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task
from pydantic import TypeAdapter

from netsteward.tasks.backup.collect import collect_files
from netsteward.tasks.core.failures import DeviceFailure
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.core.session import Session, SessionOptions, on_device
from netsteward.tasks.drift.model import Check, checks_for
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.topology.lldp import neighbor_commands, read_neighbors
from netsteward.tasks.topology.neighbor import Neighbor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveRead:
    """What one device looks like now.

    `files`: {suffix: normalised text} ({} when `error`); `paths`: {suffix: path in the
    backup repository}; `neighbors`: LLDP neighbours (None when the device's cabling is not
    checked by LLDP, or when `lldp_error`); `error`: why the configuration could not be read.
    """

    host: str
    files: dict[str, str]
    paths: dict[str, str]
    neighbors: tuple[Neighbor, ...] | None = None
    error: str | None = None
    lldp_error: str | None = None


class NeighborsUnread(ValueError):
    """The neighbour outputs came back, but the readers could not read all of them."""


def wants_lldp(task: Task) -> bool:
    platform = task.host.platform or ""
    role = str(task.host.get("role") or "")
    if Check.TOPOLOGY not in checks_for(role, platform):
        return False
    try:
        return bool(neighbor_commands(load_platform(platform)))
    except Exception:  # unknown platform: read_live reports it
        return False


def _neighbors(session: Session) -> tuple[Neighbor, ...]:
    found = read_neighbors(session.platform, session.read, session.name)
    if found.warnings:
        first = found.warnings[0]
        more = f" (and {len(found.warnings) - 1} more)" if len(found.warnings) > 1 else ""
        raise NeighborsUnread(f"neighbours not fully read: {first}{more}")
    return found.records


def _read(session: Session, lldp: bool) -> LiveRead:
    files = collect_files(session)
    neighbors: tuple[Neighbor, ...] | None = None
    lldp_error = None
    if lldp:
        try:
            neighbors = _neighbors(session)
        except DeviceFailure as exc:  # the configuration was read; only the topology check is not
            lldp_error = exc.reason
            log.warning("%s: LLDP read failed: %s", session.name, lldp_error)
        except NeighborsUnread as exc:
            lldp_error = str(exc)
            log.warning("%s: LLDP read failed: %s", session.name, lldp_error)
    return LiveRead(
        session.name,
        {PurePosixPath(f.path).suffix.lstrip("."): f.text for f in files},
        {PurePosixPath(f.path).suffix.lstrip("."): f.path for f in files},
        neighbors=neighbors,
        lldp_error=lldp_error,
    )


def read_live(task: Task, lldp: bool = True, options: SessionOptions | None = None) -> Result:
    """Nornir task: `LiveRead` for the host. Never raises for a device problem."""
    host = task.host
    lldp = lldp and wants_lldp(task)
    try:
        load_platform(host.platform or "")
    except Exception as exc:  # unknown platform: the inventory check normally stops this earlier
        return Result(host=host, result=LiveRead(host.name, {}, {}, error=str(exc)))
    got = on_device(task, lambda s: _read(s, lldp), options)
    if not got.ok or got.value is None:
        reason = got.reason or got.kind or "failed"
        return Result(host=host, result=LiveRead(host.name, {}, {}, error=reason))
    return Result(host=host, result=got.value)


def read_hosts(
    nr: Nornir, options: SessionOptions | None = None, processors: Sequence[Any] = ()
) -> tuple[dict[str, LiveRead], dict[str, str]]:
    """Every selected host's `LiveRead`, and the hosts whose task raised (host -> reason).
    `processors`: Nornir processors (the progress bar)."""
    runner = nr.with_processors(list(processors)) if processors else nr
    agg = runner.run(task=read_live, options=options, name="drift read", raise_on_error=False)
    typed = typed_results(agg, LiveRead)
    return dict(typed.ok), {h: f.reason for h, f in typed.failed.items()}


_READS: TypeAdapter[list[LiveRead]] = TypeAdapter(list[LiveRead])


def live_payload(read: LiveRead) -> dict[str, Any]:
    """A read as JSON-ready data (what a Celery worker returns)."""
    return asdict(read)


def lives_from_payload(data: Any) -> list[LiveRead]:
    """Reads back from a worker's JSON (validated: a malformed reply raises)."""
    return _READS.validate_python(data)
