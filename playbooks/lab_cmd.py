"""`netsteward lab ...`: operate the simulated network.

The lab is its own package and playbooks never import it; this wrapper runs
`python -m netsteward.lab` in a child process and passes its output and exit code through.
"""

from __future__ import annotations

import subprocess
import sys

import typer

HELP = (
    "Operate the simulated lab network on 127.0.0.1: start, stop, status, fault, relink, "
    "unplug, plug, truth, inventory. `netsteward lab --help` shows the lab's own help."
)


def register(main_app: typer.Typer) -> None:
    @main_app.command(
        "lab",
        help=HELP,
        context_settings={
            "allow_extra_args": True,
            "ignore_unknown_options": True,
            "help_option_names": [],
        },
    )
    def lab(ctx: typer.Context) -> None:
        args = list(ctx.args) or ["--help"]
        proc = subprocess.run([sys.executable, "-m", "netsteward.lab", *args], check=False)
        raise typer.Exit(proc.returncode)
