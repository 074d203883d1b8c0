"""The canonical topology model: nodes, links, snapshots and their diff.

    snap = build_snapshot(devices, inventory, date="2026-11-01")   # from discovery
    text = dump_snapshot(snap)                                      # sorted, stable JSON
    snap = load_snapshot(text_or_path)
    d = diff_snapshots(old, new)                                    # TopologyDiff

Nodes are keyed by host name. Neighbours that are not in the inventory become
"unknown" stubs named after their system name (domain stripped), else their chassis ID (a
MAC or an address), else their management address (`netsteward.tasks.topology.neighbor.peer_node`):
two neighbours without a name are never one node.
A physical link is keyed by the unordered pair of (host, canonical port name);
links whose ends are LAG members are bundled into one logical link between the
two LAGs (or the LAG and the plain port) that keeps its members. A link seen
from one end only is marked `seen="one-sided"`; links from the inventory's
`declared_links` are marked `seen="declared"`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.core.reading import ReadWarning
from netsteward.tasks.topology.neighbor import Neighbor, peer_node

FORMAT = 1
SEP = " -- "


@dataclass(frozen=True, order=True)
class Node:
    name: str
    kind: str = "device"  # device | unknown
    role: str = ""
    network: str = ""
    platform: str = ""
    vendor: str = ""
    model: str = ""
    serial: str = ""
    version: str = ""
    mgmt: str = ""  # management address (host[:port])
    location: str = ""
    uplink_pair: str = ""
    chassis_id: str = ""
    description: str = ""  # unknown stubs: the LLDP system description
    capabilities: str = ""  # unknown stubs: LLDP enabled capabilities as advertised


def is_endpoint(node: Node) -> bool:
    """An unknown neighbour that is a phone, an access point or a station (LLDP capabilities
    T/telephone, W/WLAN, S/station), or advertises neither bridge nor router."""
    if node.kind != "unknown" or not node.capabilities:
        return False
    caps = {c.lower() for c in node.capabilities.replace(";", " ").replace(",", " ").split()}
    if caps & {"t", "telephone", "w", "wlan", "s", "station"}:
        return True
    return not caps & {"b", "r", "bridge", "router"}


# Fields whose change means "another device stands here now".
IDENTITY_FIELDS = ("kind", "platform", "vendor", "model", "serial", "role", "network")


@dataclass(frozen=True, order=True)
class Link:
    a: str
    a_port: str  # canonical port, or the LAG name of a bundled link
    b: str
    b_port: str
    kind: str = "physical"  # physical | lag
    members: tuple[tuple[str, str], ...] = ()  # (a member port, b member port) of a LAG link
    seen: str = "both"  # both | one-sided | declared

    @property
    def key(self) -> str:
        return link_key(self.a, self.a_port, self.b, self.b_port)

    def cables(self) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """The physical cables of the link, each an ordered pair of (host, port)."""
        pairs = self.members if self.kind == "lag" else ((self.a_port, self.b_port),)
        return [tuple(sorted([(self.a, ap), (self.b, bp)])) for ap, bp in pairs]  # type: ignore[misc]


def link_key(a: str, a_port: str, b: str, b_port: str) -> str:
    ends = sorted([(a, a_port), (b, b_port)])
    return SEP.join(f"{h}:{p}" for h, p in ends)


@dataclass(frozen=True)
class DeviceDiscovery:
    """What discovery learnt from one device (the input of `build_snapshot`)."""

    name: str
    neighbors: tuple[Neighbor, ...] = ()
    lags: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # LAG -> member ports (any spelling)
    facts: dict[str, str] = field(default_factory=dict)  # model, version, serial (as read)
    warnings: tuple[ReadWarning, ...] = ()  # what its readers could not read


@dataclass(frozen=True)
class InventoryNode:
    """An inventory host as the model needs it."""

    name: str
    platform: str = ""
    role: str = ""
    network: str = ""
    vendor: str = ""
    model: str = ""
    mgmt: str = ""
    location: str = ""
    uplink_pair: str = ""
    declared_links: tuple[tuple[str, str, str], ...] = ()  # (local_port, peer, peer_port)


@dataclass(frozen=True)
class Snapshot:
    date: str
    nodes: dict[str, Node]
    links: dict[str, Link]
    unreachable: tuple[str, ...] = ()
    # devices read whose neighbours could not be read, or only in part: host -> why (their
    # links in this snapshot may be missing; in the JSON only when there are any)
    neighbors_unread: dict[str, str] = field(default_factory=dict)

    def links_of(self, host: str) -> list[Link]:
        return [lk for lk in self.links.values() if host in (lk.a, lk.b)]


# ---------------------------------------------------------------- building


def _resolver(inventory: dict[str, InventoryNode]) -> dict[str, str]:
    names = {n.lower(): n for n in inventory}
    return names


def build_snapshot(
    devices: list[DeviceDiscovery],
    inventory: list[InventoryNode],
    date: str,
    unreachable: list[str] | tuple[str, ...] = (),
    scope: set[str] | None = None,
    neighbors_unread: dict[str, str] | None = None,
) -> Snapshot:
    """The canonical model from per-device discovery and the inventory.

    Hosts in `unreachable` (inventory devices discovery could not read) are left
    out, with their declared links, unless a neighbour still sees them over LLDP
    (a device that is up but refused us): then they stay, with one-sided links.
    Everything else in the inventory is a node.
    With `scope` (a partial run, e.g. --hosts), inventory devices outside it are
    nodes only when a link reaches them; the whole inventory still names peers.
    """
    inv = {n.name: n for n in inventory}
    lower = _resolver(inv)
    down = set(unreachable)
    nodes: dict[str, Node] = {}
    inv_nodes: dict[str, Node] = {}
    found = {d.name: d for d in devices}
    for item in inventory:
        facts = found[item.name].facts if item.name in found else {}
        inv_nodes[item.name] = Node(
            name=item.name,
            role=item.role,
            network=item.network,
            platform=item.platform,
            vendor=item.vendor,
            model=facts.get("model") or item.model,
            serial=facts.get("serial", ""),
            version=facts.get("version", ""),
            mgmt=item.mgmt,
            location=item.location,
            uplink_pair=item.uplink_pair,
        )
    nodes.update((name, node) for name, node in inv_nodes.items() if name not in down)

    def platform_of(host: str) -> str | None:
        return inv[host].platform if host in inv else None

    # LAG membership: (host, canonical member) -> canonical LAG
    lag_of: dict[tuple[str, str], str] = {}
    for dev in devices:
        plat = platform_of(dev.name)
        for lag, lag_members in dev.lags.items():
            for m in lag_members:
                lag_of[(dev.name, canonical_name(plat, m))] = canonical_name(plat, lag)

    # observations: (host, port) -> (peer, peer_port)
    seen_from: dict[tuple[tuple[str, str], tuple[str, str]], set[str]] = defaultdict(set)
    for dev in devices:
        if dev.name in down:
            continue
        plat = platform_of(dev.name)
        for nb in dev.neighbors:
            if not nb.local_interface:
                continue
            local = (dev.name, canonical_name(plat, nb.local_interface))
            peer = peer_node(nb, lower, dev.name)
            if peer not in inv:
                if peer not in nodes:
                    nodes[peer] = Node(
                        name=peer,
                        kind="unknown",
                        chassis_id=nb.chassis_id,
                        mgmt=nb.mgmt_address,
                        description=nb.system_description,
                        capabilities=nb.capabilities,
                    )
            elif peer in down:
                nodes.setdefault(peer, inv_nodes[peer])  # unreadable, but its neighbours see it
            remote = (peer, canonical_name(platform_of(peer), nb.peer_port))
            ends = tuple(sorted([local, remote]))
            seen_from[ends].add(dev.name)  # type: ignore[index]

    # bundle LAG members: logical ends use the LAG name where the port is a member
    groups: dict[tuple[tuple[str, str], tuple[str, str]], list[tuple[str, str, str]]] = defaultdict(
        list
    )
    bundled: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for (e1, e2), who in seen_from.items():
        seen = "both" if {e1[0], e2[0]} <= who else "one-sided"
        l1 = (e1[0], lag_of.get(e1, e1[1]))
        l2 = (e2[0], lag_of.get(e2, e2[1]))
        if l2 < l1:
            l1, l2, e1, e2 = l2, l1, e2, e1
        groups[(l1, l2)].append((e1[1], e2[1], seen))
        if e1 in lag_of or e2 in lag_of:
            bundled.add((l1, l2))

    links: dict[str, Link] = {}
    for ((a, a_port), (b, b_port)), cables in groups.items():
        is_lag = ((a, a_port), (b, b_port)) in bundled
        seen = "both" if all(s == "both" for *_rest, s in cables) else "one-sided"
        members: tuple[tuple[str, str], ...] = (
            tuple(sorted((pa, pb) for pa, pb, _seen in cables)) if is_lag else ()
        )
        link = Link(
            a, a_port, b, b_port, kind="lag" if is_lag else "physical", members=members, seen=seen
        )
        links[link.key] = link

    for item in inventory:
        for local_port, peer, peer_port in item.declared_links:
            if item.name not in nodes or peer not in nodes:
                continue
            (a, a_port), (b, b_port) = sorted(
                [
                    (item.name, canonical_name(item.platform or None, local_port)),
                    (peer, canonical_name(platform_of(peer), peer_port)),
                ]
            )
            key = link_key(a, a_port, b, b_port)
            if key not in links:
                links[key] = Link(a, a_port, b, b_port, seen="declared")

    if scope is not None:
        keep = set(scope) | {n for lk in links.values() for n in (lk.a, lk.b)}
        nodes = {k: v for k, v in nodes.items() if k in keep}
        links = {k: lk for k, lk in links.items() if lk.a in nodes and lk.b in nodes}
    return Snapshot(
        date=date,
        nodes=dict(sorted(nodes.items())),
        links=dict(sorted(links.items())),
        unreachable=tuple(sorted(down)),
        neighbors_unread=dict(sorted((neighbors_unread or {}).items())),
    )


# ---------------------------------------------------------------- JSON


def snapshot_to_dict(snap: Snapshot) -> dict[str, Any]:
    data = {
        "format": FORMAT,
        "date": snap.date,
        "nodes": [asdict(n) for n in sorted(snap.nodes.values())],
        "links": [
            {**asdict(lk), "key": lk.key, "members": [list(m) for m in lk.members]}
            for _key, lk in sorted(snap.links.items())
        ],
        "unreachable": list(snap.unreachable),
    }
    if snap.neighbors_unread:
        data["neighbors_unread"] = dict(snap.neighbors_unread)
    return data


def dump_snapshot(snap: Snapshot) -> str:
    """Sorted, stable JSON (same model -> same bytes)."""
    return json.dumps(snapshot_to_dict(snap), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _only_known(cls: type, raw: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def snapshot_from_dict(raw: dict[str, Any], source: str = "snapshot") -> Snapshot:
    try:
        if raw.get("format") != FORMAT:
            raise BadInput(
                _("unknown snapshot format {value!r}").format(value=raw.get("format")),
                file=source,
                field="format",
            )
        nodes = {n["name"]: Node(**_only_known(Node, n)) for n in raw["nodes"]}
        links = {}
        for item in raw["links"]:
            data = _only_known(Link, item)
            data["members"] = tuple(tuple(m) for m in data.get("members", ()))
            lk = Link(**data)
            links[lk.key] = lk
        return Snapshot(
            date=str(raw["date"]),
            nodes=nodes,
            links=links,
            unreachable=tuple(raw.get("unreachable", ())),
            neighbors_unread=dict(raw.get("neighbors_unread") or {}),
        )
    except (KeyError, TypeError) as exc:
        raise BadInput(
            _("not a topology snapshot ({error})").format(error=exc), file=source
        ) from None


def load_snapshot(source: str | Path) -> Snapshot:
    """A snapshot from a file path or from JSON text."""
    if isinstance(source, Path) or not str(source).lstrip().startswith("{"):
        path = Path(source)
        try:
            text = path.read_text()
        except OSError as exc:
            raise BadInput(
                _("cannot read snapshot ({error})").format(error=exc.strerror), file=str(path)
            ) from None
        name = str(path)
    else:
        text, name = str(source), "snapshot"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(
            _("not valid JSON ({error})").format(error=exc.msg), file=name, line=exc.lineno
        ) from None
    return snapshot_from_dict(raw, name)


# ---------------------------------------------------------------- diff


@dataclass(frozen=True)
class LinkChange:
    old: Link
    new: Link
    reasons: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.new.key


@dataclass(frozen=True)
class NodeChange:
    old: Node
    new: Node
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TopologyDiff:
    old_date: str
    new_date: str
    added_nodes: tuple[Node, ...] = ()
    removed_nodes: tuple[Node, ...] = ()
    changed_nodes: tuple[NodeChange, ...] = ()
    added_links: tuple[Link, ...] = ()
    removed_links: tuple[Link, ...] = ()
    changed_links: tuple[LinkChange, ...] = ()
    platforms: dict[str, str] = field(
        default_factory=dict, compare=False
    )  # host -> platform (for short names)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.added_nodes,
                self.removed_nodes,
                self.changed_nodes,
                self.added_links,
                self.removed_links,
                self.changed_links,
            )
        )


def _endpoints(link: Link) -> set[tuple[str, str]]:
    ends = {(link.a, link.a_port), (link.b, link.b_port)}
    for (h1, p1), (h2, p2) in link.cables():
        ends |= {(h1, p1), (h2, p2)}
    return ends


def _link_reasons(old: Link, new: Link) -> tuple[str, ...]:
    reasons = []
    if (old.a, old.b) != (new.a, new.b):
        reasons.append("peer device changed")
    if (old.a_port, old.b_port) != (new.a_port, new.b_port):
        reasons.append("port moved")
    if old.members != new.members:
        reasons.append("LAG members changed")
    if old.kind != new.kind:
        reasons.append(f"{old.kind} -> {new.kind}")
    if (old.seen == "declared") != (new.seen == "declared"):
        reasons.append(f"{old.seen} -> {new.seen}")
    return tuple(reasons)


def diff_snapshots(old: Snapshot, new: Snapshot) -> TopologyDiff:
    """What changed from `old` to `new`. A link that kept one end and moved the
    other (re-cabled) is one changed link, not a removal plus an addition."""
    added_nodes = tuple(new.nodes[n] for n in sorted(new.nodes.keys() - old.nodes.keys()))
    removed_nodes = tuple(old.nodes[n] for n in sorted(old.nodes.keys() - new.nodes.keys()))
    changed_nodes = []
    for name in sorted(old.nodes.keys() & new.nodes.keys()):
        o, n = old.nodes[name], new.nodes[name]
        # a value nobody could read (an unreachable device's serial) is not a change
        diff_fields = tuple(
            f
            for f in IDENTITY_FIELDS
            if getattr(o, f) and getattr(n, f) and getattr(o, f) != getattr(n, f)
        )
        if diff_fields and o.kind == n.kind == "device":
            changed_nodes.append(NodeChange(o, n, diff_fields))

    changed: list[LinkChange] = []
    for key in sorted(old.links.keys() & new.links.keys()):
        reasons = _link_reasons(old.links[key], new.links[key])
        if reasons:
            changed.append(LinkChange(old.links[key], new.links[key], reasons))
    removed = [old.links[k] for k in sorted(old.links.keys() - new.links.keys())]
    added = [new.links[k] for k in sorted(new.links.keys() - old.links.keys())]
    # pair a removed and an added link that share a (host, port) end: re-cabled
    added_left = list(added)
    removed_left = []
    for r in removed:
        r_ends = _endpoints(r)
        match = next((a for a in added_left if r_ends & _endpoints(a)), None)
        if match is None:
            removed_left.append(r)
            continue
        added_left.remove(match)
        unread = set(old.unreachable) | set(new.unreachable)
        if set(r.cables()) == set(match.cables()) and unread & {r.a, r.b}:
            continue  # same cables; only the LAG name of an unreadable device's end is unknown
        changed.append(LinkChange(r, match, _link_reasons(r, match) or ("re-cabled",)))
    changed.sort(key=lambda c: (c.new.key, c.old.key))
    return TopologyDiff(
        old_date=old.date,
        new_date=new.date,
        added_nodes=added_nodes,
        removed_nodes=removed_nodes,
        changed_nodes=tuple(changed_nodes),
        added_links=tuple(added_left),
        removed_links=tuple(removed_left),
        changed_links=tuple(changed),
        platforms={
            n.name: n.platform for snap in (old, new) for n in snap.nodes.values() if n.platform
        },
    )


def diff_to_dict(d: TopologyDiff) -> dict[str, Any]:
    def link(lk: Link) -> dict[str, Any]:
        return {
            "key": lk.key,
            "a": lk.a,
            "a_port": lk.a_port,
            "b": lk.b,
            "b_port": lk.b_port,
            "kind": lk.kind,
            "members": [list(m) for m in lk.members],
            "seen": lk.seen,
        }

    return {
        "from": d.old_date,
        "to": d.new_date,
        "changed": d.changed,
        "added_nodes": [asdict(n) for n in d.added_nodes],
        "removed_nodes": [asdict(n) for n in d.removed_nodes],
        "changed_nodes": [
            {
                "name": c.new.name,
                "fields": list(c.fields),
                "old": {f: getattr(c.old, f) for f in c.fields},
                "new": {f: getattr(c.new, f) for f in c.fields},
            }
            for c in d.changed_nodes
        ],
        "added_links": [link(lk) for lk in d.added_links],
        "removed_links": [link(lk) for lk in d.removed_links],
        "changed_links": [
            {"key": c.new.key, "old": link(c.old), "new": link(c.new), "reasons": list(c.reasons)}
            for c in d.changed_links
        ],
    }


def without_dates(snap: Snapshot) -> Snapshot:
    """The snapshot with its date blanked (to compare two days' models)."""
    return replace(snap, date="")


def inventory_node(
    name: str, hostname: str, port: int | None, platform: str, data: dict[str, Any]
) -> InventoryNode:
    """An InventoryNode from an inventory host's fields (SimpleInventory hosts.yaml shape)."""
    declared = tuple(
        (str(d.get("local_port", "")), str(d.get("peer", "")), str(d.get("peer_port", "")))
        for d in (data.get("declared_links") or [])
        if isinstance(d, dict)
    )
    return InventoryNode(
        name=name,
        platform=platform or "",
        role=str(data.get("role", "")),
        network=str(data.get("network", "")),
        vendor=str(data.get("vendor", "")),
        model=str(data.get("model", "")),
        mgmt=f"{hostname}:{port}" if port else str(hostname or ""),
        location=str(data.get("location", "")),
        uplink_pair=str(data.get("uplink_pair", "")),
        declared_links=declared,
    )
