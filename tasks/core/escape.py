"""Device text made safe for the formats netsteward writes.

Everything a device says is untrusted input: an LLDP system name or a description can
hold control characters (NUL, backspace, ESC, Ctrl-Z), newlines, markup (`<svg onload=…>`)
or characters that XML 1.0 does not allow at all. Every report escapes what it embeds
with the function for its format:

- `visible(text)`: control and other unprintable characters as `\\xNN` / `\\uNNNN`
  (tab kept when asked); the base of all the others.
- `md(text)`: Markdown running text and table cells: no raw HTML passes (`<`, `>`, `&`
  become entities), no table cell breaks (`|`), no link, emphasis or code starts.
- `md_code(text)`: inside a `` `code span` `` (entities are not decoded there, so only
  backticks and pipes are neutralised).
- `md_fenced(text)`: the body of a fenced code block (a fence inside is broken up).
- `xml(text)`: XML 1.0 text or attribute values (draw.io, SVG, GraphML).
- `html(text)`: HTML text or attribute values.
- `printable_tree(root)`: an ElementTree (draw.io, JUnit) before it is serialised.

Why written here and not taken from a library: `xml.sax.saxutils.escape` and
`html.escape` escape markup but pass the control characters that make an XML file
unparseable (an ESC in a name made the draw.io file invalid), and no Markdown library
escapes text for embedding; the few lines below are checked by the hostile-name tests
(`tests/unit/core/test_escape.py`, `tests/unit/topology/test_hostile_names.py`).
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def _char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN or ch in "\ufffe\uffff"


def visible(text: object, *, keep_tab: bool = False) -> str:
    """`text` with every control or invisible formatting character shown as an escape.

    Newlines, carriage returns, NUL, ESC, backspace, Ctrl-Z, DEL, the Unicode line and
    paragraph separators, format characters (bidirectional overrides, zero-width joiners),
    lone surrogates and the non-characters U+FFFE/U+FFFF become `\\xNN` / `\\uNNNN`;
    spaces and characters a font may lack (unassigned, private use) stay as they are."""
    s = str(text)
    if s.isprintable():
        return s
    return "".join(_char(ch) if _hidden(ch) and not (keep_tab and ch == "\t") else ch for ch in s)


def md(text: object) -> str:
    """Markdown running text or a table cell: inert (no HTML, links, emphasis, cell breaks)."""
    s = _html.escape(visible(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s)


def md_code(text: object) -> str:
    """Inside a Markdown code span: no backtick ends it, no pipe breaks a table cell."""
    return visible(text).replace("`", "'").replace("|", "\\|")


def md_fenced(text: object) -> str:
    """The body of a fenced code block (lines kept): unprintables escaped, no fence inside."""
    lines = str(text).split("\n")
    return "\n".join(visible(line, keep_tab=True).replace("```", "` ` `") for line in lines)


def xml(text: object) -> str:
    """XML 1.0 text or attribute value: markup escaped, characters XML forbids made visible."""
    return _html.escape(visible(text), quote=True)


def html(text: object) -> str:
    """HTML text or attribute value."""
    return _html.escape(visible(text), quote=True)


def printable_tree(root: ET.Element) -> None:
    """Make an ElementTree safe to serialise: unprintables in attributes and text visible.

    ElementTree escapes markup but writes a control character (ESC, NUL) as it is, which
    makes the file invalid XML; no escaping can carry one, so it is shown as `\\x1b`.
    Text keeps its newlines and tabs."""
    for elem in root.iter():
        for key, value in elem.attrib.items():
            if not value.isprintable():
                elem.set(key, visible(value))
        for part in ("text", "tail"):
            value = getattr(elem, part)
            if value and not value.isprintable():
                lines = value.split("\n")
                setattr(elem, part, "\n".join(visible(ln, keep_tab=True) for ln in lines))
