"""Reports and the `netsteward audit firewall` command on the hand-written golden configurations."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netsteward.playbooks.cli import app, register
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.firewall import report as fw_report
from netsteward.tasks.firewall.audit import CHECKS, audit_config
from netsteward.tasks.firewall.intent import load_intent

register()  # every job's commands on `app` (a run registers only the one it names)

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
INTENT = GOLDEN / "firewall" / "intent.yaml"
ASA = GOLDEN / "cisco_asa" / "fw_policy.cfg"
runner = CliRunner()


def _result():
    return audit_config(
        "cisco_asa", ASA.read_text(), load_intent(INTENT), date(2026, 6, 1), "ASA-GOLDEN"
    )


def test_json_shape_is_exactly_the_contract() -> None:
    data = fw_report.to_json(_result())
    assert list(data) == ["findings", "exposure", "read_warnings"]
    for f in data["findings"]:
        assert list(f) == ["device", "rule", "line", "check", "severity", "detail"]
    assert {
        "server",
        "device",
        "rule",
        "line",
        "sources",
        "protocol",
        "ports",
        "within_intent",
    } <= set(data["exposure"][0])


def test_sarif_is_2_1_0_with_one_rule_per_check() -> None:
    result = _result()
    doc = fw_report.sarif(result, {"ASA-GOLDEN": "configs/base/firewall/ASA-GOLDEN.cfg"})
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [*CHECKS, fw_report.READ_WARNING]
    assert len(run["results"]) == len(result.findings)
    for res, f in zip(run["results"], result.findings, strict=True):
        assert (
            res["ruleId"] == f.check
            and run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == f.check
        )
        assert res["level"] == {"high": "error", "medium": "warning", "low": "note"}[f.severity]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "configs/base/firewall/ASA-GOLDEN.cfg"
        assert loc["region"]["startLine"] == f.line


def test_markdown_and_html_carry_every_finding() -> None:
    result = _result()
    md = fw_report.markdown(result, 1, "2026-06-01")
    page = fw_report.html_report(result, 1, "2026-06-01")
    for f in result.findings:
        assert f"| {f.rule} | {f.line} | {f.check} |" in md
        assert f"<td>{f.rule}</td><td>{f.line}</td>" in page
    assert "### WEB" in md and "<h3>DB</h3>" in page


@pytest.mark.parametrize(("fail_on", "code"), [("high", 1), ("low", 1)])
def test_cli_exit_codes_and_outputs(tmp_path: Path, fail_on: str, code: int) -> None:
    args = [
        "audit",
        "firewall",
        "--config-file",
        str(ASA),
        "--platform",
        "cisco_asa",
        "--intent",
        str(INTENT),
        "--as-of",
        "2026-06-01",
        "--fail-on",
        fail_on,
        "--markdown",
        str(tmp_path / "a.md"),
        "--html",
        str(tmp_path / "a.html"),
        "--sarif",
        str(tmp_path / "a.sarif"),
        "--json",
    ]
    out = runner.invoke(app, args)
    assert out.exit_code == code, out.output
    data = json.loads(out.stdout)
    assert len(data["findings"]) == 16
    assert json.loads((tmp_path / "a.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "a.md").read_text().startswith("# Firewall audit (2026-06-01)")


def test_cli_clean_policy_exits_zero(tmp_path: Path) -> None:
    cfg = tmp_path / "clean.cfg"
    cfg.write_text(
        "access-list IN remark web\naccess-list IN extended permit tcp any host 192.0.2.10 eq 443 log\n"
        "access-group IN in interface outside\n"
    )
    out = runner.invoke(
        app, ["audit", "firewall", "--config-file", str(cfg), "--intent", str(INTENT)]
    )
    assert out.exit_code == 0, out.output
    assert "0 finding(s)" in out.stdout


def test_cli_bad_input_exits_two(tmp_path: Path) -> None:
    netsteward = Path(sys.executable).parent / "netsteward"
    proc = subprocess.run(
        [
            str(netsteward),
            "audit",
            "firewall",
            "--config-file",
            str(ASA),
            "--platform",
            "junos",
            "--intent",
            str(INTENT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "netsteward: --platform: unknown platform 'junos' "
        "(known: cisco_asa, fortinet, hillstone_stoneos, huawei_vrp)"
    )
    out = runner.invoke(
        app, ["audit", "firewall", "--repo", str(tmp_path / "nothing"), "--intent", str(INTENT)]
    )
    assert isinstance(out.exception, BadInput) and out.exception.exit_code == 2


def test_cli_reads_backup_repository_layout(tmp_path: Path) -> None:
    for platform in ("huawei_vrp", "cisco_asa"):
        target = tmp_path / "base" / "firewall" / f"{platform.upper()}-FW.cfg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((GOLDEN / platform / "fw_policy.cfg").read_text())
    out = runner.invoke(
        app,
        [
            "audit",
            "firewall",
            "--repo",
            str(tmp_path),
            "--intent",
            str(INTENT),
            "--as-of",
            "2026-06-01",
            "--json",
        ],
    )
    assert out.exit_code == 1, out.output
    devices = {f["device"] for f in json.loads(out.stdout)["findings"]}
    assert devices == {"HUAWEI_VRP-FW", "CISCO_ASA-FW"}


def test_cli_hosts_filter_and_fail_on_threshold(tmp_path: Path) -> None:
    for name in ("EDGE-FW-01", "CORE-FW-01"):
        target = tmp_path / "base" / "firewall" / f"{name}.cfg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            "access-list IN remark web\n"
            "access-list IN extended permit tcp any host 192.0.2.10 eq https log\n"
            "access-list IN extended permit tcp any host 192.0.2.10 eq https\n"
        )  # the second entry: redundant, no logging, no comment (all low)
    args = ["audit", "firewall", "--repo", str(tmp_path), "--intent", str(INTENT), "--json"]
    out = runner.invoke(app, [*args, "--hosts", "EDGE-*"])
    assert out.exit_code == 0, out.output  # only low findings, default --fail-on high
    findings = json.loads(out.stdout)["findings"]
    assert {f["device"] for f in findings} == {"EDGE-FW-01"}
    assert sorted(f["check"] for f in findings) == ["NO_COMMENT", "NO_LOGGING", "REDUNDANT_RULE"]
    assert runner.invoke(app, [*args, "--fail-on", "low"]).exit_code == 1
    assert runner.invoke(app, [*args, "--fail-on", "medium"]).exit_code == 0
