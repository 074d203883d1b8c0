"""`normalize plan` and `normalize apply` on the Celery engine (docs/celery.md).

Plan: each worker reads its shard's devices with the local engine's function
(`tasks/ports/read.py: read_states`: running configuration and LLDP neighbours); the
`PortState`s come back as JSON, validated, and the coordinator plans exactly as locally
(`playbooks/normalize.py: compute_plan`, with this module's reader).

Apply: the coordinator verifies the sealed plan as locally (digest, version, policy,
targets, lines) before anything is sent, then sends each shard only its device plans in a
signed message (`apply_message.py`). The canary devices go first, as shards of their own
queues, and are waited for; any canary not applied (or stale) = the rest is skipped with the
local reason. `--max-failures` holds fleet-wide through the run's Redis counter
(`FleetGate`). The coordinator collects the typed outcomes, backs up the applied devices on
the workers (the backup shard task) and writes the change record and the one commit.

The worker side of both tasks is here too (`port_read_payload`, `apply_payload`);
`playbooks/worker.py` registers them in `SHARD_TASKS`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netsteward.tasks.backup.collect import BackupOutcome
from netsteward.tasks.core.errors import BrokerUnreachable
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.results import one_line
from netsteward.tasks.core.session import SessionOptions
from netsteward.tasks.distributed.app import APPLY_SHARD, PORT_READ_SHARD
from netsteward.tasks.distributed.apply_message import (
    BUDGET_TTL,
    FleetGate,
    MessageRefused,
    ShardOrder,
    budget_key,
    count,
    device_problem,
    outcomes_from_payload,
    outcomes_payload,
    shard_message,
    verify_message,
)
from netsteward.tasks.distributed.coordinator import Dispatch, ShardDone, check_broker
from netsteward.tasks.distributed.jobs import (
    backup_on_workers,
    collect_on_workers,
    outcomes_by_host,
    shard_reply,
)
from netsteward.tasks.distributed.settings import (
    CelerySettings,
    Shard,
    load_engine_settings,
    make_shards,
    redacted,
)
from netsteward.tasks.ports.apply import (
    FAILED,
    FAILURES,
    REFUSED,
    SKIPPED,
    UNREACHABLE,
    ApplyOutcome,
    apply_from_plan,
    canary_failed,
    choose_canaries,
)
from netsteward.tasks.ports.plan import Plan
from netsteward.tasks.ports.policy import PortPolicy
from netsteward.tasks.ports.read import (
    PortState,
    read_states,
    state_payload,
    states_from_payload,
)
from netsteward.tasks.ports.seal import check_sealed

log = logging.getLogger(__name__)

Hosts = dict[str, tuple[str, list[str]]]  # name -> (platform, inventory groups)
NOT_MINE = "not in the inventory of the worker that took its shard"


# -- plan: live reads on workers --------------------------------------------------------


def shard_states(done: ShardDone) -> tuple[dict[str, PortState], dict[str, str]]:
    """A port-read shard's reply as (host -> PortState, host -> reason) (`shard_reply`)."""
    return shard_reply(done, states_from_payload, lambda s: s.host, key="states")


def port_reads_on_workers(
    hosts_of: Callable[[Any], Hosts],
    settings: CelerySettings,
    workers: int | None,
    progress: Callable[[int, int], None] = lambda done, failed: None,
) -> Callable[[Any], tuple[dict[str, PortState], dict[str, str]]]:
    """A `read` for `compute_plan`: the selection's states read by the workers of each
    host's queue (the same pair `read_states` returns locally). `progress(n, failed)` after
    each shard."""

    def read(nr: Any) -> tuple[dict[str, PortState], dict[str, str]]:
        message = {"options": {"workers": workers}}
        return collect_on_workers(
            PORT_READ_SHARD, hosts_of(nr), settings, message, shard_states, progress
        )

    return read


def port_read_payload(mine: Any, hosts: list[str]) -> dict[str, Any]:
    """Worker side of a port-read shard: its Nornir over the shard -> states (JSON)."""
    states, failed = read_states(mine) if mine.inventory.hosts else ({}, {})
    for host in set(hosts) - set(states) - set(failed):
        failed[host] = _(NOT_MINE)
    return {"states": [state_payload(states[h]) for h in sorted(states)], "failed": failed}


# -- apply: canaries, then the rest, one budget --------------------------------------


class _Signed(Dispatch):
    """A Dispatch whose shards each get their own message (their device plans only)."""

    def __init__(self, message: Callable[[Shard], dict[str, Any]], **kw: Any) -> None:
        super().__init__(kwargs={}, **kw)
        self.message = message

    def _send(self, shard: Shard) -> None:
        result = self.app.send_task(
            self.task_name,
            args=[list(shard.hosts)],
            kwargs={"message": self.message(shard)},
            queue=shard.queue,
        )
        self.sent[result.id] = (shard, result)
        log.info("apply shard of %d hosts sent to queue %s", len(shard.hosts), shard.queue)


def shard_apply_outcomes(done: ShardDone) -> tuple[list[ApplyOutcome], set[str]]:
    """One outcome per host of an apply shard, whatever the worker replied, and the hosts
    whose outcome is the coordinator's own (not in a valid reply). No worker on the queue:
    unreachable (nothing sent). A shard the worker failed on, a reply that does not validate
    or lacks a host: failed (the device's state is unknown)."""
    got, reason = outcomes_by_host(done, outcomes_from_payload, lambda o: o.host)
    status = UNREACHABLE if done.kind == "unreachable" else FAILED
    missing = reason or _("the worker returned no result for this device")
    here = {h for h in done.shard.hosts if h not in got}
    return [got.get(h) or ApplyOutcome(h, status, missing) for h in done.shard.hosts], here


def apply_on_workers(
    plan: Plan,
    hosts: Hosts,
    settings: CelerySettings,
    *,
    canary: int,
    max_failures: int,
    workers: int | None,
    key: bytes,
    progress: Callable[[list[ApplyOutcome]], None] = lambda got: None,
) -> list[ApplyOutcome]:
    """`run_apply` on the workers: every changed device of the plan in `hosts` (the
    selection, already checked against the inventory) gets one outcome. Raises
    BrokerUnreachable (exit 3) before anything is sent when the broker does not answer."""
    import redis

    check_broker(settings)
    todo = sorted(d.host for d in plan.changed() if d.host in hosts)
    canaries = choose_canaries([d for d in plan.changed() if d.host in hosts], canary)
    run = uuid.uuid4().hex
    client = redis.Redis.from_url(settings.backend_url)
    try:
        client.set(budget_key(run), 0, ex=BUDGET_TTL)
    except (redis.exceptions.RedisError, OSError) as exc:
        raise BrokerUnreachable(
            _("broker {url} does not answer ({reason}): nothing sent, nothing written").format(
                url=redacted(settings.backend_url), reason=one_line(str(exc))
            )
        ) from None
    outcomes: dict[str, ApplyOutcome] = {}

    def on_done(done: ShardDone) -> None:
        got, here = shard_apply_outcomes(done)
        fresh = [o for o in got if o.host not in outcomes]
        for o in fresh:
            outcomes[o.host] = o
            if o.host in here and o.status in FAILURES:  # the coordinator's own verdict
                count(client, budget_key(run))
        progress(fresh)

    def message(shard: Shard) -> dict[str, Any]:
        return shard_message(
            plan, list(shard.hosts), run=run, max_failures=max_failures, workers=workers, key=key
        )

    try:
        for i, stage in enumerate([canaries, sorted(set(todo) - set(canaries))]):
            if not stage:
                continue
            if i > 0 and canaries and canary_failed(list(outcomes.values())):
                skipped = [
                    ApplyOutcome(h, SKIPPED, _("not attempted: a canary device failed"))
                    for h in stage
                ]
                outcomes.update((o.host, o) for o in skipped)
                progress(skipped)
                break
            shards = make_shards({h: hosts[h][1] for h in stage}, settings)
            log.info("apply stage %d: %d hosts in %d shards", i, len(stage), len(shards))
            _Signed(message, settings=settings, task_name=APPLY_SHARD, on_done=on_done).run(shards)
    finally:
        try:
            client.delete(budget_key(run))  # (else it expires after BUDGET_TTL)
            client.close()
        except (redis.exceptions.RedisError, OSError):
            log.warning("failure budget %s not deleted", budget_key(run))
    return [outcomes[h] for h in todo]


def on_celery(config: Path, engine: str | None) -> CelerySettings | None:
    """The Celery settings when the job runs on workers (`--engine`, else the site
    setting), with the broker checked (exit 3, one line, nothing written); None: local."""
    settings = load_engine_settings(config, engine)
    if settings.engine != "celery":
        return None
    check_broker(settings.celery)
    return settings.celery


def apply_celery(
    hosts: Hosts,
    plan: Plan,
    policy: PortPolicy,
    celery: CelerySettings,
    key: bytes,
    canary: int,
    max_failures: int,
    workers: int | None,
) -> tuple[list[ApplyOutcome], Callable[[list[str]], dict[str, BackupOutcome]]]:
    """`run_apply` on the workers of the selection `hosts` (the same last checks of the
    plan first, here), and the backup after apply on the workers too: the coordinator
    reaches no device."""
    check_sealed(plan, policy)
    outcomes = apply_on_workers(
        plan, hosts, celery, canary=canary, max_failures=max_failures, workers=workers, key=key
    )
    return outcomes, backup_applied_on_workers(hosts, celery, workers)


def backup_applied_on_workers(
    hosts: Hosts, settings: CelerySettings, workers: int | None
) -> Callable[[list[str]], dict[str, BackupOutcome]]:
    """The backup after apply for `record_and_backup`: the applied devices read by the
    workers with the backup shard task (unjudged outcomes; the coordinator judges)."""

    def collect(applied: list[str]) -> dict[str, BackupOutcome]:
        part = {h: hosts[h] for h in applied if h in hosts}
        return backup_on_workers(part, settings, SessionOptions(), workers)

    return collect


def apply_payload(
    shard: Callable[[list[str], int | None], Any],
    inventory: dict[str, str | None],
    hosts: list[str],
    message: Any,
    *,
    key: bytes | None,
    policy_of: Callable[[str], tuple[Any, str]],
    backend_url: str,
) -> list[dict[str, Any]]:
    """Worker side of an apply shard: verify the message, check each device plan with this
    worker's own policy and inventory, apply the rest under the fleet-wide budget.

    `shard(hosts, threads)`: this worker's Nornir over those hosts; `inventory`: host ->
    platform of this worker's inventory; `policy_of(job)`: (port policy, the digest a plan
    of that job must carry)."""
    try:
        order = verify_message(hosts, message, key)
    except MessageRefused as exc:
        log.warning("apply shard refused: %s", exc)
        return outcomes_payload([ApplyOutcome(h, REFUSED, str(exc)) for h in hosts])
    refused, todo = _checked(order, inventory, policy_of)
    log.info(
        "apply shard started: %d hosts, %d refused (plan %s)",
        len(hosts), len(refused), order.plan_digest[:19],
    )  # fmt: skip
    import redis

    client = redis.Redis.from_url(backend_url)
    gate = FleetGate(max_failures=order.max_failures, client=client, key=order.budget)
    try:
        if todo:
            shard(sorted(todo), order.workers).run(
                task=apply_from_plan,
                name="apply port plan",
                plans=todo,
                gate=gate,
                raise_on_error=False,
                on_failed=True,  # this worker's Nornir lives on: earlier failures do not count
            )
    finally:
        client.close()
    done = {o.host for o in gate.outcomes}
    why = _("the worker returned no result for this device")
    lost = [ApplyOutcome(h, FAILED, why) for h in todo if h not in done]
    log.info("apply shard done: %d hosts", len(hosts))
    return outcomes_payload([*refused, *gate.outcomes, *lost])


def _checked(
    order: ShardOrder,
    inventory: dict[str, str | None],
    policy_of: Callable[[str], tuple[Any, str]],
) -> tuple[list[ApplyOutcome], dict[str, Any]]:
    """(refused outcomes, host -> device plan to apply)."""
    try:
        policy, digest = policy_of(order.job)
    except Exception as exc:  # this worker's policy does not load: it applies nothing
        why = _("this worker's policy does not load: {error}").format(error=one_line(exc))
        return [ApplyOutcome(d.host, REFUSED, why) for d in order.devices], {}
    refused, todo = [], {}
    for dev in order.devices:
        problem = device_problem(order, dev, policy, digest, inventory)
        if problem:
            refused.append(
                ApplyOutcome(
                    dev.host, REFUSED, _("refused by the worker: {why}").format(why=problem)
                )
            )
        else:
            todo[dev.host] = dev
    return refused, todo


def policy_loader(policy_file: Path, rules: Path) -> Callable[[str], tuple[Any, str]]:
    """`policy_of` for `apply_payload`: this worker's port policy, and the digest a plan
    must carry (the policy's; the baseline rule set's for a baseline plan), loaded once."""
    from netsteward.tasks.ports.policy import load_policy

    cache: dict[str, tuple[Any, str]] = {}

    def policy_of(job: str) -> tuple[Any, str]:
        if job not in cache:
            policy = load_policy(policy_file)
            if job == "baseline":
                from netsteward.tasks.baseline.rules import load_rules

                cache[job] = (policy, load_rules(rules).digest)
            else:
                cache[job] = (policy, policy.digest)
        return cache[job]

    return policy_of
