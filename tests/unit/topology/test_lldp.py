"""LLDP parsers against real device output (ntc-templates samples, see tests/NOTICE).

Two checks per golden file `tests/golden/<platform>/lldp_<case>.raw`:
- our parse equals `lldp_<case>.expected.json` (regenerate with `--update` or
  NETSTEWARD_UPDATE_GOLDEN=1 and review the diff);
- our parse agrees, field by field, with what the ntc-templates TextFSM template
  extracts from the same file (`lldp_<case>.ntc.yml`, copied from ntc-templates).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.topology.discovery import parse_lags
from netsteward.tasks.topology.lldp import (
    LldpParseError,
    Neighbor,
    from_napalm,
    parse_lldp,
)

GOLDEN = Path(__file__).parents[2] / "golden"
CASES = sorted(GOLDEN.glob("*/lldp_*.raw"))

# ntc-templates field -> our field, per platform (H3C: ntc calls the port ID "neighbor_interface")
FIELDS = {
    "huawei_vrp": {
        "local_interface": "local_interface",
        "neighbor_name": "neighbor_name",
        "chassis_id": "chassis_id",
        "neighbor_port_id": "neighbor_port_id",
        "neighbor_interface": "neighbor_port_description",
        "mgmt_address": "mgmt_address",
        "capabilities": "capabilities",
        "neighbor_description": "system_description",
    },
    "hp_comware": {
        "local_interface": "local_interface",
        "neighbor_name": "neighbor_name",
        "chassis_id": "chassis_id",
        "neighbor_interface": "neighbor_port_id",
        "neighbor_interface_description": "neighbor_port_description",
        "mgmt_address": "mgmt_address",
    },
    "cisco_ios": {
        "local_interface": "local_interface",
        "neighbor_name": "neighbor_name",
        "chassis_id": "chassis_id",
        "neighbor_port_id": "neighbor_port_id",
        "neighbor_interface": "neighbor_port_description",
        "mgmt_address": "mgmt_address",
        "capabilities": "capabilities",
        "neighbor_description": "system_description",
    },
}


def _update(request: pytest.FixtureRequest) -> bool:
    try:
        if request.config.getoption("--update"):
            return True
    except ValueError:
        pass
    return os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"


def _ntc_value(value: object) -> str:
    if isinstance(value, list):  # multi-line system description: we keep the first line
        value = value[0] if value else ""
    text = str(value or "").strip()
    return "" if text in {"-", "--"} else text


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("raw", CASES, ids=_id)
def test_lldp_golden(raw: Path, request: pytest.FixtureRequest) -> None:
    platform = raw.parent.name
    got = [asdict(n) for n in parse_lldp(platform, raw.read_text())]
    expected_file = raw.with_suffix(".expected.json")
    if _update(request) or not expected_file.exists():
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(expected_file.read_text())


@pytest.mark.parametrize("raw", CASES, ids=_id)
def test_lldp_agrees_with_ntc_templates(raw: Path) -> None:
    platform = raw.parent.name
    ntc = yaml.safe_load(raw.with_suffix(".ntc.yml").read_text())["parsed_sample"]
    got = parse_lldp(platform, raw.read_text())
    assert len(got) == len(ntc)
    for ours, theirs in zip(got, ntc, strict=True):
        for ntc_field, our_field in FIELDS[platform].items():
            assert getattr(ours, our_field) == _ntc_value(theirs.get(ntc_field)), (ntc_field, ours)


def test_empty_output_gives_no_neighbours() -> None:
    assert parse_lldp("huawei_vrp", "GigabitEthernet0/0/1 has 0 neighbor(s):\n") == []
    assert parse_lldp("cisco_ios", "\nTotal entries displayed: 0\n") == []


def test_unknown_platform_is_refused() -> None:
    with pytest.raises(LldpParseError):
        parse_lldp("fortinet", "")


@pytest.mark.parametrize(
    ("neighbor", "peer_port", "label"),
    [
        (
            Neighbor(
                "GE0/0/1",
                "core-1.example.net",
                "aaaa-bbbb-cccc",
                "XGE1/0/1",
                "uplink",
                "Interface name",
            ),
            "XGE1/0/1",
            "core-1",
        ),
        (
            Neighbor(
                "Gi1/0/1",
                "",
                "94f1.2879.5555",
                "94f1.2879.5555",
                "GigabitEthernet1/0/9",
                "MAC address",
            ),
            "GigabitEthernet1/0/9",
            "94f1.2879.5555",
        ),
        (Neighbor("Gi1/0/2", "", "7c25.86c9.aaaa", "502", "ge-0/0/0.0"), "502", "7c25.86c9.aaaa"),
    ],
)
def test_peer_port_and_label(neighbor: Neighbor, peer_port: str, label: str) -> None:
    assert neighbor.peer_port == peer_port
    assert neighbor.peer_label == label


def test_from_napalm() -> None:
    detail = {
        "GigabitEthernet1/0/49": [
            {
                "parent_interface": "",
                "remote_port": "XGigabitEthernet0/0/3",
                "remote_port_description": "TO-YM-ACC-1",
                "remote_chassis_id": "00e0.fc12.3456",
                "remote_system_name": "YM-BASE-AGG-01",
                "remote_system_description": "Huawei Switch\nsecond line",
                "remote_system_capab": ["bridge", "router"],
                "remote_system_enable_capab": ["bridge"],
            }
        ]
    }
    (n,) = from_napalm(detail)
    assert (n.local_interface, n.neighbor_name, n.peer_port) == (
        "GigabitEthernet1/0/49",
        "YM-BASE-AGG-01",
        "XGigabitEthernet0/0/3",
    )
    assert n.system_description == "Huawei Switch"
    assert n.capabilities == "bridge"


# -- the TTP parser is built once per template and re-used (netsteward.tasks.topology.lldp._parser) ----------------


def _golden_parses() -> list[tuple[str, str, object]]:
    """(platform, text, expected) for every LLDP and LAG golden file, from the .expected.json."""
    out: list[tuple[str, str, object]] = []
    for raw in CASES:
        out.append(("lldp:" + raw.parent.name, raw.read_text(), _expected(raw)))
    for raw in sorted(GOLDEN.glob("*/lag_*.raw")):
        out.append(("lag:" + raw.parent.name, raw.read_text(), _expected(raw)))
    return out


def _expected(raw: Path) -> object:
    return json.loads(raw.with_suffix(".expected.json").read_text())


def _parse(kind_platform: str, text: str) -> object:
    kind, platform = kind_platform.split(":")
    if kind == "lldp":
        return [asdict(n) for n in parse_lldp(platform, text)]
    return {lag: list(m) for lag, m in parse_lags(platform, text).items()}


def test_reused_parser_gives_each_input_only_its_own_result() -> None:
    """Nothing of one input stays in the cached parser: in any order, and an empty input after a
    long one, every parse equals its golden file."""
    cases = _golden_parses()
    assert len(cases) >= 10
    for key, text, expected in [*cases, *reversed(cases), *cases[::2]]:
        assert _parse(key, text) == expected, key
        empty = _parse(key, "")
        assert empty in ([], {}), (key, empty)


def test_parsing_from_many_threads_equals_parsing_alone() -> None:
    """Discovery parses in Nornir's worker threads; the shared parsers must not mix inputs."""
    cases = _golden_parses()
    wrong: list[str] = []

    def work(start: int) -> None:
        for i in range(3 * len(cases)):
            key, text, expected = cases[(start + i) % len(cases)]
            if _parse(key, text) != expected:
                wrong.append(key)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up every run
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []
