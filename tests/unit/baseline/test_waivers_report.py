"""Waivers both ways, and the reports: grouping, JSON and SARIF stable for CI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from netsteward.tasks.baseline import report
from netsteward.tasks.baseline.check import Device, audit_device
from netsteward.tasks.baseline.rules import load_rules
from netsteward.tasks.baseline.waivers import EXPIRED, OPEN, WAIVED, apply_waivers, load_waivers
from netsteward.tasks.core.errors import PolicyError

ROOT = Path(__file__).resolve().parents[3]
RULES = load_rules(ROOT / "policy" / "baseline")
C9200 = ROOT / "tests" / "golden" / "cisco_ios" / "c9200l_17_09.raw"
RISKY = ROOT / "tests" / "golden" / "baseline" / "vrpir_risky_edge_usg.cfg"


def findings() -> list:
    out = []
    for name, path, platform, role in (
        ("SW-C9200", C9200, "cisco_ios", "access"),
        ("FW-RISKY", RISKY, "huawei_vrp", "firewall"),
    ):
        out += audit_device(
            Device(name, platform, role, path=str(path)), path.read_text(), RULES
        ).findings
    return out


def waiver_file(
    tmp_path: Path, expires: str, device: str = "SW-C9200", check: str = "SNMP-WRITE-COMMUNITY"
) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "version: 1\nwaivers:\n"
        f"  - device: {device}\n    check: {check}\n    reason: NMS writes until the migration (ticket 4711)\n"
        f"    who: Zhang Wei\n    expires: {expires}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(date(2026, 12, 30), WAIVED), (date(2026, 12, 31), WAIVED), (date(2027, 1, 1), EXPIRED)],
)
def test_a_waiver_covers_until_its_expiry_and_then_the_finding_counts_again(
    tmp_path: Path, as_of: date, status: str
) -> None:
    waivers = load_waivers(waiver_file(tmp_path, "2026-12-31"), RULES)
    result = apply_waivers(findings(), waivers, as_of)
    covered = [
        f for f in result.findings if f.check == "SNMP-WRITE-COMMUNITY" and f.device == "SW-C9200"
    ]
    assert covered and all(f.status == status for f in covered)
    assert all("Zhang Wei, until 2026-12-31" in f.waiver for f in covered)
    others = [f for f in result.findings if f not in covered]
    assert all(f.status == OPEN for f in others)
    run = report.AuditRun("x", "d", devices=2, findings=result.findings)
    counted = {(f.device, f.check) for f in run.counted}
    assert (("SW-C9200", "SNMP-WRITE-COMMUNITY") in counted) == (status == EXPIRED)
    assert report.summary(run)["waived" if status == WAIVED else "waiver_expired"] == len(covered)
    assert result.unused == []


def test_a_glob_waiver_and_a_waiver_that_matches_nothing(tmp_path: Path) -> None:
    waivers = load_waivers(
        waiver_file(tmp_path, "2030-01-01", device="FW-*", check="MGMT-BANNER"), RULES
    )
    result = apply_waivers(findings(), waivers, date(2026, 12, 1))
    assert [f.status for f in result.findings if f.check == "MGMT-BANNER"] == [WAIVED]
    none = load_waivers(waiver_file(tmp_path, "2030-01-01", device="NO-SUCH-*"), RULES)
    assert apply_waivers(findings(), none, date(2026, 12, 1)).unused == none


def test_a_bad_waiver_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = waiver_file(tmp_path, "2026-12-31", check="SNMP-WRITE")
    with pytest.raises(PolicyError) as err:
        load_waivers(path, RULES)
    assert str(err.value) == f"{path}:4: waivers.0.check: no check 'SNMP-WRITE' in any rule file"
    path = waiver_file(tmp_path, "31.12.2026")
    with pytest.raises(PolicyError) as err:
        load_waivers(path, RULES)
    assert err.value.line == 7 and err.value.field == "waivers.0.expires"


def run_of() -> report.AuditRun:
    waivers = load_waivers(waiver_file(Path(__import__("tempfile").mkdtemp()), "2026-12-31"), RULES)
    result = apply_waivers(findings(), waivers, date(2026, 12, 1))
    return report.AuditRun(
        "2026-12-01",
        RULES.digest,
        devices=2,
        checks=40,
        findings=result.findings,
        files={"SW-C9200": "base/access/SW-C9200.cfg", "FW-RISKY": "base/firewall/FW-RISKY.cfg"},
    )


@pytest.mark.parametrize("group_by", report.GROUPS)
def test_reports_group_by_device_check_and_control(group_by: str) -> None:
    run = run_of()
    groups = report.grouped(run.findings, group_by)
    key = {"device": "device", "check": "check", "control": "control"}[group_by]
    assert all(getattr(f, key) == k for k, items in groups.items() for f in items)
    text = report.table(run, RULES, group_by)
    for k in groups:
        assert report.heading(k, group_by, RULES) in text
    md = report.markdown(run, RULES, group_by)
    assert "## Findings by control" in md and "| 8.1.4.2 b |" in md
    html = report.html_report(run, RULES, group_by)
    assert html.startswith("<!DOCTYPE html>") and "8.1.4.1 c" in html
    if group_by == "control":  # clause order, not string order
        assert list(groups) == sorted(
            groups, key=lambda c: (tuple(int(p) for p in c.split()[0].split(".")), c)
        )


def test_json_is_stable_and_complete() -> None:
    a, b = report.to_json(run_of()), report.to_json(run_of())
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert list(a) == ["summary", "findings", "not_audited", "unknown_files", "unused_waivers"]
    f = a["findings"][0]
    assert list(f) == list(report.FINDING_KEYS)
    assert all(k in f for k in ("device", "check", "control", "line", "evidence"))
    assert a["findings"] == sorted(
        a["findings"], key=lambda f: (f["device"], f["line"], f["check"], f["evidence"])
    )
    assert a["summary"]["waived"] == 1 and a["summary"]["by_severity"]["high"] >= 3


def test_sarif_is_2_1_0_stable_with_rules_per_check_and_suppressed_waivers() -> None:
    doc = report.sarif(run_of(), RULES)
    again = report.sarif(run_of(), RULES)
    assert json.dumps(doc, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "MGMT-TELNET-OFF" in ids
    assert rules[ids.index("MGMT-TELNET-OFF")]["properties"]["control"] == "8.1.4.1 c"
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] in (
            "base/access/SW-C9200.cfg",
            "base/firewall/FW-RISKY.cfg",
        )
        assert loc["region"]["startLine"] >= 1
        assert len(res["partialFingerprints"]["baselineFinding/v1"]) == 32
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert len(suppressed) == 1 and suppressed[0]["ruleId"] == "SNMP-WRITE-COMMUNITY"
    prints = [r["partialFingerprints"]["baselineFinding/v1"] for r in run["results"]]
    assert len(prints) == len(set(prints))


def test_in_chinese_titles_and_advice_come_from_the_catalogue_and_note_zh() -> None:
    from netsteward.tasks.core.i18n import set_language

    set_language("zh")
    try:
        found = findings()
        md = report.markdown(run_of(), RULES, "check")
    finally:
        set_language(None)
    lockout = next(f for f in found if f.check == "AUTH-LOCKOUT" and f.device == "SW-C9200")
    assert lockout.detail.startswith(RULES.controls.checks["AUTH-LOCKOUT"].zh + "：")
    write = next(f for f in found if f.check == "SNMP-WRITE-COMMUNITY")
    assert write.note.startswith("删除（`no snmp-server community NAME`）")
    assert (
        md.startswith("# 安全基线核查")
        and "| AUTH-LOCKOUT | 登录失败达到次数后锁定账户 | 高风险 |" in md
    )
    english = findings()  # and back: the rule file's own title and note
    assert next(f for f in english if f.check == "SNMP-WRITE-COMMUNITY").note.startswith(
        "remove it"
    )
