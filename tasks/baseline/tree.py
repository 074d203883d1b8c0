"""A configuration as a tree of lines that keep their line numbers.

The baseline audit needs, for every finding, the line of the configuration it is about
(the report and SARIF point at it) and the section the line sits in. `parse(text,
syntax)` builds that tree in one pass, in one of three styles that cover the fleet:

- `indent`: VRP, Comware 7, IOS, ASA, StoneOS. A line belongs to the nearest line above
  it with a smaller indentation. A separator at column 0 (`#`, `!`) ends every open
  section, so Comware's one-space-indented global lines (` sysname X` after `#`) are
  top-level lines, not children of the interface above. Indented comments (IOS ` !`
  inside `vrf definition`) are skipped without ending anything. Closing words that
  carry no configuration (StoneOS `exit`) are dropped.
- `blocks`: FortiOS. `config X` and `edit N` open a level, `next` and `end` close it;
  indentation is not trusted (hand-edited and exported files differ).
- `brackets`: Brocade FOS `configshow`. `[Section]` lines are the sections, every other
  line belongs to the section above it.

Multi-line values (IOS `banner login ^C ... ^C`, Comware `header login % ... %`) become
children of their first line, so banner text is never read as configuration.

Why not hier_config (a test dependency here, to prove the point below): it keeps no source line
numbers, and it models a configuration as a set of unique lines per section, so real
configurations that repeat a line or a section raise `DuplicateChildError`: the
corpus's ASR920 (two `server-private` lines), every ASA file (`!`), FortiOS exports that
split `config firewall service custom` into several blocks, and Comware's `#` separators
(the driver pitfall in the compliance notes); tests/unit/baseline/test_tree.py keeps
those files parsing here. Of the lab's 739 configurations 232 (every Comware, StoneOS
and ASA one) raise it. It has no Comware 7, StoneOS or FOS driver either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from netsteward.tasks.ports.policy import _check_regex as _regex


class ConfigSyntax(BaseModel):
    """How one platform's configuration text nests (the `syntax:` block of a rule file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    style: Literal["indent", "blocks", "brackets"] = "indent"
    comment: str = r"^\s*[#!]"  # skipped; at column 0 it also ends every open section
    closers: list[str] = []  # lines dropped without ending anything (StoneOS `exit`)
    opens: str = r"^(config|edit)\b"  # blocks style
    closes: str = r"^(next|end)$"  # blocks style
    # first line of a multi-line value; the named group `end` is the text that ends it
    multiline: str | None = None

    @field_validator("comment", "opens", "closes")
    @classmethod
    def _one(cls, v: str) -> str:
        return _regex(v)

    @field_validator("closers")
    @classmethod
    def _many(cls, v: list[str]) -> list[str]:
        return [_regex(x) for x in v]

    @field_validator("multiline")
    @classmethod
    def _multi(cls, v: str | None) -> str | None:
        if v is not None and "(?P<end>" not in _regex(v):
            raise ValueError("needs a named group (?P<end>...) for the text that ends the value")
        return v


@dataclass
class ConfigTree:
    """Lines in file order as three parallel lists (739 configurations are half a million
    lines: no object per line), and each section's children."""

    text: list[str] = field(default_factory=list)  # the line without indentation
    number: list[int] = field(default_factory=list)  # 1-based line number in the file
    parent: list[int] = field(default_factory=list)  # index of the section header, -1 at the top
    children: dict[int, list[int]] = field(default_factory=dict)  # -1: the top level

    def __len__(self) -> int:
        return len(self.text)

    def kids(self, index: int) -> list[int]:
        return self.children.get(index, [])

    @property
    def top(self) -> list[int]:
        return self.kids(-1)

    def descendants(self, index: int) -> list[int]:
        out: list[int] = []
        stack = list(reversed(self.kids(index)))
        while stack:
            i = stack.pop()
            out.append(i)
            stack.extend(reversed(self.kids(i)))
        return out

    def path(self, index: int) -> list[str]:
        """The headers of the sections that hold line `index`, outermost first."""
        out: list[str] = []
        p = self.parent[index]
        while p >= 0:
            out.append(self.text[p])
            p = self.parent[p]
        return out[::-1]

    def block(self, indices: list[int]) -> tuple[str, list[int]]:
        """The lines `indices` joined by newlines, and the offset where each one starts."""
        texts = [self.text[i] for i in indices]
        offsets = [0, *accumulate(len(t) + 1 for t in texts)][:-1] if texts else []
        return "\n".join(texts), offsets

    def add(self, number: int, text: str, parent: int) -> int:
        index = len(self.text)
        self.text.append(text)
        self.number.append(number)
        self.parent.append(parent)
        kids = self.children.get(parent)
        if kids is None:
            self.children[parent] = [index]
        else:
            kids.append(index)
        return index


def _comment_chars(pattern: str) -> frozenset[str] | None:
    """The characters a comment starts with, when the regex is that simple (`^\\s*[#!]`, `^\\s*#`)."""
    if not pattern.startswith("^\\s*"):
        return None
    rest = pattern[len("^\\s*") :]
    if len(rest) > 2 and rest[0] == "[" and rest[-1] == "]" and not set(rest[1:-1]) & set("\\^]"):
        return frozenset(rest[1:-1])
    if len(rest) == 1 and rest not in "\\[](){}.*+?|^$":
        return frozenset(rest)
    return None


class _Compiled:
    def __init__(self, syntax: ConfigSyntax) -> None:
        self.style = syntax.style
        self.comment = re.compile(syntax.comment)
        self.comment_chars = _comment_chars(syntax.comment)
        # the literal start of the multi-line regex (`^banner `), a cheap pre-test
        lead = re.match(r"\^([\w -]+)", syntax.multiline or "")
        self.multiline_lead = lead.group(1) if lead else ("" if syntax.multiline else None)
        self.closers = (
            re.compile("|".join(f"(?:{c})" for c in syntax.closers)) if syntax.closers else None
        )
        self.opens = re.compile(syntax.opens)
        self.closes = re.compile(syntax.closes)
        self.multiline = re.compile(syntax.multiline) if syntax.multiline else None


_CACHE: dict[tuple[object, ...], _Compiled] = {}


def parse(text: str, syntax: ConfigSyntax) -> ConfigTree:
    """The tree of `text` (any line ends); blank lines and comments are left out."""
    key = (
        syntax.style,
        syntax.comment,
        tuple(syntax.closers),
        syntax.opens,
        syntax.closes,
        syntax.multiline,
    )
    rules = _CACHE.get(key)
    if rules is None:
        rules = _CACHE.setdefault(key, _Compiled(syntax))
    tree = ConfigTree()
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if rules.style == "blocks":
        _blocks(tree, raw, rules)
    elif rules.style == "brackets":
        _brackets(tree, raw, rules)
    else:
        _indent(tree, raw, rules)
    return tree


def _value_end(rules: _Compiled, text: str) -> str | None:
    """The terminator of a multi-line value starting on `text`, or None when it is one line."""
    if rules.multiline is None:
        return None
    m = rules.multiline.match(text)
    if m is None or not m.group("end"):
        return None
    end = m.group("end")
    return None if end in text[m.end("end") :] else end


def _indent(tree: ConfigTree, raw: list[str], rules: _Compiled) -> None:
    """Indentation style. Written for speed (half a million lines per fleet audit): the
    tree's lists are appended to directly, regexes run only where a cheap test says so."""
    stack: list[tuple[int, int]] = []  # (indentation, line index)
    comment, closers = rules.comment.match, rules.closers
    texts, numbers, parents, children = tree.text, tree.number, tree.parent, tree.children
    first = rules.comment_chars  # a comment's first non-blank character, when known
    lead = rules.multiline_lead
    n, total = 0, len(raw)
    while n < total:
        line = raw[n].rstrip()
        n += 1
        stripped = line.lstrip()
        if not stripped:
            continue
        indent = len(line) - len(stripped)
        if (first is None or stripped[0] in first) and comment(line):
            if indent == 0:
                stack.clear()
            continue
        if closers is not None and closers.match(stripped):
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else -1
        index = len(texts)
        texts.append(stripped)
        numbers.append(n)
        parents.append(parent)
        kids = children.get(parent)
        if kids is None:
            children[parent] = [index]
        else:
            kids.append(index)
        stack.append((indent, index))
        if lead is not None and stripped.startswith(lead):
            end = _value_end(rules, stripped)
            if end is not None:
                n = _value_lines(tree, raw, n, index, end)


def _value_lines(tree: ConfigTree, raw: list[str], n: int, index: int, end: str) -> int:
    """Lines of a multi-line value as children of its first line, up to the terminator."""
    while n < len(raw):
        text = raw[n].rstrip()
        n += 1
        if text.strip():
            tree.add(n, text.strip(), index)
        if end in text:
            break
    return n


def _blocks(tree: ConfigTree, raw: list[str], rules: _Compiled) -> None:
    stack: list[int] = []
    for n, line in enumerate(raw, 1):
        stripped = line.strip()
        if not stripped or rules.comment.match(line):
            continue
        if rules.closes.match(stripped):
            if stack:
                stack.pop()
            continue
        index = tree.add(n, stripped, stack[-1] if stack else -1)
        if rules.opens.match(stripped):
            stack.append(index)


def _brackets(tree: ConfigTree, raw: list[str], rules: _Compiled) -> None:
    section = -1
    for n, line in enumerate(raw, 1):
        stripped = line.strip()
        if not stripped or rules.comment.match(line):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = tree.add(n, stripped, -1)
        else:
            tree.add(n, stripped, section)
