"""Cisco ASA 9.x (ASA 5516-X firewalls)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from netsteward.lab.dialects import bgp_common, register
from netsteward.lab.dialects.base import CliError, Dialect, SessionEnd, command
from netsteward.lab.dialects.cisco_asa import config as cfg
from netsteward.lab.dialects.cisco_asa import extra as rx
from netsteward.lab.dialects.cisco_asa import extra2 as rx2
from netsteward.lab.dialects.cisco_asa import render as r
from netsteward.lab.dialects.cisco_asa import routing as rr
from netsteward.lab.dialects.cisco_asa import vpn
from netsteward.lab.dialects.cisco_asa import vpn_config as rv
from netsteward.lab.dialects.cisco_asa import vpn_show as vs
from netsteward.lab.dialects.cisco_asa.backup import AsaBackup
from netsteward.lab.dialects.cisco_asa.health import AsaHealth
from netsteward.lab.dialects.common import CiscoModes, put_description_first, up_ports
from netsteward.lab.dialects.render_common import boot_time
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

SUBMODES = {
    ("object", "network"): "config-network-object",
    ("object", "service"): "config-service-object",
    ("object-group", "network"): "config-network-object-group",
    ("object-group", "service"): "config-service-object-group",
    ("object-group", "protocol"): "config-protocol-object-group",
}
CONFIG_MODES = frozenset({"config", "config-if", *SUBMODES.values(), *cfg.SUBMODES})


def _filter_command(words: str, prefix: str) -> Callable[..., str]:
    """A `show running-config WORDS [MORE]` handler: the lines starting with PREFIX [MORE]."""

    def handler(self: Dialect, s: Session, args: list[str]) -> str:
        return rv.run_filter(s.device.running_text(), (" ".join([prefix, *args]) + " ",))

    handler.__name__ = "show_run_" + words.replace("-", "_")
    return command(f"show running-config {words}", pipe=True, modes=("enable", *CONFIG_MODES))(
        handler
    )


@register
class CiscoAsa(AsaHealth, CiscoModes, AsaBackup):
    platform = "cisco_asa"
    config_modes = CONFIG_MODES
    paging_commands = ("terminal pager 0",)
    pager_prompt = "<--- More --->"
    pager_erase = "\r" + " " * 14 + "\r"
    comment_char = None  # objects and ACL lines follow each other without "!" lines
    tail_lines = ()
    keyed_lines = (r"username \S+ password ", r"enable password ")
    prompt_start = "\r"
    prompt_end = " "
    enable_retry_text = "Invalid password\n"
    enable_denied_text = "Access denied.\n"
    session_end = SessionEnd(farewell="\nLogoff\n\n")
    error_prefix = "ERROR: "
    readonly_commands = CiscoModes.readonly_commands | {"ping"}

    def login_banner(self, s: Session) -> str:
        return "Type help or '?' for a list of available commands.\n"

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        if s is not None and line.strip() and pos >= len(line.rstrip()):
            return "ERROR: % Incomplete command\n"
        prompt_len = len(self.prompt(s).lstrip("\r")) if s is not None else 0
        return " " * (prompt_len + pos) + "^\nERROR: % Invalid input detected at '^' marker.\n"

    # -- session -----------------------------------------------------------
    # exec modes only: in configuration mode a `no ...` line is a configuration line
    # (`no access-list ...`), not a partly typed `no terminal pager`
    @command("no terminal pager", modes=("exec", "enable"))
    def no_terminal_pager(self, s: Session, args: list[str]) -> str:
        s.set_paging(False)  # what Ansible's cisco.asa terminal plugin sends
        return ""

    @command("terminal pager", raw=True)
    def terminal_pager(self, s: Session, args: list[str]) -> str:
        value = args[0].strip().removeprefix("lines").strip()
        s.set_paging(value != "0")
        return ""

    @command("terminal width", raw=True, modes=tuple(CONFIG_MODES))
    def terminal_width(self, s: Session, args: list[str]) -> str:
        return ""

    @command("show curpriv")
    def show_curpriv(self, s: Session, args: list[str]) -> str:
        level = 1 if s.mode == "exec" else 15
        mode = "P_UNPR" if s.mode == "exec" else ("P_PRIV" if s.mode == "enable" else "P_CONF")
        return f"Username : enable_{level}\nCurrent privilege level : {level}\nCurrent Mode/s : {mode}\n"

    # -- show ----------------------------------------------------------------
    def _written(self, s: Session) -> datetime:
        if s.device.saved_text is not None and s.device.saved_path.exists():
            return datetime.fromtimestamp(s.device.saved_path.stat().st_mtime)
        return s.device.boot_time

    @command("show version", pipe=True)
    def show_version(self, s: Session, args: list[str]) -> str:
        return r.show_version(s.device.spec, s.now(), s.device.changed_at, "enable_15")

    @command("show access-list", pipe=True)
    def show_access_list(self, s: Session, args: list[str]) -> str:
        text = r.show_access_list(s.device.running_text())
        if args:
            keep = [
                ln for ln in text.splitlines() if ln.split()[1:2] in ([args[0]], [args[0] + ";"])
            ]
            if not keep:
                raise CliError(f"ERROR: access-list <{args[0]}> does not exist\n")
            return "\n".join(text.splitlines()[:2] + keep) + "\n"
        return text

    @command("show inventory", pipe=True)
    def show_inventory(self, s: Session, args: list[str]) -> str:
        if args and not args[0].isdigit():  # `show inventory [mod_id]`; no `raw` on the ASA
            line = "show inventory " + " ".join(args)
            raise CliError(self.unknown_text(s, line, len("show inventory ")))
        return r.show_inventory(s.device.spec)

    @command("show interface ip brief", pipe=True)
    def show_interface_ip_brief(self, s: Session, args: list[str]) -> str:
        return r.show_interface_ip_brief(s.device.spec, s.device.running_text(), up_ports(s))

    @command("show route", pipe=True)
    def show_route(self, s: Session, args: list[str]) -> str:
        return rx.show_route(s.device.spec, s.device.running_text())

    @command("show arp", pipe=True)
    def show_arp(self, s: Session, args: list[str]) -> str:
        return rx.show_arp(s.device.spec, s.device.running_text(), up_ports(s))

    @command("show nat", pipe=True)
    def show_nat(self, s: Session, args: list[str]) -> str:
        return rx.show_nat(s.device.spec, s.device.running_text())

    @command("show failover", pipe=True)
    def show_failover(self, s: Session, args: list[str]) -> str:
        spec, now = s.device.spec, s.now()
        peer = s.device.lab.specs.get(str(spec.extra.get("ha_peer", "")))
        return rx.show_failover(
            spec,
            s.device.running_text(),
            r._version(spec),
            boot_time(spec, now),
            now,
            peer.serial if peer is not None else "",
        )

    @command("show object-group network", pipe=True)
    def show_object_group_network(self, s: Session, args: list[str]) -> str:
        return rx.show_object_group_network(s.device.running_text())

    @command("show logging", pipe=True)
    def show_logging(self, s: Session, args: list[str]) -> str:
        return rx.show_logging(s.device.spec, s.device.running_text(), s.now())

    @command("show interface detail", pipe=True)
    def show_interface_detail(self, s: Session, args: list[str]) -> str:
        return rx2.show_interface_detail(s.device.spec, s.device.running_text(), up_ports(s))

    @command("show module", pipe=True)
    def show_module(self, s: Session, args: list[str]) -> str:
        if args and args[0].lower() not in ("all", "sfr", "0", "1", "details"):
            line = "show module " + " ".join(args)  # no `show module switch` on the ASA
            raise CliError(self.unknown_text(s, line, len("show module ")))
        return rx2.show_module(s.device.spec, r._version(s.device.spec))

    @command("dir", pipe=True)
    def dir_disk(self, s: Session, args: list[str]) -> str:
        self.check_file_system(s, args)
        spec = s.device.spec
        return rx2.dir_disk0(spec, r._image(spec), boot_time(spec, s.now()))

    @command("show xlate", pipe=True)
    def show_xlate(self, s: Session, args: list[str]) -> str:
        return rx2.show_xlate(s.device.spec, s.device.running_text())

    @command("show access-list brief", pipe=True)
    def show_access_list_brief(self, s: Session, args: list[str]) -> str:
        return rx2.show_access_list_brief(s.device.spec, s.device.running_text())

    @command("show cpu usage detailed", pipe=True)
    def show_cpu_usage_detailed(self, s: Session, args: list[str]) -> str:
        return rx2.show_cpu_usage_detailed(s.device.spec)

    @command("show resource usage", pipe=True)
    def show_resource_usage(self, s: Session, args: list[str]) -> str:
        return rx2.show_resource_usage(s.device.spec, s.device.running_text())

    @command("show license all", pipe=True)
    def show_license_all(self, s: Session, args: list[str]) -> str:
        return rx2.show_license_all(s.device.spec, s.now())

    @command("show asp drop", pipe=True)
    def show_asp_drop(self, s: Session, args: list[str]) -> str:
        return rx2.show_asp_drop(s.device.spec)

    @command("show name", pipe=True)
    def show_name(self, s: Session, args: list[str]) -> str:
        return rr.show_name(s.device.running_text())

    @command("show port-channel summary", pipe=True)
    def show_port_channel_summary(self, s: Session, args: list[str]) -> str:
        return rr.show_port_channel_summary(s.device.running_text(), up_ports(s))

    def _cabled(self, s: Session) -> list[rr.Cabled]:
        """The device's plugged-in cables with the far end's configuration (for the
        OSPF displays; BGP reads `netsteward.lab.dialects.bgp_common.far_ends`)."""
        lab, out = s.device.lab, []
        for cable in lab.cables:
            for here, port, there, there_port in (
                (cable.a, cable.a_port, cable.b, cable.b_port),
                (cable.b, cable.b_port, cable.a, cable.a_port),
            ):
                if here == s.device.name:
                    peer = lab.device(there)
                    out.append(
                        rr.Cabled(
                            port,
                            there,
                            there_port,
                            peer.running_text(),
                            lab.link_up(here, port),
                        )
                    )
        return out

    def _vpn(self, s: Session) -> tuple[list[vpn.L2lTunnel], list[vpn.AnyConnectSession]]:
        """The tunnels and AnyConnect sessions that are up (rules: `netsteward.lab.dialects.cisco_asa.vpn`)."""
        text, spec, now = s.device.running_text(), s.device.spec, s.now()
        booted = boot_time(spec, now)
        tunnels = vpn.l2l_tunnels(text, spec.name, booted, now)
        return tunnels, vpn.anyconnect_sessions(text, spec.name, booted, now, len(tunnels) + 1)

    @command("show crypto ipsec sa", pipe=True)
    def show_crypto_ipsec_sa(self, s: Session, args: list[str]) -> str:
        return vs.show_crypto_ipsec_sa(self._vpn(s)[0])

    @command("show crypto ikev1 sa", pipe=True)
    def show_crypto_ikev1_sa(self, s: Session, args: list[str]) -> str:
        if args and not "detail".startswith(args[0].lower()):
            raise CliError(self.unknown_text(s, "show crypto ikev1 sa " + " ".join(args), 21))
        return vs.show_crypto_ikev1_sa(self._vpn(s)[0], detail=bool(args))

    @command("show vpn-sessiondb", pipe=True)
    def show_vpn_sessiondb(self, s: Session, args: list[str]) -> str:
        if args:
            raise CliError(self.unknown_text(s, "show vpn-sessiondb " + " ".join(args), 19))
        tunnels, sessions = self._vpn(s)
        spec, now = s.device.spec, s.now()
        return vs.show_vpn_sessiondb(
            tunnels, sessions, vs.vpn_capacity(spec.model), boot_time(spec, now), now, spec.name
        )

    @command("show vpn-sessiondb anyconnect", pipe=True)
    def show_vpn_sessiondb_anyconnect(self, s: Session, args: list[str]) -> str:
        return vs.show_vpn_sessiondb_anyconnect(self._vpn(s)[1], s.now())

    @command("show vpn-sessiondb detail l2l", pipe=True)
    def show_vpn_sessiondb_detail_l2l(self, s: Session, args: list[str]) -> str:
        return vs.show_vpn_sessiondb_detail_l2l(self._vpn(s)[0], s.now())

    @command("show asp table vpn-context detail", pipe=True)
    def show_asp_table_vpn_context_detail(self, s: Session, args: list[str]) -> str:
        return vs.show_asp_table_vpn_context_detail(self._vpn(s)[0], s.device.name)

    @command("show bgp summary", pipe=True)
    def show_bgp_summary(self, s: Session, args: list[str]) -> str:
        now = s.now()
        far_ends = bgp_common.far_ends(s.device, lambda d: boot_time(d.spec, now))
        return rr.show_bgp_summary(
            s.device.running_text(), far_ends, boot_time(s.device.spec, now), now, s.device.name
        )

    @command("show ospf neighbor", pipe=True)
    def show_ospf_neighbor(self, s: Session, args: list[str]) -> str:
        return rr.show_ospf_neighbor(s.device.running_text(), self._cabled(s), s.now())

    @command("show ospf interface brief", pipe=True)
    def show_ospf_interface_brief(self, s: Session, args: list[str]) -> str:
        speeds = {p.name: rr.speed_mbps(p.speed) for p in s.device.spec.ports}
        return rr.show_ospf_interface_brief(s.device.running_text(), self._cabled(s), speeds)

    # show running-config crypto [map|ikev1|...], ipsec, tunnel-group [NAME], ...: keys masked
    show_run_crypto = _filter_command("crypto", "crypto")
    show_run_ipsec = _filter_command("ipsec", "crypto ipsec")
    show_run_tunnel_group = _filter_command("tunnel-group", "tunnel-group")
    show_run_group_policy = _filter_command("group-policy", "group-policy")
    show_run_router = _filter_command("router", "router")
    show_run_webvpn = _filter_command("webvpn", "webvpn")
    show_run_username = _filter_command("username", "username")

    @command("show running-config all crypto", pipe=True, modes=("enable", *CONFIG_MODES))
    def show_run_all_crypto(self, s: Session, args: list[str]) -> str:
        if [a.lower() for a in args] == ["map"]:
            return rv.crypto_map_all(s.device.running_text())
        return rv.run_filter(s.device.running_text(), (" ".join(["crypto", *args]) + " ",))

    @command("show interface", pipe=True)
    def show_interface(self, s: Session, args: list[str]) -> str:
        spec, only = s.device.spec, "".join(args)
        if only and only.lower() not in {p.name.lower() for p in spec.ports}:
            raise CliError(self.unknown_text(s, "show interface " + only, len("show interface ")))
        h = health(s.device, s.now())
        counted = set(h.error_ports)
        return rx2.show_interface_detail(
            spec,
            s.device.running_text(),
            up_ports(s),
            detail=False,
            only=only,
            errors=lambda port: h.errors(port) if port in counted else (0, 0),
        )

    @command("ping")
    def ping(self, s: Session, args: list[str]) -> str:
        target = args[-1] if args else ""
        try:
            ipaddress.IPv4Address(target)
        except ValueError:
            raise CliError(f"ERROR: % Invalid destination address {target!r}\n") from None
        return rx2.ping(target, rx.answers_ping(s.device.running_text(), target))

    @command("show running-config", pipe=True, running_config=True, modes=("enable", *CONFIG_MODES))
    def show_run(self, s: Session, args: list[str]) -> str:
        text = s.device.running_text()
        if not args or args == ["all"]:
            return rv.mask_secrets(
                r.running_config(s.device.spec, text, self._written(s), "enable_15")
            )
        words = [a.lower() for a in args]
        prefixes: tuple[str, ...]
        if words[0] in ("object", "object-group"):
            prefixes = (" ".join(words[:2]) + " ",) if len(words) > 1 else (words[0] + " ",)
        elif words == ["names"]:
            prefixes = ("names", "name ")
        elif words[0] in ("access-group", "access-list", "interface", "hostname", "route"):
            prefixes = (
                (" ".join(args) + " ", " ".join(args)) if len(args) > 1 else (words[0] + " ",)
            )
        else:
            raise CliError(
                self.unknown_text(
                    s, "show running-config " + " ".join(args), len("show running-config ")
                )
            )
        return r.running_config_filter(text, prefixes)

    @command("more system:running-config", pipe=True, running_config=True, modes=("enable",))
    def more_system_running(self, s: Session, args: list[str]) -> str:
        return r.running_config(
            s.device.spec, s.device.running_text(), self._written(s), "enable_15"
        )

    @command("show startup-config", pipe=True, modes=("enable",))
    def show_startup(self, s: Session, args: list[str]) -> str:
        d = s.device
        text = health(d, s.now()).saved_config(d.startup_text(), d.running_text())
        return rv.mask_secrets(r.running_config(d.spec, text, self._written(s), "enable_15"))

    @command("show mode")
    def show_mode(self, s: Session, args: list[str]) -> str:
        return "Security context mode: single \n"

    # -- save -----------------------------------------------------------------
    @command("write memory", modes=("enable", *CONFIG_MODES))
    @command("write", modes=("enable", *CONFIG_MODES))
    def write_memory(self, s: Session, args: list[str]) -> str:
        if args and len(args) == 1 and "terminal".startswith(args[0].lower()):
            return self.show_run(s, [])  # `write terminal`: the running configuration
        if args and not (len(args) == 1 and "memory".startswith(args[0].lower())):
            line = "write " + " ".join(args)
            raise CliError(self.unknown_text(s, line, len("write ")))
        s.device.save()
        text = r.running_config(
            s.device.spec, s.device.running_text(), self._written(s), "enable_15"
        )
        checksum = text.split("Cryptochecksum:")[1][:32]
        spaced = " ".join(checksum[i : i + 8] for i in range(0, 32, 8))
        return f"Building configuration...\nCryptochecksum: {spaced} \n\n{len(text)} bytes copied in 0.110 secs\n[OK]\n"

    # -- configuration ----------------------------------------------------------
    def config_line(self, s: Session, line: str) -> str:
        text = " ".join(line.split())
        words = text.split()
        if words[0] == "interface" and len(words) > 1:
            name = "".join(words[1:])
            known = {p.name for p in s.device.spec.ports}
            if (
                known
                and name.split(".")[0] not in known
                and not name.startswith(("Port-channel", "Redundant"))
            ):
                raise CliError(self.unknown_text(s, line.strip(), len("interface ")))
            return self._enter(s, "config-if", "interface " + name)
        if s.mode == "config-if" and s.section is not None and words[0] == "description":
            put_description_first(s.section, text)
            return ""
        mode = SUBMODES.get(tuple(words[:2]))  # type: ignore[arg-type]
        if mode is not None and len(words) > 2:
            return self._enter(s, mode, text)
        mode = cfg.section_mode(words)
        if mode is not None:
            return self._enter(s, mode, text)
        if s.mode == "config-router" and words[0] == "address-family":
            return self._address_family(s, text)
        if s.mode == "config-router-af" and words == ["exit-address-family"]:
            s.leave()
            return ""
        if s.mode != "config" and cfg.leaves_submode(s.mode, words):
            s.leave_to("config")
        if s.mode == "config" and words[0] == "name" and len(words) > 2:
            cfg.store_name(s.device.running.root, text)
            return ""
        if s.mode == "config" and words[0] == "crypto" and len(words) > 2:
            cfg.store_crypto(s.device.running, text)
            return ""
        if s.mode == "config" and words[0] == "username" and words[2:3] == ["password"]:
            return self._username(s, words)
        if s.mode == "config-ikev1-policy" and words[0] != "no" and s.section is not None:
            for node in list(s.section.children):
                if node.text.split()[0] == words[0]:
                    node.line = " " * node.indent + text
                    return ""
        if (
            words[0] == "access-list"
            and len(words) > 4
            and words[2] == "line"
            and words[3].isdigit()
        ):
            return self._insert_ace(s, words[1], int(words[3]), " ".join(words[4:]))
        if words[:2] == ["no", "access-list"] and len(words) > 5 and words[3] == "line":
            text = "no access-list " + words[2] + " " + " ".join(words[5:])
        if s.mode == "config" and words[0] in ("access-list", "access-group") and len(words) > 2:
            return self._top_line(s, text, f"{words[0]} {words[1]} ")
        return super().config_line(s, text)

    def _username(self, s: Session, words: list[str]) -> str:
        """`username U password P [privilege N]`: stored as 9.x stores it (a PBKDF2 hash),
        replacing U's old password line."""
        if len(words) < 4:
            raise CliError("ERROR: % Incomplete command\n")
        rest = words[4:]
        if rest[:1] not in (["encrypted"], ["pbkdf2"], ["nt-encrypted"]):
            words = [*words[:3], cfg.pbkdf2_hash(s.device.name, words[1], words[3]), "pbkdf2"]
            words += rest
        for node in list(s.device.running.root.children):
            if node.text.startswith(f"username {words[1]} password "):
                node.remove()
        return super().config_line(s, " ".join(words))

    def _address_family(self, s: Session, text: str) -> str:
        """`address-family ipv4 unicast` under `router bgp`, closed by `exit-address-family`."""
        router = s.section
        assert router is not None
        node = router.find(text)
        if node is None:
            node = router.add(text)
            router.add("exit-address-family", index=router.children.index(node) + 1)
        s.enter("config-router-af", node)
        return ""

    @command("clear configure", raw=True, modes=tuple(CONFIG_MODES))
    def clear_configure(self, s: Session, args: list[str]) -> str:
        """`clear configure crypto map NAME`, `clear configure webvpn`: the top-level
        lines (and their sections) that start with these words go."""
        target = " ".join(args[0].split())
        if not target:
            raise CliError("ERROR: % Incomplete command\n")
        s.leave_to("config")
        for node in list(s.device.running.root.children):
            if node.text == target or node.text.startswith(target + " "):
                node.remove()
        return ""

    def _top_line(self, s: Session, text: str, like: str) -> str:
        """A one-line top-level statement, placed after its kin (same ACL first)."""
        tree = s.device.running
        if tree.root.find(text) is None:
            kin = like if tree.sections(like) else like.split()[0] + " "
            tree.new_section(text, like=kin, separator=None, tail=(": end",))
        return ""

    def _enter(self, s: Session, mode: str, header: str) -> str:
        s.leave_to("config")
        node = self.section_for(s, header)
        if mode == "config-ikev1-policy" and not node.children:
            for line in cfg.IKEV1_POLICY_DEFAULTS:
                node.add(line)
            cfg.sort_crypto(s.device.running.root)
        s.enter(mode, node)
        return ""

    def _insert_ace(self, s: Session, acl: str, number: int, rest: str) -> str:
        """`access-list NAME line N ...`: insert before the current N-th entry of NAME."""
        root = s.device.running.root
        entries = [n for n in root.children if n.text.startswith(f"access-list {acl} ")]
        text = f"access-list {acl} {rest}"
        if not entries or number > len(entries):
            return super().config_line(s, text)
        index = root.children.index(entries[number - 1])
        root.add(text, index=index)
        return ""

    def line_key(self, text: str) -> str | None:
        for single in (
            "description ",
            "nameif ",
            "security-level ",
            "ip address ",
            "host ",
            "subnet ",
            "range ",
            "ikev1 pre-shared-key ",
            "default-group-policy ",
            "vpn-group-policy ",
            "vpn-tunnel-protocol ",
            "address-pool ",
        ):
            if text.startswith(single):
                return single
        return super().line_key(text)
