"""The lab fleet's asset ledger, generated in English and in Chinese (CSV in UTF-8 with BOM
and in GBK, XLSX), imports into the same inventory, and that inventory is the lab's own
(hosts.yaml) for every field a ledger carries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netsteward.lab.fleet.build import build_fleet
from netsteward.lab.fleet.inventory import render_hosts
from netsteward.lab.fleet.ledger import write_ledger
from netsteward.tasks.inventory.ledger import hosts_document, read_ledger

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def fleet():
    return build_fleet()


@pytest.fixture(scope="module")
def english(fleet, tmp_path_factory) -> dict:
    path = write_ledger(fleet, 10001, tmp_path_factory.mktemp("en") / "ledger.csv", "en")
    rows, problems = read_ledger(path)
    assert problems == []
    return hosts_document(rows)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("台账.csv", "utf-8-sig"), ("台账.csv", "gbk"), ("台账.csv", "gb18030"), ("台账.xlsx", "")],
)
def test_chinese_ledger_imports_into_the_english_inventory(
    fleet, english: dict, tmp_path: Path, name: str, encoding: str
) -> None:
    path = write_ledger(fleet, 10001, tmp_path / name, "zh", encoding or "utf-8-sig")
    rows, problems = read_ledger(path)
    assert problems == []
    assert hosts_document(rows) == english


def test_the_imported_inventory_is_the_labs(fleet, english: dict) -> None:
    lab = yaml.safe_load(render_hosts(fleet, 10001))
    assert set(english) == set(lab)
    for name, host in english.items():
        want = lab[name]
        assert {k: host[k] for k in ("hostname", "port", "platform", "groups")} == {
            k: want[k] for k in ("hostname", "port", "platform", "groups")
        }
        data = {k: v for k, v in host["data"].items() if k != "serial"}
        assert data == {k: want["data"][k] for k in data}, name
    assert any(
        " " in h["data"]["location"] and not h["data"]["location"].isascii()
        for h in english.values()
    )


def test_generated_ledger_through_the_cli(tmp_path: Path) -> None:
    ledger = tmp_path / "台账.csv"
    gen = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.lab",
            "ledger",
            "--lang",
            "zh",
            "--encoding",
            "gbk",
            "--out",
            str(ledger),
            "--state-dir",
            str(tmp_path / "lab"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert gen.returncode == 0, gen.stderr
    assert ledger.read_bytes().decode("gbk").startswith("序号,设备名称,管理地址")
    out = tmp_path / "hosts.yaml"
    imp = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "--lang",
            "zh",
            "inventory",
            "import",
            str(ledger),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert imp.returncode == 0, imp.stderr
    assert "导入 739 台设备" in imp.stdout
    assert len(yaml.safe_load(out.read_text(encoding="utf-8"))) == 739
