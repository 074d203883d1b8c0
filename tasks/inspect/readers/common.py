"""The line-rule engine the health readers are written with.

Why our own engine and not the ntc-templates TextFSM templates at run time: a TextFSM
template silently drops the lines it does not match and keeps no line numbers, so it
can neither report a line it did not understand nor give the evidence line of a value,
and the inspection must do both (a display it cannot read is a gap, never a healthy
device; every finding carries its evidence line). Where ntc-templates has a template for
a display, the golden tests (`tests/unit/inspect/test_readers_corpus.py`) parse the same
real samples with it and check that our reader extracts the same values.

A reader lists `Rule`s: a regex and what to do with a match (or nothing: a known line
such as a header or a separator). In a `strict` reader every non-blank line must match a
rule, else it is reported (`ReadWarning`, with its line number); a lenient reader (for a
display of which it reads a few lines, like `show version`) reports only when it found
nothing at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from netsteward.tasks.core.reading import Reading, ReadWarning, nothing_read, shown
from netsteward.tasks.inspect.model import Fact, Limits

Handler = Callable[[re.Match[str], int, str], Fact | Iterable[Fact] | None]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    handler: Handler | None = None  # None: a known line that carries nothing to keep


def rule(regex: str, handler: Handler | None = None) -> Rule:
    return Rule(re.compile(regex), handler)


def scan(text: str, rules: list[Rule], *, strict: bool = True) -> Reading[Fact]:
    """Run `rules` over the lines of `text` (first matching rule wins, `search` semantics
    unless the regex anchors itself)."""
    facts: list[Fact] = []
    warnings: list[ReadWarning] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        for r in rules:
            m = r.pattern.search(line)
            if m is None:
                continue
            if r.handler is not None:
                got = r.handler(m, number, line)
                if isinstance(got, Fact):
                    facts.append(got)
                elif got is not None:
                    facts.extend(got)
            break
        else:
            if strict:
                warnings.append(ReadWarning(number, shown(line), "line not understood"))
    if text.strip() and not facts:
        warnings.append(nothing_read(text))
    return Reading(tuple(facts), tuple(warnings))


def fact(check: str, number: int, line: str, **kw: object) -> Fact:
    """A fact with its evidence line filled in."""
    return Fact(check=check, line=number, evidence=shown(line.strip()), **kw)  # type: ignore[arg-type]


def num(text: str) -> float:
    """A number as devices print it: `1,090,732`, `-3.10`, `-inf` (no light)."""
    t = text.strip().replace(",", "")
    if t.lower() in ("-inf", "-infinity"):
        return -math.inf
    return float(t)


def dbm_of_uw(uw: float) -> float:
    return 10 * math.log10(uw / 1000) if uw > 0 else -math.inf


def limits(
    low_alarm: float | None = None,
    high_alarm: float | None = None,
    low_warning: float | None = None,
    high_warning: float | None = None,
    critical: float | None = None,
) -> Limits:
    return Limits(
        low_alarm=low_alarm,
        low_warning=low_warning,
        high_warning=high_warning,
        high_alarm=high_alarm,
        critical=critical,
    )


def uptime_seconds(text: str) -> float | None:
    """Seconds from `2 years, 3 weeks, 4 days, 5 hours, 6 minutes` style text (any order,
    singular or plural, `mins`/`secs` too); None when nothing matched."""
    units = {
        "year": 365 * 86400,
        "week": 7 * 86400,
        "day": 86400,
        "hour": 3600,
        "min": 60,
        "sec": 1,
    }
    total, seen = 0.0, False
    for value, unit in re.findall(r"(\d+)\s*(year|week|day|hour|min|sec)", text, re.I):
        total += int(value) * units[unit.lower()]
        seen = True
    return total if seen else None


def merge(*readings: Reading[Fact]) -> Reading[Fact]:
    return Reading(
        tuple(f for r in readings for f in r.records),
        tuple(w for r in readings for w in r.warnings),
    )


def cpu_rule(regex: str, groups: tuple[int, int, int] = (1, 2, 3)) -> Rule:
    """A line with the load now, over one minute and over five (the regex groups `groups`,
    in %); the five-minute figure is the average the policy judges."""
    now, minute, five = groups
    return rule(
        regex,
        lambda m, n, ln: fact(
            "cpu",
            n,
            ln,
            value=float(m[now]),
            unit="%",
            extra=(("one_minute", float(m[minute])), ("average", float(m[five]))),
        ),
    )


def percent_rule(check: str, regex: str) -> Rule:
    """A line with one percentage (group 1) for `check`."""
    return rule(regex, lambda m, n, ln: fact(check, n, ln, value=float(m[1]), unit="%"))


def crc_errors(text: str, header: str, logical: re.Pattern[str]) -> Reading[Fact]:
    """Cisco `show interface(s) | include line protocol|input errors`: input and CRC errors
    per port (the CRC count is the counter watched); `header` matches an interface's first
    line with its name in group 1; ports matching `logical` are marked as such."""
    port = [""]

    def head(m: re.Match[str], n: int, ln: str) -> Fact:
        port[0] = m[1]
        # the interface itself (kept: a display of tunnels or subinterfaces has no counters)
        return fact("interface", n, ln, item=m[1])

    def counters(m: re.Match[str], n: int, ln: str) -> Fact | None:
        if not port[0]:
            return None
        return fact(
            "errors",
            n,
            ln,
            item=port[0],
            value=float(m[2]),
            extra=(("kind", "crc"), ("input_errors", float(m[1])))
            + ((("logical", True),) if logical.match(port[0]) else ()),
        )

    return scan(text, [rule(header, head), rule(r"^\s+(\d+) input errors, (\d+) CRC", counters)])
