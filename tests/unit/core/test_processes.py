"""Device work over local processes (`netsteward.tasks.core.processes`): real forks, each
child runs a Nornir task on its share; a child that dies costs only its own hosts."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Result, Task

from netsteward.tasks.core.processes import (
    HOSTS_PER_PROCESS,
    HostProcessor,
    default_processes,
    in_processes,
    process_count,
    read_in_processes,
)

HOSTS = [f"SW-{i:02d}" for i in range(1, 12)]


@pytest.fixture
def nr(tmp_path: Path) -> Nornir:
    (tmp_path / "hosts.yaml").write_text(
        yaml.safe_dump({h: {"hostname": "127.0.0.1"} for h in HOSTS})
    )
    (tmp_path / "groups.yaml").write_text("{}\n")
    (tmp_path / "defaults.yaml").write_text("{}\n")
    return InitNornir(
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(tmp_path / "hosts.yaml"),
                "group_file": str(tmp_path / "groups.yaml"),
                "defaults_file": str(tmp_path / "defaults.yaml"),
            },
        },
        runner={"plugin": "threaded", "options": {"num_workers": 3}},
        logging={"enabled": False},
    )


def where(task: Task) -> Result:
    if task.host.name == "SW-05" and os.environ.get("DIE_AT") == "SW-05":
        os._exit(9)  # the whole process dies, as a process killed by the kernel would
    return Result(host=task.host, result=os.getpid(), failed=task.host.name == "SW-02")


def work(share: Nornir, processors: Iterable[Any]) -> dict[str, Any]:
    agg = share.with_processors(list(processors)).run(task=where)
    return {host: multi[0].result for host, multi in agg.items()}


def test_every_host_runs_once_in_one_of_the_children(nr: Nornir) -> None:
    steps: list[tuple[int, int]] = []
    results, lost = in_processes(nr, work, 3, lambda done, failed: steps.append((done, failed)))
    assert lost == {}
    assert sorted(results) == HOSTS
    pids = set(results.values())
    assert len(pids) == 3 and os.getpid() not in pids  # three children, not this process
    assert len(steps) == len(HOSTS)  # the progress moved once per host, as it ended
    assert sum(failed for _done, failed in steps) == 1  # SW-02's task failed


def test_a_child_that_dies_costs_only_its_own_hosts(
    nr: Nornir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIE_AT", "SW-05")
    steps: list[tuple[int, int]] = []
    results, lost = in_processes(nr, work, 3, lambda done, failed: steps.append((done, failed)))
    dead_share = HOSTS[1::3]  # SW-05's share: the hosts are dealt out in name order
    assert "SW-05" in dead_share
    assert sorted(lost) == dead_share
    assert set(lost.values()) == {"the collecting process ended (exit code 9)"}
    assert sorted(results) == sorted(set(HOSTS) - set(dead_share))
    assert sum(done for done, _failed in steps) == len(HOSTS)  # the bar still reaches the end


def test_processes_follow_cores_and_fleet_size() -> None:
    cores = os.cpu_count() or 1
    assert default_processes(0) == 1
    assert default_processes(HOSTS_PER_PROCESS - 1) == 1
    assert default_processes(739) == min(cores, 739 // HOSTS_PER_PROCESS)
    assert default_processes(100_000) == cores

    assert process_count(None, None, 739) == default_processes(739)
    assert process_count(None, 50, 739) == 1  # fixed sessions: in one process
    assert process_count(3, 50, 739) == 3


def read(share: Nornir, processors: Iterable[Any]) -> tuple[dict[str, int], dict[str, str]]:
    """A reading job's per-shard function: ({host: result}, {host: reason})."""
    agg = share.with_processors(list(processors)).run(task=where)
    ok = {h: m[0].result for h, m in agg.items() if not m.failed}
    return ok, {h: "refused" for h, m in agg.items() if m.failed}


class Bar(HostProcessor):
    """The progress bar's part: one step per host, read here or reported by a child."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, int]] = []

    def advance(self, done: int, failed: int) -> None:
        self.steps.append((done, failed))


@pytest.mark.parametrize("processes", [1, 3])
def test_a_read_gives_the_same_hosts_in_inventory_order_in_one_or_more_processes(
    nr: Nornir, processes: int
) -> None:
    bar = Bar()
    ok, failed = read_in_processes(nr, read, processes, bar)
    assert list(ok) == [h for h in HOSTS if h != "SW-02"]  # inventory order, whoever read it
    assert failed == {"SW-02": "refused"}
    assert len({*ok.values()}) == processes and (os.getpid() in ok.values()) == (processes == 1)
    assert sum(done for done, _failed in bar.steps) == len(HOSTS)


def test_a_read_whose_process_dies_fails_its_share_with_the_reason(
    nr: Nornir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIE_AT", "SW-05")
    ok, failed = read_in_processes(nr, read, 3, Bar())
    dead_share = HOSTS[1::3]
    assert {h: failed[h] for h in dead_share} == dict.fromkeys(
        dead_share, "the collecting process ended (exit code 9)"
    )
    assert sorted([*ok, *failed]) == HOSTS
