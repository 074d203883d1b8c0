"""LLDP neighbours: parse each platform's output into typed `Neighbor` records.

    parse_lldp("huawei_vrp", text) -> list[Neighbor]     # display lldp neighbor
    parse_lldp("hp_comware", text) -> list[Neighbor]     # display lldp neighbor-information verbose
    parse_lldp("cisco_ios", text)  -> list[Neighbor]     # show lldp neighbors detail
    get_neighbors(task)            -> Result(result=list[Neighbor])

Parsing uses our TTP templates in `tasks/topology/templates/` (ttp-templates has no
Huawei, H3C or IOS LLDP-detail template). Cisco devices are read through
napalm's `ios` driver (`get_lldp_neighbors_detail`); when napalm cannot open
the device, netmiko and the TTP template are used instead.

Interface names are kept as the devices print them (`local_interface`,
`neighbor_port_id`); `local_port` and `peer_port` give the best port name and
`netsteward.tasks.core.ifnames.canonical_name` makes them comparable.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nornir.core.task import Result, Task

from netsteward.tasks.backup.collect import read_command
from netsteward.tasks.core.ifnames import port_kind
from netsteward.tasks.platforms import load_platform

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"

# platform -> (command, template file)
LLDP_COMMANDS: dict[str, tuple[str, str]] = {
    "huawei_vrp": ("display lldp neighbor", "huawei_vrp_display_lldp_neighbor.ttp"),
    "hp_comware": (
        "display lldp neighbor-information verbose",
        "hp_comware_display_lldp_neighbor-information_verbose.ttp",
    ),
    "cisco_ios": ("show lldp neighbors detail", "cisco_ios_show_lldp_neighbors_detail.ttp"),
}

_MAC = re.compile(
    r"^([0-9a-f]{4}[.-]){2}[0-9a-f]{4}$|^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^[0-9a-f]{12}$", re.I
)
_NOT_ADVERTISED = {"", "-", "--", "- not advertised", "not advertised", "n/a", "na", "null"}


class LldpParseError(ValueError):
    """Output that is not what the platform's LLDP command prints."""


@dataclass(frozen=True, order=True)
class Neighbor:
    """One LLDP neighbour seen on one local port. Strings as the device printed them."""

    local_interface: str
    neighbor_name: str = ""  # system name; "" when not advertised
    chassis_id: str = ""
    neighbor_port_id: str = ""
    neighbor_port_description: str = ""
    port_id_type: str = ""
    system_description: str = ""  # first line
    capabilities: str = ""  # enabled capabilities
    mgmt_address: str = ""

    @property
    def local_port(self) -> str:
        return self.local_interface

    @property
    def peer_port(self) -> str:
        """The neighbour's port name: the port ID, or the port description when the ID is a MAC or a number."""
        pid = self.neighbor_port_id
        looks_like_name = port_kind(pid) is not None or ("/" in pid and not _MAC.match(pid))
        id_is_name = (
            "mac" not in self.port_id_type.lower() and "local" not in self.port_id_type.lower()
        )
        if pid and looks_like_name and id_is_name:
            return pid
        desc = self.neighbor_port_description
        if desc and port_kind(desc) is not None:
            return desc
        return pid or desc

    @property
    def peer_label(self) -> str:
        """System name without a domain, else the chassis ID (what an unknown stub is called)."""
        name = self.neighbor_name.strip()
        if name and not _MAC.match(name):
            return name.split(".")[0] if not re.match(r"^\d+\.\d+\.\d+\.\d+$", name) else name
        return name or self.chassis_id


def _clean(value: Any) -> str:
    text = str(value or "").strip()
    return "" if text.lower() in _NOT_ADVERTISED else text


def _first_line(value: Any) -> str:
    for line in str(value or "").splitlines():
        line = line.strip()
        if line and not re.match(r"^(System capabilities|Time remaining)", line, re.I):
            return _clean(line)
    return ""


@lru_cache(maxsize=8)
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text()


# One TTP parser per template, built once and re-used: building one costs ~1-3 ms
# (ttp re-loads its function table from a pickle and compiles the template every
# time). One lock for all of them: a ttp object is not safe to share between
# threads (inputs and results live on the object), and ttp's lazily imported
# function modules keep a module-global reference to the last parser that used
# them, so two parsers must not run at the same time either. Parsing is pure
# Python under the GIL, so the lock costs no parallelism.
_TTP_LOCK = threading.Lock()


@lru_cache(maxsize=16)
def _parser(template: str) -> Any:
    from ttp import ttp  # imported lazily: ttp's import costs ~0.3 s

    return ttp(template=_template(template), log_level="ERROR")


def _ttp(text: str, template: str) -> Any:
    with _TTP_LOCK:
        parser = _parser(template)
        parser.clear_input()
        parser.clear_result()
        parser.add_input(text)
        parser.parse(one=True)
        result = parser.result()  # [[{...}]] per template and input; [[]] / [[{}]] when none
        try:
            return result[0][0]
        except (IndexError, KeyError, TypeError):
            return {}
        finally:
            parser.clear_input()
            parser.clear_result()


def _as_list(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _record(local: str, raw: dict[str, Any]) -> Neighbor:
    sysdesc = raw.get("sysdesc") or {}
    if isinstance(sysdesc, list):
        sysdesc = sysdesc[0] if sysdesc else {}
    return Neighbor(
        local_interface=_clean(local),
        neighbor_name=_clean(raw.get("neighbor_name")),
        chassis_id=_clean(raw.get("chassis_id")),
        neighbor_port_id=_clean(raw.get("neighbor_port_id")),
        neighbor_port_description=_clean(raw.get("neighbor_port_description")),
        port_id_type=_clean(raw.get("port_id_type")),
        system_description=_first_line(sysdesc.get("system_description")),
        capabilities=_clean(raw.get("capabilities")),
        mgmt_address=_clean(raw.get("mgmt_address")),
    )


def _parse_per_interface(text: str, template: str) -> list[Neighbor]:
    result = _ttp(text, template)
    out = []
    for itf in _as_list(result.get("interfaces") if isinstance(result, dict) else None):
        for raw in _as_list(itf.get("neighbors")):
            out.append(_record(itf.get("local_interface", ""), raw))
    return out


def _parse_cisco(text: str, template: str) -> list[Neighbor]:
    result = _ttp(text, template)
    raws = _as_list(result.get("neighbors") if isinstance(result, dict) else None)
    merged: list[dict[str, Any]] = []
    pending_local = ""
    for raw in raws:
        if set(raw) == {"local_interface"}:  # "Local Intf" line opened a record of its own
            pending_local = raw["local_interface"]
            continue
        if pending_local and "local_interface" not in raw:
            raw = {**raw, "local_interface": pending_local}
        pending_local = ""
        merged.append(raw)
    return [_record(raw.get("local_interface", ""), raw) for raw in merged]


def parse_lldp(platform: str, text: str) -> list[Neighbor]:
    """Neighbours in the order the device printed them. Raises LldpParseError for an unknown platform."""
    if platform not in LLDP_COMMANDS:
        raise LldpParseError(f"no LLDP parser for platform {platform!r}")
    template = LLDP_COMMANDS[platform][1]
    if platform == "cisco_ios":
        return _parse_cisco(text, template)
    return _parse_per_interface(text, template)


def from_napalm(detail: dict[str, list[dict[str, Any]]]) -> list[Neighbor]:
    """Neighbours from napalm's `get_lldp_neighbors_detail()` dictionary."""
    out = []
    for local, entries in detail.items():
        for e in entries:
            out.append(
                Neighbor(
                    local_interface=local,
                    neighbor_name=_clean(e.get("remote_system_name")),
                    chassis_id=_clean(e.get("remote_chassis_id")),
                    neighbor_port_id=_clean(e.get("remote_port")),
                    neighbor_port_description=_clean(e.get("remote_port_description")),
                    system_description=_first_line(e.get("remote_system_description")),
                    capabilities=",".join(e.get("remote_system_enable_capab") or []),
                )
            )
    return out


def napalm_device(task: Task) -> Any:
    """The host's napalm `ios` driver, opened with platform "ios" whatever the inventory says.

    napalm enters enable mode on open: the secret is the netmiko extras' `secret`
    when the inventory sets one, else the login password.
    """
    host = task.host
    if "napalm" not in host.connections:
        extras = dict(host.get_connection_parameters("napalm").extras or {})
        netmiko_extras = host.get_connection_parameters("netmiko").extras or {}
        optional = dict(extras.get("optional_args") or {})
        optional.setdefault("port", host.port)
        optional.setdefault("conn_timeout", netmiko_extras.get("conn_timeout", 20))
        optional.setdefault("secret", netmiko_extras.get("secret") or host.password or "")
        extras["optional_args"] = optional
        host.open_connection("napalm", task.nornir.config, platform="ios", extras=extras)
    return host.get_connection("napalm", task.nornir.config)


def _napalm_neighbors(task: Task) -> list[Neighbor]:
    return from_napalm(napalm_device(task).get_lldp_neighbors_detail())


READ_TIMEOUT = 60.0  # seconds for one command's whole output


def read_output(task: Task, command: str, timeout: float = READ_TIMEOUT) -> str:
    """One command over the host's netmiko session, read until the device prompt ends it.

    Not netmiko's `send_command`: its hp_comware driver turns command-echo checking off
    (`global_cmd_verify=False`), so the read ends at the first prompt it sees. Under load
    `find_prompt` sends a second Enter when the first prompt has not come within 25 ms; that
    prompt can arrive after netmiko's buffer clears and before the device's answer, and the
    command came back empty. Asked again, the answer of the first send was still in the
    channel: `find_prompt` took part of it as the prompt and the read ended at the first
    32 KiB SSH packet (H3C LAG tables cut after ~62 of 75 aggregates). The backup's reader
    (`netsteward.tasks.backup.collect.read_command`) drains the channel, writes the command once, waits for its
    echo and ends only when the last line is this device's prompt; a pager, a closed session
    or no prompt before the time limit raise instead of returning part of the answer.
    """
    conn = task.host.get_connection("netmiko", task.nornir.config)
    platform = load_platform(task.host.platform or "")
    return read_command(conn, platform, command, time.monotonic() + timeout)


def lldp_text(task: Task) -> str:
    """The raw LLDP output of the host, over netmiko (read to the prompt)."""
    return read_output(task, LLDP_COMMANDS[task.host.platform or ""][0])


def get_neighbors(task: Task, use_napalm: bool = True) -> Result:
    """Nornir task: the host's LLDP neighbours as `list[Neighbor]`.

    Cisco goes through napalm (`ios`, get_lldp_neighbors_detail) unless
    `use_napalm=False` or napalm fails to open; `Result.host.data`
    is untouched. Which source answered is logged at INFO level.
    """
    platform = task.host.platform or ""
    if platform not in LLDP_COMMANDS:
        return Result(host=task.host, result=[])
    if platform == "cisco_ios" and use_napalm:
        try:
            neighbors = _napalm_neighbors(task)
            log.info("%s: %d LLDP neighbours through napalm ios", task.host.name, len(neighbors))
            return Result(host=task.host, result=neighbors)
        except Exception as exc:  # napalm is optional here: fall back to netmiko + TTP
            log.warning(
                "%s: napalm get_lldp_neighbors_detail failed (%s); using netmiko",
                task.host.name,
                exc,
            )
            try:
                task.host.close_connection("napalm")
            except Exception:
                log.debug("%s: closing napalm failed", task.host.name)
    return Result(host=task.host, result=parse_lldp(platform, lldp_text(task)))
