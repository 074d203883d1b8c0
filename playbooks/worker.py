"""`netsteward worker --queue NAME`: a Celery worker that runs fleet jobs' shards.

It runs on a host inside the network whose devices it reaches, with the inventory and
the device credentials of that host (its own environment; nothing secret ever travels
through the broker). Each shard runs through the same function as the local engine
(backup: `collect_hosts`, drift: `read_hosts`, topology snapshot: `discover_hosts`,
inspection: `inspect_hosts`), on this worker's Nornir, and its typed results go back as JSON.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import typer

from netsteward.playbooks.common import ConfigOpt, err_console, open_nornir
from netsteward.tasks.backup.collect import (
    BackupOutcome,
    collect_hosts,
    outcome_payload,
)
from netsteward.tasks.baseline.rules import DEFAULT_RULES
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.failures import INPUT
from netsteward.tasks.core.i18n import _
from netsteward.tasks.distributed.app import (
    APPLY_SHARD,
    BACKUP_SHARD,
    DRIFT_SHARD,
    INSPECT_SHARD,
    PORT_READ_SHARD,
    TOPOLOGY_SHARD,
    make_app,
)
from netsteward.tasks.distributed.jobs import options_from_message
from netsteward.tasks.distributed.read_jobs import inspect_options_from_message, reply_payload
from netsteward.tasks.distributed.settings import (
    load_engine_settings,
    loopback_only,
    queue_name,
    redacted,
)
from netsteward.tasks.drift.collect import live_payload, read_hosts
from netsteward.tasks.inspect.collect import inspect_hosts, reading_payload
from netsteward.tasks.ports.policy import DEFAULT_POLICY
from netsteward.tasks.topology.discovery import discover_hosts, discovery_payload

log = logging.getLogger(__name__)

QueueOpt = typer.Option(
    ...,
    "--queue",
    "-Q",
    help="A queue to consume (repeat for more): the network this host reaches, e.g. egov_intranet.",
)
ConcurrencyOpt = typer.Option(
    2, "--concurrency", min=1, max=64, help="Shards this worker runs at the same time."
)
LogLevelOpt = typer.Option("INFO", "--loglevel", help="Celery's log level (DEBUG INFO WARNING).")
WorkerPolicyOpt = typer.Option(
    DEFAULT_POLICY,
    "--policy",
    help="The port policy `normalize apply` shards are checked against (as the coordinator's).",
)
WorkerRulesOpt = typer.Option(
    DEFAULT_RULES, "--rules", help="The baseline rule set baseline plans are checked against."
)

# The worker's Nornir, opened once before the pool forks (inventory checked, credentials set).
_NORNIR: dict[str, Any] = {}


def _shard(hosts: list[str], threads: int | None) -> Any:
    """This worker's Nornir over the shard's hosts (those its inventory has)."""
    wanted = set(hosts)
    # this Nornir lives as long as the worker: a device that failed in an earlier shard is
    # run again (Nornir skips the hosts it remembers as failed)
    _NORNIR["nr"].data.reset_failed_hosts()
    mine = _NORNIR["nr"].filter(filter_func=lambda h: h.name in wanted)
    if threads:  # the coordinator's --workers N: N sessions, fixed (else the config's runner)
        from nornir.plugins.runners import ThreadedRunner

        mine = mine.with_runner(ThreadedRunner(num_workers=threads))
    return mine


def backup_shard(hosts: list[str], options: dict[str, Any]) -> list[dict[str, Any]]:
    """The Celery task of a backup shard: this worker's Nornir over `hosts` -> outcomes (JSON)."""
    session_options, threads = options_from_message(options)
    mine = _shard(hosts, threads)
    wanted = set(hosts)
    log.info("backup shard started: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    outcomes = collect_hosts(mine, session_options) if mine.inventory.hosts else {}
    for host in wanted - set(outcomes):
        outcomes[host] = BackupOutcome(
            host,
            "",
            ok=False,
            failure=INPUT,
            reason=_("not in the inventory of the worker that took its shard"),
        )
    log.info("backup shard done: %d hosts (first %s)", len(outcomes), hosts[0] if hosts else "-")
    return [outcome_payload(outcomes[h]) for h in sorted(outcomes)]


def drift_shard(hosts: list[str], options: dict[str, Any]) -> dict[str, Any]:
    """The Celery task of a drift shard: the live reads (JSON) and the hosts without one."""
    session_options, threads = options_from_message(options)
    mine = _shard(hosts, threads)
    log.info("drift shard started: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    reads, failed = read_hosts(mine, session_options) if mine.inventory.hosts else ({}, {})
    for host in set(hosts) - set(reads) - set(failed):
        failed[host] = _("not in the inventory of the worker that took its shard")
    log.info("drift shard done: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    return {"reads": [live_payload(reads[h]) for h in sorted(reads)], "failed": failed}


# -- normalize on workers (tasks/distributed/normalize_jobs.py) ---------------------------


def port_read_shard(hosts: list[str], options: dict[str, Any]) -> dict[str, Any]:
    """The Celery task of a `normalize plan` shard: the devices' port states (JSON)."""
    from netsteward.tasks.distributed.normalize_jobs import port_read_payload

    _options, threads = options_from_message(options)
    log.info("port read shard started: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    payload = port_read_payload(_shard(hosts, threads), hosts)
    log.info("port read shard done: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    return payload


def apply_shard(hosts: list[str], message: dict[str, Any]) -> list[dict[str, Any]]:
    """The Celery task of a `normalize apply` shard: verify the signed message, check each
    device plan against this worker's policy and inventory, apply under the fleet budget."""
    from netsteward.tasks.distributed.apply_message import apply_key
    from netsteward.tasks.distributed.normalize_jobs import apply_payload, policy_loader

    if "policy_of" not in _NORNIR:
        _NORNIR["policy_of"] = policy_loader(_NORNIR["policy"], _NORNIR["rules"])
    nr = _NORNIR["nr"]
    return apply_payload(
        _shard,
        {name: h.platform for name, h in nr.inventory.hosts.items()},
        hosts,
        message,
        key=apply_key(required=False),
        policy_of=_NORNIR["policy_of"],
        backend_url=_NORNIR["backend_url"],
    )


# -- read-only jobs: topology snapshot, inspection (tasks/distributed/read_jobs.py) ---------


def _not_mine(hosts: list[str], *done: dict[str, Any]) -> dict[str, str]:
    """The shard's hosts this worker's inventory does not have (host -> reason)."""
    seen = set().union(*done)
    return {
        h: _("not in the inventory of the worker that took its shard")
        for h in hosts
        if h not in seen
    }


def topology_shard(hosts: list[str], options: dict[str, Any]) -> dict[str, Any]:
    """The Celery task of a topology shard: each host's discovery (JSON), the hosts not read."""
    mine = _shard(hosts, None)
    log.info("topology shard started: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    use_napalm = bool(options.get("napalm", True))
    found, failed = discover_hosts(mine, use_napalm) if mine.inventory.hosts else ({}, {})
    failed |= _not_mine(hosts, found, failed)
    log.info("topology shard done: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    return reply_payload([discovery_payload(found[h]) for h in sorted(found)], failed)


def inspect_shard(
    hosts: list[str], options: dict[str, Any], purposes: dict[str, list[str]], read_at: str = ""
) -> dict[str, Any]:
    """The Celery task of an inspection shard: each host's health displays as read (JSON, the
    readers' warnings included), the hosts not in this worker's inventory. The coordinator's
    policy chose `purposes` (host -> displays); it judges the readings."""
    inspect_options, threads = inspect_options_from_message(options)
    mine = _shard(hosts, threads)
    log.info("inspect shard started: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    wanted = {h: set(p) for h, p in purposes.items()}
    readings = (
        inspect_hosts(mine, wanted, inspect_options, (), read_at) if mine.inventory.hosts else {}
    )
    log.info("inspect shard done: %d hosts (first %s)", len(hosts), hosts[0] if hosts else "-")
    return reply_payload(
        [reading_payload(readings[h]) for h in sorted(readings)], _not_mine(hosts, readings)
    )


# Every shard task a worker runs: task name (tasks/distributed/app.py) -> function. A job that
# runs on workers adds its line here.
SHARD_TASKS: dict[str, Any] = {
    BACKUP_SHARD: backup_shard,
    DRIFT_SHARD: drift_shard,
    PORT_READ_SHARD: port_read_shard,
    APPLY_SHARD: apply_shard,
    TOPOLOGY_SHARD: topology_shard,
    INSPECT_SHARD: inspect_shard,
}


def _quiet_loggers(**_kwargs: Any) -> None:
    """Celery logs each task's return value (here: the shard's configurations) and Nornir each
    task's arguments: neither belongs in a log. Failures are still logged (ERROR)."""
    for name in ("celery.app.trace", "nornir.core"):
        logging.getLogger(name).setLevel(logging.WARNING)


def start_worker(
    config: Path,
    queues: list[str],
    concurrency: int,
    loglevel: str,
    policy: Path = DEFAULT_POLICY,
    rules: Path = DEFAULT_RULES,
) -> None:  # pragma: no cover - runs the worker until it is stopped (tested end to end)
    for queue in queues:
        try:
            queue_name(queue)
        except ValueError as exc:
            raise BadInput(str(exc), field="--queue") from None
    settings = load_engine_settings(config).celery
    loopback_only(settings.broker_url, "user_defined.celery.broker_url")
    _NORNIR["nr"] = open_nornir(config)  # bad inventory or no credentials: exit 2 here
    # what `normalize apply` shards are checked against (loaded at the first apply shard)
    _NORNIR.update(policy=policy, rules=rules, backend_url=settings.backend_url)
    app = make_app(settings)
    from celery.signals import after_setup_logger

    after_setup_logger.connect(_quiet_loggers, weak=False)
    for name, func in SHARD_TASKS.items():
        app.task(name=name, acks_late=True, reject_on_worker_lost=True)(func)
    err_console.print(
        _("netsteward worker: queues {queues}, broker {broker}").format(
            queues=", ".join(queues), broker=redacted(settings.broker_url)
        ),
        markup=False,
    )
    app.worker_main(
        [
            "worker",
            "--queues",
            ",".join(queues),
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--loglevel",
            loglevel,
            "--hostname",
            f"netsteward-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )


def register(main_app: typer.Typer) -> None:
    @main_app.command("worker")
    def worker(
        queue: list[str] = QueueOpt,
        config: Path = ConfigOpt,
        concurrency: int = ConcurrencyOpt,
        loglevel: str = LogLevelOpt,
        policy: Path = WorkerPolicyOpt,
        rules: Path = WorkerRulesOpt,
    ) -> None:
        """Run a Celery worker for fleet jobs sent with `--engine celery` (docs/celery.md).

        Consumes the queues named with --queue; the broker is $NETSTEWARD_BROKER_URL or
        user_defined.celery.broker_url in the Nornir configuration. Device credentials
        come from this worker's environment, and so does $NETSTEWARD_APPLY_KEY, the key
        `normalize apply` signs its shards with (a worker without it applies nothing); each
        device plan received is checked against --policy before anything is pushed.
        Runs until stopped (SIGTERM: warm shutdown).
        """
        start_worker(config, queue, concurrency, loglevel, policy, rules)
