"""Hillstone StoneOS 5.5 (SG-6000 firewalls).

Blocks (`address`, `service`, `interface`, `zone`, `schedule`, `policy-global`,
`rule id N`) are closed by an `exit` line at the block's own indentation and
indented by two spaces, as `show configuration` prints them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects import register
from netsteward.lab.dialects.base import (
    CliError,
    Question,
    Reply,
    command,
)
from netsteward.lab.dialects.common import EndExit, up_ports
from netsteward.lab.dialects.hillstone_stoneos.health import StoneosHealth
from netsteward.lab.dialects.render_common import boot_time, mac_dotted, mac_offset
from netsteward.lab.engine.configtree import Node

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

BLOCK_MODES = {
    "address": "config-addr",
    "service": "config-service",
    "interface": "config-if",
    "zone": "config-zone",
    "schedule": "config-schedule",
    "policy-global": "config-policy",
    "aaa-server": "config-aaa-server",
    "admin": "config-admin",
}
CONFIG_MODES = frozenset({"config", "config-policy-rule", *BLOCK_MODES.values()})
SINGLE_KEYS = (
    "action ",
    "name ",
    "description ",
    "schedule ",
    "expire-time ",
    "zone ",
    "ip address ",
    "src-zone ",
    "dst-zone ",
)


def _add(parent: Node, text: str, index: int | None = None) -> Node:
    """A child line indented two spaces deeper than `parent` (StoneOS style)."""
    indent = parent.indent + 2 if parent.parent is not None else 0
    node = Node(" " * indent + text, parent)
    if index is None:
        parent.children.append(node)
    else:
        parent.children.insert(index, node)
    return node


def _body(node: Node) -> list[Node]:
    return [c for c in node.children if c.text != "exit"]


@register
class HillstoneStoneos(StoneosHealth, EndExit):
    platform = "hillstone_stoneos"
    login_mode = "exec"
    config_modes = CONFIG_MODES
    paging_commands = ("terminal length 0",)
    pager_prompt = " --More-- "
    pager_erase = "\r          \r"
    comment_char = None
    negate_word = "no"
    tail_lines = ("end",)

    def prompt(self, s: Session) -> str:
        if s.mode == "exec":
            return f"{s.device.name}# "
        return f"{s.device.name}({s.mode})# "

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        token = line[pos:].split()[0] if line[pos:].split() else line.strip()
        if s is not None and line.strip() and pos >= len(line.rstrip()):
            return "Error: incomplete command\n"
        prompt_len = len(self.prompt(s)) if s is not None else 0
        return " " * (prompt_len + pos) + f"^-----unrecognized keyword {token}\n"

    def ctrl_z(self, s: Session) -> None:
        s.reset()

    # -- exec ------------------------------------------------------------------
    @command("terminal length", raw=True, modes=("exec",))
    def terminal_length(self, s: Session, args: list[str]) -> str:
        value = args[0].strip()
        s.set_paging(value != "0")
        if value.isdigit() and value != "0":
            s.data["page_lines"] = int(value)
        return ""

    @command("terminal width", raw=True, modes=("exec",))
    def terminal_width(self, s: Session, args: list[str]) -> str:
        return ""  # oxidized's stoneos model sets 512; the lab never wraps lines

    @command("exit", modes=("exec",))
    def logout(self, s: Session, args: list[str]) -> Reply:
        return Reply("", close=True)

    @command("show configuration", pipe=True, running_config=True)
    def show_configuration(self, s: Session, args: list[str]) -> str:
        if args and args[0] not in ("running", "saved", "startup"):
            raise CliError(
                self.unknown_text(
                    s, "show configuration " + " ".join(args), len("show configuration ")
                )
            )
        body = s.device.startup_text() if args and args[0] != "running" else s.device.running_text()
        body = "\n".join(ln for ln in body.strip("\n").splitlines() if ln.strip() != "end")
        title = (
            "Running configuration:" if not args or args[0] == "running" else "Saved configuration:"
        )
        return f"Building configuration..\n{title}\n!\n{body}\nend\n"

    @command("show version", pipe=True)
    def show_version(self, s: Session, args: list[str]) -> str:
        spec = s.device.spec
        up = s.now() - boot_time(spec, s.now())
        build = re.sub(r"^Version\s+", "", spec.version).split()[-1] if spec.version else "5.5R10P3"
        return (
            "Hillstone Networks StoneOS software, version 5.5\n"
            "Copyright (C) 2000-2024 Hillstone Networks. All rights reserved.\n"
            f"Build number: {build}\n"
            f"Product name: {spec.model}  S/N: {spec.serial}  Assembly No.: 100067\n"
            f"Boot file is SG6000-M-3-{build}.bin from internal FLASH\n"
            "Boot loader version is 1.3.9\n"
            f"Uptime is {up.days} days {up.seconds // 3600} hours {up.seconds // 60 % 60} minutes {up.seconds % 60} seconds\n"
        )

    @command("show interface", pipe=True)
    def show_interface(self, s: Session, args: list[str]) -> str:
        tree = s.device.running
        linked = up_ports(s)
        lines = [
            "H:physical state;A:admin state;L:link state;P:protocol state;U:up;D:down;K:ipsec-tunnel",
            "=" * 100,
            f"{'Interface name':<24}{'IP address/mask':<24}{'Zone name':<14}H A L P  {'MAC address':<15}Description",
            "-" * 100,
        ]
        names = [p.name for p in s.device.spec.ports] or [
            n.text.split()[1] for n in tree.sections("interface ")
        ]
        for i, name in enumerate(names, start=1):
            node = tree.section(f"interface {name}")
            ip, zone, desc, shut = "0.0.0.0/0", "", "", False
            for child in _body(node) if node is not None else []:
                words = child.text.split()
                if words[:2] == ["ip", "address"] and len(words) >= 4:
                    bits = sum(bin(int(o)).count("1") for o in words[3].split("."))
                    ip = f"{words[2]}/{bits}"
                elif words[0] == "zone" and len(words) > 1:
                    zone = words[1].strip('"')
                elif words[0] == "description":
                    desc = child.text.split(None, 1)[1].strip('"') if len(words) > 1 else ""
                elif child.text == "shutdown":
                    shut = True
            state = "D D D D" if shut else ("U U U U" if name in linked else "D U D D")
            mac = mac_dotted(mac_offset(s.device.spec.mac, i))
            lines.append(f"{name:<24}{ip:<24}{zone:<14}{state}  {mac:<15}{desc}")
        return "\n".join(lines) + "\n"

    @command("save all", modes=("exec",))
    @command("save", modes=("exec",))
    def save(self, s: Session, args: list[str]) -> Reply:
        def answer(sess: Session, text: str) -> str:
            if text.lower() not in ("", "y", "yes"):
                return "Saving configuration is canceled\n"
            sess.device.save()
            return "Saving configuration is finished\n"

        return Reply("", question=Question("Save configuration, are you sure? [y]/n: ", answer))

    # -- configuration ------------------------------------------------------------
    @command("configure", modes=("exec",))
    def configure(self, s: Session, args: list[str]) -> str:
        s.enter("config")
        return ""

    def _block(self, s: Session, header: str) -> Node:
        """Find or create the top-level block `header` (with its closing `exit`)."""
        tree = s.device.running
        node = tree.section(header)
        if node is not None:
            return node
        top = tree.root.children
        kind = header.split()[0]
        index = None
        for i, n in enumerate(top):
            if n.text.startswith(kind + " ") or n.text == kind:
                index = i + 1
                while index < len(top) and top[index].text != "exit":
                    index += 1
                index = min(index + 1, len(top))
        if index is None:
            policy = next((i for i, n in enumerate(top) if n.text == "policy-global"), None)
            index = policy if policy is not None else len(top)
        node = _add(tree.root, header, index)
        _add(tree.root, "exit", index + 1)
        return node

    def _rule(self, s: Session, number: str) -> Node:
        tree = s.device.running
        policy = tree.section("policy-global")
        parent = policy if policy is not None else tree.root
        header = f"rule id {number}"
        node = parent.find(header)
        if node is None:
            if parent is tree.root:
                return self._block(s, header)
            node = _add(parent, header)
            _add(parent, "exit")
        return node

    def config_line(self, s: Session, line: str) -> str:
        text = " ".join(line.split())
        words = text.split()
        if words[:2] == ["rule", "id"] and len(words) == 3 and words[2].isdigit():
            s.enter("config-policy-rule", self._rule(s, words[2]))
            return ""
        if words[:3] == ["no", "rule", "id"] and len(words) == 4:
            return self._remove_rule(s, words[3])
        mode = BLOCK_MODES.get(words[0])
        if (
            mode is not None
            and s.mode in ("config", "config-policy")
            and (len(words) > 1 or words[0] == "policy-global")
        ):
            s.leave_to("config")
            s.enter(mode, self._block(s, text))
            return ""
        if s.section is None and words[0] == "no" and len(words) > 1:
            return self._remove_top(s, " ".join(words[1:]))
        if s.section is None:
            return super().config_line(s, text)
        section = s.section
        if words[0] == "no" and len(words) > 1:
            target = " ".join(words[1:])
            for node in list(_body(section)):
                if (
                    node.text == target
                    or node.text.startswith(target + " ")
                    or (
                        self.line_key(target + " ")
                        and self.line_key(node.text) == self.line_key(target + " ")
                    )
                ):
                    node.remove()
            return ""
        if text == "enable":
            for node in list(_body(section)):
                if node.text == "disable":
                    node.remove()
            return ""
        key = self.line_key(text)
        for node in _body(section):
            if node.text == text:
                return ""
            if key is not None and self.line_key(node.text) == key:
                node.line = " " * node.indent + text
                return ""
        index = next((i for i, c in enumerate(section.children) if c.text == "exit"), None)
        _add(section, text, index)
        return ""

    def _remove_top(self, s: Session, target: str) -> str:
        """`no address "X"` and the like: the block with its closing `exit`, or a one-line statement."""
        top = s.device.running.root.children
        for i, node in enumerate(top):
            if node.text == target or (node.text.startswith(target + " ") and not node.children):
                if node.children and i + 1 < len(top) and top[i + 1].text == "exit":
                    top[i + 1].remove()
                node.remove()
                return ""
        raise CliError(f"Error: {target} does not exist\n")

    def _remove_rule(self, s: Session, number: str) -> str:
        tree = s.device.running
        policy = tree.section("policy-global")
        parent = policy if policy is not None else tree.root
        node = parent.find(f"rule id {number}")
        if node is None:
            raise CliError(f"Error: Rule {number} does not exist\n")
        siblings = parent.children
        i = siblings.index(node)
        if i + 1 < len(siblings) and siblings[i + 1].text == "exit":
            siblings[i + 1].remove()
        node.remove()
        return ""

    def line_key(self, text: str) -> str | None:
        for single in SINGLE_KEYS:
            if text.startswith(single):
                return single
        return None
