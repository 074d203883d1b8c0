"""Comware `display alarm` (the layout of HPE's 12500 installation guide, tests/NOTICE):
what the reader keeps, what it reports, and the active-alarm findings of the judge."""

from __future__ import annotations

from pathlib import Path

from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead, judge
from netsteward.tasks.inspect.policy import load_policy
from netsteward.tasks.inspect.readers.hp_comware import alarms

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "tests" / "corpus" / "hp_comware" / "display_alarm"
RULES = load_policy(ROOT / "policy" / "inspection.yaml").for_device("SW1", "hp_comware", "access")


def test_error_and_warning_alarms_are_kept_notice_and_info_read() -> None:
    text = (SAMPLE / "hpe_12500_display_alarm.raw").read_text(encoding="utf-8")
    text += "-       NOTICE     Fan 3 is in the normal state.\n"
    reading = alarms(text)
    assert not reading.warnings
    summary, *kept = reading.records
    assert summary.item == "" and summary.value == 5.0
    assert [(f.item, f.get("level")) for f in kept] == [
        ("slot 6: Fan 2 is absent.", "ERROR"),
        ("slot 6: Power 2 is absent.", "ERROR"),
        ("slot 6: The board in slot 10 is faulty.", "ERROR"),
        ("slot 3: The temperature of sensor 3 exceeds the lower limit.", "WARNING"),
    ]


def test_a_device_without_alarms_reads_as_none() -> None:
    reading = alarms("Slot    Level      Info\n")
    assert not reading.warnings and [f.value for f in reading.records] == [0.0]


def test_rows_of_another_layout_and_a_missing_header_are_reported() -> None:
    mixed = alarms("Slot    Level      Info\n1   6   ERROR   Fan 2 is absent.\nFan tray 2 broken\n")
    assert [w.line for w in mixed.warnings] == [2, 3]
    headless = alarms("6       ERROR      Fan 2 is absent.\n")
    assert any("header" in w.problem for w in headless.warnings)


def test_each_active_alarm_is_a_finding_with_its_level() -> None:
    text = (SAMPLE / "hpe_12500_display_alarm_irf.raw").read_text(encoding="utf-8")
    reading = alarms(text)
    display = DisplayRead("inspect.alarms", "display alarm", reading.records, reading.warnings)
    result = judge(
        DeviceReading(
            "SW1", "hp_comware", "access", "F01", displays=(display,), read_at="2026-12-07T09:00:00"
        ),
        RULES,
    )
    found = [f for f in result.findings if f.check == "alarms"]
    assert len(found) == 4 and {f.kind for f in found} == {"active"}
    first = next(f for f in found if "Fan 2" in f.item)
    assert first.message == "active alarm chassis 1 slot 6: Fan 2 is absent. (ERROR)"
    assert first.severity == "major" and first.evidence.startswith("1        6       ERROR")
    assert result.checks["alarms"].value == "4 active"
