"""Cisco IOS 15.2 (C2960X) CDP: `show cdp neighbors [detail]` and the CDP configuration lines.

Layouts follow the real samples in networktocode/ntc-templates tests/cisco_ios
(show_cdp_neighbors, show_cdp_neighbors_detail).  CDP runs by default, as on
real IOS: `cdp run` / `cdp enable` are defaults and not shown; `no cdp run`
(global) and `no cdp enable` (interface) switch it off and are shown in the
running configuration.

The table is derived at display time from the cabling (`DeviceState.neighbors()`)
and the running configuration of each peer.  The C2960X access switches are
cabled only to H3C Comware switches, which speak LLDP; a Comware 7 switch sends
CDP on a port only with `lldp compliance cdp` (system view) and
`lldp compliance admin-status cdp txrx` on that port (and LLDP not undone there).
What the entry carries, per the H3C LLDP configuration guide ("CDP
compatibility"): the device ID (sysname), the port ID (its full port name),
the port IP address (the primary address of the VLAN interface with the lowest
VLAN ID among the VLANs the port permits), the PVID (`Native VLAN`) and the TTL
(121 s: 30 s interval x 4 + 1; the holdtime counts down with the clock).

Simplified: the guide lists no platform, capability or version TLV, but the
IOS displays need them (and ntc-templates requires them), so the lab sends the
bare model (`S6520X-54QC-EI`, shown cut to 9 characters in the table as IOS
does), `Router Switch` for routing roles (else `Switch`), and the peer's LLDP
system description as the version text.  No Duplex, VTP domain or
management-address TLV is sent; VLAN interfaces count as up unless shut down.
Only Comware peers send CDP (no other platform is cabled to an IOS switch).
Where `no cdp run` goes in the running configuration (its own `!` section just
before `lldp run`) follows common IOS 15 configurations, not a checked source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from netsteward.lab.dialects.render_common import lldp_system_description, stable_int
from netsteward.lab.engine.configtree import ConfigTree, Node

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.state import DeviceState

CAPABILITY_CODES = {"Router": "R", "Switch": "S", "Host": "H", "IGMP": "I"}
HEADER = (
    "Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge\n"
    "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone,\n"
    "                  D - Remote, C - CVTA, M - Two-port Mac Relay\n"
    "\n"
    "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID\n"
)
NOT_ENABLED = "% CDP is not enabled\n"
# how IOS shortens its own interface names in the CDP table ("Ten 1/0/1")
TABLE_PREFIXES = (
    ("TenGigabitEthernet", "Ten "),
    ("GigabitEthernet", "Gig "),
    ("FastEthernet", "Fas "),
    ("Port-channel", "Po "),
)
COMWARE_TTL = 121  # Comware LLDP: 30 s interval x hold multiplier 4, plus one
COMWARE_INTERVAL = 30


@dataclass(frozen=True)
class CdpEntry:
    """One neighbour as IOS keeps it, from the CDP packets the peer sends."""

    device_id: str
    local_port: str  # full local interface name
    holdtime: int
    capabilities: tuple[str, ...]  # ("Router", "Switch")
    platform: str
    port_id: str  # the peer's full port name
    address: str  # the peer's port IP address, "" if it advertises none
    version: str  # the version text, possibly several lines
    native_vlan: int


# -- configuration ----------------------------------------------------------------------


def cdp_runs(tree: ConfigTree) -> bool:
    """CDP runs unless the configuration says `no cdp run`."""
    return tree.root.find("no cdp run") is None


def cdp_enabled_on(tree: ConfigTree, port: str) -> bool:
    section = tree.section(f"interface {port}")
    return section is None or (
        section.find("no cdp enable") is None and section.find("shutdown") is None
    )


def config_line(tree: ConfigTree, section: Node | None, text: str) -> bool:
    """Store `[no] cdp run` (global) or `[no] cdp enable` (interface); False if `text`
    is not one of them (the dialect stores it the usual way)."""
    words = text.split()
    negated = bool(words) and words[0] == "no"
    rest = words[1:] if negated else words
    if section is None and rest == ["cdp", "run"]:
        _set_no_cdp_run(tree, negated)
        return True
    if section is not None and section.text.startswith("interface ") and rest == ["cdp", "enable"]:
        line = section.find("no cdp enable")
        if negated and line is None:
            section.add("no cdp enable")
        elif not negated and line is not None:
            line.remove()
        return True
    return False


def _set_no_cdp_run(tree: ConfigTree, off: bool) -> None:
    top = tree.root.children
    line = tree.root.find("no cdp run")
    if not off:
        if line is not None:
            i = top.index(line)
            if i + 1 < len(top) and top[i + 1].text == "!":
                top[i + 1].remove()
            line.remove()
        return
    if line is not None:
        return
    # its own `!` section, just before `lldp run` (else before the interfaces, else the end)
    at = next((i for i, n in enumerate(top) if n.text == "lldp run"), None)
    if at is None:
        at = next((i for i, n in enumerate(top) if n.text.startswith("interface ")), None)
    if at is None:
        at = next((i for i, n in enumerate(top) if n.text == "end"), len(top))
    tree.root.add("!", index=at)
    tree.root.add("no cdp run", index=at)
    if at == 0 or top[at - 1].text != "!":
        tree.root.add("!", index=at)


# -- what the peers send -------------------------------------------------------------------


def _comware_global(tree: ConfigTree, text: str) -> bool:
    """A Comware system-view line (printed indented under a `#` line) is configured."""
    for node in tree.root.children:
        if node.text == text or (node.text == "#" and node.find(text) is not None):
            return True
    return False


def _vlan_numbers(words: list[str]) -> set[int]:
    """`10 20 to 25 100` -> {10, 20, ..., 25, 100} (`all` -> 1-4094)."""
    if words[:1] == ["all"]:
        return set(range(1, 4095))
    out: set[int] = set()
    i = 0
    while i < len(words):
        if not words[i].isdigit():
            i += 1
            continue
        low = int(words[i])
        if i + 2 < len(words) and words[i + 1] == "to" and words[i + 2].isdigit():
            out.update(range(low, int(words[i + 2]) + 1))
            i += 3
        else:
            out.add(low)
            i += 1
    return out


def comware_port_vlans(section: Node | None) -> tuple[int, set[int]]:
    """(PVID, permitted VLANs) of a Comware layer-2 port from its configuration lines."""
    lines = [c.text for c in section.children] if section is not None else []
    kind = next((x.split()[-1] for x in lines if x.startswith("port link-type ")), "access")
    if kind == "access":
        vlan = next((x.split()[-1] for x in lines if x.startswith("port access vlan ")), "1")
        return int(vlan), {int(vlan)}
    pvid = int(next((x.split()[-1] for x in lines if x.startswith(f"port {kind} pvid vlan ")), "1"))
    permitted = {1}
    for x in lines:
        for prefix, add in (
            ("port trunk permit vlan ", True),
            ("undo port trunk permit vlan ", False),
            ("port hybrid vlan ", True),
            ("undo port hybrid vlan ", False),
        ):
            if x.startswith(prefix):
                vlans = _vlan_numbers(x[len(prefix) :].split())
                permitted = permitted | vlans if add else permitted - vlans
    return pvid, permitted


def comware_port_address(tree: ConfigTree, vlans: set[int]) -> str:
    """The primary address of the lowest-numbered VLAN interface (of `vlans`) that has one."""
    for vlan in sorted(vlans):
        section = tree.section(f"interface Vlan-interface{vlan}")
        if section is None or section.find("shutdown") is not None:
            continue
        for child in section.children:
            m = re.match(r"ip address (\S+) \S+$", child.text)
            if m:
                return m.group(1)
    return ""


def comware_entry(
    local_port: str, peer: DeviceState, peer_port: str, now: datetime
) -> CdpEntry | None:
    """What IOS learns from a Comware peer on `local_port`, if that port sends CDP."""
    tree = peer.running
    section = tree.section(f"interface {peer_port}")
    if (
        not _comware_global(tree, "lldp compliance cdp")
        or _comware_global(tree, "undo lldp global enable")
        or section is None
        or section.find("lldp compliance admin-status cdp txrx") is None
        or section.find("undo lldp enable") is not None
        or section.find("shutdown") is not None
    ):
        return None
    spec = peer.spec
    pvid, permitted = comware_port_vlans(section)
    since = (int(now.timestamp()) + stable_int(spec.name, peer_port, modulo=COMWARE_INTERVAL)) % (
        COMWARE_INTERVAL
    )
    return CdpEntry(
        device_id=peer.hostname,
        local_port=local_port,
        holdtime=COMWARE_TTL - since,
        capabilities=("Router", "Switch")
        if spec.role in ("router", "core", "aggregation")
        else ("Switch",),
        platform=spec.model,
        port_id=peer_port,
        address=comware_port_address(tree, permitted),
        version=lldp_system_description(spec),
        native_vlan=pvid,
    )


def cdp_neighbors(device: DeviceState, now: datetime) -> list[CdpEntry]:
    """The CDP table of an IOS device: cabled peers that send CDP, on ports running it."""
    out: list[CdpEntry] = []
    for n in device.neighbors():
        if not cdp_enabled_on(device.running, n.local_port):
            continue
        if n.peer.platform != "hp_comware":
            continue
        entry = comware_entry(n.local_port, device.lab.device(n.peer.name), n.peer_port, now)
        if entry is not None:
            out.append(entry)
    return out


# -- displays ---------------------------------------------------------------------------


def table_port(name: str) -> str:
    """`TenGigabitEthernet1/0/1` -> `Ten 1/0/1` (names IOS does not know stay as sent)."""
    for long, short in TABLE_PREFIXES:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def show_cdp_neighbors(entries: list[CdpEntry]) -> str:
    lines = [HEADER.rstrip("\n")]
    for e in entries:
        codes = " ".join(CAPABILITY_CODES[c] for c in e.capabilities)
        name = e.device_id
        if len(name) > 16:  # IOS puts a long device ID on a line of its own
            lines.append(name)
            name = ""
        lines.append(
            f"{name:<17}{table_port(e.local_port):<18}{e.holdtime:<14}{codes:^9}"
            f"{e.platform[:9]:<9} {e.port_id}"
        )
    lines += ["", f"Total cdp entries displayed : {len(entries)}", ""]
    return "\n".join(lines)


def show_cdp_neighbors_detail(entries: list[CdpEntry]) -> str:
    lines: list[str] = []
    for e in entries:
        lines += [
            "-------------------------",
            f"Device ID: {e.device_id}",
            "Entry address(es):",
            *([f"  IP address: {e.address}"] if e.address else []),
            f"Platform: {e.platform},  Capabilities: {' '.join(e.capabilities)}",
            f"Interface: {e.local_port},  Port ID (outgoing port): {e.port_id}",
            f"Holdtime : {e.holdtime} sec",
            "",
            "Version :",
            *e.version.splitlines(),
            "",
            "advertisement version: 2",
            f"Native VLAN: {e.native_vlan}",
            "Management address(es):",
            "",
        ]
    lines += ["", f"Total cdp entries displayed : {len(entries)}", ""]
    return "\n".join(lines)
