"""FortiOS 7.x: the hierarchical configuration model and show/get renderers (pure).

A FortiOS configuration is a list of `config PATH` blocks; a table block holds
`edit NAME` entries; blocks and entries hold `set`/`unset` lines and nested
`config` blocks.  `parse` and `render` round-trip the `show` format (four spaces
per level, `next` / `end` closers).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime

from netsteward.lab.dialects.render_common import stable_int
from netsteward.lab.model import DeviceSpec


@dataclass
class Block:
    """`config PATH` (kind "config") or `edit NAME` (kind "edit")."""

    kind: str
    name: str
    items: list[str | Block] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]

    def child(self, kind: str, name: str) -> Block | None:
        for b in self.blocks():
            if b.kind == kind and unquote(b.name) == unquote(name):
                return b
        return None

    def get(self, key: str) -> str | None:
        """Value of `set KEY ...` (quotes removed), or None."""
        for item in self.items:
            if isinstance(item, str):
                words = item.split(None, 2)
                if len(words) >= 2 and words[0] == "set" and words[1] == key:
                    return unquote(words[2]) if len(words) > 2 else ""
        return None

    def set(self, key: str, value: str) -> None:
        line = f"set {key} {value}".rstrip()
        for i, item in enumerate(self.items):
            if isinstance(item, str) and item.split()[:2] == ["set", key]:
                self.items[i] = line
                return
        # set lines go before nested config blocks
        index = next(
            (i for i, it in enumerate(self.items) if isinstance(it, Block)), len(self.items)
        )
        self.items.insert(index, line)

    def unset(self, key: str) -> None:
        self.items = [
            i for i in self.items if not (isinstance(i, str) and i.split()[:2] == ["set", key])
        ]

    def is_table(self) -> bool:
        return any(b.kind == "edit" for b in self.blocks())


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def words_of(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def parse(text: str) -> Block:
    """The whole configuration as a root block (header comment lines `#...` are dropped)."""
    root = Block("root", "")
    stack = [root]
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("config "):
            block = Block("config", line[len("config ") :])
            stack[-1].items.append(block)
            stack.append(block)
        elif line.startswith("edit "):
            block = Block("edit", line[len("edit ") :])
            stack[-1].items.append(block)
            stack.append(block)
        elif line in ("next", "end"):
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].items.append(line)
    return root


def render_block(block: Block, depth: int = 0) -> list[str]:
    pad = "    " * depth
    head = f"config {block.name}" if block.kind == "config" else f"edit {block.name}"
    out = [pad + head]
    for item in block.items:
        if isinstance(item, Block):
            out += render_block(item, depth + 1)
        else:
            out.append("    " * (depth + 1) + item)
    out.append(pad + ("end" if block.kind == "config" else "next"))
    return out


def render(root: Block) -> str:
    lines: list[str] = []
    for item in root.items:
        if isinstance(item, Block):
            lines += render_block(item)
        else:
            lines.append(item)
    return "\n".join(lines) + ("\n" if lines else "")


def find_path(root: Block, path: str) -> Block | None:
    return root.child("config", path)


def _build(spec: DeviceSpec) -> str:
    m = re.search(r"build(\d+)", spec.version)
    return m.group(1) if m else "2573"


def _short_version(spec: DeviceSpec) -> str:
    m = re.search(r"v?(\d+\.\d+\.\d+)", spec.version)
    return m.group(1) if m else "7.4.3"


def version_line(spec: DeviceSpec) -> str:
    """`FortiGate-600E v7.4.3,build2573,240201 (GA.F)`."""
    return f"{spec.model} v{_short_version(spec)},build{_build(spec)},240201 (GA.F)"


def config_header(spec: DeviceSpec, change_count: int) -> str:
    short = re.sub(r"^FortiGate-", "FG", spec.model).replace("-", "")
    major = ".".join(_short_version(spec).split(".")[:2])
    return (
        f"#config-version={short}-{major}-FW-build{_build(spec)}-240201:opmode=0:vdom=0:user=admin\n"
        f"#conf_file_ver={28468763423 + stable_int(spec.name, modulo=10**6) + change_count}\n"
        f"#buildno={_build(spec)}\n"
        "#global_vdom=1\n"
    )


def show(spec: DeviceSpec, root: Block, change_count: int, path: str = "") -> str:
    """`show` / `show full-configuration` [PATH]."""
    if path:
        block = find_path(root, path)
        return "\n".join(render_block(block)) + "\n" if block is not None else ""
    return config_header(spec, change_count) + render(root)


def hostname(spec: DeviceSpec, root: Block) -> str:
    glob = find_path(root, "system global")
    name = glob.get("hostname") if glob is not None else None
    return name or spec.name


def console_output(root: Block) -> str:
    console = find_path(root, "system console")
    value = console.get("output") if console is not None else None
    return value or "more"


def get_system_status(spec: DeviceSpec, root: Block, now: datetime) -> str:
    lines = [
        f"Version: {version_line(spec)}",
        "Security Level: 1",
        "Firmware Signature: certified",
        "Virus-DB: 92.08224(2026-11-26 16:25)",
        "Extended DB: 92.08224(2026-11-26 16:24)",
        "AV AI/ML Model: 3.01796(2026-11-26 12:05)",
        "IPS-DB: 29.00877(2026-11-26 01:26)",
        "IPS-ETDB: 29.00877(2026-11-26 01:26)",
        "APP-DB: 29.00877(2026-11-26 01:26)",
        "FMWP-DB: 24.00081(2026-10-23 15:09)",
        "IPS Malicious URL Database: 5.00601(2026-11-26 20:40)",
        "IoT-Detect: 29.00874(2026-11-21 03:53)",
        "OT-Detect-DB: 29.00874(2026-11-21 03:53)",
        "OT-Patch-DB: 29.00872(2026-11-19 02:54)",
        "OT-Threat-DB: 6.00741(2015-12-01 02:30)",
        "IPS-Engine: 7.00555(2026-09-19 02:51)",
        f"Serial-Number: {spec.serial}",
        "BIOS version: 05000017",
        "System Part-Number: P24286-01",
        "Log hard disk: Available",
        f"Hostname: {hostname(spec, root)}",
        "Private Encryption: Disable",
        "Operation Mode: NAT",
        "Current virtual domain: root",
        "Max number of virtual domains: 10",
        "Virtual domains status: 1 in NAT mode, 0 in TP mode",
        "Virtual domain configuration: disable",
        "FIPS-CC mode: disable",
        "Current HA mode: standalone",
        f"Branch point: {_build(spec)}",
        "Release Version Information: GA",
        f"System time: {now:%a %b} {now.day:>2} {now:%H:%M:%S %Y}",
        "Last reboot reason: warm reboot",
    ]
    return "\n".join(lines) + "\n"


def get_system_console(root: Block) -> str:
    return "\n".join(
        [
            "baudrate            : 9600",
            f"output              : {console_output(root)}",
            "login               : enable",
            "fortiexplorer       : enable",
            "",
        ]
    )


def get_system_interface(root: Block) -> str:
    block = find_path(root, "system interface")
    out: list[str] = []
    for entry in block.blocks() if block is not None else []:
        name = unquote(entry.name)
        ip = (entry.get("ip") or "0.0.0.0 0.0.0.0").split()
        if len(ip) == 1 and "/" in ip[0]:
            ip = [ip[0].split("/")[0], "255.255.255.0"]
        status = "down" if entry.get("status") == "down" else "up"
        kind = entry.get("type") or "physical"
        mode = entry.get("mode") or "static"
        fields = [
            f"name: {name}",
            f"mode: {mode}",
            f"ip: {ip[0]} {ip[1] if len(ip) > 1 else '0.0.0.0'}",
            f"status: {status}",
            "netbios-forward: disable",
            f"type: {kind}",
        ]
        if kind == "physical":
            fields += ["ring-rx: 0", "ring-tx: 0"]
        fields += [
            "netflow-sampler: disable",
            "sflow-sampler: disable",
            "src-check: enable",
            "explicit-web-proxy: disable",
            "explicit-ftp-proxy: disable",
            "proxy-captive-portal: disable",
            "mtu-override: disable",
            "wccp: disable",
            "drop-overlapped-fragment: disable",
            "drop-fragment: disable",
        ]
        out.append(f"== [ {name} ]")
        out.append(" ".join(fields))
    return "\n".join(out) + ("\n" if out else "")


def get_system_interface_physical(root: Block, ports: list[str], up: set[str]) -> str:
    """`get system interface physical`: every physical port, link state from the cabling."""
    block = find_path(root, "system interface")
    entries = {unquote(e.name): e for e in (block.blocks() if block is not None else [])}
    names = ports or [n for n, e in entries.items() if (e.get("type") or "physical") == "physical"]
    out = ["== [onboard]"]
    for name in names:
        entry = entries.get(name)
        ip = ((entry.get("ip") if entry is not None else None) or "0.0.0.0 0.0.0.0").split()
        admin_down = entry is not None and entry.get("status") == "down"
        link = name in up and not admin_down
        out += [
            f"    ==[{name}]",
            f"        mode: {(entry.get('mode') if entry is not None else None) or 'static'}",
            f"        ip: {ip[0]} {ip[1] if len(ip) > 1 else '0.0.0.0'}",
            "        ipv6: ::/0",
            f"        status: {'up' if link else 'down'}",
            f"        speed: {'1000Mbps (Duplex: full)' if link else 'n/a'}",
            "        FEC: none",
            "        FEC_cap: none",
        ]
    return "\n".join(out) + "\n"
