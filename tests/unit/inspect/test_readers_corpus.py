"""The health readers on real device output (tests/corpus/<platform>/<command>/*.raw,
from the ntc-templates corpus and vendor documentation; tests/NOTICE).

For every sample: the reader understands every line (no warnings), extracts facts, and
its facts equal the golden file beside the sample (`<name>.facts.json`; `--update`
regenerates them). Where ntc-templates has a template, its parsed sample (`<name>.yml`)
is the cross-check: our values are the values the template extracts.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsteward.tasks.core.reading import READERS
from netsteward.tasks.inspect import readers as _readers  # noqa: F401  (registration)
from netsteward.tasks.inspect.model import Fact

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# command folder -> (reader, the include filter the inspection's command applies on the device)
READS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("huawei_vrp", "display_device"): ("huawei_vrp.hardware", None),
    ("huawei_vrp", "display_temperature"): ("huawei_vrp.temperature", None),
    ("huawei_vrp", "display_ntp_status"): ("huawei_vrp.ntp", None),
    ("huawei_vrp", "dir"): ("huawei_vrp.storage", None),
    ("huawei_vrp", "display_version"): ("huawei_vrp.uptime", None),
    ("huawei_vrp", "display_interface_brief"): ("huawei_vrp.errors", None),
    ("hp_comware", "display_counters_bound_interface"): ("hp_comware.errors", None),
    ("hp_comware", "display_alarm"): ("hp_comware.alarms", None),
    ("cisco_ios", "show_processes_cpu"): ("cisco_ios.cpu", None),
    ("cisco_ios", "show_processes_memory_sorted"): ("cisco_ios.memory", None),
    ("cisco_ios", "show_environment_temperature"): ("cisco_ios.temperature", None),
    ("cisco_ios", "show_environment_power_all"): ("cisco_ios.power", None),
    ("cisco_ios", "show_interface_transceiver"): ("cisco_ios.optics", None),
    ("cisco_ios", "show_interfaces"): ("cisco_ios.errors", r"line protocol|input errors"),
    ("cisco_ios", "show_version"): ("cisco_ios.uptime", None),
    ("cisco_ios", "show_logging"): ("cisco_ios.alarms", None),
    ("cisco_asa", "show_failover"): ("cisco_asa.ha", None),
    ("cisco_asa", "show_version"): ("cisco_asa.uptime", None),
    ("cisco_asa", "show_interface"): ("cisco_asa.errors", r"line protocol|input errors"),
    ("cisco_asa", "dir"): ("cisco_asa.storage", None),
    ("cisco_asa", "show_logging"): ("cisco_asa.alarms", None),
    ("fortinet", "execute_log_display"): ("fortinet.alarms", None),
    ("fortinet", "get_system_ha_status"): ("fortinet.ha", None),
    ("fortinet", "get_system_performance_status"): ("fortinet.performance", None),
    ("brocade_fos", "porterrshow"): ("brocade_fos.port_errors", None),
}

SAMPLES = sorted(CORPUS.glob("*/*/*.raw"))


def _text(raw: Path, include: str | None) -> str:
    text = raw.read_text(encoding="utf-8")
    if include:  # what `| include REGEX` leaves on the device
        text = "\n".join(ln for ln in text.splitlines() if re.search(include, ln)) + "\n"
    return text


def _plain(f: Fact) -> dict[str, Any]:
    value = f.value
    if isinstance(value, float) and math.isinf(value):
        value = "-inf"
    return {
        "check": f.check,
        "item": f.item,
        "value": value,
        "state": f.state,
        "line": f.line,
        "extra": {k: v for k, v in f.extra},
    }


def _read(raw: Path) -> tuple[list[Fact], list[Any]]:
    name, include = READS[(raw.parent.parent.name, raw.parent.name)]
    reading = READERS[name](_text(raw, include))
    return list(reading.records), list(reading.warnings)


def test_every_sample_folder_has_a_reader() -> None:
    folders = {(p.parent.parent.name, p.parent.name) for p in SAMPLES}
    assert folders == set(READS)


@pytest.mark.parametrize("raw", SAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_reader_reads_every_line_and_matches_golden(raw: Path) -> None:
    facts, warnings = _read(raw)
    assert not warnings, [str(w) for w in warnings]
    assert facts
    golden = raw.with_suffix(".facts.json")
    got = [_plain(f) for f in facts]
    if os.environ.get("NETSTEWARD_UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))
    for f in facts:  # evidence is the line it came from
        assert f.evidence and f.evidence in raw.read_text(encoding="utf-8")


# -- the cross-check against the ntc-templates parsed samples ------------------------------


def _num(v: Any) -> float:
    return float(str(v).replace(",", ""))


def _device(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    def name(r: dict[str, Any]) -> str:
        card = str(r.get("card", ""))
        return card if card.upper().startswith(("FAN", "PWR")) else str(r["slot"])

    want = {
        name(r): (r["online_status"], r["alarm_status"])
        for r in rows
        if name(r).upper().startswith(("FAN", "PWR"))
    }
    got = {f.item: tuple(str(f.value).split("/")) for f in facts if f.check in ("fan", "power")}
    assert got == want


def _temperature_vrp(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    assert [f.value for f in facts] == [_num(r["temperature"]) for r in rows]


def _ntp(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    assert [f.value for f in facts] == [r["clock_status"] for r in rows]


def _dir_vrp(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    size, free = _num(rows[0]["total_size"]), _num(rows[0]["total_free"])
    assert facts[0].value == round(100 * (size - free) / size, 1)


def _brief(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    got = {f.item: f.value for f in facts}
    for r in rows:
        name = re.sub(r"\(.*\)$", "", r["interface"])
        if name in got:
            assert got[name] == _num(r["inerrors"])
    assert got


def _counters(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    assert {f.item: f.value for f in facts} == {
        r["interface"]: _num(r["packets_error"]) for r in rows
    }


def _ios_cpu(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    assert facts[0].value == _num(rows[0]["cpu_usage_5_sec"])
    assert facts[0].get("average") == _num(rows[0]["cpu_usage_5_min"])


def _ios_power(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    assert [f.item for f in facts] == [r["ps_module"] for r in rows]


def _transceiver(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    rx = {f.item: f.value for f in facts if f.get("param") == "rx"}
    assert rx == {r["interface"]: _num(r["rx_pwr"]) for r in rows}


def _ios_temperature(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    values = sorted(f.value for f in facts)  # type: ignore[type-var]
    want = sorted(
        _num(r[k]) for r in rows for k in ("inlet_temperature_value", "hotspot_temperature_value")
    )
    assert values == want


def _ios_logging(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    """The same entries of level 0-2 as the template, with the same message ids."""
    want = [
        f"%{r['facility']}-{r['severity']}-{r['mnemonic']}"
        for r in rows
        if r["severity"] and int(r["severity"]) <= 2
    ]
    assert [f.item for f in facts if f.item] == want


def _ha_asa(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    assert (facts[0].value == "off") == (rows[0]["state"] == "Off")


def _ha_forti(facts: list[Fact], rows: list[dict[str, Any]]) -> None:
    mode = rows[0]["ha_mode"]
    assert (facts[0].value == "standalone") == (mode.lower() == "standalone")


CROSS: dict[tuple[str, str], Callable[[list[Fact], list[dict[str, Any]]], None]] = {
    ("huawei_vrp", "display_device"): _device,
    ("huawei_vrp", "display_temperature"): _temperature_vrp,
    ("huawei_vrp", "display_ntp_status"): _ntp,
    ("huawei_vrp", "dir"): _dir_vrp,
    ("huawei_vrp", "display_interface_brief"): _brief,
    ("hp_comware", "display_counters_bound_interface"): _counters,
    ("cisco_ios", "show_processes_cpu"): _ios_cpu,
    ("cisco_ios", "show_environment_power_all"): _ios_power,
    ("cisco_ios", "show_interface_transceiver"): _transceiver,
    ("cisco_ios", "show_environment_temperature"): _ios_temperature,
    ("cisco_ios", "show_logging"): _ios_logging,
    ("cisco_asa", "show_failover"): _ha_asa,
    ("fortinet", "get_system_ha_status"): _ha_forti,
}


@pytest.mark.parametrize(
    "raw",
    [
        p
        for p in SAMPLES
        if (p.parent.parent.name, p.parent.name) in CROSS and p.with_suffix(".yml").exists()
    ],
    ids=lambda p: f"{p.parent.parent.name}/{p.stem}",
)
def test_reader_agrees_with_ntc_templates(raw: Path) -> None:
    facts, _warnings = _read(raw)
    rows = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    CROSS[(raw.parent.parent.name, raw.parent.name)](facts, rows)


def test_ios_log_reader_reports_an_entry_it_cannot_read_and_a_display_without_buffer() -> None:
    read = READERS["cisco_ios.alarms"]
    head = "Syslog logging: enabled (0 messages dropped)\n\nLog Buffer (8192 bytes):\n"
    text = head + (
        "000101: Dec  7 08:40:01.123 UTC: %PLATFORM_ENV-1-FAN: Faulty fan detected\n"
        "000102: Dec  7 08:40:02: something without a message id\n"
        "%SYS-2-MALLOCFAIL: Memory allocation of 1000 bytes failed\n"
    )
    got = read(text)
    facts, warnings = got.records, got.warnings
    entries = [(f.item, f.state, f.get("time")) for f in facts if f.item]
    assert entries == [
        ("%PLATFORM_ENV-1-FAN", "critical", "12-07T08:40:01"),
        ("%SYS-2-MALLOCFAIL", "failed", ""),  # level 2: major
    ]
    assert [(w.line, w.problem) for w in warnings] == [(5, "line not understood")]
    warnings = read("Syslog logging: enabled\n    Console logging: disabled\n").warnings
    assert [w.problem for w in warnings] == [
        "no log buffer (`Log Buffer (N bytes):`) in the display"
    ]
