"""Indentation-based configuration tree.

Vendor configurations (VRP, Comware, IOS, ASA, StoneOS) are trees by
indentation: a line indented deeper than the line before it belongs to that
line's section.  `ConfigTree.parse(text).render() == text` byte for byte; the
tree only knows lines and nesting.  What `undo` / `no` mean is the dialect's
business (see `netsteward.lab.dialects.base`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator


class Node:
    """One configuration line and the lines nested under it."""

    # leaves (most lines) keep no list of their own, and parsed lines are interned:
    # 739 parsed configurations take about a third of the memory they would otherwise
    __slots__ = ("_kids", "line", "parent")

    def __init__(self, line: str, parent: Node | None = None) -> None:
        self.line = line  # raw text, indentation included, no line ending
        self.parent = parent
        self._kids: list[Node] | None = None

    @property
    def children(self) -> list[Node]:
        """The nested lines (a real list: appending to it is allowed)."""
        if self._kids is None:
            self._kids = []
        return self._kids

    @children.setter
    def children(self, value: list[Node]) -> None:
        self._kids = value

    @property
    def text(self) -> str:
        return self.line.strip()

    @property
    def indent(self) -> int:
        return len(self.line) - len(self.line.lstrip(" "))

    def child_indent(self) -> int:
        if self._kids:
            return self._kids[0].indent
        return 0 if self.parent is None else self.indent + 1

    def find(self, text: str) -> Node | None:
        """Direct child whose stripped text equals `text`."""
        for child in self._kids or ():
            if child.text == text:
                return child
        return None

    def find_if(self, pred: Callable[[Node], bool]) -> Node | None:
        for child in self._kids or ():
            if pred(child):
                return child
        return None

    def add(self, text: str, *, index: int | None = None) -> Node:
        """Append (or insert at `index`) a child line, indented like its siblings."""
        node = Node(" " * self.child_indent() + text.strip(), self)
        if index is None:
            self.children.append(node)
        else:
            self.children.insert(index, node)
        return node

    def ensure(self, text: str) -> Node:
        """The child with this text, created at the end if missing."""
        return self.find(text) or self.add(text)

    def remove(self) -> None:
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None

    def walk(self) -> Iterator[Node]:
        """This node's descendants in display order (not the node itself)."""
        stack = [iter(self._kids or ())]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            yield child
            if child._kids:
                stack.append(iter(child._kids))

    def render_lines(self) -> list[str]:
        out: list[str] = []
        if self.parent is not None:
            out.append(self.line)
        for node in self.walk():
            out.append(node.line)
        return out

    def __repr__(self) -> str:
        return f"Node({self.line!r}, {len(self._kids or ())} children)"


class ConfigTree:
    """A parsed configuration; the root node has no line of its own."""

    def __init__(self) -> None:
        self.root = Node("", None)
        self.trailing_newline = True

    @classmethod
    def parse(cls, text: str) -> ConfigTree:
        tree = cls()
        tree.trailing_newline = text.endswith("\n") or text == ""
        body = text[:-1] if text.endswith("\n") else text
        if body == "" and text == "":
            return tree
        stack: list[Node] = [tree.root]
        last_indent = 0
        for raw in body.split("\n"):
            indent = len(raw) - len(raw.lstrip(" ")) if raw.strip() else last_indent
            while len(stack) > 1 and stack[-1].indent >= indent:
                stack.pop()
            parent = stack[-1]
            node = Node(sys.intern(raw), parent)
            if parent._kids is None:
                parent._kids = [node]
            else:
                parent._kids.append(node)
            stack.append(node)
            last_indent = indent
        return tree

    def render(self) -> str:
        lines = self.root.render_lines()
        if not lines:
            return ""
        return "\n".join(lines) + ("\n" if self.trailing_newline else "")

    # -- lookups ---------------------------------------------------------
    @property
    def top(self) -> list[Node]:
        return self.root.children

    def section(self, header: str) -> Node | None:
        """Top-level line with exactly this text (e.g. 'interface GigabitEthernet0/0/1')."""
        return self.root.find(header)

    def sections(self, prefix: str) -> list[Node]:
        return [n for n in self.root.children if n.text.startswith(prefix)]

    def find_line(self, pred: Callable[[Node], bool]) -> Node | None:
        for node in self.root.walk():
            if pred(node):
                return node
        return None

    def new_section(
        self, header: str, *, like: str, separator: str | None, tail: tuple[str, ...]
    ) -> Node:
        """Create a top-level section `header`.

        It goes after the last top-level section starting with `like` (for
        example 'interface '), else before the first trailing line whose text
        is in `tail` (such as 'return' or 'end'), else at the end.  When
        `separator` is given (VRP/Comware '#', IOS '!') a separator line is
        inserted so the section is delimited like its neighbours.
        """
        top = self.root.children
        index = None
        for i, node in enumerate(top):
            if node.text.startswith(like):
                index = i + 1
        if index is None:
            index = len(top)
            for i in range(len(top) - 1, -1, -1):
                if top[i].text in tail:
                    index = i
                    break
        if separator is not None:
            # keep sections delimited: "#" before the new section
            before = top[index - 1].text if index > 0 else None
            if before != separator:
                self.root.add(separator, index=index)
                index += 1
        node = Node(header, self.root)
        top.insert(index, node)
        if separator is not None and (index + 1 >= len(top) or top[index + 1].text != separator):
            self.root.add(separator, index=index + 1)
        return node
