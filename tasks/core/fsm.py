"""TextFSM templates (ntc-templates' or our own) run so that they fail loud.

ntc-templates is the field's library of TextFSM templates, and most of our readers use its
templates as they are. TextFSM itself is silent about what it does not read: a line no rule
matches is dropped, a rule `-> Error` aborts the whole parse, and two entries that run into
each other become one row. `run_template` runs a template line by line and keeps, beside the
rows, what a reader needs to report:

- the lines some rule matched (`matched`); every other non-blank line was not understood;
- the lines an `Error` rule met (`errors`): the template's authors said such a line does not
  belong to this output. They are reported and parsing goes on with the next line, instead of
  losing everything read so far (TextFSM raises);
- for each row, the span of lines it was read from (`Row.first`, `Row.last`), so that
  `table_warnings` can check that every entry of the output (a line matching the reader's
  `entry` pattern, e.g. `Chassis id:`) became exactly one row.

Why not TextFSM's own API: `TextFSM.ParseText` neither says which lines matched nor where a
row came from, and its `Error` action discards the rows already read. The subclass below
overrides TextFSM's line loop (`_CheckLine`, the same loop noting matches) and three hooks
(`_AssignVar`, `_AppendRecord`, `_Operations`); the state machine itself is TextFSM's.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import textfsm

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import ReadWarning, WarningKind, at_line, capped, nothing_read


def ntc_template_dir() -> Path:
    import ntc_templates

    return Path(ntc_templates.__file__).resolve().parent / "templates"


@lru_cache(maxsize=64)
def template_text(name: str) -> str:
    """A template: `ntc:<file name>` from ntc-templates, else the path of one of our own."""
    if name.startswith("ntc:"):
        return (ntc_template_dir() / name[4:]).read_text(encoding="utf-8")
    return Path(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Row:
    values: dict[str, Any]  # lower-case names, as ntc-templates' parse_output gives them
    first: int  # first line (1-based) that set a value of this row
    last: int  # last line that belongs to it (the line that recorded it, or the one before)


@dataclass(frozen=True)
class FsmResult:
    rows: tuple[Row, ...]
    matched: frozenset[int]  # lines a rule matched (rules with the Error action excluded)
    errors: tuple[int, ...]  # lines an Error rule met
    lines: int  # lines read: the template may stop early (-> EOF), the rest is not its business


class _Tracking(textfsm.TextFSM):  # type: ignore[misc]
    """TextFSM that records matched lines, row spans and Error lines instead of raising."""

    _cur_state: list[Any]  # TextFSM's own attributes (the library is untyped)
    _cur_state_name: str

    def run(self, text: str) -> FsmResult:
        self._spans: list[tuple[int, int]] = []
        self._matched: set[int] = set()
        self._errors: list[int] = []
        self._first: int | None = None
        self._continue_record = False
        lines = text.splitlines()
        self._no = 0
        read = len(lines)
        for self._no, line in enumerate(lines, start=1):
            self._CheckLine(line)
            if self._cur_state_name in ("End", "EOF"):
                read = self._no
                break
        if self._cur_state_name != "End" and "EOF" not in self.states:
            self._continue_record = False
            self._no = len(lines)
            self._AppendRecord()
        header = [h.lower() for h in self.header]
        rows = tuple(
            Row(dict(zip(header, values, strict=True)), first, last)
            for values, (first, last) in zip(self._result, self._spans, strict=True)
        )
        return FsmResult(rows, frozenset(self._matched), tuple(self._errors), read)

    def _CheckLine(self, line: str) -> None:
        """TextFSM's own loop over the state's rules, noting whether a rule (not an Error rule)
        matched; the compiled pattern is called directly, which halves the cost per rule."""
        for rule in self._cur_state:
            matched = rule.regex_obj.regex.match(line)
            if not matched:
                continue
            if rule.line_op != "Error":
                self._matched.add(self._no)
            for value in matched.groupdict():
                self._AssignVar(matched, value)
            if self._Operations(rule, line):
                if rule.new_state:
                    if rule.new_state not in ("End", "EOF"):
                        self._cur_state = self.states[rule.new_state]
                    self._cur_state_name = rule.new_state
                break

    def _AssignVar(self, matched: Any, value: str) -> None:
        if matched.group(value) is not None and self._first is None:
            self._first = self._no
        super()._AssignVar(matched, value)

    def _AppendRecord(self) -> None:
        before, first = len(self._result), self._first
        super()._AppendRecord()  # clears the record (and with it self._first) when it saves
        if len(self._result) > before:
            last = self._no - 1 if self._continue_record else self._no
            first = first if first is not None else self._no
            self._spans.append((first, max(first, last)))
        self._first = None

    def _ClearRecord(self) -> None:
        super()._ClearRecord()
        self._first = None

    def _ClearAllRecord(self) -> None:
        super()._ClearAllRecord()
        self._first = None

    def _Operations(self, rule: Any, line: str) -> bool:
        self._continue_record = rule.line_op == "Continue"
        if rule.line_op != "Error":
            return bool(super()._Operations(rule, line))
        if rule.record_op == "Record":
            self._AppendRecord()
        elif rule.record_op == "Clear":
            self._ClearRecord()
        elif rule.record_op == "Clearall":
            self._ClearAllRecord()
        self._errors.append(self._no)
        return True  # drop the line, stay in the state (TextFSM would raise here)


@lru_cache(maxsize=64)
def _compiled(name: str) -> str:
    text = template_text(name)
    textfsm.TextFSM(io.StringIO(text))  # a broken template fails here, once
    return text


_LOCAL = threading.local()  # one compiled machine per template and thread (Nornir's workers)


def run_template(name: str, text: str) -> FsmResult:
    """Run the template `name` (see `template_text`) over `text`. Compiling a template costs
    about as much as reading a device's output with it, so each thread keeps its machines and
    resets them (TextFSM.Reset) for the next output."""
    cache: dict[str, _Tracking] = _LOCAL.__dict__.setdefault("machines", {})
    fsm = cache.get(name)
    if fsm is None:
        fsm = cache[name] = _Tracking(io.StringIO(_compiled(name)))
    else:
        fsm.Reset()
    return fsm.run(text)


def table_warnings(
    result: FsmResult,
    text: str,
    *,
    strict: bool,
    entry: str | None = None,
    what: str = "",
    required: tuple[str, ...] = (),
    known: str | None = None,
) -> tuple[ReadWarning, ...]:
    """What a reader reports about one template run.

    - Error-rule lines, and with `strict` every non-blank line no rule matched: not understood;
    - no row from output with a line not understood: nothing read (one warning, not one per
      line: the output is then most likely another command's);
    - with `entry` (a regex for the first line of each entry): an entry inside no row, or a
      row holding two entries (they ran into each other);
    - a row without a value in one of the `required` fields.

    `known`: a regex for lines the template skips on purpose (no rule, no field), e.g. the
    "Total entries displayed: 0" of an empty table: such lines alone are not "nothing read".
    """
    what = what or _("entry")
    lines = text.splitlines()[: result.lines]
    matched = set(result.matched)
    if known is not None:
        pattern = re.compile(known)
        matched |= {i for i, ln in enumerate(lines, 1) if pattern.search(ln)}
    unread = sorted(
        set(result.errors)
        | (
            {i for i, ln in enumerate(lines, 1) if ln.strip() and i not in matched}
            if strict
            else set()
        )
    )
    if not result.rows:
        unmatched = any(ln.strip() and i not in matched for i, ln in enumerate(lines, 1))
        if unread or (not strict and unmatched):
            return (nothing_read(text, _("no {what} read from this output").format(what=what)),)
        return ()
    out: list[ReadWarning] = [at_line(text, n, _("line not understood")) for n in unread]
    if entry is not None:
        out.extend(_entry_warnings(result, text, re.compile(entry), what))
    for row in result.rows:
        missing = [f for f in required if not row.values.get(f)]
        if missing:
            out.append(
                at_line(
                    text,
                    row.first,
                    _("{what} without {fields}").format(what=what, fields=", ".join(missing)),
                    kind="partial",
                )
            )
    return capped(sorted(out, key=lambda w: w.line))


def _entry_warnings(
    result: FsmResult, text: str, entry: re.Pattern[str], what: str
) -> list[ReadWarning]:
    starts = [i for i, ln in enumerate(text.splitlines(), 1) if entry.search(ln)]
    out: list[ReadWarning] = []
    kind: WarningKind = "partial"
    for start in starts:
        rows = [r for r in result.rows if r.first <= start <= r.last]
        if not rows:
            out.append(at_line(text, start, _("{what} not read").format(what=what), kind=kind))
    for row in result.rows:
        inside = [s for s in starts if row.first <= s <= row.last]
        for second in inside[1:]:
            out.append(
                at_line(
                    text,
                    second,
                    _("{what} read into the one before it (merged)").format(what=what),
                    kind=kind,
                )
            )
    return out


def read_table(
    name: str,
    text: str,
    *,
    strict: bool,
    entry: str | None = None,
    what: str = "",
    required: tuple[str, ...] = (),
    known: str | None = None,
) -> tuple[tuple[Row, ...], tuple[ReadWarning, ...]]:
    """Rows of the template `name` over `text`, and the warnings `table_warnings` gives."""
    result = run_template(name, text)
    return result.rows, table_warnings(
        result, text, strict=strict, entry=entry, what=what, required=required, known=known
    )


def first(value: Any) -> str:
    """A TextFSM value as one string: a List value's first item."""
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value or "").strip()
