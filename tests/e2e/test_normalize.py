"""normalize against the lab (fresh_lab: these tests change devices), in order:

1. plan finds exactly the planted deviations of `lab truth`, nothing else; the
   same plan (same fingerprints) comes from the backup and topology snapshot (--offline);
2. apply (CLI) with one device changed behind the plan's back (refused as
   stale) and one device that rejects a line mid-push (rolled back), the rest
   applied; exit code 1; the change is recorded in the backup repository;
3. a lab fault (`truncate`) striking a device between push and read-back:
   rolled back, reported, the other device of the run applied;
4. plan again, apply, plan again: empty; after a lab restart (running = saved
   configuration) still empty; no cabled port carries an edge-port line.

Plans are sealed (issue 17): a test that wants a device to reject a line builds a
reviewed plan with a change the device refuses (a port it does not have) and seals it,
as `normalize plan` would; hand-edited, re-versioned, re-targeted and multi-line plans
are refused whole (`test_tampered_plans_are_refused_before_any_device`). Phones, access
points and desk switches (`truth["endpoints"]`) keep their ports' loop protection.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netsteward.playbooks.common import open_nornir
from netsteward.playbooks.normalize import choose_canaries, load_plan, run_apply
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.core.session import on_device
from netsteward.tasks.core.store import BackupStore
from netsteward.tasks.ports.apply import ROLLBACK_FAILED, ROLLBACK_UNVERIFIED, ROLLED_BACK
from netsteward.tasks.ports.config import parse_config
from netsteward.tasks.ports.plan import Plan, PlannedChange, render_commands, seal
from netsteward.tasks.ports.policy import load_policy
from netsteward.tasks.ports.read import PortState, read_port_state

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy(ROOT / "policy" / "ports.yaml")


def key(r: dict[str, Any]) -> tuple[str, str, str]:
    return (r["host"], r["interface"] or "", r["kind"])


def run(lab: Any, *args: str) -> subprocess.CompletedProcess[str]:
    """`netsteward normalize ARGS`, with this module's backup repository unless one is given."""
    if "--repo" not in args:
        args = (*args, "--repo", str(REPO[0]))
    return lab.netsteward("normalize", *args)


REPO: list[Path] = []  # the module's backup repository (set by the `work` fixture)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("normalize")
    REPO[:] = [path / "repo"]
    return path


@pytest.fixture(scope="module")
def first_plan(
    fresh_lab: Any, work: Path
) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    out = work / "plan.json"
    proc = run(
        fresh_lab,
        "plan",
        "--out",
        str(out),
        "--markdown",
        str(work / "plan.md"),
        "--json",
        "--repo",
        str(work / "repo"),
    )
    yield proc, out


def test_plan_finds_exactly_the_planted_deviations(fresh_lab: Any, first_plan: Any) -> None:
    proc, out = first_plan
    assert proc.returncode == 1, proc.stderr
    summary = json.loads(proc.stdout)
    truth = fresh_lab.truth()["port_deviations"]
    assert truth, "the lab plants port deviations"
    assert sorted(map(key, summary["deviations"])) == sorted(map(key, truth))
    assert summary["unreadable"] == {}
    plan = load_plan(out)
    assert len(plan.devices) == sum(
        1
        for d in fresh_lab.truth()["devices"]
        if d["role"] in ("router", "core", "aggregation", "access")
    )
    # every change carries exact lines, a reason and a rollback
    for d in plan.changed():
        assert d.fingerprint.startswith("sha256:") and d.commands and d.rollback
        for c in d.changes:
            assert c.lines and c.reason and c.rollback


def test_offline_plan_from_backup_and_snapshot_equals_live(
    fresh_lab: Any, first_plan: Any, work: Path
) -> None:
    """`--offline` (last backup + topology snapshot) plans the same lines with the same fingerprints."""
    _, live_out = first_plan
    repo = work / "offline-repo"
    for job in (["backup"], ["topology", "snapshot"]):
        proc = fresh_lab.netsteward(*job, "--repo", str(repo))
        assert proc.returncode == 0, (job, proc.stderr[-500:])
    out = work / "offline.json"
    proc = run(fresh_lab, "plan", "--offline", "--repo", str(repo), "--out", str(out), "--json")
    assert proc.returncode == 1, proc.stderr
    live, offline = load_plan(live_out), load_plan(out)
    assert offline.source == "offline"
    strip = {"created_at", "created_by", "source", "digest"}
    assert [d.model_dump() for d in offline.devices] == [d.model_dump() for d in live.devices]
    assert offline.model_dump(exclude=strip | {"devices"}) == live.model_dump(
        exclude=strip | {"devices"}
    )


def with_rejected_line(plan: Plan, hosts: set[str], first: bool = False) -> Plan:
    """The plan with, for each of `hosts`, one more reviewed change the device rejects (a
    port it does not have) in the middle of its changes (or `first`); sealed again."""
    devices = []
    for d in plan.devices:
        if d.host in hosts:
            syntax = POLICY.platforms[d.platform]
            bad = PlannedChange(
                interface="NoSuchPort9/9/9",
                kind="stale_description",
                lines=["description test-rejected"],
                reason="a port the device does not have",
                rollback=[f"{syntax.negate} description"],
                present=["description test-rejected"],
            )
            changes = list(d.changes)
            changes.insert(0 if first else len(changes) // 2, bad)
            commands, rollback = render_commands(changes, syntax)
            d = d.model_copy(
                update={"changes": changes, "commands": commands, "rollback": rollback}
            )
        devices.append(d)
    return seal(plan.model_copy(update={"devices": devices}))


def _pick(plan: Plan, platform: str) -> str:
    return next(d.host for d in plan.changed() if d.platform == platform and d.role == "access")


def _config(lab: Any, host: str) -> Any:
    nr = open_nornir(lab.config, host)
    typed = typed_results(nr.run(task=read_port_state, raise_on_error=False), PortState)
    nr.close_connections()
    state = typed.ok[host]
    return parse_config(nr.inventory.hosts[host].platform, state.config)


def test_phones_aps_and_desk_switches_keep_loop_protection_live_and_offline(
    fresh_lab: Any, first_plan: Any, work: Path
) -> None:
    """Every endpoint of `lab truth` (an IP phone, an access point, an unknown switch on an
    access port): no change on its port, live or offline, and the reviewer is told why."""
    endpoints = fresh_lab.truth()["endpoints"]
    assert {e["kind"] for e in endpoints} == {"phone", "ap", "switch"}
    live, offline = load_plan(first_plan[1]), load_plan(work / "offline.json")
    for plan in (live, offline):
        by_host = {d.host: d for d in plan.devices}
        for e in endpoints:
            dev = by_host[e["host"]]
            assert not [c for c in dev.changes if c.interface == e["interface"]], (plan.source, e)
            assert any(
                n.startswith(f"{e['interface']}: LLDP neighbour {e['name']!r}") for n in dev.notes
            ), (plan.source, e, dev.notes)
    # and the ports have their edge lines (the lab plants them compliant)
    for host in sorted({e["host"] for e in endpoints}):
        parsed = _config(fresh_lab, host)
        platform = next(d.platform for d in live.devices if d.host == host)
        edge = {vl.line for vl in POLICY.platforms[platform].edge_lines}
        for e in (e for e in endpoints if e["host"] == host):
            assert edge <= set(parsed.interfaces[e["interface"]].lines), e


def _refused(lab: Any, plan_file: Path, *extra: str) -> str:
    repo = REPO[0].parent / "refused-repo"
    proc = run(lab, "apply", str(plan_file), "--repo", str(repo), *extra)
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-500:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert not repo.exists(), "a refused plan records nothing"
    return lines[0]


def test_tampered_plans_are_refused_before_any_device(
    fresh_lab: Any, first_plan: Any, work: Path
) -> None:
    """Hand-edited, re-versioned, re-targeted, multi-line plans, or a plan made with another
    policy: one line each, exit 2, nothing sent, nothing recorded."""
    _, out = first_plan
    plan = load_plan(out)
    host = _pick(plan, "huawei_vrp")
    i = next(k for k, d in enumerate(plan.devices) if d.host == host)
    before = _config(fresh_lab, host)

    def edited(fn: Any, name: str, reseal: bool = True) -> Path:
        data = json.loads(out.read_text())
        fn(data, data["devices"][i])
        path = work / f"tampered-{name}.json"
        text = json.dumps(data)
        if reseal:  # a careful tamperer recomputes the digest
            text = seal(Plan.model_validate(data)).model_dump_json()
        path.write_text(text)
        return path

    def shutdown(data: Any, dev: Any) -> None:
        dev["changes"][-1]["lines"].append("shutdown")
        dev["commands"].insert(-1, "shutdown")

    def rerender(dev: Any) -> None:
        changes = [PlannedChange.model_validate(c) for c in dev["changes"]]
        commands, rollback = render_commands(changes, POLICY.platforms[dev["platform"]])
        dev["commands"], dev["rollback"] = commands, rollback

    def multi_line(data: Any, dev: Any) -> None:
        dev["changes"][-1]["lines"].append("stp edged-port enable\nreturn\nreboot")
        rerender(dev)

    cases = {
        "digest": (edited(shutdown, "digest", reseal=False), "does not match its digest"),
        "commands": (
            edited(lambda d, dev: dev["commands"].insert(-1, "shutdown"), "commands"),
            "commands are not what the reviewed changes render",
        ),
        "version": (
            edited(lambda d, dev: d.update(version=99), "version", reseal=False),
            "plan version 99 is not supported",
        ),
        "host": (
            edited(lambda d, dev: dev.update(host="YM-NOT-IN-INVENTORY"), "host"),
            "YM-NOT-IN-INVENTORY is not in the inventory",
        ),
        "platform": (
            edited(lambda d, dev: dev.update(platform="hp_comware"), "platform"),
            f"{host} is hp_comware in the plan but huawei_vrp in the inventory",
        ),
        "multi-line": (edited(multi_line, "multi"), "character U+000A"),
    }
    for name, (path, says) in cases.items():
        line = _refused(fresh_lab, path)
        assert says in line and str(path) in line, (name, line)
    # the policy in force is not the one the plan was made with
    changed = work / "other-policy.yaml"
    changed.write_text(  # one template changed: the plan would not be the same plan
        (ROOT / "policy" / "ports.yaml").read_text().replace('peer_join: "+"', 'peer_join: "&"')
    )
    line = _refused(fresh_lab, out, "--policy", str(changed))
    assert f"made with policy {plan.policy_digest}, but {changed} is now" in line
    # nothing reached the device
    assert _config(fresh_lab, host) == before


def test_apply_refuses_stale_rolls_back_rejected_applies_the_rest(
    fresh_lab: Any, first_plan: Any, work: Path
) -> None:
    _, out = first_plan
    plan = load_plan(out)
    stale = _pick(plan, "huawei_vrp")
    rejecting = _pick(plan, "hp_comware")

    # stale: someone changes an edge port the plan does not touch, after planning
    nr = open_nornir(fresh_lab.config, stale)
    by_hand = ["interface GigabitEthernet0/0/47", "description changed-by-hand", "quit"]
    agg = nr.run(task=lambda task: on_device(task, lambda s: s.configure(by_hand)).unwrap())
    assert not agg.failed
    stale_before = _config(fresh_lab, stale)

    # rejecting: the device refuses a line in the middle of the push
    tampered = work / "rejecting.json"
    tampered.write_text(with_rejected_line(plan, {rejecting}).model_dump_json())
    rejecting_before = _config(fresh_lab, rejecting)

    repo = work / "repo"
    proc = run(
        fresh_lab,
        "apply",
        str(tampered),
        "--canary",
        "1",
        "--max-failures",
        "10",
        "--json",
        "--repo",
        str(repo),
    )
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    status = {o["host"]: o for o in result["outcomes"]}
    (canary,) = choose_canaries(plan.changed(), 1)
    assert canary not in (stale, rejecting) and status[canary]["status"] == "applied"
    assert status[stale]["status"] == "stale"
    assert status[rejecting]["status"] == ROLLED_BACK, status[rejecting]
    assert "rolled back and verified" in status[rejecting]["detail"]
    others = {d.host for d in plan.changed()} - {stale, rejecting}
    assert others and all(status[h]["status"] == "applied" for h in others), [
        status[h] for h in others if status[h]["status"] != "applied"
    ]
    # nothing happened on the refused device; the rejecting one is as before
    assert _config(fresh_lab, stale).interfaces == stale_before.interfaces
    after = _config(fresh_lab, rejecting)
    for name, block in rejecting_before.interfaces.items():
        assert sorted(after.interfaces[name].lines) == sorted(block.lines), name
    assert sorted(after.top_lines) == sorted(rejecting_before.top_lines)
    # who, when, what: recorded in the backup repository
    records = sorted((repo / "changes").glob("*-normalize.yaml"))
    assert records, "change record written"
    text = records[-1].read_text()
    assert f"host: {stale}" in text and "status: stale" in text and "who:" in text
    assert result["commit"]
    # a commit with backups in it, which the last-backup lookup (monthly tag) finds
    last = BackupStore.open(repo, create=False).last_backup_commit()
    assert last is not None and last.hexsha == result["commit"]
    assert str(last.summary).startswith("backup (normalize apply by ")
    # the changed devices were backed up after the run, with the new lines
    saved = list(repo.glob(f"*/*/{canary}.cfg"))
    assert saved, "backup after apply"
    backed_up = saved[0].read_text()
    cplan = next(d for d in plan.devices if d.host == canary)
    assert all(ln in backed_up for c in cplan.changes for ln in c.present)


@pytest.fixture(scope="module")
def leftover_plan(fresh_lab: Any, work: Path) -> Path:
    """A plan of what the first apply left (its stale and rolled-back devices). The next
    two tests leave the devices as they found them (everything rolled back or skipped),
    so both apply this one plan."""
    out = work / "plan-leftover.json"
    proc = run(fresh_lab, "plan", "--out", str(out), "--json")
    assert proc.returncode == 1, proc.stderr
    return out


def test_apply_stops_after_max_failures(fresh_lab: Any, work: Path, leftover_plan: Path) -> None:
    """Every device refuses its first line; one worker, --max-failures 0: one tried, the rest skipped."""
    plan = load_plan(leftover_plan)
    changed = plan.changed()
    assert len(changed) >= 2
    stop = with_rejected_line(plan, {d.host for d in changed}, first=True)
    (work / "stop.json").write_text(stop.model_dump_json())
    proc = run(
        fresh_lab,
        "apply",
        str(work / "stop.json"),
        "--workers",
        "1",
        "--canary",
        "0",
        "--max-failures",
        "0",
        "--json",
        "--repo",
        str(work / "repo"),
    )
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["by_status"] == {"rolled_back": 1, "skipped": len(changed) - 1}, result


def test_lab_fault_between_push_and_read_back_is_rolled_back(
    fresh_lab: Any, leftover_plan: Path
) -> None:
    plan = load_plan(leftover_plan)
    candidates = plan.changed()
    assert len(candidates) >= 2
    victim, bystander = candidates[0].host, candidates[1].host
    before = _config(fresh_lab, victim)
    struck: list[str] = []

    def strike(host: str) -> None:
        if host == victim:
            fresh_lab.cli("fault", victim, "truncate", check=True)
            struck.append(host)

    sub = seal(
        plan.model_copy(
            update={"devices": [d for d in plan.devices if d.host in (victim, bystander)]}
        )
    )
    nr = open_nornir(fresh_lab.config)
    try:
        outcomes = {
            o.host: o
            for o in run_apply(nr, sub, policy=POLICY, canary=0, max_failures=5, after_push=strike)
        }
    finally:
        fresh_lab.cli("fault", victim, "clear", check=True)
        nr.close_connections()
    assert struck == [victim]
    # the fault still cuts the read-back of the rollback: sent, but not verified, and said so
    assert outcomes[victim].status == ROLLBACK_UNVERIFIED, outcomes[victim]
    assert "not verified" in outcomes[victim].detail
    assert "rolled back and verified" not in outcomes[victim].detail
    assert outcomes[bystander].status == "applied", outcomes[bystander]
    after = _config(fresh_lab, victim)
    vplan = next(d for d in plan.devices if d.host == victim)
    for ch in vplan.changes:
        name = ch.interface
        if name is None:
            assert sorted(after.top_lines) == sorted(before.top_lines)
        else:
            assert sorted(after.interfaces[name].lines) == sorted(before.interfaces[name].lines)


def test_whole_configuration_check_catches_a_device_that_changed_more_than_planned(
    fresh_lab: Any, work: Path, leftover_plan: Path
) -> None:
    """Someone changes another port while netsteward pushes: the read-back differs from the
    configuration read before the push by more than the plan, so nothing is saved, the plan's
    lines are rolled back, and the device is reported as not as before (the stranger's line
    is still there)."""
    plan = load_plan(leftover_plan)
    dev = plan.changed()[0]
    victim, platform = dev.host, dev.platform
    before = _config(fresh_lab, victim)
    touched = {c.interface for c in dev.changes}
    port = next(
        name
        for name, block in before.interfaces.items()
        if name not in touched and block.description is None and re.search(r"\d/\d+$", name)
    )
    syntax = POLICY.platforms[platform]
    extra = ["interface " + port, "description injected-mid-apply", syntax.interface_exit]
    undo = ["interface " + port, f"{syntax.negate} description", syntax.interface_exit]

    def configure(lines: list[str]) -> None:
        nr = open_nornir(fresh_lab.config, victim)
        agg = nr.run(task=lambda task: on_device(task, lambda s: s.configure(lines)).unwrap())
        nr.close_connections()
        assert not agg.failed

    struck: list[str] = []

    def strike(host: str) -> None:
        if host == victim:
            configure(extra)
            struck.append(host)

    sub = seal(plan.model_copy(update={"devices": [dev]}))
    nr = open_nornir(fresh_lab.config)
    try:
        (outcome,) = run_apply(nr, sub, policy=POLICY, canary=0, max_failures=5, after_push=strike)
    finally:
        nr.close_connections()
        configure(undo)
    assert struck == [victim]
    assert outcome.status == ROLLBACK_FAILED, outcome
    assert "unplanned line 'description injected-mid-apply' appeared" in outcome.detail
    assert "description injected-mid-apply" in outcome.detail.split("rolled back")[1]
    after = _config(fresh_lab, victim)  # the stranger's line undone: as before
    assert after.interfaces == before.interfaces and sorted(after.top_lines) == sorted(
        before.top_lines
    )


def test_round_trip_plan_apply_plan_is_empty_and_saved(fresh_lab: Any, work: Path) -> None:
    out = work / "plan3.json"
    proc = run(fresh_lab, "plan", "--out", str(out), "--json")
    load_plan(out)  # the plan file is valid
    if proc.returncode == 1:
        applied = run(fresh_lab, "apply", str(out), "--json", "--repo", str(work / "repo"))
        outcomes = {o["host"]: o["status"] for o in json.loads(applied.stdout)["outcomes"]}
        assert all(s == "applied" for s in outcomes.values()), outcomes
    # restart the lab: the running configuration becomes the saved one
    fresh_lab.cli("stop", check=True)
    fresh_lab.cli("start", "--base-port", str(fresh_lab.base_port), check=True)
    proc = run(fresh_lab, "plan", "--out", str(work / "plan4.json"), "--json")
    left = {d["host"] for d in json.loads(proc.stdout)["deviations"]}
    assert not left, left
    assert proc.returncode == 0
    # no cabled port of an access switch carries an edge-port line
    truth = fresh_lab.truth()
    access = {d["name"]: d["platform"] for d in truth["devices"] if d["role"] == "access"}
    nr = open_nornir(fresh_lab.config, group="access")
    typed = typed_results(nr.run(task=read_port_state, raise_on_error=False), PortState)
    nr.close_connections()
    assert not typed.failed
    cabled = {(c[e], c[f"{e}_port"]) for c in truth["cables"] for e in ("a", "b")}
    lags = {(lag["host"], lag["lag"]) for lag in truth["lags"]}
    checked = 0
    for host, platform in access.items():
        parsed = parse_config(platform, typed.ok[host].config)
        forbidden = [re.compile(f.match) for f in POLICY.platforms[platform].uplink_forbidden]
        for name, block in parsed.interfaces.items():
            if (host, name) in cabled or (host, name) in lags:
                checked += 1
                assert not [ln for ln in block.lines for rx in forbidden if rx.search(ln)], (
                    host,
                    name,
                )
    assert checked > len(access)


def test_plan_with_unreadable_devices_names_them_and_exits_3(fresh_lab: Any, work: Path) -> None:
    """One switch refuses our log-in, one is down, one answers: the plan covers the third,
    names the other two with their reasons (the refused log-in asked once, the closed port
    asked again on a new session) and exits 3."""
    access = sorted(d["name"] for d in fresh_lab.truth()["devices"] if d["role"] == "access")[:3]
    refusing, down, fine = access
    prefix = access[0][:-1]
    assert all(name[:-1] == prefix for name in access), access  # one glob selects the three
    glob = prefix + "[" + "".join(name[-1] for name in access) + "]"
    fresh_lab.cli("fault", refusing, "auth", check=True)
    fresh_lab.cli("fault", down, "down", check=True)
    try:
        proc = run(fresh_lab, "plan", "--hosts", glob, "--out", str(work / "p5.json"), "--json")
    finally:
        fresh_lab.cli("fault", refusing, "clear", check=True)
        fresh_lab.cli("fault", down, "clear", check=True)
    assert proc.returncode == 3, proc.stderr
    summary = json.loads(proc.stdout)
    assert set(summary["unreadable"]) == {refusing, down}
    assert summary["unreadable"][refusing].startswith("authentication failed")
    assert summary["unreadable"][down] == "connection refused (after 2 attempts)"
    plan = load_plan(work / "p5.json")
    assert [d.host for d in plan.devices] == [fine]
