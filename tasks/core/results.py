"""Typed payloads out of Nornir's loosely typed results.

A task returns `Result(host, result=SomePayload(...))` where the payload is a
frozen dataclass or pydantic model. `typed_results(agg, Cls)` pulls those payloads
out of an `AggregatedResult`, one per host, and reports the hosts whose task raised
(or returned something else) separately, so that playbooks look at failures explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from nornir.core.task import AggregatedResult, MultiResult

from netsteward.tasks.core.errors import NetstewardError

T = TypeVar("T")


@dataclass(frozen=True)
class HostFailure:
    """A host whose task raised instead of returning its payload."""

    host: str
    reason: str  # one line for people


@dataclass(frozen=True)
class Typed(Generic[T]):
    ok: dict[str, T] = field(default_factory=dict)
    failed: dict[str, HostFailure] = field(default_factory=dict)


def one_line(exc: BaseException | str | None) -> str:
    """First meaningful line of an exception or traceback text, never empty."""
    if exc is None:
        return "unknown error"
    if isinstance(exc, NetstewardError) and str(exc).strip():
        text = str(exc).strip()  # already written for people: no type name in front
    elif isinstance(exc, BaseException):
        text = str(exc).strip() or type(exc).__name__
        text = f"{type(exc).__name__}: {text}" if str(exc).strip() else text
    else:
        lines = [ln for ln in str(exc).strip().splitlines() if ln.strip()]
        text = lines[-1] if lines else "unknown error"
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), text)
    return first[:300]


def _payload(multi: MultiResult, cls: type[T]) -> T | None:
    for result in multi:
        if isinstance(result.result, cls):
            return result.result
    return None


def typed_results(agg: AggregatedResult, cls: type[T]) -> Typed[T]:
    """Payloads of type `cls` per host; hosts without one (task raised) in `failed`."""
    ok: dict[str, T] = {}
    failed: dict[str, HostFailure] = {}
    for host, multi in agg.items():
        payload = _payload(multi, cls)
        if payload is not None:
            ok[host] = payload
            continue
        exc = next((r.exception for r in multi if r.exception is not None), None)
        reason = (
            one_line(exc)
            if exc is not None
            else one_line(next((r.result for r in multi if r.failed), None))
        )
        failed[host] = HostFailure(host=host, reason=reason)
    return Typed(ok=ok, failed=failed)
