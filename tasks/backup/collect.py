"""The backup task: collect a device's configuration, normalise it, judge it.

`backup_config` is a Nornir task; it never raises for a device problem. It returns
a `BackupOutcome` (typed payload) whose `ok` says whether the collected files may
replace the stored ones. A failed device keeps its previous files: the caller
writes only the files of `ok` outcomes.

Reading: after netmiko has logged in (and turned paging off), each command is
written once and its output read on the SSH channel until the device prompt ends
it. The bytes become text in one place, `netsteward.tasks.core.devicetext` (UTF-8 or
GBK per line, as the platform's `text_encodings` say), so a description typed in Chinese
is stored as the same UTF-8 whichever encoding the device sent it in. The read stops early, without waiting for a time-out, when the device prints
a pager prompt (paging still on) or closes the session (truncated output).
"""

from __future__ import annotations

import logging
import random
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Generic, TypeVar

from nornir.core.task import Result, Task

from netsteward.tasks.core.connection import DEFAULT_EXTRAS, close_session
from netsteward.tasks.core.devicetext import device_text, incremental_decoder
from netsteward.tasks.core.errors import NetstewardError
from netsteward.tasks.core.i18n import N_, _, ngettext
from netsteward.tasks.core.scrub import clean_text, error_lines, normalise_config
from netsteward.tasks.platforms import Collect, Platform, load_platform

log = logging.getLogger(__name__)
T = TypeVar("T")

CONNECTION = "netmiko"

# failure kinds; a retry is worth it only for the transient ones
UNREACHABLE = "unreachable"
AUTH = "auth"
TIMEOUT = "timeout"
INCOMPLETE = "incomplete"
PAGING = "paging"
ERROR = "error"
SHRUNK = "shrunk"
INPUT = "input"
TRANSIENT = frozenset({UNREACHABLE, TIMEOUT, INCOMPLETE})
KIND_LABELS = {
    UNREACHABLE: N_("unreachable"),
    AUTH: N_("log-in refused"),
    TIMEOUT: N_("time-out"),
    INCOMPLETE: N_("incomplete"),
    PAGING: N_("paging on"),
    ERROR: N_("error"),
    SHRUNK: N_("shrunk"),
    INPUT: N_("bad input"),
}


def failure_kind(kind: str) -> str:
    """A failure kind (`--json` keeps the kind itself) as people read it."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


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
    failure: str | None = None  # one of the kinds above
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


@dataclass
class _Failure(Exception):
    kind: str
    reason: str
    lines: int = 0


@dataclass(frozen=True)
class BackupOptions:
    timeout: float = 60.0  # per device, all attempts included
    retries: int = 2  # extra attempts for transient failures
    backoff: float = 0.5  # first back-off in seconds, doubled each retry (with jitter)
    extras: dict[str, Any] = field(default_factory=dict)  # netmiko overrides


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


# -- reading one command ------------------------------------------------------------


def _last_line(buffer: str) -> str:
    return buffer.rsplit("\n", 1)[-1].replace("\r", "")


# what a pager prints over its own prompt when a key is pressed (FortiOS: CR, spaces, CR)
_PAGER_ERASE = re.compile(r"(?m)^\r[ \t]+\r")


def read_command(conn: Any, platform: Platform, command: str, deadline: float) -> str:
    """Send `command` and return its raw output (echo and prompt removed).

    Raises _Failure(PAGING) at a pager prompt, _Failure(INCOMPLETE) when the device
    closes the session, _Failure(TIMEOUT) when no prompt comes before `deadline`.
    On a platform whose paging is one setting for the whole device (`page_through`,
    FortiOS), a pager prompt is answered with a space instead: another session may
    switch paging back on at any time (netmiko's fortinet driver restores
    `set output more` when it logs out), so a pager there is not our session's fault.
    """
    prompt_rx = re.compile(platform.prompt)
    pager_rx = re.compile(platform.pager)
    base_prompt = getattr(conn, "base_prompt", "") or ""
    # what netmiko already read past its last pattern belongs to the previous exchange
    conn.read_channel()
    chan = conn.remote_conn
    conn.write_channel(command + conn.RETURN)
    decoder = incremental_decoder()  # lossless; device_text() below gives the characters
    buffer = ""
    echo_end = -1
    paged = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            n = buffer.count("\n")
            raise _Failure(
                TIMEOUT,
                _(
                    "no prompt after {command!r} within the time limit ({n} lines received): hang"
                ).format(command=command, n=n),
                n,
            )
        chan.settimeout(min(remaining, 1.0))
        try:
            data = chan.recv(65536)
        except TimeoutError:
            continue
        if not data:
            n = buffer.count("\n")
            raise _Failure(
                INCOMPLETE,
                _("session closed during {command!r} after {n} lines: truncated").format(
                    command=command, n=n
                ),
                n,
            )
        buffer += decoder.decode(data)
        if echo_end < 0:
            idx = buffer.find(command)
            if idx < 0:
                continue
            nl = buffer.find("\n", idx)
            if nl < 0:
                continue
            echo_end = nl + 1
        tail = buffer[-400:]
        last = _last_line(tail)
        clean_last = clean_text(last).strip()
        pager = pager_rx.search(clean_last)
        if pager and platform.page_through:
            at = buffer.rfind(pager.group(0))
            buffer = buffer[:at] if at >= echo_end else buffer[: buffer.rfind("\n") + 1]
            paged = True
            conn.write_channel(" ")
            continue
        if pager:
            n = buffer.count("\n")
            raise _Failure(
                PAGING,
                _(
                    "output of {command!r} stopped at a pager prompt after {n} lines: paging is on"
                ).format(command=command, n=n),
                n,
            )
        if (
            clean_last
            and prompt_rx.match(clean_last)
            and base_prompt in clean_last
            and len(buffer) > echo_end
        ):
            body = buffer[echo_end : len(buffer) - len(last)]
            body = _PAGER_ERASE.sub("", body) if paged else body
            return device_text(body, platform.text_encodings)


# -- the task -----------------------------------------------------------------------


def classify_failure(exc: BaseException) -> tuple[str, str]:
    """(kind, one line for people) of an exception from a device session."""
    name = type(exc).__name__
    text = str(exc).lower()
    if isinstance(exc, _Failure):
        return exc.kind, exc.reason
    if "authentication" in name.lower() or "authentication" in text[:200]:
        return AUTH, _("authentication failed (check NETSTEWARD_*_USERNAME/PASSWORD)")
    if isinstance(exc, ConnectionRefusedError) or isinstance(exc.__cause__, ConnectionRefusedError):
        return UNREACHABLE, _("connection refused")
    if (
        isinstance(exc, (TimeoutError, socket.timeout))
        or "timeout" in name.lower()
        or "timed out" in text[:200]
    ):
        if "readtimeout" in name.lower():
            return TIMEOUT, _("no prompt from the device during log-in: hang")
        return UNREACHABLE, _("no answer from the device (connection timed out)")
    if isinstance(exc, (ConnectionResetError, EOFError, BrokenPipeError)) or "ssh" in name.lower():
        first = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else name
        return UNREACHABLE, _("SSH session failed: {error}").format(error=first)
    if isinstance(exc, OSError):
        return UNREACHABLE, f"{exc.strerror or name}"
    return (
        ERROR,
        f"{name}: "
        + (str(exc).strip().splitlines()[0][:120] if str(exc).strip() else _("unexpected error")),
    )


def _collect_once(
    task: Task, platform: Platform, deadline: float, options: BackupOptions
) -> dict[str, str]:
    host = task.host
    if CONNECTION in host.connections:
        host.close_connection(CONNECTION)
    params = host.get_connection_parameters(CONNECTION)
    budget = max(1.0, deadline - time.monotonic())
    extras = {**DEFAULT_EXTRAS, **(params.extras or {}), **options.extras}
    for key in ("conn_timeout", "auth_timeout", "banner_timeout"):
        extras[key] = min(float(extras.get(key, budget)), budget)
    # netmiko's own reads during log-in (prompt, paging off) end within the device budget too
    extras["read_timeout_override"] = min(
        float(extras.get("read_timeout_override") or budget), budget
    )
    conn = host.open_connection(
        CONNECTION, configuration=task.nornir.config, extras=extras
    ).connection
    try:
        if platform.privileged:
            conn.enable()
        outputs: dict[str, str] = {}
        for collect in platform.collect:
            cmd_deadline = min(deadline, time.monotonic() + collect.read_timeout)
            outputs[collect.command] = read_command(conn, platform, collect.command, cmd_deadline)
        return outputs
    finally:
        close_session(host, CONNECTION)


@dataclass(frozen=True)
class Attempted(Generic[T]):
    """What `retry_transient` got: the value, or the last failure's kind and reason."""

    value: T | None
    attempts: int
    kind: str | None = None  # None: the last attempt returned `value`
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.kind is None


def retry_transient(
    attempt: Callable[[], T],
    deadline: float,
    retries: int = 2,
    backoff: float = 0.5,
    label: str = "",
) -> Attempted[T]:
    """Call `attempt()` until it returns; a failure of a TRANSIENT kind (see `classify_failure`)
    is tried again, up to `retries` more times, after a back-off of `backoff` seconds doubled
    each time (with jitter), as long as the pause ends a second before `deadline`.
    Authentication failures, pagers and bad output are never retried: asking again
    would give the same answer (or lock the account)."""
    attempts = 0
    while True:
        attempts += 1
        try:
            return Attempted(attempt(), attempts)
        except Exception as exc:  # every device problem becomes a typed failure
            kind, reason = classify_failure(exc)
        log.debug("%s: attempt %d failed: %s", label, attempts, kind)
        pause = backoff * (2 ** (attempts - 1)) * random.uniform(0.8, 1.2)
        if kind not in TRANSIENT or attempts > retries or time.monotonic() + pause >= deadline - 1:
            suffix = " " + _("(after {n} attempts)").format(n=attempts) if attempts > 1 else ""
            return Attempted(None, attempts, kind, reason + suffix)
        time.sleep(pause)


def collect_device(task: Task, options: BackupOptions) -> BackupOutcome:
    host = task.host
    started = time.monotonic()
    deadline = started + options.timeout
    try:
        platform = load_platform(host.platform or "")
    except NetstewardError as exc:
        return BackupOutcome(
            host.name, host.platform or "", ok=False, failure=INPUT, reason=str(exc)
        )

    def attempt() -> tuple[BackupFile, ...]:
        outputs = _collect_once(task, platform, deadline, options)
        files = []
        for collect in platform.collect:
            text = normalise_config(platform, outputs[collect.command])
            problem = check_output(platform, collect, text)
            if problem:
                raise _Failure(*problem)
            path = relpath_for(
                host.name, host.data.get("network"), host.data.get("role"), collect.suffix
            )
            files.append(BackupFile(path, text))
        return tuple(files)

    got = retry_transient(attempt, deadline, options.retries, options.backoff, host.name)
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


def read_stored(repo_dir: Path | None, paths: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for p in paths:
        if repo_dir is None:
            out[p] = None
            continue
        try:
            out[p] = (repo_dir / p).read_text(encoding="utf-8")
        except FileNotFoundError:
            out[p] = None
    return out


def backup_config(
    task: Task,
    options: BackupOptions | None = None,
    repo_dir: Path | None = None,
    force: bool = False,
) -> Result:
    """Nornir task: collect, normalise and judge one device's configuration.

    `repo_dir` is the backup repository's work tree: the stored files there are what
    the new ones are compared with (changed / shrunk). Nothing is written here.
    """
    outcome = collect_device(task, options or BackupOptions())
    if outcome.ok:
        outcome = judge(
            outcome, read_stored(repo_dir, [f.path for f in outcome.files]), force=force
        )
    return Result(host=task.host, result=outcome, changed=outcome.changed, failed=not outcome.ok)
