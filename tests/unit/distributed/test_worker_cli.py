"""`netsteward worker` refuses bad input in one line, exit 2, before it starts Celery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def worker(*args: str, broker: str = "redis://127.0.0.1:1/0") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NETSTEWARD_BROKER_URL=broker)
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", "worker", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "broker", "says"),
    [
        (("--queue", "two words"), "redis://127.0.0.1:1/0", "--queue: not a queue name"),
        (("--queue", "base"), "redis://u:secret@192.0.2.1:6379/0", "127.0.0.0/8"),
        (("--queue", "base", "--config", "no-such.yaml"), "redis://127.0.0.1:1/0", "no-such.yaml"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, broker, says) -> None:
    proc = worker(*args, broker=broker)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and says in lines[0]
    assert "secret" not in proc.stderr
