"""Cisco IOS 15.2 (Catalyst C2960X access switches)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from netsteward.lab.dialects import register
from netsteward.lab.dialects.base import (
    IN_CONFIG,
    CliError,
    Question,
    Reply,
    command,
)
from netsteward.lab.dialects.cisco_ios import cdp, extra, ports
from netsteward.lab.dialects.cisco_ios import render as r
from netsteward.lab.dialects.cisco_ios.backup import IosBackup
from netsteward.lab.dialects.cisco_ios.health import IosHealth
from netsteward.lab.dialects.common import (
    CiscoModes,
    put_description_first,
    render_neighbors,
    up_ports,
)
from netsteward.lab.engine.configtree import Node
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

INVALID = "% Invalid input detected at '^' marker.\n"

IFNAME_PREFIXES = (
    ("tengigabitethernet", "TenGigabitEthernet"),
    ("gigabitethernet", "GigabitEthernet"),
    ("fastethernet", "FastEthernet"),
    ("port-channel", "Port-channel"),
    ("vlan", "Vlan"),
    ("te", "TenGigabitEthernet"),
    ("gi", "GigabitEthernet"),
    ("fa", "FastEthernet"),
    ("po", "Port-channel"),
    ("vl", "Vlan"),
)


def expand_ifname(text: str) -> str | None:
    """`gi1/0/1`, `Gi 1/0/1`, `GigabitEthernet1/0/1` -> `GigabitEthernet1/0/1`; None if not a name."""
    compact = text.replace(" ", "")
    m = re.match(r"([A-Za-z-]+)(\d[\d/.]*)$", compact)
    if not m:
        return None
    word, number = m.group(1).lower(), m.group(2)
    for prefix, full in IFNAME_PREFIXES:
        if (full.lower().startswith(word) and len(word) >= 2) or word == prefix:
            return full + number
    return None


# where a global line goes when the device has no line with the same first word yet
GLOBAL_NEIGHBOURS = {
    "errdisable": ("spanning-tree ",),
    "spanning-tree": ("errdisable ",),
    "snmp-server": ("ip ", "logging "),
    "ntp": ("line ",),
    "logging": ("ip ",),
}


def _close_gaps(before: list[Node], top: list[Node]) -> None:
    """Where `no ...` removed a top-level section between two `!` lines, keep only one `!`."""
    kept = {id(n) for n in top}
    for i, node in enumerate(before):
        if id(node) in kept or i == 0:
            continue
        prev = before[i - 1]
        j = i + 1
        while j < len(before) and id(before[j]) not in kept:
            j += 1
        if j < len(before) and id(prev) in kept and prev.text == before[j].text == "!":
            before[j].remove()
            kept.discard(id(before[j]))


@register
class CiscoIos(IosHealth, CiscoModes, IosBackup):
    platform = "cisco_ios"
    config_modes = frozenset({"config", "config-if", "config-line", "config-sub"})
    paging_commands = ("terminal length 0",)
    pager_prompt = " --More-- "
    pager_erase = "\b" * 10 + " " * 10 + "\b" * 10
    comment_char = "!"
    keyed_lines = (r"username \S+ ", r"enable (secret|password) ", r"password \d+ ", r"key-string ")
    # on by default, printed as `no ...` when turned off (docs/baseline.md)
    shown_negations: tuple[str, ...] = (
        "ip http server",
        "ip http secure-server",
        "ip source-route",
        "service pad",
        "ip bootp server",
        "ip domain lookup",
    )
    hidden_defaults: tuple[str, ...] = ("ip source-route", "ip bootp server", "ip domain lookup")
    tail_lines = ("end",)
    pipe_words = ("include", "exclude", "begin", "section")
    enable_denied_text = "% Bad secrets\n"
    configure_text = "Enter configuration commands, one per line.  End with CNTL/Z.\n"
    error_prefix = "% "
    clock_mark = "*"

    def apply_pipe(self, text: str, filters: list[tuple[str, str]]) -> str:
        """Adds IOS's `| section REGEX` (matching top-level lines with their indented children)."""
        for kind, regex in filters:
            if kind != "section":
                text = super().apply_pipe(text, [(kind, regex)])
                continue
            try:
                rx = re.compile(regex)
            except re.error:
                rx = re.compile(re.escape(regex))
            keep: list[str] = []
            inside = False
            for line in text.split("\n"):
                if line and not line[0].isspace():
                    inside = bool(rx.search(line))
                if inside and line:
                    keep.append(line)
            text = "\n".join(keep) + ("\n" if keep else "")
        return text

    # -- prompts and errors ----------------------------------------------
    def login_banner(self, s: Session) -> str:
        return "\n"

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        if s is not None and line.strip() and pos >= len(line.rstrip()):
            return "% Incomplete command.\n\n"
        prompt_len = len(self.prompt(s)) if s is not None else 0
        return " " * (prompt_len + pos) + "^\n" + INVALID + "\n"

    # -- session ---------------------------------------------------------
    @command("terminal length", raw=True)
    def terminal_length(self, s: Session, args: list[str]) -> str:
        value = args[0].strip()
        if not value.isdigit():
            raise CliError(
                self.unknown_text(s, "terminal length " + value, len("terminal length "))
            )
        s.set_paging(value != "0")
        return ""

    @command("terminal width", raw=True)
    def terminal_width(self, s: Session, args: list[str]) -> str:
        return ""

    @command("terminal no monitor")
    @command("terminal monitor")
    def terminal_monitor(self, s: Session, args: list[str]) -> str:
        return ""

    # -- show ------------------------------------------------------------
    @command("show version", pipe=True)
    def show_version(self, s: Session, args: list[str]) -> str:
        return r.show_version(s.device.spec, s.now())

    @command("show inventory", pipe=True)
    def show_inventory(self, s: Session, args: list[str]) -> str:
        return r.show_inventory(s.device.spec)

    @command("show ip interface brief", pipe=True)
    def show_ip_int_brief(self, s: Session, args: list[str]) -> str:
        return ports.show_ip_interface_brief(s.device.spec, s.device.running_text(), up_ports(s))

    @command("show interfaces status", pipe=True)
    def show_int_status(self, s: Session, args: list[str]) -> str:
        return ports.show_interfaces_status(s.device.spec, s.device.running_text(), up_ports(s))

    @command("show interfaces", pipe=True)
    def show_interfaces(self, s: Session, args: list[str]) -> str:
        only = ""
        if args:
            only = expand_ifname(" ".join(args)) or ""
            names = {i.name for i in ports.interfaces(s.device.spec, s.device.running_text())}
            if only not in names:
                raise CliError(
                    self.unknown_text(
                        s, "show interfaces " + " ".join(args), len("show interfaces ")
                    )
                )
        h = health(s.device, s.now())
        counted = set(h.error_ports)
        return ports.show_interfaces(
            s.device.spec,
            s.device.running_text(),
            up_ports(s),
            s.now(),
            only,
            errors=lambda port: h.errors(port) if port in counted else (0, 0),
        )

    @command("show lldp neighbors detail", pipe=True)
    def show_lldp_detail(self, s: Session, args: list[str]) -> str:
        return ports.show_lldp_neighbors_detail(render_neighbors(s))

    @command("show lldp neighbors", pipe=True)
    def show_lldp(self, s: Session, args: list[str]) -> str:
        neighbors = render_neighbors(s)
        if args and args[-1].lower().startswith("det"):
            wanted = expand_ifname(" ".join(args[:-1]))
            return ports.show_lldp_neighbors_detail(
                [n for n in neighbors if n.local_port == wanted]
            )
        return ports.show_lldp_neighbors(neighbors)

    @command("show cdp neighbors detail", pipe=True)
    def show_cdp_detail(self, s: Session, args: list[str]) -> str:
        return self.show_cdp(s, ["detail"])

    @command("show cdp neighbors", pipe=True)
    def show_cdp(self, s: Session, args: list[str]) -> str:
        if not cdp.cdp_runs(s.device.running):
            return cdp.NOT_ENABLED
        entries = cdp.cdp_neighbors(s.device, s.now())
        detail = bool(args) and args[-1].lower().startswith("det")
        port = args[:-1] if detail else args
        if port:
            wanted = expand_ifname(" ".join(port))
            if wanted is None:
                raise CliError(self.unknown_text(s, "show cdp neighbors " + " ".join(args), 19))
            entries = [e for e in entries if e.local_port == wanted]
        if detail:
            return cdp.show_cdp_neighbors_detail(entries)
        return cdp.show_cdp_neighbors(entries)

    @command("show etherchannel summary", pipe=True)
    def show_etherchannel(self, s: Session, args: list[str]) -> str:
        return ports.show_etherchannel_summary(s.device.spec, s.device.running_text(), up_ports(s))

    @command("show hosts", pipe=True)
    def show_hosts(self, s: Session, args: list[str]) -> str:
        return r.show_hosts(s.device.running_text())

    @command("show vtp status", pipe=True)
    def show_vtp_status(self, s: Session, args: list[str]) -> str:
        return r.show_vtp_status(s.device.spec, s.device.running_text())

    @command("show processes cpu", pipe=True)
    def show_processes_cpu(self, s: Session, args: list[str]) -> str:
        return extra.show_processes_cpu(s.device.spec, s.now(), health(s.device, s.now()).cpu())

    @command("show logging", pipe=True)
    def show_logging(self, s: Session, args: list[str]) -> str:
        return extra.show_logging(s.device.spec, s.now(), health(s.device, s.now()).has("alarm"))

    @command("show privilege")
    def show_privilege(self, s: Session, args: list[str]) -> str:
        return f"Current privilege level is {15 if s.mode != 'exec' else 1}\n"

    @command("show running-config", pipe=True, running_config=True, modes=("enable",))
    def show_run(self, s: Session, args: list[str]) -> str:
        if args and args[0].lower().startswith("int"):
            name = expand_ifname(" ".join(args[1:]))
            text = r.running_config_interface(s.device.running_text(), name or "")
            if text is None:
                raise CliError(
                    self.unknown_text(
                        s,
                        "show running-config " + " ".join(args),
                        len("show running-config interface "),
                    )
                )
            return text
        if [a.lower() for a in args] == ["view", "full"]:  # role-based CLI: the whole config
            return self._running(s)
        if args and args[0] != "all":
            raise CliError(
                self.unknown_text(
                    s, "show running-config " + " ".join(args), len("show running-config ")
                )
            )
        return self._running(s)

    @command("show startup-config", pipe=True, modes=("enable",))
    def show_start(self, s: Session, args: list[str]) -> str:
        body = r.clean_config(s.device.startup_text()).strip("\n").splitlines()
        if body and body[0] == "!":
            body = body[1:]
        saved = self._saved_at(s)
        when = r.ios_time(saved if saved is not None else s.device.boot_time)
        head = ["!", f"! Last configuration change at {when}"]
        if saved is not None:
            head.append(f"! NVRAM config last updated at {when} by {s.username or 'admin'}")
        text = "\n".join([*head, "!", *body]) + "\n"
        return f"Using {len(text)} out of 524288 bytes\n{text}"

    @staticmethod
    def _saved_at(s: Session) -> datetime | None:
        if s.device.saved_text is None or not s.device.saved_path.exists():
            return None
        return datetime.fromtimestamp(s.device.saved_path.stat().st_mtime)

    def _running(self, s: Session) -> str:
        h = health(s.device, s.now())
        return r.running_config(
            s.device.running_text(), s.now(), h.changed_at(), h.saved_at(), s.username or "admin"
        )

    # -- save --------------------------------------------------------------
    @command("write memory", modes=("enable",))
    @command("write", modes=("enable",))
    def write_memory(self, s: Session, args: list[str]) -> str:
        if args and len(args) == 1 and "terminal".startswith(args[0].lower()):
            return self._running(s)  # `write terminal`: the running configuration
        if args and not (len(args) == 1 and "memory".startswith(args[0].lower())):
            line = "write " + " ".join(args)
            raise CliError(self.unknown_text(s, line, len("write ")))
        s.device.save()
        return "Building configuration...\n[OK]\n"

    @command("copy running-config startup-config", modes=("enable",))
    def copy_run_start(self, s: Session, args: list[str]) -> Reply:
        def answer(sess: Session, text: str) -> str:
            if text not in ("", "startup-config"):
                return "%Error opening " + text + " (No such file or directory)\n"
            sess.device.save()
            return "Building configuration...\n[OK]\n"

        return Reply("", question=Question("Destination filename [startup-config]? ", answer))

    # -- configuration -----------------------------------------------------
    @command("do", raw=True, modes=(IN_CONFIG,))
    def do(self, s: Session, args: list[str]) -> str | Reply:
        mode, section = s.mode, s.section
        saved_stack = list(s._stack)
        s.mode = "enable"
        try:
            match = self.match(s, args[0])
            if isinstance(match, int):
                return self.unknown_text(s, args[0], match)
            result = getattr(self, match.spec.method)(
                s, [match.rest] if match.spec.raw else match.args
            )
        finally:
            s.mode, s.section, s._stack = mode, section, saved_stack
        return result

    @command("interface", raw=True, modes=(IN_CONFIG,))
    def interface(self, s: Session, args: list[str]) -> str:
        name = expand_ifname(args[0])
        known = {p.name for p in s.device.spec.ports}
        if name is None or not (name in known or name.startswith(("Port-channel", "Vlan"))):
            raise CliError(self.unknown_text(s, "interface " + args[0], len("interface ")))
        node = self.section_for(s, f"interface {name}")
        s.leave_to("config")
        s.enter("config-if", node)
        return ""

    @command("line", raw=True, modes=("config", "config-line"))
    def line(self, s: Session, args: list[str]) -> str:
        header = "line " + " ".join(args[0].split())
        node = self.section_for(s, header)
        s.leave_to("config")
        s.enter("config-line", node)
        return ""

    def config_line(self, s: Session, line: str) -> str:
        text = line.strip()
        words = text.split()
        if (
            s.mode == "config"
            and words
            and words[0] in ("router", "vlan", "policy-map", "class-map")
        ):
            s.enter("config-sub", self.section_for(s, text))
            return ""
        if cdp.config_line(s.device.running, s.section, text):
            return ""
        if s.mode == "config-if" and s.section is not None and text.startswith("description "):
            put_description_first(s.section, text)
            return ""
        if s.section is None and words and words[0] != self.negate_word:
            return self._global_line(s, text)
        if s.section is not None:
            return super().config_line(s, line)
        top = s.device.running.root.children
        before = list(top)
        result = super().config_line(s, line)
        _close_gaps(before, top)
        return result

    def _global_line(self, s: Session, text: str) -> str:
        """A global one-line statement, next to its kin as IOS orders them (no `!` around it)."""
        tree = s.device.running
        self.drop_negations(s, tree.root, text)  # `ip http server` replaces `no ip http server`
        if text in self.hidden_defaults:
            return ""
        if tree.root.find(text) is not None:
            return ""
        key = self.line_key(text)
        if key is not None:  # `username X ... secret NEW` replaces X's line where it is
            for node in tree.root.children:
                if self.line_key(node.text) == key and not node.indent:
                    node.line = text
                    return ""
        first = text.split()[0]
        for like in (
            " ".join(text.split()[:2]) + " ",
            first + " ",
            *GLOBAL_NEIGHBOURS.get(first, ()),
        ):
            if tree.sections(like):
                tree.new_section(text, like=like, separator=None, tail=self.tail_lines)
                return ""
        tree.new_section(text, like="\0", separator=None, tail=self.tail_lines)
        return ""

    def line_key(self, text: str) -> str | None:
        for single in (
            "description ",
            "switchport access vlan ",
            "switchport mode ",
            "channel-group ",
            "ip address ",
        ):
            if text.startswith(single):
                return single
        return super().line_key(text)
