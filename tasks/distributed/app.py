"""The Celery application of netsteward: JSON only, late acknowledgement, one shard at a time.

Both sides build it from the same `CelerySettings` (tasks/distributed/settings.py): the
coordinator sends shards by task name, `netsteward worker` registers the tasks
(playbooks/worker.py) and consumes its queues. Device credentials never travel: a
message carries host names and run options; the worker opens Nornir from its own
inventory with credentials from its own environment.

Fault semantics (docs/celery.md):
- `task_acks_late` + `task_reject_on_worker_lost`: a message is acknowledged only after its
  shard's results are stored; a pool process killed mid-shard puts it back at once.
- A whole worker killed (SIGKILL, power lost): the Redis transport delivers its unacknowledged
  message again after `visibility_timeout` to another worker of the queue.
- `worker_prefetch_multiplier=1`: a worker holds only the shards it is running.
"""

from __future__ import annotations

from typing import Any

from netsteward.tasks.distributed.settings import CelerySettings

BACKUP_SHARD = "netsteward.backup_shard"
DRIFT_SHARD = "netsteward.drift_shard"
# normalize plan (live reads) and apply on workers: tasks/distributed/normalize_jobs.py
PORT_READ_SHARD = "netsteward.port_read_shard"
APPLY_SHARD = "netsteward.apply_shard"
NORMALIZE_TASKS = (PORT_READ_SHARD, APPLY_SHARD)
# read-only jobs (tasks/distributed/read_jobs.py)
TOPOLOGY_SHARD = "netsteward.topology_shard"
INSPECT_SHARD = "netsteward.inspect_shard"
TASK_NAMES = (BACKUP_SHARD, DRIFT_SHARD, TOPOLOGY_SHARD, INSPECT_SHARD, *NORMALIZE_TASKS)


def make_app(settings: CelerySettings, **extra: Any) -> Any:
    """A configured `celery.Celery` (typed Any: Celery ships no type information)."""
    from celery import Celery

    app = Celery("netsteward", set_as_current=False)
    transport = {"visibility_timeout": settings.visibility_timeout}
    app.conf.update(
        broker_url=settings.broker_url,
        result_backend=settings.backend_url,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        event_serializer="json",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        result_expires=86_400,
        result_extended=False,
        task_default_queue=settings.default_queue or "netsteward",
        task_track_started=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        worker_send_task_events=False,
        task_send_sent_event=False,
        **extra,
    )
    return app
