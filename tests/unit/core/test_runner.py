"""The adaptive runner: its limit rule on simulated fleets (a discrete-event simulation with
its own clock: no sleeps, no timing), and the plugin through Nornir on an inventory."""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from nornir import InitNornir
from nornir.core.task import Result, Task

from netsteward.tasks.core.runner import AdaptiveRunner, Limit

HOSTS = 739


def simulate(latency: Callable[[int], float], limit: Limit, hosts: int = HOSTS) -> float:
    """Run `hosts` tasks under `limit`; a task started with n in flight takes latency(n).
    Returns the simulated wall time."""
    now, left = 0.0, hosts
    running: list[tuple[float, float, int]] = []  # (finish, start, running then)
    while left or running:
        while left and len(running) < limit.current:
            n = len(running) + 1
            heapq.heappush(running, (now + latency(n), now, n))
            left -= 1
        finish, start, n = heapq.heappop(running)
        now = finish
        limit.done(start, finish, n)
    return now


def fixed(n: int) -> Limit:
    return Limit(low=n, high=n, value=n)


def adaptive() -> Limit:
    return Limit(low=2, high=200, value=8)


def best_fixed(latency: Callable[[int], float]) -> float:
    return min(simulate(latency, fixed(n)) for n in (2, 5, 10, 20, 50, 100, 200))


# A device costs `work` seconds of CPU and `wait` seconds of waiting on the network; the
# machine has `cores` for all sessions. Past the knee the time per device grows with n.
def cpu_bound(n: int) -> float:
    cores, work, wait = 2, 0.004, 0.05
    return max(wait + work, n * work / cores)


def slow_network(n: int) -> float:
    cores, work, wait = 2, 0.004, 3.0
    return max(wait + work, n * work / cores)


def thrashing(n: int) -> float:
    """Each waiting session also burns CPU polling (netmiko's read loops): past a point
    more sessions lower the throughput, and at cores / poll it collapses."""
    cores, work, wait, poll = 2, 0.004, 0.05, 0.012
    return max(wait + work, n * work / max(cores - n * poll, 0.05))


@pytest.mark.parametrize("latency", [cpu_bound, thrashing])
def test_close_to_the_best_fixed_setting(latency: Callable[[int], float]) -> None:
    assert simulate(latency, adaptive()) <= 1.15 * best_fixed(latency)


def test_slow_devices_get_all_the_sessions_allowed() -> None:
    """Three rounds of 3 s to get from 8 to 200 sessions, then 200 at a time."""
    limit = adaptive()
    wall = simulate(slow_network, limit)
    assert limit.history == [8, 32, 128, 200]
    assert wall <= 2.5 * best_fixed(slow_network)
    assert wall < 0.2 * simulate(slow_network, fixed(8))


def test_a_busy_machine_gets_few_sessions() -> None:
    limit = adaptive()
    simulate(thrashing, limit)
    assert max(limit.history) < 100  # throughput falls past ~30; collapse at 2 / 0.012 = 166
    assert simulate(thrashing, adaptive()) < simulate(thrashing, fixed(200)) / 10


def test_the_limit_stays_within_its_bounds() -> None:
    limit = Limit(low=3, high=40, value=100)
    assert limit.current == 40
    for n in range(1000):
        limit.done(float(n), float(n) + (1 if n < 500 else 50), limit.current)
        assert 3 <= limit.current <= 40
    assert limit.current == 3


def test_only_hosts_started_at_the_current_limit_count() -> None:
    limit = Limit(low=1, high=100, value=8)
    for _ in range(16):
        limit.done(0.0, 1.0, 8)
    assert limit.current == 32 and limit.since == 1.0
    assert not limit.done(0.5, 9.0, 32)  # began under the old limit
    assert not limit.done(1.5, 9.0, 20)  # began before the new limit was filled
    assert limit.samples == []
    assert not limit.done(1.5, 9.0, 24)
    assert limit.samples == [7.5]


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    hosts = {f"H{i:03d}": {"hostname": "127.0.0.1", "port": 1} for i in range(60)}
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (tmp_path / "groups.yaml").write_text("{}\n")
    (tmp_path / "defaults.yaml").write_text("{}\n")
    config = {
        "inventory": {
            "plugin": "SimpleInventory",
            "options": {
                f"{k}_file": str(
                    tmp_path / f"{k}s.yaml" if k != "defaults" else tmp_path / "defaults.yaml"
                )
                for k in ("host", "group", "defaults")
            },
        },
        "runner": {"plugin": "adaptive", "options": {"max_workers": 7, "start_workers": 3}},
        "logging": {"enabled": False},
    }
    (tmp_path / "nornir_config.yaml").write_text(yaml.safe_dump(config))
    return tmp_path / "nornir_config.yaml"


def test_nornir_runs_every_host_once_through_the_entry_point(inventory: Path) -> None:
    nr = InitNornir(config_file=str(inventory))
    assert isinstance(nr.runner, AdaptiveRunner)
    lock = threading.Lock()
    seen: list[str] = []
    running = [0, 0]  # now, most at once

    def task(task: Task) -> Result:
        with lock:
            seen.append(task.host.name)
            running[0] += 1
            running[1] = max(running)
        try:
            if task.host.name.endswith("7"):
                raise RuntimeError(f"{task.host.name} failed")
            return Result(host=task.host, result=task.host.name.lower())
        finally:
            with lock:
                running[0] -= 1

    agg = nr.run(task=task)
    assert sorted(seen) == sorted(nr.inventory.hosts) and len(seen) == 60
    assert {h: r[0].result for h, r in agg.items() if not r.failed} == {
        h: h.lower() for h in nr.inventory.hosts if not h.endswith("7")
    }
    assert set(agg.failed_hosts) == {h for h in nr.inventory.hosts if h.endswith("7")}
    assert running[1] <= 7
    assert isinstance(nr.runner, AdaptiveRunner) and nr.runner.last is not None
    assert nr.runner.last.history[0] == 3


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="min_workers"):
        AdaptiveRunner(max_workers=2, min_workers=3)
    with pytest.raises(ValueError, match="tolerance"):
        AdaptiveRunner(tolerance=1.0)
