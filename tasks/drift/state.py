"""The approved state, read from the backup repository at one revision.

`configs/<network>/<role>/<HOST>.cfg` (and `.zoning`) as committed, and the latest
topology snapshot `topology/YYYY-MM-DD.json` in that revision, read through the backup
repository's one layer (`netsteward.tasks.core.store`). Reads git objects, no checkout,
so `--offline` can compare any two revisions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.store import BackupStore

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


def open_repo(path: Path) -> BackupStore:
    """The backup repository at `path`; BadInput when there is none."""
    store = BackupStore.at(path) if path.is_dir() else None
    if store is None or not store.is_git:
        raise BadInput(
            _("not a backup repository (run `netsteward backup` first, or pass --repo)"),
            file=str(path),
        )
    return store


def read_state(path: Path, rev: str = "HEAD", hosts: set[str] | None = None) -> RepoState:
    """The committed files of `hosts` (all when None) and the latest snapshot at `rev`."""
    store = open_repo(path)
    commit = store.revision(rev)
    files: dict[str, dict[str, str]] = {}
    for suffix in STORED_SUFFIXES:
        for host, text in store.configs(suffix, commit.hexsha).items():
            if hosts is None or host in hosts:
                files.setdefault(host, {})[suffix] = text
    snapshots = store.snapshots(commit.hexsha)
    latest = snapshots[-1] if snapshots else None
    return RepoState(
        revision=commit.hexsha,
        # other jobs commit here too (topology snapshots, change records): the state is
        # named after the commit that last changed a configuration, not the newest commit
        label=store.last_changed(commit.hexsha, STORED_SUFFIXES).label,
        files=files,
        snapshot_name=latest,
        snapshot_text=store.read(latest, commit.hexsha) if latest else None,
    )


def default_baseline(path: Path, rev: str = "HEAD") -> str:
    """For `--offline`: the revision before `rev` (its first parent), or `rev` itself."""
    return open_repo(path).parent(rev)
