"""LAG membership and facts parsing (golden files; ntc-templates samples where they exist)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.topology.discovery import parse_facts, parse_lags, parse_lags_from_config

GOLDEN = Path(__file__).parents[2] / "golden"
CASES = sorted(GOLDEN.glob("*/lag_*.raw"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("raw", CASES, ids=_id)
def test_lag_golden(raw: Path, request: pytest.FixtureRequest) -> None:
    got = {lag: list(m) for lag, m in parse_lags(raw.parent.name, raw.read_text()).items()}
    expected = raw.with_suffix(".expected.json")
    update = os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"
    with contextlib.suppress(ValueError):  # no --update option registered
        update = update or bool(request.config.getoption("--update"))
    if update or not expected.exists():
        expected.write_text(json.dumps(got, indent=2) + "\n")
    assert got == json.loads(expected.read_text())


@pytest.mark.parametrize("raw", [c for c in CASES if c.with_suffix(".ntc.yml").exists()], ids=_id)
def test_lag_agrees_with_ntc_templates(raw: Path) -> None:
    platform = raw.parent.name
    ntc = yaml.safe_load(raw.with_suffix(".ntc.yml").read_text())["parsed_sample"]
    want: dict[str, list[str]] = {}
    for row in ntc:
        if platform == "huawei_vrp":
            members = want.setdefault(row["eth_trunk"], [])
            if row["interface"] not in members:  # ntc repeats the partner table's rows
                members.append(row["interface"])
        else:
            want[row["interface"]] = [m.removesuffix("(R)") for m in row["local_interfaces"]]
    got = {lag: list(m) for lag, m in parse_lags(platform, raw.read_text()).items()}
    assert got == want


@pytest.mark.parametrize(
    ("platform", "config", "expected"),
    [
        (
            "huawei_vrp",
            "interface Eth-Trunk1\n mode lacp\n#\ninterface XGigabitEthernet0/0/1\n eth-trunk 1\n#\n"
            "interface XGigabitEthernet0/0/2\n eth-trunk 1\n#\ninterface GigabitEthernet0/0/1\n#\n",
            {"Eth-Trunk1": ("XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2")},
        ),
        (
            "hp_comware",
            "interface Ten-GigabitEthernet1/0/49\n port link-aggregation group 1\n#\n",
            {"Bridge-Aggregation1": ("Ten-GigabitEthernet1/0/49",)},
        ),
        (
            "cisco_ios",
            "interface TenGigabitEthernet1/0/1\n channel-group 1 mode active\n!\n"
            "interface TenGigabitEthernet1/0/2\n channel-group 1 mode active\n!\n",
            {"Port-channel1": ("TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2")},
        ),
    ],
)
def test_lags_from_config(platform: str, config: str, expected: dict) -> None:
    assert parse_lags_from_config(platform, config) == expected


CORPUS_VERSIONS = [
    (
        "huawei_vrp",
        "VRP (R) software, Version 5.170 (AR6280 V300R019C10SPC300)\n"
        "Copyright (C) 2011-2020 HUAWEI TECH CO., LTD\nHuawei AR6280 Router uptime is 60 weeks, 4 days\n",
        "ESN of slot 0: 2102351931P0K2000123\n",
        {"version": "V300R019C10SPC300", "model": "AR6280", "serial": "2102351931P0K2000123"},
    ),
    (
        "hp_comware",
        "H3C Comware Software, Version 7.1.070, Release 6635P07\n"
        "Copyright (c) 2004-2024 New H3C Technologies Co., Ltd. All rights reserved.\n"
        "H3C S6520X-54QC-EI uptime is 0 weeks, 0 days, 3 hours, 1 minute\n",
        "Slot 1 CPU 0:\nDEVICE_NAME          : S6520X-54QC-EI\nDEVICE_SERIAL_NUMBER : 210235A3ABH123456789\n",
        {
            "version": "7.1.070, Release 6635P07",
            "model": "S6520X-54QC-EI",
            "serial": "210235A3ABH123456789",
        },
    ),
    (
        "cisco_ios",
        "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8, RELEASE\n"
        "Model number                    : WS-C2960X-48TD-L\nSystem serial number            : FOC1234ABCD\n",
        "",
        {"version": "15.2(7)E8", "model": "WS-C2960X-48TD-L", "serial": "FOC1234ABCD"},
    ),
]


@pytest.mark.parametrize(("platform", "version", "serial", "expected"), CORPUS_VERSIONS)
def test_parse_facts(platform: str, version: str, serial: str, expected: dict) -> None:
    assert parse_facts(platform, version, serial) == expected


def test_facts_from_real_huawei_version() -> None:
    # copied from ntc-templates tests/huawei_vrp/display_version (tests/NOTICE)
    raw = (
        Path(__file__).resolve().parents[2] / "golden" / "facts" / "huawei_vrp_display_version3.txt"
    )
    assert parse_facts("huawei_vrp", raw.read_text())["version"] == "V300R019C10SPC300"


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
        ("cisco_ios", (GOLDEN / "cisco_ios" / "lag_etherchannel.raw").read_text(), False),
        ("huawei_vrp", (GOLDEN / "huawei_vrp" / "lag_ntc0.raw").read_text(), False),
    ],
)
def test_cli_error_detection_decides_the_config_fallback(
    platform: str, text: str, error: bool
) -> None:
    from netsteward.tasks.topology.discovery import _cli_error

    assert _cli_error(platform, text) is error
