"""Golden scrub cases: tests/golden/<platform>/<case>.raw -> <case>.expected.cfg.

`<case>.secrets.yaml` lists what must never survive (`absent`, plain strings) and
lines that must be there (`present`, regexes, multi-line mode). Regenerate the
expectations with NETSTEWARD_UPDATE_GOLDEN=1 and review the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.core.scrub import MARKERS, error_lines, normalise_config

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
CASES = sorted(GOLDEN.glob("*/*.secrets.yaml"))
UPDATE = os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name.removesuffix('.secrets.yaml')}"


@pytest.fixture(params=CASES, ids=[_case_id(c) for c in CASES])
def case(request: pytest.FixtureRequest) -> tuple[str, str, dict, Path]:
    spec_path: Path = request.param
    stem = spec_path.name.removesuffix(".secrets.yaml")
    raw = _read(spec_path.parent / f"{stem}.raw")
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return spec_path.parent.name, raw, spec, spec_path.parent / f"{stem}.expected.cfg"


def test_golden_cases_exist_for_every_platform() -> None:
    from netsteward.tasks.platforms import PLATFORMS

    assert {c.parent.name for c in CASES} == set(PLATFORMS)


def test_matches_expected(case: tuple[str, str, dict, Path]) -> None:
    platform, raw, _, expected_path = case
    got = normalise_config(platform, raw)
    if UPDATE or not expected_path.exists():
        expected_path.write_text(got, encoding="utf-8", newline="")
        if not UPDATE:
            pytest.fail(f"{expected_path} was missing and has been written: review and commit it")
    assert got == _read(expected_path)


def test_no_secret_survives(case: tuple[str, str, dict, Path]) -> None:
    platform, raw, spec, _ = case
    got = normalise_config(platform, raw)
    for secret in spec.get("absent") or []:
        assert secret not in got, f"{secret!r} survived scrubbing"
    for pattern in spec.get("present") or []:
        assert re.search(pattern, got, re.MULTILINE), f"expected a line matching {pattern!r}"


def test_idempotent(case: tuple[str, str, dict, Path]) -> None:
    platform, raw, _, _ = case
    once = normalise_config(platform, raw)
    assert normalise_config(platform, once) == once


def test_only_secrets_and_volatile_lines_change(case: tuple[str, str, dict, Path]) -> None:
    """Every kept line is the raw line, or the raw line with spans replaced by the marker."""
    platform, raw, _, _ = case
    raw_lines = {line.rstrip() for line in raw.replace("\r\n", "\n").split("\n")}
    for line in normalise_config(platform, raw).splitlines():
        if line in raw_lines:
            continue
        assert any(m in line for m in MARKERS), f"line changed without a secret in it: {line!r}"
        parts = [re.escape(p) for p in re.split("|".join(map(re.escape, MARKERS)), line)]
        rx = re.compile("^" + ".+?".join(parts) + "$")
        assert any(rx.match(r) for r in raw_lines), f"no raw line behind {line!r}"


def test_no_error_lines_in_real_configs(case: tuple[str, str, dict, Path]) -> None:
    platform, raw, _, _ = case
    assert error_lines(platform, normalise_config(platform, raw)) == []
