"""H3C Comware routing-table and traffic-counter displays (a base of `HpComware`).

Formats follow networktocode/ntc-templates tests/hp_comware (display ip
routing-table, display counters inbound/outbound interface).  Routes come from
the running configuration: connected networks of the interfaces that are up,
`ip route-static` lines, and -- where the device runs OSPF -- the addresses its
LLDP neighbours on routed /30 links configure (learned over those links).
"""

from __future__ import annotations

import ipaddress
import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import CliError, command
from netsteward.lab.dialects.hp_comware.ports import ComwarePorts
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

Route = tuple[ipaddress.IPv4Network, str, int, int, str, str]  # net, proto, pre, cost, nh, if

LOCAL = [  # what every Comware 7 box lists besides its own networks
    ("0.0.0.0/32", "127.0.0.1", "InLoop0"),
    ("127.0.0.0/8", "127.0.0.1", "InLoop0"),
    ("127.0.0.0/32", "127.0.0.1", "InLoop0"),
    ("127.0.0.1/32", "127.0.0.1", "InLoop0"),
    ("127.255.255.255/32", "127.0.0.1", "InLoop0"),
    ("224.0.0.0/4", "0.0.0.0", "NULL0"),
    ("224.0.0.0/24", "0.0.0.0", "NULL0"),
    ("255.255.255.255/32", "127.0.0.1", "InLoop0"),
]


def config_addresses(config: str) -> list[tuple[str, ipaddress.IPv4Interface]]:
    """(interface, address) for each `ip address` line under an `interface` section."""
    out: list[tuple[str, ipaddress.IPv4Interface]] = []
    current = ""
    for line in config.splitlines():
        if line.startswith("interface "):
            current = line[len("interface ") :].strip()
        elif not line.startswith(" "):
            current = ""
        parts = line.split()
        if current and parts[:2] == ["ip", "address"] and len(parts) >= 4:
            try:
                out.append((current, ipaddress.IPv4Interface(f"{parts[2]}/{parts[3]}")))
            except ValueError:
                continue
    return out


class ComwareExtra(ComwarePorts):
    def _up(self, s: Session, name: str) -> bool:
        if name.startswith(("LoopBack", "M-GigabitEthernet")):
            return True
        return self._cw_state(s, name)[0] == "UP"

    def comware_routes(self, s: Session) -> list[Route]:
        config = s.device.running_text()
        mine = [(n, a) for n, a in config_addresses(config) if self._up(s, n)]
        routes: list[Route] = []
        for name, addr in mine:
            short = self.short_interface(name)
            net = addr.network
            host = ipaddress.IPv4Network(f"{addr.ip}/32")
            routes.append((host, "Direct", 0, 0, "127.0.0.1", "InLoop0"))
            if net.prefixlen < 32:
                routes.append((net, "Direct", 0, 0, str(addr.ip), short))
            if net.prefixlen < 31:
                routes.append(
                    (
                        ipaddress.IPv4Network(f"{net.network_address}/32"),
                        "Direct",
                        0,
                        0,
                        str(addr.ip),
                        short,
                    )
                )
                routes.append(
                    (
                        ipaddress.IPv4Network(f"{net.broadcast_address}/32"),
                        "Direct",
                        0,
                        0,
                        str(addr.ip),
                        short,
                    )
                )
        for dest, nh_if, via in LOCAL:
            routes.append((ipaddress.IPv4Network(dest), "Direct", 0, 0, nh_if, via))
        for line in config.splitlines():
            parts = line.split()
            if parts[:1] != ["ip"] or parts[1:2] != ["route-static"] or len(parts) < 5:
                continue
            try:
                static = ipaddress.IPv4Network(f"{parts[2]}/{parts[3]}", strict=False)
                hop = ipaddress.IPv4Address(parts[4])
            except ValueError:
                continue
            out_if = next((n for n, a in mine if hop in a.network), "")
            if out_if:
                routes.append((static, "Static", 60, 0, str(hop), self.short_interface(out_if)))
        if any(
            line.startswith(" ospf ") or line.startswith("ospf ") for line in config.splitlines()
        ):
            routes += self._ospf_routes(s, mine, {r[0] for r in routes})
        return sorted(routes, key=lambda r: (int(r[0].network_address), r[0].prefixlen, r[4]))

    def _ospf_routes(
        self, s: Session, mine: list[tuple[str, ipaddress.IPv4Interface]], known: set[object]
    ) -> list[Route]:
        by_port = {n: a for n, a in mine if a.network.prefixlen >= 30}
        out: list[Route] = []
        for n in s.device.neighbors():
            addr = by_port.get(n.local_port)
            if addr is None or " ospf " not in "\n" + n.peer.config:
                continue
            theirs = config_addresses(n.peer.config)
            hop = next((a.ip for _, a in theirs if a.ip != addr.ip and a.ip in addr.network), None)
            if hop is None:
                continue
            for _, a in theirs:
                net = a.network
                if net in known:
                    continue
                cost = 1 if net.prefixlen == 32 else 2
                out.append((net, "OSPF", 10, cost, str(hop), self.short_interface(n.local_port)))
        return out

    @command("display ip routing-table", pipe=True)
    def display_ip_routing_table(self, s: Session, args: list[str]) -> str:
        routes = self.comware_routes(s)
        if args and "protocol".startswith(args[0].lower()) and len(args) > 1:
            wanted = args[1].lower()
            if wanted not in ("direct", "static", "ospf", "bgp", "rip", "isis"):
                line = " ".join(["display ip routing-table", *args])
                raise CliError(self.unknown_text(s, line, len(line) - len(args[1])))
            chosen = [r for r in routes if r[1].lower() == wanted]
            name = "ISIS" if wanted == "isis" else wanted.upper()
            name = name.capitalize() if wanted in ("direct", "static") else name
            return (
                "\n".join(
                    [
                        f"Summary count : {len(chosen)}",
                        "",
                        f"{name} Routing table status : <Active>",
                        f"Summary count : {len(chosen)}",
                        "",
                        *(self._route_lines(chosen) if chosen else []),
                        "",
                        f"{name} Routing table status : <Inactive>",
                        "Summary count : 0",
                    ]
                )
                + "\n\n"
            )
        if args:
            try:
                addr = ipaddress.IPv4Address(args[0])
            except ValueError:
                line = " ".join(["display ip routing-table", *args])
                raise CliError(
                    self.unknown_text(s, line, len("display ip routing-table "))
                ) from None
            nets = [r[0] for r in routes if addr in r[0]]
            best = max(nets, key=lambda n: n.prefixlen) if nets else None
            chosen = [r for r in routes if r[0] == best]
            lines = [f"Summary count : {len(chosen)}", ""]
            return "\n".join(lines + (self._route_lines(chosen) if chosen else [])) + "\n\n"
        dests = {r[0] for r in routes}
        out = [
            "",
            f"Destinations : {len(dests)}        Routes : {len(routes)}",
            "",
            *self._route_lines(routes),
        ]
        return "\n".join(out) + "\n\n"

    @staticmethod
    def _route_lines(routes: list[Route]) -> list[str]:
        out = ["Destination/Mask   Proto   Pre Cost        NextHop         Interface"]
        last = None
        for net, proto, pre, cost, hop, via in routes:
            if net == last:
                out.append(f"{'':<43}{hop:<16}{via}")
            else:
                out.append(f"{net!s:<19}{proto:<8}{pre:<4}{cost:<12}{hop:<16}{via}")
            last = net
        return out

    @command("display counters", pipe=True)
    def display_counters(self, s: Session, args: list[str]) -> str:
        if (
            not args
            or args[0].lower()[:2] not in ("in", "ou")
            or not (len(args) > 1 and "interface".startswith(args[1].lower()))
        ):
            line = " ".join(["display counters", *args])
            raise CliError(self.error_incomplete_text(s, line))
        seconds = max(int((s.now() - s.device.boot_time).total_seconds()), 1)
        out = ["Interface         Total (pkts)   Broadcast (pkts)   Multicast (pkts)  Err (pkts)"]
        h = health(s.device, s.now())
        counted = set(h.error_ports) if args[0].lower().startswith("in") else set()
        lags = s.device.spec.lags

        def errors(name: str) -> int:
            members = lags.get(name, [name])
            return sum(h.errors(m)[0] for m in members if m in counted)

        for name in self.interface_names(s) + sorted(lags):
            seed = zlib.crc32(f"{s.device.name}{name}{args[0][:2]}".encode())
            rate = (seed % 900 + 100) if self._cw_state(s, name)[0] == "UP" else 0
            total = rate * seconds // 10
            out.append(
                f"{self.short_interface(name):<14}{total:>15}{total // 211:>19}{total // 37:>19}"
                f"{errors(name):>12}"
            )
        out += [
            "",
            ' Overflow: More than 14 digits (7 digits for column "Err").',
            "       --: Not supported.",
        ]
        return "\n".join(out) + "\n"
