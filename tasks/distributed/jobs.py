"""Fleet jobs on the Celery engine, coordinator side: what goes into a shard's message and
how a shard's reply becomes the same typed outcomes the local engine produces.

`backup` and `drift` run on workers (docs/celery.md). A shard's message is JSON: the host
names and the run's options (time-out, retries, Nornir threads), never credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import ValidationError

from netsteward.tasks.backup.collect import BackupOutcome, outcomes_from_payload
from netsteward.tasks.core.failures import ERROR
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.results import one_line
from netsteward.tasks.core.session import SessionOptions
from netsteward.tasks.distributed.app import BACKUP_SHARD, DRIFT_SHARD
from netsteward.tasks.distributed.coordinator import Dispatch, ShardDone, check_broker
from netsteward.tasks.distributed.settings import CelerySettings, Shard, make_shards
from netsteward.tasks.drift.collect import LiveRead, lives_from_payload

log = logging.getLogger(__name__)

T = TypeVar("T")


def hosts_of(nr: Any) -> dict[str, tuple[str, list[str]]]:
    """A Nornir selection as name -> (platform, inventory groups): what routing needs."""
    return {
        h.name: (h.platform or "", [g.name for g in h.groups]) for h in nr.inventory.hosts.values()
    }


def run_on_workers(
    task_name: str,
    hosts: dict[str, tuple[str, list[str]]],
    settings: CelerySettings,
    kwargs: dict[str, Any],
    on_done: Callable[[ShardDone], None],
    shard_kwargs: Callable[[Shard], dict[str, Any]] | None = None,
) -> None:
    """Check the broker (BrokerUnreachable before anything is sent), shard, send, collect.
    `shard_kwargs(shard)`: what only that shard's message carries, beside `kwargs`."""
    check_broker(settings)
    shards = make_shards({h: groups for h, (_p, groups) in hosts.items()}, settings)
    log.info("%s: %d hosts in %d shards", task_name, len(hosts), len(shards))
    Dispatch(settings, task_name, kwargs, on_done, shard_kwargs=shard_kwargs).run(shards)


def options_message(options: SessionOptions, workers: int | None) -> dict[str, Any]:
    """The run options a worker applies to its shard (JSON)."""
    return {
        "timeout": options.timeout,
        "retries": options.retries,
        "backoff": options.backoff,
        "workers": workers,
    }


def options_from_message(data: dict[str, Any]) -> tuple[SessionOptions, int | None]:
    options = SessionOptions(
        timeout=float(data.get("timeout", 60.0)),
        retries=int(data.get("retries", 2)),
        backoff=float(data.get("backoff", 0.5)),
    )
    workers = data.get("workers")
    return options, int(workers) if workers else None


def outcomes_by_host(
    done: ShardDone, parse: Callable[[Any], list[T]], host_of: Callable[[T], str]
) -> tuple[dict[str, T], str | None]:
    """The outcomes of a shard that changes or backs up devices (a list of outcomes), by
    host, and the reason for the hosts without one: the shard's own, or why the reply does
    not validate (then no outcome is taken from it)."""
    reason = done.reason
    if done.payloads is not None:
        try:
            return {host_of(o): o for o in parse(done.payloads)}, reason
        except ValidationError as exc:
            reason = _("the worker's reply does not validate: {error}").format(
                error=str(exc.errors()[0]["msg"])
            )
    return {}, reason


def shard_outcomes(done: ShardDone, platforms: dict[str, str]) -> dict[str, BackupOutcome]:
    """One outcome per host of the shard, whatever the worker replied: a host the reply
    lacks (or a reply that does not validate) is a failed device, never a lost one."""
    got, reason = outcomes_by_host(done, outcomes_from_payload, lambda o: o.host)
    kind = done.kind or ERROR
    out = {}
    for host in done.shard.hosts:
        outcome = got.get(host)
        if outcome is None:
            outcome = BackupOutcome(
                host,
                platforms.get(host, ""),
                ok=False,
                failure=kind,
                reason=reason or _("the worker returned no result for this device"),
            )
        out[host] = replace(outcome, changed=False, new=False)  # the coordinator judges
    return out


def backup_on_workers(
    hosts: dict[str, tuple[str, list[str]]],
    settings: CelerySettings,
    options: SessionOptions,
    workers: int | None,
    progress: Callable[[int, int], None] = lambda done, failed: None,
) -> dict[str, BackupOutcome]:
    """Every host's unjudged outcome, collected by the workers of each host's queue.

    `hosts`: name -> (platform, inventory groups). `progress(n, failed)` after each shard.
    Raises BrokerUnreachable before anything is sent when the broker does not answer.
    """
    platforms = {h: p for h, (p, _g) in hosts.items()}
    outcomes: dict[str, BackupOutcome] = {}

    def on_done(done: ShardDone) -> None:
        got = shard_outcomes(done, platforms)
        fresh = {h: o for h, o in got.items() if h not in outcomes}
        outcomes.update(fresh)
        progress(len(fresh), sum(1 for o in fresh.values() if not o.ok))

    run_on_workers(
        BACKUP_SHARD, hosts, settings, {"options": options_message(options, workers)}, on_done
    )
    return outcomes


def shard_reply(
    done: ShardDone,
    parse: Callable[[Any], list[T]],
    name_of: Callable[[T], str],
    key: str = "found",
) -> tuple[dict[str, T], dict[str, str]]:
    """A shard's reply `{key: [records], "failed": {host: reason}}` as (host -> record,
    host -> reason): every host of the shard in exactly one of the two, whatever the worker
    replied (or did not). A reply that does not validate fails the whole shard's hosts with
    the reason; a host the reply lacks fails with "no result"; a host the shard does not
    hold is dropped. One rule for every job that reads devices on workers."""
    got: dict[str, T] = {}
    lost: dict[str, str] = {}
    reason = done.reason
    if done.payloads is not None:
        try:
            if not isinstance(done.payloads, dict):
                raise TypeError("a JSON object was expected")  # as pydantic says it: English
            got = {name_of(r): r for r in parse(done.payloads.get(key, []))}
            lost = {str(h): str(r) for h, r in dict(done.payloads.get("failed", {})).items()}
        except (ValidationError, AttributeError, TypeError, ValueError) as exc:
            got, lost = {}, {}
            reason = _("the worker's reply does not validate: {error}").format(error=one_line(exc))
    got = {h: r for h, r in got.items() if h in done.shard.hosts}
    missing = reason or _("the worker returned no result for this device")
    lost = {h: lost.get(h) or missing for h in done.shard.hosts if h not in got}
    return got, lost


def collect_on_workers(
    task_name: str,
    hosts: dict[str, tuple[str, list[str]]],
    settings: CelerySettings,
    kwargs: dict[str, Any],
    reply: Callable[[ShardDone], tuple[dict[str, T], dict[str, str]]],
    progress: Callable[[int, int], None],
    failed_record: Callable[[T], bool] = lambda record: False,
    shard_kwargs: Callable[[Shard], dict[str, Any]] | None = None,
) -> tuple[dict[str, T], dict[str, str]]:
    """Run a read job on the workers: (host -> record, host -> reason), each host once
    (a shard delivered twice counts its first result); `reply` turns a shard's end into
    records and reasons (`shard_reply`), `progress(n, failed)` after each shard,
    `failed_record` says which records count as failed in the bar."""
    found: dict[str, T] = {}
    failed: dict[str, str] = {}

    def on_done(done: ShardDone) -> None:
        got, lost = reply(done)
        fresh = [h for h in done.shard.hosts if h not in found and h not in failed]
        for host in fresh:
            if host in got:
                found[host] = got[host]
            else:
                failed[host] = lost[host]
        bad = sum(1 for h in fresh if h in failed or failed_record(found[h]))
        progress(len(fresh), bad)

    run_on_workers(task_name, hosts, settings, kwargs, on_done, shard_kwargs)
    return found, failed


def shard_reads(done: ShardDone) -> tuple[dict[str, LiveRead], dict[str, str]]:
    """A drift shard's reply as (host -> LiveRead, host -> reason) (`shard_reply`)."""
    return shard_reply(done, lives_from_payload, lambda r: r.host, key="reads")


def drift_on_workers(
    hosts: dict[str, tuple[str, list[str]]],
    settings: CelerySettings,
    workers: int | None,
    progress: Callable[[int, int], None] = lambda done, failed: None,
) -> tuple[dict[str, LiveRead], dict[str, str]]:
    """The drift check's live reads (host -> LiveRead) and the hosts without one (host ->
    reason), collected by the workers; the same pair `read_hosts` returns locally.
    `progress(n, failed)` after each shard."""
    return collect_on_workers(
        DRIFT_SHARD,
        hosts,
        settings,
        {"options": options_message(SessionOptions(), workers)},
        shard_reads,
        progress,
    )
