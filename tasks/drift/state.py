"""The approved state, read from the backup repository at one revision.

`configs/<network>/<role>/<HOST>.cfg` (and `.zoning`) as committed (tasks/core/store.py
`read_all_committed`), and the latest topology snapshot `topology/YYYY-MM-DD.json` in that
revision. Reads git objects, no checkout, so `--offline` can compare any two revisions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import git

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.store import read_all_committed

log = logging.getLogger(__name__)

STORED_SUFFIXES = ("cfg", "zoning")


@dataclass(frozen=True)
class RepoState:
    """Everything the drift check needs from one revision of the backup repository."""

    revision: str  # full commit id
    label: str  # "abc1234 (2026-11-01)" for people: the commit that last changed a stored file
    files: dict[str, dict[str, str]]  # host -> {suffix: text}
    snapshot_name: str | None  # topology/YYYY-MM-DD.json or None
    snapshot_text: str | None


def open_repo(path: Path) -> git.Repo:
    try:
        return git.Repo(path)
    except (git.NoSuchPathError, git.InvalidGitRepositoryError):
        raise BadInput(
            _("not a backup repository (run `netsteward backup` first, or pass --repo)"),
            file=str(path),
        ) from None


def read_state(path: Path, rev: str = "HEAD", hosts: set[str] | None = None) -> RepoState:
    """The committed files of `hosts` (all when None) and the latest snapshot at `rev`."""
    repo = open_repo(path)
    try:
        commit = repo.commit(rev)
    except (git.BadName, ValueError):
        raise BadInput(
            _("no such revision {rev!r} in the backup repository").format(rev=rev), file=str(path)
        ) from None
    files: dict[str, dict[str, str]] = {}
    for suffix in STORED_SUFFIXES:
        for host, text in read_all_committed(repo, suffix, commit.hexsha).items():
            if hosts is None or host in hosts:
                files.setdefault(host, {})[suffix] = text
    snapshots: dict[str, git.Blob] = {}
    if _has(commit.tree, "topology"):
        for blob in (commit.tree / "topology").blobs:
            if blob.name.endswith(".json"):
                snapshots[str(blob.path)] = blob
    latest = snapshots[max(snapshots)] if snapshots else None
    # other jobs commit here too (topology snapshots, change records): the state is named
    # after the commit that last changed a configuration, not after the newest commit
    stored = [f":(glob)**/*.{suffix}" for suffix in STORED_SUFFIXES]
    named = next(repo.iter_commits(commit, paths=stored, max_count=1), commit)
    when = named.committed_datetime.date().isoformat()
    return RepoState(
        revision=commit.hexsha,
        label=f"{named.hexsha[:7]} ({when})",
        files=files,
        snapshot_name=str(latest.path) if latest else None,
        snapshot_text=latest.data_stream.read().decode("utf-8") if latest else None,
    )


def _has(tree: git.Tree, name: str) -> bool:
    try:
        tree / name
    except KeyError:
        return False
    return True


def default_baseline(path: Path, rev: str = "HEAD") -> str:
    """For `--offline`: the revision before `rev` (its first parent), or `rev` itself."""
    commit = open_repo(path).commit(rev)
    return commit.parents[0].hexsha if commit.parents else commit.hexsha
