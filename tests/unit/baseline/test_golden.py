"""The shipped rules on configurations nobody here wrote (tests/golden/baseline/cases.yaml).

Each case's findings (check, section, line, evidence) are the golden file
`tests/golden/baseline/<case>.expected.json`; NETSTEWARD_UPDATE_GOLDEN=1 (or --update)
rewrites them (review the diff). Besides the golden files, facts about the samples
that the rules must get right are asserted directly, and the audit of a configuration
equals the audit of its backup (the scrubbed form) check for check.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsteward.tasks.baseline.check import Device, audit_device
from netsteward.tasks.baseline.rules import load_rules
from netsteward.tasks.core.scrub import normalise_config
from netsteward.tasks.ports.policy import load_policy

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
CASES: dict[str, dict[str, str]] = yaml.safe_load((GOLDEN / "baseline" / "cases.yaml").read_text())
RULES = load_rules(ROOT / "policy" / "baseline")
POLICY = load_policy(ROOT / "policy" / "ports.yaml")


def audit(case: str, scrubbed: bool = False) -> list[dict[str, Any]]:
    spec = CASES[case]
    text = (GOLDEN / spec["file"]).read_text(encoding="utf-8", errors="replace")
    if scrubbed:
        text = normalise_config(spec["platform"], text)
    result = audit_device(Device(case, spec["platform"], spec["role"]), text, RULES, POLICY)
    assert not result.problem, result.problem
    return [
        {
            "check": f.check,
            "control": f.control,
            "section": f.section,
            "line": f.line,
            "evidence": f.evidence,
        }
        for f in result.findings
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str) -> None:
    got = audit(case)
    path = GOLDEN / "baseline" / f"{case}.expected.json"
    if os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip(f"wrote {path.name}")
    assert got == json.loads(path.read_text(encoding="utf-8"))
    for f in got:  # every finding names its line (or 0 for the configuration as a whole)
        raw = (
            (GOLDEN / CASES[case]["file"])
            .read_text(encoding="utf-8", errors="replace")
            .splitlines()
        )
        if f["line"]:
            assert (
                raw[f["line"] - 1].strip() == f["evidence"]
                or f["evidence"] == f["section"].split(" > ")[-1]
            )


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_backup_form_gives_the_same_findings(case: str) -> None:
    """Masked secrets, dropped volatile lines: the same checks fail in the same sections."""

    def key(items: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
        return Counter((f["check"], f["section"]) for f in items)

    assert key(audit(case, scrubbed=True)) == key(audit(case))


def checks(case: str) -> set[str]:
    return {f["check"] for f in audit(case)}


def test_known_facts_of_the_samples() -> None:
    # C9200L: `snmp-server community public RW 5` is both a default and a write community
    c9200 = [f for f in audit("ios_c9200l") if f["evidence"] == "snmp-server community public RW 5"]
    assert {f["check"] for f in c9200} == {"SNMP-DEFAULT-COMMUNITY", "SNMP-WRITE-COMMUNITY"}
    assert {"MGMT-BANNER", "MGMT-SSH-V2", "MGMT-HTTP-OFF"}.isdisjoint(checks("ios_c9200l"))
    # ASR920: console and VTY exec-timeout 20, NTP without keys, a `root` account
    asr = audit("ios_asr920")
    assert sum(1 for f in asr if f["check"] == "MGMT-IDLE-TIMEOUT") == 3
    assert {"AUTH-DEFAULT-ACCOUNT", "NTP-AUTH", "MGMT-ACL"} <= checks("ios_asr920")
    # the risky USG: telnet, HTTP, `public`, VTY telnet; the hardened one: none of those
    risky = checks("usg_risky_edge")
    assert {
        "MGMT-TELNET-OFF",
        "MGMT-HTTP-OFF",
        "SNMP-DEFAULT-COMMUNITY",
        "SNMP-COMMUNITY-ACL",
    } <= risky
    assert risky.isdisjoint({"MGMT-ACL"}) is False  # its VTY has no ACL
    hardened = checks("usg_hardened")
    assert hardened.isdisjoint(
        {"MGMT-TELNET-OFF", "MGMT-HTTP-OFF", "SNMP-DEFAULT-COMMUNITY", "MGMT-ACL", "LOG-SERVER"}
    )
    # Chinese management-plane sample: a telnet service type on a local user, telnet on the VTY
    assert {"AUTH-LOCAL-FALLBACK", "MGMT-TELNET-OFF"} <= checks("usg_mgmt_plane_cn")
    # Comware S5130: a write community in the sample
    assert "SNMP-WRITE-COMMUNITY" in checks("comware_s5130")
    # the FOS sample's SNMPv1 community is not a factory one
    assert "SNMP-DEFAULT-COMMUNITY" not in checks("fos_g620")
