"""`netsteward backup` end to end: Nornir, netmiko and SSH against a private lab.

One module-scoped lab (`fresh_lab`), because these tests change devices and inject
faults. The order matters and is the story of the issue's "Done when": full backup
-> nothing changed -> a change by hand -> faults -> no secret anywhere.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
from pathlib import Path
from typing import Any

import git
import pytest

from netsteward.tasks.platforms import PLATFORMS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HAND_DESCRIPTION = "HAND-CHANGE-E2E-BACKUP"


@pytest.fixture(scope="module")
def state(fresh_lab, tmp_path_factory) -> dict[str, Any]:
    return {"lab": fresh_lab, "repo": tmp_path_factory.mktemp("backup") / "configs", "outputs": []}


def run(state: dict[str, Any], *args: str) -> tuple[int, dict[str, Any]]:
    proc = state["lab"].netsteward("backup", "--repo", str(state["repo"]), "--json", *args)
    state["outputs"].append(proc.stdout + proc.stderr)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def repo(state: dict[str, Any]) -> git.Repo:
    return git.Repo(state["repo"])


def test_full_backup_commits_every_device(state: dict[str, Any]) -> None:
    truth = state["lab"].truth()
    code, summary = run(state, "--date", "2026-11-01", "--tag-month")
    assert code == 0, summary["failed"]
    n = len(truth["devices"])
    assert summary["counts"] == {
        "devices": n,
        "backed_up": n,
        "changed": n,
        "new": n,
        "unchanged": 0,
        "failed": 0,
    }
    r = repo(state)
    assert r.head.commit.hexsha == summary["commit"]
    assert len(list(r.iter_commits())) == 1
    assert summary["tag"] == "backup-2026-11" and r.tags["backup-2026-11"].commit == r.head.commit
    assert r.head.commit.message.startswith(
        f"backup 2026-11-01: {n} of {n} devices backed up, {n} changed"
    )
    files = {Path(p) for p in r.git.ls_files().splitlines()}
    for dev in truth["devices"]:
        assert Path(dev["network"], dev["role"], f"{dev['name']}.cfg") in files
        if dev["platform"] == "brocade_fos":
            assert Path(dev["network"], dev["role"], f"{dev['name']}.zoning") in files
        if dev["platform"] == "fortinet":
            # the console's output mode is what our own netmiko session set (standard):
            # not the device's, and it would flap with concurrent sessions
            text = (state["repo"] / dev["network"] / dev["role"] / f"{dev['name']}.cfg").read_text()
            assert "set output " not in text and "config firewall policy" in text
    assert {d["platform"] for d in truth["devices"]} <= set(PLATFORMS)


def test_second_run_makes_no_commit(state: dict[str, Any]) -> None:
    head = repo(state).head.commit.hexsha
    code, summary = run(state, "--date", "2026-11-02")
    assert code == 0
    assert summary["commit"] is None
    assert summary["counts"]["changed"] == 0
    assert summary["counts"]["unchanged"] == summary["counts"]["devices"]
    assert repo(state).head.commit.hexsha == head


def test_commit_after_a_run_that_died_counts_what_it_holds(
    state: dict[str, Any], tmp_path: Path
) -> None:
    """A run that wrote its files and died before its commit: the next run finds them
    unchanged, and its commit (which adds them) says so, with the right counts."""
    glob = "YM-BASE-ACC-00[123]"
    hosts = sorted(
        d["name"] for d in state["lab"].truth()["devices"] if fnmatch.fnmatch(d["name"], glob)
    )
    assert len(hosts) == 3
    crashed = tmp_path / "configs"
    for path in Path(state["repo"]).glob("*/*/*.cfg"):
        if path.stem in hosts:  # what the dead run left in the work tree, never committed
            target = crashed / path.relative_to(state["repo"])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text())
    git.Repo.init(crashed, initial_branch="main")
    proc = state["lab"].netsteward("backup", "--repo", str(crashed), "--hosts", glob, "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["counts"]["changed"] == 3 and summary["recovered"] == hosts
    commit = git.Repo(crashed).head.commit
    assert sorted(Path(f).stem for f in commit.stats.files) == hosts
    assert commit.message.startswith("backup ") and ", 3 changed, 0 unchanged" in commit.message
    assert "recovered (3), written by an earlier run:" in commit.message


def _huawei_access(state: dict[str, Any]) -> dict[str, Any]:
    truth = state["lab"].truth()
    return next(
        d for d in truth["devices"] if d["platform"] == "huawei_vrp" and d["role"] == "access"
    )


def _bare_interface(config: str) -> str:
    """An interface of the stored config that has no description."""
    blocks = config.split("\n#\n")
    for block in blocks:
        lines = block.strip().splitlines()
        if (
            lines
            and lines[0].startswith("interface GigabitEthernet")
            and not any(ln.strip().startswith("description") for ln in lines)
        ):
            return lines[0].split(None, 1)[1]
    raise AssertionError("no interface without description")


def _ssh_config(state: dict[str, Any], dev: dict[str, Any], commands: list[str]) -> None:
    with state["lab"].ssh(dev["port"]) as conn:
        conn.send_config_set(commands)


def test_change_by_hand_is_exactly_that_line(state: dict[str, Any]) -> None:
    dev = _huawei_access(state)
    rel = f"{dev['network']}/{dev['role']}/{dev['name']}.cfg"
    before = (state["repo"] / rel).read_text()
    port = _bare_interface(before)
    _ssh_config(state, dev, [f"interface {port}", f"description {HAND_DESCRIPTION}"])
    try:
        code, summary = run(state, "--date", "2026-11-03")
        assert code == 0
        assert summary["changed"] == [dev["name"]]
        commit = repo(state).head.commit
        assert commit.hexsha == summary["commit"]
        assert f"changed (1):\n  {dev['name']}" in commit.message
        diff = repo(state).git.diff(
            commit.parents[0].hexsha, commit.hexsha, "--unified=0", "--no-color"
        )
        changed = [
            ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
        ]
        assert changed == [f"+ description {HAND_DESCRIPTION}"]
        # the new line sits in the right interface block
        after = (state["repo"] / rel).read_text()
        block = after.split(f"\ninterface {port}\n", 1)[1].split("\n#\n", 1)[0]
        assert f" description {HAND_DESCRIPTION}" in block.splitlines()
    finally:
        _ssh_config(state, dev, [f"interface {port}", "undo description"])


FAULTS = ("down", "auth", "hang", "truncate", "paging")


def test_faults_keep_previous_files_and_exit_3(state: dict[str, Any]) -> None:
    lab = state["lab"]
    truth = lab.truth()
    by_platform: dict[str, list[dict[str, Any]]] = {}
    for d in truth["devices"]:
        by_platform.setdefault(d["platform"], []).append(d)
    # one faulty device per kind, spread over platforms
    order = [
        "cisco_ios",
        "hp_comware",
        "fortinet",
        "cisco_asa",
        "hillstone_stoneos",
        "brocade_fos",
        "huawei_vrp",
    ]
    victims = {kind: by_platform[order[i % len(order)]][1] for i, kind in enumerate(FAULTS)}
    paths = {
        d["name"]: [p for p in state["repo"].glob(f"{d['network']}/{d['role']}/{d['name']}.*")]
        for d in victims.values()
    }
    before = {p: p.read_bytes() for ps in paths.values() for p in ps}
    # and one real change elsewhere, which must still be committed
    dev = _huawei_access(state)
    port = _bare_interface(
        (state["repo"] / f"{dev['network']}/{dev['role']}/{dev['name']}.cfg").read_text()
    )
    _ssh_config(state, dev, [f"interface {port}", f"description {HAND_DESCRIPTION}-2"])
    for kind, d in victims.items():
        lab.cli("fault", d["name"], kind, check=True)
    try:
        code, summary = run(state, "--date", "2026-11-04", "--timeout", "20", "--retries", "1")
    finally:
        for d in victims.values():
            lab.cli("fault", d["name"], "clear", check=True)
        _ssh_config(state, dev, [f"interface {port}", "undo description"])
    assert code == 3
    failed = {f["host"]: f for f in summary["failed"]}
    assert set(failed) == {d["name"] for d in victims.values()}
    expected_kind = {
        "down": "unreachable",
        "auth": "auth",
        "hang": "timeout",
        "truncate": "incomplete",
        "paging": "paging",
    }
    for kind, d in victims.items():
        assert failed[d["name"]]["failure"] == expected_kind[kind], (kind, failed[d["name"]])
        assert failed[d["name"]]["reason"]
    assert {p: p.read_bytes() for p in before} == before
    assert summary["changed"] == [dev["name"]]
    commit = repo(state).head.commit
    assert commit.hexsha == summary["commit"]
    for d in victims.values():
        assert f"  {d['name']}: {failed[d['name']]['failure']}: " in commit.message
    assert summary["counts"]["backed_up"] == summary["counts"]["devices"] - len(FAULTS)


def leaked(secrets: list[str], text: str) -> list[str]:
    """The secrets that occur anywhere in `text`, in one pass over its words.

    `secret in text` for each of the lab's ~7,800 secrets over a history of ~20 MB took
    157 s (a regex of them all, longer still). A secret without white space lies inside
    one word: each distinct long word is looked up by its 14-character pieces (no secret is
    shorter, checked here), and only a word holding such a piece is searched in full.
    """
    shortest = min(map(len, secrets))
    assert shortest >= 14
    spaced = [s for s in secrets if any(c.isspace() for c in s)]
    heads: dict[str, list[str]] = {}
    for s in secrets:
        if s not in spaced:
            heads.setdefault(s[:14], []).append(s)
    found = {s for s in spaced if s in text}
    for word in set(text.split()):
        for i in range(len(word) - 13):
            for s in heads.get(word[i : i + 14], ()):
                if word.startswith(s, i):
                    found.add(s)
    return sorted(found)


def test_the_leak_search_finds_what_plain_search_finds(state: dict[str, Any]) -> None:
    secrets = [s["value"] for s in state["lab"].truth()["secrets"]]
    spaced = next(s for s in secrets if " " in s)
    plain = next(s for s in secrets if " " not in s)
    text = f"x\n  key {plain}\n  a{plain[:-1]} {spaced}!\n"
    assert leaked(secrets, text) == sorted([plain, spaced])
    assert leaked(secrets, text.replace(plain, plain[:-1])) == [spaced]


def test_no_planted_secret_in_history_logs_or_terminal(state: dict[str, Any]) -> None:
    secrets = [s["value"] for s in state["lab"].truth()["secrets"]]
    assert secrets
    history = subprocess.run(
        ["git", "-C", str(state["repo"]), "log", "--all", "-p", "--format=%H%n%B"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(history) > 100_000
    assert leaked(secrets, history) == []
    terminal = "\n".join(state["outputs"])
    assert leaked(secrets, terminal) == []
