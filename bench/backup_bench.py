"""Backup benchmark: all 739 lab devices at the default setting and at fixed worker counts,
against the SSH log-in floor of the same machine measured in the same run.

Starts its own lab on free ports in a temporary directory, measures the log-in floor
(739 x: TCP connect with TCP_NODELAY, SSH handshake, password, shell, first prompt,
close; paramiko in threads, as netmiko uses it; the best of several thread counts),
then runs `netsteward backup` in a child process at each setting (first run: every
file new; second run: nothing changed, no commit), prints the figures and stops the
lab. No pass/fail on time.

    .venv/bin/python bench/backup_bench.py [--workers default 50 100 200] [--runs 2] [--stock]

`default` is the committed nornir_config.yaml's runner (the adaptive runner); a number
is `--workers N` (that many sessions, fixed). The client and the lab share the
machine's cores, so the figures include the lab's own CPU. Run it on a quiet machine;
the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import paramiko
import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    **os.environ,
    "NETSTEWARD_USERNAME": os.environ.get("NETSTEWARD_USERNAME", "netsteward"),
    "NETSTEWARD_PASSWORD": os.environ.get("NETSTEWARD_PASSWORD", "Lab-Only-Pa55"),
}
FLOOR_THREADS = (25, 50, 100)
PROMPT_ENDS = (b">", b"#", b"]", b"$", b":")


def lab(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.lab", *args, "--state-dir", str(state)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=300,
    )


def start_lab(work: Path, buildings: int = 1, base_port: int | None = None) -> tuple[Path, int]:
    """The lab (`buildings` copies of the building, 739 devices each) on free ports (random
    ones, or from `base_port`: when other labs leave no long free run)."""
    state = work / "state"
    for _ in range(1 if base_port else 8):
        base = base_port or random.randrange(12000, 32767 - 739 * buildings)
        proc = lab(state, "start", "--base-port", str(base), "--buildings", str(buildings))
        if proc.returncode == 0:
            return state, base
        if proc.returncode != 2:
            raise SystemExit(f"lab did not start: {proc.stderr.strip() or proc.stdout.strip()}")
    raise SystemExit("lab did not start: no free ports")


def write_config(work: Path, state: Path, base: int, buildings: int = 1) -> tuple[Path, list[int]]:
    """A nornir config like the committed one (same runner), hosts on the lab's ports; with
    several buildings, the committed groups plus the lab's building-network groups."""
    hosts = work / "hosts.yaml"
    groups = ROOT / "inventory" / "groups.yaml"
    args = ["--base-port", str(base), "--out", str(hosts), "--buildings", str(buildings)]
    if buildings > 1:
        args += ["--groups-out", str(work / "site-groups.yaml")]
    proc = lab(state, "inventory", *args)
    if proc.returncode != 0:
        raise SystemExit(f"lab inventory failed: {proc.stderr.strip()}")
    if buildings > 1:
        merged = work / "groups.yaml"
        merged.write_text(groups.read_text() + (work / "site-groups.yaml").read_text())
        groups = merged
    raw = yaml.safe_load((ROOT / "nornir_config.yaml").read_text())
    raw["inventory"]["options"] = {
        "host_file": str(hosts),
        "group_file": str(groups),
        "defaults_file": str(ROOT / "inventory" / "defaults.yaml"),
    }
    cfg = work / "nornir_config.yaml"
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False))
    ports = [int(h["port"]) for h in yaml.safe_load(hosts.read_text()).values()]
    return cfg, ports


def log_in(port: int) -> None:
    """One log-in to the first prompt, as netmiko does it, and close."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            "127.0.0.1",
            port=port,
            username=ENV["NETSTEWARD_USERNAME"],
            password=ENV["NETSTEWARD_PASSWORD"],
            sock=sock,
            look_for_keys=False,
            allow_agent=False,
            timeout=30,
        )
        chan = client.invoke_shell(term="vt100", width=511, height=1000)
        chan.settimeout(30)
        buf = b""
        while not buf.rstrip().endswith(PROMPT_ENDS):
            data = chan.recv(65536)
            if not data:
                raise ConnectionError(f"port {port}: closed before the prompt")
            buf += data
    finally:
        client.close()


def login_floor(ports: list[int]) -> tuple[float, int, float]:
    """The fastest wall time over FLOOR_THREADS for logging in to every device once:
    (wall s, threads, client CPU s)."""
    best: tuple[float, int, float] | None = None
    for threads in FLOOR_THREADS:
        started, cpu = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(log_in, ports))
        wall = time.perf_counter() - started
        if best is None or wall < best[0]:
            best = (wall, threads, time.process_time() - cpu)
    assert best is not None
    return best


def run_backup(cfg: Path, repo: Path, workers: str, stock: bool = False) -> dict[str, Any]:
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
    ]
    if workers != "default":
        args += ["--workers", workers]
    env = {**ENV, "NETSTEWARD_STOCK_NETMIKO": "1"} if stock else ENV
    before = children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env, text=True
    )
    out, err = proc.communicate()  # communicate() reaps the child; its rusage is below
    wall = time.perf_counter() - started
    summary = json.loads(out) if out.strip() else {"error": err.strip()[-500:]}
    cpu = children_cpu() - before
    return {"wall": wall, "cpu": cpu, "summary": summary, "returncode": proc.returncode}


def children_cpu() -> float:
    """User + system CPU seconds of every reaped child so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb_of_last_child() -> float:
    import resource

    # RUSAGE_CHILDREN: the largest resident set of any reaped child so far (KiB on Linux)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--workers",
        nargs="+",
        default=["default"],
        help="settings to run: `default` (nornir_config.yaml's runner) and/or numbers",
    )
    ap.add_argument(
        "--runs",
        type=int,
        default=2,
        help="backup runs per setting (the first one writes everything)",
    )
    ap.add_argument(
        "--stock",
        action="store_true",
        help="also run each setting with stock netmiko drivers (NETSTEWARD_STOCK_NETMIKO=1)",
    )
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="netsteward-bench-") as tmp:
        work = Path(tmp)
        state, base = start_lab(work)
        try:
            cfg, ports = write_config(work, state, base)
            print(
                f"lab: {len(ports)} devices on 127.0.0.1:{base}-{base + len(ports) - 1}; "
                f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
            )
            floor, threads, floor_cpu = login_floor(ports)
            print(
                f"log-in floor: {floor:.2f} s for {len(ports)} log-ins "
                f"(best of {'/'.join(map(str, FLOOR_THREADS))} threads: {threads}; "
                f"client CPU {floor_cpu:.1f} s)"
            )
            print(
                f"{'workers':>13} {'run':>3} {'wall s':>7} {'x floor':>7} {'dev/s':>6} {'ok':>4} "
                f"{'failed':>6} {'changed':>7} {'commit':>7} {'cpu s':>6} {'peak MB*':>8} {'load':>5}"
            )
            settings = [(w, False) for w in opts.workers]
            settings += [(w, True) for w in opts.workers] if opts.stock else []
            for workers, stock in settings:
                label = f"{workers}{' stock' if stock else ''}"
                repo = work / f"configs-{label.replace(' ', '-')}"
                for i in range(1, opts.runs + 1):
                    r = run_backup(cfg, repo, workers, stock)
                    s = r["summary"]
                    if "counts" not in s or "error" in s:
                        print(f"{label:>13} {i:>3} failed: {s.get('error')}")
                        continue
                    c = s["counts"]
                    print(
                        f"{label:>13} {i:>3} {r['wall']:>7.2f} {r['wall'] / floor:>7.2f} "
                        f"{c['devices'] / r['wall']:>6.0f} {c['backed_up']:>4} {c['failed']:>6} "
                        f"{c['changed']:>7} {'yes' if s['commit'] else 'no':>7} {r['cpu']:>6.1f} "
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
