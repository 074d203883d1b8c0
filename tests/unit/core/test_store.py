"""The backup repository: atomic writes, one commit per run, no empty commits, monthly tag, push, read back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import git
import pytest

from netsteward.tasks.core import store as gitstore
from netsteward.tasks.core.errors import BadInput

WHEN = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> tuple[git.Repo, Path]:
    root = tmp_path / "configs"
    return gitstore.open_store(root), root


def test_first_run_creates_the_repository_and_commits_once(store) -> None:
    repo, root = store
    written = gitstore.write_files(
        root, [("base/access/SW-1.cfg", "a\n"), ("san/fc_switch/FC-1.zoning", "z\n")]
    )
    assert written == ["base/access/SW-1.cfg", "san/fc_switch/FC-1.zoning"]
    sha = gitstore.commit_run(repo, written, "backup 2026-11-01: 2 of 2\n\nbody\n", WHEN)
    assert sha == repo.head.commit.hexsha
    assert repo.head.commit.authored_datetime == WHEN
    assert repo.active_branch.name == "main"
    assert sorted(repo.git.ls_files().splitlines()) == [
        ".gitignore",
        "base/access/SW-1.cfg",
        "san/fc_switch/FC-1.zoning",
    ]
    assert not list(root.rglob("*.tmp"))


def test_nothing_changed_means_no_commit(store) -> None:
    repo, root = store
    gitstore.commit_run(repo, gitstore.write_files(root, [("a/b/X.cfg", "1\n")]), "first")
    head = repo.head.commit.hexsha
    assert gitstore.write_files(root, [("a/b/X.cfg", "1\n")]) == []
    assert gitstore.commit_run(repo, [], "second") is None
    assert repo.head.commit.hexsha == head


def test_only_the_given_paths_are_committed(store) -> None:
    repo, root = store
    (root / "stray.txt").write_text("not ours\n")
    gitstore.commit_run(repo, gitstore.write_files(root, [("a/b/X.cfg", "1\n")]), "first")
    assert "stray.txt" not in repo.git.ls_files().splitlines()


def test_read_committed_finds_the_host_anywhere(store) -> None:
    repo, root = store
    assert gitstore.read_committed(root, "X") is None
    gitstore.commit_run(
        repo, gitstore.write_files(root, [("a/b/X.cfg", "1\n"), ("c/d/Y.cfg", "2\n")]), "first"
    )
    (root / "a/b/X.cfg").write_text("uncommitted\n")
    assert gitstore.read_committed(root, "X") == "1\n"
    assert gitstore.read_committed(repo, "Y") == "2\n"
    assert gitstore.read_committed(root, "Z") is None
    assert gitstore.read_all_committed(root) == {"X": "1\n", "Y": "2\n"}
    assert gitstore.read_committed(root.parent / "nowhere", "X") is None


def test_month_tag_moves_to_the_last_run(store) -> None:
    repo, root = store
    first = gitstore.commit_run(
        repo, gitstore.write_files(root, [("a/b/X.cfg", "1\n")]), "backup 1"
    )
    assert gitstore.tag_month(repo, "2026-11", "m", first) == "backup-2026-11"
    second = gitstore.commit_run(
        repo, gitstore.write_files(root, [("a/b/X.cfg", "2\n")]), "backup 2"
    )
    gitstore.tag_month(repo, "2026-11", "m", second)
    assert repo.tags["backup-2026-11"].commit.hexsha == second


def test_month_tag_without_a_commit_stays_on_a_backup_commit(store) -> None:
    repo, root = store
    files = gitstore.write_files(root, [("a/b/X.cfg", "1\n")])
    backup = gitstore.commit_run(repo, files, "backup 2026-11-01: 1 of 1")
    # another job commits into the same repository afterwards
    files = gitstore.write_files(root, [("topology/2026-11-02.json", "{}\n")])
    gitstore.commit_run(repo, files, "topology snapshot")
    assert gitstore.tag_month(repo, "2026-11", "m") == "backup-2026-11"
    assert repo.tags["backup-2026-11"].commit.hexsha == backup
    gitstore.tag_month(repo, "2026-11", "m")  # a later no-change run leaves it there
    assert repo.tags["backup-2026-11"].commit.hexsha == backup


def test_push_to_a_configured_remote(store, tmp_path: Path) -> None:
    repo, root = store
    remote = git.Repo.init(tmp_path / "remote.git", bare=True)
    repo.create_remote("origin", str(tmp_path / "remote.git"))
    sha = gitstore.commit_run(repo, gitstore.write_files(root, [("a/b/X.cfg", "1\n")]), "first")
    tag = gitstore.tag_month(repo, "2026-11", "m", sha)
    results = gitstore.push(repo, [tag])
    assert [(r.remote, r.ok) for r in results] == [("origin", True)]
    assert remote.commit("main").hexsha == repo.head.commit.hexsha
    assert "backup-2026-11" in [t.name for t in remote.tags]


def test_paths_outside_the_repository_are_refused(store) -> None:
    _, root = store
    for bad in ("../x.cfg", "/etc/x.cfg"):
        with pytest.raises(BadInput):
            gitstore.write_files(root, [(bad, "x\n")])


def test_one_writer_at_a_time(store) -> None:
    repo, _ = store
    with (
        gitstore.locked(repo),
        pytest.raises(BadInput, match="another netsteward run is writing"),
        gitstore.locked(repo, wait=0.3),
    ):
        pass
    with gitstore.locked(repo, wait=0.3):
        pass


def test_a_device_that_moved_keeps_one_file(store) -> None:
    repo, root = store
    gitstore.commit_run(repo, gitstore.write_files(root, [("base/access/X.cfg", "1\n")]), "first")
    written = gitstore.write_files(root, [("device_net/access/X.cfg", "1\n")])
    assert gitstore.remove_moved(repo, written) == ["base/access/X.cfg"]
    gitstore.commit_run(repo, written, "moved")
    assert repo.git.ls_files("*.cfg").splitlines() == ["device_net/access/X.cfg"]
    assert not (root / "base/access/X.cfg").exists()
    assert gitstore.remove_moved(repo, written) == []
