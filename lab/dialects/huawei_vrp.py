"""Huawei VRP (S-series switches, AR routers, USG firewalls, NIP IPS).

Formats follow the real outputs in ../shared/corpus/ntc-templates/huawei_vrp;
tests/lab/test_vrp_realism.py parses ours with the ntc-templates templates.
`lab.dialects.hp_comware` subclasses this class: Comware 7 shares the views
and most of the syntax.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from lab.dialects import register
from lab.dialects.base import (
    CliError,
    Dialect,
    Question,
    Reply,
    command,
    fmt_mac,
    lldp_system_description,
    plural,
    uptime_parts,
    vrp_family,
    vrp_version_line,
)

if TYPE_CHECKING:  # pragma: no cover
    from lab.configtree import Node
    from lab.session import Session

ANY_VIEW = None
CONFIG = ("system", "interface", "view")


@register
class HuaweiVrp(Dialect):
    platform = "huawei_vrp"
    login_mode = "user"
    config_modes = frozenset(CONFIG)
    paging_commands = ("screen-length 0 temporary",)
    pager_prompt = "  ---- More ----"
    pager_erase = "\x1b[16D                \x1b[16D"
    page_lines = 24
    comment_char = "#"
    negate_word = "undo"
    tail_lines = ("return",)
    interface_types = (
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
    view_words = (
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
    )

    nested_view_words: tuple[str, ...] = ("rule name ", "ipv4-family", "area ")

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
        return self.view_label(node.parent) + "-" + text.replace(" name ", "-").replace(" ", "-")

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        indent = (len(self.prompt(s)) if s is not None else 0) + pos
        return " " * indent + "^\n" + self.error_unknown + "\n"

    def _caret(self, s: Session, line_pos: int, text: str) -> CliError:
        return CliError(" " * (len(self.prompt(s)) + line_pos) + "^\n" + text + "\n")

    # -- modes -------------------------------------------------------------
    @command("system-view", modes=("user",))
    def system_view(self, s: Session, args: list[str]) -> str:
        s.enter("system")
        return self.system_view_text

    @command("quit")
    def quit(self, s: Session, args: list[str]) -> str | Reply:
        if s.mode == "user":
            return Reply("", close=True)
        s.leave()
        return ""

    @command("return", modes=CONFIG)
    def return_(self, s: Session, args: list[str]) -> str:
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
        changed = s.device.changed_at
        saved = s.device.saved_at or s.device.boot_time
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
        spec = s.device.spec
        rows = [
            ("0", "-", spec.model, "Present", "PowerOn", "Registered", "Normal", "Master"),
            ("PWR1", "-", "PAC600S12-CB", "Present", "On", "Registered", "Normal", "NA"),
            ("PWR2", "-", "PAC600S12-CB", "Present", "On", "Registered", "Normal", "NA"),
            ("FAN1", "-", "FAN-023A-B", "Present", "On", "Registered", "Normal", "NA"),
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

    # -- interfaces ----------------------------------------------------------
    def interface_names(self, s: Session) -> list[str]:
        ports = [p.name for p in s.device.spec.ports if p.kind in ("ethernet", "mgmt", "fc")]
        if not ports:
            ports = [n.text[len("interface ") :] for n in s.device.running.sections("interface ")]
        return ports

    def is_shutdown(self, s: Session, name: str) -> bool:
        node = s.device.running.section(f"interface {name}")
        return node is not None and node.find("shutdown") is not None

    def link_state(self, s: Session, name: str) -> tuple[str, str]:
        if self.is_shutdown(s, name):
            return "*down", "down"
        if name.startswith(("Vlanif", "Vlan-interface", "LoopBack", "NULL")):
            return "up", "up(s)" if name.startswith(("LoopBack", "NULL")) else "up"
        members = s.device.spec.lags.get(name)
        if members is not None:
            up = any(s.device.link_up(m) for m in members)
            return ("up", "up") if up else ("down", "down")
        if s.device.link_up(name):
            return "up", "up"
        # an access port with a description has an end device (printer, camera) behind it
        if s.device.spec.role == "access" and s.device.interface_description(name):
            return "up", "up"
        return "down", "down"

    def logical_interfaces(self, s: Session) -> list[str]:
        names = [n.text[len("interface ") :] for n in s.device.running.sections("interface ")]
        return [n for n in names if n.startswith(tuple(self.logical_types))]

    @command("display interface brief", pipe=True)
    def display_interface_brief(self, s: Session, args: list[str]) -> str:
        out = [
            "PHY: Physical",
            "*down: administratively down",
            "^down: standby",
            "(l): loopback",
            "(s): spoofing",
            "(E): E-Trunk down",
            "(b): BFD down",
            "(e): ETHOAM down",
            "(d): Dampening Suppressed",
            "InUti/OutUti: input utility/output utility",
            "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors",
        ]
        lags = s.device.spec.lags
        in_lag = {m for ms in lags.values() for m in ms}

        def row(name: str, indent: str = "") -> str:
            phy, proto = self.link_state(s, name)
            util = "0.01%" if phy == "up" else "0%"
            return f"{indent + name:<28}{phy:<6}{proto:<10}{util:>5}{util:>7}{0:>11}{0:>11}"

        for name in self.interface_names(s):
            if name not in in_lag:
                out.append(row(name))
        for lag in sorted(lags):
            out.append(row(lag))
            out.extend(row(m, "  ") for m in lags[lag])
        for name in self.logical_interfaces(s):
            if name not in lags:
                out.append(row(name))
        return "\n".join(out) + "\n"

    @command("display interface description", pipe=True)
    def display_interface_description(self, s: Session, args: list[str]) -> str:
        out = [
            "PHY: Physical",
            "*down: administratively down",
            "(l): loopback",
            "(s): spoofing",
            "(b): BFD down",
            "(e): ETHOAM down",
            "(dl): DLDP down",
            "(d): Dampening Suppressed",
            "Interface                     PHY     Protocol Description",
        ]
        names = (
            self.interface_names(s)
            + sorted(s.device.spec.lags)
            + [n for n in self.logical_interfaces(s) if n not in s.device.spec.lags]
        )
        for name in names:
            phy, proto = self.link_state(s, name)
            proto = "up" if proto.startswith("up") else proto
            desc = s.device.interface_description(name)
            out.append(f"{self.short_interface(name):<30}{phy:<8}{proto:<9}{desc}".rstrip())
        return "\n".join(out) + "\n"

    # -- LLDP ---------------------------------------------------------------
    @command("display lldp neighbor brief", pipe=True)
    def display_lldp_brief(self, s: Session, args: list[str]) -> str:
        out = ["Local Intf       Neighbor Dev             Neighbor Intf             Exptime(s)"]
        for n in s.device.neighbors():
            exp = 90 + zlib.crc32(n.local_port.encode()) % 30
            out.append(
                f"{self.short_interface(n.local_port):<17}{n.peer.name:<25}{n.peer_port:<26}{exp}"
            )
        return "\n".join(out) + "\n"

    @command("display lldp neighbor", pipe=True)
    def display_lldp(self, s: Session, args: list[str]) -> str:
        if args:
            if args[0].lower().startswith("b"):
                return self.display_lldp_brief(s, args[1:])
            if args[0].lower().startswith("int"):
                port = self.resolve_interface(s, "".join(args[1:]))
                return self._lldp_verbose(
                    s, [n for n in s.device.neighbors() if n.local_port == port]
                )
            raise self._caret(s, len("display lldp neighbor "), self.error_unknown)
        return self._lldp_verbose(s, s.device.neighbors())

    def _lldp_verbose(self, s: Session, neighbors: list) -> str:  # type: ignore[type-arg]
        out: list[str] = []
        for n in neighbors:
            peer = n.peer
            exp = 90 + zlib.crc32(n.local_port.encode()) % 30
            caps = (
                "bridge router"
                if peer.role in ("router", "core", "aggregation", "firewall")
                else "bridge"
            )
            out += [
                f"{n.local_port} has 1 neighbor(s):",
                "",
                "Neighbor index :1",
                "Chassis type   :MAC address",
                f"Chassis ID     :{fmt_mac(peer.mac)}",
                "Port ID type   :Interface name",
                f"Port ID        :{n.peer_port}",
                f"Port description    :{n.peer_port_description or n.peer_port}",
                f"System name         :{peer.name}",
                f"System description  :{lldp_system_description(peer)[0]}",
                *lldp_system_description(peer)[1:],
                f"System capabilities supported   :{caps}",
                f"System capabilities enabled     :{caps}",
                "Management address type  :ipv4",
                f"Management address value :{peer.mgmt_ip or '--'}",
                f"Expired time   :{exp}s",
                "",
                "Port VLAN ID(PVID)  :1",
                "",
                "Auto-negotiation supported    :Yes",
                "Auto-negotiation enabled      :Yes",
                "OperMau                       :speed(1000)/duplex(Full)",
                "",
                "Power port class            :PD",
                "PSE power supported         :No",
                "PSE power enabled           :No",
                "PSE pairs control ability   :No",
                "Power pairs                 :Unknown",
                "Port power classification   :Unknown",
                "",
                f"Link aggregation supported:{'Yes'}",
                f"Link aggregation enabled :{'Yes' if s.device.lag_of(n.local_port) else 'No'}",
                "Aggregation port ID :0",
                "",
                "Maximum frame Size  :9216",
                "",
            ]
        return "\n".join(out) + ("\n" if out else "")

    # -- LAG ----------------------------------------------------------------
    @command("display eth-trunk", pipe=True)
    def display_eth_trunk(self, s: Session, args: list[str]) -> str:
        lags = s.device.spec.lags
        if args:
            name = "Eth-Trunk" + "".join(args)
            lags = {k: v for k, v in lags.items() if k == name}
        if not lags:
            return "Info: No valid trunk in the system.\n"
        sysid = fmt_mac(s.device.spec.mac)
        out: list[str] = []
        for lag in sorted(lags, key=lambda x: int("".join(c for c in x if c.isdigit()) or 0)):
            members = lags[lag]
            up = [m for m in members if s.device.link_up(m)]
            lag_id = "".join(c for c in lag if c.isdigit()) or "0"
            out += [
                f"{lag}'s state information is:",
                "Local:",
                f"LAG ID: {lag_id:<18}WorkingMode: LACP",
                "Preempt Delay: Disabled     Hash arithmetic: According to SIP-XOR-DIP",
                f"System Priority: 32768      System ID: {sysid}",
                "Least Active-linknumber: 1  Max Active-linknumber: 8",
                f"Operate status: {'up' if up else 'down':<12}Number Of Up Port In Trunk: {len(up)}",
                "-" * 80,
                "ActorPortName          Status   PortType PortPri PortNo PortKey PortState Weight",
            ]
            speeds = {p.name: p.speed for p in s.device.spec.ports}
            for i, m in enumerate(members, 1):
                st = "Selected" if m in up else "Unselect"
                ptype = speeds.get(m, "1G") + "E"
                out.append(f"{m:<23}{st:<9}{ptype:<9}{32768:<8}{i:<7}{305:<8}{'10111100':<10}1")
            out += [
                "",
                "Partner:",
                "-" * 80,
                "ActorPortName          SysPri   SystemID        PortPri PortNo PortKey PortState",
            ]
            for i, m in enumerate(members, 1):
                peer = next((n for n in s.device.neighbors() if n.local_port == m), None)
                pid = fmt_mac(peer.peer.mac) if peer else "0000-0000-0000"
                out.append(f"{m:<23}{32768:<9}{pid:<16}{32768:<8}{i:<7}{305:<8}10111100")
            out.append("")
        return "\n".join(out) + "\n"

    # -- display interface ----------------------------------------------------
    @command("display interface", pipe=True)
    def display_interface(self, s: Session, args: list[str]) -> str:
        """`display interface [X]` (brief/description have their own handlers)."""
        lags = s.device.spec.lags
        if args:
            name = self.resolve_interface(s, "".join(args))
            if name is None or not (
                self.interface_exists(s, name)
                or name in lags
                or s.device.running.section(f"interface {name}")
            ):
                raise self._caret(s, len("display interface "), self.error_wrong)
            names = [name]
        else:
            names = (
                self.interface_names(s)
                + sorted(lags)
                + [n for n in self.logical_interfaces(s) if n not in lags]
            )
        return "".join(self._interface_block(s, n) for n in names)

    def ip_address(self, s: Session, name: str) -> str | None:
        node = s.device.running.section(f"interface {name}")
        if node is None:
            return None
        for child in node.children:
            parts = child.text.split()
            if parts[:2] == ["ip", "address"] and len(parts) >= 4:
                if parts[3].isdigit():
                    return f"{parts[2]}/{parts[3]}"
                bits = sum(bin(int(o)).count("1") for o in parts[3].split(".") if o.isdigit())
                return f"{parts[2]}/{bits}"
        return None

    def _interface_block(self, s: Session, name: str) -> str:
        spec = s.device.spec
        phy, proto = self.link_state(s, name)
        state = {"up": "UP", "down": "DOWN", "*down": "Administratively DOWN"}[phy]
        proto_state = "UP" if proto.startswith("up") else "DOWN"
        desc = (
            s.device.interface_description(name)
            or f"HUAWEI, {vrp_family(spec.model)} Series, {name} Interface"
        )
        now, boot = s.now(), s.device.boot_time
        mac = fmt_mac(spec.mac)
        out = [
            f"{name} current state : {state}",
            f"Line protocol current state : {proto_state}",
        ]
        if name.startswith(("Vlanif", "LoopBack")):
            ip = self.ip_address(s, name)
            out += [
                f"Last line protocol up time : {boot:%Y-%m-%d %H:%M:%S}",
                f"Description:{desc}",
                "Route Port,The Maximum Transmit Unit is 1500",
                f"Internet Address is {ip}" if ip else "Internet protocol processing : disabled",
                f"IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is {mac}",
                f"Current system time: {now:%Y-%m-%d %H:%M:%S}",
                "    Input bandwidth utilization  :    0%",
                "    Output bandwidth utilization :    0%",
                "",
            ]
            return "\n".join(out) + "\n"
        out += [
            f"Description:{desc}",
            "Switch Port, PVID :    1, TPID : 8100(Hex), The Maximum Frame Length is 9216",
            f"IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is {mac}",
        ]
        members = spec.lags.get(name)
        if members is None:
            port = next((p for p in spec.ports if p.name == name), None)
            speed = {"1G": 1000, "10G": 10000, "25G": 25000, "40G": 40000, "100G": 100000}.get(
                port.speed if port else "1G", 1000
            )
            out += [
                f"Last physical up time   : {boot:%Y-%m-%d %H:%M:%S}"
                if phy == "up"
                else "Last physical up time   : -",
                f"Last physical down time : {boot:%Y-%m-%d %H:%M:%S}",
                f"Current system time: {now:%Y-%m-%d %H:%M:%S}",
                f"Port Mode: {'COMMON COPPER' if speed == 1000 else 'COMMON FIBER'}",
                f"Speed : {speed:>4},  Loopback: NONE",
                "Duplex: FULL,  Negotiation: ENABLE",
                "Mdi   : AUTO,  Clock   : -",
            ]
        else:
            out.append(f"Current system time: {now:%Y-%m-%d %H:%M:%S}")
        out += [
            "Last 300 seconds input rate 0 bits/sec, 0 packets/sec",
            "Last 300 seconds output rate 0 bits/sec, 0 packets/sec",
            "Input peak rate 0 bits/sec,Record time: -",
            "Output peak rate 0 bits/sec,Record time: -",
            "",
            "Input:  0 packets, 0 bytes",
            "  Unicast:                  0,  Multicast:                   0",
            "  Broadcast:                0,  Jumbo:                       0",
            "  Discard:                  0,  Total Error:                 0",
            "",
            "Output:  0 packets, 0 bytes",
            "  Unicast:                  0,  Multicast:                   0",
            "  Broadcast:                0,  Jumbo:                       0",
            "  Discard:                  0,  Total Error:                 0",
            "",
            "    Input bandwidth utilization threshold : 100.00%",
            "    Output bandwidth utilization threshold: 100.00%",
            "    Input bandwidth utilization  :    0%",
            "    Output bandwidth utilization :    0%",
        ]
        if members is not None:
            up = [m for m in members if s.device.link_up(m)]
            out += ["-" * 53, "PortName                      Status      Weight", "-" * 53]
            out += [f"{m:<30}{'UP' if m in up else 'DOWN':<12}1" for m in members]
            out += [
                "-" * 53,
                f"The Number of Ports in Trunk : {len(members)}",
                f"The Number of UP Ports in Trunk : {len(up)}",
            ]
        out.append("")
        return "\n".join(out) + "\n"

    # -- VLANs, MAC and ARP tables, NTP ----------------------------------------
    def vlan_ids(self, s: Session) -> list[int]:
        ids = {1}
        for node in s.device.running.top:
            words = node.text.split()
            if words[:2] == ["vlan", "batch"] or (words[:1] == ["vlan"] and len(words) == 2):
                ids |= _vlan_list(words[2:] if words[1] == "batch" else words[1:])
        return sorted(ids)

    def port_vlans(self, s: Session, name: str) -> tuple[set[int], set[int]]:
        """(untagged, tagged) VLANs of a port from its configuration."""
        node = s.device.running.section(f"interface {name}")
        lines = [c.text for c in node.children] if node else []
        untagged, tagged = {1}, set()
        trunk = any(t in ("port link-type trunk", "port link-mode route") for t in lines)
        for t in lines:
            w = t.split()
            if w[:3] == ["port", "default", "vlan"] or w[:3] == ["port", "access", "vlan"]:
                untagged = {int(w[3])}
            elif w[:4] == ["port", "trunk", "allow-pass", "vlan"] or w[:4] == [
                "port",
                "trunk",
                "permit",
                "vlan",
            ]:
                tagged |= _vlan_list(w[4:])
            elif w[:5] == ["undo", "port", "trunk", "allow-pass", "vlan"]:
                tagged -= _vlan_list(w[5:])
                untagged -= _vlan_list(w[5:])
        if trunk:
            tagged.discard(1)
        return untagged, tagged

    @command("display vlan", pipe=True)
    def display_vlan(self, s: Session, args: list[str]) -> str:
        vlans = self.vlan_ids(s)
        lags = s.device.spec.lags
        members = {m for ms in lags.values() for m in ms}
        ports = [
            p for p in self.interface_names(s) if p not in members and not p.startswith("MEth")
        ]
        ports += sorted(lags)
        table: dict[int, tuple[list[str], list[str]]] = {v: ([], []) for v in vlans}
        for port in ports:
            ut, tg = self.port_vlans(s, port)
            state = "U" if self.link_state(s, port)[0] == "up" else "D"
            label = f"{self.short_interface(port)}({state})"
            for v in ut:
                table.setdefault(v, ([], []))[0].append(label)
            for v in tg:
                table.setdefault(v, ([], []))[1].append(label)
        out = [
            f"The total number of VLANs is: {len(table)}",
            "-" * 80,
            "U: Up;         D: Down;         TG: Tagged;         UT: Untagged;",
            "MP: Vlan-mapping;               ST: Vlan-stacking;",
            "#: ProtocolTransparent-vlan;    *: Management-vlan;",
            "-" * 80,
            "",
            "VID  Type    Ports",
            "-" * 80,
        ]
        for vid in sorted(table):
            first = True
            for kind, labels in (("UT", table[vid][0]), ("TG", table[vid][1])):
                for i in range(0, len(labels), 4):
                    chunk = "".join(f"{x:<16}" for x in labels[i : i + 4]).rstrip()
                    head = f"{vid:<5}{'common':<8}" if first else " " * 13
                    out.append(head + (f"{kind}:" if i == 0 else "   ") + chunk)
                    first = False
            if first:
                out.append(f"{vid:<5}common")
        out += ["", "VID  Status  Property      MAC-LRN Statistics Description", "-" * 80]
        for vid in sorted(table):
            out.append(
                f"{vid:<5}{'enable':<8}{'default':<14}{'enable':<8}{'disable':<11}{self.vlan_name(s, vid)}"
            )
        return "\n".join(out) + "\n"

    def vlan_name(self, s: Session, vid: int) -> str:
        node = s.device.running.section(f"vlan {vid}")
        if node is not None:
            for c in node.children:
                if c.text.startswith(("description ", "name ")):
                    return c.text.split(None, 1)[1]
        return f"VLAN {vid:04d}"

    def mgmt_vlan(self, s: Session, port: str) -> int:
        """The VLAN a neighbour's management address is reached in over `port`."""
        ut, tg = self.port_vlans(s, port)
        carried = tg | ut
        for name in self.logical_interfaces(s):
            digits = "".join(c for c in name if c.isdigit())
            is_vlan = name.startswith(("Vlanif", "Vlan-interface")) and digits
            if is_vlan and int(digits) in carried and self.ip_address(s, name):
                return int(digits)
        return min(carried or {1})

    def mac_entries(self, s: Session) -> list[tuple[str, int, str]]:
        """(peer MAC, VLAN, learned-from port) for every LLDP neighbour."""
        out = []
        for n in s.device.neighbors():
            port = s.device.lag_of(n.local_port) or n.local_port
            out.append((fmt_mac(n.peer.mac), self.mgmt_vlan(s, port), port))
        seen: set[str] = set()
        return [e for e in out if not (e[0] in seen or seen.add(e[0]))]  # type: ignore[func-returns-value]

    @command("display mac-address", pipe=True)
    def display_mac_address(self, s: Session, args: list[str]) -> str:
        entries = self.mac_entries(s)
        out = [
            "-" * 79,
            "MAC Address    VLAN/VSI/BD                       Learned-From        Type",
            "-" * 79,
        ]
        for mac, vlan, port in entries:
            out.append(f"{mac:<15}{f'{vlan}/-/-':<34}{self.short_interface(port):<20}dynamic")
        out += ["", "-" * 79, f"Total items displayed = {len(entries)}"]
        return "\n".join(out) + "\n"

    @command("display arp", pipe=True)
    def display_arp(self, s: Session, args: list[str]) -> str:
        own = []
        for name in self.logical_interfaces(s):
            ip = self.ip_address(s, name)
            if ip and not name.startswith("LoopBack"):
                own.append((ip.split("/")[0], fmt_mac(s.device.spec.mac), name))
        dynamic = []
        for n in s.device.neighbors():
            if n.peer.mgmt_ip:
                port = s.device.lag_of(n.local_port) or n.local_port
                dynamic.append((n.peer.mgmt_ip, fmt_mac(n.peer.mac), port, self.mgmt_vlan(s, port)))
        out = [
            "IP ADDRESS      MAC ADDRESS     EXPIRE(M) TYPE        INTERFACE   VPN-INSTANCE",
            "                                    VLAN/CEVLAN(SIP/DIP)",
            "-" * 78,
        ]
        for ip, mac, name in own:
            out.append(f"{ip:<16}{mac:<26}{'I -':<12}{name}")
        for ip, mac, port, vlan in dynamic:
            out.append(f"{ip:<16}{mac:<16}{17:<10}{'D-0':<12}{self.short_interface(port)}")
            out.append(" " * 44 + f"{vlan}/-")
        out += [
            "-" * 78,
            f"Total:{len(own) + len(dynamic):<10}Dynamic:{len(dynamic):<8}Static:0     Interface:{len(own)}",
        ]
        return "\n".join(out) + "\n"

    @command("display ntp status", pipe=True)
    def display_ntp_status(self, s: Session, args: list[str]) -> str:
        server = None
        for node in s.device.running.top:
            w = node.text.split()
            if w[:2] == ["ntp-service", "unicast-server"] and len(w) > 2:
                server = w[2]
                break
        now = s.now()
        jitter = (now.second * 37 + now.microsecond // 1000) % 1000  # moves between readings
        if server is None:
            return (
                " clock status: unsynchronized\n clock stratum: 16\n reference clock ID: none\n"
                " nominal frequency: 100.0000 Hz\n actual frequency: 100.0000 Hz\n clock precision: 2^17\n"
                " clock offset: 0.0000 ms\n root delay: 0.00 ms\n root dispersion: 0.00 ms\n"
                " peer dispersion: 0.00 ms\n reference time: 00:00:00.000 UTC Jan 1 1900(00000000.00000000)\n"
                " synchronization state: clock not synchronized\n"
            )
        return (
            " clock status: synchronized\n"
            " clock stratum: 3\n"
            f" reference clock ID: {server}\n"
            " nominal frequency: 100.0000 Hz\n"
            f" actual frequency: 99.99{jitter % 100:02d} Hz\n"
            " clock precision: 2^17\n"
            f" clock offset: {jitter / 1000:.4f} ms\n"
            f" root delay: {jitter / 100:.2f} ms\n"
            " root dispersion: 10.52 ms\n"
            " peer dispersion: 34.30 ms\n"
            f" reference time: {now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC {now:%b %d %Y}(E9A1B2C3.6D4E5F00)\n"
            " synchronization state: clock synchronized\n"
        )

    # -- files, startup, patches ------------------------------------------------
    def _image(self, s: Session) -> str:
        spec = s.device.spec
        return f"{vrp_family(spec.model)}-{spec.version}.cc"

    def _patch(self, s: Session) -> str:
        version = s.device.spec.version
        return (version.split("C")[0] if "C" in version else version) + "SPH005"

    @command("display startup", pipe=True)
    def display_startup(self, s: Session, args: list[str]) -> str:
        image = f"flash:/{self._image(s)}"
        patch = f"flash:/{vrp_family(s.device.spec.model)}_{self._patch(s)}.pat"
        rows = [
            ("Startup system software", image),
            ("Next startup system software", image),
            ("Backup system software for next startup", "null"),
            ("Startup saved-configuration file", "flash:/vrpcfg.zip"),
            ("Next startup saved-configuration file", "flash:/vrpcfg.zip"),
            ("Startup license file", "null"),
            ("Next startup license file", "null"),
            ("Startup patch package", patch),
            ("Next startup patch package", patch),
            ("Startup voice-files", "null"),
            ("Next startup voice-files", "null"),
        ]
        return "MainBoard: \n" + "".join(f"  {k + ':':<43}{v}\n" for k, v in rows)

    @command("display patch-information", pipe=True)
    def display_patch_information(self, s: Session, args: list[str]) -> str:
        boot = s.device.boot_time
        return (
            f"Patch Package Name    :flash:/{vrp_family(s.device.spec.model)}_{self._patch(s)}.pat\n"
            f"Patch Package Version :{self._patch(s)}\n"
            "Patch Package State   :Running\n"
            f"Patch Package Run Time:{boot:%Y-%m-%d %H:%M:%S}\n"
        )

    @command("dir", pipe=True)
    def dir(self, s: Session, args: list[str]) -> str:
        boot = s.device.boot_time
        saved = s.device.saved_at or boot
        size = len(s.device.startup_text().encode()) // 3 + 1024
        files = [
            ("drwx", "-", boot, "$_checkpoint"),
            ("-rw-", f"{187_245_312:,}", boot, self._image(s)),
            ("-rw-", f"{size:,}", saved, "vrpcfg.zip"),
            (
                "-rw-",
                f"{1_245_184:,}",
                boot,
                f"{vrp_family(s.device.spec.model)}_{self._patch(s)}.pat",
            ),
            ("drwx", "-", boot, "logfile"),
        ]
        out = [
            "Directory of flash:/",
            "",
            "  Idx  Attr     Size(Byte)  Date        Time       FileName",
        ]
        for i, (attr, sz, when, name) in enumerate(files):
            out.append(f"{i:>5}  {attr:<5}{sz:>14}  {when:%b %d %Y %H:%M:%S}   {name}")
        out += ["", "1,090,732 KB total (784,464 KB free)"]
        return "\n".join(out) + "\n"

    @command("display port vlan", pipe=True)
    def display_port_vlan(self, s: Session, args: list[str]) -> str:
        lags = s.device.spec.lags
        members = {m for ms in lags.values() for m in ms}
        ports = [
            p for p in self.interface_names(s) if p not in members and not p.startswith("MEth")
        ]
        out = ["Port                        Link Type    PVID  Trunk VLAN List", "-" * 79]
        for port in ports + sorted(lags):
            node = s.device.running.section(f"interface {port}")
            texts = (
                {
                    c.text.split(" ", 2)[0] + " " + c.text.split(" ", 2)[1]
                    for c in node.children
                    if " " in c.text
                }
                if node
                else set()
            )
            if {"ip address", "undo portswitch"} & texts:
                continue  # a routed port has no VLANs
            kind = "access"
            for c in node.children if node else []:
                if c.text.startswith("port link-type "):
                    kind = c.text.split()[2]
            ut, tg = self.port_vlans(s, port)
            pvid = min(ut) if ut and kind == "access" else 1
            vlans = " ".join(_ranges(sorted(tg))) if kind != "access" else "-"
            out.append(f"{port:<28}{kind:<13}{pvid:<6}{vlans}")
        return "\n".join(out) + "\n"

    # -- environment ------------------------------------------------------------
    def _temp(self, s: Session, salt: int) -> int:
        """A board temperature that drifts a little with the clock (volatile on purpose)."""
        now = s.now()
        return 34 + (zlib.crc32(s.device.name.encode()) + salt) % 9 + (now.minute // 20)

    @command("display temperature", pipe=True)
    def display_temperature(self, s: Session, args: list[str]) -> str:
        board = vrp_family(s.device.spec.model) + "MPU"
        out = [
            "SlotID0 :",
            " Base-Board, Unit:C, Slot0",
            "PCB       I2C Addr Chl  Status  Minor Major Fatal Adj_speed Temp",
            "                                               TMin Tmax (C)",
            "-" * 63,
        ]
        for chl in range(2):
            out.append(
                f"{board:<9} {0:<4}{72:<5}{chl:<5}{'NORMAL':<8}{68:<6}{76:<6}{83:<6}{55:<5}{65:<5}{self._temp(s, chl)}"
            )
        out += ["", "SlotID1 : No temp sensors."]
        return "\n".join(out) + "\n"

    @command("display fan", pipe=True)
    def display_fan(self, s: Session, args: list[str]) -> str:
        return (
            "Slot 0 FAN 1: Present, Registered, Normal\n"
            f"  Speed: {40 + zlib.crc32(s.device.name.encode()) % 10}%  Mode: AUTO\n"
        )

    @command("display power", pipe=True)
    def display_power(self, s: Session, args: list[str]) -> str:
        out = ["-" * 66, "Slot  PowerID  Online   Mode   State      Power(W)", "-" * 66]
        out += [f"0     PWR{i}     Present  AC     Supply     600.00" for i in (1, 2)]
        return "\n".join(out) + "\n"

    @command("display cpu-usage", pipe=True)
    def display_cpu_usage(self, s: Session, args: list[str]) -> str:
        now = s.now()
        load = 5 + (now.second + zlib.crc32(s.device.name.encode())) % 12
        return (
            f"CPU Usage Stat. Cycle: 60 (Second)\nCPU Usage            : {load}% Max: {load + 30}%\n"
            f"CPU Usage Stat. Time : {now:%Y-%m-%d  %H:%M:%S}\nCPU utilization for five seconds: {load}%: "
            f"one minute: {load}%: five minutes: {load - 1}%\n"
        )

    @command("display memory-usage", pipe=True)
    def display_memory_usage(self, s: Session, args: list[str]) -> str:
        used = 180_000 + zlib.crc32(s.device.name.encode()) % 40_000 + s.now().minute * 37
        total = 2_097_152
        return (
            f"  Memory utilization statistics at {s.now():%Y-%m-%d %H:%M:%S}+08:00\n"
            f"  System Total Memory Is: {total * 1024} bytes\n"
            f"  Total Memory Used Is: {used * 1024} bytes\n"
            f"  Memory Using Percentage Is: {used * 100 // total}%\n"
        )


def _vlan_list(words: list[str]) -> set[int]:
    """`10 20 to 25 30` -> {10, 20, 21, ..., 25, 30}."""
    out: set[int] = set()
    prev = None
    i = 0
    while i < len(words):
        w = words[i]
        if w == "to" and prev is not None and i + 1 < len(words) and words[i + 1].isdigit():
            out |= set(range(prev, int(words[i + 1]) + 1))
            i += 2
            continue
        if w.isdigit():
            prev = int(w)
            out.add(prev)
        i += 1
    return out


def _ranges(ids: list[int]) -> list[str]:
    """[1, 2, 3, 7] -> ['1-3', '7']."""
    out: list[str] = []
    for v in ids:
        if out and "-" not in out[-1] and int(out[-1]) == v - 1:
            out[-1] = f"{out[-1]}-{v}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == v - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{v}"
        else:
            out.append(str(v))
    return out
