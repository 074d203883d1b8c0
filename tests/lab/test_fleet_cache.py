"""The built-in fleet kept on disk (`netsteward.lab.fleet.cache`): what it loads is the
fleet the generator builds, a changed generator or an unreadable file builds anew, and
`NETSTEWARD_LAB_CACHE=off` keeps nothing."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from netsteward.lab.engine.state import load_fleet
from netsteward.lab.fleet import cache
from netsteward.lab.fleet.build import build_fleet


def _bytes(fleet: object) -> bytes:
    return pickle.dumps(fleet, protocol=pickle.HIGHEST_PROTOCOL)


def test_the_kept_fleet_is_the_built_one_and_is_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETSTEWARD_LAB_CACHE", str(tmp_path))
    built = _bytes(build_fleet(2026, 1))
    first = load_fleet(2026)
    (kept,) = tmp_path.glob("fleet-2026-1-*.pickle")
    assert _bytes(first) == built == kept.read_bytes()
    kept.write_bytes(_bytes(build_fleet(7, 1)))  # a planted file shows it is read, not rebuilt
    assert load_fleet(2026).seed == 7


def test_an_unreadable_file_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETSTEWARD_LAB_CACHE", str(tmp_path))
    load_fleet(2026)
    (kept,) = tmp_path.glob("fleet-2026-1-*.pickle")
    kept.write_bytes(kept.read_bytes()[:1000])  # cut short
    assert _bytes(load_fleet(2026)) == _bytes(build_fleet(2026, 1))
    assert kept.stat().st_size > 1000


def test_a_changed_generator_is_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "lab" / "fleet"
    shutil.copytree(cache.GENERATOR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(cache.GENERATOR.parent / "model.py", copy.parent / "model.py")
    monkeypatch.setattr(cache, "GENERATOR", copy)
    cache.generator_digest.cache_clear()
    try:
        same = cache.generator_digest()
        (copy / "ports.py").write_text((copy / "ports.py").read_text() + "\n# changed\n")
        cache.generator_digest.cache_clear()
        assert cache.generator_digest() != same
        kept = tmp_path / "kept"
        monkeypatch.setenv("NETSTEWARD_LAB_CACHE", str(kept))
        kept.mkdir()
        (kept / f"fleet-2026-1-{same[:16]}.pickle").write_bytes(b"an earlier generator's")
        load_fleet(2026)
        assert [p.name for p in kept.iterdir()] == [
            f"fleet-2026-1-{cache.generator_digest()[:16]}.pickle"
        ]
    finally:
        cache.generator_digest.cache_clear()


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETSTEWARD_LAB_CACHE", "off")
    monkeypatch.chdir(tmp_path)
    assert len(load_fleet(2026).devices) == 739
    assert list(tmp_path.rglob("*.pickle")) == []
