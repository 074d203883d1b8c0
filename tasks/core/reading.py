"""What every reader returns: the records it read *and* what it could not read.

A reader turns one command's output (or one file) into typed records. Readers fail
loud: a reader that gets non-empty input and extracts nothing, or meets lines it does
not understand inside a section it parses, returns what it read together with
`ReadWarning`s naming the line. Jobs count the warnings in their summaries, `--json`
and exit codes; a reading with warnings is never reported as a clean result.

Readers are registered by name (`@reader("huawei_vrp.lldp")`) and the platform files
(`tasks/platforms/<name>.yaml`, `reads:`) say which reader reads which command, so
`netsteward parse` and every job run exactly the same reader for a platform and command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
_CLIP = 160


def shown(line: str) -> str:
    """A device line made safe to show: control characters escaped, clipped."""
    text = "".join(ch if ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" for ch in line)
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


@dataclass(frozen=True)
class ReadWarning:
    """One thing a reader could not read.

    `line` is 1-based in the output that was read (0: about the output as a whole);
    `source` is the device name or file path and `command` the command (or "" for a file),
    both filled in by whoever knows them (`Reading.about`).
    """

    line: int
    text: str  # the line as the device printed it (shown(): escaped and clipped)
    problem: str  # what was not understood, one line for people
    source: str = ""
    command: str = ""

    def __str__(self) -> str:
        where = ":".join(p for p in (self.source, str(self.line) if self.line else "") if p)
        cmd = f" ({self.command})" if self.command else ""
        quoted = f": {self.text!r}" if self.text else ""
        return f"{where}{cmd}: {self.problem}{quoted}" if where else f"{self.problem}{quoted}"


@dataclass(frozen=True)
class Reading(Generic[T]):
    """Records read from one output, and the warnings about what was not read."""

    records: tuple[T, ...] = ()
    warnings: tuple[ReadWarning, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.warnings

    def about(self, source: str, command: str = "") -> Reading[T]:
        """The same reading with every warning naming its device/file and command."""
        return replace(
            self,
            warnings=tuple(
                replace(w, source=w.source or source, command=w.command or command)
                for w in self.warnings
            ),
        )


def nothing_read(text: str, problem: str = "no records in non-empty output") -> ReadWarning:
    """The warning for non-empty output from which a reader extracted nothing."""
    first = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.strip()), 0)
    line = text.splitlines()[first - 1] if first else ""
    return ReadWarning(line=first, text=shown(line), problem=problem)


def unread_lines(
    text: str, understood: Iterable[int], problem: str = "line not understood"
) -> tuple[ReadWarning, ...]:
    """Warnings for the non-blank lines of `text` (1-based numbers) not in `understood`."""
    known = set(understood)
    return tuple(
        ReadWarning(line=i, text=shown(ln), problem=problem)
        for i, ln in enumerate(text.splitlines(), 1)
        if ln.strip() and i not in known
    )


class Reader(Protocol):
    def __call__(self, text: str) -> Reading[Any]: ...


READERS: dict[str, Reader] = {}


def reader(name: str) -> Callable[[Reader], Reader]:
    """Register a reader function under `name` (`<platform>.<what>`, e.g. `cisco_ios.cdp`)."""

    def register(fn: Reader) -> Reader:
        if name in READERS and READERS[name] is not fn:
            raise ValueError(f"reader {name!r} registered twice")
        READERS[name] = fn
        return fn

    return register
