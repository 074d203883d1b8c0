"""Backup benchmark: all 739 lab devices, wall time, devices/s and peak memory.

Starts its own lab on free ports in a temporary directory, runs `netsteward backup`
in a child process (first run: every file new; second run: nothing changed, no
commit), prints the figures and stops the lab. No pass/fail on time.

    .venv/bin/python bench/backup_bench.py [--workers 100 200] [--runs 2]

The client and the lab share the machine's cores, so the figures include the lab's
own CPU. Run it on a quiet machine; the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    **os.environ,
    "NETSTEWARD_USERNAME": os.environ.get("NETSTEWARD_USERNAME", "netsteward"),
    "NETSTEWARD_PASSWORD": os.environ.get("NETSTEWARD_PASSWORD", "Lab-Only-Pa55"),
}


def lab(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.lab", *args, "--state-dir", str(state)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=300,
    )


def start_lab(work: Path) -> tuple[Path, int]:
    state = work / "state"
    for _ in range(8):
        base = random.randrange(12000, 30000 - 800)
        proc = lab(state, "start", "--base-port", str(base))
        if proc.returncode == 0:
            return state, base
        if proc.returncode != 2:
            raise SystemExit(f"lab did not start: {proc.stderr.strip() or proc.stdout.strip()}")
    raise SystemExit("lab did not start: no free ports")


def write_config(work: Path, state: Path, base: int) -> Path:
    hosts = work / "hosts.yaml"
    proc = lab(state, "inventory", "--base-port", str(base), "--out", str(hosts))
    if proc.returncode != 0:
        raise SystemExit(f"lab inventory failed: {proc.stderr.strip()}")
    cfg = work / "nornir_config.yaml"
    cfg.write_text(
        "inventory:\n  plugin: SimpleInventory\n  options:\n"
        f"    host_file: {hosts}\n    group_file: {ROOT / 'inventory' / 'groups.yaml'}\n"
        f"    defaults_file: {ROOT / 'inventory' / 'defaults.yaml'}\n"
        "runner:\n  plugin: threaded\n  options: {num_workers: 200}\nlogging: {enabled: false}\n"
    )
    return cfg


def run_backup(cfg: Path, repo: Path, workers: int, stock: bool = False) -> dict:
    args = [
        sys.executable,
        "-m",
        "netsteward.playbooks.cli",
        "backup",
        "--config",
        str(cfg),
        "--repo",
        str(repo),
        "--json",
        "--workers",
        str(workers),
    ]
    started = time.perf_counter()
    env = {**ENV, "NETSTEWARD_STOCK_NETMIKO": "1"} if stock else ENV
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env, text=True
    )
    out, err = proc.communicate()  # communicate() reaps the child; its rusage is below
    wall = time.perf_counter() - started
    summary = json.loads(out) if out.strip() else {"error": err.strip()[-500:]}
    return {"wall": wall, "summary": summary, "returncode": proc.returncode}


def peak_rss_mb_of_last_child() -> float:
    import resource

    # RUSAGE_CHILDREN: the largest resident set of any reaped child so far (KiB on Linux)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[200])
    ap.add_argument(
        "--stock",
        action="store_true",
        help="also run with stock netmiko drivers (NETSTEWARD_STOCK_NETMIKO=1) for comparison",
    )
    ap.add_argument(
        "--runs",
        type=int,
        default=2,
        help="backup runs per worker setting (the first one writes everything)",
    )
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="netsteward-bench-") as tmp:
        work = Path(tmp)
        state, base = start_lab(work)
        try:
            cfg = write_config(work, state, base)
            print(
                f"lab: 739 devices on 127.0.0.1:{base}-{base + 738}; load average {os.getloadavg()[0]:.2f} "
                f"on {os.cpu_count()} cores"
            )
            print(
                f"{'workers':>13} {'run':>3} {'wall s':>7} {'dev/s':>6} {'ok':>4} {'failed':>6} {'changed':>7} "
                f"{'commit':>7} {'peak MB*':>8} {'load':>5}"
            )
            settings = [(w, False) for w in opts.workers]
            settings += [(w, True) for w in opts.workers] if opts.stock else []
            for workers, stock in settings:
                repo = work / f"configs-{workers}-{'stock' if stock else 'ours'}"
                label = f"{workers}{' stock' if stock else ''}"
                for i in range(1, opts.runs + 1):
                    r = run_backup(cfg, repo, workers, stock)
                    s = r["summary"]
                    if "counts" not in s:
                        print(f"{label:>13} {i:>3} failed: {s.get('error')}")
                        continue
                    c = s["counts"]
                    print(
                        f"{label:>13} {i:>3} {r['wall']:>7.2f} {c['devices'] / r['wall']:>6.0f} {c['backed_up']:>4} "
                        f"{c['failed']:>6} {c['changed']:>7} {'yes' if s['commit'] else 'no':>7} "
                        f"{peak_rss_mb_of_last_child():>8.0f} {os.getloadavg()[0]:>5.2f}"
                    )
            print(
                "* peak MB: largest resident set of any backup run so far (the netsteward process; "
                "wall time includes Python start-up and the git commit)"
            )
        finally:
            lab(state, "stop")


if __name__ == "__main__":
    main()
