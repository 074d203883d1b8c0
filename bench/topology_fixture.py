"""Build 739-node topology snapshots offline from the lab's ground truth (for the benchmark and tests).

The lab package is imported only here (bench/ and tests/ may; tasks/ and playbooks/ may not).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from netsteward.tasks.topology.model import (
    DeviceDiscovery,
    InventoryNode,
    Snapshot,
    build_snapshot,
    inventory_node,
)
from netsteward.tasks.topology.neighbor import Neighbor


def lab_truth_and_inventory(seed: int = 2026) -> tuple[dict[str, Any], list[InventoryNode]]:
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        truth = subprocess.run(
            [
                sys.executable,
                "-m",
                "netsteward.lab",
                "truth",
                "--json",
                "--seed",
                str(seed),
                "--state-dir",
                str(state),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        hosts = Path(tmp) / "hosts.yaml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "netsteward.lab",
                "inventory",
                "--seed",
                str(seed),
                "--out",
                str(hosts),
                "--state-dir",
                str(state),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        raw = yaml.safe_load(hosts.read_text())
    inv = [
        inventory_node(
            name, h.get("hostname", ""), h.get("port"), h.get("platform", ""), h.get("data") or {}
        )
        for name, h in raw.items()
    ]
    return json.loads(truth), inv


def declared_pairs(inv: list[InventoryNode]) -> set[frozenset[tuple[str, str]]]:
    return {frozenset({(n.name, lp), (peer, pp)}) for n in inv for lp, peer, pp in n.declared_links}


def discoveries_from_cables(
    truth: dict[str, Any],
    cables: list[dict[str, Any]] | None = None,
    declared: set[frozenset[tuple[str, str]]] = frozenset(),
) -> list[DeviceDiscovery]:
    """What LLDP and the LAG commands would report for these cables (both ends see each other);
    declared cables (firewalls, FC) are invisible to LLDP."""
    cables = truth["cables"] if cables is None else cables
    neighbors: dict[str, list[Neighbor]] = {d["name"]: [] for d in truth["devices"]}
    for c in cables:
        if frozenset({(c["a"], c["a_port"]), (c["b"], c["b_port"])}) in declared:
            continue
        for h, p, ph, pp in (
            (c["a"], c["a_port"], c["b"], c["b_port"]),
            (c["b"], c["b_port"], c["a"], c["a_port"]),
        ):
            if h in neighbors:
                neighbors[h].append(Neighbor(p, ph, "0000-0000-0000", pp, pp, "Interface name"))
    lags: dict[str, dict[str, tuple[str, ...]]] = {}
    for lag in truth["lags"]:
        lags.setdefault(lag["host"], {})[lag["lag"]] = tuple(lag["members"])
    facts = {
        d["name"]: {"model": d["model"], "serial": d["serial"], "version": d["version"]}
        for d in truth["devices"]
    }
    return [
        DeviceDiscovery(name, tuple(nbs), lags.get(name, {}), facts[name])
        for name, nbs in neighbors.items()
    ]


def snapshot_from_truth(
    truth: dict[str, Any],
    inv: list[InventoryNode],
    date: str,
    cables: list[dict[str, Any]] | None = None,
    unreachable: tuple[str, ...] = (),
) -> Snapshot:
    return build_snapshot(
        discoveries_from_cables(truth, cables, declared_pairs(inv)), inv, date, unreachable
    )
