"""Read what the port policy needs out of a running configuration (pure functions).

VRP, Comware and IOS configurations are trees by indentation: `interface X` at
the top, its lines indented below, sections separated by `#` or `!`. Only the
interface sections and the top-level lines matter to the port policy; the
fingerprint of a plan is computed over exactly that "port view", so a change
anywhere in it (an interface line, a global STP or loop-detection line) makes
a plan stale, while unrelated churn (clock lines, NTP drift, ACLs) does not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from netsteward.tasks.core.ifnames import canonical_name
from netsteward.tasks.core.scrub import normalise_config

_COMMENT = re.compile(r"^\s*[#!]")
# first words of top-level lines that belong to the port view (loop protection globals)
PORT_VIEW_GLOBALS = ("stp", "spanning-tree", "loopback-detect", "loopback-detection", "errdisable")


@dataclass(frozen=True)
class InterfaceBlock:
    """One `interface` section: its name as the device prints it and its stripped lines."""

    name: str
    lines: tuple[str, ...]

    @property
    def description(self) -> str | None:
        for line in self.lines:
            if line.startswith("description "):
                return line[len("description ") :]
            if line == "description":
                return ""
        return None


@dataclass(frozen=True)
class ParsedConfig:
    interfaces: dict[str, InterfaceBlock]  # in configuration order
    top_lines: tuple[str, ...]  # stripped non-interface lines (section lines too), comments dropped
    canonical: dict[str, str] = field(default_factory=dict)  # canonical name -> config name
    # other sections: "aaa", "user-interface vty 0 4", nested "aaa > recording-scheme x"
    # (headers joined by SECTION_JOIN) -> their direct child lines, stripped
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def find(self, platform: str | None, name: str) -> InterfaceBlock | None:
        """The interface block for any spelling of `name` (GE0/0/1, GigabitEthernet0/0/1)."""
        block = self.interfaces.get(name)
        if block is not None:
            return block
        real = self.canonical.get(canonical_name(platform, name))
        return self.interfaces.get(real) if real else None


SECTION_JOIN = " > "


def parse_config(platform: str | None, text: str) -> ParsedConfig:
    """Interface sections, other sections and top-level lines of a VRP, Comware or IOS configuration."""
    interfaces: dict[str, InterfaceBlock] = {}
    top: list[str] = []
    current: str | None = None
    lines: list[str] = []
    sections: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []  # open non-interface sections: (indentation, path)

    def close() -> None:
        nonlocal current, lines
        if current is not None:
            interfaces[current] = InterfaceBlock(current, tuple(lines))
        current, lines = None, []
        stack.clear()

    def other(indent: int, stripped: str) -> None:
        """A non-interface line: a top-level line, or a line of the section above it."""
        while stack and stack[-1][0] >= indent:
            stack.pop()
        top.append(stripped)
        path = stripped
        if stack:
            sections.setdefault(stack[-1][1], []).append(stripped)
            path = stack[-1][1] + SECTION_JOIN + stripped
        stack.append((indent, path))

    for raw in text.splitlines():
        if not raw.strip():
            continue
        if _COMMENT.match(raw):
            if not raw.startswith((" ", "\t")):
                close()
            continue
        indent = len(raw) - len(raw.lstrip())
        if indent:
            if current is not None:
                lines.append(raw.strip())
            else:  # Comware indents global lines by one space: ` sysname X`, ` stp global enable`
                other(indent, raw.strip())
            continue
        close()
        stripped = raw.strip()
        if stripped.startswith("interface "):
            current = stripped[len("interface ") :].strip()
        else:
            other(0, stripped)
    close()
    canonical = {canonical_name(platform, name): name for name in interfaces}
    return ParsedConfig(
        interfaces, tuple(top), canonical, {k: tuple(v) for k, v in sections.items()}
    )


def port_view(parsed: ParsedConfig) -> str:
    """The part of a configuration a port plan depends on, one line per config line."""
    out = [ln for ln in parsed.top_lines if ln.split()[0] in PORT_VIEW_GLOBALS]
    for block in parsed.interfaces.values():
        out.append(f"interface {block.name}")
        out.extend(f" {ln}" for ln in block.lines)
    return "\n".join(out) + "\n"


def config_view(parsed: ParsedConfig) -> str:
    """The whole configuration (comments and blank lines left out), one line per config line."""
    out = list(parsed.top_lines)
    for block in parsed.interfaces.values():
        out.append(f"interface {block.name}")
        out.extend(f" {ln}" for ln in block.lines)
    return "\n".join(out) + "\n"


VIEWS = {"ports": port_view, "config": config_view}


def fingerprint(parsed: ParsedConfig, view: str = "ports") -> str:
    """sha256 of a view of the configuration: what `apply` compares to refuse a stale plan.

    `ports` (the normalize plan): the port view, so unrelated churn does not make a port
    plan stale; `config` (the baseline plan): every configuration line, because a
    hardening fix may touch any section.
    """
    return "sha256:" + hashlib.sha256(VIEWS[view](parsed).encode()).hexdigest()


def scrubbed(platform: str, text: str) -> str:
    """The configuration as the backup repository stores it.

    Live configurations go through the same normaliser as backups, so that a plan
    made offline (from the backup) and the live device agree on the fingerprint.
    """
    return normalise_config(platform, text)
