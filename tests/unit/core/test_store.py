"""The backup repository layer: atomic writes, one commit per run, no empty commits, backup
commits found by their prefix, moved devices cleaned up, monthly tag, push, reads at revisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import git
import pytest

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.store import BackupStore

WHEN = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> BackupStore:
    return BackupStore.open(tmp_path / "configs")


def _repo(store: BackupStore) -> git.Repo:
    assert store.repo is not None
    return store.repo


def test_first_run_creates_the_repository_and_commits_once(store: BackupStore) -> None:
    files = [("base/access/SW-1.cfg", "a\n"), ("san/fc_switch/FC-1.zoning", "z\n")]
    done = store.commit_backups(files, "backup 2026-11-01: 2 of 2\n\nbody\n", WHEN)
    repo = _repo(store)
    assert done.written == ("base/access/SW-1.cfg", "san/fc_switch/FC-1.zoning")
    assert done.sha == repo.head.commit.hexsha
    assert repo.head.commit.authored_datetime == WHEN
    assert repo.active_branch.name == "main"
    assert sorted(repo.git.ls_files().splitlines()) == [
        ".gitignore",
        "base/access/SW-1.cfg",
        "san/fc_switch/FC-1.zoning",
    ]
    assert not list(store.root.rglob("*.tmp"))


def test_nothing_changed_means_no_commit(store: BackupStore) -> None:
    store.commit_backups([("a/b/X.cfg", "1\n")], "backup first")
    head = _repo(store).head.commit.hexsha
    again = store.commit_backups([("a/b/X.cfg", "1\n")], "backup second")
    assert again.sha is None and again.written == ()
    assert _repo(store).head.commit.hexsha == head


def test_only_the_given_paths_are_committed(store: BackupStore) -> None:
    (store.root / "stray.txt").write_text("not ours\n")
    store.commit_backups([("a/b/X.cfg", "1\n")], "backup first")
    assert "stray.txt" not in _repo(store).git.ls_files().splitlines()


def test_a_file_written_by_a_run_that_died_is_committed_by_the_next(store: BackupStore) -> None:
    store.write([("a/b/X.cfg", "1\n")])  # written, never committed
    done = store.commit_backups([("a/b/X.cfg", "1\n")], "backup next")
    assert done.sha is not None and done.written == ()
    assert _repo(store).git.ls_files("*.cfg").splitlines() == ["a/b/X.cfg"]


def test_commits_with_backups_and_without_are_told_apart(store: BackupStore) -> None:
    with pytest.raises(ValueError, match="must start with 'backup '"):
        store.commit_backups([("a/b/X.cfg", "1\n")], "drift accept: X")
    with pytest.raises(ValueError, match="only commits with backups"):
        store.commit_files([("topology/2026-11-02.json", "{}\n")], "backup of nothing")


def test_reads_at_revisions_and_in_the_work_tree(store: BackupStore) -> None:
    assert store.configs() == {}
    first = store.commit_backups([("a/b/X.cfg", "1\n"), ("c/d/Y.cfg", "2\n")], "backup 1").sha
    (store.root / "a/b/X.cfg").write_text("uncommitted\n")
    assert store.configs() == {"X": "1\n", "Y": "2\n"}
    assert store.configs(ref=None) == {"X": "uncommitted\n", "Y": "2\n"}
    assert store.work_files(["a/b/X.cfg", "a/b/Z.cfg"]) == {
        "a/b/X.cfg": "uncommitted\n",
        "a/b/Z.cfg": None,
    }
    store.commit_files([("topology/2026-11-02.json", "{}\n")], "topology snapshot 2026-11-02")
    assert store.snapshots() == ["topology/2026-11-02.json"]
    assert store.snapshots("HEAD") == ["topology/2026-11-02.json"]
    assert store.snapshots(first) == []
    assert store.read("topology/2026-11-02.json", "HEAD") == "{}\n"
    assert store.read("topology/2026-11-02.json", first) is None
    assert store.parent("HEAD") == first
    assert store.revision(first).subject == "backup 1"
    with pytest.raises(BadInput, match="no such revision 'nope'"):
        store.revision("nope")


def test_a_folder_that_is_not_a_repository_is_read_as_files(tmp_path: Path) -> None:
    (tmp_path / "base" / "firewall").mkdir(parents=True)
    (tmp_path / "base" / "firewall" / "FW-1.cfg").write_text("x\n")
    store = BackupStore.at(tmp_path)
    assert not store.is_git
    assert store.configs() == {"FW-1": "x\n"}
    assert BackupStore.at(tmp_path / "absent").configs() == {}
    (tmp_path / "file").write_text("")
    with pytest.raises(BadInput, match="is a file, not a folder"):
        BackupStore.at(tmp_path / "file")
    with pytest.raises(BadInput, match="does not exist"):
        BackupStore.open(tmp_path / "absent", create=False)


def test_month_tag_moves_to_the_last_run(store: BackupStore) -> None:
    first = store.commit_backups([("a/b/X.cfg", "1\n")], "backup 1").sha
    assert store.tag_month("2026-11", "m", first) == "backup-2026-11"
    second = store.commit_backups([("a/b/X.cfg", "2\n")], "backup 2").sha
    store.tag_month("2026-11", "m", second)
    assert _repo(store).tags["backup-2026-11"].commit.hexsha == second


def test_month_tag_without_a_commit_stays_on_a_backup_commit(store: BackupStore) -> None:
    backup = store.commit_backups([("a/b/X.cfg", "1\n")], "backup 2026-11-01: 1 of 1").sha
    # another job commits into the same repository afterwards
    store.commit_files([("topology/2026-11-02.json", "{}\n")], "topology snapshot")
    assert store.tag_month("2026-11", "m") == "backup-2026-11"
    assert _repo(store).tags["backup-2026-11"].commit.hexsha == backup
    store.tag_month("2026-11", "m")  # a later no-change run leaves it there
    assert _repo(store).tags["backup-2026-11"].commit.hexsha == backup


def test_push_to_a_configured_remote(store: BackupStore, tmp_path: Path) -> None:
    remote = git.Repo.init(tmp_path / "remote.git", bare=True)
    _repo(store).create_remote("origin", str(tmp_path / "remote.git"))
    sha = store.commit_backups([("a/b/X.cfg", "1\n")], "backup first").sha
    tag = store.tag_month("2026-11", "m", sha)
    assert tag is not None
    results = store.push([tag])
    assert [(r.remote, r.ok) for r in results] == [("origin", True)]
    assert remote.commit("main").hexsha == _repo(store).head.commit.hexsha
    assert "backup-2026-11" in [t.name for t in remote.tags]


def test_paths_outside_the_repository_are_refused(store: BackupStore) -> None:
    for bad in ("../x.cfg", "/etc/x.cfg"):
        with pytest.raises(BadInput):
            store.write([(bad, "x\n")])


def test_one_writer_at_a_time(store: BackupStore) -> None:
    other = BackupStore.open(store.root)
    with (
        store.writing(),
        pytest.raises(BadInput, match="another netsteward run is writing"),
        other.writing(wait=0.3),
    ):
        pass
    with store.writing(), store.writing():  # re-entrant within one store
        pass
    with other.writing(wait=0.3):
        pass


def test_a_device_that_moved_keeps_one_file(store: BackupStore) -> None:
    store.commit_backups([("base/access/X.cfg", "1\n")], "backup first")
    done = store.commit_backups([("device_net/access/X.cfg", "1\n")], "backup moved")
    assert done.moved == ("base/access/X.cfg",)
    assert _repo(store).git.ls_files("*.cfg").splitlines() == ["device_net/access/X.cfg"]
    assert not (store.root / "base/access/X.cfg").exists()
    assert store.commit_backups([("device_net/access/X.cfg", "1\n")], "backup again").moved == ()


def test_every_job_that_commits_backups_is_found_as_the_last_backup(store: BackupStore) -> None:
    """drift accept and normalize apply commit backups too: the last-backup lookup (the monthly
    tag, the approved state) must find them, and they clean up a moved device like the backup."""
    from netsteward.tasks.drift.accept import accept_message

    store.commit_backups([("base/access/X.cfg", "1\n")], "backup 2026-11-01: 1 of 1")
    store.commit_files([("topology/2026-11-02.json", "{}\n")], "topology snapshot 2026-11-02")
    message = accept_message(["X"], "approved change 4711", user="li.wei")
    assert message.startswith("backup (drift accept): X\n")
    accepted = store.commit_backups([("device_net/access/X.cfg", "2\n")], message)
    last = store.last_backup_commit()
    assert last is not None and last.hexsha == accepted.sha
    assert _repo(store).git.ls_files("*.cfg").splitlines() == ["device_net/access/X.cfg"]


def test_unchanged_backups_are_staged_without_being_rewritten(store: BackupStore) -> None:
    store.commit_backups([("a/b/X.cfg", "1\n"), ("a/b/Y.cfg", "2\n")], "backup 1")
    store.write([("c/d/Z.cfg", "3\n")])  # a run that died before its commit wrote this
    done = store.commit_backups(
        [("a/b/X.cfg", "1 changed\n")], "backup 2", unchanged=["a/b/Y.cfg", "c/d/Z.cfg"]
    )
    assert done.written == ("a/b/X.cfg",)
    assert _repo(store).git.ls_files("*.cfg").splitlines() == [
        "a/b/X.cfg",
        "a/b/Y.cfg",
        "c/d/Z.cfg",
    ]


def test_the_message_is_written_from_what_the_commit_holds(store: BackupStore) -> None:
    """After a run that died before its commit, the next commit's message counts what the
    commit really adds (it once said "0 changed" on a commit adding 334 files)."""
    store.commit_backups([("a/b/X.cfg", "1\n")], "backup first")
    store.write([("a/b/Y.cfg", "2\n"), ("a/b/Z.cfg", "3\n"), ("a/b/X.cfg", "1b\n")])  # died here
    seen = []

    def message(staged) -> str:
        seen.append(staged)
        return f"backup next: {len(staged.added)} new, {len(staged.modified)} changed"

    same = ["a/b/X.cfg", "a/b/Y.cfg", "a/b/Z.cfg"]  # this run found them equal to the work tree
    done = store.commit_backups([], message, unchanged=same)
    assert seen == [done.staged]
    assert done.staged.added == ("a/b/Y.cfg", "a/b/Z.cfg")
    assert done.staged.modified == ("a/b/X.cfg",)
    assert _repo(store).head.commit.message == "backup next: 2 new, 1 changed"
    again = store.commit_backups([], message, unchanged=same)
    assert again.sha is None and len(seen) == 1  # nothing to commit: no message written


def test_a_message_function_keeps_the_prefix_rule(store: BackupStore) -> None:
    with pytest.raises(ValueError, match="must start with 'backup '"):
        store.commit_backups([("a/b/X.cfg", "1\n")], lambda staged: "drift accept: X")
