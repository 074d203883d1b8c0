"""Discovery of one device: neighbours (LLDP, CDP), LAG membership and facts.

    discover_device(task)               -> Result(result=DeviceDiscovery)    # Nornir task
    discover_with(platform, send, host) -> DeviceDiscovery                   # the reading itself

Which commands are read and which reader parses each come from the platform file (`reads:`
purposes `version`, `serial`, `lldp`, `lldp_brief`, `cdp`, `lag`, `lag_config`), so
`netsteward parse` runs exactly what discovery runs. Every reader's warnings (lines not
understood, entries not read, output from which nothing was read) come back in
`DeviceDiscovery.warnings`, named with the device and command.

Devices that do not run LLDP (firewalls, IPS, FC switches) are still visited: discovery reads
their facts, which also proves they are reachable. Their links come from the inventory's
`declared_links`. Cisco IOS is read over napalm's `ios` session when napalm opens (the same
commands and readers), else over netmiko.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from nornir.core.task import Result, Task

from netsteward.tasks.backup.collect import retry_transient
from netsteward.tasks.core.connection import close_session
from netsteward.tasks.core.errors import DeviceUnreadable
from netsteward.tasks.core.reading import ReadWarning, get_reader
from netsteward.tasks.platforms import Platform, load_platform
from netsteward.tasks.topology.lldp import (
    READ_TIMEOUT,
    napalm_device,
    neighbor_commands,
    read_neighbors,
    read_output,
)
from netsteward.tasks.topology.model import DeviceDiscovery

log = logging.getLogger(__name__)

# a device's whole discovery, retries included; one command may take READ_TIMEOUT (60 s)
DEVICE_TIMEOUT = 60.0

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


def _send(task: Task) -> Callable[[str], str]:
    """One command over netmiko, read to the device prompt (`netsteward.tasks.topology.lldp.read_output`).

    No second try on an empty answer: the empty answers were reads that ended at a stray
    prompt before the device answered (see `read_output`), and asking again read the tail
    of the first answer instead of the second.
    """
    platform = load_platform(task.host.platform or "")
    timeouts = {r.command: r.read_timeout for r in platform.reads.values()}
    return lambda command: read_output(task, command, max(timeouts.get(command, 0), READ_TIMEOUT))


def _napalm_discovery(task: Task) -> DeviceDiscovery:
    """Cisco IOS over napalm's `ios` session: the same commands and readers as over netmiko."""
    device = napalm_device(task)

    def send(command: str) -> str:
        return str(device.cli([command])[command])

    return discover_with(load_platform(task.host.platform or ""), send, task.host.name)


def _discover_once(task: Task, use_napalm: bool) -> DeviceDiscovery:
    """One try at a device; Cisco IOS through napalm first (see `discover_device`)."""
    platform = task.host.platform or ""
    if platform == "cisco_ios" and use_napalm:
        try:
            found = _napalm_discovery(task)
            log.info("%s: discovered through napalm ios", task.host.name)
            return found
        except Exception as exc:  # napalm is a convenience here: fall back to netmiko
            log.warning(
                "%s: napalm failed (%s); using netmiko",
                task.host.name,
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            )
        finally:
            if "napalm" in task.host.connections:
                task.host.close_connection("napalm")
    return discover_with(load_platform(platform), _send(task), task.host.name)


def discover_device(
    task: Task,
    use_napalm: bool = True,
    timeout: float = DEVICE_TIMEOUT,
    retries: int = 2,
    backoff: float = 0.5,
) -> Result:
    """Nornir task: LLDP neighbours, LAGs and facts of one device as a `DeviceDiscovery`.

    Cisco IOS is read over napalm's `ios` session unless use_napalm=False; if napalm
    fails the device is read over netmiko (the same commands and readers either way).
    Transient failures (no answer, a dropped session) are tried again on a new
    session, as the backup does (`netsteward.tasks.backup.collect.retry_transient`); a refused
    log-in is not. Every session is closed when the device is done, so a
    fleet-wide run holds at most `num_workers` sessions.
    """
    host = task.host

    def attempt() -> DeviceDiscovery:
        try:
            return _discover_once(task, use_napalm)
        finally:
            close_session(host)

    got = retry_transient(attempt, time.monotonic() + timeout, retries, backoff, host.name)
    if not got.ok or got.value is None:
        raise DeviceUnreadable(got.reason or "failed")
    return Result(host=host, result=got.value)
