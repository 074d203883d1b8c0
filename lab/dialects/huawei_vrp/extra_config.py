"""Huawei VRP displays of configuration an operator adds at run time: BGP peers,
packet filters, NAT servers, VPN instances (a base of `VrpExtra`, which holds the
VRP-only guard `_vrp_only` and the interface addresses `_addressed`).

The fleet's initial configurations carry none of these but the IPS management
VPN instance; the displays show what the running configuration holds.
"""

from __future__ import annotations

import ipaddress
import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects import bgp_common as bgp
from netsteward.lab.dialects.base import Dialect, command, fmt_mac

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session
    from netsteward.lab.engine.state import Neighbor


class VrpExtraConfig(Dialect):
    if TYPE_CHECKING:  # pragma: no cover - defined by `VrpExtra`

        def _vrp_only(self, s: Session, words: str, args: list[str]) -> str | None: ...

        def _addressed(self, s: Session) -> list[tuple[str, ipaddress.IPv4Interface]]: ...

    # -- VPN instances ---------------------------------------------------------
    def vpn_instances(self, s: Session) -> dict[str, list[str]]:
        """VPN instance name -> the interfaces bound to it, in configuration order."""
        out: dict[str, list[str]] = {}
        for node in s.device.running.top:
            w = node.text.split()
            if w[:2] == ["ip", "vpn-instance"] and len(w) > 2:
                out.setdefault(w[2], [])
        for node in s.device.running.sections("interface "):
            for c in node.children:
                w = c.text.split()
                if w[:3] == ["ip", "binding", "vpn-instance"] and len(w) > 3:
                    out.setdefault(w[3], []).append(node.text[len("interface ") :])
        return out

    @command("display ip vpn-instance interface", pipe=True)
    def display_ip_vpn_instance_interface(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display ip vpn-instance interface", args)
        if other is not None:
            return other
        vpns = self.vpn_instances(s)
        out = [f" Total VPN-Instances configured      : {len(vpns)}", ""]
        for i, (name, ifaces) in enumerate(vpns.items(), 1):
            out += [
                f" VPN-Instance Name and ID : {name}, {i}",
                f"  Interface Number : {len(ifaces)} ",
            ]
            for j, iface in enumerate(ifaces):
                lead = "  Interface list : " if j == 0 else " " * 19
                out.append(lead + iface + (", " if j < len(ifaces) - 1 else ""))
            out.append("")
        return "\n".join(out) + "\n"

    # -- from configuration added at run time: BGP, packet filters, NAT, VRFs -------
    @command("display bgp peer", pipe=True)
    def display_bgp_peer(self, s: Session, args: list[str]) -> str:
        """The peers of the running `bgp` section, in the state the lab's one BGP rule
        gives them (`netsteward.lab.dialects.bgp_common`: Established when the far end configures
        us back, else Active on a connected subnet, else Idle); the session came up
        when the later of the two ends booted, keepalives count one message a minute,
        the prefixes received are the far end's `network` lines."""
        other = self._vrp_only(s, "display bgp peer", args)
        if other is not None:
            return other
        node = next((n for n in s.device.running.top if n.text.split()[:1] == ["bgp"]), None)
        if node is None or len(node.text.split()) < 2:
            return "Info: The BGP process is not running.\n"
        local_as = node.text.split()[1]
        router_id = next(
            (c.text.split()[1] for c in node.children if c.text.startswith("router-id ")), ""
        )
        ours = dict(self._addressed(s))
        if not router_id:
            loops = [str(i.ip) for n, i in ours.items() if n.startswith("LoopBack")]
            router_id = loops[0] if loops else "0.0.0.0"
        far_ends = bgp.far_ends(s.device, lambda d: d.boot_time)
        peers = []
        for c in node.children:
            w = c.text.split()
            if w[:1] != ["peer"] or len(w) < 4 or w[2] != "as-number" or not bgp.is_ipv4(w[1]):
                continue  # not a peer statement, or a peer group
            ps = bgp.peer_state(ours, s.device.boot_time, local_as, w[1], w[3], far_ends)
            up = ps.state == "Established"
            up_seconds = int((s.now() - (ps.since or s.now())).total_seconds())
            seed = zlib.crc32(f"{s.device.name} {w[1]}".encode())
            msgs = up_seconds // 60 + seed % 50 if up else 0
            hours, rest = divmod(up_seconds, 3600)
            updown = f"{hours}h{rest // 60:02d}m" if up else "00:00:07"
            peers.append(
                (w[1], w[3], msgs, (msgs + seed % 7) if up else 0, updown, ps.state, ps.prefixes)
            )
        out = [
            " Status codes: * - Dynamic",
            f" BGP local router ID        : {router_id}",
            f" Local AS number            : {local_as}",
            f" Total number of peers      : {len(peers)}",
            f" Peers in established state : {sum(1 for p in peers if p[5] == 'Established')}",
            " Total number of dynamic peers : 0",
            "",
            "  Peer            V          AS  MsgRcvd  MsgSent  OutQ  Up/Down       State  PrefRcv",
        ]
        for peer, asn, rcvd, sent, updown, state, pref in peers:
            out.append(
                f"  {peer:<16}4{asn:>12}{rcvd:>9}{sent:>9}     0  {updown:<9}{state:>12}{pref:>9}"
            )
        return "\n".join(out) + "\n"

    @command("display traffic-filter applied-record", pipe=True)
    def display_traffic_filter_applied_record(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display traffic-filter applied-record", args)
        if other is not None:
            return other
        rows = []
        for node in s.device.running.sections("interface "):
            for c in node.children:
                w = c.text.split()
                if w[:1] == ["traffic-filter"] and len(w) >= 4 and w[1] in ("inbound", "outbound"):
                    record = " ".join(w[2:])
                    rows.append(f"{node.text[len('interface ') :]:<28}{w[1]:<11}{record}")
        rule = "-" * 59
        out = [rule, "Interface                   Direction  AppliedRecord", rule, *rows, rule]
        return "\n".join([*out, f"Total:{len(rows)}"]) + "\n"

    @command("display nat server", pipe=True)
    def display_nat_server(self, s: Session, args: list[str]) -> str:
        """The interface `nat server protocol P global G GP inside I IP` lines (AR syntax)."""
        other = self._vrp_only(s, "display nat server", args)
        if other is not None:
            return other
        protocols = {"tcp": "6(tcp)", "udp": "17(udp)"}
        out = ["  Nat Server Information:"]
        total = 0
        for node in s.device.running.sections("interface "):
            name = node.text[len("interface ") :]
            entries = []
            for c in node.children:
                w = c.text.split()
                if w[:3] != ["nat", "server", "protocol"] or "global" not in w or "inside" not in w:
                    continue
                g, i = w.index("global"), w.index("inside")
                glob, gport = w[g + 1], (w[g + 2] if g + 2 < i else "0")
                inside, iport = w[i + 1], (w[i + 2] if i + 2 < len(w) else "0")
                if glob == "current-interface":
                    ip = self.ip_address(s, name)  # type: ignore[attr-defined]
                    glob = (
                        f"current-interface/{gport} (Real IP : {(ip or '0.0.0.0').split('/')[0]})"
                    )
                else:
                    glob = f"{glob}/{gport}"
                entries.append((glob, f"{inside}/{iport}", protocols.get(w[3], w[3])))
            if not entries:
                continue
            out.append(f"  Interface  : {name}")
            for glob, inside, proto in entries:
                out += [
                    f"    Global IP/Port     : {glob}",
                    f"    Inside IP/Port     : {inside}",
                    f"    Protocol : {proto}",
                    "    VPN instance-name  : ----",
                    "    Acl number         : ----",
                    "    Vrrp id            : ----",
                    "    Description : ----",
                    "",
                ]
            total += len(entries)
        out.append(f"  Total :    {total}")
        return "\n".join(out) + "\n"

    @command("display ip vpn-instance", pipe=True)
    def display_ip_vpn_instance(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display ip vpn-instance", args)
        if other is not None:
            return other
        rows = []
        for name in self.vpn_instances(s):
            node = s.device.running.section(f"ip vpn-instance {name}")
            families = [c for c in node.children if c.text.startswith("ipv")] if node else []
            if not families:  # bound to interfaces, no address family: IPv4, no RD
                rows.append((name, "", "IPv4"))
            for fam in families:
                rd = ""
                for c in fam.children:
                    if c.text.startswith("route-distinguisher "):
                        rd = c.text.split()[1]
                rows.append((name, rd, "IPv6" if fam.text.startswith("ipv6") else "IPv4"))
        v4 = len({r[0] for r in rows if r[2] == "IPv4"})
        v6 = len({r[0] for r in rows if r[2] == "IPv6"})
        out = [
            f" Total VPN-Instances configured      : {len({r[0] for r in rows})}",
            f" Total IPv4 VPN-Instances configured : {v4}",
            f" Total IPv6 VPN-Instances configured : {v6}",
            "",
            "  VPN-Instance Name               RD                    Address-family",
        ]
        out += [f"  {n:<32}{rd:<22}{fam}".rstrip() for n, rd, fam in rows]
        return "\n".join(out) + "\n"

    # -- neighbours both ends configure: IS-IS adjacencies, IPv6 neighbours -------
    def _both_ends(self, s: Session, word: str) -> list[tuple[str, Neighbor, list[str]]]:
        """(local interface, neighbour, the peer port's lines) for every cabled neighbour
        whose port carries a line starting with `word` at both ends (a LAG member counts
        for its LAG)."""
        out: list[tuple[str, Neighbor, list[str]]] = []
        for n in s.device.neighbors():
            local = s.device.lag_of(n.local_port) or n.local_port
            mine = s.device.running.section(f"interface {local}")
            peer = s.device.lab.device(n.peer.name)
            far = peer.lag_of(n.peer_port) or n.peer_port
            theirs = peer.running.section(f"interface {far}")
            if mine is None or theirs is None:
                continue
            if any(c.text.startswith(word) for c in mine.children):
                lines = [c.text for c in theirs.children]
                if any(x.startswith(word) for x in lines) and local not in [o[0] for o in out]:
                    out.append((local, n, lines))
        return out

    @command("display isis peer", pipe=True)
    def display_isis_peer(self, s: Session, args: list[str]) -> str:
        """Adjacencies on the ports where both ends run `isis enable` (dynamic host names
        as system IDs, point-to-point circuits)."""
        other = self._vrp_only(s, "display isis peer", args)
        if other is not None:
            return other
        processes: dict[str, list[tuple[str, Neighbor]]] = {}
        for local, n, _ in self._both_ends(s, "isis enable"):
            node = s.device.running.section(f"interface {local}")
            words = [c.text.split() for c in (node.children if node else [])]
            pid = next((w[2] for w in words if w[:2] == ["isis", "enable"] and len(w) > 2), "1")
            processes.setdefault(pid, []).append((local, n))
        out = []
        now = s.now()
        for pid, peers in sorted(processes.items()):
            out += [
                "",
                f"                          Peer information for ISIS({pid})",
                "",
                "  System Id     Interface          Circuit Id        State HoldTime Type     PRI",
                "-" * 80,
            ]
            for local, n in peers:
                seed = zlib.crc32(f"{s.device.name} {local}".encode())
                hold = 21 + (now.second + seed) % 9  # counts down between hellos
                name = n.peer.name
                out.append(
                    f"{name[:15]:<16}{self.short_interface(local):<19}{seed % 200 + 1:010d}"
                    f"         Up   {f'{hold}s':<9}L2       --"
                )
                if len(name) > 15:
                    out.append(name[15:])
            out += ["", f"Total Peer(s): {len(peers)}"]
        return "\n".join(out) + "\n"

    @command("display ipv6 neighbors", pipe=True)
    def display_ipv6_neighbors(self, s: Session, args: list[str]) -> str:
        """The link-local (EUI-64 of the peer's MAC) and configured global addresses of
        neighbours on ports where both ends run `ipv6 enable`."""
        other = self._vrp_only(s, "display ipv6 neighbors", args)
        if other is not None:
            return other
        entries = []
        for local, n, lines in self._both_ends(s, "ipv6 enable"):
            mac = fmt_mac(n.peer.mac)
            octets = bytes.fromhex(mac.replace("-", ""))
            eui = bytes([octets[0] ^ 2, *octets[1:3], 0xFF, 0xFE, *octets[3:]])
            link_local = ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + eui)
            addresses = [x.split()[2].split("/")[0] for x in lines if x.startswith("ipv6 address ")]
            for address in [a for a in addresses if "link-local" not in a] + [str(link_local)]:
                entries.append((address.upper(), mac, local))
        out = ["-" * 77]
        for i, (address, mac, local) in enumerate(entries):
            state = "REACH" if i % 2 == 0 else "STALE"
            age = (s.now().second * 7 + i * 13) % 120
            out += [
                f"IPv6 Address : {address}",
                f"Link-layer   : {mac}                     State   : {state}",
                f"Interface    : {self.short_interface(local):<35}Age     : {age}",
                "VLAN         : -                                  CEVLAN  : -",
                "VPN name     : -                                  Is Router: TRUE",
                "Secure FLAG  : UNSECURE                           Nickname  : -",
                "",
            ]
        out += ["-" * 77, f"Total: {len(entries):<8}Dynamic: {len(entries):<6}Static: 0"]
        return "\n".join(out) + "\n"

    # -- MPLS TE -------------------------------------------------------------------
    @command("display mpls te tunnel", pipe=True)
    def display_mpls_te_tunnel(self, s: Session, args: list[str]) -> str:
        """The ingress LSPs of the `interface TunnelN` sections signalled by MPLS TE."""
        other = self._vrp_only(s, "display mpls te tunnel", args)
        if other is not None:
            return other
        lsr_id = next(
            (n.text.split()[2] for n in s.device.running.top if n.text.startswith("mpls lsr-id ")),
            "",
        )
        if not lsr_id:
            loops = [str(i.ip) for n, i in self._addressed(s) if n.startswith("LoopBack")]
            lsr_id = loops[0] if loops else "0.0.0.0"
        rows = []
        for node in s.device.running.sections("interface Tunnel"):
            lines = [c.text for c in node.children]
            if "tunnel-protocol mpls te" not in lines:
                continue
            dest = next((x.split()[1] for x in lines if x.startswith("destination ")), "")
            if not dest:
                continue
            name = node.text[len("interface ") :]
            name = next(
                (x.split()[-1] for x in lines if x.startswith("mpls te signalled tunnel-name ")),
                name,
            )
            seed = zlib.crc32(f"{s.device.name} {name}".encode())
            rows.append(
                f"{lsr_id:<16}{dest:<16}{seed % 30000 + 1:<6}{f'-/{1024 + seed % 3000}':<16}I {name}"
            )
        rule = "-" * 79
        out = [
            "* means the LSP is detour LSP",
            rule,
            "Ingress LsrId   Destination     LSPID In/OutLabel     R Tunnel-name",
            rule,
            *rows,
            rule,
            "R: Role, I: Ingress, T: Transit, E: Egress",
        ]
        return "\n".join(out) + "\n"
