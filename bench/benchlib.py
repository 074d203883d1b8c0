"""What the benchmarks share: the lab's credentials, running `python -m netsteward.lab` and
`netsteward` as child processes, and a nornir config pointing at a private lab.

Benchmarks run as scripts (`.venv/bin/python bench/X.py`), so this module is
imported from the script's own folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
USER = os.environ.get("NETSTEWARD_USERNAME") or "netsteward"
PASSWORD = os.environ.get("NETSTEWARD_PASSWORD") or "Lab-Only-Pa55"
ENV = dict(os.environ, NETSTEWARD_USERNAME=USER, NETSTEWARD_PASSWORD=PASSWORD)


def lab(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m netsteward.lab ARGS --state-dir STATE` with the lab's credentials."""
    return subprocess.run(
        [sys.executable, "-m", "netsteward.lab", *args, "--state-dir", str(state)],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
        cwd=ROOT,
        timeout=300,
    )


def netsteward(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run `netsteward ARGS`; return its wall time and the finished process."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
        cwd=ROOT,
    )
    return time.perf_counter() - started, proc


def write_config(work: Path, base_port: int, state: Path) -> Path:
    """A nornir_config.yaml in WORK whose hosts are the lab's on BASE_PORT."""
    hosts = work / "hosts.yaml"
    proc = lab(state, "inventory", "--base-port", str(base_port), "--out", str(hosts))
    if proc.returncode != 0:
        sys.exit(f"lab inventory failed: {proc.stderr.strip()}")
    config = work / "nornir_config.yaml"
    raw = yaml.safe_load((ROOT / "nornir_config.yaml").read_text())
    raw["inventory"]["options"] = {
        "host_file": str(hosts),
        "group_file": str(ROOT / "inventory" / "groups.yaml"),
        "defaults_file": str(ROOT / "inventory" / "defaults.yaml"),
    }
    config.write_text(yaml.safe_dump(raw, sort_keys=False))
    return config
