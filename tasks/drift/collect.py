"""Nornir task: read one device's live state for the drift check.

One SSH session per device in the common case: the backup's reader (`netsteward.tasks.backup.collect.read_command`,
which reads to the prompt and notices pagers, hangs and cut sessions) fetches every command the
backup collects and then the platform's neighbour commands (LLDP, and CDP where the platform
file reads it); the outputs are normalised and judged exactly as the backup does
(`normalise_config`, `check_output`, `relpath_for`) and the neighbours are read exactly as
topology discovery reads them (`netsteward.tasks.topology.lldp.read_neighbors`). Neighbours
that could not be read, or only in part, make the cabling unreadable (`lldp_error`), never a
shorter list of neighbours that would look like removed cables.

If anything goes wrong in that one attempt, the device is read again through the backup's own
`collect_device` (retries with back-off, failure kinds and reasons) and LLDP in a second short
session, so that failures are classified and reported exactly as the backup reports them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from nornir.core.task import Result, Task

from netsteward.tasks.backup.collect import (
    CONNECTION,
    BackupOptions,
    check_output,
    collect_device,
    read_command,
    relpath_for,
)
from netsteward.tasks.core.connection import DEFAULT_EXTRAS, close_session
from netsteward.tasks.core.scrub import normalise_config
from netsteward.tasks.drift.model import Check, checks_for
from netsteward.tasks.platforms import Platform, load_platform
from netsteward.tasks.topology.lldp import neighbor_commands, read_neighbors
from netsteward.tasks.topology.neighbor import Neighbor

log = logging.getLogger(__name__)

FAST_TIMEOUT = 30.0  # the one-session attempt; the fallback has the backup's own limits
LLDP_TIMEOUT = 30.0


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


def _neighbors(platform: Platform, host: str, send: Callable[[str], str]) -> tuple[Neighbor, ...]:
    found = read_neighbors(platform, send, host)
    if found.warnings:
        first = found.warnings[0]
        more = f" (and {len(found.warnings) - 1} more)" if len(found.warnings) > 1 else ""
        raise NeighborsUnread(f"neighbours not fully read: {first}{more}")
    return found.records


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if hasattr(exc, "reason") and isinstance(exc.reason, str):
        return exc.reason
    return f"{type(exc).__name__}: {text.splitlines()[0][:160]}" if text else type(exc).__name__


def _open(task: Task) -> Any:
    """A netmiko session with the backup's connection settings."""
    host = task.host
    if CONNECTION in host.connections:
        host.close_connection(CONNECTION)
    params = host.get_connection_parameters(CONNECTION)
    extras: dict[str, Any] = {**DEFAULT_EXTRAS, **(params.extras or {})}
    return host.open_connection(
        CONNECTION, configuration=task.nornir.config, extras=extras
    ).connection


def _close(task: Task) -> None:
    close_session(task.host, CONNECTION)


def _judge(
    task: Task, platform: Platform, outputs: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """{suffix: text}, {suffix: path} as the backup would store them; raises on a bad output."""
    host = task.host
    files, paths = {}, {}
    for collect in platform.collect:
        text = normalise_config(platform, outputs[collect.command])
        problem = check_output(platform, collect, text)
        if problem:
            raise ValueError(problem[1])
        files[collect.suffix] = text
        paths[collect.suffix] = relpath_for(
            host.name, host.data.get("network"), host.data.get("role"), collect.suffix
        )
    return files, paths


def _one_session(task: Task, platform: Platform, lldp: bool) -> LiveRead:
    deadline = time.monotonic() + FAST_TIMEOUT
    conn = _open(task)
    try:
        outputs = {
            c.command: read_command(
                conn, platform, c.command, min(deadline, time.monotonic() + c.read_timeout)
            )
            for c in platform.collect
        }
        raw: dict[str, str] = {}
        if lldp:
            for command in neighbor_commands(platform):
                raw[command] = read_command(conn, platform, command, deadline)
    finally:
        _close(task)
    files, paths = _judge(task, platform, outputs)
    if not lldp:
        return LiveRead(task.host.name, files, paths)
    try:
        neighbors = _neighbors(platform, task.host.name, raw.__getitem__)
    except NeighborsUnread as exc:
        return LiveRead(task.host.name, files, paths, lldp_error=str(exc))
    return LiveRead(task.host.name, files, paths, neighbors=neighbors)


def _lldp_session(task: Task, platform: Platform) -> tuple[Neighbor, ...]:
    conn = _open(task)
    deadline = time.monotonic() + LLDP_TIMEOUT
    try:
        return _neighbors(
            platform,
            task.host.name,
            lambda command: read_command(conn, platform, command, deadline),
        )
    finally:
        _close(task)


def wants_lldp(task: Task) -> bool:
    platform = task.host.platform or ""
    role = str(task.host.get("role") or "")
    if Check.TOPOLOGY not in checks_for(role, platform):
        return False
    try:
        return bool(neighbor_commands(load_platform(platform)))
    except Exception:  # unknown platform: read_live reports it
        return False


def read_live(task: Task, lldp: bool = True, options: BackupOptions | None = None) -> Result:
    """Nornir task: `LiveRead` for the host. Never raises for a device problem."""
    host = task.host
    lldp = lldp and wants_lldp(task)
    try:
        platform = load_platform(host.platform or "")
    except Exception as exc:  # unknown platform: the inventory check normally stops this earlier
        return Result(host=host, result=LiveRead(host.name, {}, {}, error=_one_line(exc)))
    try:
        return Result(host=host, result=_one_session(task, platform, lldp))
    except Exception as exc:  # read again the backup's way, which classifies and retries
        log.info(
            "%s: one-session read failed (%s); reading as the backup does",
            host.name,
            _one_line(exc),
        )
    outcome = collect_device(task, options or BackupOptions())
    if not outcome.ok:
        reason = outcome.reason or outcome.failure or "failed"
        return Result(host=host, result=LiveRead(host.name, {}, {}, error=reason))
    files = {PurePosixPath(f.path).suffix.lstrip("."): f.text for f in outcome.files}
    paths = {PurePosixPath(f.path).suffix.lstrip("."): f.path for f in outcome.files}
    neighbors: tuple[Neighbor, ...] | None = None
    lldp_error = None
    if lldp:
        try:
            neighbors = _lldp_session(task, platform)
        except Exception as exc:  # the config was read; only the topology check is unreadable
            lldp_error = _one_line(exc)
            log.warning("%s: LLDP read failed: %s", host.name, lldp_error)
    return Result(
        host=host,
        result=LiveRead(host.name, files, paths, neighbors=neighbors, lldp_error=lldp_error),
    )
