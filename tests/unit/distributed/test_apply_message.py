"""`normalize apply` on Celery, the pure parts: a shard's message (only its device plans,
signed), the worker's checks of what it received (signature, then each device plan against
its own policy and inventory), and the outcomes back (validated; a host missing from a
reply is never lost). The fleet-wide counter against a real Redis, and all of it with real
workers: tests/e2e/test_normalize_celery_e2e.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.distributed.apply_message import (
    MessageRefused,
    apply_key,
    budget_key,
    device_problem,
    outcomes_from_payload,
    outcomes_payload,
    shard_message,
    verify_message,
)
from netsteward.tasks.distributed.coordinator import ShardDone
from netsteward.tasks.distributed.normalize_jobs import shard_apply_outcomes, shard_states
from netsteward.tasks.distributed.settings import Shard
from netsteward.tasks.ports.apply import ApplyOutcome
from netsteward.tasks.ports.plan import Device, Link, PeerIndex, Plan, new_plan, plan_device
from netsteward.tasks.ports.policy import load_policy
from netsteward.tasks.ports.read import PortState, state_payload

ROOT = Path(__file__).resolve().parents[3]
POLICY = load_policy(ROOT / "policy" / "ports.yaml")
KEY = b"unit-test-key-0123456789"
CONFIG = """\
stp bpdu-protection
#
interface GigabitEthernet0/0/1
 description old-text
 stp edged-port enable
#
interface GigabitEthernet0/0/2
 port link-type access
#
"""
PEERS = PeerIndex(platforms={"YM-BASE-AGG-01": "huawei_vrp"})
LINKS = [Link("GE0/0/1", "YM-BASE-AGG-01", "XGigabitEthernet0/0/10", "bridge router")]
HOSTS = ["YM-BASE-ACC-001", "YM-BASE-ACC-002", "YM-BASE-ACC-003"]
INVENTORY: dict[str, str | None] = {h: "huawei_vrp" for h in HOSTS}


def make_plan() -> Plan:
    devices = [
        plan_device(Device(h, "huawei_vrp", "access", "base"), CONFIG, LINKS, POLICY, PEERS)
        for h in HOSTS
    ]
    return new_plan(devices, source="live", policy=POLICY, created_by="test")


def message(plan: Plan, hosts: list[str]) -> dict:
    return shard_message(plan, hosts, run="r1", max_failures=2, workers=4, key=KEY)


def test_a_shard_message_carries_only_its_device_plans_and_no_secret() -> None:
    plan = make_plan()
    assert all(d.changes for d in plan.devices)
    msg = message(plan, HOSTS[1:2])
    assert [d["host"] for d in msg["devices"]] == ["YM-BASE-ACC-002"]
    assert msg["plan_digest"] == plan.digest and msg["policy_digest"] == POLICY.digest
    assert msg["budget"] == budget_key("r1") and msg["max_failures"] == 2
    assert msg["mac"].startswith("hmac-sha256:")
    text = json.dumps(msg)
    assert KEY.decode() not in text and "password" not in text.lower()
    order = verify_message(HOSTS[1:2], json.loads(text), KEY)  # JSON there and back
    assert order.devices == [plan.devices[1]] and order.workers == 4


@pytest.mark.parametrize(
    "alter, says",
    [
        (lambda m: m["devices"][0]["commands"].append("shutdown"), "does not verify"),
        (lambda m: m.update(max_failures=99), "does not verify"),
        (lambda m: m.update(budget="netsteward:apply:other:failures"), "does not verify"),
        (lambda m: m.pop("mac"), "not signed"),
    ],
)
def test_a_message_altered_after_signing_is_refused(alter, says) -> None:
    msg = message(make_plan(), HOSTS[:1])
    alter(msg)
    with pytest.raises(MessageRefused, match=says):
        verify_message(HOSTS[:1], msg, KEY)


def test_the_signature_covers_the_hosts_and_needs_the_key() -> None:
    msg = message(make_plan(), HOSTS[:1])
    with pytest.raises(MessageRefused, match="does not verify"):
        verify_message(HOSTS[1:2], msg, KEY)  # sent for another shard
    with pytest.raises(MessageRefused, match="does not verify"):
        verify_message(HOSTS[:1], msg, b"another-key-0123456789")
    with pytest.raises(MessageRefused, match="NETSTEWARD_APPLY_KEY"):
        verify_message(HOSTS[:1], msg, None)


def test_the_worker_checks_each_device_plan_against_its_own_policy_and_inventory() -> None:
    plan = make_plan()
    order = verify_message(HOSTS, message(plan, HOSTS), KEY)
    dev = order.devices[0]
    assert device_problem(order, dev, POLICY, POLICY.digest, INVENTORY) is None
    # signed by a coordinator with lines its changes do not render
    bad = dev.model_copy(update={"commands": [*dev.commands, "shutdown"]})
    why = device_problem(order, bad, POLICY, POLICY.digest, INVENTORY)
    assert why is not None and "commands are not what the reviewed changes render" in why
    # a line the CLI would not take as one line
    change = dev.changes[0].model_copy(update={"lines": ["description a\nreboot"]})
    multi = dev.model_copy(update={"changes": [change, *dev.changes[1:]]})
    why = device_problem(order, multi, POLICY, POLICY.digest, INVENTORY)
    assert why is not None and "U+000A" in why
    # another policy on this worker; a host this worker's inventory lacks or has otherwise
    why = device_problem(order, dev, POLICY, "sha256:other", INVENTORY)
    assert why is not None and "made with policy" in why
    why = device_problem(order, dev, POLICY, POLICY.digest, {})
    assert why is not None and "is not in the inventory" in why
    why = device_problem(order, dev, POLICY, POLICY.digest, {dev.host: "hp_comware"})
    assert why is not None and "hp_comware in the inventory" in why


def test_the_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETSTEWARD_APPLY_KEY", raising=False)
    assert apply_key(required=False) is None
    with pytest.raises(BadInput, match="NETSTEWARD_APPLY_KEY must be set"):
        apply_key()
    monkeypatch.setenv("NETSTEWARD_APPLY_KEY", "short")
    with pytest.raises(BadInput, match="at least 16 characters"):
        apply_key()
    monkeypatch.setenv("NETSTEWARD_APPLY_KEY", "x" * 16)
    assert apply_key() == b"x" * 16


def test_outcomes_back_are_validated_and_no_host_is_lost() -> None:
    shard = Shard("base", tuple(HOSTS))
    applied = ApplyOutcome(HOSTS[0], "applied", "2 change(s), saved", ("interface X", "quit"))
    reply = json.loads(json.dumps(outcomes_payload([applied])))
    assert outcomes_from_payload(reply) == [applied]
    outcomes, here = shard_apply_outcomes(ShardDone(shard, reply))
    got = {o.host: o for o in outcomes}
    assert got[HOSTS[0]] == applied
    assert {got[h].status for h in HOSTS[1:]} == {"failed"}  # state unknown: counts
    assert here == set(HOSTS[1:])  # the coordinator counts these towards the budget
    # no worker on the queue: nothing was sent
    none, here = shard_apply_outcomes(ShardDone(shard, None, "unreachable", "no worker consumes"))
    assert {(o.status, o.detail) for o in none} == {("unreachable", "no worker consumes")}
    assert here == set(HOSTS)
    # a reply that does not validate
    broken, here = shard_apply_outcomes(ShardDone(shard, [{"host": HOSTS[0]}]))
    assert {o.status for o in broken} == {"failed"} and here == set(HOSTS)
    assert all("does not validate" in o.detail for o in broken)


def test_port_states_back_are_validated_and_no_host_is_lost() -> None:
    shard = Shard("base", tuple(HOSTS))
    state = PortState(HOSTS[0], CONFIG, tuple(LINKS))
    reply = json.loads(
        json.dumps({"states": [state_payload(state)], "failed": {HOSTS[1]: "auth: refused"}})
    )
    got, lost = shard_states(ShardDone(shard, reply))
    assert got == {HOSTS[0]: state}
    assert lost[HOSTS[1]] == "auth: refused"
    assert "no result" in lost[HOSTS[2]]
    got, lost = shard_states(ShardDone(shard, {"states": [{"host": 1}]}))
    assert got == {} and all("does not validate" in r for r in lost.values())
