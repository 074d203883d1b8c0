"""Hostile neighbour text pushed to the lab: what `normalize plan` makes of untrusted device
text (control characters, a newline with commands after it, 300 CJK characters, HTML) is
one description line the device takes, verified on the whole running configuration, on
every configurable platform.

The lab's LLDP names come from its fleet and cannot be made hostile, so each hostile text
goes through the planner's own cleaning (`clean_description`, what `plan_device` does with
a neighbour's name and port) into a reviewed change of a real plan, which is sealed and
applied with `netsteward normalize apply` over SSH.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from netsteward.playbooks.common import open_nornir
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.config import parse_config
from netsteward.tasks.ports.plan import (
    Plan,
    PlannedChange,
    clean_description,
    render_commands,
    seal,
)
from netsteward.tasks.ports.policy import load_policy
from netsteward.tasks.ports.read import PortState, read_port_state

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy(ROOT / "policy" / "ports.yaml")
HOSTILE = {
    "control": "SW\x00\x08\x1b[2J\x1aX",
    "newline": "X\nreturn\nreboot",
    "cjk_long": "财" * 300,
    "html": "<svg onload=alert(1)>",
}
PLATFORMS = ("huawei_vrp", "hp_comware", "cisco_ios")


def _running(lab: Any, host: str) -> Any:
    nr = open_nornir(lab.config, host)
    typed = typed_results(nr.run(task=read_port_state, raise_on_error=False), PortState)
    nr.close_connections()
    state = typed.ok[host]
    return parse_config(nr.inventory.hosts[host].platform, state.config)


def test_hostile_text_becomes_one_description_line_the_device_takes(
    fresh_lab: Any, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    plan_file = tmp_path / "plan.json"
    proc = fresh_lab.netsteward(
        "normalize", "plan", "--out", str(plan_file), "--repo", str(repo), "--json"
    )
    assert proc.returncode == 1, proc.stderr
    plan = Plan.model_validate_json(plan_file.read_text(encoding="utf-8"))
    devices, wanted = [], {}
    for platform in PLATFORMS:
        dev = next(d for d in plan.changed() if d.platform == platform and d.role == "access")
        syntax = POLICY.platforms[platform]
        unit = load_platform(platform).description_length
        before = _running(fresh_lab, dev.host)
        touched = {c.interface for c in dev.changes}
        free = [
            name
            for name, block in before.interfaces.items()
            if name not in touched and block.description is None and re.search(r"\d/\d+$", name)
        ]
        changes = list(dev.changes)
        for port, text in zip(free, HOSTILE.values(), strict=False):
            body = clean_description("TO-" + text, syntax, unit)
            changes.append(
                PlannedChange(
                    interface=port,
                    kind="missing_description",
                    lines=[f"description {body}"],
                    reason="hostile neighbour text, cleaned by the planner",
                    rollback=[f"{syntax.negate} description"],
                    present=[f"description {body}"],
                )
            )
            wanted[(dev.host, port)] = body
        commands, rollback = render_commands(changes, syntax)
        devices.append(
            dev.model_copy(update={"changes": changes, "commands": commands, "rollback": rollback})
        )
    assert len(wanted) == len(HOSTILE) * len(PLATFORMS)
    sealed = tmp_path / "hostile-plan.json"
    sealed.write_text(
        seal(plan.model_copy(update={"devices": devices})).model_dump_json(indent=1),
        encoding="utf-8",
    )

    applied = fresh_lab.netsteward(
        "normalize", "apply", str(sealed), "--repo", str(repo), "--canary", "0"
    )
    assert applied.returncode == 0, applied.stdout + applied.stderr

    for (host, port), body in wanted.items():
        after = _running(fresh_lab, host)
        assert after.interfaces[port].description == body, (host, port)
        assert body.isprintable() and "reboot" not in after.top_lines
        unit = load_platform(next(d.platform for d in devices if d.host == host))
        limit = POLICY.platforms[unit.name].description_max_length
        size = len(body.encode()) if unit.description_length == "bytes" else len(body)
        assert size <= limit
