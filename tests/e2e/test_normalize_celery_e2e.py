"""`normalize plan` and `normalize apply` with `--engine celery` end to end: a real
redis-server on a loopback port, two real `netsteward worker` processes on different
queues (A: base and egov_extranet, B: device_net and egov_intranet), SSH to a lab of this
module's own (these tests change devices). The selection: the access switches 010-049 of
every network, among them a dozen with planted port deviations in all four queues.

In order: the plan computed from the workers' reads is the local plan; a canary that fails
stops the rest on every worker; `--max-failures` holds across both workers; a message
altered on its way (or with lines the worker's policy does not render) is refused by the
worker, nothing pushed; the plan applied on the workers leaves nothing to plan, and the
change record and the one commit (with the applied devices' backups, read by the workers)
are written by the coordinator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from celery_parts import ROOT, free_port, start_redis, start_worker

from netsteward.tasks.distributed.app import APPLY_SHARD, make_app
from netsteward.tasks.distributed.apply_message import FleetGate, budget_key, shard_message
from netsteward.tasks.distributed.settings import CelerySettings, queue_of
from netsteward.tasks.ports.apply import ApplyOutcome, choose_canaries
from netsteward.tasks.ports.plan import Plan
from netsteward.tasks.ports.seal import load_plan

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SELECTION = "YM-*-ACC-0[1-4][0-9]"
QUEUES_A = ["base", "egov_extranet"]
QUEUES_B = ["device_net", "egov_intranet"]
NETWORKS = (*QUEUES_A, *QUEUES_B, "san")
KEY = "test-apply-key-0123456789abcdef"


@pytest.fixture(scope="module")
def state(fresh_lab: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    redis = start_redis(tmp_path_factory.mktemp("redis"))
    work = tmp_path_factory.mktemp("normalize-celery")
    data = yaml.safe_load(fresh_lab.config.read_text(encoding="utf-8"))
    data["user_defined"] = {"celery": {"queues": {n: n for n in NETWORKS}, "default_queue": None}}
    config = work / "site.yaml"
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, NETSTEWARD_BROKER_URL=redis.url, NETSTEWARD_APPLY_KEY=KEY)
    workers = []
    try:
        for name, queues in (("a", QUEUES_A), ("b", QUEUES_B)):
            workers.append(start_worker(config, queues, env, work / f"worker-{name}.log"))
        yield {"lab": fresh_lab, "redis": redis, "work": work, "config": config, "env": env,
               "workers": workers}  # fmt: skip
    finally:
        for worker in workers:
            worker.stop()
        redis.stop()


def normalize(state: Any, *args: str) -> tuple[int, dict[str, Any] | None, str]:
    cli = [sys.executable, "-m", "netsteward.playbooks.cli", "normalize"]
    proc = subprocess.run(
        [*cli, *args, "--config", str(state["config"]), "--json"],
        capture_output=True,
        text=True,
        env=state["env"],
        cwd=ROOT,
        timeout=1800,
    )
    doc = json.loads(proc.stdout) if proc.stdout.strip() else None
    return proc.returncode, doc, proc.stderr


def settings() -> CelerySettings:
    return CelerySettings(queues={n: n for n in NETWORKS}, default_queue=None)


def queue(state: Any, host: str) -> str:
    """The queue of a host (its network's: the lab's inventory groups are its networks)."""
    if "networks" not in state:
        state["networks"] = {d["name"]: d["network"] for d in state["lab"].truth()["devices"]}
    out = queue_of([state["networks"][host]], settings())
    assert out is not None
    return out


def log_count(state: Any, needle: str) -> int:
    return sum(w.text().count(needle) for w in state["workers"])


@pytest.fixture(scope="module")
def plans(state: Any) -> dict[str, Path]:
    """The same selection planned locally and on the workers (nothing changed between)."""
    out = {}
    for name, extra in (("local", ()), ("celery", ("--engine", "celery"))):
        path = state["work"] / f"plan-{name}.json"
        code, doc, err = normalize(
            state, "plan", "--hosts", SELECTION, "--out", str(path),
            "--repo", str(state["work"] / "repo"), *extra,
        )  # fmt: skip
        assert code == 1 and doc is not None, err
        assert doc["counts"]["unreadable"] == 0, doc
        out[name] = path
    return out


def test_plan_on_celery_is_the_local_plan(state: Any, plans: dict[str, Path]) -> None:
    local, celery = load_plan(plans["local"]), load_plan(plans["celery"])
    assert [d.model_dump() for d in celery.devices] == [d.model_dump() for d in local.devices]
    identity = {"created_at", "created_by", "digest"}
    assert celery.model_dump(exclude=identity | {"devices"}) == local.model_dump(
        exclude=identity | {"devices"}
    )
    assert len(local.devices) > 100 and len(local.changed()) >= 8
    # the reads ran on both workers, one shard per queue
    assert log_count(state, "port read shard done") == 4
    for worker in state["workers"]:
        assert "port read shard done" in worker.text()


def test_a_failed_canary_stops_the_rest_on_every_worker(state: Any, plans: dict[str, Path]) -> None:
    plan = load_plan(plans["celery"])
    (canary,) = choose_canaries(plan.changed(), 1)
    lab = state["lab"]
    started = log_count(state, "apply shard started")
    lab.cli("fault", canary, "down", check=True)
    try:
        code, doc, err = normalize(
            state, "apply", str(plans["celery"]), "--engine", "celery", "--canary", "1",
            "--workers", "1", "--repo", str(state["work"] / "canary-repo"),
        )  # fmt: skip
    finally:
        lab.cli("fault", canary, "clear", check=True)
    assert code == 3 and doc is not None, err
    status = {o["host"]: o for o in doc["outcomes"]}
    assert status[canary]["status"] == "unreachable"
    rest = [d.host for d in plan.changed() if d.host != canary]
    assert {status[h]["status"] for h in rest} == {"skipped"}
    assert {status[h]["detail"] for h in rest} == {"not attempted: a canary device failed"}
    # only the canary's shard was ever sent, and the other queues' devices were in none
    assert log_count(state, "apply shard started") - started == 1
    assert {queue(state, h) for h in rest} >= {*QUEUES_A, *QUEUES_B}


def test_max_failures_holds_across_two_workers(state: Any, plans: dict[str, Path]) -> None:
    """Every device down, --max-failures 1, one device at a time per worker: at most
    1 + 2 devices fail (one in flight on each worker when the second failure lands); per
    shard the four shards would let 8 fail. Both workers skip devices."""
    plan = load_plan(plans["celery"])
    changed = [d.host for d in plan.changed()]
    per_worker = {
        "a": [h for h in changed if queue(state, h) in QUEUES_A],
        "b": [h for h in changed if queue(state, h) in QUEUES_B],
    }
    assert min(len(v) for v in per_worker.values()) >= 3, per_worker
    lab = state["lab"]
    for host in changed:
        lab.cli("fault", host, "down", check=True)
    try:
        code, doc, err = normalize(
            state, "apply", str(plans["celery"]), "--engine", "celery", "--canary", "0",
            "--max-failures", "1", "--workers", "1", "--repo", str(state["work"] / "budget-repo"),
        )  # fmt: skip
    finally:
        for host in changed:
            lab.cli("fault", host, "clear", check=True)
    assert code == 3 and doc is not None, err
    status = {o["host"]: o for o in doc["outcomes"]}
    failed = [h for h in changed if status[h]["status"] == "unreachable"]
    skipped = [h for h in changed if status[h]["status"] == "skipped"]
    assert len(failed) + len(skipped) == len(changed), [status[h] for h in changed]
    assert 2 <= len(failed) <= 3, doc["by_status"]
    assert {status[h]["detail"] for h in skipped} == {"not attempted: more than 1 device(s) failed"}
    for name, hosts in per_worker.items():
        assert set(hosts) & set(skipped), (name, hosts, doc["by_status"])


def test_worker_refuses_an_altered_message(state: Any, plans: dict[str, Path]) -> None:
    """Sent straight to the broker, past the coordinator's checks: a message altered after
    it was signed, and one signed with lines the policy does not render; both refused by
    the worker, nothing pushed (the devices are applied by the next test from their plan)."""
    plan = load_plan(plans["celery"])
    dev = next(d for d in plan.changed() if queue(state, d.host) == "base")
    app = make_app(CelerySettings(broker_url=state["redis"].url))
    signed = shard_message(plan, [dev.host], run="t", max_failures=0, workers=1, key=KEY.encode())
    altered = json.loads(json.dumps(signed))
    altered["devices"][0]["commands"].insert(1, "shutdown")
    bad = dev.model_copy(update={"commands": [*dev.commands[:1], "shutdown", *dev.commands[1:]]})
    unrendered = Plan.model_validate(
        plan.model_dump() | {"devices": [bad if d.host == dev.host else d for d in plan.devices]}
    )
    resigned = shard_message(
        unrendered, [dev.host], run="t", max_failures=0, workers=1, key=KEY.encode()
    )
    for message, says in (
        (altered, "signature does not verify"),
        (resigned, "commands are not what the reviewed changes render"),
    ):
        result = app.send_task(
            APPLY_SHARD, args=[[dev.host]], kwargs={"message": message}, queue="base"
        )
        (outcome,) = result.get(timeout=600)
        assert outcome["host"] == dev.host and outcome["status"] == "refused", outcome
        assert says in outcome["detail"] and outcome["sent"] == [], outcome


def test_apply_on_celery_then_nothing_left_to_plan(state: Any, plans: dict[str, Path]) -> None:
    plan = load_plan(plans["celery"])
    repo = state["work"] / "repo"
    code, doc, err = normalize(
        state, "apply", str(plans["celery"]), "--engine", "celery", "--canary", "2",
        "--max-failures", "0", "--repo", str(repo),
    )  # fmt: skip
    assert code == 0 and doc is not None, err
    assert doc["by_status"] == {"applied": len(plan.changed())}, doc
    # the change record: every device sent exactly its plan's lines, as a local apply does
    (record_file,) = (repo / "changes").glob("*-normalize.yaml")
    record = yaml.safe_load(record_file.read_text(encoding="utf-8"))
    assert record["plan_digest"] == plan.digest
    sent = {d["host"]: d["sent"] for d in record["devices"]}
    assert sent == {d.host: d.commands for d in plan.changed()}
    # one commit, with the applied devices backed up by the workers, new lines in them
    commits = list(git.Repo(repo).iter_commits())
    assert len(commits) == 1 and commits[0].summary.startswith("backup (normalize apply by ")
    for d in plan.changed():
        (saved,) = repo.glob(f"*/*/{d.host}.cfg")
        text = saved.read_text(encoding="utf-8")
        assert all(line in text for c in d.changes for line in c.present), d.host
    # and nothing left to plan, read locally
    again = state["work"] / "plan-again.json"
    code, doc, err = normalize(
        state, "plan", "--hosts", SELECTION, "--out", str(again), "--repo", str(repo)
    )
    assert code == 0 and doc is not None and doc["counts"]["devices_with_changes"] == 0, err


def test_failure_budget_counter_is_one_for_every_gate(state: Any) -> None:
    """Two workers' gates on the run's Redis counter (the real server): failures recorded
    by either stop both; stale/applied/skipped do not count; a counter that cannot be read
    starts nothing."""
    import redis as redis_lib

    key = budget_key("unit")
    client = redis_lib.Redis.from_url(state["redis"].url)
    client.set(key, 0, ex=60)
    a = FleetGate(max_failures=1, client=client, key=key)
    b = FleetGate(max_failures=1, client=redis_lib.Redis.from_url(state["redis"].url), key=key)
    for status in ("applied", "stale", "skipped"):
        a.record(ApplyOutcome("X", status))
    assert int(client.get(key)) == 0 and not b.stopped()
    a.record(ApplyOutcome("A1", "unreachable"))
    assert not a.stopped() and not b.stopped()  # 1 failure: not more than 1
    b.record(ApplyOutcome("B1", "rolled_back"))
    assert int(client.get(key)) == 2 and a.stopped() and b.stopped()
    assert (a.failures, b.failures) == (1, 1)  # each gate's own count, for its outcomes
    client.delete(key)
    dead = FleetGate(
        max_failures=5, client=redis_lib.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0"),
        key=key,
    )  # fmt: skip
    assert dead.stopped()
    dead.record(ApplyOutcome("D1", "failed"))  # logged, not raised
    assert [o.host for o in dead.outcomes] == ["D1"]


def test_broker_down_or_no_key_is_one_line_nothing_sent(state: Any, plans: dict[str, Path]) -> None:
    """A broker that does not answer: exit 3, one line, no plan written, nothing applied;
    apply without $NETSTEWARD_APPLY_KEY: exit 2, one line, nothing recorded."""
    out = state["work"] / "never.json"
    repo = state["work"] / "never-repo"
    dead = dict(state["env"], NETSTEWARD_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    no_key = {k: v for k, v in state["env"].items() if k != "NETSTEWARD_APPLY_KEY"}
    cases = [
        (dead, ["plan", "--hosts", SELECTION, "--out", str(out)], 3, "does not answer"),
        (dead, ["apply", str(plans["celery"]), "--repo", str(repo)], 3, "does not answer"),
        (no_key, ["apply", str(plans["celery"]), "--repo", str(repo)], 2, "NETSTEWARD_APPLY_KEY"),
    ]
    for env, args, want, says in cases:
        code, doc, err = normalize(dict(state, env=env), *args, "--engine", "celery")
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == want and len(lines) == 1 and says in lines[0], (args, code, err)
        assert doc is not None and doc["exit_code"] == want
    assert not out.exists() and not repo.exists()
