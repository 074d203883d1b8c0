"""Topology snapshots in the backup repository: `<repo>/topology/YYYY-MM-DD.json`.

write_snapshot(repo, snap) -> Path         # writes and commits (git) the day's snapshot
list_snapshots(repo) -> list[Path]         # oldest first
resolve(repo, spec) -> Snapshot            # spec: a date, a file, or a git revision
"""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.store import (
    commit_run,
    locked,
    open_store,
    write_files,
)
from netsteward.tasks.topology.model import Snapshot, dump_snapshot, load_snapshot

log = logging.getLogger(__name__)

SUBDIR = "topology"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def snapshot_path(repo: Path, date: str) -> Path:
    if not _DATE.match(date):
        raise BadInput(_("not a date (YYYY-MM-DD): {value!r}").format(value=date), field="--date")
    return repo / SUBDIR / f"{date}.json"


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=check
    )


def write_snapshot(repo: Path, snap: Snapshot, commit: bool = True) -> tuple[Path, bool]:
    """Write the snapshot for its date and commit it into the backup repository (netsteward.tasks.core.store).

    Returns (path, committed); committed is False when the file is unchanged or commit=False.
    """
    path = snapshot_path(repo, snap.date)
    rel = f"{SUBDIR}/{snap.date}.json"
    if not commit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_snapshot(snap))
        return path, False
    store = open_store(repo)
    message = f"topology snapshot {snap.date}: {len(snap.nodes)} nodes, {len(snap.links)} links" + (
        f", {len(snap.unreachable)} unreachable" if snap.unreachable else ""
    )
    with locked(store):  # one writer of the backup repository at a time
        write_files(repo, [(rel, dump_snapshot(snap))])
        return path, commit_run(store, [rel], message) is not None


def list_snapshots(repo: Path) -> list[Path]:
    folder = repo / SUBDIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if _DATE.match(p.stem))


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
        return load_snapshot(path)
    as_path = Path(spec)
    if as_path.suffix == ".json" and as_path.exists():
        return load_snapshot(as_path)
    if (repo / ".git").exists():
        if ":" in spec:
            rev, rel = spec.split(":", 1)
        else:
            rev = spec
            listing = _git(repo, "ls-tree", "--name-only", rev, f"{SUBDIR}/", check=False)
            files = sorted(f for f in listing.stdout.split() if _DATE.match(Path(f).stem))
            if listing.returncode or not files:
                raise BadInput(
                    _("not a date, snapshot file or git revision with snapshots: {value!r}").format(
                        value=spec
                    ),
                    field="FROM/TO",
                )
            rel = files[-1]
        shown = _git(repo, "show", f"{rev}:{rel}", check=False)
        if shown.returncode:
            raise BadInput(
                _("cannot read {file} at {rev}: {error}").format(
                    file=rel, rev=rev, error=shown.stderr.strip()
                ),
                field="FROM/TO",
            )
        return load_snapshot(shown.stdout)
    raise BadInput(
        _("not a date, snapshot file or git revision: {value!r}").format(value=spec),
        field="FROM/TO",
    )


def default_pair(repo: Path) -> tuple[Snapshot, Snapshot]:
    """The previous snapshot and the latest one."""
    files = list_snapshots(repo)
    if len(files) < 2:
        raise BadInput(
            _("need two snapshots in {folder} to diff (found {n})").format(
                folder=repo / SUBDIR, n=len(files)
            ),
            field="FROM/TO",
        )
    return load_snapshot(files[-2]), load_snapshot(files[-1])


def snapshots_of_year(repo: Path, year: int) -> list[Path]:
    return [p for p in list_snapshots(repo) if p.stem.startswith(f"{year}-")]
