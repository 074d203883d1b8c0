"""LLDP and CDP readers: one command's output -> `Neighbor` records, with warnings.

| reader                | command                                  | template |
|-----------------------|------------------------------------------|----------|
| huawei_vrp.lldp       | display lldp neighbor                    | own (derived from ntc-templates') |
| hp_comware.lldp       | display lldp neighbor-information verbose | own |
| cisco_ios.lldp        | show lldp neighbors detail               | ntc-templates |
| cisco_ios.lldp_brief  | show lldp neighbors                      | ntc-templates |
| cisco_ios.cdp         | show cdp neighbors detail                | ntc-templates |

Why our own templates for Huawei and H3C: see the header of each template in
`tasks/topology/templates/` and tests/unit/topology/test_neighbors.py, which shows ntc-templates'
result on the same real samples. Every reader fails loud (`netsteward.tasks.core.fsm`): lines not
understood, entries not read or read into one, and output from which nothing was read are
warnings, never a silently shorter list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netsteward.tasks.core.fsm import first, read_table
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, ReadWarning, nothing_read, reader
from netsteward.tasks.topology.neighbor import Neighbor, clean

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NOT_RUNNING = "is not running on the device"

# output that says the protocol is off: no neighbour to read, and the device says why
_OFF = {
    "lldp": ("lldp is not enabled", "lldp service is not running", "global lldp is not enabled"),
    "cdp": ("cdp is not enabled",),
}


def _off(text: str, protocol: str) -> Reading[Neighbor] | None:
    low = text.lower()
    if any(phrase in low for phrase in _OFF[protocol]):
        warning = nothing_read(text, f"{protocol.upper()} {NOT_RUNNING}")
        return Reading(records=(), warnings=(warning,))
    return None


def _first_line(value: Any) -> str:
    lines = value if isinstance(value, list) else str(value or "").splitlines()
    for line in lines:
        line = str(line).strip()
        if line:
            return clean(line)
    return ""


def _mgmt(value: Any) -> str:
    values = value if isinstance(value, list) else [value]
    return next((clean(v) for v in values if clean(v)), "")


def lldp_record(values: dict[str, Any]) -> Neighbor:
    """A neighbour from one row of an LLDP template (ntc-templates' field names)."""
    return Neighbor(
        local_interface=clean(values.get("local_interface")),
        neighbor_name=clean(values.get("neighbor_name")),
        chassis_id=clean(values.get("chassis_id")),
        neighbor_port_id=clean(values.get("neighbor_port_id")),
        neighbor_port_description=clean(values.get("neighbor_interface")),
        port_id_type=clean(values.get("port_id_type") or values.get("port_id_subtype")),
        system_description=_first_line(values.get("neighbor_description")),
        capabilities=clean(values.get("capabilities")),
        mgmt_address=_mgmt(values.get("mgmt_address")),
        chassis_id_type=clean(values.get("chassis_type")),
        capabilities_supported=clean(values.get("system_capabilities_supported")),
        protocol="lldp",
        platform=clean(first(values.get("model_name")) or first(values.get("platform"))),
    )


def _lldp(template: str, text: str, entry: str, required: tuple[str, ...]) -> Reading[Neighbor]:
    off = _off(text, "lldp")
    if off is not None:
        return off
    rows, warnings = read_table(
        template, text, strict=True, entry=entry, what=_("neighbour"), required=required
    )
    return Reading(tuple(lldp_record(r.values) for r in rows), warnings)


@reader("huawei_vrp.lldp")
def huawei_lldp(text: str) -> Reading[Neighbor]:
    """`display lldp neighbor` (the verbose form; S-series and CE headers)."""
    return _lldp(
        str(TEMPLATES / "huawei_vrp_display_lldp_neighbor.textfsm"),
        text,
        r"^\s*Neighbor\s+index\s*:",
        ("local_interface",),
    )


@reader("hp_comware.lldp")
def comware_lldp(text: str) -> Reading[Neighbor]:
    """`display lldp neighbor-information verbose` (Comware 5 and 7)."""
    return _lldp(
        str(TEMPLATES / "hp_comware_display_lldp_neighbor-information_verbose.textfsm"),
        text,
        r"^\s+(LLDP\s+)?[Nn]eighbor\s+index\s*:",
        ("local_interface",),
    )


@reader("cisco_ios.lldp")
def cisco_lldp(text: str) -> Reading[Neighbor]:
    """`show lldp neighbors detail`. Releases that print no `Local Intf:` line give neighbours
    without a local port: the job takes it from `show lldp neighbors` (`cisco_ios.lldp_brief`)."""
    return _lldp(
        "ntc:cisco_ios_show_lldp_neighbors_detail.textfsm",
        text,
        r"^Chassis\s+id:",
        ("chassis_id",),
    )


@reader("cisco_ios.lldp_brief")
def cisco_lldp_brief(text: str) -> Reading[Neighbor]:
    """`show lldp neighbors`: local port, the first 20 characters of the system name, capability
    letters and the port ID of each neighbour, in the order of the detail output."""
    off = _off(text, "lldp")
    if off is not None:
        return off
    rows, warnings = read_table(
        "ntc:cisco_ios_show_lldp_neighbors.textfsm", text, strict=True, what=_("neighbour")
    )
    records = tuple(
        Neighbor(
            local_interface=clean(r.values.get("local_interface")),
            neighbor_name=clean(r.values.get("neighbor_name")),
            neighbor_port_id=clean(r.values.get("neighbor_interface")),
            capabilities=clean(r.values.get("capabilities")),
        )
        for r in rows
    )
    return Reading(records, warnings)


@reader("cisco_ios.cdp")
def cisco_cdp(text: str) -> Reading[Neighbor]:
    """`show cdp neighbors detail`. ntc-templates' template skips the lines it has no field for
    (it has no catch-all): each `Device ID:` entry must still become one neighbour with a local
    and a remote port, else the entry is reported."""
    if _off(text, "cdp") is not None:
        return Reading()  # CDP switched off: LLDP says who the neighbours are
    rows, warnings = read_table(
        "ntc:cisco_ios_show_cdp_neighbors_detail.textfsm",
        text,
        strict=False,
        entry=r"^Device\s+ID:",
        what=_("neighbour"),
        required=("local_interface", "neighbor_interface"),
        known=r"^Total cdp entries displayed\s*:",
    )
    records = tuple(
        Neighbor(
            local_interface=clean(r.values.get("local_interface")),
            neighbor_name=clean(r.values.get("neighbor_name")),
            neighbor_port_id=clean(r.values.get("neighbor_interface")),
            port_id_type="Interface name",  # CDP's port ID is the sender's interface name
            system_description=_first_line(r.values.get("neighbor_description")),
            capabilities=clean(r.values.get("capabilities")),
            mgmt_address=_mgmt(r.values.get("mgmt_address")),
            protocol="cdp",
            platform=clean(r.values.get("platform")),
        )
        for r in rows
    )
    return Reading(records, warnings)


def not_running(warning: ReadWarning) -> bool:
    """The warning that a protocol is switched off on the device."""
    return warning.problem.endswith(NOT_RUNNING)
