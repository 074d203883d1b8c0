"""Read-only fleet jobs on the Celery engine, coordinator side: `topology snapshot` and
`inspect` (docs/celery.md).

The workers read the devices through the same functions as the local engine
(`tasks/topology/discovery.py: discover_hosts`, `tasks/inspect/collect.py: inspect_hosts`)
and reply in one JSON shape, `{"found": [typed records], "failed": {host: reason}}`; the
coordinator validates the records back with pydantic, builds the snapshot or judges the
inspection, and writes everything. Every host of a shard ends in exactly one of the two:
a host the reply lacks, or a reply that does not validate, is a device that failed with
the reason, never a lost one (`shard_reply`). A message carries host names, run options
and, for the inspection, which displays the policy wants read on each of the shard's hosts:
never credentials, never the policy itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from netsteward.tasks.distributed.app import INSPECT_SHARD, TOPOLOGY_SHARD
from netsteward.tasks.distributed.coordinator import ShardDone
from netsteward.tasks.distributed.jobs import collect_on_workers, shard_reply
from netsteward.tasks.distributed.settings import CelerySettings, Shard
from netsteward.tasks.inspect.collect import InspectOptions, readings_from_payload
from netsteward.tasks.inspect.judge import DeviceReading
from netsteward.tasks.topology.discovery import discoveries_from_payload
from netsteward.tasks.topology.model import DeviceDiscovery

log = logging.getLogger(__name__)

T = TypeVar("T")

Hosts = dict[str, tuple[str, list[str]]]  # name -> (platform, inventory groups): jobs.hosts_of
Progress = Callable[[int, int], None]  # (hosts done, of which failed), after each shard


def reply_payload(found: list[dict[str, Any]], failed: dict[str, str]) -> dict[str, Any]:
    """A read shard's reply (the worker's side): the records read and the hosts not read."""
    return {"found": found, "failed": failed}


# -- topology snapshot -------------------------------------------------------------------


def topology_reply(done: ShardDone) -> tuple[dict[str, DeviceDiscovery], dict[str, str]]:
    return shard_reply(done, discoveries_from_payload, lambda d: d.name)


def topology_on_workers(
    hosts: Hosts,
    settings: CelerySettings,
    use_napalm: bool,
    progress: Progress = lambda done, failed: None,
) -> tuple[dict[str, DeviceDiscovery], dict[str, str]]:
    """The snapshot's discoveries (host -> DeviceDiscovery) and the hosts not read (host ->
    reason), read by the workers: the same pair `discover_hosts` returns locally.
    Raises BrokerUnreachable before anything is sent when the broker does not answer."""
    return collect_on_workers(
        TOPOLOGY_SHARD,
        hosts,
        settings,
        {"options": {"napalm": use_napalm}},
        topology_reply,
        progress,
    )


# -- inspection --------------------------------------------------------------------------


def inspect_options_message(options: InspectOptions, workers: int | None) -> dict[str, Any]:
    """The inspection's run options a worker applies to its shard (JSON)."""
    return {
        "timeout": options.timeout,
        "retries": options.retries,
        "backoff": options.backoff,
        "workers": workers,
    }


def inspect_options_from_message(data: dict[str, Any]) -> tuple[InspectOptions, int | None]:
    defaults = InspectOptions()
    options = InspectOptions(
        timeout=float(data.get("timeout", defaults.timeout)),
        retries=int(data.get("retries", defaults.retries)),
        backoff=float(data.get("backoff", defaults.backoff)),
    )
    workers = data.get("workers")
    return options, int(workers) if workers else None


def inspect_reply(done: ShardDone) -> tuple[dict[str, DeviceReading], dict[str, str]]:
    return shard_reply(done, readings_from_payload, lambda r: r.host)


def inspect_on_workers(
    hosts: Hosts,
    settings: CelerySettings,
    purposes: dict[str, set[str]],
    options: InspectOptions,
    workers: int | None,
    read_at: str,
    not_read: Callable[[str, str], DeviceReading],
    progress: Progress = lambda done, failed: None,
) -> dict[str, DeviceReading]:
    """Every host's `DeviceReading`, read by the workers: the same map `inspect_hosts`
    returns locally. `purposes`: host -> the displays the policy wants read (each shard's
    message carries its own hosts'); `not_read(host, reason)`: the reading of a host no
    worker read (no worker on its queue, a bad reply), a finding on the sheet as locally.
    Raises BrokerUnreachable before anything is sent when the broker does not answer."""

    def shard_purposes(shard: Shard) -> dict[str, Any]:
        return {"purposes": {h: sorted(purposes.get(h, ())) for h in shard.hosts}}

    found, failed = collect_on_workers(
        INSPECT_SHARD,
        hosts,
        settings,
        {"options": inspect_options_message(options, workers), "read_at": read_at},
        inspect_reply,
        progress,
        failed_record=lambda r: not r.ok,
        shard_kwargs=shard_purposes,
    )
    return found | {h: not_read(h, reason) for h, reason in failed.items()}
