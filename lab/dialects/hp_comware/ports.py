"""H3C Comware interface, LLDP, LAG, VLAN and ARP displays (a base of
`HpComware`, over the VRP ones it replaces)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import command, fmt_mac, lldp_system_description
from netsteward.lab.dialects.hp_comware.health import ComwareHealth
from netsteward.lab.dialects.render_common import lldp_capabilities

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


class ComwarePorts(ComwareHealth):
    @command("display interface brief", pipe=True)
    def display_interface_brief(self, s: Session, args: list[str]) -> str:
        lags = s.device.spec.lags
        route = [n for n in self.logical_interfaces(s) if not n.startswith(("Bridge-Aggregation",))]
        bridge = self.interface_names(s) + sorted(lags)
        out = [
            "Brief information on interfaces in route mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Protocol: (s) - spoofing",
            "Interface            Link Protocol Primary IP      Description",
        ]
        for name in route:
            link, proto = self._cw_state(s, name)
            desc = s.device.interface_description(name)
            out.append(
                f"{self.short_interface(name):<21}{link:<5}{proto:<9}{'--':<16}{desc}".rstrip()
            )
        out += [
            "",
            "Brief information on interfaces in bridge mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Speed: (a) - auto",
            "Duplex: (a)/A - auto; H - half; F - full",
            "Type: A - access; T - trunk; H - hybrid",
            "Interface            Link Speed     Duplex Type PVID Description",
        ]
        for name in bridge:
            link, _ = self._cw_state(s, name)
            speed = self._speed(s, name) if link == "UP" else "auto"
            duplex = "F(a)" if link == "UP" else "A"
            desc = s.device.interface_description(name)
            out.append(
                f"{self.short_interface(name):<21}{link:<5}{speed:<10}{duplex:<7}{'T':<5}{'1':<5}{desc}".rstrip()
            )
        return "\n".join(out) + "\n"

    def _speed(self, s: Session, name: str) -> str:
        spec = next((p for p in s.device.spec.ports if p.name == name), None)
        return (spec.speed if spec else "1G") + "(a)"

    def _cw_state(self, s: Session, name: str) -> tuple[str, str]:
        phy, proto = self.link_state(s, name)
        link = {"*down": "ADM", "down": "DOWN"}.get(phy, "UP")
        return link, proto.upper().replace("(S)", "(s)")

    @command("display lldp neighbor-information list", pipe=True)
    def display_lldp_list(self, s: Session, args: list[str]) -> str:
        out = [
            "Chassis ID : * -- -- Nearest nontpmr bridge neighbor",
            "             # -- -- Nearest customer bridge neighbor",
            "             Default -- -- Nearest bridge neighbor",
            "System Name          Local Interface Chassis ID      Port ID",
        ]
        for n in s.device.neighbors():
            out.append(
                f"{n.peer.name:<21}{self.short_interface(n.local_port):<16}{fmt_mac(n.peer.mac):<16}{n.peer_port}"
            )
        return "\n".join(out) + "\n"

    @command("display lldp neighbor-information", pipe=True)
    def display_lldp_verbose(self, s: Session, args: list[str]) -> str:
        if args and args[0].lower().startswith("l"):
            return self.display_lldp_list(s, args[1:])
        neighbors = s.device.neighbors()
        if args and args[0].lower().startswith("int"):
            port = self.resolve_interface(s, "".join(a for a in args[1:] if a.lower() != "verbose"))
            neighbors = [n for n in neighbors if n.local_port == port]
        index = {p.name: i for i, p in enumerate(s.device.spec.ports, 1)}
        out: list[str] = []
        for n in neighbors:
            peer = n.peer
            desc_lines = lldp_system_description(peer)
            secs = int((s.now() - s.device.boot_time).total_seconds())
            days, rem = divmod(secs, 86400)
            caps = lldp_capabilities(peer, "title", ("router", "core", "aggregation", "firewall"))
            out += [
                f"LLDP neighbor-information of port {index.get(n.local_port, 1)}[{n.local_port}]:",
                "LLDP agent nearest-bridge:",
                " LLDP neighbor index : 1",
                f" Update time         : {days} days, {rem // 3600} hours, {rem % 3600 // 60} minutes, {rem % 60} seconds",
                " Chassis type        : MAC address",
                f" Chassis ID          : {fmt_mac(peer.mac)}",
                " Port ID type        : Interface name",
                f" Port ID             : {n.peer_port}",
                " Time to live        : 121",
                f" Port description    : {n.peer_port_description or n.peer_port}",
                f" System name         : {peer.name}",
                f" System description  : {desc_lines[0]}",
                *[" " * 22 + extra for extra in desc_lines[1:]],
                f" System capabilities supported : {caps}",
                f" System capabilities enabled   : {caps}",
                " Management address type           : IPv4",
                f" Management address                : {peer.mgmt_ip or '0.0.0.0'}",
                " Management address interface type : IfIndex",
                " Management address interface ID   : Unknown",
                " Management address OID            : 0",
                " Port VLAN ID(PVID)  : 1",
                " Link aggregation supported : Yes",
                f" Link aggregation enabled   : {'Yes' if s.device.lag_of(n.local_port) else 'No'}",
                " Aggregation port ID        : 0",
                " Auto-negotiation supported : Yes",
                " Auto-negotiation enabled   : Yes",
                " OperMau                    : Speed(1000)/Duplex(Full)",
                " Maximum frame size         : 9216",
                "",
            ]
        return "\n".join(out) + ("\n" if out else "")

    @command("display link-aggregation verbose", pipe=True)
    def display_lagg_verbose(self, s: Session, args: list[str]) -> str:
        lags = s.device.spec.lags
        sysid = fmt_mac(s.device.spec.mac)
        out = [
            "Loadsharing Type: Shar -- Loadsharing, NonS -- Non-Loadsharing ",
            "Port Status: S -- Selected, U -- Unselected, I -- Individual ",
            "Port: A -- Auto port, M -- Management port, R -- Reference port ",
            "Flags:  A -- LACP_Activity, B -- LACP_Timeout, C -- Aggregation, ",
            "        D -- Synchronization, E -- Collecting, F -- Distributing, ",
            "        G -- Defaulted, H -- Expired ",
            "",
        ]
        neighbors = {n.local_port: n for n in s.device.neighbors()}
        for lag in sorted(lags):
            members = lags[lag]
            out += [
                f"Aggregate Interface: {lag}",
                "Creation Mode: Manual",
                "Aggregation Mode: Dynamic",
                "Loadsharing Type: Shar",
                "Management VLANs: None",
                f"System ID: 0x8000, {sysid}",
                "Local: ",
                "  Port                Status   Priority Index    Oper-Key               Flag",
            ]
            for i, m in enumerate(members, 1):
                st = "S" if s.device.link_up(m) else "U"
                ref = "(R)" if i == 1 else ""
                out.append(
                    f"  {self.short_interface(m) + ref:<20}{st:<9}{32768:<9}{i:<9}{1:<23}{{ACDEF}}"
                )
            out += [
                "Remote: ",
                "  Actor               Priority Index    Oper-Key SystemID               Flag   ",
            ]
            for i, m in enumerate(members, 1):
                n = neighbors.get(m)
                pid = fmt_mac(n.peer.mac) if n else "0000-0000-0000"
                out.append(
                    f"  {self.short_interface(m):<20}{32768:<9}{i:<9}{1:<9}{'0x8000, ' + pid:<23}{{ACDEF}}"
                )
            out.append("")
        return "\n".join(out) + "\n"

    def _interface_block(self, s: Session, name: str) -> str:
        spec = s.device.spec
        phy, proto = self.link_state(s, name)
        state = {"up": "UP", "down": "DOWN", "*down": "Administratively DOWN"}[phy]
        proto_state = "UP(spoofing)" if proto == "up(s)" else ("UP" if proto == "up" else "DOWN")
        desc = s.device.interface_description(name) or f"{name} Interface"
        mac = fmt_mac(spec.mac)
        out = [
            name,
            f"Current state: {state}",
            f"Line protocol state: {proto_state}",
            f"Description: {desc}",
        ]
        if name.startswith(("Vlan-interface", "LoopBack", "NULL")):
            ip = self.ip_address(s, name)
            out += ["Bandwidth: 1000000 kbps", "Maximum transmission unit: 1500"]
            out.append(
                f"Internet address: {ip} (Primary)"
                if ip
                else "Internet protocol processing: Disabled"
            )
            out += [
                f"IP packet frame type: Ethernet II, hardware address: {mac}",
                f"IPv6 packet frame type: Ethernet II, hardware address: {mac}",
                "Last clearing of counters: Never",
                "Last 300 seconds input rate: 0 bytes/sec, 0 bits/sec, 0 packets/sec",
                "Last 300 seconds output rate: 0 bytes/sec, 0 bits/sec, 0 packets/sec",
                "Input: 0 packets, 0 bytes, 0 drops",
                "Output: 0 packets, 0 bytes, 0 drops",
                "",
            ]
            return "\n".join(out) + "\n"
        members = spec.lags.get(name)
        port = next((p for p in spec.ports if p.name == name), None)
        gbps = {"1G": 1, "10G": 10, "25G": 25, "40G": 40, "100G": 100}.get(
            port.speed if port else "1G", 1
        )
        if members is not None:
            gbps *= max(1, len(members)) * (10 if any("Ten" in m for m in members) else 1)
        speed = (
            f"{gbps}Gbps-speed mode, full-duplex mode"
            if phy == "up"
            else "Unknown-speed mode, unknown-duplex mode"
        )
        out += [
            f"IP packet frame type: Ethernet II, hardware address: {mac}",
            f"Bandwidth: {gbps * 1000000} kbps",
            speed,
            "Link speed type is autonegotiation, link duplex type is autonegotiation",
            "Maximum frame length: 9216",
            "PVID: 1",
            "Port link-type: Trunk",
            " VLAN Passing:   1(default vlan)",
            " VLAN permitted: 1(default vlan)",
            " Trunk port encapsulation: IEEE 802.1q",
            "Last clearing of counters: Never",
            "Last 300 seconds input:  0 packets/sec 0 bytes/sec 0%",
            "Last 300 seconds output:  0 packets/sec 0 bytes/sec 0%",
            "Input (total):  0 packets, 0 bytes",
            "        0 unicasts, 0 broadcasts, 0 multicasts, 0 pauses",
            "Output (total): 0 packets, 0 bytes",
            "        0 unicasts, 0 broadcasts, 0 multicasts, 0 pauses",
            "",
        ]
        return "\n".join(out) + "\n"

    # -- VLANs, MAC and ARP tables -------------------------------------------
    def port_vlans(self, s: Session, name: str) -> tuple[set[int], set[int]]:
        untagged, tagged = super().port_vlans(s, name)
        node = s.device.running.section(f"interface {name}")
        for c in node.children if node else []:
            w = c.text.split()
            if w[:4] == ["port", "trunk", "permit", "vlan"] and "all" in w:
                tagged |= set(self.vlan_ids(s))
        return untagged, tagged

    @command("display vlan brief", pipe=True)
    def display_vlan_brief(self, s: Session, args: list[str]) -> str:
        table = self._vlan_ports(s)
        out = [
            "Brief information about all VLANs:",
            "Supported Minimum VLAN ID: 1",
            "Supported Maximum VLAN ID: 4094",
            "Default VLAN ID: 1",
            "VLAN ID   Name                             Port",
        ]
        for vid in sorted(table):
            ports = [self.short_interface(p) for p in sorted(table[vid][0] | table[vid][1])]
            rows = ["  ".join(ports[i : i + 3]) for i in range(0, len(ports), 3)] or [""]
            out.append(f"{vid:<10}{self.vlan_name(s, vid):<33}{rows[0]}".rstrip())
            out.extend(" " * 43 + r for r in rows[1:])
        return "\n".join(out) + "\n"

    def _vlan_ports(self, s: Session) -> dict[int, tuple[set[str], set[str]]]:
        lags = s.device.spec.lags
        members = {m for ms in lags.values() for m in ms}
        ports = [p for p in self.interface_names(s) if p not in members and not p.startswith("M-")]
        table: dict[int, tuple[set[str], set[str]]] = {v: (set(), set()) for v in self.vlan_ids(s)}
        for port in ports + sorted(lags):
            ut, tg = self.port_vlans(s, port)
            for v in ut:
                table.setdefault(v, (set(), set()))[0].add(port)
            for v in tg:
                table.setdefault(v, (set(), set()))[1].add(port)
        return table

    @command("display vlan", pipe=True)
    def display_vlan(self, s: Session, args: list[str]) -> str:
        if args and "brief".startswith(args[0].lower()):
            return self.display_vlan_brief(s, args[1:])
        table = self._vlan_ports(s)
        if args and args[0].isdigit():
            table = {k: v for k, v in table.items() if k == int(args[0])}
        elif not (args and "all".startswith(args[0].lower())):
            return (
                f" Total VLANs: {len(table)}\n The VLANs include:\n "
                + ", ".join(f"{v}(default)" if v == 1 else str(v) for v in sorted(table))
                + "\n"
            )
        out: list[str] = []
        for vid in sorted(table):
            ut, tg = table[vid]
            name = self.vlan_name(s, vid)
            out += [
                f" VLAN ID: {vid}",
                " VLAN type: Static",
                f" Route interface: {'Configured' if self.ip_address(s, f'Vlan-interface{vid}') else 'Not configured'}",
                f" Description: {name}",
                f" Name: {name}",
                " Tagged ports:   " + ("" if tg else "None"),
                *[f"    {p}" for p in sorted(tg)],
                " Untagged ports: " + ("" if ut else "None"),
                *[f"    {p}" for p in sorted(ut)],
                "",
            ]
        return "\n".join(out) + "\n"

    def vlan_name(self, s: Session, vid: int) -> str:
        node = s.device.running.section(f"vlan {vid}")
        if node is not None:
            for c in node.children:
                if c.text.startswith(("name ", "description ")):
                    return c.text.split(None, 1)[1]
        return f"VLAN {vid:04d}"

    @command("display mac-address", pipe=True)
    def display_mac_address(self, s: Session, args: list[str]) -> str:
        out = ["MAC ADDR       VLAN ID  STATE          PORT INDEX               AGING TIME(s)"]
        for mac, vlan, port in self.mac_entries(s):
            out.append(f"{mac:<15}{vlan:<9}{'Learned':<15}{port:<25}AGING")
        return "\n".join(out) + "\n"

    @command("display arp", pipe=True)
    def display_arp(self, s: Session, args: list[str]) -> str:
        out = [
            "  Type: S-Static   D-Dynamic   O-Openflow   R-Rule   M-Multiport  I-Invalid",
            "IP address      MAC address    VLAN     Interface                Aging Type",
        ]
        for n in s.device.neighbors():
            if n.peer.mgmt_ip:
                port = s.device.lag_of(n.local_port) or n.local_port
                vlan = self.mgmt_vlan(s, port)
                out.append(
                    f"{n.peer.mgmt_ip:<16}{fmt_mac(n.peer.mac):<15}{vlan:<9}{self.short_interface(port):<25}{17:<6}D"
                )
        return "\n".join(out) + "\n"

    @command("display link-aggregation member-port", pipe=True)
    def display_lagg_member_port(self, s: Session, args: list[str]) -> str:
        neighbors = {n.local_port: n for n in s.device.neighbors()}
        out = [
            "Flags: A -- LACP_Activity, B -- LACP_Timeout, C -- Aggregation,",
            "       D -- Synchronization, E -- Collecting, F -- Distributing,",
            "       G -- Defaulted, H -- Expired",
            "",
        ]
        index = {p.name: i for i, p in enumerate(s.device.spec.ports, 1)}
        for lag in sorted(s.device.spec.lags):
            for m in s.device.spec.lags[lag]:
                n = neighbors.get(m)
                up = s.device.link_up(m)
                out += [
                    f"{m}:",
                    f"Aggregation Interface: {lag}",
                    "Local:",
                    f"    Port Number: {index.get(m, 1)}",
                    "    Port Priority: 32768",
                    "    Oper-Key: 1",
                    f"    Flag: {{{'ACDEF' if up else 'ACG'}}}",
                    "Remote:",
                    f"    System ID: 0x8000, {fmt_mac(n.peer.mac) if n else '0000-0000-0000'}",
                    f"    Port Number: {index.get(m, 1) if n else 0}",
                    "    Port Priority: 32768",
                    f"    Oper-Key: {1 if n else 0}",
                    f"    Flag: {{{'ACDEF' if n else 'EF'}}}",
                    f"Received LACP Packets: {self._lacp_count(s) if n else 0} packet(s)",
                    "Illegal: 0 packet(s)",
                    f"Sent LACP Packets: {self._lacp_count(s) if up else 0} packet(s)",
                    "",
                ]
        return "\n".join(out) + "\n"

    @staticmethod
    def _lacp_count(s: Session) -> int:
        return int((s.now() - s.device.boot_time).total_seconds() // 30)

    @command("display ip interface", pipe=True)
    def display_ip_interface(self, s: Session, args: list[str]) -> str:
        if args and "brief".startswith(args[0].lower()):
            return self._ip_interface_brief(s)
        out: list[str] = []
        for name in self.logical_interfaces(s):
            if name.startswith("Bridge-Aggregation"):
                continue
            link, proto = self._cw_state(s, name)
            state = {"UP": "UP", "DOWN": "DOWN", "ADM": "Administratively DOWN"}[link]
            out += [
                f"{name} current state: {state}",
                f"Line protocol current state: {proto.replace('(s)', '(spoofing)')}",
            ]
            ip = self.ip_address(s, name)
            if ip:
                addr, bits = ip.split("/")
                out += [
                    f"Internet Address is {ip} Primary",
                    f"Broadcast address: {_broadcast(addr, int(bits))}",
                    "The Maximum Transmit Unit: 1500 bytes",
                    "input packets : 0, bytes : 0, multicasts : 0",
                    "output packets : 0, bytes : 0, multicasts : 0",
                ]
            out.append("")
        return "\n".join(out) + "\n"

    def _ip_interface_brief(self, s: Session) -> str:
        out = [
            "*down: administratively down",
            "(s): spoofing  (l): loopback",
            "Interface                Physical Protocol IP address      VPN instance Description",
        ]
        for name in self.logical_interfaces(s):
            if name.startswith("Bridge-Aggregation"):
                continue
            link, proto = self._cw_state(s, name)
            ip = (self.ip_address(s, name) or "--").split("/")[0]
            desc = s.device.interface_description(name) or "--"
            out.append(
                f"{self.short_interface(name):<25}{link.lower():<9}{proto.lower():<9}{ip:<16}{'--':<13}{desc}"
            )
        return "\n".join(out) + "\n"


def _broadcast(addr: str, bits: int) -> str:
    value = int.from_bytes(bytes(int(o) for o in addr.split(".")), "big")
    value |= (1 << (32 - bits)) - 1 if bits < 32 else 0
    return ".".join(str(b) for b in value.to_bytes(4, "big"))
