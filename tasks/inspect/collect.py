"""The Nornir task that reads one device's health displays.

    read_health(task, purposes, options) -> Result(result=DeviceReading)

Which displays a platform has is data (`tasks/platforms/<name>.yaml`, `reads:` with the
`inspect.` purposes); which of them a device needs is the policy's (`skip`). Each output
goes through its registered reader (`netsteward.tasks.core.reading.READERS`). A device
that cannot be reached, or that fails half-way, becomes a `DeviceReading` with `ok=False`
and the reason; an output the device refused, or that its reader could not fully
understand, becomes warnings on that display (a gap the judge reports), never silence.

Device I/O goes through `_device_outputs` alone, on the one device session
(`netsteward.tasks.core.session.on_device`: log in, read each output to the prompt, the
one retry rule, close).

`inspect_hosts(nr, ...)` is what `netsteward inspect` runs on either engine (locally, or on
a Celery worker's shard: playbooks/worker.py); `reading_payload` / `readings_from_payload`
are the JSON form a shard's readings travel in (validated back with pydantic; the readers'
warnings travel with their displays, so a gap read on a worker is still a gap).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import Result, Task
from pydantic import TypeAdapter

from netsteward.tasks.core.errors import NetstewardError
from netsteward.tasks.core.failures import Attempted
from netsteward.tasks.core.reading import READERS, Reading, ReadWarning, shown
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.core.scrub import clean_text, error_lines
from netsteward.tasks.core.session import Session, SessionOptions, on_device
from netsteward.tasks.inspect import readers as _readers  # noqa: F401  (registers the readers)
from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.platforms import Platform, Read, load_platform

PURPOSE_PREFIX = "inspect."


@dataclass(frozen=True)
class InspectOptions:
    timeout: float = 90.0  # per device, all attempts and displays included
    retries: int = 2
    backoff: float = 0.5
    extras: dict[str, Any] = field(default_factory=dict)


def health_reads(platform: Platform, wanted: set[str] | None = None) -> dict[str, Read]:
    """purpose -> Read (command, reader, read timeout, the command it compares with) of the
    platform's inspection displays, only those whose purpose is in `wanted` (all when None)."""
    return {
        p: r
        for p, r in platform.reads.items()
        if p.startswith(PURPOSE_PREFIX) and (wanted is None or p in wanted)
    }


def _device_outputs(
    task: Task,
    commands: list[tuple[str, float]],
    deadline: float,
    options: InspectOptions,
) -> Attempted[dict[str, str]]:
    """One session (`netsteward.tasks.core.session`): every command's output, cleaned;
    transient failures retried with the session's one rule."""

    def work(session: Session) -> dict[str, str]:
        return {cmd: clean_text(session.read(cmd, timeout)) for cmd, timeout in commands}

    session_options = SessionOptions(
        timeout=options.timeout,
        retries=options.retries,
        backoff=options.backoff,
        extras=options.extras,
    )
    return on_device(task, work, session_options, deadline=deadline)


def read_display(
    platform: Platform,
    purpose: str,
    command: str,
    reader_name: str,
    text: str,
    other: str | None = None,
) -> DisplayRead:
    """One output through its reader; a refused command is a warning, not an empty display.
    `other` is the output of the read's `compare` command (the reader gets both)."""
    refused = error_lines(platform, text)
    if refused:
        line = next(i for i, ln in enumerate(text.split("\n"), 1) if ln == refused[0])
        warning = ReadWarning(
            line, shown(refused[0]), "the device refused the command", command=command
        )
        return DisplayRead(purpose, command, (), (warning,))
    if other is None:
        reading: Reading[Fact] = READERS[reader_name](text)
    else:
        # a compare reader takes the second output too (`Read.compare`)
        compare = cast(Callable[[str, str], Reading[Fact]], READERS[reader_name])
        reading = compare(text, other)
    reading = reading.about("", command)
    facts = tuple(replace(f, command=command) for f in reading.records)
    return DisplayRead(purpose, command, facts, reading.warnings)


def read_health(
    task: Task, purposes: dict[str, set[str]] | None = None, options: InspectOptions | None = None
) -> Result:
    """Nornir task: read the host's health displays. `purposes[host]` limits the displays
    read on a host (the policy's skips); None reads them all."""
    options = options or InspectOptions()
    host = task.host
    started = time.monotonic()
    deadline = started + options.timeout
    base = DeviceReading(
        host=host.name,
        platform=host.platform or "",
        role=str(host.data.get("role", "")),
        room=str(host.data.get("location", "")),
        model=str(host.data.get("model", "")),
        read_at=datetime.now().isoformat(timespec="seconds"),
    )
    try:
        platform = load_platform(host.platform or "")
    except NetstewardError as exc:
        reading = replace(base, ok=False, reason=str(exc))
        return Result(host=host, result=reading, failed=True)
    wanted = None if purposes is None else purposes.get(host.name, set())
    reads = health_reads(platform, wanted)
    commands = list(
        dict.fromkeys(
            (cmd, r.read_timeout)
            for r in reads.values()
            for cmd in (r.command, r.compare)
            if cmd is not None
        )
    )
    got = _device_outputs(task, commands, deadline, options)
    if not got.ok or got.value is None:
        suffix = f" [{got.kind}]" if got.kind else ""
        reading = replace(base, ok=False, reason=f"{got.reason or 'not read'}{suffix}")
        return Result(host=host, result=reading, failed=True)
    out = got.value
    displays = tuple(
        read_display(
            platform,
            purpose,
            r.command,
            r.reader,
            out.get(r.command, ""),
            None if r.compare is None else out.get(r.compare, ""),
        )
        for purpose, r in reads.items()
    )
    return Result(host=host, result=replace(base, displays=displays))


def inspect_hosts(
    nr: Nornir,
    purposes: dict[str, set[str]] | None,
    options: InspectOptions,
    processors: Sequence[Any] = (),
    read_at: str = "",
) -> dict[str, DeviceReading]:
    """Every selected host's `DeviceReading`; a host whose task raised is one with `ok=False`
    and the reason (`read_at`: the run's start). `processors`: Nornir processors (progress)."""
    runner = nr.with_processors(list(processors)) if processors else nr
    agg = runner.run(
        task=read_health, purposes=purposes, options=options, name="inspect", raise_on_error=False
    )
    typed = typed_results(agg, DeviceReading)
    readings = dict(typed.ok)
    for name, failure in typed.failed.items():
        readings[name] = not_read(nr.inventory.hosts[name], failure.reason, read_at)
    return readings


def not_read(host: Host, reason: str, read_at: str) -> DeviceReading:
    """The reading of a device whose displays were not read (its task raised, or no Celery
    worker read it): `ok=False` and the reason, a finding on the sheet."""
    return DeviceReading(
        host.name,
        host.platform or "",
        str(host.data.get("role", "")),
        str(host.data.get("location", "")),
        ok=False,
        reason=reason,
        read_at=read_at,
    )


_READINGS: TypeAdapter[list[DeviceReading]] = TypeAdapter(list[DeviceReading])


def reading_payload(reading: DeviceReading) -> dict[str, Any]:
    """A reading as JSON-ready data (what a Celery worker returns)."""
    return asdict(reading)


def readings_from_payload(data: Any) -> list[DeviceReading]:
    """Readings back from a worker's JSON (validated: a malformed reply raises)."""
    return _READINGS.validate_python(data)
