"""The fleet progress bar (playbooks/progress.py): what a terminal shows, and nothing when
hidden (`--json`, or stderr not a terminal)."""

from __future__ import annotations

import io

from rich.console import Console

from netsteward.playbooks.progress import ProgressProcessor, fleet_progress


def _run(show: bool, failed_text: str | None = None) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    with fleet_progress("drift", console, show, failed_text) as progress:
        bar = ProgressProcessor(progress, 5)
        bar.advance(3, 1)  # a Celery shard of three, one failed
        bar.advance(1, 0)
        progress.refresh()
    return out.getvalue()


def test_the_bar_counts_devices_and_failures() -> None:
    text = _run(True)
    assert "drift" in text and "4/5" in text and "1 failed" in text


def test_the_failed_column_takes_the_job_s_own_words() -> None:
    assert "1 not read" in _run(True, "{failed} not read")


def test_hidden_prints_nothing() -> None:
    assert _run(False) == ""
