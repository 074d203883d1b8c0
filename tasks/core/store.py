"""The backup repository: a git repository of its own (GitPython), one commit per run.

- `open_store(path)` creates it on first use (with a local committer identity).
- `write_files(root, files)` writes atomically (temp file + rename) only what changed.
- `commit_run(repo, paths, message, when)` stages exactly those paths and commits
  once; returns None (no commit) when nothing differs from HEAD.
- `tag_month`, `push` for the monthly tag and a configured remote.
- `read_committed(repo, host)` / `read_all_committed(repo)`: the last committed
  configuration of a host, for drift and `normalize --offline`.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

import git

from netsteward.tasks.core.errors import BadInput

AUTHOR_NAME = "netsteward"
AUTHOR_EMAIL = "netsteward@localhost"
IGNORED = ("*.tmp", ".netsteward-*")


def open_store(path: Path | str, create: bool = True) -> git.Repo:
    """The backup repository at `path`; initialised (branch main) when absent and `create`."""
    root = Path(path)
    if (root / ".git").exists():
        try:
            return git.Repo(root)
        except git.InvalidGitRepositoryError:
            raise BadInput("not a git repository", file=str(root)) from None
    if not create:
        raise BadInput(
            "backup repository does not exist (run `netsteward backup` first)", file=str(root)
        )
    root.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cfg:
        if not _has_identity(repo):
            cfg.set_value("user", "name", AUTHOR_NAME)
            cfg.set_value("user", "email", AUTHOR_EMAIL)
        cfg.set_value("core", "autocrlf", "false")
    (root / ".gitignore").write_text("\n".join(IGNORED) + "\n", encoding="utf-8")
    return repo


def _has_identity(repo: git.Repo) -> bool:
    try:
        reader = repo.config_reader()
        return bool(reader.get_value("user", "email", "")) and bool(
            reader.get_value("user", "name", "")
        )
    except Exception:
        return False


@contextmanager
def locked(repo: git.Repo, wait: float = 120.0) -> Iterator[None]:
    """Serialise writers of one backup repository (backup, drift accept, snapshots).

    An advisory lock on `.git/netsteward.lock`; waits up to `wait` seconds.
    """
    path = Path(repo.git_dir) / "netsteward.lock"
    with path.open("a") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BadInput(
                        "another netsteward run is writing this repository", file=str(path)
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _safe_path(root: Path, rel: str) -> Path:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BadInput(f"refusing to write outside the backup repository: {rel!r}")
    return root.joinpath(*pure.parts)


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


def write_files(root: Path, files: Iterable[tuple[str, str]]) -> list[str]:
    """Write (relpath, text) pairs whose content differs; return the relpaths written."""
    written = []
    for rel, text in files:
        path = _safe_path(root, rel)
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except FileNotFoundError:
            pass
        write_atomic(path, text)
        written.append(rel)
    return written


def remove_moved(repo: git.Repo, files: Iterable[str]) -> list[str]:
    """Remove other copies of these files' names elsewhere in the tree.

    A device whose network or role changed gets its file at a new path; the old one
    would otherwise stay and make two configurations for one host. Returns the removed
    paths (tracked ones are staged for deletion with `git rm`).
    """
    root = Path(repo.working_tree_dir or ".")
    wanted = {PurePosixPath(f).name: f for f in files}
    stale = []
    for path in root.glob("*/*/*"):
        rel = path.relative_to(root).as_posix()
        if path.name in wanted and wanted[path.name] != rel and not rel.startswith("."):
            stale.append(rel)
    if not stale:
        return []
    tracked = set(repo.git.ls_files("--", *stale).splitlines())
    if tracked:
        repo.git.rm("--quiet", "--", *sorted(tracked))
    for rel in stale:
        (root / rel).unlink(missing_ok=True)
    return sorted(stale)


def _has_head(repo: git.Repo) -> bool:
    try:
        repo.head.commit  # noqa: B018 - raises on an empty repository
    except ValueError:
        return False
    return True


def commit_run(
    repo: git.Repo, paths: list[str], message: str, when: datetime | None = None
) -> str | None:
    """Stage `paths` (plus .gitignore) and commit once; None when the tree equals HEAD's.

    Staging goes through `git add` (GitPython's command wrapper): GitPython's own
    `index.add` hashes blobs in Python, 2.5 s for a first run of 739 files against
    0.3 s for git. The commit itself is GitPython's `index.commit`.
    """
    root = Path(repo.working_tree_dir or ".")
    extra = [".gitignore"] if (root / ".gitignore").exists() else []
    to_add = sorted(set(paths) | set(extra))
    if to_add:
        spec = Path(repo.git_dir) / "netsteward-pathspec"
        spec.write_bytes(b"\0".join(p.encode() for p in to_add))
        try:
            repo.git.add(f"--pathspec-from-file={spec}", "--pathspec-file-nul")
        finally:
            spec.unlink(missing_ok=True)
    if _has_head(repo):
        if not repo.git.diff("--cached", "--name-only"):
            return None
    elif not to_add:
        return None
    actor = git.Actor(*_identity(repo))
    commit = repo.index.commit(
        message,
        author=actor,
        committer=actor,
        author_date=when,  # type: ignore[arg-type]  # GitPython accepts datetime
        commit_date=when,  # type: ignore[arg-type]
    )
    return commit.hexsha


def _identity(repo: git.Repo) -> tuple[str, str]:
    reader = repo.config_reader()
    return (
        str(reader.get_value("user", "name", AUTHOR_NAME)),
        str(reader.get_value("user", "email", AUTHOR_EMAIL)),
    )


def last_backup_commit(repo: git.Repo) -> git.Commit | None:
    """The newest commit made by a backup run (other jobs commit here too: topology, changes)."""
    if not _has_head(repo):
        return None
    for commit in repo.iter_commits(max_count=500):
        if str(commit.summary).startswith("backup "):
            return commit
    return None


def tag_month(repo: git.Repo, month: str, message: str, commit: str | None = None) -> str | None:
    """Tag `backup-YYYY-MM`.

    With `commit` (this run committed): the tag moves there, the last run of the month
    wins. Without: the tag is created on the newest backup commit if it does not exist
    yet, and an existing tag is left where it is.
    """
    name = f"backup-{month}"
    if commit is not None:
        repo.create_tag(name, ref=repo.commit(commit), message=message, force=True)
        return name
    if name in [t.name for t in repo.tags]:
        return name
    target = last_backup_commit(repo)
    if target is None:
        return None
    repo.create_tag(name, ref=target, message=message)
    return name


@dataclass(frozen=True)
class PushResult:
    remote: str
    ok: bool
    detail: str


def push(repo: git.Repo, tags: list[str] | None = None) -> list[PushResult]:
    """Push the current branch (and `tags`) to every configured remote."""
    results = []
    branch = repo.active_branch.name
    for remote in repo.remotes:
        refspecs = [f"refs/heads/{branch}:refs/heads/{branch}"]
        refspecs += [f"+refs/tags/{t}:refs/tags/{t}" for t in tags or []]
        try:
            infos = remote.push(refspecs)
            bad = [i for i in infos if i.flags & i.ERROR]
            results.append(
                PushResult(remote.name, not bad, "; ".join(i.summary.strip() for i in bad) or "ok")
            )
        except git.GitCommandError as exc:
            detail = (exc.stderr or str(exc)).strip().splitlines()
            results.append(PushResult(remote.name, False, detail[-1] if detail else "push failed"))
    return results


# -- reading the last committed state ---------------------------------------------------


def _as_repo(repo: git.Repo | Path | str) -> git.Repo | None:
    if isinstance(repo, git.Repo):
        return repo
    root = Path(repo)
    if not (root / ".git").exists():
        return None
    return git.Repo(root)


@dataclass(frozen=True)
class StoredFile:
    """One committed `<network>/<role>/<HOST>.<suffix>` file."""

    path: str  # relative to the repository, e.g. base/access/YM-BASE-ACC-001.cfg
    host: str
    text: str


def committed_files(
    repo: git.Repo | Path | str, suffix: str = "cfg", ref: str = "HEAD"
) -> list[StoredFile]:
    """Every `<HOST>.<suffix>` file committed at `ref`, sorted by path (empty when none)."""
    r = _as_repo(repo)
    if r is None or not _has_head(r):
        return []
    out: list[StoredFile] = []
    for item in r.commit(ref).tree.traverse():
        if item.type != "blob":  # type: ignore[union-attr]
            continue
        name = PurePosixPath(item.path)  # type: ignore[union-attr]
        if name.suffix == f".{suffix}" and not name.parts[0].startswith("."):
            text = item.data_stream.read().decode("utf-8")  # type: ignore[union-attr]
            out.append(StoredFile(name.as_posix(), name.stem, text))
    return sorted(out, key=lambda f: f.path)


def read_all_committed(
    repo: git.Repo | Path | str, suffix: str = "cfg", ref: str = "HEAD"
) -> dict[str, str]:
    """{host: text} of every `<HOST>.<suffix>` file committed at `ref` (empty when none)."""
    return {f.host: f.text for f in committed_files(repo, suffix, ref)}


def read_committed(
    repo: git.Repo | Path | str, host: str, suffix: str = "cfg", ref: str = "HEAD"
) -> str | None:
    """The last committed `<HOST>.<suffix>` of `host`, wherever it lives in the tree; None if never."""
    r = _as_repo(repo)
    if r is None or not _has_head(r):
        return None
    want = f"{host}.{suffix}"
    for item in r.commit(ref).tree.traverse():
        if item.type == "blob" and PurePosixPath(item.path).name == want:  # type: ignore[union-attr]
            return item.data_stream.read().decode("utf-8")  # type: ignore[union-attr]
    return None
