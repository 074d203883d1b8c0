"""`netsteward parse`: the reader a job uses, on a captured output (issue 11, item 6).

Exit 0 read fully, 1 warnings, 2 no reader for that platform and command; `--json` prints
exactly `{"records": [...], "warnings": [...]}`. Every (platform, command) the platform
files read has a reader that `parse` runs; a command several jobs read runs each of their
readers, `--purpose` one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netsteward.tasks.core.reading import load_readers
from netsteward.tasks.platforms import all_platforms

TESTS = Path(__file__).resolve().parents[2]
GOLDEN = TESTS / "golden"


def _parse(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", "parse", *args],
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
    )


def test_read_fully_is_exit_0_with_records_and_no_warnings() -> None:
    raw = GOLDEN / "huawei_vrp" / "lldp_several_per_port.raw"
    proc = _parse(
        "--platform", "huawei_vrp", "--command", "display lldp neighbor", "--json", str(raw)
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["command", "exit_code", "counts", "records", "warnings"]
    assert data["command"] == "parse" and data["counts"] == {"records": 4, "warnings": 0}
    assert len(data["records"]) == 4 and data["warnings"] == []
    assert data["records"][2]["local_interface"] == "Eth-Trunk1"


@pytest.mark.parametrize(
    ("platform", "command", "sample", "kind"),
    [
        (
            "hp_comware",
            "display lldp neighbor-information verbose",
            "hp_comware/lldp_given_list_layout.raw",
            "nothing",
        ),
        (
            "cisco_ios",
            "show lldp neighbors detail",
            "cisco_ios/lldp_given_cdp_table.raw",
            "nothing",
        ),
        (
            "cisco_asa",
            "show running-config",
            "cisco_asa/firewall_policy_given_show_access_list.raw",
            "format",
        ),
    ],
)
def test_output_not_read_is_exit_1_with_the_warnings(
    platform: str, command: str, sample: str, kind: str
) -> None:
    raw = GOLDEN / sample
    proc = _parse("--platform", platform, "--command", command, "--json", str(raw))
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert [w["kind"] for w in data["warnings"]] == [kind]
    assert data["warnings"][0]["source"] == str(raw) and data["warnings"][0]["command"] == command
    human = _parse("--platform", platform, "--command", command, str(raw))
    assert human.returncode == 1 and "warning:" in human.stderr and "1 warning" in human.stdout


def test_a_command_the_platform_has_no_reader_for_is_exit_2() -> None:
    raw = GOLDEN / "huawei_vrp" / "lldp_several_per_port.raw"
    proc = _parse("--platform", "huawei_vrp", "--command", "display interface", str(raw))
    assert proc.returncode == 2
    assert "no reader for huawei_vrp" in proc.stderr and "Traceback" not in proc.stderr
    unknown = _parse("--platform", "junos", "--command", "show lldp", str(raw))
    assert unknown.returncode == 2 and "unknown platform" in unknown.stderr


def test_standard_input_and_spacing_of_the_command() -> None:
    text = (GOLDEN / "cisco_ios" / "lldp_chassis_id_with_spaces.raw").read_text()
    proc = _parse(
        "--platform", "cisco_ios", "--command", "show  lldp neighbors   DETAIL", "-", stdin=text
    )
    assert proc.returncode == 0, proc.stderr
    assert "3 records by cisco_ios.lldp" in proc.stdout


def test_every_read_of_every_platform_has_a_registered_reader() -> None:
    readers = load_readers()
    for platform in all_platforms().values():
        for purpose, read in platform.reads.items():
            assert read.reader in readers, (platform.name, purpose, read.reader)
            assert read.reader.startswith(platform.name + "."), read.reader


def test_a_command_several_jobs_read_runs_each_reader_or_the_one_purpose() -> None:
    """`show version`: the topology's facts (`version`) and the inspection's uptime
    (`inspect.uptime`) both read it."""
    raw = TESTS / "corpus" / "cisco_ios" / "show_version" / "cisco_ios_show_version.raw"
    both = _parse("--platform", "cisco_ios", "--command", "show version", "--json", str(raw))
    assert both.returncode == 0, both.stderr
    records = json.loads(both.stdout)["records"]
    assert records[0]["version"] and records[1]["check"] == "uptime"
    human = _parse("--platform", "cisco_ios", "--command", "show version", str(raw))
    assert "by cisco_ios.version (version)" in human.stdout
    assert "by cisco_ios.uptime (inspect.uptime)" in human.stdout
    one = _parse(
        "--platform", "cisco_ios", "--command", "show version", "--purpose", "inspect.uptime",
        "--json", str(raw),
    )  # fmt: skip
    assert one.returncode == 0, one.stderr
    assert [r["check"] for r in json.loads(one.stdout)["records"]] == ["uptime"]
    wrong = _parse(
        "--platform", "cisco_ios", "--command", "show version", "--purpose", "lldp", str(raw)
    )
    assert wrong.returncode == 2 and "it is read for: version, inspect.uptime" in wrong.stderr
