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
    top_lines: tuple[str, ...]  # stripped top-level lines, comments dropped
    canonical: dict[str, str] = field(default_factory=dict)  # canonical name -> config name

    def find(self, platform: str | None, name: str) -> InterfaceBlock | None:
        """The interface block for any spelling of `name` (GE0/0/1, GigabitEthernet0/0/1)."""
        block = self.interfaces.get(name)
        if block is not None:
            return block
        real = self.canonical.get(canonical_name(platform, name))
        return self.interfaces.get(real) if real else None


def parse_config(platform: str | None, text: str) -> ParsedConfig:
    """Interface sections and top-level lines of a VRP, Comware or IOS configuration."""
    interfaces: dict[str, InterfaceBlock] = {}
    top: list[str] = []
    current: str | None = None
    lines: list[str] = []

    def close() -> None:
        nonlocal current, lines
        if current is not None:
            interfaces[current] = InterfaceBlock(current, tuple(lines))
        current, lines = None, []

    for raw in text.splitlines():
        if not raw.strip():
            continue
        if _COMMENT.match(raw):
            if not raw.startswith((" ", "\t")):
                close()
            continue
        if raw[0] in " \t":
            if current is not None:
                lines.append(raw.strip())
            else:  # Comware indents global lines by one space: ` sysname X`, ` stp global enable`
                top.append(raw.strip())
            continue
        close()
        stripped = raw.strip()
        if stripped.startswith("interface "):
            current = stripped[len("interface ") :].strip()
        else:
            top.append(stripped)
    close()
    canonical = {canonical_name(platform, name): name for name in interfaces}
    return ParsedConfig(interfaces, tuple(top), canonical)


def port_view(parsed: ParsedConfig) -> str:
    """The part of a configuration a port plan depends on, one line per config line."""
    out = [ln for ln in parsed.top_lines if ln.split()[0] in PORT_VIEW_GLOBALS]
    for block in parsed.interfaces.values():
        out.append(f"interface {block.name}")
        out.extend(f" {ln}" for ln in block.lines)
    return "\n".join(out) + "\n"


def fingerprint(parsed: ParsedConfig) -> str:
    """sha256 of the port view: what `apply` compares to refuse a stale plan."""
    return "sha256:" + hashlib.sha256(port_view(parsed).encode()).hexdigest()


def scrubbed(platform: str, text: str) -> str:
    """The configuration as the backup repository stores it.

    Live configurations go through the same normaliser as backups, so that a plan
    made offline (from the backup) and the live device agree on the fingerprint.
    """
    return normalise_config(platform, text)
