"""Where the drift check plugs into the other parts' APIs.

Each function here is a thin call into the owner of the logic:
- configuration fetch + acceptance + normalisation: tasks/backup.py and tasks/scrub.py;
- port policy: tasks/normalize.py `plan_device` (each planned change is one violation);
- firewall intent and hygiene: tasks/fw_audit.py `audit_config`;
- topology snapshot: tasks/topology*.py.
Only the mapping of their results onto `Violation` / `Adjacency` is ours.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from nornir.core.task import Task

from tasks.drift import Adjacency, Check, DeviceInfo, Violation
from tasks.drift_check import DeviceState
from tasks.ifnames import canonical_name

log = logging.getLogger(__name__)


def optional_module(name: str) -> Any:
    """The module `name`, or None while that part has not landed (any other import error
    is real and raised)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


# --- configuration ---------------------------------------------------------------------


class IncompleteConfig(Exception):
    """The device answered with something that is not a complete configuration."""


def fetch_normalised(task: Task) -> dict[str, str]:
    """{suffix: normalised text} of every file the backup stores for this host.

    Uses the backup's own fetch when it offers one; otherwise the same platform data
    (commands, end markers, error lines) and `normalise_config`.
    """
    backup = optional_module("tasks.backup")
    fetch = getattr(backup, "fetch_normalised", None) if backup else None
    if fetch is not None:
        return dict(fetch(task))
    return _fetch_with_platform_data(task)


def _fetch_with_platform_data(task: Task) -> dict[str, str]:
    from tasks.platforms import load_platform
    from tasks.scrub import clean_text, error_lines, normalise_config

    platform = load_platform(task.host.platform or "")
    conn = task.host.get_connection("netmiko", task.nornir.config)
    out: dict[str, str] = {}
    for item in platform.collect:
        raw = clean_text(str(conn.send_command(item.command, read_timeout=item.read_timeout)))
        errors = error_lines(platform, raw)
        if errors:
            raise IncompleteConfig(f"{item.command!r} answered with an error: {errors[0].strip()}")
        if not re.search(item.end_marker, raw, re.MULTILINE):
            raise IncompleteConfig(f"{item.command!r}: output incomplete (no end marker)")
        text = normalise_config(platform, raw)
        if len(text.splitlines()) < item.min_lines:
            raise IncompleteConfig(f"{item.command!r}: output too short")
        out[item.suffix] = text
    return out


# --- port policy -----------------------------------------------------------------------


def load_port_evaluator(
    path: Path, devices: Iterable[DeviceInfo], configs: dict[str, str]
) -> Callable[[DeviceInfo, DeviceState], list[Violation]]:
    """An evaluator of the port policy at `path` (tasks/normalize.plan_device).

    `configs` (host -> configuration) tell it the LAGs of neighbours, for LAG descriptions.
    """
    from tasks.normalize import Device, Link, PeerIndex, plan_device
    from tasks.normalize_config import parse_config
    from tasks.port_policy import load_policy

    policy = load_policy(path)
    devices = list(devices)
    peers = PeerIndex()
    for dev in devices:
        peers.platforms[dev.host] = dev.platform
    by_host = {d.host: d for d in devices}
    # LAG membership of peers (for LAG descriptions): from the configurations we hold
    for host, text in configs.items():
        dev = by_host.get(host)
        if dev is not None and text and policy.in_scope(dev.role, dev.platform):
            peers.add_config(host, dev.platform, parse_config(dev.platform, text), policy)

    def evaluate(dev: DeviceInfo, state: DeviceState) -> list[Violation]:
        if not state.config or not policy.in_scope(dev.role, dev.platform):
            return []
        links = [Link(a.local_port, a.peer, a.peer_port) for a in state.links()]
        plan = plan_device(
            Device(dev.host, dev.platform, dev.role, dev.network, dev.model), state.config, links, policy, peers
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
    """An evaluator of the firewall intent at `path` (tasks/fw_audit.audit_config)."""
    from tasks import fw_audit, intent

    loaded = intent.load_intent(path)

    def evaluate(dev: DeviceInfo, state: DeviceState) -> list[Violation]:
        if not state.config:
            return []
        findings = fw_audit.audit_config(dev.platform, state.config, loaded, as_of)
        return [finding_to_violation(dev.host, f) for f in findings]

    return evaluate


def _get(obj: Any, name: str, default: Any = "") -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def finding_to_violation(host: str, finding: Any) -> Violation:
    """A firewall finding (device, rule, line, check, severity, detail) as a Violation.

    The line number goes into the detail only: it is not part of the identity, so a rule
    that moved because another was inserted above it stays the same known violation.
    """
    rule = str(_get(finding, "rule", "") or "")
    line = _get(finding, "line", None)
    detail = str(_get(finding, "detail", "") or "")
    if line:
        detail = f"line {line}: {detail}" if detail else f"line {line}"
    severity = _get(finding, "severity", "")
    return Violation(
        host,
        Check.FIREWALL,
        rule,
        str(_get(finding, "check", "")),
        detail=detail,
        severity=str(getattr(severity, "value", severity) or ""),
    )


# --- topology --------------------------------------------------------------------------


def _resolve(names: dict[str, str], label: str) -> str:
    """A neighbour's system name as the inventory spells it (as the topology model does)."""
    return names.get(label.lower(), label or "unknown")


def live_adjacencies(
    platform: str, neighbors: Iterable[Any], platforms: dict[str, str]
) -> tuple[Adjacency, ...]:
    """LLDP neighbours (tasks.lldp.Neighbor) as canonical adjacencies, named as the
    topology snapshot names them (tasks.topology_model.build_snapshot)."""
    names = {h.lower(): h for h in platforms}
    out = set()
    for n in neighbors:
        if not n.local_interface:
            continue
        peer = _resolve(names, n.peer_label)
        out.add(
            Adjacency(
                canonical_name(platform, n.local_port), peer, canonical_name(platforms.get(peer), n.peer_port)
            )
        )
    return tuple(sorted(out, key=lambda a: (a.local_port, a.peer, a.peer_port)))


@dataclass(frozen=True)
class SnapshotView:
    """What a topology snapshot says about each host's cables.

    `adjacencies`: host -> its adjacencies (LAG links split into their member cables);
    `one_sided`: host -> adjacencies of links seen from one end only (either end may or may
    not see them, so they are neither required nor new); hosts the snapshot could not read
    are absent (nothing to compare).
    """

    name: str
    adjacencies: dict[str, tuple[Adjacency, ...]]
    one_sided: dict[str, tuple[Adjacency, ...]]


def snapshot_view(text: str, name: str = "snapshot") -> SnapshotView:
    """Per host, the adjacencies a topology snapshot records (tasks.topology_model);
    declared links are left out: LLDP cannot see them."""
    from tasks.topology_model import load_snapshot

    snap = load_snapshot(text)
    adj: dict[str, set[Adjacency]] = {
        n.name: set() for n in snap.nodes.values() if n.kind == "device" and n.name not in snap.unreachable
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
    )
