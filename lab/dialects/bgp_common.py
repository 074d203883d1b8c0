"""One BGP far-end rule for the lab's four BGP displays (pure).

Huawei VRP `display bgp peer`, H3C Comware `display bgp peer ipv4`, FortiOS
`get router info bgp summary|neighbors` and Cisco ASA `show bgp summary` decide a
neighbour's state with `peer_state`, from configuration text only:

- a neighbour X with remote AS Y is **Established** when a device at the far end of
  one of our cables (link up) has the address X on one of its interfaces that is not
  shut down, runs BGP with AS Y, and has a peer statement back to one of our
  addresses with our AS (a Comware far end must also enable that peer for IPv4
  unicast; VRP, FortiOS and ASA far ends need nothing more; a FortiOS neighbour
  with `set shutdown enable` does not count);
- otherwise it is **Active** when X is on a subnet of one of our addresses or is the
  address of a cabled device (it answers, but refuses the session), else **Idle**.

The far end's configuration is read in any of the four vendors' syntaxes
(`bgp_config`): VRP / Comware `bgp AS` / `router-id R` / `peer X as-number Y`
[+ Comware `address-family ipv4 [unicast]` / `peer X enable`; VRP
`ipv4-family unicast` / `undo peer X enable` closes it]; FortiOS
`config router bgp` / `set as` / `set router-id` / `config neighbor` / `edit "X"` /
`set remote-as Y` / `config network`; ASA (and IOS) `router bgp AS` /
`bgp router-id R` / [`address-family ipv4 unicast`] / `neighbor X remote-as Y`.

Simplified: no routing or multihop is simulated (the far end's peer statement may
name any of our addresses); the session came up at the later of the two ends'
`since` (their boot or last configuration change, as the caller counts it); the
prefixes received are the far end's `network` lines.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from netsteward.lab.dialects.fortinet.extra import interfaces
from netsteward.lab.dialects.fortinet.render import find_path, parse, unquote
from netsteward.lab.engine.configtree import ConfigTree, Node

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.state import DeviceState

HUAWEI_STYLE = ("huawei_vrp", "hp_comware")


@dataclass(frozen=True)
class BgpConfig:
    """A device's BGP process as its configuration states it."""

    local_as: str
    router_id: str  # the configured router ID, else ""
    peers: dict[str, str] = field(default_factory=dict)  # address -> AS, open for IPv4 unicast
    networks: int = 0  # `network` lines (FortiOS: `config network` entries)


@dataclass(frozen=True)
class FarEnd:
    """The device at the far end of one of our cables whose link is up."""

    local_port: str  # our port
    name: str
    platform: str
    config: str  # its running configuration
    since: datetime  # the later of its boot and its last configuration change


@dataclass(frozen=True)
class PeerState:
    """What the displays show of one configured neighbour."""

    state: str  # Established | Active | Idle
    far_end: str = ""  # the device that answers (Established and Active)
    router_id: str = ""  # its BGP router ID (Established)
    prefixes: int = 0  # what it announces (Established)
    since: datetime | None = None  # when the session came up (Established)
    local_ip: str = ""  # our address it peers with (Established)
    local_port: str = ""  # our interface towards it ("" when unknown)


# -- reading configurations ---------------------------------------------------------------


def is_ipv4(text: str) -> bool:
    """`text` is a dotted IPv4 address (not a peer group's name)."""
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=512)
def addresses(platform: str, config: str) -> dict[str, ipaddress.IPv4Interface]:
    """Interface -> primary IPv4 address, of the interfaces that are not shut down
    (cached: do not change the answer)."""
    if platform == "fortinet":
        return {
            i.name: ipaddress.IPv4Interface(f"{i.ip}/{i.mask}")
            for i in interfaces(parse(config))
            if not i.down
        }
    out: dict[str, ipaddress.IPv4Interface] = {}
    for node in ConfigTree.parse(config).sections("interface "):
        lines = [c.text.split() for c in node.children]
        if ["shutdown"] in lines:
            continue
        for w in lines:
            if w[:2] == ["ip", "address"] and len(w) >= 4 and is_ipv4(w[2]):
                try:
                    address = ipaddress.IPv4Interface(f"{w[2]}/{w[3]}")
                except ValueError:
                    continue
                out.setdefault(node.text.split(None, 1)[1], address)
    return out


def _huawei_style(tree: ConfigTree, platform: str) -> BgpConfig | None:
    node = next((n for n in tree.top if n.text.split()[:1] == ["bgp"]), None)
    if node is None or len(node.text.split()) < 2 or not node.text.split()[1].isdigit():
        return None
    router_id, peers, enabled, disabled, networks = "", {}, set(), set(), 0
    for c in node.walk():
        w = c.text.split()
        if w[:1] == ["router-id"] and len(w) > 1:
            router_id = w[1]
        elif w[:1] == ["peer"] and len(w) >= 4 and w[2] == "as-number" and is_ipv4(w[1]):
            peers[w[1]] = w[3]
        elif w[:1] == ["peer"] and len(w) == 3 and w[2] == "enable" and _in_ipv4(c, node):
            enabled.add(w[1])
        elif w[:2] == ["undo", "peer"] and w[3:] == ["enable"] and _in_ipv4(c, node):
            disabled.add(w[2])
        elif w[:1] == ["network"]:
            networks += 1
    if platform == "hp_comware":  # Comware opens no address family by default
        peers = {k: v for k, v in peers.items() if k in enabled}
    else:  # VRP opens IPv4 unicast for every peer unless told not to
        peers = {k: v for k, v in peers.items() if k not in disabled}
    return BgpConfig(node.text.split()[1], router_id, peers, networks)


def _in_ipv4(line: Node, process: Node) -> bool:
    """`line` sits in the IPv4 unicast family view of `process` (Comware, VRP)."""
    parent = line.parent
    return (
        parent is not None
        and parent.parent is process
        and parent.text
        in (
            "address-family ipv4",
            "address-family ipv4 unicast",
            "ipv4-family",
            "ipv4-family unicast",
        )
    )


def _fortios(config: str) -> BgpConfig | None:
    block = find_path(parse(config), "router bgp")
    local_as = block.get("as") if block is not None else None
    if block is None or not local_as or local_as == "0":
        return None
    peers: dict[str, str] = {}
    table = block.child("config", "neighbor")
    for entry in table.blocks() if table is not None else []:
        if entry.get("shutdown") != "enable" and is_ipv4(unquote(entry.name)):
            peers[unquote(entry.name)] = entry.get("remote-as") or "0"
    rid = block.get("router-id") or ""
    networks = block.child("config", "network")
    count = len(networks.blocks()) if networks is not None else 0
    return BgpConfig(local_as, "" if rid == "0.0.0.0" else rid, peers, count)


def _cisco(tree: ConfigTree) -> BgpConfig | None:
    node = next((n for n in tree.top if n.text.split()[:2] == ["router", "bgp"]), None)
    if node is None or len(node.text.split()) < 3:
        return None
    router_id, peers, networks = "", {}, 0
    for c in node.walk():
        w = c.text.split()
        if w[:2] == ["bgp", "router-id"] and len(w) > 2:
            router_id = w[2]
        elif w[:1] == ["neighbor"] and len(w) >= 4 and w[2] == "remote-as" and is_ipv4(w[1]):
            peers[w[1]] = w[3]
        elif w[:1] == ["network"]:
            networks += 1
    return BgpConfig(node.text.split()[2], router_id, peers, networks)


@functools.lru_cache(maxsize=512)
def bgp_config(platform: str, config: str) -> BgpConfig | None:
    """The BGP process of a configuration in its platform's syntax (None: no BGP;
    cached: do not change the answer)."""
    if platform == "fortinet":
        return _fortios(config)
    tree = ConfigTree.parse(config)
    if platform in HUAWEI_STYLE:
        return _huawei_style(tree, platform)
    return _cisco(tree)


def router_id(platform: str, config: str, process: BgpConfig | None = None) -> str:
    """The configured BGP router ID, else the first loopback address, else the highest."""
    if process is not None and process.router_id:
        return process.router_id
    ips = addresses(platform, config)
    loops = [a.ip for n, a in ips.items() if n.lower().startswith("loopback")]
    if loops:
        return str(loops[0])
    return str(max((a.ip for a in ips.values()), default="0.0.0.0"))


def far_ends(device: DeviceState, since: Callable[[DeviceState], datetime]) -> list[FarEnd]:
    """The devices at the far end of `device`'s cables whose link is up (any port, LLDP
    or not), each with `since(far device)` as its `since`."""
    lab, out = device.lab, []
    for cable in lab.cables:
        for here, port, there in (
            (cable.a, cable.a_port, cable.b),
            (cable.b, cable.b_port, cable.a),
        ):
            if here != device.name or not lab.link_up(here, port):
                continue
            far = lab.device(there)
            out.append(FarEnd(port, far.name, far.spec.platform, far.running_text(), since(far)))
    return out


# -- the rule -----------------------------------------------------------------------------


def peer_state(
    ours: Mapping[str, ipaddress.IPv4Interface],
    our_since: datetime,
    local_as: str,
    address: str,
    remote_as: str,
    far_ends: Iterable[FarEnd],
) -> PeerState:
    """The state of our neighbour `address` (remote AS `remote_as`), given our usable
    addresses `ours` (interface -> address) and the devices cabled to us."""
    if not is_ipv4(address):
        return PeerState("Idle")  # a peer group or a name: nothing to connect to
    peer = ipaddress.IPv4Address(address)
    ports = {str(a.ip): name for name, a in ours.items()}
    # our addresses on the neighbour's subnet first: the session's natural source
    near = [str(a.ip) for a in ours.values() if peer in a.network and a.ip != peer]
    mine = near + [ip for ip in ports if ip not in near]
    answering: FarEnd | None = None
    for far in far_ends:
        if address not in far.config or all(
            a.ip != peer for a in addresses(far.platform, far.config).values()
        ):
            continue
        answering = far
        process = bgp_config(far.platform, far.config)
        if process is None or process.local_as != remote_as:
            break
        back = [ip for ip in mine if process.peers.get(ip) == local_as]
        if back:
            return PeerState(
                "Established",
                far.name,
                router_id(far.platform, far.config, process),
                process.networks,
                max(our_since, far.since),
                back[0],
                ports[back[0]],
            )
        break
    if answering is not None:
        return PeerState("Active", answering.name, local_port=answering.local_port)
    connected = any(peer in a.network for a in ours.values() if a.network.prefixlen < 32)
    return PeerState("Active" if connected else "Idle")
