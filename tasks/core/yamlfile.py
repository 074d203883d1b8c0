"""The one YAML loader: every input file (inventory, policies, intent, platform files) goes
through here, so every problem with one is the same single line, `file:line: field: problem`.

    doc = load_yaml(path, error=PolicyError)          # refuses missing, binary, non-UTF-8, bad YAML
    doc = load_yaml(path, required=True)              # ... and empty (or comments-only) files
    model = validate(doc, PortPolicy, error=PolicyError)   # pydantic errors with their line

`YamlDoc` keeps the composed node tree beside the plain data, so a pydantic error's
location (`("servers", 3, "flows", 0, "port")`) maps back to the line it came from.
PyYAML's C loader is used when it is installed (the inventory is read on every run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _

M = TypeVar("M", bound=BaseModel)
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(
    path: Path | str, *, error: type[BadInput] = BadInput, field: str | None = None
) -> str:
    """The text of an input file, or `error` in one line: not found, a folder, binary, not UTF-8."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise error(_("file not found"), file=str(p), field=field) from None
    except IsADirectoryError:
        raise error(_("is a folder, not a file"), file=str(p), field=field) from None
    except OSError as exc:
        raise error(
            _("cannot read ({reason})").format(reason=exc.strerror or exc), file=str(p), field=field
        ) from None
    if b"\0" in data:
        raise error(_("binary file (NUL bytes), not text"), file=str(p), field=field)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            _("not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8").format(
                byte=data[exc.start]
            ),
            file=str(p),
            line=line,
            field=field,
        ) from None


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file: plain data and the node tree that knows the lines."""

    source: str  # file path, or a label such as "<policy>" for text given directly
    data: Any
    node: Node | None

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """1-based line of the value at `loc` (the key's line for a mapping entry)."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if pair is None:
                    return line
                line = pair[0].start_mark.line + 1
                node = pair[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def duplicate_key(node: Node | None) -> tuple[str, int, int] | None:
    """The first key given twice in one mapping (key, first line, second line). YAML says a
    key is unique; PyYAML keeps the last silently, which hides half a file's settings."""
    stack = [node] if node is not None else []
    seen_nodes: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen_nodes:  # aliases share nodes
            continue
        seen_nodes.add(id(n))
        if isinstance(n, MappingNode):
            keys: dict[str, int] = {}
            for k, v in n.value:
                if isinstance(k, ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    line = k.start_mark.line + 1
                    if k.value in keys:
                        return k.value, keys[k.value], line
                    keys[k.value] = line
                stack.append(v)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)
    return None


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None


def parse_yaml(
    text: str,
    source: str,
    *,
    error: type[BadInput] = BadInput,
    required: bool = False,
    field: str | None = None,
    duplicates: bool = False,
) -> YamlDoc:
    """YAML text -> YamlDoc; `error` for bad YAML, a key given twice (unless `duplicates`: the
    caller reports them itself, as the inventory check does), and for an empty document
    when `required`."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(
            _("not valid YAML: {problem}").format(problem=problem),
            file=source,
            line=_mark_line(exc),
            field=field,
        ) from None
    finally:
        loader.dispose()
    twice = None if duplicates else duplicate_key(node)
    if twice is not None:
        key, first, second = twice
        raise error(
            _("key {key!r} given twice (first on line {first})").format(key=key, first=first),
            file=source,
            line=second,
            field=field or key,
        )
    if required and data is None:
        raise error(_("empty file (nothing but comments or blank lines)"), file=source, field=field)
    return YamlDoc(source, data, node)


def load_yaml(
    path: Path | str,
    *,
    error: type[BadInput] = BadInput,
    required: bool = False,
    field: str | None = None,
    duplicates: bool = False,
) -> YamlDoc:
    """Read and parse a YAML file; every problem is one `error` naming the file (and line)."""
    return parse_yaml(
        read_text(path, error=error, field=field),
        str(path),
        error=error,
        required=required,
        field=field,
        duplicates=duplicates,
    )


def mapping(doc: YamlDoc, what: str, *, error: type[BadInput] = BadInput) -> dict[str, Any]:
    """The document as a mapping (an empty document is an empty mapping)."""
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        line = doc.node.start_mark.line + 1 if doc.node is not None else 1
        raise error(_("must be a mapping ({what})").format(what=what), file=doc.source, line=line)
    return doc.data


def validate(
    doc: YamlDoc, model: type[M], *, error: type[BadInput] = BadInput, data: Any = None
) -> M:
    """`model` validated from the document (or from `data` derived from it); the first
    pydantic error becomes one `error` with file, line and field."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        raise error(
            message,
            file=doc.source,
            line=doc.line_of(loc),
            field=".".join(str(p) for p in loc) or None,
        ) from None


def scalar(node: Node | None) -> str | None:
    """A scalar node's text (None for null, empty or a collection)."""
    if isinstance(node, ScalarNode) and node.value not in ("", "~", "null"):
        return str(node.value)
    return None
