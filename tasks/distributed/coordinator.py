"""The coordinator's side of the Celery engine: check the broker, send shards to their
queues, collect each shard's typed results, and bound the wait for a queue nobody serves.

The coordinator never talks to a device and never needs device credentials. It waits for
events, not for time: each round it asks the result backend which shards are done and,
every few seconds, the workers which queues they consume (a control broadcast).

- A queue without a worker when the run starts: its shards are not sent; if no worker
  appears within `queue_wait`, its hosts are reported with kind `unreachable` and the reason
  `no worker consumes queue X`; the other queues' shards run meanwhile.
- A queue whose workers all disappear while its shards are out: the same, after the same wait
  (the messages stay in Redis, unacknowledged; a worker that comes back runs them again).
- A worker killed mid-shard, another still on the queue: the shard is delivered again
  (late acknowledgement); the coordinator simply keeps waiting for its result.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from netsteward.tasks.core.errors import BrokerUnreachable
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.results import one_line
from netsteward.tasks.distributed.app import make_app
from netsteward.tasks.distributed.settings import CelerySettings, Shard, loopback_only, redacted

log = logging.getLogger(__name__)

POLL = 0.2  # seconds between two looks at the result backend (at least)
POLL_PER_SHARD = 0.002  # ... and 1 s per 500 shards out: at most ~500 result reads a second
INSPECT_EVERY = 2.0  # seconds between two asks of the workers' queues
INSPECT_TIMEOUT = 1.0  # how long an ask waits for the workers' replies


@dataclass(frozen=True)
class ShardDone:
    """One shard's end: the worker's payloads (JSON), or why there are none."""

    shard: Shard
    payloads: Any  # the worker's JSON reply; None when there is none
    kind: str | None = None  # a failure kind (netsteward.tasks.core.failures) when no payloads
    reason: str | None = None


def check_broker(settings: CelerySettings) -> None:
    """Raise BrokerUnreachable (exit 3, one line) unless the broker and result backend answer."""
    import redis

    for url in dict.fromkeys((settings.broker_url, settings.backend_url)):
        loopback_only(url, "user_defined.celery.broker_url")
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
            client.ping()
            client.close()
        except (redis.exceptions.RedisError, OSError) as exc:
            raise BrokerUnreachable(
                _("broker {url} does not answer ({reason}): nothing sent, nothing written").format(
                    url=redacted(url), reason=one_line(str(exc))
                )
            ) from None


def consumed_queues(app: Any) -> set[str]:
    """Queues some live worker consumes now (empty when none answers; a broker error
    propagates: `Dispatch.run` reports it)."""
    replies = app.control.inspect(timeout=INSPECT_TIMEOUT).active_queues() or {}
    return {q["name"] for queues in replies.values() for q in (queues or [])}


class Dispatch:
    """Send shards of one job to their queues and report each shard's end once."""

    def __init__(
        self,
        settings: CelerySettings,
        task_name: str,
        kwargs: dict[str, Any],
        on_done: Callable[[ShardDone], None],
        app: Any = None,
        shard_kwargs: Callable[[Shard], dict[str, Any]] | None = None,
    ) -> None:
        self.settings = settings
        self.task_name = task_name
        self.kwargs = kwargs
        self.on_done = on_done
        self.shard_kwargs = shard_kwargs  # what only this shard's message carries (its hosts')
        self.app = app or make_app(settings)
        self.sent: dict[str, tuple[Shard, Any]] = {}  # task id -> (shard, AsyncResult)
        self.held: list[Shard] = []  # not sent: no worker on their queue yet
        self.missing_since: dict[str, float] = {}  # queue -> when it was first seen without worker

    def run(self, shards: list[Shard]) -> None:
        """Until every shard has ended; BrokerUnreachable (exit 3) when the broker goes away
        mid-run (nothing has been written then: the coordinator commits after the run)."""
        import redis
        from kombu.exceptions import OperationalError

        try:
            self._run(shards)
        except (redis.exceptions.RedisError, OperationalError, OSError) as exc:
            raise BrokerUnreachable(
                _("broker {url} stopped answering mid-run ({reason}): nothing written").format(
                    url=redacted(self.settings.broker_url), reason=one_line(str(exc))
                )
            ) from None

    def _run(self, shards: list[Shard]) -> None:
        queues = consumed_queues(self.app)
        now = time.monotonic()
        for shard in shards:
            if shard.queue in queues:
                self._send(shard)
            else:
                self.held.append(shard)
                self.missing_since.setdefault(shard.queue, now)
        asked = now
        while self.sent or self.held:
            self._collect()
            if time.monotonic() - asked >= INSPECT_EVERY or (self.held and not self.sent):
                queues = consumed_queues(self.app)
                asked = time.monotonic()
                self._watch(queues, asked)
            if self.sent:
                time.sleep(max(POLL, POLL_PER_SHARD * len(self.sent)))

    def _send(self, shard: Shard) -> None:
        kwargs = self.kwargs | (self.shard_kwargs(shard) if self.shard_kwargs else {})
        result = self.app.send_task(
            self.task_name, args=[list(shard.hosts)], kwargs=kwargs, queue=shard.queue
        )
        self.sent[result.id] = (shard, result)
        log.info(
            "shard of %d hosts sent to queue %s (%s)", len(shard.hosts), shard.queue, result.id
        )

    def _collect(self) -> None:
        for task_id, (shard, result) in list(self.sent.items()):
            if not result.ready():
                continue
            del self.sent[task_id]
            if result.successful():
                self.on_done(ShardDone(shard, result.result))
            else:
                reason = _("worker failed on the shard: {reason}").format(
                    reason=one_line(str(result.result))
                )
                self.on_done(ShardDone(shard, None, "error", reason))
            result.forget()

    def _watch(self, queues: set[str], now: float) -> None:
        """Send held shards whose queue has a worker now; give up on queues that stayed
        without one for `queue_wait` seconds (held and sent shards alike)."""
        busy = {shard.queue for shard, _result in self.sent.values()}
        for queue in busy | {s.queue for s in self.held}:
            if queue in queues:
                self.missing_since.pop(queue, None)
            else:
                self.missing_since.setdefault(queue, now)
        held, self.held = self.held, []
        for shard in held:
            if shard.queue in queues:
                self._send(shard)
            elif self._given_up(shard.queue, now):
                self.on_done(self._no_worker(shard))
            else:
                self.held.append(shard)
        for task_id, (shard, result) in list(self.sent.items()):
            if shard.queue not in queues and self._given_up(shard.queue, now):
                del self.sent[task_id]
                result.revoke()
                self.on_done(self._no_worker(shard))

    def _given_up(self, queue: str, now: float) -> bool:
        since = self.missing_since.get(queue)
        return since is not None and now - since >= self.settings.queue_wait

    def _no_worker(self, shard: Shard) -> ShardDone:
        return ShardDone(
            shard,
            None,
            "unreachable",
            _("no worker consumes queue {queue} (waited {seconds:.0f} s)").format(
                queue=shard.queue, seconds=self.settings.queue_wait
            ),
        )
