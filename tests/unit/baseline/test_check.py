"""What each kind of condition finds, where, with which line and evidence (small rule files)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from netsteward.tasks.baseline.check import Device, audit_device
from netsteward.tasks.baseline.rules import Rules, load_rules
from netsteward.tasks.ports.policy import load_policy, parse_policy

ROOT = Path(__file__).resolve().parents[3]
POLICY = load_policy(ROOT / "policy" / "ports.yaml")
HEAD = """\
version: 1
platform: cisco_ios
syntax: {style: indent, comment: '^\\s*!'}
checks:
"""


def rules_with(tmp_path: Path, checks: str) -> Rules:
    d = tmp_path / "rules"
    d.mkdir()
    shutil.copy(ROOT / "policy" / "baseline" / "controls.yaml", d)
    (d / "site.yaml").write_text("version: 1\nvariables: {syslog: 192.0.2.243}\n", encoding="utf-8")
    (d / "cisco_ios.yaml").write_text(
        HEAD + textwrap.indent(textwrap.dedent(checks), "  "), encoding="utf-8"
    )
    return load_rules(d)


CONFIG = """\
!
hostname SW1
ip http server
ntp server 192.0.2.241 key 1
ntp server 192.0.2.242
!
interface GigabitEthernet1/0/1
 description Room 101 PC
 switchport mode access
!
interface GigabitEthernet1/0/2
!
interface GigabitEthernet1/0/3
 shutdown
!
interface TenGigabitEthernet1/0/1
!
line con 0
 exec-timeout 0 0
line vty 0 4
 exec-timeout 5 0
 transport input ssh
line vty 5 15
 transport input telnet ssh
end
"""


def findings(
    rules: Rules, role: str | None = "access", model: str | None = None, text: str = CONFIG
) -> list[tuple[str, str, int, str]]:
    dev = Device("SW1", "cisco_ios", role, "base", model, "base/access/SW1.cfg")
    result = audit_device(dev, text, rules, POLICY)
    assert not result.problem
    return [(f.check, f.section, f.line, f.evidence) for f in result.findings]


def test_forbid_reports_every_offending_line_with_its_number(tmp_path: Path) -> None:
    rules = rules_with(
        tmp_path,
        """\
    - id: MGMT-HTTP-OFF
      title: no http
      category: remote_management
      control: 8.1.4.1 c
      severity: high
      forbid: '^ip http server$'
      remediation: {fix: ['no ip http server'], undo: ['{evidence}'], auto: true}
    - id: NTP-AUTH
      title: keys
      category: audit
      control: 8.1.4.3 b
      severity: medium
      forbid: '^ntp server (?!.*\\bkey \\d+)'
      remediation: {note: add a key}
    """,
    )
    assert findings(rules) == [
        ("MGMT-HTTP-OFF", "", 3, "ip http server"),
        ("NTP-AUTH", "", 5, "ntp server 192.0.2.242"),
    ]
    f = audit_device(Device("SW1", "cisco_ios", "access"), CONFIG, rules).findings[0]
    assert f.fix == ("no ip http server",) and f.undo == ("ip http server",) and f.auto
    assert f.control == "8.1.4.1 c" and f.severity == "high"


def test_require_per_section_and_value_with_default(tmp_path: Path) -> None:
    rules = rules_with(
        tmp_path,
        """\
    - id: MGMT-TELNET-OFF
      title: ssh only
      category: remote_management
      control: 8.1.4.1 c
      severity: high
      section: ['^line vty ']
      require: '^transport input ssh$'
      remediation: {note: fix it}
    - id: MGMT-IDLE-TIMEOUT
      title: timeout
      category: remote_management
      control: 8.1.4.1 b
      severity: medium
      section: ['^line (con|vty) ']
      value: {pattern: '^exec-timeout (?P<value>\\d+)( \\d+)?$', min: 1, max: 10, default: 10}
      remediation: {fix: ['exec-timeout 5 0'], undo: ['{evidence}'], auto: true}
    """,
    )
    assert findings(rules) == [
        ("MGMT-IDLE-TIMEOUT", "line con 0", 19, "exec-timeout 0 0"),  # 0: never times out
        (
            "MGMT-TELNET-OFF",
            "line vty 5 15",
            23,
            "line vty 5 15",
        ),  # vty 5 15 has no line: default 10 is fine
    ]


def test_value_without_default_requires_the_line(tmp_path: Path) -> None:
    rules = rules_with(
        tmp_path,
        """\
    - id: AUTH-LOCKOUT
      title: lockout
      category: identity
      control: 8.1.4.1 b
      severity: high
      value: {pattern: '^aaa local authentication attempts max-fail (?P<value>\\d+)$', max: 5}
      remediation: {fix: ['aaa local authentication attempts max-fail 3'], undo: ['no aaa local authentication attempts max-fail'], auto: true}
    """,
    )
    assert findings(rules) == [("AUTH-LOCKOUT", "", 0, "")]
    assert findings(rules, text=CONFIG + "aaa local authentication attempts max-fail 9\n") == [
        ("AUTH-LOCKOUT", "", 26, "aaa local authentication attempts max-fail 9")
    ]
    assert findings(rules, text=CONFIG + "aaa local authentication attempts max-fail 3\n") == []


def test_when_roles_and_require_section(tmp_path: Path) -> None:
    rules = rules_with(
        tmp_path,
        """\
    - id: SNMP-V3-PRIV
      title: v3
      category: snmp
      control: 8.1.4.1 c
      severity: medium
      when: {present: '^snmp-server '}
      require: '^snmp-server group \\S+ v3 priv\\b'
      remediation: {note: add v3}
    - id: MGMT-BANNER
      title: banner
      category: remote_management
      control: 8.1.4.1 a
      severity: low
      roles: [core]
      require: '^banner login '
      remediation: {note: add it}
    - id: AUTH-PASSWORD-POLICY
      title: policy
      category: identity
      control: 8.1.4.1 a
      severity: medium
      section: ['^password-policy$']
      require_section: true
      require: '^expire'
      remediation: {fix: ['expire 90'], undo: ['no expire'], auto: true}
    """,
    )
    got = audit_device(Device("SW1", "cisco_ios", "access"), CONFIG, rules)
    assert [(f.check, f.detail, f.auto) for f in got.findings] == [
        ("AUTH-PASSWORD-POLICY", "no section password-policy in the configuration", False)
    ]
    assert got.checks == 1  # SNMP not on, banner is for cores
    assert findings(rules, role="core", text=CONFIG + "snmp-server community x RO A\n")[:2] == [
        ("AUTH-PASSWORD-POLICY", "", 0, ""),
        ("MGMT-BANNER", "", 0, ""),
    ]
    # no role known (--config-file without --role): role-specific checks are counted as skipped
    assert audit_device(Device("SW1", "cisco_ios", None), CONFIG, rules).skipped_role == 1


UNUSED = """\
    - id: SVC-UNUSED-PORT-SHUTDOWN
      title: shut
      category: services
      control: 8.1.3.1 b
      severity: low
      ports: unused
      unless: '^(switchport|ip address|channel-group)\\b'
      require: '^shutdown$'
      remediation: {fix: [shutdown], undo: [no shutdown], auto: true}
"""


def test_unused_ports_follow_the_port_policy(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, UNUSED)
    # an aggregation switch: every physical port without description, LAG or service lines
    assert findings(rules, role="aggregation") == [
        (
            "SVC-UNUSED-PORT-SHUTDOWN",
            "interface GigabitEthernet1/0/2",
            11,
            "interface GigabitEthernet1/0/2",
        ),
        (
            "SVC-UNUSED-PORT-SHUTDOWN",
            "interface TenGigabitEthernet1/0/1",
            16,
            "interface TenGigabitEthernet1/0/1",
        ),
    ]
    # an access switch: every port without a neighbour is an edge port waiting for a desk...
    assert findings(rules, role="access", model="WS-C2960X-48TD-L") == []
    # ...unless the port policy lists the model's user ports: the others are unused
    text = (
        (ROOT / "policy" / "ports.yaml")
        .read_text()
        .replace(
            "user_port_ranges: {}",
            'user_port_ranges:\n  WS-C2960X-48TD-L: ["GigabitEthernet1/0/1-48"]',
        )
    )
    policy = parse_policy(text)
    dev = Device("SW1", "cisco_ios", "access", "base", "WS-C2960X-48TD-L")
    got = audit_device(dev, CONFIG, rules, policy).findings
    assert [(f.section, f.fix, f.headers) for f in got] == [
        ("interface TenGigabitEthernet1/0/1", ("shutdown",), ("interface TenGigabitEthernet1/0/1",))
    ]


def test_an_empty_configuration_is_not_audited(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, UNUSED)
    result = audit_device(Device("SW1", "cisco_ios", "access"), "\n!\n", rules)
    assert result.problem == "empty configuration: nothing to audit" and result.findings == []


@pytest.mark.parametrize("platform", ["juniper_junos"])
def test_a_platform_without_rules_is_a_problem_not_a_pass(tmp_path: Path, platform: str) -> None:
    rules = rules_with(tmp_path, UNUSED)
    assert audit_device(Device("X", platform, "access"), CONFIG, rules).problem.startswith(
        "no rule file"
    )
