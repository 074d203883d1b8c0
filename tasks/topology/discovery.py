"""Discovery of one device: neighbours (LLDP, CDP), LAG membership and facts.

    discover_device(task)               -> Result(result=DeviceDiscovery)    # Nornir task
    discover_with(platform, send, host) -> DeviceDiscovery                   # the reading itself
    discover_hosts(nr)                  -> (host -> DeviceDiscovery, host -> reason)

Which commands are read and which reader parses each come from the platform file (`reads:`
purposes `version`, `serial`, `lldp`, `lldp_brief`, `cdp`, `lag`, `lag_config`), so
`netsteward parse` runs exactly what discovery runs. Every reader's warnings (lines not
understood, entries not read, output from which nothing was read) come back in
`DeviceDiscovery.warnings`, named with the device and command.

Devices that do not run LLDP (firewalls, IPS, FC switches) are still visited: discovery reads
their facts, which also proves they are reachable. Their links come from the inventory's
`declared_links`. A platform with a napalm driver (Cisco IOS) is read over napalm's session when
napalm opens (the same commands and readers), else over the device session.

`discover_hosts(nr)` is what `netsteward topology snapshot` runs on either engine (locally,
or on a Celery worker's shard: playbooks/worker.py); `discovery_payload` /
`discoveries_from_payload` are the JSON form a shard's discoveries travel in (validated back
with pydantic: a malformed reply raises, the readers' warnings travel with the neighbours).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task
from pydantic import TypeAdapter

from netsteward.tasks.core.errors import DeviceUnreadable
from netsteward.tasks.core.failures import retry_transient
from netsteward.tasks.core.reading import ReadWarning, get_reader
from netsteward.tasks.core.session import Session, device_session, napalm_session
from netsteward.tasks.platforms import Platform, load_platform
from netsteward.tasks.topology.lldp import neighbor_commands, read_neighbors
from netsteward.tasks.topology.model import DeviceDiscovery

log = logging.getLogger(__name__)

# a device's whole discovery, retries included; one command may take READ_TIMEOUT (60 s)
DEVICE_TIMEOUT = 60.0
READ_TIMEOUT = 60.0

_CLI_ERROR_FALLBACK = re.compile(
    r"^\s*(\^|Error:|% ?Invalid|% ?Unrecognized|Unrecognized command|Invalid input)", re.M
)


def cli_error(platform: Platform, text: str) -> bool:
    """Does the output say the command was not understood? (the platform file's `errors`)"""
    return any(re.search(p, text, re.M) for p in platform.errors) or bool(
        _CLI_ERROR_FALLBACK.search(text)
    )


def discover_with(platform: Platform, send: Callable[[str], str], host: str) -> DeviceDiscovery:
    """Facts, neighbours and LAGs of one device; `send(command)` reads one command's output."""
    warnings: list[ReadWarning] = []

    def read(purpose: str, text: str | None = None) -> tuple:
        spec = platform.reads[purpose]
        output = send(spec.command) if text is None else text
        reading = get_reader(spec.reader)(output).about(host, spec.command)
        warnings.extend(reading.warnings)
        return reading.records

    facts: dict[str, str] = {}
    for purpose in ("version", "serial"):
        if purpose in platform.reads:
            for record in read(purpose):
                facts.update(record.as_dict())
    lags: dict[str, tuple[str, ...]] = {}
    neighbors: tuple = ()
    if neighbor_commands(platform):
        found = read_neighbors(platform, send, host)
        neighbors = found.records
        warnings.extend(found.warnings)
        if "lag" in platform.reads:
            text = send(platform.reads["lag"].command)
            if cli_error(platform, text) and "lag_config" in platform.reads:
                log.info("%s: %r not understood; LAGs from the configuration", host, text[:80])
                records = read("lag_config")
            else:
                records = read("lag", text)
            lags = {lag.name: lag.members for lag in records}
    return DeviceDiscovery(host, tuple(neighbors), lags, facts, tuple(warnings))


def _send(session: Session) -> Callable[[str], str]:
    """One command over the device session, read to the device prompt (`Session.read`).

    No second try on an empty answer: the empty answers were reads that ended at a stray
    prompt before the device answered, and asking again read the tail of the first answer
    instead of the second.
    """
    timeouts = {r.command: r.read_timeout for r in session.platform.reads.values()}
    return lambda command: session.read(command, max(timeouts.get(command, 0), READ_TIMEOUT))


def _napalm_discovery(task: Task, platform: Platform, deadline: float) -> DeviceDiscovery:
    """Through the platform's napalm driver: the same commands and readers as over the CLI
    session, so a port is named the same whichever path read it."""
    with napalm_session(task, deadline=deadline) as device:

        def send(command: str) -> str:
            return str(device.cli([command])[command])

        return discover_with(platform, send, task.host.name)


def _discover_once(task: Task, use_napalm: bool, deadline: float) -> DeviceDiscovery:
    """One try at a device; through napalm first where the platform has a napalm driver."""
    platform = load_platform(task.host.platform or "")
    if platform.napalm_driver and use_napalm:
        try:
            found = _napalm_discovery(task, platform, deadline)
            log.info("%s: discovered through napalm %s", task.host.name, platform.napalm_driver)
            return found
        except Exception as exc:  # napalm is a convenience here: fall back to the CLI session
            log.warning(
                "%s: napalm failed (%s); using netmiko",
                task.host.name,
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            )
    with device_session(task, deadline=deadline) as session:
        return discover_with(platform, _send(session), task.host.name)


def discover_device(
    task: Task,
    use_napalm: bool = True,
    timeout: float = DEVICE_TIMEOUT,
    retries: int = 2,
    backoff: float = 0.5,
) -> Result:
    """Nornir task: LLDP neighbours, LAGs and facts of one device as a `DeviceDiscovery`.

    A platform with a napalm driver (`napalm_driver:`, Cisco IOS) is read over napalm's
    session unless use_napalm=False; if napalm fails the device is read over a CLI session
    (the same commands and readers either way). Transient failures (no answer, a dropped
    session) are tried again on a new session with the fleet's one rule
    (`netsteward.tasks.core.failures.retry_transient`); a refused log-in is not. Every
    session is closed when the device is done, so a fleet-wide run holds at most
    `num_workers` sessions, and the whole discovery of a device ends within `timeout`.
    """
    host = task.host
    deadline = time.monotonic() + timeout
    got = retry_transient(
        lambda: _discover_once(task, use_napalm, deadline), deadline, retries, backoff, host.name
    )
    if not got.ok or got.value is None:
        raise DeviceUnreadable(got.reason or "failed")
    return Result(host=host, result=got.value)


def discover_hosts(
    nr: Nornir, use_napalm: bool = True, processors: Sequence[Any] = ()
) -> tuple[dict[str, DeviceDiscovery], dict[str, str]]:
    """Every selected host's `DeviceDiscovery`, and the hosts discovery could not read
    (host -> the first line of the reason). `processors`: Nornir processors (a progress bar)."""
    # a device that cannot be reached is one line in our summary, not a Nornir traceback
    logging.getLogger("nornir.core.task").setLevel(logging.CRITICAL)
    runner = nr.with_processors(list(processors)) if processors else nr
    agg = runner.run(task=discover_device, use_napalm=use_napalm, name="topology discovery")
    found: dict[str, DeviceDiscovery] = {}
    failed: dict[str, str] = {}
    for name, multi in agg.items():
        if multi.failed:
            exc = multi[0].exception
            failed[name] = (str(exc).splitlines() or [type(exc).__name__])[0] if exc else "failed"
            log.info("%s: discovery failed: %s", name, failed[name])
        else:
            found[name] = multi[0].result
    return found, failed


_DISCOVERIES: TypeAdapter[list[DeviceDiscovery]] = TypeAdapter(list[DeviceDiscovery])


def discovery_payload(found: DeviceDiscovery) -> dict[str, Any]:
    """A discovery as JSON-ready data (what a Celery worker returns)."""
    return asdict(found)


def discoveries_from_payload(data: Any) -> list[DeviceDiscovery]:
    """Discoveries back from a worker's JSON (validated: a malformed reply raises)."""
    return _DISCOVERIES.validate_python(data)
