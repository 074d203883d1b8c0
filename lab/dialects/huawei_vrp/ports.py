"""Huawei VRP interface, LLDP, LAG, VLAN, MAC and ARP displays (a base of `HuaweiVrp`)."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import (
    CliError,
    command,
    fmt_mac,
    lldp_system_description,
    vrp_family,
)
from netsteward.lab.dialects.huawei_vrp.status import VrpStatus
from netsteward.lab.dialects.render_common import lldp_capabilities
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


class VrpPorts(VrpStatus):
    error_unknown: str  # the error texts, set by the dialect
    error_wrong: str

    def _caret(self, s: Session, line_pos: int, text: str) -> CliError:
        return CliError(" " * (len(self.prompt(s)) + line_pos) + "^\n" + text + "\n")

    # -- interfaces ----------------------------------------------------------
    def interface_names(self, s: Session) -> list[str]:
        ports = [p.name for p in s.device.spec.ports if p.kind in ("ethernet", "mgmt", "fc")]
        if not ports:
            ports = [n.text[len("interface ") :] for n in s.device.running.sections("interface ")]
        return ports

    def is_shutdown(self, s: Session, name: str) -> bool:
        return name in s.device.shutdown_ports()

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
        names = s.device.interface_sections()
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

        h = health(s.device, s.now())
        counted = set(h.error_ports)

        def errors(name: str) -> int:
            if name in lags:
                return sum(h.errors(m)[0] for m in lags[name] if m in counted)
            return h.errors(name)[0] if name in counted else 0

        def row(name: str, indent: str = "") -> str:
            phy, proto = self.link_state(s, name)
            util = "0.01%" if phy == "up" else "0%"
            return (
                f"{indent + name:<28}{phy:<6}{proto:<10}{util:>5}{util:>7}{errors(name):>11}{0:>11}"
            )

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
            caps = lldp_capabilities(peer, "words", ("router", "core", "aggregation", "firewall"))
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

    def vlan_members(self, s: Session) -> dict[int, tuple[list[str], list[str]]]:
        """VLAN -> (untagged, tagged) port labels such as `XGE0/0/1(U)`: every configured
        VLAN, the ports outside any LAG, then the LAGs (what `display vlan [brief]` list)."""
        lags = s.device.spec.lags
        members = {m for ms in lags.values() for m in ms}
        ports = [
            p for p in self.interface_names(s) if p not in members and not p.startswith("MEth")
        ]
        table: dict[int, tuple[list[str], list[str]]] = {v: ([], []) for v in self.vlan_ids(s)}
        for port in [*ports, *sorted(lags)]:
            ut, tg = self.port_vlans(s, port)
            state = "U" if self.link_state(s, port)[0] == "up" else "D"
            label = f"{self.short_interface(port)}({state})"
            for v in ut:
                table.setdefault(v, ([], []))[0].append(label)
            for v in tg:
                table.setdefault(v, ([], []))[1].append(label)
        return table

    @command("display vlan", pipe=True)
    def display_vlan(self, s: Session, args: list[str]) -> str:
        table = self.vlan_members(s)
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
