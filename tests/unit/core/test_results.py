"""typed_results: typed payloads out of a Nornir AggregatedResult, failures kept apart."""

from __future__ import annotations

from dataclasses import dataclass

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result

from netsteward.tasks.core.results import one_line, typed_results


@dataclass(frozen=True)
class Payload:
    value: int


def _multi(host: Host, result: Result) -> MultiResult:
    multi = MultiResult("task")
    multi.append(result)
    return multi


def test_payloads_and_failures() -> None:
    a, b, c = Host("A"), Host("B"), Host("C")
    agg = AggregatedResult("task")
    agg["A"] = _multi(a, Result(host=a, result=Payload(1)))
    agg["B"] = _multi(
        b,
        Result(
            host=b,
            result="Traceback ...\nValueError: boom\n",
            failed=True,
            exception=ValueError("boom\nmore"),
        ),
    )
    agg["C"] = _multi(
        c, Result(host=c, result=Payload(3), failed=True)
    )  # a typed failure keeps its payload
    typed = typed_results(agg, Payload)
    assert typed.ok == {"A": Payload(1), "C": Payload(3)}
    assert list(typed.failed) == ["B"]
    assert typed.failed["B"].reason == "ValueError: boom"


def test_one_line() -> None:
    assert one_line(None) == "unknown error"
    assert one_line(TimeoutError()) == "TimeoutError"
    assert (
        one_line("Traceback (most recent call last):\n  File x\nKeyError: 'k'\n") == "KeyError: 'k'"
    )
