"""One neighbour as LLDP or CDP shows it, and who it is.

`Neighbor` keeps the strings as the device printed them; `peer_port` picks the neighbour's
port name from the port ID or the port description (by the port ID's subtype), `peer_label`
names the neighbour (its system name, else its chassis ID when that is a MAC or network
address, else its management address) and `peer_node` gives the node name a snapshot and the
drift check use, so that two neighbours without a system name are never one node.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from netutils.mac import is_valid_mac, mac_to_format

from netsteward.tasks.core.ifnames import port_kind

_NOT_ADVERTISED = {"", "-", "--", "- not advertised", "not advertised", "n/a", "na", "null"}
# port ID subtypes whose value is not an interface name (IEEE 802.1AB; each vendor spells them)
_NOT_A_NAME = ("mac", "local", "alias", "network", "address", "agent", "circuit", "component")
# capability words and letters as the vendors print them -> one name (LLDP and CDP)
CAPABILITY_NAMES = {
    "b": "bridge",
    "bridge": "bridge",
    "s": "station",
    "station": "station",
    "station only": "station",
    "host": "station",
    "h": "station",
    "r": "router",
    "router": "router",
    "t": "telephone",
    "telephone": "telephone",
    "phone": "telephone",
    "w": "wlan",
    "wlan": "wlan",
    "wlan access point": "wlan",
    "p": "repeater",
    "repeater": "repeater",
    "c": "docsis",
    "docsis": "docsis",
    "docsis cable device": "docsis",
    "o": "other",
    "other": "other",
    "switch": "bridge",
    "customer bridge": "bridge",
    "service bridge": "bridge",
    "two-port mac relay": "bridge",
    "i": "igmp",
    "igmp": "igmp",
}


def clean(value: object) -> str:
    """A field as printed, blank when the device says it was not advertised."""
    text = str(value or "").strip()
    return (
        "" if text.lower() in _NOT_ADVERTISED or text.lower().endswith("not advertised") else text
    )


def capability_set(text: str) -> frozenset[str]:
    """'B,R' / 'Bridge, Router' / 'bridge router' / 'Router Switch IGMP' -> {'bridge', 'router', ...}."""
    words = [w.strip().lower() for w in re.split(r"[,;]", text) if w.strip()]
    out: set[str] = set()
    for word in words:
        if word in CAPABILITY_NAMES:
            out.add(CAPABILITY_NAMES[word])
            continue
        out.update(CAPABILITY_NAMES.get(part, part) for part in word.split())
    return frozenset(out)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _looks_like_port(text: str) -> bool:
    """An interface name: a known kind of port (any vendor's spelling), or a slot/port
    form such as Juniper's ge-0/0/0.0 (one word, a slash, not a MAC or an address)."""
    if port_kind(text) is not None:
        return True
    return "/" in text and " " not in text and not is_valid_mac(text) and not _is_address(text)


@dataclass(frozen=True, order=True)
class Neighbor:
    """One LLDP or CDP neighbour seen on one local port. Strings as the device printed them."""

    local_interface: str
    neighbor_name: str = ""  # system name (CDP: device ID); "" when not advertised
    chassis_id: str = ""
    neighbor_port_id: str = ""
    neighbor_port_description: str = ""
    port_id_type: str = ""  # port ID subtype as printed ("" when the output does not say)
    system_description: str = ""  # first line
    capabilities: str = ""  # enabled capabilities
    mgmt_address: str = ""
    chassis_id_type: str = ""  # chassis ID subtype as printed
    capabilities_supported: str = ""  # system capabilities (what it can be)
    protocol: str = "lldp"  # lldp | cdp
    platform: str = ""  # CDP platform, LLDP-MED model name

    @property
    def local_port(self) -> str:
        return self.local_interface

    @property
    def peer_port(self) -> str:
        """The neighbour's port name: the port ID when its subtype (or its form) says it is an
        interface name, else the port description when that is one, else the port ID."""
        pid = self.neighbor_port_id
        subtype = self.port_id_type.lower()
        named_by_type = not any(word in subtype for word in _NOT_A_NAME)
        if pid and named_by_type and _looks_like_port(pid):
            return pid
        desc = self.neighbor_port_description
        if desc and _looks_like_port(desc):
            return desc
        return pid or desc

    @property
    def peer_label(self) -> str:
        """Who the neighbour is: its system name (domain and a CDP serial suffix cut), else its
        chassis ID when that is a MAC (one spelling for every vendor) or an address, else its
        management address; "" when it says none of these."""
        name = re.sub(r"\([^)]*\)$", "", self.neighbor_name.strip())
        if name and not is_valid_mac(name):
            return name if _is_address(name) else name.split(".")[0]
        chassis = self.chassis_id.strip() or name
        if chassis and is_valid_mac(chassis):
            return mac_to_format(chassis, "MAC_DASH_FOUR").lower()
        if chassis and _is_address(chassis):
            return chassis
        return self.mgmt_address.strip()

    @property
    def capability_names(self) -> frozenset[str]:
        """Enabled capabilities as names: bridge, router, telephone, wlan, station, ..."""
        return capability_set(self.capabilities)


def peer_node(nb: Neighbor, inventory: dict[str, str], host: str) -> str:
    """The node a neighbour is: the inventory host it names (`inventory`: lower-case name ->
    host), else its `peer_label`; a neighbour that gives no name, MAC, address or management
    address is a node of its own, named after its chassis ID and where it was seen."""
    label = nb.peer_label
    found = inventory.get(label.lower()) or inventory.get(nb.neighbor_name.strip().lower())
    if found:
        return found
    if label:
        return label
    return f"{nb.chassis_id.strip() or 'unknown'}@{host}:{nb.local_interface}"
