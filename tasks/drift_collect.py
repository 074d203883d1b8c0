"""Nornir task: read one device's live state for the drift check, in one SSH session.

The running configuration is fetched and accepted exactly as the backup does it (same
commands, same completeness checks, then `tasks.scrub.normalise_config`), and the LLDP
neighbours come from `tasks.lldp.get_neighbors` over the same netmiko session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from nornir.core.task import Result, Task

from tasks.drift import LLDP_PLATFORMS
from tasks.lldp import Neighbor, get_neighbors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveRead:
    """What one device looks like now: {suffix: normalised text} and its LLDP neighbours."""

    host: str
    files: dict[str, str]
    neighbors: tuple[Neighbor, ...] | None  # None: the platform does not run LLDP


class UnreadableConfig(Exception):
    """The device answered, but not with a complete configuration."""


def fetch_files(task: Task) -> dict[str, str]:
    """The device's stored files as the backup would write them: {suffix: normalised text}."""
    from tasks.drift_adapters import fetch_normalised

    return fetch_normalised(task)


def read_live(task: Task, lldp: bool = True) -> Result:
    """Nornir task: `LiveRead` for the host. Raises (the host fails) when it cannot be read."""
    host = task.host
    try:
        files = fetch_files(task)
        neighbors: tuple[Neighbor, ...] | None = None
        if lldp and (host.platform or "") in LLDP_PLATFORMS:
            res = get_neighbors(task, use_napalm=False)
            neighbors = tuple(res.result)
        log.debug("%s: read %d file(s) for drift", host.name, len(files))
        return Result(host=host, result=LiveRead(host=host.name, files=files, neighbors=neighbors))
    finally:
        try:
            host.close_connections()
        except Exception:  # closing a broken session must not hide the real outcome
            log.debug("%s: closing connections failed", host.name)
