"""The progress bar of fleet jobs: one rich bar on stderr, advanced per device (a Nornir
processor on the local engine) or per shard (the Celery engine reports many at once).

Every job that reads the fleet shows the same bar: its name, the bar, done of total,
how many failed, the time so far. Hidden with `--json` or when stderr is not a terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.processes import HostProcessor


def fleet_progress(label: str, console: Console, show: bool, failed: str | None = None) -> Progress:
    """The bar of a fleet job named `label`; `failed` is the failed column's text, with
    `{failed}` for the count (default "N failed")."""
    column = (failed or _("{failed} failed")).format(failed="{task.fields[failed]}")
    return Progress(
        TextColumn("[bold]" + label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(column),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show,
    )


class ProgressProcessor(HostProcessor):
    """A Nornir Processor that advances a rich progress bar on stderr, one step per host."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.task_id = progress.add_task("fleet", total=total, failed=0)
        self.failed = 0

    def advance(self, done: int, failed: int) -> None:
        """`done` more hosts, `failed` of them failed (a Celery shard reports many at once)."""
        self.failed += failed
        self.progress.update(self.task_id, advance=done, failed=self.failed)
