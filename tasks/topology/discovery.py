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

from netsteward.tasks.core.errors import DeviceUnreadable
from netsteward.tasks.core.failures import retry_transient
from netsteward.tasks.core.session import Session, device_session, napalm_session
from netsteward.tasks.platforms import Platform, load_platform
from netsteward.tasks.topology.lldp import _as_list, _ttp, from_napalm, parse_lldp
from netsteward.tasks.topology.model import DeviceDiscovery

log = logging.getLogger(__name__)

# a device's whole discovery, retries included; one command may take READ_TIMEOUT
DEVICE_TIMEOUT = 60.0
READ_TIMEOUT = 60.0


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


def _napalm_discovery(task: Task, platform: Platform, deadline: float) -> DeviceDiscovery:
    """Through the platform's napalm driver: facts, LLDP detail and the LAG table."""
    with napalm_session(task, deadline=deadline) as device:
        facts_raw = device.get_facts()
        facts = {
            "model": str(facts_raw.get("model", "")),
            "serial": str(facts_raw.get("serial_number", "")),
        }
        m = re.search(r"Version ([^,\s]+)", str(facts_raw.get("os_version", "")))
        if m:
            facts["version"] = m.group(1)
        neighbors = from_napalm(device.get_lldp_neighbors_detail())
        lag_cmd = COMMANDS.get(platform.name, PlatformCommands()).lags
        lags = parse_lags(platform.name, device.cli([lag_cmd[0]])[lag_cmd[0]]) if lag_cmd else {}
    return DeviceDiscovery(
        task.host.name, tuple(neighbors), lags, {k: v for k, v in facts.items() if v}
    )


def _discover_with(session: Session) -> DeviceDiscovery:
    """Facts, LLDP neighbours and LAGs read over one CLI session."""
    name, platform = session.name, session.platform.name
    cmds = COMMANDS.get(platform, PlatformCommands())
    facts: dict[str, str] = {}
    if cmds.version:
        serial_text = session.read(cmds.serial, READ_TIMEOUT) if cmds.serial else ""
        facts = parse_facts(platform, session.read(cmds.version, READ_TIMEOUT), serial_text)
    neighbors: list = []
    lags: dict[str, tuple[str, ...]] = {}
    if "lldp" in session.platform.reads:
        neighbors = parse_lldp(platform, session.read_for("lldp"))
        if cmds.lags:
            text = session.read(cmds.lags[0], READ_TIMEOUT)
            if _cli_error(platform, text) and cmds.lags_fallback:
                log.info("%s: %r not understood; LAGs from the configuration", name, cmds.lags[0])
                config = session.read(cmds.lags_fallback[0], READ_TIMEOUT)
                lags = parse_lags_from_config(platform, config)
            else:
                lags = parse_lags(platform, text)
            if not lags and text.strip() and "No valid trunk" not in text:
                log.debug(
                    "%s: no LAG in %d lines of %r: %r",
                    name,
                    len(text.splitlines()),
                    cmds.lags[0],
                    text[:200],
                )
    return DeviceDiscovery(name, tuple(neighbors), lags, facts)


def _discover_once(task: Task, use_napalm: bool, deadline: float) -> DeviceDiscovery:
    """One try at a device; through napalm first where the platform has a napalm driver."""
    platform = load_platform(task.host.platform or "")
    if platform.napalm_driver and use_napalm:
        try:
            found = _napalm_discovery(task, platform, deadline)
            log.info("%s: discovered through napalm %s", task.host.name, platform.napalm_driver)
            return found
        except Exception as exc:  # napalm is a convenience here: fall back to netmiko + TTP
            log.warning(
                "%s: napalm failed (%s); using netmiko",
                task.host.name,
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            )
    with device_session(task, deadline=deadline) as session:
        return _discover_with(session)


def discover_device(
    task: Task,
    use_napalm: bool = True,
    timeout: float = DEVICE_TIMEOUT,
    retries: int = 2,
    backoff: float = 0.5,
) -> Result:
    """Nornir task: LLDP neighbours, LAGs and facts of one device as a `DeviceDiscovery`.

    A platform with a napalm driver (`napalm_driver:`, Cisco IOS) goes through napalm
    unless use_napalm=False; if napalm fails the device is read over a CLI session and
    our TTP templates instead. Transient failures (no answer, a dropped session) are
    tried again on a new session with the fleet's one rule
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
