"""Lab benchmark: start-up time, memory, server CPU per session, a fleet-wide netmiko round.

Starts a private lab (temp state dir, its own ports), measures, stops it.
Prints figures only; there is no pass/fail.  Goals: start < 3 s for
739 devices, RSS < 200 MB idle and with 739 sessions open, < 5 ms server CPU
per session, and the lab never the bottleneck of a fleet-wide run.

    .venv/bin/python bench/lab_bench.py [--base-port 21001] [--workers 100] [--limit N]

Client and server share the machine's cores: figures taken while other work
runs are not trustworthy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

USER = os.environ.get("NETSTEWARD_USERNAME") or "netsteward"
PASSWORD = os.environ.get("NETSTEWARD_PASSWORD") or "Lab-Only-Pa55"
SHOW_RUN = {
    "huawei_vrp": "display current-configuration",
    "hp_comware": "display current-configuration",
    "cisco_ios": "show running-config",
    "cisco_asa": "show running-config",
    "fortinet": "show",
    "hillstone_stoneos": "show configuration",
    "brocade_fos": "configshow",
}
CLK_TCK = os.sysconf("SC_CLK_TCK")


def lab(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NETSTEWARD_USERNAME=USER, NETSTEWARD_PASSWORD=PASSWORD)
    return subprocess.run(
        [sys.executable, "-m", "netsteward.lab", *args, "--state-dir", str(state)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


async def open_sessions(devices: list[dict], concurrency: int) -> tuple[list, float]:
    import asyncssh

    sem = asyncio.Semaphore(concurrency)
    opened: list = []

    async def one(dev: dict) -> None:
        async with sem:
            conn = await asyncssh.connect(
                "127.0.0.1",
                dev["port"],
                username=USER,
                password=PASSWORD,
                known_hosts=None,
                client_keys=None,
                agent_path=None,
            )
            proc = await conn.create_process(term_type="vt100", encoding="utf-8")
            buf = ""
            while not buf.rstrip().endswith((">", "#", "]", "$", ":")):
                buf += await asyncio.wait_for(proc.stdout.read(4096), 10)
            opened.append((conn, proc))

    start = time.monotonic()
    results = await asyncio.gather(*(one(d) for d in devices), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        print(f"  {len(failures)} sessions failed to open, first: {failures[0]!r}")
    return opened, time.monotonic() - start


async def close_sessions(opened: list) -> None:
    for conn, _proc in opened:
        conn.close()
    for conn, _proc in opened:
        await conn.wait_closed()


def netmiko_round(dev: dict) -> tuple[str, float, int, str]:
    from netmiko import ConnectHandler

    start = time.monotonic()
    try:
        conn = ConnectHandler(
            device_type=dev["platform"],
            host="127.0.0.1",
            port=dev["port"],
            username=USER,
            password=PASSWORD,
            secret=PASSWORD,
            fast_cli=True,
        )
        try:
            out = conn.send_command(SHOW_RUN[dev["platform"]], read_timeout=60)
        finally:
            conn.disconnect()
        return dev["name"], time.monotonic() - start, len(out.splitlines()), ""
    except Exception as exc:  # a benchmark reports failures, it does not stop on them
        return (
            dev["name"],
            time.monotonic() - start,
            0,
            f"{type(exc).__name__}: {exc}".splitlines()[0],
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-port", type=int, default=21001)
    ap.add_argument("--workers", type=int, default=100)
    ap.add_argument("--limit", type=int, default=0, help="only the first N devices for the rounds")
    ap.add_argument("--skip-netmiko", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp:
        state = Path(tmp)
        base = args.base_port
        for _attempt in range(8):
            t0 = time.monotonic()
            proc = lab(state, "start", "--base-port", str(base))
            startup = time.monotonic() - t0
            if proc.returncode != 2 or "already in use" not in proc.stderr:
                break
            base = random.randrange(12000, 29000)  # ports taken (other labs): try elsewhere
        if proc.returncode != 0:
            print(proc.stderr.strip() or proc.stdout.strip())
            return 2
        try:
            status = json.loads(lab(state, "status", "--json").stdout)
            pid = status["pid"]
            truth = json.loads(lab(state, "truth", "--json").stdout)
            devices = [d for d in truth["devices"] if d["platform"] in SHOW_RUN]
            served = devices[: status["listening"]] if args.limit == 0 else devices[: args.limit]
            print(
                f"lab: {status['devices']} devices, {status['listening']} listening "
                f"on 127.0.0.1:{status['first_port']}-{status['last_port']}"
            )
            print(
                f"start-up (python -m netsteward.lab start, until every device listens): {startup:.2f} s; "
                f"inside the server (fleet build + {status['listening']} listeners): {status['startup_s']:.2f} s"
            )
            time.sleep(1.0)
            idle_cpu0 = cpu_s(pid)
            time.sleep(3.0)
            idle_cpu = (cpu_s(pid) - idle_cpu0) / 3.0 * 100
            print(f"RSS idle: {rss_mb(pid):.0f} MB; CPU idle: {idle_cpu:.1f}% of a core")

            cpu0 = cpu_s(pid)
            opened, took = asyncio.run(_open_measure(served, pid))
            cpu_open = cpu_s(pid) - cpu0
            print(
                f"{opened} shell sessions opened (asyncssh client, 100 at a time) in {took:.1f} s; "
                f"server CPU {cpu_open * 1000 / max(opened, 1):.1f} ms per session (handshake + login + prompt)"
            )

            if not args.skip_netmiko:
                cpu0 = cpu_s(pid)
                t0 = time.monotonic()
                with ThreadPoolExecutor(max_workers=args.workers) as pool:
                    results = list(pool.map(netmiko_round, served))
                wall = time.monotonic() - t0
                cpu = cpu_s(pid) - cpu0
                ok = [r for r in results if not r[3]]
                per = [r[1] for r in ok]
                print(
                    f"netmiko round ({args.workers} threads: connect, paging off, running config, "
                    f"disconnect): {len(ok)}/{len(results)} ok in {wall:.1f} s"
                )
                if per:
                    p95 = sorted(per)[int(len(per) * 0.95) - 1] if len(per) > 1 else per[0]
                    print(
                        f"  per device mean {statistics.mean(per):.2f} s, p95 {p95:.2f} s; "
                        f"running config {sum(r[2] for r in ok)} lines in total"
                    )
                print(
                    f"  server CPU {cpu:.1f} s in total, {cpu * 1000 / max(len(results), 1):.1f} ms per session; "
                    f"peak RSS {rss_mb(pid):.0f} MB"
                )
                for name, _t, _n, err in [r for r in results if r[3]][:5]:
                    print(f"  failed {name}: {err}")
            # show commands that read the parsed configuration tree of every VRP/Comware device
            t0 = time.monotonic()
            parsed = asyncio.run(_exec_all(served, "display interface brief"))
            print(
                f"exec 'display interface brief' on {parsed} VRP/Comware devices in "
                f"{time.monotonic() - t0:.1f} s (every config parsed): RSS {rss_mb(pid):.0f} MB"
            )
        finally:
            lab(state, "stop")
    return 0


async def _exec_all(devices: list[dict], command: str) -> int:
    import asyncssh

    sem = asyncio.Semaphore(100)
    targets = [d for d in devices if d["platform"] in ("huawei_vrp", "hp_comware")]

    async def one(dev: dict) -> None:
        async with (
            sem,
            asyncssh.connect(
                "127.0.0.1",
                dev["port"],
                username=USER,
                password=PASSWORD,
                known_hosts=None,
                client_keys=None,
                agent_path=None,
            ) as conn,
        ):
            await conn.run(command, check=False)

    await asyncio.gather(*(one(d) for d in targets))
    return len(targets)


async def _open_measure(devices: list[dict], pid: int) -> tuple[int, float]:
    opened, took = await open_sessions(devices, 100)
    await asyncio.sleep(1.0)
    c0 = cpu_s(pid)
    await asyncio.sleep(3.0)
    idle = (cpu_s(pid) - c0) / 3.0 * 100
    print(
        f"RSS with {len(opened)} sessions open: {rss_mb(pid):.0f} MB; CPU with them idle: {idle:.1f}% of a core"
    )
    await close_sessions(opened)
    return len(opened), took


if __name__ == "__main__":
    sys.exit(main())
