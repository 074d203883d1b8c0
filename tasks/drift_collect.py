"""Nornir task: read one device's live state for the drift check.

The configuration is collected by the backup's own `tasks.backup.collect_device` (same
commands, retries, completeness checks and `normalise_config`), so that live and committed
texts are comparable line for line. The LLDP neighbours come from `tasks.lldp.get_neighbors`
(netmiko + TTP) over a session opened with the backup's connection settings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from nornir.core.task import Result, Task

from tasks.backup import CONNECTION, BackupOptions, collect_device
from tasks.connection import DEFAULT_EXTRAS
from tasks.drift import Check, checks_for
from tasks.lldp import Neighbor, get_neighbors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveRead:
    """What one device looks like now.

    `files`: {suffix: normalised text} ({} when `error`); `paths`: {suffix: path in the
    backup repository}; `neighbors`: LLDP neighbours (None when the platform does not speak
    LLDP, or when `lldp_error`); `error`: why the configuration could not be read.
    """

    host: str
    files: dict[str, str]
    paths: dict[str, str]
    neighbors: tuple[Neighbor, ...] | None = None
    error: str | None = None
    lldp_error: str | None = None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:160]}" if text else type(exc).__name__


def _neighbors(task: Task) -> tuple[Neighbor, ...]:
    host = task.host
    params = host.get_connection_parameters(CONNECTION)
    extras: dict[str, Any] = {**DEFAULT_EXTRAS, **(params.extras or {})}
    host.open_connection(CONNECTION, configuration=task.nornir.config, extras=extras)
    try:
        return tuple(get_neighbors(task, use_napalm=False).result)
    finally:
        try:
            host.close_connection(CONNECTION)
        except Exception:  # a session that died already: nothing left to close
            host.connections.pop(CONNECTION, None)


def read_live(task: Task, lldp: bool = True, options: BackupOptions | None = None) -> Result:
    """Nornir task: `LiveRead` for the host. Never raises for a device problem."""
    host = task.host
    outcome = collect_device(task, options or BackupOptions())
    if not outcome.ok:
        return Result(
            host=host,
            result=LiveRead(host.name, {}, {}, error=outcome.reason or outcome.failure or "failed"),
        )
    files = {PurePosixPath(f.path).suffix.lstrip("."): f.text for f in outcome.files}
    paths = {PurePosixPath(f.path).suffix.lstrip("."): f.path for f in outcome.files}
    neighbors: tuple[Neighbor, ...] | None = None
    lldp_error = None
    if lldp and Check.TOPOLOGY in checks_for(str(host.get("role") or ""), host.platform or ""):
        try:
            neighbors = _neighbors(task)
        except Exception as exc:  # the config was read; only the topology check is unreadable
            lldp_error = _one_line(exc)
            log.warning("%s: LLDP read failed: %s", host.name, lldp_error)
    return Result(
        host=host,
        result=LiveRead(host.name, files, paths, neighbors=neighbors, lldp_error=lldp_error),
    )
