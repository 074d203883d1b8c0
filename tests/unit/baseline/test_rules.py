"""Rule files are validated on load: a bad rule is one line `file:line: field: problem`, exit 2."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netsteward.tasks.baseline.rules import load_rules
from netsteward.tasks.core.errors import PolicyError

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "policy" / "baseline"
PLATFORMS = (
    "huawei_vrp",
    "hp_comware",
    "cisco_ios",
    "cisco_asa",
    "fortinet",
    "hillstone_stoneos",
    "brocade_fos",
)


def test_shipped_rules_load_and_cover_every_platform() -> None:
    rules = load_rules(RULES)
    assert sorted(rules.platforms) == sorted(PLATFORMS)
    for platform, rf in rules.platforms.items():
        assert rf.checks, platform
        for check in rf.checks:
            assert check.control == rules.controls.checks[check.id].control
    # every check of the list exists somewhere
    ids = {c.id for rf in rules.platforms.values() for c in rf.checks}
    assert {
        "AUTH-DEFAULT-ACCOUNT",
        "AUTH-SHARED-ACCOUNT",
        "AUTH-PASSWORD-POLICY",
        "AUTH-LOCKOUT",
        "AUTH-AAA-REMOTE",
        "AUTH-LOCAL-FALLBACK",
        "MGMT-SSH-V2",
        "MGMT-TELNET-OFF",
        "MGMT-HTTP-OFF",
        "MGMT-ACL",
        "MGMT-IDLE-TIMEOUT",
        "MGMT-BANNER",
        "SNMP-WRITE-COMMUNITY",
        "SNMP-DEFAULT-COMMUNITY",
        "SNMP-V3-PRIV",
        "LOG-SERVER",
        "LOG-TIMESTAMP",
        "NTP-SERVER",
        "NTP-AUTH",
        "AUDIT-CMD-ACCOUNTING",
        "SVC-FTP-OFF",
        "SVC-DISCOVERY-UNTRUSTED",
        "SVC-SOURCE-ROUTE-OFF",
        "SVC-UNUSED-PORT-SHUTDOWN",
        "FW-MGMT-PLANE",
        "IPS-SIGNATURE-UPDATE",
    } <= ids
    assert len(rules.digest) == 16


def copy_rules(tmp_path: Path) -> Path:
    out = tmp_path / "rules"
    shutil.copytree(RULES, out)
    return out


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (file, text to replace, replacement, field after `checks.N`, expected message start)
BAD = [
    (
        "cisco_ios.yaml",
        "forbid: '^ip http server$'",
        "forbid: '^ip http (server'",
        ".forbid",
        "not a valid regular expression",
    ),
    (
        "cisco_ios.yaml",
        "    control: 8.1.4.1 c\n    cis: CIS Cisco IOS 15 v4.1.0 2.1.1.2",
        "    control: 8.1.4.4 c\n    cis: CIS Cisco IOS 15 v4.1.0 2.1.1.2",
        ".control",
        "MGMT-SSH-V2 supports clause 8.1.4.1 c",
    ),
    (
        "cisco_ios.yaml",
        "  - id: MGMT-HTTP-OFF",
        "  - id: MGMT-HTTP-ON",
        ".id",
        "unknown check id 'MGMT-HTTP-ON'",
    ),
    (
        "cisco_ios.yaml",
        "    severity: low\n    require: '^no ip source-route$'",
        "    severity: urgent\n    require: '^no ip source-route$'",
        ".severity",
        "Input should be 'high', 'medium' or 'low'",
    ),
    (
        "cisco_ios.yaml",
        "    require: '^no ip source-route$'",
        "    require: '^no ip source-route$'\n    forbid: '^ip source-route$'",
        "",
        "give exactly one of forbid, require, value",
    ),
    (
        "cisco_ios.yaml",
        "      fix: ['logging host ${syslog_server}']",
        "      fix: ['logging host ${syslog_host}']",
        ".remediation.fix.0",
        "unknown site value ${syslog_host}",
    ),
    (
        "hp_comware.yaml",
        "      fix: ['command accounting']\n      undo: ['undo command accounting']",
        "      fix: ['command accounting']\n      undo: ['{evidence}']",
        "",
        "{evidence} needs a check whose findings always have an offending line",
    ),
    ("huawei_vrp.yaml", "    roles: [ips]", "    roles: [nips]", ".roles", "unknown role 'nips'"),
    (
        "fortinet.yaml",
        "    value: {pattern: '^set admintimeout (?P<value>\\d+)$', min: 1, max: 10, default: 5}",
        "    value: {pattern: '^set admintimeout (\\d+)$', min: 1, max: 10, default: 5}",
        ".value.pattern",
        "needs a named group (?P<value>...)",
    ),
    (
        "brocade_fos.yaml",
        "    remediation:\n      note: '`tsclockserver",
        "    remedy:\n      note: '`tsclockserver",
        ".remediation",
        "Field required",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "suffix", "message"),
    BAD,
    ids=[b[0] + b[3] + ":" + b[4][:20] for b in BAD],
)
def test_a_bad_rule_is_one_line_naming_file_line_and_field(
    tmp_path: Path, name: str, old: str, new: str, suffix: str, message: str
) -> None:
    rules = copy_rules(tmp_path)
    path = rules / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    bad = text.replace(old, new)
    index = bad[: bad.index(new) + len("  - id: ")].count("\n  - id: ") - 1  # the change's check
    field = f"checks.{index}{suffix}"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_rules(rules)
    e = err.value
    assert e.file == str(path) and e.field == field and e.message.startswith(message), str(e)
    # the line is the changed rule's (its own line, or the check it belongs to)
    changed = line_of(bad, new.splitlines()[0].strip())
    assert e.line is not None and changed - 20 <= e.line <= changed + 3, (e.line, changed)


def test_bad_yaml_and_unknown_files(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    (rules / "cisco_ios.yaml").write_text("checks: [\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_rules(rules)
    rules = copy_rules(tmp_path / "b")
    (rules / "juniper.yaml").write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not a platform name"):
        load_rules(rules)


def test_site_disables_a_check_and_changes_a_severity(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    site = rules / "site.yaml"
    site.write_text(
        site.read_text()
        .replace("disable: []", "disable: [AUDIT-CMD-ACCOUNTING]")
        .replace("severity: {}", "severity: {MGMT-BANNER: medium}"),
        encoding="utf-8",
    )
    loaded = load_rules(rules)
    ids = {c.id for c in loaded.checks("cisco_ios", "access")}
    assert "AUDIT-CMD-ACCOUNTING" not in ids and "MGMT-BANNER" in ids
    assert loaded.check_severity("MGMT-BANNER") == "medium"
    site.write_text(
        site.read_text().replace("[AUDIT-CMD-ACCOUNTING]", "[NO-SUCH-CHECK]"), encoding="utf-8"
    )
    with pytest.raises(PolicyError, match="no check 'NO-SUCH-CHECK'"):
        load_rules(rules)


def test_cli_bad_rule_exits_2_with_one_line(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    path = rules / "cisco_ios.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("forbid: '^ip http server$'", "forbid: '^ip http (server'"), encoding="utf-8"
    )
    cfg = ROOT / "tests" / "golden" / "cisco_ios" / "c9200l_17_09.raw"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "audit",
            "baseline",
            "--rules",
            str(rules),
            "--config-file",
            str(cfg),
            "--platform",
            "cisco_ios",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2
    line = line_of(path.read_text(), "forbid: '^ip http (server'")
    index = path.read_text()[: path.read_text().index("(server'")].count("\n  - id: ") - 1
    assert proc.stderr.strip().splitlines() == [
        f"netsteward: {path}:{line}: checks.{index}.forbid: not a valid regular expression "
        "(missing ), unterminated subpattern at position 9)"
    ]
    assert proc.stdout == ""


def test_every_shipped_note_has_its_chinese() -> None:
    """Reports in Chinese carry `note_zh`; a site rule may give either or both."""
    rules = load_rules(RULES)
    for platform, rf in rules.platforms.items():
        for check in rf.checks:
            rem = check.remediation
            assert bool(rem.note) == bool(rem.note_zh), (platform, check.id)
            assert not rem.note_zh or not rem.note_zh.isascii() or rem.note_zh.startswith("`")
