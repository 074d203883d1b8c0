"""`netsteward lab ...`: operate the simulated network.

The lab is its own package and playbooks never import it; this wrapper runs
`python -m netsteward.lab` in a child process and passes its output and exit code through.
With `--json` the lab's document goes into the common envelope (docs/DESIGN.md, "JSON
output"): `command` is `lab <its command>`, `counts` the length of each list it holds.
"""

from __future__ import annotations

import json
import subprocess
import sys

import typer

from netsteward.playbooks.common import envelope, print_json

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
        command = [sys.executable, "-m", "netsteward.lab", *args]
        if "--json" not in args:
            raise typer.Exit(subprocess.run(command, check=False).returncode)
        proc = subprocess.run(command, check=False, stdout=subprocess.PIPE, text=True)
        try:
            doc = json.loads(proc.stdout) if proc.stdout.strip() else {}
        except json.JSONDecodeError:
            doc = None
        if not isinstance(doc, dict):  # not a JSON object: pass it through untouched
            sys.stdout.write(proc.stdout)
            raise typer.Exit(proc.returncode)
        name = " ".join(["lab", *[a for a in args[:1] if not a.startswith("-")]])
        counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
        fields = {k: v for k, v in doc.items() if k not in ("command", "exit_code", "counts")}
        print_json(envelope(name, proc.returncode, counts, fields))
        raise typer.Exit(proc.returncode)
