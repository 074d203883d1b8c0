"""A plan is a sealed, reviewed artefact (issue 17): the seal, the refusals at load, the
line rule, the whole-configuration comparison after a push, and the template fields.

The same refusals through the CLI and on the lab: tests/e2e/test_normalize.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netsteward.tasks.core.errors import BadInput, PolicyError
from netsteward.tasks.ports.config import parse_config
from netsteward.tasks.ports.plan import (
    PLAN_VERSION,
    Device,
    Link,
    PeerIndex,
    Plan,
    new_plan,
    plan_device,
    render_commands,
    seal,
)
from netsteward.tasks.ports.policy import load_policy, parse_policy
from netsteward.tasks.ports.seal import (
    check_lines,
    check_policy,
    check_targets,
    line_problem,
    load_plan,
)
from netsteward.tasks.ports.verify import differences, unplanned

ROOT = Path(__file__).resolve().parents[3]
POLICY = load_policy(ROOT / "policy" / "ports.yaml")
CONFIG = """\
stp bpdu-protection
#
interface GigabitEthernet0/0/1
 description old-text
 stp edged-port enable
 loopback-detect enable
#
interface GigabitEthernet0/0/2
 port link-type access
#
interface GigabitEthernet0/0/3
 port link-type access
 stp edged-port enable
 loopback-detect enable
#
"""
DEVICE = Device("YM-BASE-ACC-001", "huawei_vrp", "access", "base")
PEERS = PeerIndex(platforms={"YM-BASE-AGG-01": "huawei_vrp", "YM-BASE-ACC-001": "huawei_vrp"})
LINKS = [Link("GE0/0/1", "YM-BASE-AGG-01", "XGigabitEthernet0/0/10", "bridge router")]


def make_plan() -> Plan:
    dev = plan_device(DEVICE, CONFIG, LINKS, POLICY, PEERS)
    return new_plan([dev], source="live", policy=POLICY, created_by="test")


def write(tmp_path: Path, doc: object, name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def refusal(path: Path) -> BadInput:
    with pytest.raises(BadInput) as info:
        load_plan(path)
    return info.value


def test_a_plan_is_sealed_and_loads_back(tmp_path: Path) -> None:
    plan = make_plan()
    assert plan.version == PLAN_VERSION and plan.digest.startswith("sha256:")
    kinds = [c.kind for c in plan.devices[0].changes]
    assert kinds == ["stale_description", "uplink_marked_edge", "edge_without_loop_protection"]
    assert load_plan(write(tmp_path, plan.model_dump_json())) == plan


@pytest.mark.parametrize(
    ("edit", "field", "says"),
    [
        (lambda d: d["devices"][0]["commands"].insert(-1, "shutdown"), "digest", "digest"),
        (lambda d: d["devices"][0]["changes"][0]["lines"].append("shutdown"), "digest", "digest"),
        (lambda d: d["devices"][0].update(fingerprint="sha256:0"), "digest", "digest"),
        (lambda d: d.update(policy_digest="0" * 16), "digest", "digest"),
        (lambda d: d.update(version=99), "version", "plan version 99 is not supported"),
        (lambda d: d.update(version="2"), "version", 'plan version "2" is not supported'),
        (lambda d: d.pop("version"), "version", "plan version null is not supported"),
        (lambda d: d.update(digest=""), "digest", "not sealed"),
        (lambda d: d.update(devices="no"), "devices", "not a plan"),
    ],
)
def test_edited_plans_are_refused(tmp_path: Path, edit: object, field: str, says: str) -> None:
    doc = json.loads(make_plan().model_dump_json())
    edit(doc)  # type: ignore[operator]
    err = refusal(write(tmp_path, doc))
    assert err.field == field and says in err.message, err.message
    assert err.file and err.file.endswith("plan.json")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe\x00binary", "not UTF-8"),
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
    ],
)
def test_files_that_are_not_plans(tmp_path: Path, content: bytes | str, says: str) -> None:
    path = tmp_path / "plan.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    assert says in refusal(path).message


def resealed(plan: Plan, lines: list[str]) -> Plan:
    """The plan with `lines` added to its first change, rendered and sealed again:
    a plan that passes the seal, so the line rule has to catch it."""
    dev = plan.devices[0]
    changes = list(dev.changes)
    changes[0] = changes[0].model_copy(update={"lines": [*changes[0].lines, *lines]})
    commands, rollback = render_commands(changes, POLICY.platforms[dev.platform])
    dev = dev.model_copy(update={"changes": changes, "commands": commands, "rollback": rollback})
    return seal(plan.model_copy(update={"devices": [dev]}))


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("stp edged-port enable\nreturn\nreboot", "U+000A"),
        ("description a\rb", "U+000D"),
        ("description \x1a", "U+001A"),  # Ctrl-Z: leaves configuration mode on VRP
        ("description \x1b[2J", "U+001B"),
        ("description a\x00b", "U+0000"),
        ("description a\u202eb", "U+202E"),  # right-to-left override (a format character)
        ("description a\u2028b", "U+2028"),  # line separator
        ("description what?", "U+003F"),  # `?` asks the CLI for help
        ("description a\tb", "U+0009"),  # tab completes
    ],
)
def test_lines_the_cli_would_not_take_as_one_line(tmp_path: Path, line: str, code: str) -> None:
    err = refusal(write(tmp_path, resealed(make_plan(), [line]).model_dump_json()))
    assert code in err.message and err.field == "devices.0.commands.2", (err.message, err.field)


@pytest.mark.parametrize("line", [" shutdown", "shutdown ", "", "   "])
def test_blank_and_padded_lines(line: str) -> None:
    assert line_problem(line, "[ -~]") is not None


def test_chinese_descriptions_are_lines_the_cli_takes() -> None:
    assert (
        line_problem("description 上联至YM-BASE-AGG-01（主链路）", "[ ->@-~]|[^\\x00-\\x9f]")
        is None
    )


def test_commands_must_be_what_the_changes_render() -> None:
    plan = make_plan()
    dev = plan.devices[0]
    check_lines(plan, POLICY, "plan.json")  # as rendered: fine
    for name in ("commands", "rollback"):
        edited = dev.model_copy(update={name: [*getattr(dev, name), "shutdown"]})
        with pytest.raises(BadInput) as info:
            check_lines(plan.model_copy(update={"devices": [edited]}), POLICY, "plan.json")
        assert info.value.field == f"devices.0.{name}"
        assert "not what the reviewed changes render" in info.value.message


def test_hosts_and_platforms_as_the_inventory_has_them() -> None:
    plan = make_plan()
    check_targets(plan, {DEVICE.host: "huawei_vrp"}, "plan.json")
    with pytest.raises(BadInput, match="is not in the inventory") as info:
        check_targets(plan, {"OTHER": "huawei_vrp"}, "plan.json")
    assert info.value.field == "devices.0.host"
    with pytest.raises(BadInput, match="huawei_vrp in the plan but cisco_ios in the inventory"):
        check_targets(plan, {DEVICE.host: "cisco_ios"}, "plan.json")


def test_made_with_another_policy() -> None:
    plan = make_plan()
    check_policy(plan, POLICY.digest, file="plan.json", policy="policy/ports.yaml")
    with pytest.raises(BadInput) as info:
        check_policy(plan, "f" * 16, file="plan.json", policy="policy/ports.yaml")
    assert info.value.field == "policy_digest"
    assert info.value.message == (
        f"made with policy {POLICY.digest}, but policy/ports.yaml is now {'f' * 16}"
    )


# -- whole-configuration verification ------------------------------------------------


def applied(text: str) -> str:
    """CONFIG after the plan (what a device shows)."""
    return (
        text.replace(" description old-text", " description TO-YM-BASE-AGG-01-XGE0/0/10")
        .replace(" stp edged-port enable\n loopback-detect enable\n#\ninterface GigabitEthernet0/0/2", " loopback-detect enable\n#\ninterface GigabitEthernet0/0/2")
        .replace(" port link-type access\n#\ninterface GigabitEthernet0/0/3", " port link-type access\n stp edged-port enable\n loopback-detect enable\n#\ninterface GigabitEthernet0/0/3")
    )  # fmt: skip


def test_exactly_the_planned_difference_passes() -> None:
    dev = make_plan().devices[0]
    before, after = parse_config("huawei_vrp", CONFIG), parse_config("huawei_vrp", applied(CONFIG))
    assert unplanned(dev, before, after) == []


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda t: t.replace(" port link-type access\n stp", " shutdown\n port link-type access\n stp"), "unplanned line 'shutdown' appeared"),
        (lambda t: t + "interface GigabitEthernet0/0/9\n description injected\n#\n", "unplanned line 'interface GigabitEthernet0/0/9' appeared"),
        (lambda t: t.replace("stp bpdu-protection\n", "stp bpdu-protection\nsnmp-agent community read public\n"), "global: unplanned line"),
        (lambda t: t.replace("stp bpdu-protection\n", ""), "global: 'stp bpdu-protection' disappeared"),
        (lambda t: t.replace(" port link-type access\n stp edged-port enable\n loopback-detect enable\n#\n", " stp edged-port enable\n loopback-detect enable\n#\n", 1).replace("interface GigabitEthernet0/0/3\n port link-type access\n", "interface GigabitEthernet0/0/3\n"), "'port link-type access' disappeared"),
    ],
)  # fmt: skip
def test_anything_more_is_caught(edit: object, says: str) -> None:
    dev = make_plan().devices[0]
    before = parse_config("huawei_vrp", CONFIG)
    after = parse_config("huawei_vrp", edit(applied(CONFIG)))  # type: ignore[operator]
    problems = unplanned(dev, before, after)
    assert any(says in p for p in problems), problems


def test_a_rollback_must_leave_no_difference() -> None:
    before = parse_config("huawei_vrp", CONFIG)
    assert differences(before, parse_config("huawei_vrp", CONFIG)) == []
    left = differences(
        before, parse_config("huawei_vrp", CONFIG.replace(" description old-text\n", ""))
    )
    assert left == ["interface GigabitEthernet0/0/1: 'description old-text' is gone"]


# -- template fields ---------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    ["{peer.__class__}", "{peer[0]}", "{peer!r}", "{peer:>300}", "{0}", "{}", "{secret}", "{peer"],
)
def test_templates_allow_only_the_documented_fields(template: str) -> None:
    text = (ROOT / "policy" / "ports.yaml").read_text()
    bad = text.replace('port: "TO-{peer}-{peer_port}"', f'port: "TO-{template}"')
    assert bad != text
    with pytest.raises(PolicyError) as info:
        parse_policy(bad, "policy/ports.yaml")
    err = info.value
    assert err.field == "descriptions.port" and err.line == 17, (err.field, err.line)


def test_policy_lines_are_single_printable_lines() -> None:
    text = (ROOT / "policy" / "ports.yaml").read_text()
    bad = text.replace(
        'line: "stp bpdu-protection"', 'line: "stp bpdu-protection\\nreturn\\nreboot"', 1
    )
    assert bad != text
    with pytest.raises(PolicyError, match="U\\+000A") as info:
        parse_policy(bad, "policy/ports.yaml")
    assert info.value.field and info.value.field.endswith(".line")
