"""Golden tests: hand-written firewall configurations in each vendor's syntax.

`tests/golden/<platform>/fw_<case>.cfg` is audited against
`tests/golden/firewall/intent.yaml` at 2026-06-01 and compared with
`fw_<case>.expected.json` (findings as [rule, line, check] and the exposure
matrix).  Regenerate with NETSTEWARD_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from netsteward.tasks.firewall.audit import CHECKS, audit_config
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.firewall.parsers import parse_firewall

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
INTENT = GOLDEN / "firewall" / "intent.yaml"
AS_OF = date(2026, 6, 1)
CASES = sorted(GOLDEN.glob("*/fw_*.cfg"))
UPDATE = os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"
# FortiOS has no configurable default action (implicit deny), so no DEFAULT_PERMIT there;
# the ASA permits by default from an interface without an inbound access-group. Access to the
# firewall itself is a zone of its own on USG (local) and StoneOS (self) only: FortiOS
# local-in policies and the ASA's http/ssh lines are not modelled as rules.
NOT_EXPRESSIBLE = {
    "fortinet": {"DEFAULT_PERMIT", "MANAGEMENT_ACCESS"},
    "cisco_asa": {"MANAGEMENT_ACCESS"},
}


def _audit(path: Path) -> dict:
    result = audit_config(path.parent.name, path.read_text(), load_intent(INTENT), AS_OF, path.stem)
    return {
        "findings": [[f.rule, f.line, f.check] for f in result.findings],
        "exposure": [
            {
                "server": e.server,
                "rule": e.rule,
                "sources": e.sources,
                "protocol": e.protocol,
                "ports": e.ports,
                "within_intent": e.within_intent,
            }
            for e in result.exposure
        ],
    }


def _dump(data: dict) -> str:
    """One finding or exposure row per line, so that diffs are readable."""
    parts = []
    for key in ("findings", "exposure"):
        rows = ",\n".join("  " + json.dumps(row) for row in data[key])
        parts.append(f' "{key}": [\n{rows}\n ]')
    return "{\n" + ",\n".join(parts) + "\n}\n"


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden_audit(path: Path) -> None:
    got = _audit(path)
    expected_path = path.with_suffix(".expected.json")
    if UPDATE:
        expected_path.write_text(_dump(got))
    assert expected_path.exists(), (
        f"no {expected_path.name}: run with NETSTEWARD_UPDATE_GOLDEN=1 and review"
    )
    assert got == json.loads(expected_path.read_text())


@pytest.mark.parametrize("platform", ["huawei_vrp", "hillstone_stoneos", "fortinet", "cisco_asa"])
def test_every_check_has_a_golden_case(platform: str) -> None:
    found = set()
    for path in GOLDEN.glob(f"{platform}/fw_*.cfg"):
        found |= {f[2] for f in _audit(path)["findings"]}
    assert set(CHECKS) - NOT_EXPRESSIBLE.get(platform, set()) == found


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden_rule_lines_point_at_the_rule(path: Path) -> None:
    """Each rule's line is where the rule starts in that vendor's syntax."""
    lines = path.read_text().splitlines()
    fw = parse_firewall(path.parent.name, path.read_text(), path.stem)
    starts = {
        "huawei_vrp": " rule name ",
        "hillstone_stoneos": "  rule id ",
        "fortinet": "    edit ",
        "cisco_asa": "access-list ",
    }[path.parent.name]
    assert fw.rules
    for rule in fw.rules:
        assert lines[rule.line - 1].startswith(starts), rule.id
    for obj in fw.objects:
        if not obj.builtin:
            assert obj.name in lines[obj.line - 1], obj.name
