"""`netsteward inventory import`: an asset ledger (CSV/XLSX) becomes hosts.yaml, or one line per
bad row naming the column as the ledger heads it. Chinese ledgers: test_ledger_zh.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from netsteward.tasks.inventory.check import check_inventory
from netsteward.tasks.inventory.ledger import hosts_document, read_ledger

ROOT = Path(__file__).resolve().parents[3]
HEADER = ["Device Name", "Management Address", "Vendor", "Model", "Role", "Network", "Location"]
ROWS = [
    ["YM-BASE-ACC-001", "10.10.0.11", "Huawei", "S5735-L48T4X-A1", "access", "base", "F03-IDF-2"],
    ["YM-DEV-AGG-01", "10.20.0.2", "H3C", "S6520X-30QC-EI", "Aggregation", "device net", "B1-MDF"],
    ["YM-EGE-FW-01", "10.30.0.1", "Cisco", "ASA5525-X", "firewall", "egov_extranet", "B1-MDF"],
    ["YM-BASE-ACC-002", "10.10.0.12", "Cisco", "C2960X-48TD-L", "access", "base", "F04-IDF-1"],
    ["YM-SAN-FC-01", "10.40.0.1", "Brocade", "G620", "fc_switch", "san", "B1-MDF"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_good_ledger_builds_a_clean_inventory(tmp_path: Path, writer) -> None:
    ledger = writer(tmp_path / ("ledger.csv" if writer is write_csv else "ledger.xlsx"), ROWS)
    rows, problems = read_ledger(ledger)
    assert problems == []
    doc = hosts_document(rows)
    assert doc["YM-DEV-AGG-01"] == {
        "hostname": "10.20.0.2",
        "port": 22,
        "platform": "hp_comware",
        "groups": ["hp_comware", "aggregation", "device_net"],
        "data": {
            "role": "aggregation",
            "network": "device_net",
            "model": "S6520X-30QC-EI",
            "vendor": "h3c",
            "location": "B1-MDF",
        },
    }
    assert doc["YM-EGE-FW-01"]["platform"] == "cisco_asa"
    assert doc["YM-BASE-ACC-002"]["platform"] == "cisco_ios"
    assert doc["YM-SAN-FC-01"]["platform"] == "brocade_fos"
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert check_inventory({"host": hosts, "group": ROOT / "inventory" / "groups.yaml"}) == []


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["X-1", "10.0.0.300", "Huawei", "m", "access", "base", ""],
            ":7: Management Address: not an IP address: '10.0.0.300'",
        ),
        (
            ["X-1", "10.0.0.9", "Juniper", "EX4300", "access", "base", ""],
            ":7: Vendor: unknown vendor 'Juniper'",
        ),
        (
            ["X-1", "10.0.0.9", "Huawei", "m", "switch", "base", ""],
            ":7: Role: unknown role 'switch'",
        ),
        (
            ["X-1", "10.0.0.9", "Huawei", "m", "access", "dmz", ""],
            ":7: Network: unknown network 'dmz'",
        ),
        (
            ["YM-SAN-FC-01", "10.0.0.9", "Huawei", "m", "access", "base", ""],
            ":7: Device Name: duplicate of row 6",
        ),
        (
            ["X-1", "10.40.0.1", "Huawei", "m", "access", "base", ""],
            ":7: Management Address: same address and port 10.40.0.1:22 as row 6",
        ),
        (["", "10.0.0.9", "Huawei", "m", "access", "base", ""], ":7: Device Name: empty"),
        (
            ["bad name", "10.0.0.9", "Huawei", "m", "access", "base", ""],
            ":7: Device Name: not a valid device name",
        ),
    ],
)
def test_bad_rows_one_line_each(tmp_path: Path, row: list[str], expected: str) -> None:
    rows, problems = read_ledger(write_csv(tmp_path / "ledger.csv", [*ROWS, row]))
    lines = [str(p) for p in problems]
    assert len(lines) == 1, lines
    assert lines[0].startswith(str(tmp_path / "ledger.csv") + expected)
    assert len(rows) == len(ROWS)


def test_missing_columns_and_unsupported_files(tmp_path: Path) -> None:
    _, problems = read_ledger(
        write_csv(tmp_path / "l.csv", [r[:2] for r in ROWS], header=HEADER[:2])
    )
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'l.csv'}:1: header: missing column(s): role, network, vendor (or platform) (found: Device Name, Management Address)"
    ]
    _, problems = read_ledger(tmp_path / "l.ods")
    assert "unsupported ledger type" in str(problems[0]) or "file not found" in str(problems[0])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", "inventory", "import", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_writes_only_a_clean_ledger(tmp_path: Path) -> None:
    out = tmp_path / "hosts.yaml"
    ok = _cli(str(write_xlsx(tmp_path / "ledger.xlsx", ROWS)), "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert set(yaml.safe_load(out.read_text())) == {r[0] for r in ROWS}
    assert "password" not in out.read_text()
    out.unlink()
    bad = _cli(
        str(
            write_csv(
                tmp_path / "bad.csv", [*ROWS, ["X", "nope", "Huawei", "m", "access", "base", ""]]
            )
        ),
        "--out",
        str(out),
    )
    assert bad.returncode == 2
    assert bad.stderr.splitlines() == [
        f"{tmp_path / 'bad.csv'}:7: Management Address: not an IP address: 'nope' (nothing written)"
    ]
    assert "nothing written" in bad.stderr
    assert not out.exists()
