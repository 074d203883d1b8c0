"""`retry_transient`: the one retry rule of every fleet-wide read (backup, topology discovery)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

from netsteward.tasks.backup.collect import (
    AUTH,
    PAGING,
    UNREACHABLE,
    Attempted,
    _Failure,
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
        (_Failure(PAGING, "output stopped at a pager prompt"), PAGING),
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
