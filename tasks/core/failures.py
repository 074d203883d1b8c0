"""Device failures in the words users see, and the one retry rule.

Every problem with a device becomes `DeviceFailure(kind, reason)`: a kind below and one
line for people (never configuration text). `retry_transient` is the one retry rule of
every job: unreachable, timeout and incomplete are tried again on a new session (with
back-off, within the device's time limit); auth, not_ssh, paging and errors are not
(asking again gives the same answer, or locks the account).
"""

from __future__ import annotations

import logging
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from netsteward.tasks.core.errors import BadInput, DeviceUnreadable
from netsteward.tasks.core.i18n import N_, _
from netsteward.tasks.core.reading import shown
from netsteward.tasks.core.watchdog import Guard

log = logging.getLogger(__name__)
T = TypeVar("T")

# failure kinds (docs/backup.md, "When a device fails")
UNREACHABLE = "unreachable"  # refused, no answer, session dropped
NOT_SSH = "not_ssh"  # the port answers, but not with SSH
AUTH = "auth"  # user name or password refused
TIMEOUT = "timeout"  # no answer (prompt, log-in) within the time limit
INCOMPLETE = "incomplete"  # output cut short: session closed, end marker missing
PAGING = "paging"  # the output stopped at a pager prompt
ERROR = "error"  # the device answered with an error
SHRUNK = "shrunk"  # (backup) less than half of the stored copy
INPUT = "input"  # our input is wrong (unknown platform)
TRANSIENT = frozenset({UNREACHABLE, TIMEOUT, INCOMPLETE})
KIND_LABELS = {
    UNREACHABLE: N_("unreachable"),
    NOT_SSH: N_("not SSH"),
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


class DeviceFailure(DeviceUnreadable):
    """A device could not be read or configured: `kind` (above) and `reason` (one line)."""

    def __init__(self, kind: str, reason: str, lines: int = 0) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.lines = lines  # output lines received before the failure

    def __str__(self) -> str:
        return self.reason


class ConfigRejected(DeviceFailure):
    """The device refused a configuration line; `index`: which of the lines sent (None: after all)."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        super().__init__(ERROR, reason)
        self.index = index


def tcp_failure(exc: OSError) -> DeviceFailure:
    """The failure of opening the TCP connection, in the words users see."""
    if isinstance(exc, ConnectionRefusedError):
        return DeviceFailure(UNREACHABLE, _("connection refused"))
    if isinstance(exc, TimeoutError):
        return DeviceFailure(UNREACHABLE, _("no answer from the device (connection timed out)"))
    return DeviceFailure(UNREACHABLE, f"{exc.strerror or type(exc).__name__}")


def login_failure(exc: BaseException, guard: Guard | None, extras: dict[str, Any]) -> DeviceFailure:
    """What went wrong while logging in, in the words users see."""
    if isinstance(exc, DeviceFailure):
        return exc
    if guard is not None and guard.expired:
        return DeviceFailure(TIMEOUT, _("no answer within the time limit during log-in: hang"))
    text = str(exc)
    if "protocol banner" in text or "Indecipherable protocol version" in text:
        first = guard.first_line() if guard is not None else None
        if first:  # the port answered something that is not SSH
            return DeviceFailure(
                NOT_SSH,
                _("the port answers, but not with SSH ({first!r})").format(first=shown(first)[:60]),
            )
        if guard is not None and guard.closed_early:
            return DeviceFailure(
                UNREACHABLE, _("the device closed the connection before the SSH greeting")
            )
        return DeviceFailure(
            TIMEOUT,
            _("no SSH greeting within {seconds:g} s").format(
                seconds=float(extras["banner_timeout"])
            ),
        )
    if "authentication timeout" in text.lower():
        return DeviceFailure(
            TIMEOUT,
            _("no answer to the log-in within {seconds:g} s (authentication timed out)").format(
                seconds=float(extras["auth_timeout"])
            ),
        )
    kind, reason = classify_failure(exc)
    return DeviceFailure(kind, reason)


def classify_failure(exc: BaseException) -> tuple[str, str]:
    """(kind, one line for people) of an exception from a device session."""
    if isinstance(exc, DeviceFailure):
        return exc.kind, exc.reason
    if isinstance(exc, BadInput):
        return INPUT, str(exc)
    name = type(exc).__name__
    text = str(exc).lower()
    if "authentication timeout" in text:
        return TIMEOUT, _("no answer to the log-in (authentication timed out)")
    if "authentication" in name.lower() or "authentication" in text[:200]:
        return AUTH, _("authentication failed (check NETSTEWARD_*_USERNAME/PASSWORD)")
    if isinstance(exc, ConnectionRefusedError) or isinstance(exc.__cause__, ConnectionRefusedError):
        return UNREACHABLE, _("connection refused")
    if name == "SessionEnded":  # netmiko read on a closed session (connection fix 3)
        return UNREACHABLE, _("the device closed the session")
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
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else _("unexpected error")
    return ERROR, f"{name}: {detail}"


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

    def unwrap(self) -> T:
        """The value, or DeviceFailure(kind, reason) (for tasks whose failure is an exception)."""
        if self.kind is not None:
            raise DeviceFailure(self.kind, self.reason or self.kind)
        return self.value  # type: ignore[return-value]


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
