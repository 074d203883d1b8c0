"""Drift benchmark: wall time of a full drift check of the lab, against a full backup.

Starts a private lab (temp state dir, its own ports), takes the approved state (a full
`netsteward backup` into a temp repository, timed: the reference), a topology snapshot
when that command exists, then times `netsteward drift` (live, all devices) and
`netsteward drift --offline`. Stops the lab. Prints figures only; no pass/fail.

Goals: live drift within 1.5 x the full backup; --offline under 10 s.

    .venv/bin/python bench/drift_bench.py [--base-port 21001] [--hosts GLOB] [--offline-only REPO]

Every figure includes the CLI's start-up (what a pipeline pays). Client and lab share the
machine's cores: figures taken while other work runs are not trustworthy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import lab, netsteward, write_config


def summary(proc: subprocess.CompletedProcess[str]) -> str:
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return f"exit {proc.returncode}: {(proc.stderr or proc.stdout).strip().splitlines()[-1:]}"
    return f"exit {doc.get('exit_code', proc.returncode)}, {doc.get('verdict', '')}, counts {doc.get('counts')}"


def _drift_items(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    try:
        return list(json.loads(proc.stdout).get("drift", []))
    except json.JSONDecodeError:
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-port", type=int, default=21001)
    ap.add_argument(
        "--hosts", default=None, help="only hosts matching this glob (default: all 739)"
    )
    args = ap.parse_args()
    select = ["--hosts", args.hosts] if args.hosts else []

    with tempfile.TemporaryDirectory(prefix="drift-bench-") as tmp:
        work = Path(tmp)
        state = work / "lab"
        started = lab(state, "start", "--base-port", str(args.base_port))
        if started.returncode != 0:
            sys.exit(f"lab did not start: {started.stderr.strip() or started.stdout.strip()}")
        try:
            config = write_config(work, args.base_port, state)
            repo = work / "configs"
            common = ["--config", str(config), "--repo", str(repo), *select]

            t_first, proc = netsteward("backup", *common, "--json")
            print(
                f"backup (approved state):  {t_first:6.2f} s   exit {proc.returncode}  (first run: writes and commits)"
            )
            t_backup, proc = netsteward("backup", *common, "--json")
            print(
                f"backup again (reference): {t_backup:6.2f} s   exit {proc.returncode}  (nothing changed)"
            )
            t_snap, proc = netsteward("topology", "snapshot", *common)
            if proc.returncode == 2 and "No such command" in proc.stderr:
                print("topology snapshot:        (command not available; topology check skipped)")
            else:
                print(f"topology snapshot:        {t_snap:6.2f} s   exit {proc.returncode}")

            t_live, proc = netsteward("drift", *common, "--json")
            print(f"drift (live):             {t_live:6.2f} s   {summary(proc)}")
            print(f"  ratio to backup:        {t_live / t_backup:6.2f} x  (goal <= 1.5)")
            for item in _drift_items(proc)[:6]:  # a bench run changes nothing: show any drift
                print(
                    f"  drift: {item['host']} {item['check']}: {item.get('diff') or item.get('new')}"
                )

            t_off, proc = netsteward("drift", "--offline", *common, "--json")
            print(f"drift --offline:          {t_off:6.2f} s   {summary(proc)}  (goal < 10 s)")
            t_known, proc = netsteward("drift", "--offline", "--known", *common, "--json")
            print(
                f"drift --offline --known:  {t_known:6.2f} s   {summary(proc)}  (every policy evaluated)"
            )
        finally:
            lab(state, "stop")


if __name__ == "__main__":
    main()
