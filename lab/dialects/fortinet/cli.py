"""FortiOS 7.x (FortiGate firewalls).

Configuration edits go into a working copy of the configuration (`config ...`,
`edit`, `set`, `unset`, `append`, `delete`, `move`, `next`); the outermost
`end` commits it to the running configuration and, as FortiOS does, saves it
at once (there is no separate save: netmiko's `save_config` is not
implemented for this platform).  `abort` drops the working copy.
"""

from __future__ import annotations

import functools
import ipaddress
import shlex
import uuid
from typing import TYPE_CHECKING

from netsteward.lab.dialects import bgp_common, register
from netsteward.lab.dialects.base import (
    CliError,
    Dialect,
    Reply,
    command,
)
from netsteward.lab.dialects.common import grep_pipe, replace_running, up_ports
from netsteward.lab.dialects.fortinet import dhcp_lldp as rd
from netsteward.lab.dialects.fortinet import extra as rx
from netsteward.lab.dialects.fortinet import extra2 as rx2
from netsteward.lab.dialects.fortinet import render as r
from netsteward.lab.dialects.fortinet import routing as rr
from netsteward.lab.dialects.fortinet.backup import FortinetBackup
from netsteward.lab.dialects.fortinet.health import FortiHealth
from netsteward.lab.dialects.render_common import boot_time, stable_int

if TYPE_CHECKING:  # pragma: no cover
    from datetime import datetime

    from netsteward.lab.engine.session import Session
    from netsteward.lab.engine.state import DeviceState

TOP_PATH_WORDS = {
    "firewall",
    "system",
    "router",
    "user",
    "log",
    "vpn",
    "webfilter",
    "antivirus",
    "ips",
    "application",
}


# `set KEY value`: keys whose values FortiOS stores (and shows) as quoted strings
_STRING_KEY_WORDS = (
    "name comments comment alias description hostname srcintf dstintf srcaddr dstaddr service"
    " schedule groups member vdom interface users accprofile associated-interface category"
    " poolname ssl-ssh-profile av-profile ips-sensor"
)
STRING_KEYS = frozenset(_STRING_KEY_WORDS.split())


def fortios_value(key: str, value: str) -> str:
    """The value as FortiOS displays it: string-typed keys get each token quoted."""
    if key not in STRING_KEYS or not value:
        return value
    try:
        tokens = shlex.split(value)
    except ValueError:
        return value
    return " ".join('"' + t.replace('"', '\\"') + '"' for t in tokens)


def parse_error(word: str) -> CliError:
    return CliError(f"command parse error before '{word}'\nCommand fail. Return code -61\n")


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> r.Block:
    return r.parse(text)


def _prune_empty(block: r.Block) -> None:
    """Drop `config` blocks left without entries or settings (`show` prints only non-defaults:
    `config router bgp` after `unset as`, a DHCP server table after its last `delete`)."""
    for child in block.blocks():
        _prune_empty(child)
    block.items = [
        i
        for i in block.items
        if not (isinstance(i, r.Block) and i.kind == "config" and not i.items)
    ]


def _drop_defaults(root: r.Block) -> None:
    """`show` omits default values: `set output more` on the console, and then an empty block."""
    _prune_empty(root)
    console = r.find_path(root, "system console")
    if console is None:
        return
    if console.get("output") == "more":
        console.unset("output")
    if not console.items:
        root.items.remove(console)


def _far_end(s: Session, port: str) -> tuple[str, str] | None:
    """(peer, peer port) of the cable plugged into our `port`, if any."""
    ends = (c.other_end(s.device.name, port) for c in s.device.lab.cables)
    return next((end for end in ends if end is not None), None)


@register
class Fortinet(FortiHealth, FortinetBackup):
    platform = "fortinet"
    readonly_commands = Dialect.readonly_commands | {
        "execute_ping",
        "execute_traceroute",
        "execute_log_display",
        "execute_sensor_list",
    }
    login_mode = "top"
    config_modes = frozenset({"cfg"})
    paging_commands = ()
    pager_prompt = "--More-- "
    pager_erase = "\r         \r"
    comment_char = None
    negate_word = "unset"
    tail_lines = ()
    pipe_words = ("grep",)

    # -- session ---------------------------------------------------------------
    def _root(self, s: Session) -> r.Block:
        """The parsed configuration, for reading only (edits work on a deep copy)."""
        return _parsed(s.device.running_text())

    def login_banner(self, s: Session) -> str:
        s.set_paging(r.console_output(self._root(s)) == "more")
        return ""

    def prompt(self, s: Session) -> str:
        name = (
            r.hostname(s.device.spec, self._root(s))
            if "fgt_host" not in s.data
            else s.data["fgt_host"]
        )
        s.data["fgt_host"] = name
        stack: list[r.Block] = s.data.get("fgt_stack", [])
        if not stack:
            return f"{name} # "
        last = stack[-1]
        label = r.unquote(last.name) if last.kind == "edit" else last.name.split()[-1]
        return f"{name} ({label}) # "

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        return "Unknown action 0\nCommand fail. Return code -1\n"

    def apply_pipe(self, text: str, filters: list[tuple[str, str]]) -> str:
        return grep_pipe(text, filters)

    # -- top-level commands -------------------------------------------------------
    @command("get system status", pipe=True, modes=("top",))
    def get_status(self, s: Session, args: list[str]) -> str:
        return r.get_system_status(s.device.spec, self._root(s), s.now())

    @command("get system console", pipe=True, modes=("top",))
    def get_console(self, s: Session, args: list[str]) -> str:
        return r.get_system_console(self._root(s))

    @command("get system interface", pipe=True, modes=("top",))
    def get_interface(self, s: Session, args: list[str]) -> str:
        if args and args != ["physical"]:
            raise parse_error(args[-1])
        if args:
            ports = [p.name for p in s.device.spec.ports]
            return r.get_system_interface_physical(self._root(s), ports, up_ports(s))
        return r.get_system_interface(self._root(s))

    @command("show full-configuration", pipe=True, running_config=True)
    def show_full(self, s: Session, args: list[str]) -> str:
        return self.show(s, args)

    @command("show", pipe=True, running_config=True)
    def show(self, s: Session, args: list[str]) -> str:
        stack: list[r.Block] = s.data.get("fgt_stack", [])
        if stack:
            return "\n".join(r.render_block(stack[-1])) + "\n"
        root = self._root(s)
        text = s.device.running_text()
        if args:
            block = r.find_path(root, " ".join(args))
            if block is not None:
                return "\n".join(r.render_block(block)) + "\n"
            table = r.find_path(root, " ".join(args[:-1])) if len(args) > 1 else None
            entry = table.child("edit", args[-1]) if table is not None else None
            if table is None or entry is None:
                raise parse_error(args[-1])
            # `show firewall policy 5`: the one entry inside its table
            return "\n".join([f"config {table.name}", *r.render_block(entry, 1), "end"]) + "\n"
        return r.show(s.device.spec, root, stable_int(text, modulo=10**6))

    @command("exit", modes=("top",))
    def logout(self, s: Session, args: list[str]) -> Reply:
        return Reply("", close=True)

    @command("config", raw=True, modes=("top",))
    def config(self, s: Session, args: list[str]) -> str:
        path = " ".join(args[0].split())
        root = r.parse(s.device.running_text())  # a working copy: edits stay out of the cache
        block = r.find_path(root, path)
        if block is None:
            words = path.split()
            if len(words) < 2 or words[0] not in TOP_PATH_WORDS:
                raise parse_error(words[-1] if words else "config")
            block = r.Block("config", path)
            root.items.append(block)
        s.data["fgt_root"] = root
        s.data["fgt_stack"] = [block]
        s.enter("cfg")
        return ""

    @command("execute date", modes=("top",))
    def execute_date(self, s: Session, args: list[str]) -> str:
        return f"current date is: {s.now():%Y-%m-%d}\n"

    @command("execute time", modes=("top",))
    def execute_time(self, s: Session, args: list[str]) -> str:
        return (
            f"current time is: {s.now():%H:%M:%S}\nlast ntp sync: {s.now():%a %b %d %H:00:12 %Y}\n"
        )

    @command("get router info routing-table all", pipe=True, modes=("top",))
    def get_routing_table_all(self, s: Session, args: list[str]) -> str:
        return rx.routing_table_all(s.device.spec, self._root(s))

    @command("get system arp", pipe=True, modes=("top",))
    def get_system_arp(self, s: Session, args: list[str]) -> str:
        return rx.system_arp(s.device.spec, self._root(s), up_ports(s))

    @command("get system ha status", pipe=True, modes=("top",))
    def get_system_ha_status(self, s: Session, args: list[str]) -> str:
        spec, now = s.device.spec, s.now()
        peer = s.device.lab.specs.get(str(spec.extra.get("ha_peer", "")))
        hbdevs = [p.name for p in spec.ports if p.name.startswith("ha")] or ["ha1"]
        return rx.ha_status(
            spec, hbdevs, now, boot_time(spec, now), peer.serial if peer is not None else ""
        )

    @command("get hardware nic", pipe=True, modes=("top",))
    def get_hardware_nic(self, s: Session, args: list[str]) -> str:
        ports = [p.name for p in s.device.spec.ports]
        if not args:
            return rx.hardware_nic_list(ports)
        if args[0] not in ports:
            raise parse_error(args[0])
        link = args[0] in up_ports(s)
        return rx2.hardware_nic(s.device.spec, ports, args[0], link)

    @command("fnsysctl ifconfig", pipe=True, modes=("top",))
    def fnsysctl_ifconfig(self, s: Session, args: list[str]) -> str:
        ports = [p.name for p in s.device.spec.ports]
        return rx2.fnsysctl_ifconfig(s.device.spec, self._root(s), ports, up_ports(s))

    @command("diagnose sys top", pipe=True, modes=("top",))
    def diagnose_sys_top(self, s: Session, args: list[str]) -> str:
        spec, now = s.device.spec, s.now()
        return rx2.diagnose_sys_top(spec, now, boot_time(spec, now))

    @command("execute log display", modes=("top",))
    def execute_log_display(self, s: Session, args: list[str]) -> str:
        return rx2.log_display(s.device.spec, self._root(s), s.now())

    @command("execute ping", modes=("top",))
    def execute_ping(self, s: Session, args: list[str]) -> str:
        target = self._target(args)
        return rx.ping(target, rx.reachable(self._root(s), target))

    @command("execute traceroute", modes=("top",))
    def execute_traceroute(self, s: Session, args: list[str]) -> str:
        target = self._target(args)
        return rx.traceroute(target, rx.trace_hops(self._root(s), target))

    def _target(self, args: list[str]) -> str:
        if len(args) != 1:
            raise parse_error(args[-1] if args else "execute")
        try:
            ipaddress.IPv4Address(args[0])
        except ValueError:
            raise CliError("Unable to resolve hostname.\nCommand fail. Return code -1\n") from None
        return args[0]

    # -- routing displays derived from configuration and cabling (netsteward.lab.dialects.fortinet.routing)
    def _links(self, s: Session) -> list[rr.Link]:
        """Our cabled ports whose link is up, with the peer's spec and configuration."""
        out: list[rr.Link] = []
        for port in sorted(up_ports(s)):
            far = _far_end(s, port)
            if far is None:
                continue
            peer = s.device.lab.device(far[0])
            out.append(rr.Link(port, peer.spec, far[1], peer.running_text()))
        return out

    def _bgp(self, s: Session) -> rr.Bgp | None:
        """The BGP process, sessions up since both ends were last configured or booted."""

        def since(d: DeviceState) -> datetime:
            return max(d.changed_at, d.boot_time)

        far_ends = bgp_common.far_ends(s.device, since)
        return rr.bgp(self._root(s), far_ends, since(s.device), s.now())

    @command("get router info bgp summary", pipe=True, modes=("top",))
    def get_bgp_summary(self, s: Session, args: list[str]) -> str:
        return rr.bgp_summary(s.device.name, self._bgp(s))

    @command("get router info bgp neighbors", pipe=True, modes=("top",))
    def get_bgp_neighbors(self, s: Session, args: list[str]) -> str:
        b = self._bgp(s)
        only = args[0] if args else ""
        if only and (b is None or all(x.neighbor != only for x in b.sessions)):
            return "% No neighbor exist\n"
        return rr.bgp_neighbors(s.device.name, b, s.now(), only)

    @command("get router info ospf status", pipe=True, modes=("top",))
    def get_ospf_status(self, s: Session, args: list[str]) -> str:
        ospf = rr.ospf_areas(self._root(s), self._links(s), up_ports(s))
        return rr.ospf_status(s.device.name, ospf, s.now())

    @command("execute dhcp lease-list", pipe=True, modes=("top",))
    def execute_dhcp_lease_list(self, s: Session, args: list[str]) -> str:
        items = rd.leases(s.device.name, self._root(s), s.now())
        return rd.lease_list(items, args[0] if args else "")

    @command("diagnose lldprx port neighbor details", pipe=True, modes=("top",))
    def diagnose_lldprx_neighbors(self, s: Session, args: list[str]) -> str:
        ports = [p.name for p in s.device.spec.ports]
        if len(args) != 1 or args[0] not in ports:
            raise parse_error(args[-1] if args else "details")
        port, lab = args[0], s.device.lab
        peers: list[rd.LldpPeer] = []
        far = _far_end(s, port)
        if far is not None and port in up_ports(s) and rd.lldp_reception(self._root(s), port):
            peer = lab.device(far[0])
            if any(p.name == far[1] and p.lldp for p in peer.spec.ports):
                desc = peer.interface_description(far[1])
                peers.append(rd.LldpPeer(peer.spec, far[1], peer.hostname, desc))
        return rd.lldprx_neighbor_details(port, ports.index(port) + 1, peers)

    @command("execute", raw=True, modes=("top",))
    def execute(self, s: Session, args: list[str]) -> str:
        raise parse_error(args[0].split()[0] if args[0] else "execute")

    # -- inside `config` ------------------------------------------------------------
    def config_line(self, s: Session, line: str) -> str:
        stack: list[r.Block] = s.data["fgt_stack"]
        root: r.Block = s.data["fgt_root"]
        text = line.strip()
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        current = stack[-1]
        if word == "config" and rest:
            if current.kind != "edit" and current.is_table():
                raise parse_error(rest.split()[0])
            block = current.child("config", rest)
            if block is None:
                block = r.Block("config", rest)
                current.items.append(block)
            stack.append(block)
        elif word == "edit" and rest and current.kind == "config":
            # FortiOS quotes string keys; numbered entries and OSPF areas (dotted) are bare
            bare = rest.isdigit() or rest.startswith('"') or current.name == "area"
            name = rest if bare else f'"{rest}"'
            entry = current.child("edit", name)
            if entry is None:
                entry = r.Block("edit", name)
                if any(b.get("uuid") is not None for b in current.blocks()):
                    # tables whose entries carry a UUID get one on creation, as FortiOS does
                    seed = f"{s.device.name}/{current.name}/{name}"
                    entry.set("uuid", str(uuid.uuid5(uuid.NAMESPACE_URL, seed)))
                current.items.append(entry)
            stack.append(entry)
        elif word == "set" and rest:
            key, _, value = rest.partition(" ")
            current.set(key, fortios_value(key, value.strip()))
        elif word == "unset" and rest:
            current.unset(rest.split()[0])
        elif word == "append" and rest:
            key, _, value = rest.partition(" ")
            old = current.get(key)
            raw = next(
                (i for i in current.items if isinstance(i, str) and i.split()[:2] == ["set", key]),
                None,
            )
            current.set(
                key,
                (raw.split(None, 2)[2] + " " if old is not None and raw else "") + value.strip(),
            )
        elif word == "delete" and rest and current.kind == "config":
            entry = current.child("edit", rest)
            if entry is None:
                raise CliError(
                    f"entry not found in datasource\nvalue parse error before '{rest}'\nCommand fail. Return code -3\n"
                )
            current.items.remove(entry)
        elif word == "move" and current.kind == "config":
            self._move(current, rest.split())
        elif word == "next":
            if current.kind == "edit":
                stack.pop()
        elif word == "end":
            while stack and stack[-1].kind == "edit":
                stack.pop()
            if stack:
                stack.pop()
            while stack and stack[-1].kind == "edit":
                stack.pop()
            if not stack:
                self._commit(s, root)
        elif word == "abort":
            s.data.pop("fgt_stack", None)
            s.data.pop("fgt_root", None)
            s.reset()
        else:
            raise parse_error(word)
        return ""

    def _move(self, table: r.Block, words: list[str]) -> None:
        if len(words) != 3 or words[1] not in ("before", "after"):
            raise parse_error(words[-1] if words else "move")
        entry, anchor = table.child("edit", words[0]), table.child("edit", words[2])
        if entry is None or anchor is None:
            raise CliError("entry not found in datasource\nCommand fail. Return code -3\n")
        table.items.remove(entry)
        index = table.items.index(anchor) + (1 if words[1] == "after" else 0)
        table.items.insert(index, entry)

    def _commit(self, s: Session, root: r.Block) -> None:
        _drop_defaults(root)
        header = "".join(
            line + "\n" for line in s.device.running_text().splitlines() if line.startswith("#")
        )
        replace_running(s, header + r.render(root))
        s.device.save()  # FortiOS writes committed changes to flash at once
        s.data.pop("fgt_stack", None)
        s.data.pop("fgt_root", None)
        s.data.pop("fgt_host", None)
        s.set_paging(r.console_output(root) == "more")
        s.reset()
