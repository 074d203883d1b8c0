"""Discovery of one device: LLDP neighbours, LAG membership and facts.

    discover_device(task) -> Result(result=DeviceDiscovery)    # Nornir task
    parse_lags(platform, text) -> dict[lag, tuple[member, ...]]
    parse_facts(platform, version_text, serial_text) -> {"model", "version", "serial"}

Devices that do not run LLDP (firewalls, IPS, FC switches) are still visited:
discovery reads their facts, which also proves they are reachable. Their links
come from the inventory's `declared_links`.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from nornir.core.task import Result, Task

from netsteward.tasks.backup.collect import retry_transient
from netsteward.tasks.core.connection import close_session
from netsteward.tasks.core.errors import DeviceUnreadable
from netsteward.tasks.topology.lldp import (
    LLDP_COMMANDS,
    _as_list,
    _ttp,
    from_napalm,
    get_neighbors,
    napalm_device,
    read_output,
)
from netsteward.tasks.topology.model import DeviceDiscovery

log = logging.getLogger(__name__)

# a device's whole discovery, retries included; one command may take READ_TIMEOUT (60 s)
DEVICE_TIMEOUT = 60.0


@dataclass(frozen=True)
class PlatformCommands:
    lags: tuple[str, str] | None = None  # (command, TTP template)
    lags_fallback: tuple[str, str] | None = None  # (command, regex over the running configuration)
    version: str | None = None
    serial: str | None = None


COMMANDS: dict[str, PlatformCommands] = {
    "huawei_vrp": PlatformCommands(
        lags=("display eth-trunk", "huawei_vrp_display_eth-trunk.ttp"),
        lags_fallback=("display current-configuration interface", r"^\s*eth-trunk\s+(\d+)"),
        version="display version",
        serial="display esn",
    ),
    "hp_comware": PlatformCommands(
        lags=(
            "display link-aggregation verbose",
            "hp_comware_display_link-aggregation_verbose.ttp",
        ),
        lags_fallback=(
            "display current-configuration interface",
            r"^\s*port link-aggregation group\s+(\d+)",
        ),
        version="display version",
        serial="display device manuinfo",
    ),
    "cisco_ios": PlatformCommands(
        lags=("show etherchannel summary", "cisco_ios_show_etherchannel_summary.ttp"),
        lags_fallback=("show running-config", r"^\s*channel-group\s+(\d+)"),
        version="show version",
    ),
    "hillstone_stoneos": PlatformCommands(version="show version"),
    "fortinet": PlatformCommands(version="get system status"),
    "cisco_asa": PlatformCommands(version="show version"),
    "brocade_fos": PlatformCommands(version="version", serial="chassisshow"),
}
LAG_PREFIX = {
    "huawei_vrp": "Eth-Trunk",
    "hp_comware": "Bridge-Aggregation",
    "cisco_ios": "Port-channel",
}

_CLI_ERROR_FALLBACK = re.compile(
    r"^\s*(\^|Error:|% ?Invalid|% ?Unrecognized|Unrecognized command|Invalid input)", re.M
)


def _cli_error(platform: str, text: str) -> bool:
    """Does the output say the command was not understood? (the platform file's `errors`)"""
    try:
        from netsteward.tasks.platforms import load_platform

        patterns = load_platform(platform).errors
    except Exception:  # no platform file: our own short list
        return bool(_CLI_ERROR_FALLBACK.search(text))
    return any(re.search(p, text, re.M) for p in patterns) or bool(_CLI_ERROR_FALLBACK.search(text))


def parse_lags(platform: str, text: str) -> dict[str, tuple[str, ...]]:
    """LAG -> member ports from the platform's LAG command (names as printed)."""
    cmds = COMMANDS.get(platform)
    if cmds is None or cmds.lags is None:
        return {}
    result = _ttp(text, cmds.lags[1])
    out: dict[str, tuple[str, ...]] = {}
    for lag in _as_list(result.get("lags") if isinstance(result, dict) else None):
        name = str(lag.get("lag", "")).strip()
        if not name:
            continue
        if platform == "cisco_ios":
            members = [re.sub(r"\(.*\)$", "", m) for m in str(lag.get("members", "")).split()]
        else:
            members = [
                re.sub(r"\(R\)$", "", str(m.get("port", ""))) for m in _as_list(lag.get("members"))
            ]
        out[name] = tuple(dict.fromkeys(m for m in members if m))
    return out


def parse_lags_from_config(platform: str, text: str) -> dict[str, tuple[str, ...]]:
    """LAG -> members from interface sections of a running configuration (fallback)."""
    cmds = COMMANDS.get(platform)
    if cmds is None or cmds.lags_fallback is None:
        return {}
    member_re = re.compile(cmds.lags_fallback[1])
    out: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        m = re.match(r"^interface\s+(\S+)", line)
        if m:
            current = m.group(1)
            continue
        if line and not line[0].isspace():
            current = ""
        m = member_re.match(line)
        if m and current:
            out.setdefault(LAG_PREFIX[platform] + m.group(1), []).append(current)
    return {lag: tuple(members) for lag, members in out.items()}


_VERSION_RES: dict[str, list[tuple[str, str]]] = {
    "huawei_vrp": [
        ("version", r"VRP \(R\) software, Version [\d.]+ \((?:\S+ )+?(V\d{3}R\S+)\)"),
        ("model", r"^(?:HUAWEI|Huawei) (\S+)(?: \w+)? uptime is"),
    ],
    "hp_comware": [
        ("version", r"Software, Version ([\d.]+, (?:Release|Alpha|ESS) \w+)"),
        ("model", r"^(?:H3C|HPE|HP) (\S+)(?: \w+)? uptime is"),
    ],
    "cisco_ios": [
        ("version", r"Cisco IOS Software.*?, Version ([^,\s]+)"),
        ("model", r"^Model [Nn]umber\s*:\s*(\S+)"),
        ("serial", r"^System [Ss]erial [Nn]umber\s*:\s*(\S+)"),
        ("serial", r"^Processor board ID (\S+)"),
    ],
    "cisco_asa": [
        ("version", r"Adaptive Security Appliance Software Version (\S+)"),
        ("model", r"^Hardware:\s+([^,\s]+)"),
        ("serial", r"^Serial Number: (\S+)"),
    ],
    "fortinet": [
        ("version", r"^Version: \S+ (v[^\s]+)"),
        ("model", r"^Version: (\S+)"),
        ("serial", r"^Serial-Number: (\S+)"),
    ],
    "hillstone_stoneos": [
        ("version", r"Version\s*[:]?\s*(\d\S+)"),
        ("model", r"^Product name:\s*(\S+)"),
        ("serial", r"^S/N:\s*(\S+)"),
    ],
    "brocade_fos": [("version", r"Fabric OS:\s+(\S+)")],
}
_SERIAL_RES: dict[str, str] = {
    "huawei_vrp": r"ESN of (?:slot|device|master chassis)[^:]*:\s*(\S+)",
    "hp_comware": r"DEVICE_SERIAL_NUMBER\s*:\s*(\S+)",
    "brocade_fos": r"(?:Factory |)Serial Num:\s*(\S+)",
}


def parse_facts(platform: str, version_text: str, serial_text: str = "") -> dict[str, str]:
    """model, version and serial where the outputs show them (missing keys when not)."""
    facts: dict[str, str] = {}
    for key, pattern in _VERSION_RES.get(platform, []):
        if key in facts:
            continue
        m = re.search(pattern, version_text, re.M)
        if m:
            facts[key] = m.group(1)
    if platform in _SERIAL_RES and serial_text:
        m = re.search(_SERIAL_RES[platform], serial_text, re.M)
        if m:
            facts["serial"] = m.group(1)
    return facts


def _send(task: Task, command: str) -> str:
    """One command over netmiko, read to the device prompt (`netsteward.tasks.topology.lldp.read_output`).

    No second try on an empty answer: the empty answers were reads that ended at a stray
    prompt before the device answered (see `read_output`), and asking again read the tail
    of the first answer instead of the second.
    """
    return read_output(task, command)


def _napalm_discovery(task: Task) -> DeviceDiscovery:
    """Cisco IOS through napalm's `ios` driver: facts, LLDP detail and the etherchannel table."""
    device = napalm_device(task)
    facts_raw = device.get_facts()
    facts = {
        "model": str(facts_raw.get("model", "")),
        "serial": str(facts_raw.get("serial_number", "")),
    }
    m = re.search(r"Version ([^,\s]+)", str(facts_raw.get("os_version", "")))
    if m:
        facts["version"] = m.group(1)
    neighbors = from_napalm(device.get_lldp_neighbors_detail())
    lag_cmd = COMMANDS["cisco_ios"].lags
    lags = parse_lags("cisco_ios", device.cli([lag_cmd[0]])[lag_cmd[0]]) if lag_cmd else {}
    return DeviceDiscovery(
        task.host.name, tuple(neighbors), lags, {k: v for k, v in facts.items() if v}
    )


def _discover_once(task: Task, use_napalm: bool) -> DeviceDiscovery:
    """One try at a device; Cisco IOS through napalm first (see `discover_device`)."""
    platform = task.host.platform or ""
    if platform == "cisco_ios" and use_napalm:
        try:
            found = _napalm_discovery(task)
            log.info("%s: discovered through napalm ios", task.host.name)
            return found
        except Exception as exc:  # napalm is a convenience here: fall back to netmiko + TTP
            log.warning(
                "%s: napalm failed (%s); using netmiko",
                task.host.name,
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            )
        finally:
            if "napalm" in task.host.connections:
                task.host.close_connection("napalm")
    cmds = COMMANDS.get(platform, PlatformCommands())
    facts: dict[str, str] = {}
    if cmds.version:
        serial_text = _send(task, cmds.serial) if cmds.serial else ""
        facts = parse_facts(platform, _send(task, cmds.version), serial_text)
    neighbors: list = []
    lags: dict[str, tuple[str, ...]] = {}
    if platform in LLDP_COMMANDS:
        neighbors = get_neighbors(task, use_napalm=False).result
        if cmds.lags:
            text = _send(task, cmds.lags[0])
            if _cli_error(platform, text) and cmds.lags_fallback:
                log.info(
                    "%s: %r not understood; LAGs from the configuration",
                    task.host.name,
                    cmds.lags[0],
                )
                lags = parse_lags_from_config(platform, _send(task, cmds.lags_fallback[0]))
            else:
                lags = parse_lags(platform, text)
            if not lags and text.strip() and "No valid trunk" not in text:
                log.debug(
                    "%s: no LAG in %d lines of %r: %r",
                    task.host.name,
                    len(text.splitlines()),
                    cmds.lags[0],
                    text[:200],
                )
    return DeviceDiscovery(task.host.name, tuple(neighbors), lags, facts)


def discover_device(
    task: Task,
    use_napalm: bool = True,
    timeout: float = DEVICE_TIMEOUT,
    retries: int = 2,
    backoff: float = 0.5,
) -> Result:
    """Nornir task: LLDP neighbours, LAGs and facts of one device as a `DeviceDiscovery`.

    Cisco IOS goes through napalm (`ios`) unless use_napalm=False; if napalm
    fails the device is read with netmiko and our TTP templates instead.
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
