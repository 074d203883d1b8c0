"""normalize benchmark: plan the whole lab, apply a plan that touches every access switch.

Starts a private lab (temp state dir, its own ports) and prints wall times:

1. `netsteward backup` of the lab (the reference; goal for the plan: within 1.5 x this);
2. `netsteward normalize plan` over all 697 switches and routers (live);
3. `netsteward normalize plan --offline` when the backup and a topology snapshot exist;
4. `netsteward normalize apply` of a plan that touches every access switch: first the
   global loop-protection lines and those of port 1 are taken off all access switches
   behind the tool's back (not timed), then planned and applied (timed; goal: under 60 s);
5. a plan after the apply (must be empty but for the lab's known defects).

Stops the lab. Prints figures only; no pass/fail. Every figure includes the CLI's
start-up. Client and lab share the machine's cores: figures taken while other work
runs are not trustworthy.

    .venv/bin/python bench/normalize_bench.py [--base-port 22001] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import PASSWORD, ROOT, USER, lab, netsteward, write_config


def strip_loop_protection(config: Path, workers: int | None) -> int:
    """Take the global loop-protection lines and those of the first (edge) port off every
    access switch: the set-up, untimed."""
    os.environ.update(NETSTEWARD_USERNAME=USER, NETSTEWARD_PASSWORD=PASSWORD)
    from nornir.core.task import Result, Task

    from netsteward.playbooks.common import open_nornir
    from netsteward.tasks.core.session import on_device
    from netsteward.tasks.ports.policy import load_policy

    policy = load_policy(ROOT / "policy" / "ports.yaml")

    first_port = {
        "huawei_vrp": "GigabitEthernet0/0/1",
        "hp_comware": "GigabitEthernet1/0/1",
        "cisco_ios": "GigabitEthernet1/0/1",
    }

    def strip(task: Task) -> Result:
        platform = task.host.platform or ""
        syntax = policy.platforms[platform]
        lines = [g.undo for g in syntax.global_lines]
        lines += [
            f"interface {first_port[platform]}",
            *(e.undo for e in syntax.edge_lines),
            syntax.interface_exit,
        ]
        on_device(task, lambda session: session.configure(lines)).unwrap()
        return Result(host=task.host, result=True)

    nr = open_nornir(config, group="access", num_workers=workers)
    agg = nr.run(task=strip, raise_on_error=False)
    nr.close_connections()
    return sum(1 for r in agg.values() if not r.failed)


def same_fingerprints(a: Path, b: Path) -> str:
    """How many devices have the same fingerprint in two plans (offline vs live)."""
    try:
        fa = {d["host"]: d["fingerprint"] for d in json.loads(a.read_text())["devices"]}
        fb = {d["host"]: d["fingerprint"] for d in json.loads(b.read_text())["devices"]}
    except (OSError, json.JSONDecodeError, KeyError):
        return "n/a"
    same = sum(1 for h in fa.keys() & fb.keys() if fa[h] == fb[h])
    return f"{same} of {len(fa.keys() & fb.keys())}"


def plan_line(seconds: float, proc: subprocess.CompletedProcess[str]) -> str:
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return f"{seconds:6.2f} s   exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"
    unreadable = "".join(f"\n    not read: {h}: {why}" for h, why in doc["unreadable"].items())
    return (
        f"{seconds:6.2f} s   exit {proc.returncode}, {doc['devices_with_changes']} of {doc['devices']} "
        f"devices change, {doc['lines']} lines, {len(doc['unreadable'])} unreadable{unreadable}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-port", type=int, default=22001)
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="fixed sessions for the plans and the apply (default: the jobs' own default)",
    )
    args = ap.parse_args()
    workers = [] if args.workers is None else ["--workers", str(args.workers)]

    with tempfile.TemporaryDirectory(prefix="normalize-bench-") as tmp:
        work = Path(tmp)
        state = work / "lab"
        started = lab(state, "start", "--base-port", str(args.base_port))
        if started.returncode != 0:
            sys.exit(f"lab did not start: {started.stderr.strip() or started.stdout.strip()}")
        try:
            config = write_config(work, args.base_port, state)
            repo = work / "configs"
            common = ["--config", str(config), "--repo", str(repo)]

            t_backup, proc = netsteward("backup", *common, "--json")
            print(f"backup (reference):          {t_backup:6.2f} s   exit {proc.returncode}")
            netsteward("topology", "snapshot", *common)

            t_plan, proc = netsteward(
                "normalize", "plan", *common, *workers, "--json", "--out", str(work / "p1.json")
            )
            print(f"plan (live, all):            {plan_line(t_plan, proc)}")
            print(f"  ratio to backup:           {t_plan / t_backup:6.2f} x  (goal <= 1.5)")
            t_off, proc = netsteward(
                "normalize", "plan", "--offline", *common, "--json", "--out", str(work / "p0.json")
            )
            print(f"plan --offline:              {plan_line(t_off, proc)}")
            print(
                f"  same fingerprints as live: {same_fingerprints(work / 'p0.json', work / 'p1.json')}"
            )

            stripped = strip_loop_protection(config, args.workers)
            t_plan, proc = netsteward(
                "normalize", "plan", *common, *workers, "--json", "--out", str(work / "p2.json")
            )
            print(f"plan (every access switch):  {plan_line(t_plan, proc)}  [{stripped} stripped]")
            t_apply, proc = netsteward(
                "normalize",
                "apply",
                str(work / "p2.json"),
                *common,
                *workers,
                "--max-failures",
                "50",
                "--json",
            )
            try:
                doc = json.loads(proc.stdout)
                by_status = doc["by_status"]
                failed = [o for o in doc["outcomes"] if o["status"] != "applied"]
            except json.JSONDecodeError:
                by_status, failed = proc.stderr.strip().splitlines()[-1:], []
            print(
                f"apply (every access switch): {t_apply:6.2f} s   exit {proc.returncode}, {by_status}"
                "  (goal < 60 s)"
            )
            for o in failed:
                print(f"    {o['host']}: {o['status']}: {o['detail']}")
            t_plan, proc = netsteward(
                "normalize", "plan", *common, *workers, "--json", "--out", str(work / "p3.json")
            )
            print(f"plan after apply:            {plan_line(t_plan, proc)}")
        finally:
            lab(state, "stop")


if __name__ == "__main__":
    main()
