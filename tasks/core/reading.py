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

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, is_dataclass, replace
from typing import Any, Generic, Literal, Protocol, TypeVar

T = TypeVar("T")
_CLIP = 160
LINE_WARNINGS = 50  # per reading: more unread lines than this are summed up in one warning

# unread:  a line the reader does not understand, inside what it reads;
# nothing: non-empty output from which the reader extracted no record;
# partial: an entry read incompletely (a field every entry has is missing, two entries
#          read as one, an entry not read at all);
# format:  not the output this reader reads at all (another command's output, another
#          platform's configuration, a `show` output given as a configuration).
WarningKind = Literal["unread", "nothing", "partial", "format"]


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
    kind: WarningKind = "unread"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "command": self.command,
            "line": self.line,
            "text": self.text,
            "problem": self.problem,
            "kind": self.kind,
        }

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

    @property
    def wrong_format(self) -> bool:
        """The output is not what this reader reads (a `format` warning)."""
        return any(w.kind == "format" for w in self.warnings)

    def plus(self, *warnings: ReadWarning) -> Reading[T]:
        """The same records with more warnings."""
        return replace(self, warnings=(*self.warnings, *warnings))

    def about(self, source: str, command: str = "") -> Reading[T]:
        """The same reading with every warning naming its device/file and command."""
        return replace(
            self,
            warnings=tuple(
                replace(w, source=w.source or source, command=w.command or command)
                for w in self.warnings
            ),
        )


def nothing_read(
    text: str, problem: str = "no records in non-empty output", kind: WarningKind = "nothing"
) -> ReadWarning:
    """The warning for non-empty output from which a reader extracted nothing."""
    first = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.strip()), 0)
    line = text.splitlines()[first - 1] if first else ""
    return ReadWarning(line=first, text=shown(line), problem=problem, kind=kind)


def at_line(text: str, number: int, problem: str, kind: WarningKind = "unread") -> ReadWarning:
    """A warning about line `number` (1-based) of `text`."""
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    return ReadWarning(line=number, text=shown(line), problem=problem, kind=kind)


def capped(warnings: Iterable[ReadWarning], limit: int = LINE_WARNINGS) -> tuple[ReadWarning, ...]:
    """At most `limit` line warnings; the rest summed up in one more (same kind as the last)."""
    items = list(warnings)
    if len(items) <= limit:
        return tuple(items)
    rest = items[limit:]
    more = ReadWarning(
        line=rest[0].line,
        text=rest[0].text,
        problem=f"and {len(rest)} more line(s) not read (lines {rest[0].line}-{rest[-1].line})",
        kind=rest[-1].kind,
    )
    return (*items[:limit], more)


def record_dict(record: Any) -> Any:
    """A record as plain JSON-able data (`as_dict()` when the record has one)."""
    if hasattr(record, "as_dict"):
        return record.as_dict()
    if is_dataclass(record) and not isinstance(record, type):
        return asdict(record)
    return record


def reading_dict(reading: Reading[Any]) -> dict[str, Any]:
    """`{"records": [...], "warnings": [...]}` (what `netsteward parse --json` prints), as
    plain JSON data (tuples become lists)."""
    data = {
        "records": [record_dict(r) for r in reading.records],
        "warnings": [w.as_dict() for w in reading.warnings],
    }
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


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

# Modules that register readers. A reader lives beside the job that needs it; add its module
# here so that `netsteward parse` and the platform-file check find it.
READER_MODULES: tuple[str, ...] = (
    "netsteward.tasks.topology.readers",
    "netsteward.tasks.firewall.parsers",
    "netsteward.tasks.inspect.readers",
)


def reader(name: str) -> Callable[[Reader], Reader]:
    """Register a reader function under `name` (`<platform>.<what>`, e.g. `cisco_ios.cdp`)."""

    def register(fn: Reader) -> Reader:
        if name in READERS and READERS[name] is not fn:
            raise ValueError(f"reader {name!r} registered twice")
        READERS[name] = fn
        return fn

    return register


def load_readers() -> dict[str, Reader]:
    """Every registered reader (imports the modules that register them)."""
    for module in READER_MODULES:
        importlib.import_module(module)
    return READERS


def get_reader(name: str) -> Reader:
    """The reader registered as `name`; KeyError when there is none."""
    if name not in READERS:
        load_readers()
    return READERS[name]


def read_purpose(platform: str, purpose: str, text: str, source: str = "") -> Reading[Any]:
    """Read `text` (the output of the platform's command for `purpose`) with the reader the
    platform file names, warnings naming `source` (device or file) and the command."""
    from netsteward.tasks.platforms import load_platform

    read = load_platform(platform).reads[purpose]
    return get_reader(read.reader)(text).about(source, read.command)
