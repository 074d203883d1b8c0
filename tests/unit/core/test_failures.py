"""Device failures: the kinds users see (`classify_failure`, `login_failure`) and the one
retry rule of every job (`retry_transient`)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.failures import (
    AUTH,
    INPUT,
    NOT_SSH,
    PAGING,
    TIMEOUT,
    TRANSIENT,
    UNREACHABLE,
    Attempted,
    DeviceFailure,
    classify_failure,
    login_failure,
    retry_transient,
)


def _flaky(
    failures: list[BaseException], value: str = "ok"
) -> tuple[Callable[[], str], list[float]]:
    calls: list[float] = []

    def attempt() -> str:
        calls.append(time.monotonic())
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return value

    return attempt, calls


def test_a_transient_failure_is_tried_again_and_the_value_returned() -> None:
    attempt, calls = _flaky([NetmikoTimeoutException("TCP connection to device failed")])
    got = retry_transient(attempt, time.monotonic() + 30, retries=2, backoff=0.01)
    assert got == Attempted("ok", 2)
    assert len(calls) == 2


def test_retries_end_after_the_limit_with_the_last_reason_and_the_count() -> None:
    refused = ConnectionRefusedError(111, "Connection refused")
    attempt, calls = _flaky([refused, refused, refused, refused])
    got = retry_transient(attempt, time.monotonic() + 30, retries=2, backoff=0.01)
    assert got == Attempted(None, 3, UNREACHABLE, "connection refused (after 3 attempts)")
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (NetmikoAuthenticationException("Authentication to device failed."), AUTH),
        (DeviceFailure(PAGING, "output stopped at a pager prompt"), PAGING),
    ],
)
def test_a_refused_log_in_or_a_pager_is_not_tried_again(exc: BaseException, kind: str) -> None:
    attempt, calls = _flaky([exc])
    got = retry_transient(attempt, time.monotonic() + 30, retries=2, backoff=0.01)
    assert (got.value, got.attempts, got.kind) == (None, 1, kind)
    assert len(calls) == 1


def test_no_retry_whose_pause_would_end_past_the_deadline() -> None:
    attempt, calls = _flaky([ConnectionResetError("reset"), ConnectionResetError("reset")])
    got = retry_transient(attempt, time.monotonic() + 1.5, retries=2, backoff=1.0)
    assert (got.value, got.attempts, got.kind) == (None, 1, UNREACHABLE)
    assert len(calls) == 1


def test_failure_reasons_are_classified() -> None:
    refused = NetmikoTimeoutException("TCP connection to device failed")
    refused.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert classify_failure(refused) == (UNREACHABLE, "connection refused")
    assert classify_failure(ConnectionRefusedError())[1] == "connection refused"
    assert (
        classify_failure(NetmikoAuthenticationException("Authentication to device failed."))[0]
        == AUTH
    )
    assert classify_failure(ReadTimeout("Pattern not detected"))[0] == TIMEOUT
    assert (
        classify_failure(NetmikoTimeoutException("TCP connection to device failed"))[0]
        == UNREACHABLE
    )
    assert classify_failure(BadInput("unknown platform 'x'"))[0] == INPUT


# what netmiko raises when paramiko's authentication wait runs out (under load)
AUTH_TIMEOUT = NetmikoAuthenticationException(
    "Authentication to device failed.\n\nCommon causes of this problem are:\n"
    "1. Invalid username and password\n\nDevice settings: cisco_ios 127.0.0.1:10001\n\n"
    "\nAuthentication timeout."
)
EXTRAS = {"auth_timeout": 10.0, "banner_timeout": 10.0}


def test_an_authentication_timeout_is_a_transient_timeout_not_auth() -> None:
    kind = classify_failure(AUTH_TIMEOUT)[0]
    assert kind == TIMEOUT and kind in TRANSIENT
    failure = login_failure(AUTH_TIMEOUT, None, EXTRAS)
    assert failure.kind == TIMEOUT
    assert failure.reason == "no answer to the log-in within 10 s (authentication timed out)"


def test_an_authentication_timeout_is_tried_again() -> None:
    attempt, _ = _flaky([AUTH_TIMEOUT], "ok")
    got = retry_transient(attempt, time.monotonic() + 30, retries=2, backoff=0.01)
    assert got == Attempted("ok", 2)


class _Guard:
    """What `login_failure` asks of a socket guard (the watchdog's `Guard`)."""

    def __init__(self, first: bytes = b"", eof: bool = False, expired: bool = False) -> None:
        self.first, self.eof, self.expired = first, eof, expired

    def first_line(self) -> str | None:
        if not self.first or self.first.startswith(b"SSH-"):
            return None
        return self.first.split(b"\n", 1)[0].strip().decode()

    @property
    def closed_early(self) -> bool:
        return self.eof and not self.first


BANNER = NetmikoTimeoutException(
    "\nA paramiko SSHException occurred during connection creation:\n\n"
    "Error reading SSH protocol banner\n\n"
)


@pytest.mark.parametrize(
    ("guard", "kind", "reason"),
    [
        (
            _Guard(b"HTTP/1.1 400 Bad Request\r\nServer: x\r\n"),
            NOT_SSH,
            "the port answers, but not with SSH ('HTTP/1.1 400 Bad Request')",
        ),
        (_Guard(eof=True), UNREACHABLE, "the device closed the connection before the SSH greeting"),
        (_Guard(), TIMEOUT, "no SSH greeting within 10 s"),
        (_Guard(expired=True), TIMEOUT, "no answer within the time limit during log-in: hang"),
    ],
)
def test_a_port_that_does_not_greet_with_ssh(guard: _Guard, kind: str, reason: str) -> None:
    failure = login_failure(BANNER, guard, EXTRAS)  # type: ignore[arg-type]
    assert (failure.kind, failure.reason) == (kind, reason)
    assert (kind in TRANSIENT) == (kind != NOT_SSH)


def test_a_read_on_a_session_that_ended_is_a_transient_drop() -> None:
    from netsteward.tasks.core.connection import SessionEnded

    exc = SessionEnded("the SSH session has ended")
    assert isinstance(exc, EOFError)  # what callers of netmiko catch for a dropped session
    assert classify_failure(exc) == (UNREACHABLE, "the device closed the session")
