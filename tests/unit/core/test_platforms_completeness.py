"""A configuration is accepted only when complete: end marker, no error text, not shrunk by half."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.backup.collect import (
    BackupFile,
    BackupOutcome,
    check_output,
    judge,
    relpath_for,
)
from netsteward.tasks.core.errors import NetstewardError
from netsteward.tasks.core.failures import ERROR, INCOMPLETE, SHRUNK
from netsteward.tasks.core.scrub import normalise_config
from netsteward.tasks.platforms import PLATFORMS, load_platform

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
# golden configs that are whole running configurations (the others are snippets)
COMPLETE = {
    "huawei_vrp": "s5735_v200r021",
    "hp_comware": "s5130_7_1_full",
    "cisco_ios": "c9200l_17_09",
    "cisco_asa": "asa5512_9_12",
    "fortinet": "fmg_7_4",
    "hillstone_stoneos": "sg6000_5_5",
    "brocade_fos": "g620_configshow",
}


def golden(platform: str, case: str) -> str:
    with (GOLDEN / platform / f"{case}.raw").open(encoding="utf-8", newline="") as fh:
        return normalise_config(platform, fh.read())


@pytest.mark.parametrize("platform", PLATFORMS)
def test_complete_configuration_passes(platform: str) -> None:
    p = load_platform(platform)
    assert check_output(p, p.collect[0], golden(platform, COMPLETE[platform])) is None


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_configuration_is_incomplete(platform: str, keep: float) -> None:
    p = load_platform(platform)
    lines = golden(platform, COMPLETE[platform]).splitlines()
    cut = "\n".join(lines[: int(len(lines) * keep)]) + "\n"
    problem = check_output(p, p.collect[0], cut)
    if problem is None:
        # FortiOS has no end marker: a cut exactly between two top-level blocks looks
        # complete; the shrink check against the stored copy is what refuses it then
        assert platform == "fortinet" and cut.rstrip().endswith("\nend")
        full = golden(platform, COMPLETE[platform])
        if keep < 0.5:
            assert judge(_outcome(cut), {"base/access/SW-1.cfg": full}).failure == SHRUNK
        return
    assert problem[0] == INCOMPLETE
    assert (
        "end marker missing" in problem[1]
        or "returned" in problem[1]
        or "blocks opened" in problem[1]
    )


@pytest.mark.parametrize(
    ("platform", "error"),
    [
        ("huawei_vrp", "Error: Unrecognized command found at '^' position."),
        ("hp_comware", "% Unrecognized command found at '^' position."),
        ("cisco_ios", "% Invalid input detected at '^' marker."),
        ("cisco_asa", "ERROR: % Invalid input detected at '^' marker."),
        ("fortinet", "Command fail. Return code -61"),
        ("brocade_fos", "rbash: configshow: command not found"),
    ],
)
def test_error_text_is_refused(platform: str, error: str) -> None:
    p = load_platform(platform)
    text = error + "\n" + golden(platform, COMPLETE[platform])
    problem = check_output(p, p.collect[0], text)
    assert problem is not None and problem[0] == ERROR and error.strip()[:20] in problem[1]


def test_brocade_zoning_needs_the_effective_configuration() -> None:
    p = load_platform("brocade_fos")
    zoning = p.collect[1]
    assert zoning.kind == "zoning" and zoning.command == "cfgshow"
    text = golden("brocade_fos", "g620_cfgshow")
    assert check_output(p, zoning, text) is None
    assert check_output(p, zoning, text.split("Effective configuration:")[0])[0] == INCOMPLETE


def _outcome(text: str) -> BackupOutcome:
    return BackupOutcome(
        "SW-1", "huawei_vrp", ok=True, files=(BackupFile("base/access/SW-1.cfg", text),)
    )


def test_judge_new_changed_unchanged() -> None:
    text = "".join(f"line {i}\n" for i in range(10))
    assert judge(_outcome(text), {"base/access/SW-1.cfg": None}).status == "changed"
    assert judge(_outcome(text), {"base/access/SW-1.cfg": None}).new
    assert judge(_outcome(text), {"base/access/SW-1.cfg": text}).status == "unchanged"
    assert judge(_outcome(text + "x\n"), {"base/access/SW-1.cfg": text}).status == "changed"


def test_judge_refuses_a_config_that_shrank_by_more_than_half() -> None:
    old = "".join(f"line {i}\n" for i in range(100))
    new = "".join(f"line {i}\n" for i in range(49))
    refused = judge(_outcome(new), {"base/access/SW-1.cfg": old})
    assert not refused.ok and refused.failure == SHRUNK
    assert "shrank from 100 to 49 lines" in (refused.reason or "")
    assert judge(_outcome(new), {"base/access/SW-1.cfg": old}, force=True).status == "changed"
    half = "".join(f"line {i}\n" for i in range(50))
    assert judge(_outcome(half), {"base/access/SW-1.cfg": old}).ok


def test_relpath_follows_the_design_layout() -> None:
    assert (
        relpath_for("YM-SAN-FC-01", "san", "fc_switch", "zoning")
        == "san/fc_switch/YM-SAN-FC-01.zoning"
    )
    assert relpath_for("X", None, None, "cfg") == "unassigned/unassigned/X.cfg"
    with pytest.raises(NetstewardError):
        relpath_for("../etc/passwd", "base", "access", "cfg")
