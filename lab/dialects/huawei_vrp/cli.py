"""Huawei VRP (S-series switches, AR routers, USG firewalls, NIP IPS).

Formats follow the real outputs in networktocode/ntc-templates tests/huawei_vrp;
tests/lab/test_vrp_realism.py parses ours with the ntc-templates templates.
`netsteward.lab.dialects.hp_comware.cli` subclasses this class: Comware 7 shares the views
and most of the syntax.  The interface, LLDP, LAG and VLAN displays are in
`netsteward.lab.dialects.huawei_vrp.ports`, the status displays (NTP, files, environment)
in `netsteward.lab.dialects.huawei_vrp.status`: base classes, so their commands come after
this module's in the command table, as they were declared before the split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects import register
from netsteward.lab.dialects.base import (
    CliError,
    Question,
    Reply,
    command,
    plural,
    uptime_parts,
    vrp_family,
    vrp_version_line,
)
from netsteward.lab.dialects.huawei_vrp.extra import VrpExtra
from netsteward.lab.dialects.huawei_vrp.inventory import VrpInventory
from netsteward.lab.dialects.huawei_vrp.ports import VrpPorts
from netsteward.lab.dialects.huawei_vrp.wlan import VrpWlan
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.configtree import Node
    from netsteward.lab.engine.session import Session

ANY_VIEW = None
CONFIG = ("system", "interface", "view")


@register
class HuaweiVrp(VrpPorts, VrpExtra, VrpWlan, VrpInventory):
    platform = "huawei_vrp"
    login_mode = "user"
    config_modes = frozenset(CONFIG)
    paging_commands = ("screen-length 0 temporary",)
    pager_prompt = "  ---- More ----"
    pager_erase = "\x1b[16D                \x1b[16D"
    page_lines = 24
    comment_char = "#"
    negate_word = "undo"
    keyed_lines: tuple[str, ...] = (
        r"local-user \S+ password ",
        r"(radius|hwtacacs)-server shared-key ",
        r"ntp-service authentication-keyid \d+ ",
        r"snmp-agent usm-user v3 \S+ (authentication|privacy)-mode ",
        r"set authentication password ",
    )
    single_separators = True
    tail_lines = ("return",)
    interface_types: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("GigabitEthernet", "GE", ("gi", "gig", "ge")),
        ("XGigabitEthernet", "XGE", ("xg", "xge")),
        ("25GE", "25GE", ()),
        ("40GE", "40GE", ()),
        ("100GE", "100GE", ()),
        ("MultiGE", "MultiGE", ()),
        ("Eth-Trunk", "Eth-Trunk", ("eth-trunk", "eth", "trunk")),
        ("Vlanif", "Vlanif", ("vlanif", "vlan")),
        ("LoopBack", "LoopBack", ("lo", "loop")),
        ("MEth", "MEth", ("meth",)),
        ("NULL", "NULL", ()),
        ("Tunnel", "Tunnel", ()),
        ("Ethernet", "Ethernet", ()),
    )
    logical_types = frozenset({"Eth-Trunk", "Vlanif", "LoopBack", "Tunnel", "NULL"})
    # views entered by a system-view line (their lines are indented under them)
    view_words: tuple[str, ...] = (
        "aaa",
        "acl",
        "ospf",
        "bgp",
        "isis",
        "rip",
        "vlan",
        "user-interface",
        "ip vpn-instance",
        "stp region-configuration",
        "security-policy",
        "nat-policy",
        "firewall zone",
        "radius-server template",
        "hwtacacs-server template",
        "wlan",
    )

    # on by default, printed as `undo ...` when turned off (docs/baseline.md)
    shown_negations: tuple[str, ...] = ("lldp enable", "local-aaa-user wrong-password")
    hidden_in_sections: tuple[str, ...] = ("lldp enable",)

    nested_view_words: tuple[str, ...] = (
        "rule name ",
        "ipv4-family",
        "area ",
        # wlan view (netsteward.lab.dialects.huawei_vrp.wlan)
        "ap-id ",
        "ap-group name ",
        "service-set name ",
        "traffic-profile name ",
        "security-profile name ",
    )

    current_configuration_all = True  # `display current-configuration all`

    # -- texts -------------------------------------------------------------
    system_view_text = "Enter system view, return user view with Ctrl+Z.\n"
    error_unknown = "Error: Unrecognized command found at '^' position."
    error_incomplete = "Error:Incomplete command found at '^' position."
    error_wrong = "Error: Wrong parameter found at '^' position."

    def login_banner(self, s: Session) -> str:
        now = s.now()
        last = s.device.boot_time
        return (
            "\nInfo: The max number of VTY users is 10, and the number\n"
            "      of current VTY users on line is 1.\n"
            f"      The current login time is {now:%Y-%m-%d %H:%M:%S}+08:00.\n"
            f"      The last login time is {last:%Y-%m-%d %H:%M:%S}+08:00 from 192.0.2.250 through SSH.\n"
        )

    def login_question(self, s: Session) -> Question | None:
        if not s.device.spec.change_password_prompt:
            return None
        return Question(
            "Warning: The initial password poses security risks.\n"
            "The password needs to be changed. Change now? [Y/N]: ",
            self._password_answer,
        )

    def _password_answer(self, s: Session, answer: str) -> str:
        if answer.lower().startswith("y"):
            return "Info: The password of this lab user cannot be changed here.\n"
        return ""

    def prompt(self, s: Session) -> str:
        name = s.device.hostname
        if s.mode == "user":
            return f"<{name}>"
        if s.mode == "system":
            return f"[{name}]"
        return f"[{name}-{self.view_label(s.section)}]"

    def view_label(self, node: Node | None) -> str:
        """What the prompt shows for a view: `GigabitEthernet0/0/1`, `aaa`, `policy-security-rule-X`."""
        if node is None:
            return ""
        text = node.text
        if text.startswith("interface "):
            return text[len("interface ") :]
        if node.parent is None or node.parent.parent is None:
            return self._view_for(text) or text.replace(" ", "-")
        if node.parent.text == "wlan":
            return self.wlan_label(node)
        return self.view_label(node.parent) + "-" + text.replace(" name ", "-").replace(" ", "-")

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        indent = (len(self.prompt(s)) if s is not None else 0) + pos
        return " " * indent + "^\n" + self.error_unknown + "\n"

    # -- modes -------------------------------------------------------------
    @command("system-view", modes=("user",))
    def system_view(self, s: Session, args: list[str]) -> str:
        s.enter("system")
        return self.system_view_text

    @command("quit")
    def quit(self, s: Session, args: list[str]) -> str | Reply:
        if s.mode == "user":
            return Reply("", close=True)
        self.drop_empty_wlan(s)
        s.leave()
        return ""

    @command("return", modes=CONFIG)
    def return_(self, s: Session, args: list[str]) -> str:
        self.drop_empty_wlan(s)
        s.reset()
        return ""

    @command("interface", modes=CONFIG)
    def interface(self, s: Session, args: list[str]) -> str:
        if not args:
            raise CliError(self.error_incomplete_text(s, "interface"))
        name = self.resolve_interface(s, "".join(args))
        if name is None:
            raise CliError(self.unknown_text(s, "", len("interface ")))
        kind = next((full for full, _, _ in self.interface_types if name.startswith(full)), "")
        if kind not in self.logical_types and not self.interface_exists(s, name):
            raise self._caret(s, len("interface "), self.error_wrong)
        node = self.section_for(s, f"interface {name}")
        while s.mode != "system":
            s.leave()
        s.enter("interface", node)
        return ""

    def error_incomplete_text(self, s: Session, line: str) -> str:
        return " " * (len(self.prompt(s)) + len(line) + 1) + "^\n" + self.error_incomplete + "\n"

    def config_line(self, s: Session, line: str) -> str:
        text = line.strip()
        text = self.wlan_line(s, text)
        if s.mode == "system" and not text.startswith(self.negate_word + " "):
            view = self._view_for(text)
            if view is not None:
                node = s.device.running.section(text) or self.section_for(s, text)
                s.enter("view", node)
                return ""
        if (
            s.mode == "view"
            and s.section is not None
            and not text.startswith(self.negate_word + " ")
        ):
            # nested views: `rule name X` under security-policy, `ipv4-family` under bgp...
            child = s.section.find(text)
            if (child is not None and child.children) or text.startswith(self.nested_view_words):
                node = child or s.section.add(text)
                s.enter("view", node)
                return ""
        return super().config_line(s, line)

    def _view_for(self, text: str) -> str | None:
        if text.startswith("vlan batch"):
            return None
        for word in self.view_words:
            if text == word or text.startswith(word + " "):
                rest = text[len(word) :].strip().replace(" ", "")
                return self.view_name(word, rest)
        return None

    def view_name(self, word: str, rest: str) -> str:
        short = {
            "user-interface": "ui-",
            "acl": "acl-",
            "ip vpn-instance": "vpn-instance-",
            "radius-server template": "radius-",
            "hwtacacs-server template": "hwtacacs-",
            "security-policy": "policy-security",
            "firewall zone": "zone-",
            "wlan": "wlan-view",
        }
        prefix = short.get(word, word)
        return prefix + ("" if word in ("security-policy",) else rest)

    # -- paging, save, misc ------------------------------------------------
    @command("screen-length", modes=("user",), min_len=(3,))
    def screen_length(self, s: Session, args: list[str]) -> str:
        if args[:2] == ["0", "temporary"] or args[:1] == ["0"]:
            s.set_paging(False)
            return "Info: The configuration takes effect on the current user terminal interface only.\n"
        if len(args) >= 2 and args[0].isdigit() and args[1] == "temporary":
            s.set_paging(True)
            return "Info: The configuration takes effect on the current user terminal interface only.\n"
        raise self._caret(s, len("screen-length "), self.error_wrong)

    @command("undo screen-length", modes=("user",))
    def undo_screen_length(self, s: Session, args: list[str]) -> str:
        s.set_paging(True)
        return "Info: The configuration takes effect on the current user terminal interface only.\n"

    @command("save", modes=("user", "system"))
    def save(self, s: Session, args: list[str]) -> Reply:
        return Reply(
            "Warning: The current configuration will be written to the device.\n",
            question=Question("Are you sure to continue?[Y/N]:", self._save_answer),
        )

    def _save_answer(self, s: Session, answer: str) -> str:
        if not answer.lower().startswith("y"):
            return "Info: The configuration was not saved.\n"
        s.device.save()
        return (
            " It will take several minutes to save configuration file, please wait.....\n"
            " Configuration file had been saved successfully\n"
            " Note: The configuration file will take effect after being activated\n"
        )

    # -- configuration displays ---------------------------------------------
    def running_header(self, s: Session) -> list[str]:
        h = health(s.device, s.now())
        changed, saved = h.changed_at(), h.saved_at()
        return [
            f"!Last configuration was updated at {changed:%Y-%m-%d %H:%M:%S}+08:00 by {s.username or 'SYSTEM'}",
            f"!Last configuration was saved at {saved:%Y-%m-%d %H:%M:%S}+08:00",
        ]

    def running_display(self, s: Session) -> str:
        text = s.device.running_text()
        lines = text.split("\n")
        # drop any stored volatile header, keep `!Software Version`, add the live ones after it
        keep = [ln for ln in lines if not ln.startswith("!Last configuration")]
        at = 1 if keep and keep[0].startswith("!Software Version") else 0
        keep[at:at] = self.running_header(s)
        return "\n".join(keep)

    @command("display current-configuration", pipe=True, running_config=True)
    def display_current(self, s: Session, args: list[str]) -> str:
        if not args:
            return self.running_display(s)
        if args == ["all"] and self.current_configuration_all:
            # with the default settings: the lab's configurations hold no lines at their
            # defaults that the device would print here, so the same text (oxidized sends it)
            return self.running_display(s)
        if args[0].lower().startswith("int"):
            return self._display_interfaces_config(s, args[1:])
        raise self._caret(s, len("display current-configuration "), self.error_unknown)

    def _display_interfaces_config(self, s: Session, rest: list[str]) -> str:
        tree = s.device.running
        if rest:
            name = self.resolve_interface(s, "".join(rest))
            node = tree.section(f"interface {name}") if name else None
            if node is None:
                raise self._caret(
                    s, len("display current-configuration interface "), self.error_wrong
                )
            nodes = [node]
        else:
            nodes = tree.sections("interface ")
        out = ["#"]
        for node in nodes:
            out.extend(node.render_lines())
            out.append("#")
        out.append(self.tail_lines[0])
        return "\n".join(out) + "\n"

    @command("display this", modes=CONFIG, pipe=True)
    def display_this(self, s: Session, args: list[str]) -> str:
        node: Node | None = s.section
        out = ["#"]
        if node is None:
            return self.running_display(s)
        out.extend(node.render_lines())
        out += ["#", self.tail_lines[0]]
        return "\n".join(out) + "\n"

    @command("display saved-configuration", pipe=True)
    def display_saved(self, s: Session, args: list[str]) -> str:
        return s.device.startup_text()

    # -- device information ------------------------------------------------
    def uptime(self, s: Session) -> str:
        w, d, h, m = uptime_parts(s.device.boot_time, s.now())
        return ", ".join(
            [plural(w, "week"), plural(d, "day"), plural(h, "hour"), plural(m, "minute")]
        )

    @command("display version", pipe=True)
    def display_version(self, s: Session, args: list[str]) -> str:
        spec = s.device.spec
        model = spec.model
        kind = {"AR": "Router", "S1": "Terabit Routing Switch", "S5": "Routing Switch"}.get(
            model[:2], ""
        )
        head = f"HUAWEI {model}{' ' + kind if kind else ''}"
        up = self.uptime(s)
        return (
            "Huawei Versatile Routing Platform Software\n"
            f"{vrp_version_line(spec)}\n"
            "Copyright (C) 2000-2022 HUAWEI TECH CO., LTD\n"
            f"{head} uptime is {up}\n"
            "\n"
            f"MPU 0(Master) : uptime is {up}\n"
            "SDRAM Memory Size    : 2048    M bytes\n"
            "Flash 0 Memory Size  : 1024    M bytes\n"
            "MPU version information :\n"
            f"1. PCB      Version  : {vrp_family(model)}-MPU VER.B\n"
            "2. MAB      Version  : 0\n"
            f"3. Board    Type     : {model}\n"
            "4. BootROM  Version  : 020a.0001\n"
        )

    @command("display esn", pipe=True)
    def display_esn(self, s: Session, args: list[str]) -> str:
        return f"ESN of slot 0: {s.device.spec.serial}\n"

    @command("display clock", pipe=True)
    def display_clock(self, s: Session, args: list[str]) -> str:
        now = s.now()
        return (
            f"{now:%Y-%m-%d %H:%M:%S}+08:00\n{now:%A}\nTime Zone(China-Standard-Time) : UTC+08:00\n"
        )

    @command("display device", pipe=True)
    def display_device(self, s: Session, args: list[str]) -> str:
        if args:  # `display device bogus`: not the chassis table
            raise self._caret(s, len("display device "), self.error_unknown)
        spec = s.device.spec
        rows = [
            ("0", "-", spec.model, "Present", "PowerOn", "Registered", "Normal", "Master"),
            *self.device_rows(s),
        ]
        out = [
            f"{vrp_family(spec.model)}'s Device status:",
            "-" * 91,
            "Slot  Card   Type                     Online   Power Register     Alarm     Primary        ",
            "-" * 91,
        ]
        for r in rows:
            out.append(
                f"{r[0]:<6}{r[1]:<7}{r[2]:<25}{r[3]:<9}{r[4]:<8}{r[5]:<13}{r[6]:<10}{r[7]:<15}"
            )
        out.append("-" * 91)
        return "\n".join(out) + "\n"
