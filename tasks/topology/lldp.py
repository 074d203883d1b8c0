"""LLDP neighbours: parse each platform's output into typed `Neighbor` records.

    parse_lldp("huawei_vrp", text) -> list[Neighbor]     # display lldp neighbor
    parse_lldp("hp_comware", text) -> list[Neighbor]     # display lldp neighbor-information verbose
    parse_lldp("cisco_ios", text)  -> list[Neighbor]     # show lldp neighbors detail
    from_napalm(detail)            -> list[Neighbor]     # napalm's get_lldp_neighbors_detail()

Parsing uses our TTP templates in `tasks/topology/templates/` (ttp-templates has no
Huawei, H3C or IOS LLDP-detail template). The outputs are read through the device
session (`netsteward.tasks.core.session`) by the jobs (topology discovery, drift,
normalize); a platform with a napalm driver may give its neighbours through napalm
instead (`from_napalm`).

Interface names are kept as the devices print them (`local_interface`,
`neighbor_port_id`); `local_port` and `peer_port` give the best port name and
`netsteward.tasks.core.ifnames.canonical_name` makes them comparable.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from netsteward.tasks.core.ifnames import port_kind

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
