"""What the drift check compares beyond the configuration text, computed by the jobs that
own each rule and mapped onto drift's `Violation` and `Adjacency`:

- port policy: `netsteward.tasks.ports.plan.plan_device` (each planned change is one violation);
- firewall intent and hygiene: `netsteward.tasks.firewall.audit.audit_config`;
- cabling: LLDP neighbours (`netsteward.tasks.topology.lldp`) and the topology snapshot
  (`netsteward.tasks.topology.model`) as adjacencies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.drift.check import DeviceState
from netsteward.tasks.drift.model import (
    Adjacency,
    Check,
    DeviceInfo,
    Violation,
)
from netsteward.tasks.firewall.audit import Finding, audit_config
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.ports.config import parse_config
from netsteward.tasks.ports.plan import Device, Link, PeerIndex, plan_device
from netsteward.tasks.ports.policy import check_policy_hosts, load_policy
from netsteward.tasks.topology.model import load_snapshot
from netsteward.tasks.topology.neighbor import Neighbor, peer_node

log = logging.getLogger(__name__)


# --- port policy -----------------------------------------------------------------------


def load_port_evaluator(
    path: Path, devices: Iterable[DeviceInfo], configs: dict[str, str]
) -> Callable[[DeviceInfo, DeviceState], list[Violation]]:
    """An evaluator of the port policy at `path` (`plan_device`, as `normalize plan` runs it).

    `configs` (host -> configuration) tell it the LAGs of neighbours, for LAG descriptions.
    """
    policy = load_policy(path)
    devices = list(devices)
    check_policy_hosts(policy, path, {d.host for d in devices})  # a typo'd host: exit 2
    peers = PeerIndex()
    for dev in devices:
        peers.platforms[dev.host] = dev.platform
    by_host = {d.host: d for d in devices}
    indexed: set[str] = set()

    def index(host: str) -> None:
        """LAG membership of a neighbour (for LAG descriptions), parsed when first needed."""
        indexed.add(host)
        peer, text = by_host.get(host), configs.get(host)
        if peer is not None and text and policy.in_scope(peer.role, peer.platform):
            peers.add_config(host, peer.platform, parse_config(peer.platform, text), policy)

    def evaluate(dev: DeviceInfo, state: DeviceState) -> list[Violation]:
        if not state.config or not policy.in_scope(dev.role, dev.platform):
            return []
        links = [Link(a.local_port, a.peer, a.peer_port) for a in state.links()]
        for link in links:
            if link.peer not in indexed:
                index(link.peer)
        plan = plan_device(
            Device(dev.host, dev.platform, dev.role, dev.network, dev.model),
            state.config,
            links,
            policy,
            peers,
        )
        return [
            Violation(dev.host, Check.PORT_POLICY, ch.interface or "", ch.kind, detail=ch.reason)
            for ch in plan.changes
        ]

    return evaluate


# --- firewall --------------------------------------------------------------------------


def load_firewall_evaluator(
    path: Path, as_of: date | None = None
) -> Callable[[DeviceInfo, DeviceState], list[Violation]]:
    """An evaluator of the firewall intent at `path` (`audit_config`, as `audit firewall` runs it)."""
    loaded = load_intent(path)

    def evaluate(dev: DeviceInfo, state: DeviceState) -> list[Violation]:
        if not state.config:
            return []
        findings = audit_config(dev.platform, state.config, loaded, as_of, device=dev.host).findings
        lines = state.config.splitlines()
        return [finding_to_violation(dev.host, f, lines) for f in findings]

    return evaluate


def finding_to_violation(host: str, finding: Finding, lines: list[str] | None = None) -> Violation:
    """A firewall finding (device, rule, line, check, severity, detail) as a Violation.

    The line number goes into the detail only: it is not part of the identity, so a rule
    that moved because another was inserted above it stays the same known violation. The
    identity is the text of the rule's configuration line when known (Cisco ASA numbers its
    rules by position, `OUTSIDE_IN line 3`, so the id changes on every insertion).
    """
    line, detail = finding.line, finding.detail
    if line:
        detail = f"line {line}: {detail}" if detail else f"line {line}"
    anchor = ""
    if lines and 0 < line <= len(lines):
        anchor = lines[line - 1].strip()
    return Violation(
        host,
        Check.FIREWALL,
        finding.rule,
        finding.check,
        detail=detail,
        severity=finding.severity,
        anchor=anchor,
    )


# --- topology --------------------------------------------------------------------------


def live_adjacencies(
    platform: str, neighbors: Iterable[Neighbor], platforms: dict[str, str], host: str = ""
) -> tuple[Adjacency, ...]:
    """LLDP/CDP neighbours as canonical adjacencies, named as the topology snapshot names
    them (`netsteward.tasks.topology.neighbor.peer_node`)."""

    names = {h.lower(): h for h in platforms}
    out = set()
    for n in neighbors:
        if not n.local_interface:
            continue
        peer = peer_node(n, names, host)
        out.add(
            Adjacency(
                canonical_name(platform, n.local_port),
                peer,
                canonical_name(platforms.get(peer), n.peer_port),
            )
        )
    return tuple(sorted(out, key=lambda a: (a.local_port, a.peer, a.peer_port)))


@dataclass(frozen=True)
class SnapshotView:
    """What a topology snapshot says about each host's cables.

    `adjacencies`: host -> its adjacencies (LAG links split into their member cables);
    `one_sided`: host -> adjacencies of links seen from one end only (either end may or may
    not see them, so they are neither required nor new); hosts the snapshot could not read
    are in `unreachable`, not in `adjacencies` (nothing to compare, and their cables are
    unknown to their peers' records too).
    """

    name: str
    adjacencies: dict[str, tuple[Adjacency, ...]]
    one_sided: dict[str, tuple[Adjacency, ...]]
    unreachable: frozenset[str] = frozenset()  # devices discovery could not read that day


def snapshot_view(text: str, name: str = "snapshot") -> SnapshotView:
    """Per host, the adjacencies a topology snapshot records; declared links are left out:
    LLDP cannot see them."""
    snap = load_snapshot(text)
    adj: dict[str, set[Adjacency]] = {
        n.name: set()
        for n in snap.nodes.values()
        if n.kind == "device" and n.name not in snap.unreachable
    }
    one: dict[str, set[Adjacency]] = {}
    for link in snap.links.values():
        if link.seen == "declared":
            continue
        target = one if link.seen == "one-sided" else adj
        for (h1, p1), (h2, p2) in link.cables():
            target.setdefault(h1, set()).add(Adjacency(p1, h2, p2))
            target.setdefault(h2, set()).add(Adjacency(p2, h1, p1))

    def tup(v: set[Adjacency]) -> tuple[Adjacency, ...]:
        return tuple(sorted(v, key=lambda x: (x.local_port, x.peer, x.peer_port)))

    return SnapshotView(
        name=name,
        adjacencies={h: tup(v) for h, v in adj.items()},
        one_sided={h: tup(v) for h, v in one.items()},
        unreachable=frozenset(snap.unreachable),
    )
