"""A fleet job's device work over several local processes, one per core.

Each session's client work (SSH crypto, parsing, normalising) runs under the Python
interpreter's lock: in threads, one process uses at most one core, however many sessions
it holds. `bench/backup_bench.py` measured the backup of the 739 lab devices at the same
5.2-5.4 s whether 8 or 50 sessions ran, with 4.4-5.0 s of client CPU: one core, full.
Split over the machine's cores, each process holds its share of the sessions.

`in_processes(nr, work, processes, advance)` forks `processes` children after the
inventory is loaded and before any session is open. Each runs `work(its_nornir,
processors)` on its share of the hosts (the same per-shard function a Celery worker runs:
`collect_hosts` for the backup) and sends back its result (pickled through a pipe:
plain data such as the backup's outcomes); each finished host
is sent as it ends, so the parent's progress bar moves as with threads. A child that dies
costs only its own hosts: they come back in `lost` with the reason, and the caller fails
them (a failing process never stops the run for the others). `read_in_processes` does the
same for the reading jobs, whose per-shard functions return ({host: result}, {host:
reason}): `discover_hosts` (topology snapshot), `read_hosts` (drift), `read_states`
(normalize plan); `gather_in_processes` for those that return one record per host, failed
ones included: `collect_hosts` (backup), `inspect_hosts` (inspection).

Written here because Nornir's runners are threads only and multiprocessing's pools pickle
the work (a Nornir object holds locks and open files): a fork shares the loaded inventory
as it is, and the children send only their results.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Task

from netsteward.tasks.core.i18n import _

log = logging.getLogger(__name__)

HOSTS_PER_PROCESS = 250  # below this many hosts a share is not worth a process


def default_processes(hosts: int) -> int:
    """One process per core, one more for every HOSTS_PER_PROCESS hosts, at least one."""
    return max(1, min(os.cpu_count() or 1, hosts // HOSTS_PER_PROCESS))


def process_count(processes: int | None, workers: int | None, hosts: int) -> int:
    """The processes a job's devices are read in: `--processes`, else 1 with a fixed
    `--workers` (the sessions the user asked for, in one process), else the default."""
    return processes or (default_processes(hosts) if workers is None else 1)


class HostProcessor:
    """A Nornir processor that calls `advance(1, failed)` once per finished host (the
    progress bar, a child reporting to its parent); Nornir's other hooks do nothing."""

    def advance(self, done: int, failed: int) -> None:
        raise NotImplementedError

    def task_started(self, task: Task) -> None: ...
    def task_completed(self, task: Task, result: Any) -> None: ...
    def task_instance_started(self, task: Task, host: Host) -> None: ...
    def subtask_instance_started(self, task: Task, host: Host) -> None: ...
    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None: ...

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        self.advance(1, int(bool(result.failed)))


class _Report(HostProcessor):
    """In a child: each finished host to the parent."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def advance(self, done: int, failed: int) -> None:
        self.conn.send(("host", done, failed))


def _child(nr: Nornir, names: list[str], work: Callable[..., Any], conn: Connection) -> None:
    try:
        wanted = set(names)
        share = nr.filter(filter_func=lambda h: h.name in wanted)
        conn.send(("done", work(share, [_Report(conn)])))
    except BaseException:  # everything goes to the parent, which fails this share's hosts
        conn.send(("error", traceback.format_exc(limit=3).strip().splitlines()[-1]))
    finally:
        conn.close()


def in_processes(
    nr: Nornir,
    work: Callable[[Nornir, Iterable[Any]], dict[str, Any]],
    processes: int,
    advance: Callable[[int, int], None] = lambda done, failed: None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """(`work`'s results merged, {host: reason} of hosts whose process gave no result).

    `work(nornir, processors)` returns {host: picklable result}; `advance(1, failed)` after
    each host."""
    names = sorted(nr.inventory.hosts)
    shares = [names[i::processes] for i in range(processes)]
    ctx = multiprocessing.get_context("fork")
    open_: dict[Connection, tuple[Any, list[str]]] = {}
    for share in shares:
        if not share:
            continue
        reader, writer = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(nr, share, work, writer), daemon=True)
        child.start()
        writer.close()
        open_[reader] = (child, share)
    results: dict[str, Any] = {}
    lost: dict[str, str] = {}
    reported = dict.fromkeys(open_, 0)  # hosts each child has reported done
    while open_:
        for ready in wait(list(open_)):
            reader = cast(Connection, ready)
            child, share = open_[reader]
            try:
                kind, *rest = reader.recv()
            except EOFError:  # the child is done (or died)
                child.join()
                reason = _("the collecting process ended (exit code {code})").format(
                    code=child.exitcode
                )
                for host in share:
                    if host not in results:
                        lost.setdefault(host, reason)
                unreported = len(share) - reported[reader]
                if unreported > 0:  # the bar still reaches the end
                    advance(unreported, unreported)
                del open_[reader]
                continue
            if kind == "host":
                reported[reader] += rest[0]
                advance(rest[0], rest[1])
            elif kind == "done":
                results.update(rest[0])
            else:
                failed = _("the collecting process failed: {error}").format(error=rest[0])
                lost.update(dict.fromkeys(share, failed))
    for host in lost:
        log.warning("%s: %s", host, lost[host])
    return results, lost


def read_in_processes(
    nr: Nornir,
    read: Callable[[Nornir, Sequence[Any]], tuple[dict[str, Any], dict[str, str]]],
    processes: int,
    bar: HostProcessor,
) -> tuple[dict[str, Any], dict[str, str]]:
    """A fleet job's read, `read(nornir, processors) -> ({host: result}, {host: reason})`, in
    this process (`processes` 1, `bar` as its processor) or over `processes` children (the
    hosts of a child that died are failed with the reason); the results in inventory order,
    whichever process read them."""
    if processes <= 1:
        return read(nr, [bar])

    def work(share: Nornir, processors: Iterable[Any]) -> dict[str, Any]:
        ok, failed = read(share, list(processors))
        return {h: (True, v) for h, v in ok.items()} | {h: (False, r) for h, r in failed.items()}

    got, lost = in_processes(nr, work, processes, bar.advance)
    order = [h for h in nr.inventory.hosts if h in got]
    ok = {h: got[h][1] for h in order if got[h][0]}
    failed = {h: got[h][1] for h in order if not got[h][0]}
    return ok, failed | lost


def gather_in_processes(
    nr: Nornir,
    gather: Callable[[Nornir, Sequence[Any]], dict[str, Any]],
    processes: int,
    bar: HostProcessor,
    lost_one: Callable[[str, str], Any],
) -> dict[str, Any]:
    """`read_in_processes` for a per-shard function that returns one record per host, a
    failed host's included (the backup's `collect_hosts`, the inspection's `inspect_hosts`):
    `lost_one(host, reason)` is the record of a host whose process died."""
    got, lost = read_in_processes(
        nr, lambda share, procs: (gather(share, procs), {}), processes, bar
    )
    return got | {host: lost_one(host, reason) for host, reason in lost.items()}
