"""A changed password replaces its line, as on a real device (it never adds a second one).

`local-user admin password ...` on VRP, `password hash ...` in a Comware `local-user`
view, `username admin ... secret ...` on IOS, `username admin password ...` on the ASA:
typed again with a new value, the running configuration holds one line for that user,
with the new value. (Before, the lab appended the second line, so a password change
looked like a new user in the backup.)
"""

from __future__ import annotations

import re

import pytest

from netsteward.lab.engine.state import LabState, load_fleet

RUNNING = {
    "huawei_vrp": "display current-configuration",
    "hp_comware": "display current-configuration",
    "cisco_ios": "show running-config",
    "cisco_asa": "more system:running-config",
}
NEW = "N3w-Lab-Pa55"


def _user(pattern: str, config: str) -> str:
    found = re.search(pattern, config, re.M)
    assert found, f"a local user ({pattern})"
    return found[1]


def _case(platform: str, config: str) -> tuple[list[str], str]:
    """(lines that change one user's password, the regex of that user's password lines)."""
    if platform == "huawei_vrp":
        user = _user(r"^ local-user (\S+) password ", config)
        return (
            ["system-view", "aaa", f"local-user {user} password irreversible-cipher {NEW}"],
            rf"^ local-user {user} password ",
        )
    if platform == "hp_comware":
        user = _user(r"^local-user (\S+) class manage$", config)
        return (
            ["system-view", f"local-user {user} class manage", f"password simple {NEW}"],
            r"^ password (hash|cipher|simple) ",
        )
    if platform == "cisco_ios":
        user = _user(r"^username (\S+) privilege 15 secret ", config)
        return (
            ["enable", "configure terminal", f"username {user} privilege 15 secret 0 {NEW}"],
            rf"^username {user} ",
        )
    user = _user(r"^username (\S+) password ", config)
    return (
        ["enable", "configure terminal", f"username {user} password {NEW} privilege 15"],
        rf"^username {user} password ",
    )


@pytest.fixture(scope="module")
def own_lab(offline_lab, tmp_path_factory):
    """A lab of its own, on a fleet of its own (the session's fleet is shared and never
    changed): these tests change passwords and do not change them back."""
    fleet = load_fleet(2026)
    return type(offline_lab)(LabState(fleet, tmp_path_factory.mktemp("secrets_lab"), 10001))


@pytest.mark.parametrize(
    ("platform", "role"),
    [
        ("huawei_vrp", "access"),
        ("hp_comware", "access"),
        ("cisco_ios", "access"),
        ("cisco_asa", "firewall"),
    ],
)
def test_a_new_password_replaces_the_old_line(own_lab, platform: str, role: str) -> None:
    host = own_lab.first(platform, role)
    before = own_lab.run(host, RUNNING[platform])
    lines, pattern = _case(platform, before)
    old = [ln for ln in before.splitlines() if re.search(pattern, ln)]
    assert old, f"{host} has a password line to change"
    own_lab.run(host, lines[-1], tuple(lines[:-1]))
    after = own_lab.run(host, RUNNING[platform])
    new = [ln for ln in after.splitlines() if re.search(pattern, ln)]
    assert len(new) == len(old), new
    if platform != "cisco_asa":
        assert sum(NEW in ln for ln in new) == 1
    assert len(set(new) - set(old)) == 1  # one line changed (the ASA stores a hash of NEW)
    assert len(after.splitlines()) == len(before.splitlines())
