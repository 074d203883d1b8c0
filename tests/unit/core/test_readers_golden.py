"""Every registered reader on golden outputs: `tests/golden/<platform>/<purpose>_<case>.raw`.

`<purpose>` is a purpose of the platform file's `reads:` (lldp, lldp_brief, cdp, lag, version,
...); the reader the platform names for it reads the file, and the records *and* the warnings
must equal `<purpose>_<case>.expected.json` (`{"records": [...], "warnings": [...]}`, what
`netsteward parse --json` prints). Regenerate with `--update` (or NETSTEWARD_UPDATE_GOLDEN=1)
and review the diff. A captured output from a bug report becomes a test by dropping it here.

The real samples of the shared corpus are read by tests/conformance; the cases here are the
lab's outputs and the layouts and faults issue 11 names (outputs a reader cannot read must
give the warnings, never fewer records in silence).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netsteward.tasks.core.reading import read_purpose, reading_dict
from netsteward.tasks.platforms import PLATFORMS, load_platform

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


def _purpose(raw: Path) -> str | None:
    if raw.parent.name not in PLATFORMS:
        return None
    purposes = sorted(load_platform(raw.parent.name).reads, key=len, reverse=True)
    return next((p for p in purposes if raw.stem.startswith(p + "_")), None)


CASES = [raw for raw in sorted(GOLDEN.glob("*/*.raw")) if _purpose(raw)]


def _update(request: pytest.FixtureRequest) -> bool:
    try:
        if request.config.getoption("--update"):
            return True
    except ValueError:
        pass
    return os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("raw", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_reader_golden(raw: Path, request: pytest.FixtureRequest) -> None:
    purpose = _purpose(raw)
    assert purpose is not None
    got = reading_dict(read_purpose(raw.parent.name, purpose, raw.read_text(encoding="utf-8")))
    expected = raw.with_suffix(".expected.json")
    if _update(request) or not expected.exists():
        expected.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(expected.read_text(encoding="utf-8"))


def test_golden_cases_cover_every_neighbour_and_lag_reader() -> None:
    covered = {f"{raw.parent.name}.{_purpose(raw)}" for raw in CASES}
    for platform in ("huawei_vrp", "hp_comware", "cisco_ios"):
        for purpose in ("lldp", "lag"):
            assert f"{platform}.{purpose}" in covered


def test_readers_keep_nothing_between_outputs_and_threads() -> None:
    """Each thread re-uses its compiled TextFSM machines (`netsteward.tasks.core.fsm`): in any
    order, in many threads at once, every golden output reads exactly as on its own."""
    import sys
    import threading

    cases = [
        (raw, _purpose(raw), json.loads(raw.with_suffix(".expected.json").read_text()))
        for raw in CASES
    ]
    wrong: list[str] = []

    def work(start: int) -> None:
        for i in range(2 * len(cases)):
            raw, purpose, expected = cases[(start + i) % len(cases)]
            text = raw.read_text(encoding="utf-8")
            got = reading_dict(read_purpose(raw.parent.name, str(purpose), text))
            if got != expected:
                wrong.append(raw.name)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up every run
    try:
        threads = [threading.Thread(target=work, args=(k * 3,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []
