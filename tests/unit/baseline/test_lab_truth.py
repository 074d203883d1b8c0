"""The baseline audit on the lab's fleet, offline: exactly the planted deviations, and the
plan's fixes (run through the lab's CLI in-process) remove the fixable ones.

The same over SSH, through backups and `normalize apply`: tests/e2e/test_baseline_e2e.py.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from netsteward.tasks.baseline.check import Device, Finding, audit_device
from netsteward.tasks.baseline.remediate import build_plan
from netsteward.tasks.baseline.rules import load_rules
from netsteward.tasks.baseline.source import Source
from netsteward.tasks.core.scrub import normalise_config
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.apply import sections_equal
from netsteward.tasks.ports.config import parse_config
from netsteward.tasks.ports.policy import load_policy
from netsteward.tasks.ports.verify import verify_device

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("netsteward.lab.fleet.build") is None, reason="lab fleet not built yet"
)
ROOT = Path(__file__).resolve().parents[3]
RULES = load_rules(ROOT / "policy" / "baseline")
POLICY = load_policy(ROOT / "policy" / "ports.yaml")


def device(spec: Any) -> Device:
    return Device(spec.name, spec.platform, spec.role, spec.network, spec.model)


@pytest.fixture(scope="module")
def fleet() -> Any:
    from netsteward.lab.engine.state import load_fleet

    return load_fleet(2026)


@pytest.fixture(scope="module")
def audited(fleet: Any) -> dict[str, list[Finding]]:
    out = {}
    for spec in fleet.devices:
        result = audit_device(
            device(spec), normalise_config(spec.platform, spec.config), RULES, POLICY
        )
        assert not result.problem, (spec.name, result.problem)
        out[spec.name] = result.findings
    return out


def test_exactly_the_planted_deviations_on_every_platform(
    fleet: Any, audited: dict[str, list[Finding]]
) -> None:
    truth = fleet.truth["hardening_deviations"]
    want = Counter((r["host"], r["check"], r["section"]) for r in truth)
    got = Counter((f.device, f.check, f.section) for items in audited.values() for f in items)
    assert got - want == Counter(), "invented"
    assert want - got == Counter(), "missed"
    platforms = {d.name: d.platform for d in fleet.devices}
    assert {platforms[r["host"]] for r in truth} == set(platforms.values())  # every platform
    fixable = {(r["host"], r["check"], r["section"]): r["fixable"] for r in truth}
    for items in audited.values():
        for f in items:
            assert f.auto == fixable[(f.device, f.check, f.section)], f
            assert f.control in RULES.controls.controls and f.device and f.check
            assert f.line > 0 or (f.evidence == "" and f.section == "")  # missing at the top level
            assert f.evidence or f.kind != "forbid"


def test_most_devices_are_compliant(fleet: Any, audited: dict[str, list[Finding]]) -> None:
    failing = sum(1 for items in audited.values() if items)
    assert 0 < failing < len(fleet.devices) * 0.1


def _push(state: Any, host: str, platform: str, lines: list[str]) -> str:
    from netsteward.lab.dialects import get_dialect
    from netsteward.lab.engine.session import Session

    dev = state.device(host)
    session = Session(dev, get_dialect(platform), lambda _t: None, lambda: None)
    spec = load_platform(platform)
    mode = spec.config_mode
    assert mode is not None
    if spec.privileged:
        session.run_exec("enable")
    replies = [session.run_exec(line) for line in [mode.enter, *lines, mode.leave]]
    assert not [r for r in replies if "Error" in r or "% " in r], replies
    return str(dev.running_text())


def test_the_plan_fixes_the_fixable_deviations_and_rolls_back(
    fleet: Any, audited: dict[str, list[Finding]], tmp_path: Path
) -> None:
    from netsteward.lab.engine.state import LabState

    by = {d.name: d for d in fleet.devices}
    fixable_hosts = sorted({r["host"] for r in fleet.truth["hardening_deviations"] if r["fixable"]})
    sources = [
        Source(device(by[h]), normalise_config(by[h].platform, by[h].config)) for h in fixable_hosts
    ]
    findings = [f for h in fixable_hosts for f in audited[h]]
    result = build_plan(findings, sources, POLICY, digest=RULES.digest, created_by="test")
    plan = result.plan
    assert plan.job == "baseline" and result.advice_only == 0
    assert sorted(d.host for d in plan.devices) == fixable_hosts
    state = LabState(fleet, tmp_path, 10001)
    for dp in plan.devices:
        spec = by[dp.host]
        before_text = normalise_config(spec.platform, spec.config)
        assert dp.view == "config" and dp.commands and dp.rollback
        after_text = normalise_config(
            spec.platform, _push(state, dp.host, spec.platform, dp.commands)
        )
        after = parse_config(spec.platform, after_text)
        assert verify_device(dp, after) == []
        left = audit_device(device(spec), after_text, RULES, POLICY).findings
        before = {(f.check, f.section) for f in audited[dp.host]}
        assert not [f for f in left if f.auto], dp.host
        assert {(f.check, f.section) for f in left} == {
            (f.check, f.section) for f in audited[dp.host] if not f.auto
        }
        assert {(f.check, f.section) for f in left} <= before  # nothing new
        # the rollback restores every touched section
        back = normalise_config(spec.platform, _push(state, dp.host, spec.platform, dp.rollback))
        assert (
            sections_equal(
                dp, parse_config(spec.platform, before_text), parse_config(spec.platform, back)
            )
            == []
        )
