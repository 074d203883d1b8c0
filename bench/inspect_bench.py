"""Inspection benchmark: `netsteward inspect` of all 739 lab devices against a full backup
in the same run, with the inspection's peak memory.

Starts a private lab (temp state dir, its own ports), then alternates a full backup and a
full inspection (`--runs` times; the inspections after the first compare with the previous
one, as the daily run does), and stops the lab. Prints figures only; no pass/fail.

Goals: inspection wall time at most 1.5 x the backup's, peak memory <= 400 MB.

    .venv/bin/python bench/inspect_bench.py [--base-port 22001] [--runs 2] [--workers N]

Every figure includes the CLI's start-up. Client and lab share the machine's two cores:
figures taken while other work runs are not trustworthy (the load average is printed).
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

from benchlib import ENV, ROOT, lab, write_config


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def lab_cpu(state: Path) -> float:
    """CPU seconds the lab's server process has used so far (user + system)."""
    pid = json.loads((state / "lab.json").read_text())["pid"]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(args: list[str], work: Path) -> tuple[float, int, int, str, float]:
    """(wall seconds, peak RSS in MB, exit code, stdout, client CPU seconds) of `netsteward ARGS`."""
    out = work / "stdout.txt"
    with out.open("w") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "netsteward.playbooks.cli", *args],
            stdout=fh,
            stderr=subprocess.DEVNULL,
            env=ENV,
            cwd=ROOT,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status), out.read_text(), cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-port", type=int, default=22001)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="fixed sessions for both jobs, in one process (default: the jobs' own default)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="inspect-bench-") as tmp:
        work = Path(tmp)
        state = work / "lab"
        started = lab(state, "start", "--base-port", str(args.base_port))
        if started.returncode != 0:
            sys.exit(f"lab did not start: {started.stderr.strip() or started.stdout.strip()}")
        try:
            config = write_config(work, args.base_port, state)
            repo = work / "configs"
            common = ["--config", str(config), "--repo", str(repo)]
            if args.workers is not None:
                common += ["--workers", str(args.workers)]
            ratios = []
            for run in range(1, args.runs + 1):
                lab0 = lab_cpu(state)
                b_wall, b_mem, b_rc, _, b_cpu = timed(["backup", *common, "--json"], work)
                lab1 = lab_cpu(state)
                print(
                    f"run {run}: backup {b_wall:.1f} s, peak {b_mem} MB, exit {b_rc}, CPU client "
                    f"{b_cpu:.1f} s / lab {lab1 - lab0:.1f} s ({_load()})"
                )
                i_wall, i_mem, i_rc, out, i_cpu = timed(
                    ["inspect", *common, "--out", str(work / "out"), "--json"], work
                )
                lab2 = lab_cpu(state)
                doc = json.loads(out) if out.strip().startswith("{") else {}
                counts = doc.get("counts", {})
                print(
                    f"run {run}: inspect {i_wall:.1f} s ({i_wall / b_wall:.2f} x backup), "
                    f"peak {i_mem} MB, exit {i_rc}, CPU client {i_cpu:.1f} s / lab {lab2 - lab1:.1f} s, "
                    f"{counts.get('read', '?')} read, "
                    f"{counts.get('findings', '?')} findings ({_load()})"
                )
                ratios.append(i_wall / b_wall)
            print(f"inspect / backup: best {min(ratios):.2f} x, worst {max(ratios):.2f} x")
        finally:
            lab(state, "stop")


if __name__ == "__main__":
    main()
