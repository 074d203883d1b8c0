"""Drift model, classification and renderers: pure functions, golden files.

Config-diff goldens: tests/golden/<platform>/drift-<case>.approved + .live -> .expected.diff.
Renderer goldens: tests/golden/drift/<case>.expected.{txt,md,xml,json}.
Regenerate with `pytest tests/unit/test_drift.py --update` (or NETSTEWARD_UPDATE_GOLDEN=1)
and review the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsteward.playbooks.common import envelope
from netsteward.tasks.drift.model import (
    Adjacency,
    Check,
    DeviceInfo,
    DriftReport,
    Status,
    Violation,
    checks_for,
    classify,
    config_diff,
    config_result,
    policy_result,
    topology_result,
    unreadable_results,
)
from netsteward.tasks.drift.render import (
    render_console,
    render_junit,
    render_markdown,
    report_counts,
    report_json,
)

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


def _update(request: pytest.FixtureRequest) -> bool:
    return (
        bool(request.config.getoption("--update", False))
        or os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"
    )


def _golden(request: pytest.FixtureRequest, path: Path, actual: str) -> None:
    if _update(request) or not path.exists():
        if not _update(request):
            pytest.fail(f"missing golden file {path}; run with --update and review it")
        path.write_text(actual)
    assert actual == path.read_text()


DIFF_CASES = sorted(GOLDEN.glob("*/drift-*.approved"))


@pytest.mark.parametrize("approved", DIFF_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_config_diff_golden(request: pytest.FixtureRequest, approved: Path) -> None:
    live = approved.with_suffix(".live")
    result = config_result("DEV", approved.read_text(), live.read_text())
    _golden(request, approved.with_suffix(".expected.diff"), result.diff)
    assert (result.status is Status.DRIFT) == bool(result.diff)


def test_config_diff_cases_exist() -> None:
    assert {p.parent.name for p in DIFF_CASES} >= {"cisco_ios", "cisco_asa", "hp_comware"}


def test_config_diff_shows_exactly_the_changed_lines() -> None:
    approved = "sysname A\ninterface GE0/0/1\n description old\n port link-type access\n"
    live = "sysname A\ninterface GE0/0/1\n description new\n port link-type access\n"
    d = config_diff("A", approved, live)
    changed = [ln for ln in d.diff.splitlines()[2:] if ln[:1] in "+-"]
    assert changed == ["- description old", "+ description new"]
    assert (d.added, d.removed) == (1, 1)


def test_config_without_approved_backup_is_drift() -> None:
    r = config_result("NEW-DEV", None, "sysname NEW-DEV\n")
    assert r.status is Status.DRIFT
    assert "never backed up" in r.summary


def V(
    host: str, subject: str, kind: str, check: Check = Check.PORT_POLICY, detail: str = ""
) -> Violation:
    return Violation(host, check, subject, kind, detail=detail)


def test_classify_new_known_resolved() -> None:
    approved = [V("A", "GE0/0/1", "missing_description"), V("A", "GE0/0/9", "stale_description")]
    live = [
        V("A", "GE0/0/1", "missing_description"),
        V("A", "GE0/0/2", "edge_without_loop_protection"),
    ]
    c = classify(live, approved)
    assert [v.subject for v in c.new] == ["GE0/0/2"]
    assert [v.subject for v in c.known] == ["GE0/0/1"]
    assert [v.subject for v in c.resolved] == ["GE0/0/9"]


def test_classify_ignores_detail_such_as_line_numbers() -> None:
    approved = [V("FW", "rule 7", "ANY_SOURCE", Check.FIREWALL, detail="line 120")]
    live = [V("FW", "rule 7", "ANY_SOURCE", Check.FIREWALL, detail="line 121")]
    c = classify(live, approved)
    assert (len(c.new), len(c.known)) == (0, 1)


violations = st.builds(
    V,
    st.sampled_from(["A", "B"]),
    st.sampled_from(["GE0/0/1", "GE0/0/2", ""]),
    st.sampled_from(["missing_description", "stale_description"]),
)


@given(st.lists(violations), st.lists(violations))
def test_classify_partitions_live(live: list[Violation], approved: list[Violation]) -> None:
    c = classify(live, approved)
    approved_keys = {v.key for v in approved}
    assert {v.key for v in c.new} | {v.key for v in c.known} == {v.key for v in live}
    assert not {v.key for v in c.new} & approved_keys
    assert {v.key for v in c.known} <= approved_keys
    assert {v.key for v in c.resolved} == approved_keys - {v.key for v in live}


def test_policy_result_drift_only_on_new() -> None:
    known_only = policy_result(
        "A", Check.PORT_POLICY, [V("A", "GE0/0/1", "x")], [V("A", "GE0/0/1", "x")]
    )
    assert known_only.status is Status.CLEAN and len(known_only.known) == 1
    new = policy_result("A", Check.PORT_POLICY, [V("A", "GE0/0/2", "x")], [])
    assert new.status is Status.DRIFT


def test_topology_result_moved_gone_new() -> None:
    before = [Adjacency("GE0/0/1", "B", "GE0/0/1"), Adjacency("GE0/0/2", "C", "GE0/0/1")]
    after = [Adjacency("GE0/0/1", "D", "GE0/0/5"), Adjacency("GE0/0/3", "C", "GE0/0/1")]
    r = topology_result("A", before, after)
    assert r.status is Status.DRIFT
    assert r.diff.splitlines() == [
        "~ GE0/0/1: B GE0/0/1 -> D GE0/0/5",
        "- GE0/0/2: C GE0/0/1 (neighbour gone)",
        "+ GE0/0/3: C GE0/0/1 (new neighbour)",
    ]
    assert topology_result("A", before, list(reversed(before))).status is Status.CLEAN


@pytest.mark.parametrize(
    ("role", "platform", "expected"),
    [
        ("access", "huawei_vrp", ("config", "port_policy", "topology")),
        ("firewall", "huawei_vrp", ("config", "firewall")),
        ("firewall", "fortinet", ("config", "firewall")),
        ("fc_switch", "brocade_fos", ("config",)),
        ("ips", "hillstone_stoneos", ("config",)),
        ("ips", "huawei_vrp", ("config",)),
        ("router", "huawei_vrp", ("config", "port_policy", "topology")),
    ],
)
def test_checks_for(role: str, platform: str, expected: tuple[str, ...]) -> None:
    assert tuple(str(c) for c in checks_for(role, platform)) == expected


DEVICES = (
    DeviceInfo("YM-BASE-ACC-001", "huawei_vrp", "access", "base"),
    DeviceInfo("YM-BASE-ACC-002", "hp_comware", "access", "base"),
    DeviceInfo("YM-DMZ-FW-01", "cisco_asa", "firewall", "egov_extranet"),
    DeviceInfo("YM-BASE-CORE-01", "cisco_ios", "core", "base"),
)


def _report(case: str) -> DriftReport:
    ios = GOLDEN / "cisco_ios"
    asa = GOLDEN / "cisco_asa"
    results = []
    if case == "clean":
        for d in DEVICES:
            for c in checks_for(d.role, d.platform):
                results.append(
                    config_result(d.host, "x\n", "x\n")
                    if c is Check.CONFIG
                    else policy_result(d.host, c, [], [])
                    if c is not Check.TOPOLOGY
                    else topology_result(d.host, [], [])
                )
    else:
        results = [
            config_result("YM-BASE-ACC-001", "sysname A\n", "sysname A\n"),
            policy_result(
                "YM-BASE-ACC-001",
                Check.PORT_POLICY,
                [
                    V("YM-BASE-ACC-001", "GigabitEthernet0/0/7", "edge_without_loop_protection"),
                    V("YM-BASE-ACC-001", "GigabitEthernet0/0/3", "missing_description"),
                ],
                [V("YM-BASE-ACC-001", "GigabitEthernet0/0/3", "missing_description")],
            ),
            topology_result(
                "YM-BASE-ACC-001",
                [Adjacency("GigabitEthernet0/0/1", "YM-BASE-AGG-01", "GigabitEthernet1/0/1")],
                [Adjacency("GigabitEthernet0/0/1", "YM-BASE-AGG-02", "GigabitEthernet1/0/4")],
            ),
            *unreadable_results(
                "YM-BASE-ACC-002", checks_for("access", "hp_comware"), "connection refused"
            ),
            config_result(
                "YM-DMZ-FW-01",
                (asa / "drift-rule.approved").read_text(),
                (asa / "drift-rule.live").read_text(),
            ),
            policy_result(
                "YM-DMZ-FW-01",
                Check.FIREWALL,
                [
                    Violation(
                        "YM-DMZ-FW-01",
                        Check.FIREWALL,
                        "WAN_in#1",
                        "RISKY_SERVICE",
                        detail="permits RDP from any source",
                        severity="high",
                    )
                ],
                [],
            ),
            config_result(
                "YM-BASE-CORE-01",
                (ios / "drift-description.approved").read_text(),
                (ios / "drift-description.live").read_text(),
            ),
            policy_result("YM-BASE-CORE-01", Check.PORT_POLICY, [], []),
            topology_result("YM-BASE-CORE-01", [], []),
        ]
    return DriftReport(
        results=tuple(results),
        devices=DEVICES,
        offline=False,
        approved="backup 0123abc",
        live="devices",
        checked_at="2026-11-27T03:00:00Z",
        notes=("firewall intent: policy/firewall_intent.yaml",),
    )


RENDERERS = {
    "txt": render_console,
    "md": render_markdown,
    "xml": render_junit,
    "json": lambda r: (
        json.dumps(
            envelope("drift", r.exit_code, report_counts(r), report_json(r)),
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    ),
}


@pytest.mark.parametrize("case", ["clean", "mixed"])
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_renderers_golden(request: pytest.FixtureRequest, case: str, fmt: str) -> None:
    text = RENDERERS[fmt](_report(case))
    _golden(request, GOLDEN / "drift" / f"{case}.expected.{fmt}", text)


def test_exit_codes() -> None:
    assert _report("clean").exit_code == 0
    assert _report("mixed").exit_code == 3  # unreadable wins over drift
    mixed = _report("mixed")
    only_drift = DriftReport(
        results=tuple(r for r in mixed.results if r.status is not Status.UNREADABLE),
        devices=mixed.devices,
        offline=False,
        approved="x",
        live="devices",
        checked_at="t",
    )
    assert only_drift.exit_code == 1


def test_junit_one_case_per_device_and_check_failed_on_drift() -> None:
    report = _report("mixed")
    root = ET.fromstring(render_junit(report))
    cases = {
        (c.get("classname", "").split(".")[1], c.get("name")): c for c in root.iter("testcase")
    }
    assert len(cases) == len(report.results)
    failed = {k for k, c in cases.items() if c.find("failure") is not None}
    errored = {k for k, c in cases.items() if c.find("error") is not None}
    assert failed == {
        ("port_policy", "YM-BASE-ACC-001"),
        ("topology", "YM-BASE-ACC-001"),
        ("config", "YM-DMZ-FW-01"),
        ("firewall", "YM-DMZ-FW-01"),
        ("config", "YM-BASE-CORE-01"),
    }
    assert errored == {
        ("config", "YM-BASE-ACC-002"),
        ("port_policy", "YM-BASE-ACC-002"),
        ("topology", "YM-BASE-ACC-002"),
    }
    text = cases[("config", "YM-BASE-CORE-01")].find("failure").text or ""  # type: ignore[union-attr]
    assert (
        "- description oxidized two" in text and "+ description TO-YM-BASE-AGG-01-Gi1/0/7" in text
    )
    assert root.get("failures") == "5" and root.get("errors") == "3"


def test_console_never_calls_unreadable_clean() -> None:
    text = render_console(_report("mixed"))
    assert "UNREADABLE YM-BASE-ACC-002: connection refused" in text
    assert text.rstrip().endswith("(exit 3)")


def test_markdown_stays_under_the_job_summary_limit() -> None:
    big = "\n".join(
        f"interface GigabitEthernet0/0/{i}\n description {'x' * 60}" for i in range(400)
    )
    devices = tuple(DeviceInfo(f"SW-{i:03d}", "huawei_vrp", "access", "base") for i in range(300))
    results = tuple(config_result(d.host, "", big) for d in devices)
    report = DriftReport(results, devices, False, "backup x", "devices", "t")
    md = render_markdown(report)
    assert len(md.encode()) < 1024 * 1024
    assert re.search(r"\.\.\. and \d+ more; see the JUnit report", md)
