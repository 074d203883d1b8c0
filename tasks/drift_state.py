"""The approved state, read from the backup repository at one revision.

`configs/<network>/<role>/<HOST>.cfg` (and `.zoning`) as committed, and the latest topology
snapshot `topology/YYYY-MM-DD.json` in that revision. Reads git objects directly (one tree
walk, no checkout), so `--offline` can compare any two revisions in a few seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import git

from tasks.errors import BadInput

log = logging.getLogger(__name__)

STORED_SUFFIXES = ("cfg", "zoning")


@dataclass(frozen=True)
class RepoState:
    """Everything the drift check needs from one revision of the backup repository."""

    revision: str  # full commit id
    label: str  # "abc1234 (2026-11-01)" for people
    files: dict[str, dict[str, str]]  # host -> {suffix: text}
    snapshot_name: str | None  # topology/YYYY-MM-DD.json or None
    snapshot_text: str | None


def open_repo(path: Path) -> git.Repo:
    try:
        return git.Repo(path)
    except (git.NoSuchPathError, git.InvalidGitRepositoryError):
        raise BadInput(
            "not a backup repository (run `netsteward backup` first, or pass --repo)", file=str(path)
        ) from None


def read_state(path: Path, rev: str = "HEAD", hosts: set[str] | None = None) -> RepoState:
    """The committed files of `hosts` (all when None) and the latest snapshot at `rev`."""
    repo = open_repo(path)
    try:
        commit = repo.commit(rev)
    except (git.BadName, ValueError):
        raise BadInput(f"no such revision {rev!r} in the backup repository", file=str(path)) from None
    files: dict[str, dict[str, str]] = {}
    snapshots: list[git.Blob] = []
    for item in commit.tree.traverse():
        if item.type != "blob":  # type: ignore[union-attr]
            continue
        p = PurePosixPath(item.path)  # type: ignore[union-attr]
        if p.parts[0] == "topology" and p.suffix == ".json":
            snapshots.append(item)  # type: ignore[arg-type]
            continue
        suffix = p.suffix.lstrip(".")
        if suffix not in STORED_SUFFIXES:
            continue
        host = p.stem
        if hosts is not None and host not in hosts:
            continue
        data = item.data_stream.read()  # type: ignore[union-attr]
        files.setdefault(host, {})[suffix] = data.decode("utf-8", errors="replace")
    latest = max(snapshots, key=lambda b: b.path) if snapshots else None
    when = commit.committed_datetime.date().isoformat()
    return RepoState(
        revision=commit.hexsha,
        label=f"{commit.hexsha[:7]} ({when})",
        files=files,
        snapshot_name=latest.path if latest else None,
        snapshot_text=latest.data_stream.read().decode("utf-8") if latest else None,
    )


def default_baseline(path: Path, rev: str = "HEAD") -> str:
    """For `--offline`: the revision before `rev` (its first parent), or `rev` itself."""
    commit = open_repo(path).commit(rev)
    return commit.parents[0].hexsha if commit.parents else commit.hexsha
