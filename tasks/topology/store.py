"""Topology snapshots in the backup repository: `<repo>/topology/YYYY-MM-DD.json`.

Read and written through the backup repository's one layer (`netsteward.tasks.core.store`).

write_snapshot(repo, snap) -> (Path, committed)  # writes and commits the day's snapshot
list_snapshots(repo) -> list[Path]               # oldest first
read_snapshot(store, rel, ref=None) -> Snapshot  # one snapshot in the work tree or at a revision
resolve(repo, spec) -> Snapshot                  # spec: a date, a file, or a git revision
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.store import SNAPSHOTS, BackupStore
from netsteward.tasks.topology.model import (
    Snapshot,
    dump_snapshot,
    load_snapshot,
    snapshot_from_dict,
)

log = logging.getLogger(__name__)

SUBDIR = SNAPSHOTS
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def snapshot_path(repo: Path, date: str) -> Path:
    if not _DATE.match(date):
        raise BadInput(_("not a date (YYYY-MM-DD): {value!r}").format(value=date), field="--date")
    return repo / SUBDIR / f"{date}.json"


def write_snapshot(repo: Path, snap: Snapshot, commit: bool = True) -> tuple[Path, bool]:
    """Write the snapshot for its date and commit it into the backup repository.

    Returns (path, committed); committed is False when the file is unchanged or commit=False.
    """
    path = snapshot_path(repo, snap.date)
    files = [(f"{SUBDIR}/{snap.date}.json", dump_snapshot(snap))]
    if not commit:
        BackupStore.at(repo).write(files)
        return path, False
    message = f"topology snapshot {snap.date}: {len(snap.nodes)} nodes, {len(snap.links)} links" + (
        f", {len(snap.unreachable)} unreachable" if snap.unreachable else ""
    )
    return path, BackupStore.open(repo).commit_files(files, message).sha is not None


def list_snapshots(repo: Path) -> list[Path]:
    return [repo / rel for rel in BackupStore.at(repo).snapshots()]


def read_snapshot(store: BackupStore, rel: str, ref: str | None = None) -> Snapshot:
    """The snapshot at `rel` in the work tree (ref None) or at a revision."""
    text = store.read(rel, ref)
    name = rel if ref is None else f"{ref}:{rel}"
    if text is None:
        raise BadInput(
            _("no snapshot for {spec} in {folder}").format(spec=name, folder=store.root),
            field="FROM/TO",
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(
            _("not valid JSON ({error})").format(error=exc.msg), file=name, line=exc.lineno
        ) from None
    return snapshot_from_dict(raw, name)


def resolve(repo: Path, spec: str) -> Snapshot:
    """A snapshot named by a date (in the repository), a file path, or a git revision.

    A revision gives the newest snapshot file present at that revision
    (e.g. `HEAD~1`), or `REV:topology/2026-01-05.json` for one file.
    """
    if _DATE.match(spec):
        path = snapshot_path(repo, spec)
        if not path.exists():
            raise BadInput(
                _("no snapshot for {spec} in {folder}").format(spec=spec, folder=repo / SUBDIR),
                field="FROM/TO",
            )
        return read_snapshot(BackupStore.at(repo), f"{SUBDIR}/{spec}.json")
    as_path = Path(spec)
    if as_path.suffix == ".json" and as_path.exists():
        return load_snapshot(as_path)  # a file anywhere, not the repository's
    store = BackupStore.at(repo)
    if store.is_git:
        rev, _colon, rel = spec.partition(":")
        try:
            store.revision(rev)
            files = [rel] if rel else store.snapshots(rev)
        except BadInput:
            files = []
        if not files:
            raise BadInput(
                _("not a date, snapshot file or git revision with snapshots: {value!r}").format(
                    value=spec
                ),
                field="FROM/TO",
            )
        return read_snapshot(store, files[-1], rev)
    raise BadInput(
        _("not a date, snapshot file or git revision: {value!r}").format(value=spec),
        field="FROM/TO",
    )


def default_pair(repo: Path) -> tuple[Snapshot, Snapshot]:
    """The previous snapshot and the latest one."""
    store = BackupStore.at(repo)
    files = store.snapshots()
    if len(files) < 2:
        raise BadInput(
            _("need two snapshots in {folder} to diff (found {n})").format(
                folder=repo / SUBDIR, n=len(files)
            ),
            field="FROM/TO",
        )
    return read_snapshot(store, files[-2]), read_snapshot(store, files[-1])


def snapshots_of_year(repo: Path, year: int) -> list[Path]:
    return [p for p in list_snapshots(repo) if p.stem.startswith(f"{year}-")]
