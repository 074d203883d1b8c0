"""Golden files: configuration + LLDP neighbours -> plan, per platform.

`tests/golden/<platform>/normalize_<case>.raw` is a running configuration,
`<case>.input.yaml` the device facts, its LLDP neighbours and what is known of
the neighbours, `<case>.expected.json` the plan. Regenerate expectations with
NETSTEWARD_UPDATE_GOLDEN=1 (or `--update` when the conftest offers it) and
review the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.ports.config import ParsedConfig, parse_config
from netsteward.tasks.ports.plan import (
    Device,
    DevicePlan,
    Link,
    PeerIndex,
    plan_device,
)
from netsteward.tasks.ports.policy import load_policy
from netsteward.tasks.ports.verify import verify_device

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(GOLDEN.glob("*/normalize_*.raw"))
POLICY = load_policy(ROOT / "policy" / "ports.yaml")


def _update(request: pytest.FixtureRequest) -> bool:
    try:
        if request.config.getoption("--update"):
            return True
    except ValueError:
        pass
    return os.environ.get("NETSTEWARD_UPDATE_GOLDEN") == "1"


def load_case(raw: Path) -> tuple[Device, str, list[Link], PeerIndex]:
    spec = yaml.safe_load(raw.with_suffix(".input.yaml").read_text())
    device = Device(**spec["device"])
    links = [Link(**lk) for lk in spec["links"]]
    peers = PeerIndex(platforms=dict(spec["peers"]["platforms"]))
    for host, port, lag in spec["peers"]["lags"]:
        peers.lags[(host, canonical_name(peers.platforms[host], port))] = lag
    return device, raw.read_text(), links, peers


def apply_to_text(plan: DevicePlan, parsed: ParsedConfig, commands: list[str]) -> str:
    """A minimal stand-in for a device: apply configuration-mode lines to the port view.

    `description` replaces the description; a line starting with the negate word
    removes lines equal to or starting with the rest; anything else is added.
    """
    syntax = POLICY.platforms[plan.platform]
    sections: dict[str | None, list[str]] = {None: list(parsed.top_lines)}
    for name, block in parsed.interfaces.items():
        sections[name] = list(block.lines)
    current: str | None = None
    for cmd in commands:
        if cmd.startswith("interface "):
            current = cmd[len("interface ") :]
            continue
        if cmd == syntax.interface_exit:
            current = None
            continue
        lines = sections[current]
        if cmd.startswith(syntax.negate + " "):
            target = cmd[len(syntax.negate) + 1 :]
            lines[:] = [ln for ln in lines if not (ln == target or ln.startswith(target + " "))]
        elif cmd.startswith("description "):
            lines[:] = [ln for ln in lines if not ln.startswith("description ")]
            lines.insert(0, cmd)
        elif cmd not in lines:
            lines.append(cmd)
    out = [*sections.pop(None), "#"]
    for name, lines in sections.items():
        out += [f"interface {name}", *(" " + ln for ln in lines), "#"]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("raw", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden_plan(raw: Path, request: pytest.FixtureRequest) -> None:
    device, text, links, peers = load_case(raw)
    plan = plan_device(device, text, links, POLICY, peers)
    got = json.loads(plan.model_dump_json())
    expected_file = raw.with_suffix(".expected.json")
    if _update(request) or not expected_file.exists():
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
        pytest.skip(f"wrote {expected_file.name}")
    assert got == json.loads(expected_file.read_text())


@pytest.mark.parametrize("raw", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_round_trip(raw: Path) -> None:
    """Apply the plan's commands, plan again: nothing left; verification passes; rollback restores."""
    device, text, links, peers = load_case(raw)
    before = parse_config(device.platform, text)
    plan = plan_device(device, before, links, POLICY, peers)
    assert plan.changes, "each golden case plants at least one deviation"
    after = parse_config(device.platform, apply_to_text(plan, before, plan.commands))
    assert verify_device(plan, after) == []
    again = plan_device(device, after, links, POLICY, peers)
    assert again.changes == []
    assert again.fingerprint != plan.fingerprint
    restored = parse_config(device.platform, apply_to_text(plan, after, plan.rollback))
    for name, block in before.interfaces.items():
        assert sorted(restored.interfaces[name].lines) == sorted(block.lines), name
    assert sorted(restored.top_lines) == sorted(before.top_lines)


@pytest.mark.parametrize("raw", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_no_uplink_becomes_edge(raw: Path) -> None:
    device, text, links, peers = load_case(raw)
    parsed = parse_config(device.platform, text)
    plan = plan_device(device, parsed, links, POLICY, peers)
    syntax = POLICY.platforms[device.platform]
    uplinks = {parsed.find(device.platform, lk.local_port).name for lk in links}  # type: ignore[union-attr]
    lag_rx = re.compile(syntax.lag_member)
    uplinks |= {n for n, b in parsed.interfaces.items() if any(lag_rx.match(ln) for ln in b.lines)}
    edge_lines = {vl.line for vl in syntax.edge_lines}
    for ch in plan.changes:
        if ch.interface in uplinks:
            assert not edge_lines & set(ch.lines), ch
            assert ch.kind != "edge_without_loop_protection"


EDGE_PORT = (
    "interface GigabitEthernet0/0/5\n stp edged-port enable\n loopback-detect enable\n"
    "#\nstp bpdu-protection\n"
)
INVENTORY = PeerIndex(platforms={"YM-BASE-AGG-01": "huawei_vrp", "SW": "huawei_vrp"})


@pytest.mark.parametrize(
    ("peer", "caps", "uplink"),
    [
        ("YM-BASE-AGG-01", "B,R", True),  # an inventory switch
        ("YM-BASE-AGG-01", "", True),  # capabilities unknown (offline, or not advertised)
        ("YM-BASE-AGG-01", "Bridge, Router", True),
        ("SEP001122334455", "B,T", False),  # an IP phone (bridge for the PC port, telephone)
        ("AP-F03-12", "B,W", False),  # an access point
        ("CAM-F03-07", "S", False),  # a camera (station)
        ("DESK-SW-3", "B", False),  # a switch plugged into a desk port: not in the inventory
        ("DESK-SW-3", "B,R", False),
        ("DESK-SW-3", "", False),
        ("YM-BASE-AGG-01", "B,T", False),  # a phone that took an inventory switch's name
        ("YM-BASE-AGG-01", "Telephone", False),
    ],
)
def test_only_inventory_devices_make_uplinks(peer: str, caps: str, uplink: bool) -> None:
    """Loop protection fails safe: a phone, an AP, a camera or an unknown switch leaves the
    port an edge port with its loop protection and its description alone."""
    link = Link("GE0/0/5", peer, "GigabitEthernet0/0/1", caps)
    plan = plan_device(
        Device("SW", "huawei_vrp", "access", "base"), EDGE_PORT, [link], POLICY, INVENTORY
    )
    kinds = {c.kind for c in plan.changes}
    assert kinds == ({"missing_description", "uplink_marked_edge"} if uplink else set())
    assert bool(plan.notes) is not uplink  # the reviewer is told why the port stays an edge port


@pytest.mark.parametrize("caps", ["B,T", "B,W", "B", ""])
def test_foreign_neighbour_on_a_port_without_loop_protection_gets_it(caps: str) -> None:
    """The same port without its edge lines: they are planned, as for an empty port."""
    config = "interface GigabitEthernet0/0/5\n port link-type access\n#\nstp bpdu-protection\n"
    link = Link("GE0/0/5", "DESK-SW-3", "GigabitEthernet0/0/1", caps)
    plan = plan_device(
        Device("SW", "huawei_vrp", "access", "base"), config, [link], POLICY, INVENTORY
    )
    assert [c.kind for c in plan.changes] == ["edge_without_loop_protection"]


def test_declared_link_is_an_uplink() -> None:
    """A link LLDP cannot see, declared in the inventory: an uplink, never an edge port
    (its description is left alone: the inventory, not LLDP, names the far end)."""
    link = Link("GE0/0/5", "YM-BASE-FW-01", "GigabitEthernet1/0/1", declared=True)
    plan = plan_device(Device("SW", "huawei_vrp", "access", "base"), EDGE_PORT, [link], POLICY)
    assert {c.kind for c in plan.changes} == {"uplink_marked_edge"}


def test_port_that_lost_its_neighbour_is_held() -> None:
    """A neighbour seen in the last snapshot but gone now: the port is not made an edge port."""
    config = "interface GigabitEthernet0/0/9\n port link-type trunk\n#\nstp bpdu-protection\n"
    device = Device("SW", "huawei_vrp", "access", "base")
    fresh = plan_device(device, config, [], POLICY)
    assert [c.kind for c in fresh.changes] == ["edge_without_loop_protection"]
    before = [Link("GE0/0/9", "AGG-1", "XGigabitEthernet0/0/1")]
    inventory = PeerIndex(platforms={"AGG-1": "huawei_vrp"})
    held = plan_device(device, config, [], POLICY, inventory, seen_before=before)
    assert held.changes == []
    assert held.notes == [
        "GigabitEthernet0/0/9: no LLDP neighbour now, but AGG-1 in the last topology snapshot; "
        "held as a possible uplink (not made an edge port)"
    ]
    # a phone seen there before, gone now: nothing to hold, the port is an edge port
    phone = [Link("GE0/0/9", "SEP001122334455", "Port 1", "B,T")]
    assert plan_device(device, config, [], POLICY, inventory, seen_before=phone).changes
