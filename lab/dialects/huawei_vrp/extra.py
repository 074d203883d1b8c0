"""Huawei VRP displays added for the realism check: routing table, ARP and VLAN
briefs, ACLs, SNMP communities, management servers, VPN instances (a base of
`HuaweiVrp`).

`hp_comware` subclasses `HuaweiVrp`; these commands are VRP's only, so on any
other platform a handler answers as the dialect did before they existed (the
command the line matches without them, or the unknown-command caret).
"""

from __future__ import annotations

import ipaddress
import zlib
from datetime import timedelta
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import (
    Dialect,
    Question,
    Reply,
    command,
    fmt_mac,
    vrp_family,
)
from netsteward.lab.dialects.huawei_vrp.extra_config import VrpExtraConfig

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

RULE = "-" * 78


def _age(seconds: int) -> str:
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days}d{hours:02d}h{minutes:02d}m{secs:02d}s"


class VrpExtra(VrpExtraConfig):
    # a cable test changes no configuration
    readonly_commands = Dialect.readonly_commands | {"virtual_cable_test"}

    # -- VRP only ------------------------------------------------------------
    def _vrp_only(self, s: Session, words: str, args: list[str]) -> str | None:
        """None on VRP; elsewhere the answer the line got before these commands existed."""
        if self.platform == "huawei_vrp":
            return None
        return self.answer_without(s, " ".join([words, *args]), _EXTRA)

    # -- routing -------------------------------------------------------------
    def _addressed(self, s: Session) -> list[tuple[str, ipaddress.IPv4Interface]]:
        out = []
        for node in s.device.running.sections("interface "):
            name = node.text[len("interface ") :]
            ip = self.ip_address(s, name)  # type: ignore[attr-defined]
            if ip and not self.is_shutdown(s, name):  # type: ignore[attr-defined]
                out.append((name, ipaddress.IPv4Interface(ip)))
        return out

    def routes(self, s: Session) -> list[dict[str, str]]:
        """The IPv4 routes of the running configuration: direct, host, static, loopback."""
        routes = [
            dict(dest="127.0.0.0/8", proto="Direct", pref="0", hop="127.0.0.1", ifc="InLoopBack0"),
            dict(dest="127.0.0.1/32", proto="Direct", pref="0", hop="127.0.0.1", ifc="InLoopBack0"),
        ]
        addressed = self._addressed(s)
        for name, iface in addressed:
            routes.append(
                dict(dest=str(iface.network), proto="Direct", pref="0", hop=str(iface.ip), ifc=name)
            )
            if iface.network.prefixlen < 32:
                routes.append(
                    dict(dest=f"{iface.ip}/32", proto="Direct", pref="0", hop="127.0.0.1", ifc=name)
                )
        for node in s.device.running.top:
            w = node.text.split()
            if w[:2] != ["ip", "route-static"] or len(w) < 5:
                continue
            net = ipaddress.IPv4Network(f"{w[2]}/{w[3]}", strict=False)
            hop = w[4]
            ifc = "NULL0"
            if hop[0].isdigit():
                for name, iface in addressed:
                    if ipaddress.IPv4Address(hop) in iface.network:
                        ifc = name
            else:
                ifc, hop = hop, (w[5] if len(w) > 5 and w[5][0].isdigit() else "0.0.0.0")
            routes.append(dict(dest=str(net), proto="Static", pref="60", hop=hop, ifc=ifc))
        return sorted(routes, key=lambda r: ipaddress.IPv4Network(r["dest"]))

    @command("display ip routing-table verbose", pipe=True)
    def display_ip_routing_table_verbose(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display ip routing-table verbose", args)
        if other is not None:
            return other
        routes = self.routes(s)
        age = _age(int((s.now() - s.device.boot_time).total_seconds()))
        out = [
            "Route Flags: R - relay, D - download to fib, T - to vpn-instance",
            RULE,
            "Routing Tables: Public",
            f"         Destinations : {len({r['dest'] for r in routes}):<9}"
            f"Routes : {len(routes):<9}",
            "",
        ]
        for r in routes:
            host = r["hop"] == "127.0.0.1"
            state = "Active NoAdv" if host else "Active Adv"
            prio = "medium" if r["proto"] == "Static" else "high"
            out += [
                "",
                f"Destination: {r['dest']}",
                f"     Protocol: {r['proto']:<17}Process ID: 0",
                f"   Preference: {r['pref']:<23}Cost: 0",
                f"      NextHop: {r['hop']:<18}Neighbour: 0.0.0.0",
                f"        State: {state:<22}Age: {age}",
                f"          Tag: 0                  Priority: {prio}",
                "        Label: NULL                QoSInfo: 0x0",
                "   IndirectID: 0x0",
                f" RelayNextHop: 0.0.0.0           Interface: {r['ifc']}",
                "     TunnelID: 0x0                   Flags:  D",
            ]
        return "\n".join(out) + "\n"

    # -- ARP and VLAN briefs --------------------------------------------------
    @command("display arp brief", pipe=True)
    def display_arp_brief(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display arp brief", args)
        if other is not None:
            return other
        own = []
        for name, iface in self._addressed(s):
            if not name.startswith("LoopBack"):
                own.append((str(iface.ip), fmt_mac(s.device.spec.mac), name))
        dynamic = []
        for n in s.device.neighbors():
            if n.peer.mgmt_ip:
                port = s.device.lag_of(n.local_port) or n.local_port
                vlan = self.mgmt_vlan(s, port)  # type: ignore[attr-defined]
                dynamic.append((n.peer.mgmt_ip, fmt_mac(n.peer.mac), port, vlan))
        out = [
            "IP ADDRESS      MAC ADDRESS    EXPIRE(M) TYPE  INTERFACE           VLAN/CEVLAN",
            RULE,
        ]
        for ip, mac, name in own:
            out.append(f"{ip:<16}{mac:<25}{'I -':<6}{name}")
        for i, (ip, mac, port, vlan) in enumerate(dynamic):
            expire = 20 - (i * 7) % 19
            short = self.short_interface(port)
            out.append(f"{ip:<16}{mac:<15}{expire:<10}{'D-0':<6}{short:<23}{vlan}/-")
        out += [
            RULE,
            f"Total:{len(own) + len(dynamic):<10}Dynamic:{len(dynamic):<8}Static:0     "
            f"Interface:{len(own)}",
        ]
        return "\n".join(out) + "\n"

    @command("display vlan brief", pipe=True)
    def display_vlan_brief(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display vlan brief", args)
        if other is not None:
            return other
        table = self.vlan_members(s)  # type: ignore[attr-defined]
        out = [
            "U:Up;D:Down;TG:Tagged;UT:Untagged;",
            "",
            "VID  Name             Status  Ports",
            "-" * 80,
        ]
        for vid in sorted(table):
            name = self.vlan_name(s, vid)  # type: ignore[attr-defined]
            name = name if name.replace(" ", "").isalnum() else ""
            head = f"{vid:<5}{name[:16]:<17}enable  "
            first = True
            for kind, labels in (("UT", table[vid][0]), ("TG", table[vid][1])):
                # three ports on a VLAN's first line, then one a line (as the AP prints them)
                rows = [labels[:3], *([x] for x in labels[3:])] if labels else []
                for i, row in enumerate(rows):
                    lead = head if first else " " * len(head)
                    out.append(lead + (f"{kind}: " if i == 0 else "    ") + " ".join(row))
                    first = False
            if first:
                out.append(head.rstrip())
        return "\n".join(out) + "\n"

    # -- ACLs ------------------------------------------------------------------
    @command("display acl all", pipe=True)
    def display_acl_all(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display acl all", args)
        if other is not None:
            return other
        acls = []
        for node in s.device.running.top:
            w = node.text.split()
            if w[:2] != ["acl", "number"] and w[:2] != ["acl", "name"]:
                continue
            number = next((x for x in w[2:] if x.isdigit()), "")
            name = w[2] if w[1] == "name" else ""
            if not number:
                continue
            rules = [c.text for c in node.children if c.text.startswith("rule ")]
            acls.append((name, number, rules))
        out = [f" Total quantity of nonempty ACL number is {sum(1 for a in acls if a[2])} ", ""]
        for name, number, rules in acls:
            kind = "Basic" if int(number) < 3000 else "Advanced"
            label = f"{name} {number}" if name else number
            count = sum(1 for r in rules if " description " not in r)
            out += [
                f"{kind} ACL {label}, {count} rule{'s' if count != 1 else ''}",
                "Acl's step is 5",
            ]
            for i, rule in enumerate(rules):
                hits = f"({(int(number) * 7 + i * 13) % 400 + 1} matches)" if i == 0 else ""
                out.append(f" {rule} {hits}")
            out.append("")
        return "\n".join(out) + "\n"

    # -- management ------------------------------------------------------------
    @command("display snmp-agent community read", pipe=True)
    def display_snmp_agent_community_read(self, s: Session, args: list[str]) -> str:
        """The read communities as the device shows them: in cipher form, never plain."""
        other = self._vrp_only(s, "display snmp-agent community read", args)
        if other is not None:
            return other
        out = []
        for node in s.device.running.top:
            w = node.text.split()
            if w[:4] != ["snmp-agent", "community", "read", "cipher"] or len(w) < 5:
                continue
            out += [
                f"   Community name: {w[4]} ",
                "   Storage type: nonVolatile ",
                "   View name: ViewDefault ",
            ]
            if "acl" in w[5:]:
                out.append(f"   Acl: {w[w.index('acl', 5) + 1]}")
            out.append("")
        out += [f"   Total number is {sum(1 for x in out if 'Community name' in x)} "]
        return "\n".join(out) + "\n"

    def _has(self, s: Session, *prefixes: str) -> bool:
        return any(n.text.startswith(prefixes) for n in s.device.running.top)

    @command("display telnet server status", pipe=True)
    def display_telnet_server_status(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display telnet server status", args)
        if other is not None:
            return other
        on = "Enable" if self._has(s, "telnet server enable") else "Disable"
        rows = [
            ("TELNET IPv4 server", on),
            ("TELNET IPv6 server", on),
            ("TELNET server port", "23"),
            ("TELNET server source address", "0.0.0.0"),
            ("ACL4 number", "0"),
            ("ACL6 number", "0"),
        ]
        return "".join(f" {k:<41}:{v}\n" for k, v in rows)

    @command("display http server", pipe=True)
    def display_http_server(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display http server", args)
        if other is not None:
            return other
        secure = "enabled" if self._has(s, "http secure-server enable") else "disabled"
        rows = [
            ("HTTP Server Status", "disabled"),
            ("HTTP Server Port", "80(80)"),
            ("HTTP Timeout Interval", "20"),
            ("Current Online Users", "0"),
            ("Maximum Users Allowed", "5"),
            ("HTTP Secure-server Status", secure),
            ("HTTP Secure-server Port", "443(443)"),
            ("HTTP SSL Policy", "Default"),
            ("HTTP IPv6 Server Status", "disabled"),
            ("HTTP IPv6 Server Port", "80(80)"),
            ("HTTP IPv6 Secure-server Status", "disabled"),
            ("HTTP IPv6 Secure-server Port", "443(443)"),
            ("HTTP server source address", "0.0.0.0"),
        ]
        return "".join(f"   {k:<32}: {v}\n" for k, v in rows)

    # -- inventory: ESN, licence, modules ---------------------------------------
    @command("display sn license", pipe=True)
    def display_sn_license(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display sn license", args)
        if other is not None:
            return other
        return f" ESN of device: {s.device.spec.serial}\n"

    @command("display license verbose", pipe=True)
    def display_license_verbose(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display license verbose", args)
        if other is not None:
            return other
        spec = s.device.spec
        family = vrp_family(spec.model)
        seed = zlib.crc32(spec.name.encode())
        created = s.device.boot_time - timedelta(days=30 + seed % 200)
        serial = f"LIC{created:%Y%m%d}{seed % 100000:05d}"
        version = spec.version.split("SPC")[0]
        head = [
            ("Active license", f"flash:/{serial}.dat"),
            ("License state", "Normal"),
            ("Revoke ticket", "No ticket"),
            ("License mode", "common"),
            None,
            ("Product name", family),
            ("Product version", version),
            ("License file ESN", spec.serial),
            ("License Serial No", serial),
            ("Creator", "Huawei Technologies Co., Ltd."),
            ("Created Time", f"{created:%Y-%m-%d %H:%M:%S}"),
            ("Country", "China"),
            ("Custom", "Yanmen Municipal Government"),
            ("Office", "Beijing"),
            None,
            ("Feature name", f"{family}Base"),
            ("Authorize type", "comm"),
            ("Expired date", "PERMANENT"),
            ("Trial days", "--"),
        ]
        items = [
            (f"L-{family}-FUNC", f"LCS{family}01", "Function", "1", "1", "Basic Function License"),
            (f"L-{family}-PORT", f"LCS{family}02", "Resource", "48", "24", "Port License"),
        ]
        out = [f" {k:<18}: {v}" if k else "" for k, v in (x or ("", "") for x in head)]
        for sale, item, kind, control, used, desc in items:
            out += [
                "",
                f" {'Sale name':<18}: {sale}",
                f" {'Item name':<18}: {item}",
                f" {'Item type':<18}: {kind}",
                f" {'Control value':<18}: {control}",
                f" {'Used value':<18}: {used}",
                f" {'Item state':<18}: Normal",
                f" {'Item expired date':<18}: PERMANENT",
                f" {'Item trial days':<18}: 0",
                f" {'Description':<18}: {desc}",
            ]
        return "\n".join(out) + "\n"

    @command("display module-information verbose", pipe=True)
    def display_module_information_verbose(self, s: Session, args: list[str]) -> str:
        other = self._vrp_only(s, "display module-information verbose", args)
        if other is not None:
            return other
        boot = s.device.boot_time
        version = s.device.spec.version
        wide, wider = "-" * 104, "-" * 110
        stars = "*" * 76
        return (
            "\n".join(
                [
                    "                       Module Information",
                    wide,
                    "Module               Version             InstallTime                   PackageName",
                    wide,
                    f"{'semls':<21}{version:<20}{boot:%Y-%m-%d %H:%M:%S}           "
                    f"{vrp_family(s.device.spec.model)}-{version}.MOD",
                    wide,
                    "Total = 1",
                    stars,
                    "*             Information about patch errors is as follows:                *",
                    stars,
                    "",
                    "SlotID/CpuID   CurrentVersion",
                    "-" * 76,
                    "No patch error occurs on any board",
                    "-" * 76,
                    "Total = 0",
                    "Board Info :",
                    wider,
                    "SlotID/CpuID    ProcName            Type     FileName      EffectiveTime"
                    "                      Module",
                    wider,
                    f"{'0/0':<16}{'swm_daemon_master':<20}{'C':<9}{'HM780000.mod':<14}"
                    f"{boot:%Y-%m-%d %H:%M:%S}.{(boot.microsecond // 1000):03d}            semls",
                    wider,
                    "Total = 1",
                ]
            )
            + "\n"
        )

    # -- cable diagnostics -------------------------------------------------------
    @command("virtual-cable-test", modes=("interface",))
    def virtual_cable_test(self, s: Session, args: list[str]) -> str | Reply:
        other = self._vrp_only(s, "virtual-cable-test", args)
        if other is not None:
            return other
        return Reply(
            "",
            question=Question(
                "Warning: The command will stop service for a while. Continue? [Y/N]:",
                self._cable_test_answer,
            ),
        )

    def _cable_test_answer(self, s: Session, answer: str) -> str:
        if not answer.lower().startswith("y"):
            return ""
        port = s.section.text[len("interface ") :] if s.section is not None else ""
        up = self.link_state(s, port)[0] == "up"  # type: ignore[attr-defined]
        seed = zlib.crc32(f"{s.device.name} {port}".encode())
        out = ["Info: This operation may take a few seconds. Please wait for a moment..done."]
        for i, pair in enumerate("ABCD"):
            # a connected cable has no fault to locate; an open one ends where it was cut
            out.append(f"Pair {pair} length: {'Unknown' if up else f'{(seed >> i) % 60 + 2}m'}")
        for pair in "ABCD":
            out.append(f"Pair {pair} state: {'Ok' if up else 'Open'}")
        out.append("Info: The test result is only for reference.")
        return "\n".join(out) + "\n"


# handler names of this module and its base: not answered on other platforms
_EXTRA = frozenset(
    name
    for klass in (VrpExtra, VrpExtraConfig)
    for name, value in vars(klass).items()
    if getattr(value, "_lab_commands", None)
)
