"""`netsteward --lang zh`: every job's report in Chinese, end to end against the lab.

One backup of the whole fleet and one topology snapshot (into a temporary backup
repository), then normalize plan, audit firewall, drift, topology report and inventory
check, each with `--lang zh` (or NETSTEWARD_LANG=zh). Human text must have no English left:
what remains after taking out device data (names, interfaces, addresses, configuration
lines in code spans and blocks, quoted device text) and the ids that stay ids (check ids,
platform names, abbreviations such as LLDP or LAG) may not contain English words.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# English words of our own messages; none may survive in a Chinese report
_WORDS = """the of and to with from for by is are was no not none devices device changed unchanged
    failed rules rule finding findings port ports description descriptions missing link links
    switch switches report plan drift lines total audit backup backed topology changes added
    removed replaced known new clean unreadable check severity detail within intent exposure
    server servers sources protocol yes high medium low nodes unknown pages files snapshot
    snapshots written commit nothing inventory hosts problem problems made configuration
    edge uplink global loop protection legend overview pair access aggregation core router
    firewall result exit approved live against meaning count reason host status seconds"""
ENGLISH = frozenset(_WORDS.split())
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
TOKEN = re.compile(r"[A-Za-z0-9_.:'-]+")


def english_left(text: str) -> list[str]:
    """The English words of `text` outside code, quotes, tags and attributes."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)  # CSS
    text = re.sub(r"<[^>]+>", " ", text)  # HTML and SVG tags and their attributes
    text = QUOTED.sub(" ", CODE.sub(" ", text))
    text = re.sub(r"\S*/\S*", " ", text)  # paths, interface names, dates with slashes
    found = []
    for line in text.splitlines():
        # words only: not device names (YM-...), ports (port2), ids (EXCESS_EXPOSURE), LLDP
        words = [t.strip(".:'-").lower() for t in TOKEN.findall(line) if not t.isupper()]
        hits = [w for w in words if w.isalpha() and w in ENGLISH]
        if hits:
            found.append(f"{hits}: {line.strip()[:160]}")
    return found


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def zh(lab, tmp_path_factory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("zh-reports")
    repo = work / "configs"
    state: dict[str, Any] = {"lab": lab, "repo": repo, "work": work, "out": {}}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        proc = lab.netsteward("--lang", "zh", *args)
        state["out"][" ".join(args[:2])] = proc
        return proc

    state["run"] = run
    backup = run("backup", "--repo", str(repo), "--date", "2026-11-01")
    assert backup.returncode == 0, backup.stderr[-2000:]
    snap = run("topology", "snapshot", "--repo", str(repo), "--date", "2026-11-01")
    assert snap.returncode == 0, snap.stderr[-2000:]
    return state


def env_run(lab, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with NETSTEWARD_LANG=zh instead of --lang (the lab's credentials are exported)."""
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args, "--config", str(lab.config)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ) | {"NETSTEWARD_LANG": "zh"},
        timeout=600,
        check=False,
    )


def test_backup_and_snapshot_summaries(zh: dict[str, Any]) -> None:
    backup = zh["out"]["backup --repo"].stdout
    assert backup.startswith("配置备份 2026-11-01：739 台设备中 739 台备份成功")
    assert "共 739 台设备，用时" in backup
    snap = zh["out"]["topology snapshot"].stdout
    assert snap.startswith("拓扑快照 2026-11-01：")
    assert english_left(backup + snap) == []


def test_normalize_plan(zh: dict[str, Any]) -> None:
    md = zh["work"] / "plan.md"
    proc = zh["run"](
        "normalize",
        "plan",
        "--offline",
        "--repo",
        str(zh["repo"]),
        "--out",
        str(zh["work"] / "plan.json"),
        "--markdown",
        str(md),
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 端口规范化变更计划")
    assert "端口缺少描述" in text and "接入交换机" in text
    assert "端口变更计划（离线，基于备份）" in proc.stdout
    plan = json.loads((zh["work"] / "plan.json").read_text(encoding="utf-8"))
    assert plan["devices"][0].keys() >= {"host", "changes"}  # JSON keys stay
    reasons = [c["reason"] for d in plan["devices"] for c in d["changes"]]
    assert reasons and all(not english_left(r) for r in reasons)
    assert english_left(text) == [] and english_left(proc.stdout) == []


def test_audit_firewall(zh: dict[str, Any]) -> None:
    md, html = zh["work"] / "audit.md", zh["work"] / "audit.html"
    sarif = zh["work"] / "audit.sarif"
    proc = zh["run"](
        "audit",
        "firewall",
        "--repo",
        str(zh["repo"]),
        "--as-of",
        "2026-11-27",
        "--markdown",
        str(md),
        "--html",
        str(html),
        "--sarif",
        str(sarif),
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "审计：34 台防火墙" in proc.stdout
    doc = sarif.read_text(encoding="utf-8")
    rules = json.loads(doc)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"ANY_ANY_PERMIT", "SHADOWED_RULE"}  # ids stay
    assert html.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    for text in (md.read_text(encoding="utf-8"), html.read_text(encoding="utf-8"), proc.stdout):
        assert english_left(text) == []


def test_drift_offline(zh: dict[str, Any]) -> None:
    md = zh["work"] / "drift.md"
    proc = zh["run"]("drift", "--offline", "--repo", str(zh["repo"]), "--markdown", str(md))
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "netsteward 配置漂移检查" in proc.stdout
    assert english_left(proc.stdout) == [] and english_left(md.read_text(encoding="utf-8")) == []


def test_topology_report_pages(zh: dict[str, Any]) -> None:
    out = zh["work"] / "topo"
    proc = zh["run"](
        "topology", "report", "--year", "2026", "--repo", str(zh["repo"]), "--out", str(out)
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert proc.stdout.startswith("2026 年拓扑报告")
    legend = next(out.glob("*legend*.svg")).read_text(encoding="utf-8")
    overview = next(out.glob("*overview*.svg")).read_text(encoding="utf-8")
    assert "<title>图例</title>" in legend and "总览" in overview
    assert any(out.glob("*legend*.png"))
    for text in (legend, overview, proc.stdout):
        assert english_left(re.sub(r"<title>.*?</title>", "", text, flags=re.S)) == []


def test_inventory_check_through_the_environment(zh: dict[str, Any]) -> None:
    proc = env_run(zh["lab"], "inventory", "check")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("设备清单校验通过：共 739 台设备")


def test_audit_baseline(zh: dict[str, Any]) -> None:
    md, html, sarif = (zh["work"] / f"baseline.{ext}" for ext in ("md", "html", "sarif"))
    plan = zh["work"] / "baseline-plan.json"
    proc = zh["run"](
        "audit",
        "baseline",
        "--repo",
        str(zh["repo"]),
        "--as-of",
        "2026-11-27",
        "--group-by",
        "control",
        "--markdown",
        str(md),
        "--html",
        str(html),
        "--sarif",
        str(sarif),
        "--plan",
        str(plan),
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    summary = [ln for ln in proc.stdout.splitlines() if ln.startswith("基线核查：739 台设备")]
    assert summary, proc.stdout[-2000:]
    assert "变更计划已写入" in proc.stdout
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"MGMT-TELNET-OFF", "SNMP-WRITE-COMMUNITY"}  # ids
    page = html.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    page = re.sub(r"<code>.*?</code>|<title>.*?</title>", " ", page, flags=re.S)  # device lines
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 安全基线核查（2026-11-27）") and "8.1.4.1 b 安全计算环境" in text
    # the console table shows configuration lines as they are: its own text is the summary
    for doc in (text, page, "\n".join(summary)):
        assert english_left(doc) == []
