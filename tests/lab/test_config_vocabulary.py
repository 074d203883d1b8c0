"""The lab refuses configuration lines with a command word the platform does not know,
as a real device does, and stores nothing (lab/dialects/vocabulary.py)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import OfflineLab
from labtest import connect, pick, running_config

from netsteward.lab.dialects.vocabulary import CONFIG_WORDS, unknown_word
from netsteward.lab.engine.state import LabState

# platform -> (role, lines into a configuration mode, the vendor's unknown-command error)
CASES = {
    "huawei_vrp": (
        "access",
        ("system-view", "interface GigabitEthernet0/0/5"),
        "Error: Unrecognized command found at '^' position.",
    ),
    "hp_comware": (
        "access",
        ("system-view", "interface GigabitEthernet1/0/5"),
        " % Unrecognized command found at '^' position.",
    ),
    "cisco_ios": (
        "access",
        ("configure terminal", "interface GigabitEthernet1/0/5"),
        "% Invalid input detected at '^' marker.",
    ),
    "cisco_asa": (
        "firewall",
        ("configure terminal",),
        "ERROR: % Invalid input detected at '^' marker.",
    ),
    "hillstone_stoneos": ("firewall", ("configure",), "^-----unrecognized keyword descripton"),
}
NEGATE = {"huawei_vrp": "undo", "hp_comware": "undo"}


@pytest.mark.parametrize("platform", sorted(CASES))
@pytest.mark.parametrize("negated", [False, True])
def test_a_mistyped_command_word_is_refused_with_the_caret(
    offline_lab: Any, platform: str, negated: bool
) -> None:
    role, mode_lines, error = CASES[platform]
    host = offline_lab.first(platform, role)
    before = running_config(offline_lab, host)
    line = ("undo " if platform in NEGATE else "no ") * negated + "descripton TO-NOWHERE"
    text = offline_lab.run(host, line, mode_lines)
    lines = text.splitlines()
    caret = lines[0]  # StoneOS prints its message on the caret's line
    message = lines[1] if len(lines) > 1 and lines[1].strip() else caret.strip()
    assert message == error, text
    assert caret.index("^") > line.index("descripton")  # under the word, after the prompt
    assert running_config(offline_lab, host) == before


def test_the_caret_stands_under_the_word_after_the_prompt(offline_lab: Any) -> None:
    host = offline_lab.first("huawei_vrp", "access")
    text = offline_lab.run(host, "undo  stpp edged-port enable", ("system-view",))
    caret = text.splitlines()[0]
    assert caret.index("^") == len(f"[{host}]") + len("undo  ")


@pytest.mark.parametrize("platform", sorted(CONFIG_WORDS))
def test_the_fleets_own_configurations_are_accepted(offline_lab: Any, platform: str) -> None:
    """Every line of every generated configuration starts with a word the platform knows,
    so a configuration pasted back into the lab is taken as a whole."""
    negate = NEGATE.get(platform, "no")
    unknown = {
        line.split()[0]
        for d in offline_lab.state.fleet.devices
        if d.platform == platform
        for line in d.config.splitlines()
        if line.strip()
        and not line.lstrip().startswith(("#", "!", ":", "return", "ASA Version"))
        and not re.fullmatch(r"\s*[0-9A-F]{8}( [0-9A-F]{8})*\s*", line)  # key material
        and unknown_word(platform, line, negate) is not None
    }
    assert not unknown


def test_a_pushed_typo_is_an_error_for_netmiko(lab: Any) -> None:
    """Over SSH: netmiko's send_config_set with an error pattern raises on the refused
    line, and the device keeps its configuration."""
    from netmiko.exceptions import ConfigInvalidException

    host = pick(lab, "huawei_vrp", "access", nth=3)
    conn = connect(lab, host)
    try:
        before = conn.send_command("display current-configuration interface GigabitEthernet0/0/7")
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(
                ["interface GigabitEthernet0/0/7", "descripton TYPO"],
                error_pattern=r"Error: Unrecognized command",
            )
        after = conn.send_command("display current-configuration interface GigabitEthernet0/0/7")
    finally:
        conn.disconnect()
    assert after == before and "TYPO" not in after


@pytest.mark.parametrize(
    ("platform", "role"), [("huawei_vrp", "core"), ("hp_comware", "aggregation")]
)
def test_an_undone_section_leaves_no_separator_behind(
    offline_lab: Any, tmp_path: Path, platform: str, role: str
) -> None:
    # devices as generated, not as the session's other tests left them (their undo lines
    # are checked with `labtest.running_config`, which ignores separators)
    offline_lab = OfflineLab(LabState(offline_lab.state.fleet, tmp_path, 10001))
    host = offline_lab.first(platform, role)

    def shown() -> list[str]:  # without the header (`!Last configuration was updated at`)
        text = offline_lab.run(host, "display current-configuration")
        return [x for x in text.splitlines() if not x.startswith("!")]

    before = shown()
    offline_lab.run(host, "route-distinguisher 65010:9", ("system-view", "ip vpn-instance ZZ"))
    offline_lab.run(host, "undo ip vpn-instance ZZ", ("system-view",))
    after = shown()
    assert after == before
    assert not any(a == b == "#" for a, b in itertools.pairwise(after))


def test_an_access_list_line_is_taken_away_with_no_in_configuration_mode(
    offline_lab: Any,
) -> None:
    """`no access-list ...` in configuration mode removes the entry (the exec command
    `no terminal pager` does not catch the word `no`)."""
    host = offline_lab.first("cisco_asa", "firewall")
    before = running_config(offline_lab, host)
    ace = "access-list OUTSIDE_IN extended permit tcp any host 10.99.99.99 eq 3389"
    offline_lab.run(host, ace.replace("OUTSIDE_IN", "OUTSIDE_IN line 1"), ("configure terminal",))
    assert ace in running_config(offline_lab, host)
    text = offline_lab.run(host, f"no {ace}", ("configure terminal",))
    assert "ERROR" not in text, text
    assert running_config(offline_lab, host) == before
    assert offline_lab.run(host, "no terminal pager") == ""
