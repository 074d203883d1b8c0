"""Neighbour names are untrusted: hostile LLDP names through the port plan, every platform.

Each configurable platform's golden access case is planned again with its neighbours
renamed to hostile names (control characters, newlines, 300 characters, CJK, HTML, an
attempt to end configuration mode and reboot). Whatever the name, the plan's lines are
the benign plan's lines with only the description text differing; every description is
one printable line without the vendor's forbidden characters, within the vendor's
limit counted in its own unit, cut at a character boundary.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.plan import Device, Link, PeerIndex, clean_description, plan_device
from netsteward.tasks.ports.policy import load_policy

ROOT = Path(__file__).resolve().parents[3]
POLICY = load_policy(ROOT / "policy" / "ports.yaml")
CASES = {p: ROOT / "tests" / "golden" / p / "normalize_access.raw" for p in POLICY.platforms}

HOSTILE = {
    "newline_commands": "EVIL\nreturn\nreboot",
    "crlf_quit": "EVIL\r\nquit\r\nundo stp bpdu-protection",
    "control": "A\x00B\x08C\x1bD\x1aE\x7fF",
    "escape_sequence": "\x1b[2J\x1b]0;owned\x07SW",
    "long": "S" * 300,
    "cjk_long": "财务科接入交换机" * 40,
    "html": '<svg onload=alert(1)>"&amp;',
    "unicode_separators": "A\u2028B\u2029C\u0085D\u202eE\u3000F",
    "question_mark": "why?not",
}


def load_case(raw: Path) -> tuple[Device, str, list[Link], PeerIndex]:
    """A golden case as tests/unit/ports/test_normalize_golden.py reads it."""
    spec = yaml.safe_load(raw.with_suffix(".input.yaml").read_text())
    peers = PeerIndex(platforms=dict(spec["peers"]["platforms"]))
    for host, port, lag in spec["peers"]["lags"]:
        peers.lags[(host, canonical_name(peers.platforms[host], port))] = lag
    links = [Link(**lk) for lk in spec["links"]]
    return Device(**spec["device"]), raw.read_text(), links, peers


def _inventory(links: list[Link], peers: PeerIndex) -> PeerIndex:
    """The neighbours as inventory devices: only links to those are uplinks (the loop rule),
    so a name must be in the inventory to reach a description at all; the port text of an
    inventory neighbour still comes from the device."""
    platforms = {lk.peer: next(iter(peers.platforms.values()), "huawei_vrp") for lk in links}
    return PeerIndex(platforms=platforms)


def _commands_without_descriptions(commands: list[str]) -> list[str]:
    return [c for c in commands if not c.startswith("description ")]


def _check_description(body: str, platform: str) -> None:
    syntax = POLICY.platforms[platform]
    unit = load_platform(platform).description_length
    assert body.isprintable(), body
    assert not re.search(syntax.description_forbidden, body), body
    size = len(body.encode("utf-8")) if unit == "bytes" else len(body)
    assert 0 < size <= syntax.description_max_length


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
@pytest.mark.parametrize("platform", list(CASES), ids=list(CASES))
def test_hostile_neighbour_names_stay_one_description(platform: str, name: str) -> None:
    device, text, links, peers = load_case(CASES[platform])
    plain = [replace(lk, peer="Q" + lk.peer, peer_port=lk.peer_port + "Q") for lk in links]
    benign = plan_device(device, text, plain, POLICY, _inventory(plain, peers))
    hostile = HOSTILE[name]
    renamed = [
        replace(lk, peer=hostile + lk.peer, peer_port=lk.peer_port + hostile) for lk in links
    ]
    plan = plan_device(device, text, renamed, POLICY, _inventory(renamed, peers))
    descriptions = [c for c in plan.commands if c.startswith("description ")]
    assert descriptions, "the renamed neighbours are described"
    for line in [*plan.commands, *plan.rollback]:
        assert "\n" not in line and "\r" not in line and line.isprintable(), line
    for line in descriptions:
        _check_description(line[len("description ") :], platform)
    # the hostile text changes description text only, never which lines are sent
    assert _commands_without_descriptions(plan.commands) == _commands_without_descriptions(
        benign.commands
    )


@pytest.mark.parametrize("platform", list(CASES), ids=list(CASES))
def test_newline_in_a_name_never_becomes_a_command(platform: str) -> None:
    device, text, links, peers = load_case(CASES[platform])
    port = links[0].local_port
    hostile = [Link(port, "X\nreturn\nreboot", "GE0/0/1")]
    plan = plan_device(device, text, hostile, POLICY, _inventory(hostile, peers))
    assert not {"return", "reboot"} & set(plan.commands)
    assert any(c.startswith("description TO-X_return_reboot-") for c in plan.commands)


@pytest.mark.parametrize("platform", list(CASES), ids=list(CASES))
def test_cut_in_the_vendors_unit_at_a_character_boundary(platform: str) -> None:
    syntax = POLICY.platforms[platform]
    limit = syntax.description_max_length
    cut = clean_description("a" + "财" * 300, syntax, "bytes")
    assert len(cut.encode("utf-8")) <= limit < len(cut.encode("utf-8")) + 3
    assert set(cut[1:]) == {"财"}
    chars = clean_description("财" * 300, syntax, "characters")
    assert chars == "财" * limit


def test_every_configurable_platform_is_covered() -> None:
    assert set(CASES) == {"huawei_vrp", "hp_comware", "cisco_ios"}
    assert all(p.exists() for p in CASES.values())
