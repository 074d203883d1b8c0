"""The judge, the policy and history: pure functions on facts, no device."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.core.errors import PolicyError
from netsteward.tasks.core.reading import ReadWarning
from netsteward.tasks.inspect import history
from netsteward.tasks.inspect.checks import dated
from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead, judge
from netsteward.tasks.inspect.model import OK, UNREAD, DeviceResult, Fact, Limits
from netsteward.tasks.inspect.policy import load_policy, parse_policy

ROOT = Path(__file__).resolve().parents[3]
RULES = load_policy(ROOT / "policy" / "inspection.yaml").for_device("SW1", "huawei_vrp", "access")


def reading(*displays: DisplayRead, at: str = "2026-12-07T09:00:00") -> DeviceReading:
    return DeviceReading("SW1", "huawei_vrp", "access", "F01-IDF-1", displays=displays, read_at=at)


def display(purpose: str, *facts: Fact, warnings: tuple[ReadWarning, ...] = ()) -> DisplayRead:
    return DisplayRead(f"inspect.{purpose}", f"display {purpose}", facts, warnings)


def test_policy_file_loads_and_layers_override_key_by_key() -> None:
    policy = load_policy(ROOT / "policy" / "inspection.yaml")
    core = policy.for_device("YM-BASE-CORE-01", "huawei_vrp", "core")
    assert core.cpu.major == 80 and core.memory.major == 90  # role cpu, default memory
    assert not core.reads("sessions") and policy.for_device("FW", "fortinet", "firewall").reads(
        "sessions"
    )


def test_a_device_override_holds_after_its_role_was_merged_once() -> None:
    """The merged rules are kept per (platform, role); a device with its own override gets
    its own, whichever was asked first."""
    policy = parse_policy(
        "roles:\n  access: {cpu: {major: 88}}\ndevices:\n  SW-9: {cpu: {major: 90}}\n", "p.yaml"
    )
    first = policy.for_device("SW-1", "huawei_vrp", "access")
    assert first.cpu.major == 88
    assert policy.for_device("SW-9", "huawei_vrp", "access").cpu.major == 90
    assert policy.for_device("SW-2", "huawei_vrp", "access") is first
    assert policy.for_device("SW-2", "hp_comware", "access").cpu.major == 88


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("defaults:\n  cpu: {minor: 90, major: 80}\n", "2: defaults.cpu"),
        ("defaults:\n  severity: {fan: huge}\n", "2: defaults.severity"),
        ("defaults:\n  skip: [bogus]\n", "2: defaults.skip"),
        ("roles:\n  access:\n    cpux: 3\n", "3: roles.access.cpux"),
        ("platforms:\n  junos: {}\n", ": platforms"),
        ("defaults: [1\n", "2: not valid YAML"),
    ],
)
def test_bad_policy_is_one_line_naming_file_line_and_field(text: str, where: str) -> None:
    with pytest.raises(PolicyError) as exc:
        parse_policy(text, "policy/inspection.yaml")
    message = str(exc.value)
    assert (
        message.startswith("policy/inspection.yaml:") and where in message and "\n" not in message
    )
    assert exc.value.exit_code == 2


def test_healthy_device_has_no_findings_and_every_read_check_ok() -> None:
    r = judge(
        reading(
            display("cpu", Fact("cpu", value=12.0, extra=(("average", 10.0),))),
            display("memory", Fact("memory", value=40.0)),
            display("ntp", Fact("ntp", value="synchronized", state="ok")),
        ),
        RULES,
    )
    assert r.findings == []
    assert r.checks["cpu"].status == OK and r.checks["memory"].status == OK
    assert r.checks["sessions"].status == "n/a"


def test_thresholds_give_severity_value_threshold_and_evidence() -> None:
    cpu = Fact("cpu", value=97.0, extra=(("average", 93.0),), line=4, evidence="CPU ... 93%")
    r = judge(reading(display("cpu", cpu)), RULES)
    (f,) = r.findings
    assert (f.check, f.severity, f.value) == ("cpu", "major", 93.0)
    assert "85" in f.threshold and f.evidence == "CPU ... 93%" and f.line == 4


def test_device_thresholds_win_over_the_policy_for_temperatures() -> None:
    t = Fact(
        "temperature",
        item="slot 0",
        value=77.0,
        limits=Limits(high_warning=68, high_alarm=76, critical=83),
    )
    (f,) = judge(reading(display("temperature", t)), RULES).findings
    assert f.severity == "major" and "76" in f.threshold


def test_failed_fan_and_missing_supply_are_findings() -> None:
    r = judge(
        reading(
            display(
                "hardware",
                Fact("fan", item="FAN1", value="Present/Abnormal", state="failed"),
                Fact("power", item="PWR2", value="Absent/-", state="absent"),
                Fact("power", item="PWR1", value="Present/Normal", state="ok"),
            )
        ),
        RULES,
    )
    assert {(f.check, f.item) for f in r.findings} == {("fan", "FAN1"), ("power", "PWR2")}
    assert "redundancy lost" in next(f for f in r.findings if f.check == "power").message


def test_optics_no_light_is_not_a_weak_optic_and_low_rx_is() -> None:
    lim = Limits(low_alarm=-14.4, high_alarm=0.5, low_warning=-12.0, high_warning=-1.0)
    r = judge(
        reading(
            display(
                "optics",
                Fact(
                    "optics",
                    item="XGE0/0/1",
                    value=-17.9,
                    unit="dBm",
                    limits=lim,
                    extra=(("param", "rx"),),
                ),
                Fact(
                    "optics",
                    item="XGE0/0/2",
                    value=float("-inf"),
                    unit="dBm",
                    limits=lim,
                    extra=(("param", "rx"),),
                ),
                Fact(
                    "optics",
                    item="XGE0/0/3",
                    value=-3.0,
                    unit="dBm",
                    limits=lim,
                    extra=(("param", "rx"),),
                ),
            )
        ),
        RULES,
    )
    assert [(f.item, f.severity) for f in r.findings] == [("XGE0/0/1", "major")]


def _errors(value: float, at: str, previous: DeviceResult | None = None) -> DeviceResult:
    fact = Fact("errors", item="GE0/0/1", value=value, extra=(("kind", "crc"),))
    return judge(reading(display("errors", fact), at=at), RULES, previous)


def test_error_growth_needs_a_previous_inspection_and_a_reset_is_no_negative_growth() -> None:
    first = _errors(500, "2026-12-07T09:00:00")
    assert first.findings == [] and first.counters == {"GE0/0/1": 500}
    grown = _errors(620, "2026-12-08T09:00:00", first)
    (f,) = grown.findings
    assert (f.kind, f.value, f.severity) == ("growth", 120.0, "minor")
    reset = _errors(3, "2026-12-09T09:00:00", grown)  # the counters were cleared
    assert reset.findings == []
    after_reset = _errors(30, "2026-12-10T09:00:00", reset)
    assert [f.value for f in after_reset.findings] == [27.0]


def test_reboot_since_the_previous_inspection_with_reason() -> None:
    before = judge(
        reading(display("uptime", Fact("uptime", value=900_000.0)), at="2026-12-06T09:00:00"), RULES
    )
    assert before.findings == []
    after = judge(
        reading(
            display("uptime", Fact("uptime", value=100_000.0, extra=(("reason", "power-on"),))),
            at="2026-12-08T09:00:00",
        ),
        RULES,
        before,
    )
    (f,) = after.findings
    assert (
        f.kind == "reboot" and "since the last inspection" in f.message and "power-on" in f.message
    )


def test_an_unreadable_display_is_a_gap_never_a_healthy_check() -> None:
    warning = ReadWarning(3, "Slot 7 ???", "line not understood")
    r = judge(reading(display("temperature", warnings=(warning,))), RULES)
    assert r.checks["temperature"].status == UNREAD and r.gaps == 1
    (f,) = r.findings
    assert f.kind == "unread" and f.evidence == "Slot 7 ???" and f.severity == "major"


def test_unreachable_device_is_a_finding_with_its_reason() -> None:
    r = judge(
        DeviceReading("SW1", "huawei_vrp", "access", "R1", ok=False, reason="connection refused"),
        RULES,
    )
    assert (
        not r.reachable
        and r.findings[0].check == "reachable"
        and "connection refused" in r.findings[0].message
    )


def test_optic_losing_power_over_weeks_is_a_trend() -> None:
    lim = Limits(low_alarm=-14.4, high_alarm=0.5, low_warning=-12.0, high_warning=-1.0)
    now = Fact(
        "optics", item="XGE0/0/1", value=-6.5, unit="dBm", limits=lim, extra=(("param", "rx"),)
    )
    past = {"XGE0/0/1": [("2026-11-20", -3.1), ("2026-11-27", -4.2), ("2026-12-04", -5.4)]}
    r = judge(reading(display("optics", now), at="2026-12-07T09:00:00"), RULES, rx_history=past)
    (f,) = r.findings
    assert f.kind == "trend" and f.severity == "minor"
    steady = {"XGE0/0/1": [("2026-11-20", -6.4), ("2026-12-04", -6.6)]}
    assert (
        judge(
            reading(display("optics", now), at="2026-12-07T09:00:00"), RULES, rx_history=steady
        ).findings
        == []
    )


def test_history_round_trip_new_and_cleared(tmp_path: Path) -> None:
    fan = display("hardware", Fact("fan", item="FAN1", value="Present/Abnormal", state="failed"))
    ok_fan = display("hardware", Fact("fan", item="FAN1", value="Present/Normal", state="ok"))
    cpu = display("cpu", Fact("cpu", value=99.0, extra=(("average", 97.0),)))
    first = [judge(reading(fan, at="2026-12-06T09:00:00"), RULES)]
    history.mark(first, None)
    ins1 = history.Inspection("2026-12-06T09:00:00", 1.0, first)
    history.save(tmp_path, ins1)
    prev = history.latest_before(tmp_path, "2026-12-07T09:00:00")
    assert prev is not None and history.dump(prev) == history.dump(ins1)
    second = [judge(reading(ok_fan, cpu, at="2026-12-07T09:00:00"), RULES, prev.by_host()["SW1"])]
    cleared = history.mark(second, prev)
    assert [(f.check, f.status) for f in second[0].findings] == [("cpu", "new")]
    assert [(f.check, f.status) for f in cleared] == [("fan", "cleared")]
    assert (tmp_path / ".git").exists()


def test_critical_log_entries_since_the_previous_inspection_one_finding_per_message() -> None:
    def entry(minute: int, msg: str = "Lost Failover communications with mate") -> Fact:
        when = f"2026-12-07T08:{minute:02d}:00"
        return Fact(
            "alarms",
            item="%ASA-1-105005",
            value=msg,
            state="critical",
            extra=(("time", when), ("level", 1)),
        )

    old = judge(
        reading(display("alarms", Fact("alarms", value="enabled")), at="2026-12-07T08:30:00"), RULES
    )
    logs = display("alarms", Fact("alarms", value="enabled"), entry(10), entry(40), entry(45))
    r = judge(reading(logs, at="2026-12-07T09:00:00"), RULES, old)
    (f,) = r.findings
    assert (
        f.severity == "critical" and f.message.startswith("2 x %ASA-1-105005") and f.kind == "log"
    )
    assert (
        judge(
            reading(display("alarms", Fact("alarms", value="enabled")), at="2026-12-07T09:00:00"),
            RULES,
        ).findings
        == []
    )


def test_log_times_without_a_year_are_dated_against_the_inspection() -> None:
    """IOS prints `Dec 31 23:10:00` without a year: read on 1 January it is last year's,
    and an entry from before the previous inspection is not counted again."""

    def entry(when: str) -> Fact:
        return Fact(
            "alarms",
            item="%PLATFORM_ENV-1-FAN",
            value="Faulty fan detected",
            state="critical",
            extra=(("time", when), ("level", 1)),
        )

    assert dated(entry("12-31T23:10:00"), "2027-01-01T09:00:00").get("time") == (
        "2026-12-31T23:10:00"
    )
    assert dated(entry("12-07T08:10:00"), "2026-12-07T09:00:00").get("time") == (
        "2026-12-07T08:10:00"
    )
    old = judge(
        reading(display("alarms", Fact("alarms", value="enabled")), at="2026-12-07T08:30:00"), RULES
    )
    logs = display("alarms", entry("12-07T08:10:00"), entry("12-07T08:40:00"))
    (f,) = judge(reading(logs, at="2026-12-07T09:00:00"), RULES, old).findings
    assert f.severity == "critical" and f.message.startswith("1 x %PLATFORM_ENV-1-FAN")
