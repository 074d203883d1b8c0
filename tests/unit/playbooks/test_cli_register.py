"""A run imports only the job it names; `--help` and a mistyped command still see them all."""

from __future__ import annotations

import subprocess
import sys

from netsteward.playbooks.cli import JOBS

PROBE = (
    "import sys\n"
    "import netsteward.playbooks.cli as cli\n"
    "code = cli.run(sys.argv[1:])\n"
    "print(sorted(m for m, _n, _g in cli.JOBS if m in sys.modules))\n"
    "sys.exit(code)\n"
)


def run(*argv: str) -> tuple[int, list[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=False
    )
    imported = eval(proc.stdout.strip().splitlines()[-1])  # the probe's own list literal
    return proc.returncode, imported, proc.stdout + proc.stderr


def test_a_run_imports_only_the_job_it_names() -> None:
    code, imported, _ = run("--lang", "zh", "backup", "--help")
    assert code == 0
    assert imported == ["netsteward.playbooks.backup"]
    code, imported, _ = run("audit", "baseline", "--help")
    assert code == 0
    assert imported == ["netsteward.playbooks.audit", "netsteward.playbooks.audit_baseline"]


def test_help_and_a_typo_see_every_job() -> None:
    every = sorted(module for module, _name, _gives in JOBS)
    code, imported, out = run("--help")
    assert code == 0 and imported == every
    for _module, _name, gives in JOBS:
        assert f" {gives} " in out
    code, imported, out = run("bakup")
    assert code == 2 and imported == every
    assert "No such command 'bakup'" in out
