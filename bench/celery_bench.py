"""Celery engine benchmark: the backup of all lab devices locally and on 1 and 2 Celery
workers, wall time, devices/s and the coordinator's peak memory.

The lab's fleet is one building (739 devices) or, with `--buildings N`, N buildings
generated from the seed (`lab start --buildings`; 7 buildings = 5,173 devices).

Starts its own lab and its own redis-server (loopback, free ports, temp dir; `make redis`
installs it), real `netsteward worker` processes consuming one queue per network, and runs
`netsteward backup` (local, then `--engine celery`) into a fresh repository each time
(every file new), so each run does the same work. Prints the figures; no pass/fail.

    .venv/bin/python bench/celery_bench.py [--workers 1 2] [--concurrency 2] [--shard-size 100]
        [--buildings 1] [--base-port N]

Besides the table it prints the memory of the coordinator's imports alone (the same Python
importing the CLI, celery and redis) and so the coordinator's memory per device, and the
lab's own peak memory.

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


# A child's ru_maxrss starts at its parent's peak RSS at the fork (Linux keeps the larger
# of the old and new address space's high-water mark across exec), and this process holds
# the parsed inventory: a small Python in between starts the measured process and reports
# its rusage, so the figure is the measured process's own.
MEASURE = """import json, os, subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[2:])
_pid, st, ru = os.wait4(p.pid, 0)
out = {"wall": time.perf_counter() - t, "rss_mb": ru.ru_maxrss / 1024,
       "cpu": ru.ru_utime + ru.ru_stime, "code": os.waitstatus_to_exitcode(st)}
open(sys.argv[1], "w").write(json.dumps(out))
"""


def measured(args: list[str], env: dict[str, str], stdout: Path) -> dict:
    """Run `args` (stdout to a file); its wall time, own peak RSS, CPU time and exit code."""
    usage = stdout.with_suffix(".rusage")
    with stdout.open("w") as out:
        cmd = [sys.executable, "-c", MEASURE, str(usage), *args]
        subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, env=env, check=True)
    result: dict = json.loads(usage.read_text())
    return result


def run(cfg: Path, repo: Path, env: dict[str, str], threads: int, *extra: str) -> dict:
    """One `netsteward backup`; wall time and the coordinator's own peak RSS and CPU."""
    args = [sys.executable, "-m", "netsteward.playbooks.cli", "backup", "--config", str(cfg),
            "--repo", str(repo), "--json", "--workers", str(threads), *extra]  # fmt: skip
    out_path = repo.with_suffix(".json")
    result = measured(args, env, out_path)
    text = out_path.read_text()
    return {**result, "summary": json.loads(text) if text.strip() else {}}


def imports_mb(env: dict[str, str], work: Path) -> float:
    """Peak RSS of a Python that only imports what the coordinator imports."""
    code = "import netsteward.playbooks.cli, celery, redis"
    return float(measured([sys.executable, "-c", code], env, work / "imports.out")["rss_mb"])


def peak_mb(pid: int) -> float:
    """Peak RSS (VmHWM) of one process, 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


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
    ap.add_argument("--buildings", type=int, default=1, help="lab buildings, 739 devices each")
    ap.add_argument("--base-port", type=int, default=None, help="the lab's first port (random)")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="netsteward-celery-bench-") as tmp:
        work = Path(tmp)
        state, base = start_lab(work, opts.buildings, opts.base_port)
        redis = start_redis(work / "redis")
        env = {**ENV, "NETSTEWARD_BROKER_URL": redis.url}
        try:
            config, ports = write_config(work, state, base, opts.buildings)
            cfg = celery_config(config, opts.shard_size)
            info = json.loads(lab(state, "status", "--json").stdout)
            base_mb = imports_mb(env, work)
            print(
                f"lab: {len(ports)} devices ({opts.buildings} building(s), started in "
                f"{info.get('startup_s')} s); redis {redis.url}; shard size {opts.shard_size}, "
                f"{opts.threads} Nornir threads, worker concurrency {opts.concurrency}; "
                f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; the coordinator's "
                f"imports alone {base_mb:.0f} MB"
            )
            print(f"{'engine':>12} {'wall s':>7} {'dev/s':>6} {'ok':>5} {'failed':>6} "
                  f"{'coord MB':>8} {'KB/dev':>6} {'coord CPU s':>11} {'workers MB':>10} "
                  f"{'load':>5}")  # fmt: skip
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
                per_device = (r["rss_mb"] - base_mb) * 1024 / c["devices"]
                print(
                    f"{label:>12} {r['wall']:>7.2f} {c['devices'] / r['wall']:>6.0f} "
                    f"{c['backed_up']:>5} {c['failed']:>6} {r['rss_mb']:>8.0f} {per_device:>6.0f} "
                    f"{r['cpu']:>11.1f} {wmb if workers else 0:>10.0f} {os.getloadavg()[0]:>5.2f}"
                )
                for f in r["summary"].get("failed", [])[:5]:
                    print(f"{'':>12} failed: {json.dumps(f, ensure_ascii=False)[:160]}")
            print(f"lab: peak {peak_mb(info['pid']):.0f} MB for {len(ports)} devices")
            print("wall: the netsteward process from start to exit (Python start-up, inventory, "
                  "collection, judging, the git commit); coord MB / CPU s: its peak RSS and CPU time "
                  "(user + system); KB/dev: coord MB less the imports alone, per device; workers "
                  "MB: the workers' processes' peak RSS added up (pool processes are forked: shared "
                  "pages count once per process)")  # fmt: skip
        finally:
            redis.stop()
            lab(state, "stop")


if __name__ == "__main__":
    main()
