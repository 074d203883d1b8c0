"""The reader contract: warnings name the line, escape what devices print, and say where."""

from __future__ import annotations

import pytest

from netsteward.tasks.core.reading import (
    READERS,
    Reading,
    ReadWarning,
    nothing_read,
    reader,
    shown,
    unread_lines,
)


def test_shown_escapes_control_characters_and_clips() -> None:
    assert shown("ok\x1b[2Jname\x00") == "ok\\x1b[2Jname\\x00"
    assert shown("é 交换机") == "é 交换机"
    long = shown("x" * 500)
    assert len(long) == 160 and long.endswith("…")


def test_nothing_read_points_at_the_first_non_blank_line() -> None:
    w = nothing_read("\n\n  Capability codes: R\nmore\n")
    assert (w.line, w.text) == (3, "  Capability codes: R")
    assert nothing_read("").line == 0


def test_unread_lines_are_the_non_blank_lines_not_understood() -> None:
    text = "header\n\nport 1\njunk\n"
    assert [w.line for w in unread_lines(text, understood={1, 3})] == [4]


def test_about_fills_device_and_command_without_overwriting() -> None:
    r = Reading(
        records=(1,), warnings=(ReadWarning(line=4, text="junk", problem="not understood"),)
    )
    named = r.about("YM-BASE-ACC-001", "display lldp neighbor")
    assert not named.complete and named.records == (1,)
    assert str(named.warnings[0]) == (
        "YM-BASE-ACC-001:4 (display lldp neighbor): not understood: 'junk'"
    )
    again = named.about("other", "other")
    assert again.warnings[0].source == "YM-BASE-ACC-001"


def test_a_reader_name_registers_once() -> None:
    @reader("test_only.dummy")
    def read(text: str) -> Reading[str]:
        return Reading(records=(text,))

    try:
        with pytest.raises(ValueError, match="registered twice"):
            reader("test_only.dummy")(lambda text: Reading())
    finally:
        READERS.pop("test_only.dummy")
