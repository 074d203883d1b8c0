"""An encoding difference is not drift: a configuration backed up when a GBK device's
Chinese text could not be decoded (U+FFFD), or in another Unicode normal form, matches the
live configuration that has the characters; a real change next to it still drifts."""

from __future__ import annotations

import unicodedata

from netsteward.tasks.core.devicetext import decode_lines
from netsteward.tasks.drift.model import Status, config_result, same_but_encoding

LIVE = "\n".join(
    [
        "sysname YM-BASE-ACC-004",
        "snmp-agent sys-info location F02-IDF-1 2层1号弱电间",
        "interface GigabitEthernet0/0/7",
        " description 0212室 打印机",
        "return",
    ]
)


def old_reader(text: str) -> str:
    """What the backup stored before it decoded GBK: UTF-8 with replacement characters."""
    return text.encode("gbk").decode("utf-8", "replace")


def test_a_backup_with_replacement_characters_is_not_drift() -> None:
    approved = old_reader(LIVE)
    assert "\ufffd" in approved and approved != LIVE
    assert config_result("YM-BASE-ACC-004", approved, LIVE).status is Status.CLEAN
    assert decode_lines(LIVE.encode("gbk")) == LIVE  # what the backup stores now


def test_normal_forms_are_not_drift() -> None:
    nfd = unicodedata.normalize("NFD", "description Café 咖啡间")
    assert same_but_encoding([nfd], ["description Café 咖啡间"])


def test_a_real_change_beside_it_still_drifts() -> None:
    changed = LIVE.replace("打印机", "扫描仪").replace("return", "stp bpdu-protection\nreturn")
    result = config_result("YM-BASE-ACC-004", old_reader(LIVE), changed)
    assert result.status is Status.DRIFT
    assert "+stp bpdu-protection" in result.diff
    # a line whose known (ASCII) part changed is drift even with U+FFFD in it
    moved = LIVE.replace("F02-IDF-1", "F03-IDF-1")
    assert config_result("YM-BASE-ACC-004", old_reader(LIVE), moved).status is Status.DRIFT
