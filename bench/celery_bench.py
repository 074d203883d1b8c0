"""Celery engine benchmark: the backup of all 739 lab devices locally and on 1 and 2 Celery
workers, wall time, devices/s and the coordinator's peak memory.

Starts its own lab and its own redis-server (loopback, free ports, temp dir; `make redis`
installs it), real `netsteward worker` processes consuming one queue per network, and runs
`netsteward backup` (local, then `--engine celery`) into a fresh repository each time
(every file new), so each run does the same work. Prints the figures; no pass/fail.

    .venv/bin/python bench/celery_bench.py [--workers 1 2] [--concurrency 2] [--shard-size 100]

The lab, redis, the workers and the coordinator all share this machine's cores: the figures
measure the overhead of the Celery engine, not the speed-up of more machines (docs/scale.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from backup_bench import ENV, ROOT, lab, start_lab, write_config

sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from celery_parts import start_redis, start_worker  # the tests' real parts

NETWORKS = ("base", "device_net", "egov_extranet", "egov_intranet", "san")


def celery_config(cfg: Path, shard_size: int) -> Path:
    raw = yaml.safe_load(cfg.read_text())
    raw["user_defined"] = {
        "celery": {
            "queues": {n: n for n in NETWORKS},
            "default_queue": None,
            "shard_size": shard_size,
        }
    }
    out = cfg.with_name("celery_config.yaml")
    out.write_text(yaml.safe_dump(raw, sort_keys=False))
    return out


def run(cfg: Path, repo: Path, env: dict[str, str], threads: int, *extra: str) -> dict:
    """One `netsteward backup`; wall time and the coordinator's own peak RSS (wait4)."""
    args = [sys.executable, "-m", "netsteward.playbooks.cli", "backup", "--config", str(cfg),
            "--repo", str(repo), "--json", "--workers", str(threads), *extra]  # fmt: skip
    out_path = repo.with_suffix(".json")
    started = time.perf_counter()
    with out_path.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    text = out_path.read_text()
    return {
        "wall": wall,
        "rss_mb": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "code": os.waitstatus_to_exitcode(status),
        "summary": json.loads(text) if text.strip() else {},
    }


def group_peak_mb(pgid: int) -> float:
    """Sum of the peak resident sets (VmHWM) of a worker's processes (main + pool)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts")
    ap.add_argument("--concurrency", type=int, default=2, help="shards per worker at once")
    ap.add_argument("--shard-size", type=int, default=100)
    ap.add_argument("--threads", type=int, default=100, help="Nornir threads (per shard on Celery)")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="netsteward-celery-bench-") as tmp:
        work = Path(tmp)
        state, base = start_lab(work)
        redis = start_redis(work / "redis")
        env = {**ENV, "NETSTEWARD_BROKER_URL": redis.url}
        try:
            cfg = celery_config(write_config(work, state, base)[0], opts.shard_size)
            print(
                f"lab: 739 devices; redis {redis.url}; shard size {opts.shard_size}, "
                f"{opts.threads} Nornir threads, worker concurrency {opts.concurrency}; "
                f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}"
            )
            print(f"{'engine':>12} {'wall s':>7} {'dev/s':>6} {'ok':>4} {'failed':>6} "
                  f"{'coord MB':>8} {'coord CPU s':>11} {'workers MB':>10} {'load':>5}")  # fmt: skip
            rows = [("local", 0)] + [("celery", n) for n in opts.workers]
            for engine, n in rows:
                workers = [
                    start_worker(cfg, list(NETWORKS), env, work / f"w{n}-{i}.log", opts.concurrency)
                    for i in range(n)
                ]
                try:
                    extra = ("--engine", "celery") if engine == "celery" else ()
                    r = run(cfg, work / f"configs-{engine}-{n}", env, opts.threads, *extra)
                    wmb = sum(group_peak_mb(w.proc.pid) for w in workers)
                finally:
                    for w in workers:
                        w.stop()
                c = r["summary"].get("counts")
                label = engine if engine == "local" else f"celery x{n}"
                if not c:
                    print(f"{label:>12} failed (exit {r['code']})")
                    continue
                print(
                    f"{label:>12} {r['wall']:>7.2f} {c['devices'] / r['wall']:>6.0f} "
                    f"{c['backed_up']:>4} {c['failed']:>6} {r['rss_mb']:>8.0f} {r['cpu']:>11.1f} "
                    f"{wmb if workers else 0:>10.0f} {os.getloadavg()[0]:>5.2f}"
                )
            print("wall: the netsteward process from start to exit (Python start-up, inventory, "
                  "collection, judging, the git commit); coord MB / CPU s: its peak RSS and CPU time "
                  "(user + system); workers MB: the workers' processes' peak RSS added up (pool "
                  "processes are forked: shared pages count once per process)")  # fmt: skip
        finally:
            redis.stop()
            lab(state, "stop")


if __name__ == "__main__":
    main()
