"""The backup repository (`configs/`): every read and write of it goes through `BackupStore`.

A git repository of its own (GitPython), laid out as docs/DESIGN.md says:

    <network>/<role>/<HOST>.cfg (.zoning)   backed-up configurations
    topology/YYYY-MM-DD.json                topology snapshots
    changes/YYYY-MM-DD-HHMMSS-<job>.yaml    change records

Writing (one writer at a time: `writing()` holds `.git/netsteward.lock`):

    store = BackupStore.open(path)                      # created on first use
    store.commit_backups(files, message, when)          # backups: write, remove copies of a
                                                        # device that moved, one commit whose
                                                        # subject starts with "backup "
    store.commit_files(files, message, when)            # anything else (snapshots, records)
    store.write(files)                                  # the work tree only (--no-commit)
    store.tag_month(...), store.push(...)

Reading (committed state at any revision, or the work tree):

    store.work_files(paths)          stored copies in the work tree (what a backup is judged by)
    store.configs(suffix, ref)       {host: text} of every committed <HOST>.<suffix>
    store.config_files(suffix, ref)  the same as (path, host, text), for jobs that need the path
    store.snapshots(ref), store.read(path, ref), store.revision(ref), store.parent(ref)

`last_backup_commit()` finds the newest commit with backups in it (their subject starts
with `backup `), whichever job made it (backup, drift accept, normalize apply).
Writes are atomic (temp file + rename) and only touch files whose content differs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO

import git

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _

AUTHOR_NAME = "netsteward"
AUTHOR_EMAIL = "netsteward@localhost"
IGNORED = ("*.tmp", ".netsteward-*")
BACKUP_PREFIX = "backup "  # the subject of every commit that holds backed-up configurations
SNAPSHOTS = "topology"
CHANGES = "changes"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Files = Iterable[tuple[str, str]]  # (path relative to the repository, text)


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the repository, POSIX separators
    host: str  # the file name without its suffix
    text: str


@dataclass(frozen=True)
class Revision:
    hexsha: str
    date: str  # YYYY-MM-DD of the commit
    subject: str

    @property
    def label(self) -> str:
        return f"{self.hexsha[:7]} ({self.date})"


@dataclass(frozen=True)
class Staged:
    """What a commit holds, read from the index after staging (`git diff --cached`)."""

    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(sorted({*self.added, *self.modified, *self.deleted}))


# a commit message, or a function that writes it from what the commit holds (so the message
# always matches the commit, also when it takes in files an earlier run wrote and never committed)
Message = str | Callable[[Staged], str]


@dataclass(frozen=True)
class Committed:
    """What a commit_* call did: the commit (None: nothing differed) and the files it touched."""

    sha: str | None
    written: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()  # copies of moved devices removed
    staged: Staged = Staged()  # what the commit holds (empty when there is no commit)


@dataclass(frozen=True)
class PushResult:
    remote: str
    ok: bool
    detail: str


class BackupStore:
    """One backup repository: a git work tree (or a plain folder, read-only for git)."""

    def __init__(self, root: Path, repo: git.Repo | None = None) -> None:
        self.root = root
        self.repo = repo
        self._lock: IO[str] | None = None
        self._depth = 0

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, create: bool = True) -> BackupStore:
        """The repository at `path`; initialised (branch main) when absent and `create`."""
        root = Path(path)
        if (root / ".git").exists():
            try:
                repo = git.Repo(root)
            except git.InvalidGitRepositoryError:
                raise BadInput(_("not a git repository"), file=str(root)) from None
            return cls(Path(repo.working_tree_dir or root), repo)
        if not create:
            raise BadInput(
                _("backup repository does not exist (run `netsteward backup` first)"),
                file=str(root),
            )
        if root.exists() and not root.is_dir():
            raise BadInput(_("is a file, not a folder"), file=str(root), field="--repo")
        root.mkdir(parents=True, exist_ok=True)
        repo = git.Repo.init(root, initial_branch="main")
        with repo.config_writer() as cfg:
            if not _has_identity(repo):
                cfg.set_value("user", "name", AUTHOR_NAME)
                cfg.set_value("user", "email", AUTHOR_EMAIL)
            cfg.set_value("core", "autocrlf", "false")
        (root / ".gitignore").write_text("\n".join(IGNORED) + "\n", encoding="utf-8")
        return cls(Path(repo.working_tree_dir or root), repo)

    @classmethod
    def at(cls, path: Path | str) -> BackupStore:
        """The repository at `path` if it is one, else the folder's files (nothing created)."""
        root = Path(path)
        if root.exists() and not root.is_dir():
            raise BadInput(_("is a file, not a folder"), file=str(root), field="--repo")
        if (root / ".git").exists():
            return cls.open(root, create=False)
        return cls(root, None)

    @property
    def is_git(self) -> bool:
        return self.repo is not None

    def _git(self) -> git.Repo:
        if self.repo is None:
            raise BadInput(
                _("not a backup repository (run `netsteward backup` first, or pass --repo)"),
                file=str(self.root),
            )
        return self.repo

    def has_commits(self) -> bool:
        if self.repo is None:
            return False
        try:
            self.repo.head.commit  # noqa: B018 - raises on an empty repository
        except ValueError:
            return False
        return True

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, wait: float = 120.0) -> Iterator[None]:
        """Hold the repository's writer lock (re-entrant within this store object).

        An advisory lock on `.git/netsteward.lock` serialises every writer of one backup
        repository (backup, drift accept, normalize apply, snapshots); waits `wait` seconds.
        """
        if self._depth or self.repo is None:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        path = Path(self.repo.git_dir) / "netsteward.lock"
        with path.open("a") as fh:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise BadInput(
                            _("another netsteward run is writing this repository"),
                            file=str(path),
                        ) from None
                    time.sleep(0.2)
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0
                fcntl.flock(fh, fcntl.LOCK_UN)

    def write(self, files: Files) -> list[str]:
        """Write (path, text) pairs whose content differs; return the paths written."""
        written = []
        for rel, text in files:
            path = self._path(rel)
            try:
                if path.read_text(encoding="utf-8") == text:
                    continue
            except (FileNotFoundError, UnicodeDecodeError):
                pass
            write_atomic(path, text)
            written.append(rel)
        return written

    def commit_backups(
        self,
        files: Files,
        message: Message,
        when: datetime | None = None,
        extra: Files = (),
        unchanged: Iterable[str] = (),
    ) -> Committed:
        """Commit backed-up configurations (and `extra` files such as a change record).

        `unchanged` are paths of backups known to equal the stored copy (not read again);
        they are staged like the written ones, so a file written by an earlier run that died
        before its commit is committed now (git skips the rest). Copies of the same devices
        elsewhere in the tree (a device whose network or role changed) are removed in the
        same commit. The subject must start with "backup ". `message` may be a function
        of what the commit holds (`Staged`), called once the files are staged.
        """
        _check_prefix(message, backups=True)
        files, extra, unchanged = list(files), list(extra), list(unchanged)
        backups = [p for p, _ in files] + unchanged
        with self.writing():
            written = self.write(files + extra)
            paths = sorted(set(backups) | {p for p, _ in extra} | set(written))
            moved = self._remove_moved(backups)
            sha, staged = self._commit(paths, message, when, backups=True)
        return Committed(sha, tuple(written), tuple(moved), staged)

    def commit_files(
        self, files: Files, message: Message, when: datetime | None = None
    ) -> Committed:
        """Commit files that are not backups (snapshots, change records)."""
        _check_prefix(message, backups=False)
        files = list(files)
        with self.writing():
            written = self.write(files)
            sha, staged = self._commit(sorted({p for p, _ in files}), message, when, backups=False)
        return Committed(sha, tuple(written), staged=staged)

    def _path(self, rel: str) -> Path:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise BadInput(
                _("refusing to write outside the backup repository: {path!r}").format(path=rel)
            )
        return self.root.joinpath(*pure.parts)

    def _remove_moved(self, files: Iterable[str]) -> list[str]:
        """Remove other copies of these files' names elsewhere under <network>/<role>/."""
        repo = self._git()
        wanted = {PurePosixPath(f).name: f for f in files}
        stale = []
        for path in self.root.glob("*/*/*"):
            rel = path.relative_to(self.root).as_posix()
            if path.name in wanted and wanted[path.name] != rel and not rel.startswith("."):
                stale.append(rel)
        if not stale:
            return []
        tracked = set(repo.git.ls_files("--", *stale).splitlines())
        if tracked:
            repo.git.rm("--quiet", "--", *sorted(tracked))
        for rel in stale:
            (self.root / rel).unlink(missing_ok=True)
        return sorted(stale)

    def _staged(self) -> Staged:
        """What the index holds against HEAD (against the empty tree before the first commit)."""
        # (with no HEAD yet, `git diff --cached` shows everything staged)
        out = self._git().git.diff("--cached", "--name-status", "--no-renames", "-z")
        parts = [p for p in out.split("\0") if p]
        found: dict[str, list[str]] = {"A": [], "M": [], "D": []}
        for status, path in zip(parts[::2], parts[1::2], strict=False):
            found.setdefault(status[:1], found["M"]).append(path)
        return Staged(tuple(found["A"]), tuple(found["M"]), tuple(found["D"]))

    def _commit(
        self, paths: list[str], message: Message, when: datetime | None, *, backups: bool
    ) -> tuple[str | None, Staged]:
        """Stage `paths` (plus .gitignore) and commit once; None when the tree equals HEAD's.

        Staging goes through `git add` (GitPython's command wrapper): GitPython's own
        `index.add` hashes blobs in Python, 2.5 s for a first run of 739 files against
        0.3 s for git. The commit itself is GitPython's `index.commit`.
        """
        repo = self._git()
        extra = [".gitignore"] if (self.root / ".gitignore").exists() else []
        to_add = sorted(set(paths) | set(extra))
        if to_add:
            spec = Path(repo.git_dir) / "netsteward-pathspec"
            spec.write_bytes(b"\0".join(p.encode() for p in to_add))
            try:
                repo.git.add(f"--pathspec-from-file={spec}", "--pathspec-file-nul")
            finally:
                spec.unlink(missing_ok=True)
        if not to_add and not self.has_commits():
            return None, Staged()
        staged = self._staged()
        if not staged.paths:
            return None, staged
        text = message if isinstance(message, str) else message(staged)
        _check_prefix(text, backups=backups)
        actor = git.Actor(*_identity(repo))
        commit = repo.index.commit(
            text,
            author=actor,
            committer=actor,
            author_date=when,  # type: ignore[arg-type]  # GitPython accepts datetime
            commit_date=when,  # type: ignore[arg-type]
        )
        return commit.hexsha, staged

    def last_backup_commit(self) -> git.Commit | None:
        """The newest commit holding backups (other jobs commit here too: snapshots)."""
        if not self.has_commits():
            return None
        for commit in self._git().iter_commits(max_count=500):
            if str(commit.summary).startswith(BACKUP_PREFIX):
                return commit
        return None

    def tag_month(self, month: str, message: str, commit: str | None = None) -> str | None:
        """Tag `backup-YYYY-MM`.

        With `commit` (this run committed): the tag moves there, the last run of the month
        wins. Without: the tag is created on the newest backup commit if it does not exist
        yet, and an existing tag is left where it is.
        """
        repo = self._git()
        name = f"backup-{month}"
        with self.writing():
            if commit is not None:
                repo.create_tag(name, ref=repo.commit(commit), message=message, force=True)
                return name
            if name in [t.name for t in repo.tags]:
                return name
            target = self.last_backup_commit()
            if target is None:
                return None
            repo.create_tag(name, ref=target, message=message)
        return name

    def push(self, tags: list[str] | None = None) -> list[PushResult]:
        """Push the current branch (and `tags`) to every configured remote."""
        repo = self._git()
        results = []
        branch = repo.active_branch.name
        for remote in repo.remotes:
            refspecs = [f"refs/heads/{branch}:refs/heads/{branch}"]
            refspecs += [f"+refs/tags/{t}:refs/tags/{t}" for t in tags or []]
            try:
                infos = remote.push(refspecs)
                bad = [i for i in infos if i.flags & i.ERROR]
                results.append(
                    PushResult(
                        remote.name, not bad, "; ".join(i.summary.strip() for i in bad) or "ok"
                    )
                )
            except git.GitCommandError as exc:
                detail = (exc.stderr or str(exc)).strip().splitlines()
                results.append(
                    PushResult(remote.name, False, detail[-1] if detail else "push failed")
                )
        return results

    # -- reading -----------------------------------------------------------------------

    def work_files(self, paths: Iterable[str]) -> dict[str, str | None]:
        """The work tree's copy of each path (None when absent)."""
        out: dict[str, str | None] = {}
        for rel in paths:
            try:
                out[rel] = self._path(rel).read_text(encoding="utf-8")
            except FileNotFoundError:
                out[rel] = None
        return out

    def revision(self, ref: str = "HEAD") -> Revision:
        """The commit `ref` names; BadInput when there is none."""
        try:
            commit = self._git().commit(ref)
        except (git.BadName, ValueError):
            raise BadInput(
                _("no such revision {rev!r} in the backup repository").format(rev=ref),
                file=str(self.root),
            ) from None
        when = commit.committed_datetime.date().isoformat()
        return Revision(commit.hexsha, when, str(commit.summary))

    def last_changed(self, ref: str, suffixes: tuple[str, ...]) -> Revision:
        """The newest commit at or before `ref` that changed a `*.<suffix>` file (other jobs
        commit snapshots and change records too); `ref` itself when none did."""
        repo = self._git()
        paths = [f":(glob)**/*.{suffix}" for suffix in suffixes]
        commit = next(repo.iter_commits(ref, paths=paths, max_count=1), None) or repo.commit(ref)
        when = commit.committed_datetime.date().isoformat()
        return Revision(commit.hexsha, when, str(commit.summary))

    def parent(self, ref: str = "HEAD") -> str:
        """The revision before `ref` (its first parent), or `ref` itself for the first one."""
        commit = self._git().commit(ref)
        return commit.parents[0].hexsha if commit.parents else commit.hexsha

    def _blobs(self, ref: str) -> Iterator[git.Blob]:
        for item in self._git().commit(ref).tree.traverse():
            if isinstance(item, git.Blob):
                yield item

    def config_files(self, suffix: str = "cfg", ref: str | None = "HEAD") -> list[StoredFile]:
        """Every `<HOST>.<suffix>` outside dot-folders, committed at `ref` (the work tree
        when `ref` is None or nothing is committed yet), sorted by path."""
        out: list[StoredFile] = []
        if ref is not None and self.has_commits():
            for blob in self._blobs(ref):
                name = PurePosixPath(str(blob.path))
                if name.suffix == f".{suffix}" and not name.parts[0].startswith("."):
                    text = blob.data_stream.read().decode("utf-8", errors="replace")
                    out.append(StoredFile(str(name), name.stem, text))
            return sorted(out, key=lambda f: f.path)
        for path in sorted(self.root.rglob(f"*.{suffix}")):
            rel = path.relative_to(self.root)
            if not rel.parts[0].startswith("."):
                text = path.read_text(encoding="utf-8", errors="replace")
                out.append(StoredFile(rel.as_posix(), path.stem, text))
        return out

    def configs(self, suffix: str = "cfg", ref: str | None = "HEAD") -> dict[str, str]:
        """{host: text} of every `<HOST>.<suffix>` (see `config_files`)."""
        return {f.host: f.text for f in self.config_files(suffix, ref)}

    def read(self, rel: str, ref: str | None = None) -> str | None:
        """One file's text at `ref` (the work tree when None); None when it is not there."""
        if ref is None:
            return self.work_files([rel])[rel]
        try:
            blob = self._git().commit(ref).tree / rel
        except KeyError:
            return None
        except (git.BadName, ValueError):
            raise BadInput(
                _("no such revision {rev!r} in the backup repository").format(rev=ref),
                file=str(self.root),
            ) from None
        return str(blob.data_stream.read().decode("utf-8", errors="replace"))

    def snapshots(self, ref: str | None = None) -> list[str]:
        """Paths of the topology snapshots (`topology/YYYY-MM-DD.json`), oldest first,
        in the work tree (ref None) or at a revision."""
        if ref is None:
            folder = self.root / SNAPSHOTS
            if not folder.is_dir():
                return []
            return sorted(
                f"{SNAPSHOTS}/{p.name}" for p in folder.glob("*.json") if _DATE.match(p.stem)
            )
        try:
            tree = self._git().commit(ref).tree / SNAPSHOTS
        except KeyError:
            return []
        except (git.BadName, ValueError):
            raise BadInput(
                _("no such revision {rev!r} in the backup repository").format(rev=ref),
                file=str(self.root),
            ) from None
        return sorted(
            str(b.path)
            for b in tree.blobs
            if b.name.endswith(".json") and _DATE.match(PurePosixPath(b.name).stem)
        )


def _check_prefix(message: Message, *, backups: bool) -> None:
    if not isinstance(message, str):
        return  # checked once the function has written it
    if backups and not message.startswith(BACKUP_PREFIX):
        raise ValueError(f"a commit with backups must start with {BACKUP_PREFIX!r}")
    if not backups and message.startswith(BACKUP_PREFIX):
        raise ValueError(f"only commits with backups start with {BACKUP_PREFIX!r}")


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".netsteward-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _has_identity(repo: git.Repo) -> bool:
    try:
        reader = repo.config_reader()
        return bool(reader.get_value("user", "email", "")) and bool(
            reader.get_value("user", "name", "")
        )
    except Exception:
        return False


def _identity(repo: git.Repo) -> tuple[str, str]:
    reader = repo.config_reader()
    return (
        str(reader.get_value("user", "name", AUTHOR_NAME)),
        str(reader.get_value("user", "email", AUTHOR_EMAIL)),
    )
