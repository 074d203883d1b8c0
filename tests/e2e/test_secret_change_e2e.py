"""A password change on a lab device: a changed line in the next backup commit and in the
drift check, and its value nowhere (repository, stdout, stderr).

With `NETSTEWARD_SECRET_KEY` set, secrets are masked as `<removed:hmac-...>` (a keyed
fingerprint); the lab, like a real device, replaces the user's password line. One device
(`--hosts`), on the session's lab; the password line is typed back at the end.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NEW_PASSWORD = "Changed-E2E-Pa55w0rd"
KEY = "e2e-only-fingerprint-key"


def _device(lab: Any) -> dict[str, Any]:
    return next(
        d for d in lab.truth()["devices"] if d["platform"] == "huawei_vrp" and d["role"] == "access"
    )


def _configure(lab: Any, dev: dict[str, Any], lines: list[str]) -> None:
    with lab.ssh(dev["port"]) as conn:
        conn.send_config_set(lines)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def test_password_change_is_a_changed_line_without_its_value(
    lab: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETSTEWARD_SECRET_KEY", KEY)
    dev = _device(lab)
    repo = tmp_path / "configs"
    outputs: list[str] = []

    def netsteward(*args: str) -> subprocess.CompletedProcess[str]:
        proc = lab.netsteward(*args, "--hosts", dev["name"], "--repo", str(repo), "--json")
        outputs.append(proc.stdout + proc.stderr)
        return proc

    first = netsteward("backup")
    assert first.returncode == 0, first.stderr
    rel = f"{dev['network']}/{dev['role']}/{dev['name']}.cfg"
    stored = (repo / rel).read_text()
    found = re.search(
        r"^ local-user (\S+) password irreversible-cipher (<removed:hmac-\w+>)$", stored, re.M
    )
    assert found, "the stored password line carries a fingerprint"
    user, before_marker = found[1], found[2]
    old_line = _live_password_line(lab, dev, user)
    _configure(lab, dev, ["aaa", f"local-user {user} password irreversible-cipher {NEW_PASSWORD}"])
    try:
        drift = netsteward("drift")
        assert drift.returncode == 1, drift.stderr
        report = json.loads(drift.stdout)
        config = [r for r in report["drift"] if r["check"] == "config"]
        assert len(config) == 1
        diff = config[0]["diff"]
        changed = [
            ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")
        ]
        assert changed == [
            f"- local-user {user} password irreversible-cipher {before_marker}",
            changed[1],
        ]
        assert (
            re.fullmatch(
                rf"\+ local-user {user} password irreversible-cipher <removed:hmac-[0-9a-f]{{12}}>",
                changed[1],
            )
            and before_marker not in changed[1]
        )

        second = netsteward("backup")
        assert second.returncode == 0, second.stderr
        assert json.loads(second.stdout)["counts"]["changed"] == 1
        diff = _git(repo, "diff", "HEAD~1", "HEAD", "--unified=0", "--no-color")
        lines = [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
        assert lines == [
            f"- local-user {user} password irreversible-cipher {before_marker}",
            changed[1],
        ]
        assert "changed (1):" in _git(repo, "log", "-1", "--format=%B")
        history = _git(repo, "log", "--all", "-p")
        assert NEW_PASSWORD not in history and NEW_PASSWORD not in "\n".join(outputs)
    finally:
        _configure(lab, dev, ["aaa", old_line])
    assert _live_password_line(lab, dev, user) == old_line


def _live_password_line(lab: Any, dev: dict[str, Any], user: str) -> str:
    with lab.ssh(dev["port"]) as conn:
        text = conn.send_command("display current-configuration")
    found = re.search(rf"^ (local-user {user} password .*)$", str(text), re.M)
    assert found
    return found[1].rstrip()
