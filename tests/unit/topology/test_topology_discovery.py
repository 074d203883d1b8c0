"""Discovery of one device through the platform's readers: facts, neighbours, LAGs, warnings.

`discover_with(platform, send, host)` is the whole reading of one device given a `send`
(command -> output); here `send` answers from captured outputs, the way a device would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.core.reading import read_purpose
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.topology.discovery import cli_error, discover_with

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


def _answers(platform: str, outputs: dict[str, str]) -> dict[str, str]:
    """{command: output} from {purpose: golden file stem}."""
    reads = load_platform(platform).reads
    return {
        reads[purpose].command: (GOLDEN / platform / f"{stem}.raw").read_text()
        for purpose, stem in outputs.items()
    }


@pytest.mark.parametrize(
    ("platform", "outputs", "facts", "lags"),
    [
        (
            "huawei_vrp",
            {
                "version": "version_lab_access",
                "serial": "serial_lab_access",
                "lldp": "lldp_lab_access",
                "lag": "lag_lab_access",
            },
            {"model", "version", "serial"},
            1,
        ),
        (
            "hp_comware",
            {
                "version": "version_lab_access",
                "serial": "serial_lab_access",
                "lldp": "lldp_lab_access",
                "lag": "lag_lab_access",
            },
            {"model", "version", "serial"},
            1,
        ),
        (
            "cisco_ios",
            {
                "version": "version_lab_access",
                "lldp": "lldp_lab_access",
                "cdp": "cdp_lab_access",
                "lag": "lag_lab_access",
            },
            {"model", "version", "serial"},
            1,
        ),
    ],
)
def test_discover_with_reads_facts_neighbours_and_lags(
    platform: str, outputs: dict[str, str], facts: set[str], lags: int
) -> None:
    answers = _answers(platform, outputs)
    found = discover_with(load_platform(platform), answers.__getitem__, "DEV")
    assert set(found.facts) == facts
    assert len(found.neighbors) == 2 and all(n.local_interface for n in found.neighbors)
    assert len(found.lags) == lags
    assert found.warnings == ()


def test_a_lag_command_the_device_does_not_know_falls_back_to_the_configuration() -> None:
    platform = load_platform("huawei_vrp")
    answers = _answers("huawei_vrp", {"lldp": "lldp_lab_access", "version": "version_lab_access"})
    answers["display esn"] = ""
    answers["display eth-trunk"] = (
        "              ^\nError: Unrecognized command found at '^' position.\n"
    )
    answers["display current-configuration interface"] = (
        "#\ninterface Eth-Trunk1\n mode lacp-static\n#\ninterface XGigabitEthernet0/0/1\n"
        " eth-trunk 1\n#\ninterface XGigabitEthernet0/0/2\n eth-trunk 1\n#\nreturn\n"
    )
    found = discover_with(platform, answers.__getitem__, "DEV")
    assert found.lags == {"Eth-Trunk1": ("XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2")}
    assert found.warnings == ()


def test_outputs_not_read_come_back_as_warnings_naming_device_and_command() -> None:
    platform = load_platform("hp_comware")
    answers = _answers("hp_comware", {"version": "version_lab_access", "lag": "lag_lab_access"})
    answers["display device manuinfo"] = ""
    # the list layout where the verbose one is expected: no neighbour read, and it says so
    answers["display lldp neighbor-information verbose"] = (
        GOLDEN / "hp_comware" / "lldp_given_list_layout.raw"
    ).read_text()
    found = discover_with(platform, answers.__getitem__, "YM-BASE-ACC-002")
    assert found.neighbors == ()
    (warning,) = found.warnings
    assert (warning.source, warning.command, warning.kind) == (
        "YM-BASE-ACC-002",
        "display lldp neighbor-information verbose",
        "nothing",
    )


@pytest.mark.parametrize(
    ("platform", "config", "expected"),
    [
        (
            "huawei_vrp",
            "interface Eth-Trunk1\n mode lacp\n#\ninterface XGigabitEthernet0/0/1\n eth-trunk 1\n#\n"
            "interface XGigabitEthernet0/0/2\n eth-trunk 1\n#\ninterface GigabitEthernet0/0/1\n#\n",
            {"Eth-Trunk1": ["XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2"]},
        ),
        (
            "hp_comware",
            "interface Ten-GigabitEthernet1/0/49\n port link-aggregation group 1\n#\n",
            {"Bridge-Aggregation1": ["Ten-GigabitEthernet1/0/49"]},
        ),
        (
            "cisco_ios",
            "interface TenGigabitEthernet1/0/1\n channel-group 1 mode active\n!\n"
            "interface TenGigabitEthernet1/0/2\n channel-group 1 mode active\n!\n",
            {"Port-channel1": ["TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2"]},
        ),
    ],
)
def test_lags_from_config(platform: str, config: str, expected: dict) -> None:
    reading = read_purpose(platform, "lag_config", config)
    assert {lag.name: list(lag.members) for lag in reading.records} == expected
    assert reading.complete


def test_lag_config_reader_on_output_without_interfaces_says_so() -> None:
    reading = read_purpose("cisco_ios", "lag_config", "% Invalid input detected at '^' marker.\n")
    assert not reading.records and reading.warnings[0].kind == "nothing"


CORPUS_VERSIONS = [
    (
        "huawei_vrp",
        "Huawei Versatile Routing Platform Software\n"
        "VRP (R) software, Version 5.170 (AR6280 V300R019C10SPC300)\n"
        "Copyright (C) 2011-2020 HUAWEI TECH CO., LTD\n"
        "Huawei AR6280 Router uptime is 60 weeks, 4 days\n",
        "ESN of slot 0: 2102351931P0K2000123\n",
        {"version": "V300R019C10SPC300", "model": "AR6280", "serial": "2102351931P0K2000123"},
    ),
    (
        "hp_comware",
        "H3C Comware Software, Version 7.1.070, Release 6635P07\n"
        "Copyright (c) 2004-2024 New H3C Technologies Co., Ltd. All rights reserved.\n"
        "H3C S6520X-54QC-EI uptime is 0 weeks, 0 days, 3 hours, 1 minute\n",
        " Slot 1 CPU 0:\nDEVICE_NAME          : S6520X-54QC-EI\n"
        "DEVICE_SERIAL_NUMBER : 210235A3ABH123456789\nMAC_ADDRESS          : 3C8C-4000-1EB5\n"
        "MANUFACTURING_DATE   : 2021-09-14\nVENDOR_NAME          : H3C\n",
        {
            "version": "7.1.070, Release 6635P07",
            "model": "S6520X-54QC-EI",
            "serial": "210235A3ABH123456789",
        },
    ),
]


@pytest.mark.parametrize(("platform", "version", "serial", "expected"), CORPUS_VERSIONS)
def test_facts(platform: str, version: str, serial: str, expected: dict) -> None:
    facts: dict[str, str] = {}
    for purpose, text in (("version", version), ("serial", serial)):
        for record in read_purpose(platform, purpose, text).records:
            facts.update(record.as_dict())
    assert facts == expected


def test_version_output_with_no_fact_is_reported() -> None:
    reading = read_purpose("hillstone_stoneos", "version", "% Unknown command.\n")
    assert not reading.records and reading.warnings[0].kind == "nothing"


@pytest.mark.parametrize(
    ("platform", "text", "error"),
    [
        (
            "huawei_vrp",
            "              ^\nError: Unrecognized command found at '^' position.\n",
            True,
        ),
        ("hp_comware", "                ^\n % Unrecognized command found at '^' position.\n", True),
        (
            "cisco_ios",
            "show etherchannel summaryy\n                    ^\n% Invalid input detected at '^' marker.\n",
            True,
        ),
        ("cisco_ios", (GOLDEN / "cisco_ios" / "lag_summary.raw").read_text(), False),
        ("huawei_vrp", (GOLDEN / "huawei_vrp" / "lag_lab_access.raw").read_text(), False),
    ],
)
def test_cli_error_detection_decides_the_config_fallback(
    platform: str, text: str, error: bool
) -> None:
    assert cli_error(load_platform(platform), text) is error
