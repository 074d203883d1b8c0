"""Benchmark of the hardening baseline audit (prints figures; no pass/fail). Goal: all 739
backed-up configurations in at most 10 s.

The backup repository is the lab fleet's configurations as `netsteward backup` stores them
(scrubbed, `<network>/<role>/<HOST>.cfg`, one commit), written offline into a temporary
git repository; or an existing one with --repo (after `make demo`: configs/).

1. the whole command, as the team runs it: `netsteward audit baseline --json` (wall time
   of the process: start-up, inventory, reading 739 files from git, rules, audit, JSON);
2. the same with --sarif, --markdown, --html and --plan;
3. the parts in-process: reading the committed files, parsing + checking, reports.

Run: .venv/bin/python bench/baseline_bench.py [--runs N] [--repo PATH]
Timings are wall-clock on a shared machine: repeat when others are busy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from benchlib import netsteward  # noqa: E402

from netsteward.lab.engine.state import load_fleet  # noqa: E402
from netsteward.tasks.baseline import report  # noqa: E402
from netsteward.tasks.baseline.check import Device, audit_device  # noqa: E402
from netsteward.tasks.baseline.rules import load_rules  # noqa: E402
from netsteward.tasks.core.scrub import normalise_config  # noqa: E402
from netsteward.tasks.core.store import BackupStore  # noqa: E402
from netsteward.tasks.ports.policy import load_policy  # noqa: E402


def build_repo(path: Path) -> int:
    """The lab's configurations as a backup commits them; returns the number of files."""
    fleet = load_fleet(2026)
    store = BackupStore.open(path)
    files = [
        (f"{d.network}/{d.role}/{d.name}.cfg", normalise_config(d.platform, d.config))
        for d in fleet.devices
    ]
    store.commit_backups(files, "backup bench: the lab fleet")
    return len(files)


def timed(runs: int, *args: str) -> tuple[list[float], object]:
    times, last = [], None
    for _ in range(runs):
        seconds, proc = netsteward(*args)
        if proc.returncode not in (0, 1):
            sys.exit(f"audit baseline failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
        times.append(seconds)
        last = proc
    return times, last


def parts(repo: Path) -> dict[str, float]:
    inventory = {d.name: d for d in load_fleet(2026).devices}
    t0 = time.perf_counter()
    rules = load_rules(ROOT / "policy" / "baseline")
    policy = load_policy(ROOT / "policy" / "ports.yaml")
    t1 = time.perf_counter()
    files = BackupStore.open(repo, create=False).config_files()
    t2 = time.perf_counter()
    findings = []
    for f in files:
        spec = inventory[f.host]
        dev = Device(f.host, spec.platform, spec.role, spec.network, spec.model, f.path)
        findings += audit_device(dev, f.text, rules, policy).findings
    t3 = time.perf_counter()
    run = report.AuditRun("bench", rules.digest, devices=len(files), findings=findings)
    json.dumps(report.to_json(run))
    json.dumps(report.sarif(run, rules))
    report.markdown(run, rules)
    t4 = time.perf_counter()
    return {
        "rules": t1 - t0,
        "read": t2 - t1,
        "audit": t3 - t2,
        "reports": t4 - t3,
        "files": len(files),
        "findings": len(findings),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repo", type=Path, default=None, help="an existing backup repository")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.repo
        if repo is None:
            repo = Path(tmp) / "configs"
            print(
                f"backup repository: {build_repo(repo)} lab configurations in a temporary git repository"
            )
        base = ["audit", "baseline", "--repo", str(repo), "--as-of", "2026-12-01"]
        times, proc = timed(args.runs, *base, "--json")
        summary = json.loads(proc.stdout)["summary"]  # type: ignore[attr-defined]
        print(
            f"audit baseline --json: {summary['devices']} devices, {summary['findings']} findings; "
            f"{min(times):.2f} s best, {statistics.median(times):.2f} s median of {len(times)} (goal <= 10 s)"
        )
        out = Path(tmp) / "out"
        full = [
            *base,
            "--sarif",
            str(out / "b.sarif"),
            "--markdown",
            str(out / "b.md"),
            "--html",
            str(out / "b.html"),
            "--plan",
            str(out / "plan.json"),
            "--json",
        ]
        times, _ = timed(args.runs, *full)
        print(
            f"  with SARIF, Markdown, HTML and --plan: {min(times):.2f} s best, {statistics.median(times):.2f} s median"
        )
        p = parts(repo)
        print(
            f"in-process: rules {p['rules']:.2f} s, reading {p['files']} committed files {p['read']:.2f} s, "
            f"parse + checks {p['audit']:.2f} s ({p['audit'] / max(p['files'], 1) * 1000:.1f} ms/device), "
            f"reports {p['reports']:.2f} s"
        )


if __name__ == "__main__":
    main()
