"""The backup task: collect a device's configuration, normalise it, judge it.

`backup_config` is a Nornir task; it never raises for a device problem. It returns
a `BackupOutcome` (typed payload) whose `ok` says whether the collected files may
replace the stored ones. A failed device keeps its previous files: the caller
writes only the files of `ok` outcomes.

`collect_hosts(nr, options)` is what `netsteward backup` runs on either engine: the local
engine in its own process, a Celery worker on its shard (playbooks/worker.py). It
collects without judging (a worker has no backup repository); the coordinator judges
the outcomes against the repository (`judge_all`) and is its only writer.
`outcome_payload` / `outcome_from_payload` are the JSON form a shard's results travel in.

Reading goes through the device session (`netsteward.tasks.core.session`): each
command of the platform's `collect:` list is read to the device's prompt, then
normalised (`netsteward.tasks.core.scrub`) and checked for completeness here.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task
from pydantic import TypeAdapter

from netsteward.tasks.core.errors import NetstewardError
from netsteward.tasks.core.failures import ERROR, INCOMPLETE, INPUT, SHRUNK, DeviceFailure
from netsteward.tasks.core.i18n import _, ngettext
from netsteward.tasks.core.processes import HostProcessor, gather_in_processes
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.core.scrub import error_lines, normalise_config
from netsteward.tasks.core.session import Session, SessionOptions, on_device
from netsteward.tasks.core.store import BackupStore
from netsteward.tasks.platforms import Collect, Platform, load_platform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupFile:
    path: str  # relative to the backup repository root, POSIX separators
    text: str  # normalised content


@dataclass(frozen=True)
class BackupOutcome:
    host: str
    platform: str
    ok: bool
    files: tuple[BackupFile, ...] = ()
    failure: str | None = None  # a failure kind of netsteward.tasks.core.failures
    reason: str | None = None  # one line for people; never contains configuration text
    changed: bool = False  # some file differs from the stored one (set by `judge`)
    new: bool = False  # no stored file existed
    attempts: int = 0
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if not self.ok:
            return "failed"
        return "changed" if self.changed else "unchanged"


# -- paths -------------------------------------------------------------------------

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def relpath_for(host: str, network: str | None, role: str | None, suffix: str) -> str:
    """`<network>/<role>/<HOST>.<suffix>` (DESIGN.md); unknown parts become `unassigned`."""
    parts = [network or "unassigned", role or "unassigned", f"{host}.{suffix}"]
    for part in parts:
        if not _SAFE.match(part):
            raise NetstewardError(
                _("unsafe name for a file in the backup repository: {part!r}").format(part=part)
            )
    return str(PurePosixPath(*parts))


# -- judging against the stored copy ------------------------------------------------


def check_output(platform: Platform, collect: Collect, text: str) -> tuple[str, str] | None:
    """(kind, reason) when a normalised output is not a complete configuration, else None."""
    lines = text.splitlines()
    errors = error_lines(platform, text)
    if errors:
        return (
            ERROR,
            _("device answered {command!r} with an error: {error}").format(
                command=collect.command, error=errors[0].strip()[:120]
            ),
        )
    if len(lines) < collect.min_lines:
        return INCOMPLETE, ngettext(
            "{command!r} returned {n} line", "{command!r} returned {n} lines", len(lines)
        ).format(command=collect.command, n=len(lines))
    scope = lines
    if collect.end_marker_tail is not None:
        scope = [ln for ln in lines if ln.strip()][-collect.end_marker_tail :]
    if not re.search(collect.end_marker, "\n".join(scope), re.MULTILINE):
        return (
            INCOMPLETE,
            _("end marker missing in {command!r} output ({n} lines): truncated").format(
                command=collect.command, n=len(lines)
            ),
        )
    if collect.opens and collect.closes:
        opened = len(re.findall(collect.opens, text, re.MULTILINE))
        closed = len(re.findall(collect.closes, text, re.MULTILINE))
        if opened != closed:
            return (
                INCOMPLETE,
                _(
                    "{opened} blocks opened, {closed} closed in {command!r} output: truncated"
                ).format(opened=opened, closed=closed, command=collect.command),
            )
    return None


def judge(
    outcome: BackupOutcome, previous: dict[str, str | None], force: bool = False
) -> BackupOutcome:
    """Compare an ok outcome with the stored files (`previous[path]`, None when absent).

    Refuses (kind `shrunk`) a file that lost more than half of its lines, unless `force`.
    Sets `changed` and `new`.
    """
    if not outcome.ok:
        return outcome
    changed = False
    new = all(previous.get(f.path) is None for f in outcome.files)
    for f in outcome.files:
        old = previous.get(f.path)
        if old is None:
            changed = True
            continue
        if old != f.text:
            changed = True
            old_n, new_n = len(old.splitlines()), len(f.text.splitlines())
            if not force and new_n * 2 < old_n:
                return replace(
                    outcome,
                    ok=False,
                    failure=SHRUNK,
                    reason=_(
                        "{file} shrank from {old} to {new} lines (use --force to accept)"
                    ).format(file=PurePosixPath(f.path).name, old=old_n, new=new_n),
                )
    return replace(outcome, changed=changed, new=new)


# -- the task -----------------------------------------------------------------------


def collect_files(session: Session) -> tuple[BackupFile, ...]:
    """Read every command the platform collects, normalise and check each output.

    Raises DeviceFailure (INCOMPLETE, ERROR) for an output that is not a whole configuration.
    """
    host, platform = session.host, session.platform
    files = []
    for collect in platform.collect:
        text = normalise_config(platform, session.read(collect.command, collect.read_timeout))
        problem = check_output(platform, collect, text)
        if problem:
            raise DeviceFailure(*problem)
        path = relpath_for(
            host.name, host.data.get("network"), host.data.get("role"), collect.suffix
        )
        files.append(BackupFile(path, text))
    return tuple(files)


def collect_device(task: Task, options: SessionOptions) -> BackupOutcome:
    host = task.host
    started = time.monotonic()
    try:
        platform = load_platform(host.platform or "")
    except NetstewardError as exc:
        return BackupOutcome(
            host.name, host.platform or "", ok=False, failure=INPUT, reason=str(exc)
        )
    got = on_device(task, collect_files, options)
    return BackupOutcome(
        host.name,
        platform.name,
        ok=got.ok,
        files=got.value or (),
        failure=got.kind,
        reason=got.reason,
        attempts=got.attempts,
        seconds=round(time.monotonic() - started, 3),
    )


def backup_config(
    task: Task,
    options: SessionOptions | None = None,
    store: BackupStore | None = None,
    force: bool = False,
) -> Result:
    """Nornir task: collect, normalise and judge one device's configuration.

    The stored files in `store`'s work tree are what the new ones are compared with
    (changed / shrunk). Nothing is written here.
    """
    outcome = collect_device(task, options or SessionOptions())
    if outcome.ok:
        paths = [f.path for f in outcome.files]
        stored = store.work_files(paths) if store is not None else dict.fromkeys(paths)
        outcome = judge(outcome, stored, force=force)
    return Result(host=task.host, result=outcome, changed=outcome.changed, failed=not outcome.ok)


def collect_config(task: Task, options: SessionOptions | None = None) -> Result:
    """Nornir task: collect and normalise one device's configuration, not judged."""
    outcome = collect_device(task, options or SessionOptions())
    return Result(host=task.host, result=outcome, failed=not outcome.ok)


def collect_hosts(
    nr: Nornir, options: SessionOptions, processors: Iterable[Any] = ()
) -> dict[str, BackupOutcome]:
    """Every selected host's outcome (a task that raised becomes a failed outcome, kind
    `error`): the one function the local engine and the Celery workers run."""
    agg = nr.with_processors(list(processors)).run(
        task=collect_config, options=options, name="backup", raise_on_error=False
    )
    typed = typed_results(agg, BackupOutcome)
    outcomes = dict(typed.ok)
    for host, failure in typed.failed.items():
        outcomes[host] = _failed(nr, host, failure.reason)
    return outcomes


def _failed(nr: Nornir, host: str, reason: str) -> BackupOutcome:
    """A failed outcome (kind `error`) of a host whose task gave no outcome of its own."""
    platform = nr.inventory.hosts[host].platform or ""
    return BackupOutcome(host, platform, ok=False, failure=ERROR, reason=reason)


def collect_locally(
    nr: Nornir, options: SessionOptions, processes: int, bar: HostProcessor
) -> dict[str, BackupOutcome]:
    """`collect_hosts` in this process or over `processes` local processes
    (`netsteward.tasks.core.processes`); the hosts of a process that died fail (kind
    `error`) with the reason."""
    return gather_in_processes(
        nr,
        lambda share, processors: collect_hosts(share, options, processors),
        processes,
        bar,
        lambda host, reason: _failed(nr, host, reason),
    )


def judge_all(
    outcomes: Mapping[str, BackupOutcome], store: BackupStore, force: bool = False
) -> dict[str, BackupOutcome]:
    """Each ok outcome judged against the repository's work tree (`judge`)."""
    paths = [f.path for o in outcomes.values() if o.ok for f in o.files]
    stored = store.work_files(paths)
    return {
        host: judge(o, {f.path: stored.get(f.path) for f in o.files}, force=force)
        for host, o in outcomes.items()
    }


_OUTCOMES: TypeAdapter[list[BackupOutcome]] = TypeAdapter(list[BackupOutcome])


def outcome_payload(outcome: BackupOutcome) -> dict[str, Any]:
    """An outcome as JSON-ready data (what a Celery worker returns)."""
    return asdict(outcome)


def outcomes_from_payload(data: Any) -> list[BackupOutcome]:
    """Outcomes back from a worker's JSON (validated: a malformed reply raises)."""
    return _OUTCOMES.validate_python(data)
