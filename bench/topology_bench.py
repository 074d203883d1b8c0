"""Topology benchmark: discovery wall time over the whole lab, diff of two 739-node snapshots,
drawing time of all pages. Prints figures; no pass/fail (the machine is shared: see the load line).

    .venv/bin/python bench/topology_bench.py            # starts a private lab, stops it at the end
    .venv/bin/python bench/topology_bench.py --no-lab   # diff and drawing only (offline, from lab truth)

Goals: discovery within 1.5x the backup's wall time, diff < 1 s, drawing < 5 s.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.topology_fixture import lab_truth_and_inventory, snapshot_from_truth  # noqa: E402
from netsteward.tasks.topology.model import diff_snapshots, dump_snapshot, load_snapshot  # noqa: E402
from netsteward.tasks.topology.report import report_pages, write_outputs  # noqa: E402


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} on {os.cpu_count()} cores"


def bench_discovery(work: Path) -> None:
    from conftest import _lab_env, start_lab

    handle = start_lab(work / "lab")
    try:
        env = _lab_env()
        for label, extra in (
            ("discovery (napalm for Cisco)", []),
            ("discovery (netmiko only)", ["--no-napalm"]),
        ):
            t = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "netsteward.playbooks.cli",
                    "topology",
                    "snapshot",
                    "--config",
                    str(handle.config),
                    "--repo",
                    str(work / "repo"),
                    "--no-commit",
                    "--json",
                    *extra,
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
            )
            wall = time.perf_counter() - t
            summary = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
            print(
                f"{label}: {wall:.1f} s wall for {summary.get('nodes', '?')} nodes, "
                f"{summary.get('links', '?')} links, exit {proc.returncode} ({_load()})"
            )
        t = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "netsteward.playbooks.cli",
                "backup",
                "--config",
                str(handle.config),
                "--repo",
                str(work / "backup"),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        print(
            f"backup for comparison: {time.perf_counter() - t:.1f} s wall, exit {proc.returncode}"
        )
    finally:
        handle.cli("stop")


def bench_offline() -> None:
    truth, inv = lab_truth_and_inventory()
    t = time.perf_counter()
    first = snapshot_from_truth(truth, inv, "2026-01-05")
    print(f"build one 739-node snapshot from discovery results: {time.perf_counter() - t:.2f} s")
    cables = copy.deepcopy(truth["cables"])
    for c in cables[::97]:  # re-cable some ports, drop a few devices
        c["b_port"] = c["b_port"] + "9"
    gone = {d["name"] for d in truth["devices"][600:605]}
    cables = [c for c in cables if c["a"] not in gone and c["b"] not in gone]
    second = snapshot_from_truth(truth, inv, "2026-12-01", cables, tuple(sorted(gone)))
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.json", Path(tmp) / "b.json"
        a.write_text(dump_snapshot(first))
        b.write_text(dump_snapshot(second))
        t = time.perf_counter()
        d = diff_snapshots(load_snapshot(a), load_snapshot(b))
        diff_s = time.perf_counter() - t
        print(
            f"diff of two 739-node snapshots (load both + diff): {diff_s:.2f} s "
            f"({len(d.changed_links)} changed, {len(d.removed_links)} removed links, "
            f"{len(d.removed_nodes)} removed nodes)"
        )
        for png in (False, True):
            t = time.perf_counter()
            pages, dd = report_pages(first, second)
            files = write_outputs(pages, Path(tmp) / f"out{png}", "topology-2026", dd, png=png)
            print(
                f"drawing all {len(pages)} pages (draw.io + SVG{' + PNG' if png else ''}): "
                f"{time.perf_counter() - t:.2f} s, {len(files)} files"
            )
    print(_load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-lab", action="store_true", help="skip the discovery run against the lab"
    )
    args = parser.parse_args()
    bench_offline()
    if not args.no_lab:
        with tempfile.TemporaryDirectory() as tmp:
            bench_discovery(Path(tmp))


if __name__ == "__main__":
    main()
