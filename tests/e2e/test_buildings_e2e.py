"""A lab of two buildings (`lab start --buildings 2`): the second building's devices are
backed up through real SSH on their own ports, selected by name or by their
building-network group, with their own configurations and secrets masked."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LabHandle, serve_lab

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHandle]:
    yield from serve_lab(tmp_path_factory.mktemp("buildings"), buildings=2)


def backup(lab: LabHandle, repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    proc = lab.netsteward("backup", "--repo", str(repo), "--json", "--date", "2026-12-01", *args)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_second_building_backed_up_over_ssh(two: LabHandle, tmp_path: Path) -> None:
    truth = two.truth()
    assert len(truth["devices"]) == 2 * 739
    wanted = sorted(d["name"] for d in truth["devices"] if fnmatch.fnmatch(d["name"], "B02-*-01"))
    platforms = {d["platform"] for d in truth["devices"] if d["name"] in wanted}
    assert len(wanted) >= 15 and len(platforms) >= 4  # routers, cores, firewalls, IPS, FC
    code, summary = backup(two, tmp_path / "repo", "--hosts", "B02-*-01")
    assert code == 0, summary["failed"]
    assert summary["changed"] == wanted
    files = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "repo").rglob("*.cfg")}
    assert sorted(files) == wanted
    for name, text in files.items():
        assert name in text  # the device on that port is building 2's, not YM's
    secrets = [s["value"] for s in truth["secrets"] if s["host"] in wanted]
    assert secrets and not [s for s in secrets if any(s in t for t in files.values())]


def test_building_network_group_selects_the_building(two: LabHandle, tmp_path: Path) -> None:
    code, summary = backup(two, tmp_path / "repo", "--group", "b02_san")
    assert code == 0, summary["failed"]
    assert summary["changed"] == ["B02-SAN-FC-01", "B02-SAN-FC-02"]
