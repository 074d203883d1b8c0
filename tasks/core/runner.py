"""The adaptive runner: a Nornir runner plugin whose concurrency follows what it measures.

Nornir's `threaded` runner starts a fixed number of sessions. Too few leave a fleet of
slow devices idle (a session waiting on the network costs no CPU); too many, on a small
machine, only add contention: on two cores a backup of the lab's 739 devices took
32-47 s with 200 sessions, 21.5 s with 100 and 18.3 s with 50. No fixed number suits
both a 2-core VM against a loopback lab and a large server against slow WAN devices.

`AdaptiveRunner` starts a few sessions and watches how long each host's task takes
(Little's law: while the machine keeps up, more sessions raise throughput and leave the
per-host time alone; past that point they only lengthen it, and the sessions' own polling
loops then lower the throughput):

- the first round, at a limit low enough for any machine (8), gives the time per host
  without load (its median);
- slow start: the limit grows fourfold each round while the median time per host stays
  within 1.1 x that, twofold while it stays within `tolerance` (2) x that;
- once it is exceeded, the limit is scaled back by target / measured (to where the time
  per host would be back at the target), then grows by a quarter per round;
- a round is judged on hosts *started* after the previous change with at least 3/4 of
  the limit running, `max(16, min(32, limit / 2))` of them, so each decision reflects
  the current limit.

Hosts are started in an order mixed by a hash of their names, not in inventory order
(which groups devices of a kind, and so of a size), so that each round measures a
sample of the whole fleet. Results are keyed by host as with every runner.

Hand-written because no library offers it: Nornir ships `serial` and `threaded`, and
the adaptive-concurrency libraries (Netflix's concurrency-limits, its Python ports) limit
request rates of servers, not a batch of jobs in threads. It registers through the
`nornir.plugins.runners` entry point as `adaptive`:
`runner: {plugin: adaptive, options: {max_workers: 200}}` in nornir_config.yaml.
"""

from __future__ import annotations

import logging
import statistics
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from queue import SimpleQueue

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task

log = logging.getLogger(__name__)


@dataclass
class Limit:
    """The concurrency limit and the rule that moves it (pure: fed with task durations)."""

    low: int
    high: int
    value: float
    tolerance: float = 2.0
    base: float | None = None  # the first round's median: the time per host without load
    slow_start: bool = True
    since: float = float("-inf")  # when the limit last changed: only later starts count
    samples: list[float] = field(default_factory=list)
    history: list[int] = field(default_factory=list)  # every limit taken, for the log

    def __post_init__(self) -> None:
        self.value = float(min(max(self.value, self.low), self.high))
        self.history.append(self.current)

    @property
    def current(self) -> int:
        return int(self.value)

    def round_size(self) -> int:
        return max(16, min(32, self.current // 2))

    def done(self, started: float, finished: float, running: int) -> bool:
        """Count one host's task, started at `started` as one of `running`; True when the
        limit changed. Only tasks that began at (about) the current limit count."""
        if started <= self.since or running < 0.75 * self.current:
            return False
        self.samples.append(finished - started)
        if len(self.samples) < self.round_size():
            return False
        median = statistics.median(self.samples)
        self.samples.clear()
        if self.base is None:
            self.base = median
        target = self.base * self.tolerance
        if median <= target:
            if not self.slow_start:
                grown = self.value * 1.25
            elif median <= self.base * 1.1:  # no sign of load yet
                grown = self.value * 4
            else:
                grown = self.value * 2
            self.value = max(self.value + 1, grown)
        else:
            self.slow_start = False
            self.value *= target / median
        self.value = min(max(self.value, self.low), self.high)
        self.since = finished
        if self.history[-1] == self.current:
            return False
        self.history.append(self.current)
        return True


class AdaptiveRunner:
    """Nornir runner plugin: threads, at most `max_workers` at once, the number in use
    adapted to the measured time per host (module docstring).

    Arguments:
        max_workers: upper bound on concurrent tasks (sessions)
        min_workers: lower bound (default 2)
        start_workers: the first round's limit (default 8: below the point where the
            time per host grows on any machine, so the first rounds measure the no-load time)
        tolerance: how much longer than its no-load time a host may take before the
            limit backs off (default 2)
    """

    def __init__(
        self,
        max_workers: int = 200,
        min_workers: int = 2,
        start_workers: int = 8,
        tolerance: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= min_workers <= max_workers:
            raise ValueError("adaptive runner: need 1 <= min_workers <= max_workers")
        if tolerance <= 1:
            raise ValueError("adaptive runner: tolerance must be above 1")
        self.max_workers = max_workers
        self.min_workers = min_workers
        self.start_workers = start_workers
        self.tolerance = tolerance
        self.clock = clock
        self.last: Limit | None = None  # the last run's limit (tests, benchmarks)

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        limit = Limit(self.min_workers, self.max_workers, self.start_workers, self.tolerance)
        self.last = limit
        result = AggregatedResult(task.name)
        queue = sorted(hosts, key=lambda h: (zlib.crc32(h.name.encode()), h.name))
        queue.reverse()  # popped from the end
        started: dict[Future[MultiResult], tuple[float, int]] = {}  # when, how many then
        finished: SimpleQueue[tuple[Future[MultiResult], float]] = SimpleQueue()
        with ThreadPoolExecutor(self.max_workers, thread_name_prefix="adaptive") as pool:
            while queue or started:
                while queue and len(started) < limit.current:
                    host = queue.pop()
                    at = self.clock()
                    future = pool.submit(task.copy().start, host)
                    started[future] = (at, len(started) + 1)
                    future.add_done_callback(lambda f: finished.put((f, self.clock())))
                future, at = finished.get()
                begun, running = started.pop(future)
                worker_result = future.result()
                result[worker_result.host.name] = worker_result
                if limit.done(begun, at, running):
                    log.debug("adaptive runner: %d concurrent", limit.current)
        log.info(
            "adaptive runner: %d hosts, limit %s",
            len(hosts),
            " -> ".join(map(str, limit.history)),
        )
        return result
