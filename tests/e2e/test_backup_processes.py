"""The backup split over local processes writes exactly what one process writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_two_processes_back_up_the_fleet_byte_for_byte_as_one(lab, tmp_path: Path) -> None:
    trees = []
    for processes in ("1", "2"):
        repo = tmp_path / f"repo-{processes}"
        proc = lab.netsteward("backup", "--repo", str(repo), "--processes", processes, "--json")
        summary = json.loads(proc.stdout)
        assert proc.returncode == 0, summary
        assert summary["counts"]["backed_up"] == summary["counts"]["devices"] == 739
        trees.append(
            {p.relative_to(repo).as_posix(): p.read_bytes() for p in repo.rglob("*.cfg")}
            | {p.relative_to(repo).as_posix(): p.read_bytes() for p in repo.rglob("*.zoning")}
        )
    assert len(trees[0]) == 741  # 739 configurations and the two fabrics' zoning
    assert trees[0] == trees[1]
