"""`netsteward inspect` against the lab (all 739 devices, over SSH):

1. the first inspection finds exactly the planted anomalies of `lab truth` on every
   platform (none missed, none invented), except the error counters that only a second
   inspection can see growing;
2. a fan and an optic broken with `lab fault` between two inspections appear in the second,
   marked new, together with the growing CRC counters;
3. after `lab fault HOST clear` they show as cleared in the third;
4. a device taken off the network is listed with its reason, exit 3;
5. the month's report is written from the kept inspections.
The workbook, Markdown and HTML of each run are written and the workbook opens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, LabHandle, _lab_env
from netmiko import ConnectHandler
from openpyxl import load_workbook

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1500)]


def inspect(lab: LabHandle, work: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    proc = lab.netsteward(
        "inspect",
        "--json",
        "--workers",
        "150",
        "--repo",
        str(work / "configs"),
        "--out",
        str(work / "out"),
        *extra,
    )
    assert proc.returncode in (0, 1, 3), proc.stderr[-3000:]
    return proc.returncode, json.loads(proc.stdout)


def found(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["host"], f["check"]) for f in doc["findings"]}


def planted(truth: dict[str, Any], *, with_history: bool) -> set[tuple[str, str]]:
    return {
        (t["host"], t["check"])
        for t in truth["health_anomalies"]
        if with_history or not t["needs_history"]
    }


def healthy(truth: dict[str, Any], platform: str, role: str) -> str:
    busy = {t["host"] for t in truth["health_anomalies"]}
    return next(
        d["name"]
        for d in truth["devices"]
        if d["platform"] == platform and d["role"] == role and d["name"] not in busy
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("inspect")


def test_inspections_find_exactly_the_planted_anomalies_then_new_and_cleared(
    fresh_lab: LabHandle, work: Path
) -> None:
    truth = fresh_lab.truth()
    assert {t["platform"] for t in truth["health_anomalies"]} == {
        d["platform"] for d in truth["devices"]
    }

    # 1. the first inspection: every planted anomaly that one reading can show
    rc, first = inspect(fresh_lab, work)
    assert rc == 1
    assert (
        first["counts"]["read"] == len(truth["devices"]) and first["counts"]["unread_displays"] == 0
    )
    want = planted(truth, with_history=False)
    assert found(first) - want == set(), "invented"
    assert want - found(first) == set(), "missed"
    for f in first["findings"]:
        assert f["value"] is not None and f["threshold"] and f["evidence"], f
    # the running configuration against the saved one (Comware, ASA): the first differing
    # line is the evidence, as the backup stores it
    compared = {
        (t["host"], "config_saved")
        for t in truth["health_anomalies"]
        if t["kind"] == "unsaved" and t["platform"] in ("hp_comware", "cisco_asa")
    }
    assert len(compared) == 2
    for f in first["findings"]:
        if (f["host"], f["check"]) in compared:
            assert f["evidence"][:2] in ("+ ", "- ") and f["command"] in (
                "display current-configuration",
                "show running-config",
            ), f
    wb = load_workbook(first["files"]["xlsx"])
    assert wb.sheetnames[:3] == ["Summary", "Devices", "Anomalies"]
    assert wb["Anomalies"].max_row == len(first["findings"]) + 1
    for key in ("markdown", "html"):
        assert Path(first["files"][key]).read_text(encoding="utf-8").strip()

    # 2. a fan and an optic break between two inspections
    fan_host = healthy(truth, "huawei_vrp", "access")
    optic_host = healthy(truth, "hp_comware", "access")
    for host, kind in ((fan_host, "fan"), (optic_host, "optic")):
        fresh_lab.cli("fault", host, kind, check=True)
    rc, second = inspect(fresh_lab, work)
    assert rc == 1 and second["previous"] == first["started"]
    injected = {(fan_host, "fan"), (optic_host, "optics")}
    assert found(second) == planted(truth, with_history=True) | injected
    status = {(f["host"], f["check"]): f["status"] for f in second["findings"]}
    assert all(status[k] == "new" for k in injected)
    growth = {(t["host"], "errors") for t in truth["health_anomalies"] if t["needs_history"]}
    assert growth and all(status[k] == "new" for k in growth)
    assert all(status[k] == "open" for k in planted(truth, with_history=False))
    assert second["counts"]["new"] == len(injected | growth) and second["cleared"] == []

    # 3. repaired: cleared in the third
    for host in (fan_host, optic_host):
        fresh_lab.cli("fault", host, "clear", check=True)
    rc, third = inspect(fresh_lab, work)
    assert found(third) == planted(truth, with_history=True)
    assert {(f["host"], f["check"]) for f in third["cleared"]} == injected
    anomalies = load_workbook(third["files"]["xlsx"])["Cleared"]
    assert {(r[2].value, r[3].value) for r in anomalies.iter_rows(min_row=2)} == {
        (fan_host, "Fans"),
        (optic_host, "Optics"),
    }


def test_unreachable_device_is_listed_with_its_reason_and_exit_3(
    fresh_lab: LabHandle, work: Path
) -> None:
    fresh_lab.cli("unplug", "YM-SAN-FC-02", check=True)
    try:
        rc, doc = inspect(
            fresh_lab, work, "--hosts", "YM-SAN-FC-0*", "--timeout", "20", "--retries", "0"
        )
    finally:
        fresh_lab.cli("plug", "YM-SAN-FC-02", check=True)
    assert rc == 3
    assert [u["host"] for u in doc["unreachable"]] == ["YM-SAN-FC-02"] and doc["unreachable"][0][
        "reason"
    ]
    assert ("YM-SAN-FC-02", "reachable") in found(doc)


def test_month_report_from_the_kept_inspections(fresh_lab: LabHandle, work: Path) -> None:
    runs = sorted((work / "configs" / "inspections").glob("*/*.json"))
    assert runs
    month_ = runs[-1].parent.name
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "inspect",
            "report",
            "--month",
            month_,
            "--json",
            "--repo",
            str(work / "configs"),
            "--out",
            str(work / "out"),
        ],
        capture_output=True,
        text=True,
        env=_lab_env(),
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["counts"]["runs"] == len(runs) and doc["counts"]["anomalies"] > 0
    assert load_workbook(doc["files"]["xlsx"]).sheetnames == ["Summary", "Anomalies"]


def test_hillstone_ha_configured_is_a_gap_and_an_unsaved_fault_shows_on_comware(
    fresh_lab: LabHandle, work: Path
) -> None:
    """StoneOS's HA state has no documented display layout: a Hillstone with HA configured
    is reported as a gap (exit 3), never as healthy. `lab fault HOST unsaved` on a Comware
    switch shows in the next inspection with the line that is not saved."""
    truth = fresh_lab.truth()
    hs = healthy(truth, "hillstone_stoneos", "firewall")
    comware = healthy(truth, "hp_comware", "access")
    conn = ConnectHandler(  # the fixture exported the lab credentials
        device_type="hillstone_stoneos",
        host="127.0.0.1",
        port=fresh_lab.port_of(hs),
        username=os.environ["NETSTEWARD_USERNAME"],
        password=os.environ["NETSTEWARD_PASSWORD"],
    )
    try:
        conn.send_config_set(["ha link interface ethernet0/5", "ha cluster 1"])
    finally:
        conn.disconnect()
    rc, doc = inspect(fresh_lab, work, "--hosts", hs)
    assert rc == 3 and doc["counts"]["unread_displays"] == 1
    [gap] = doc["findings"]
    assert (gap["host"], gap["check"], gap["kind"]) == (hs, "ha", "unread")
    assert gap["evidence"] == "ha cluster 1" and "HA configured" in gap["message"]

    fresh_lab.cli("fault", comware, "unsaved", check=True)
    try:
        rc, doc = inspect(fresh_lab, work, "--hosts", comware)
    finally:
        fresh_lab.cli("fault", comware, "clear", check=True)
    assert rc == 1
    [unsaved] = doc["findings"]
    assert unsaved["check"] == "config_saved" and unsaved["evidence"].startswith("+ ")
