"""H3C Comware 7 displays of routing configuration an operator adds at run time:
BGP peers, VPN instances, route policies (a base of `HpComware`).

Formats follow networktocode/ntc-templates tests/hp_comware (display bgp peer ipv4,
display ip vpn-instance [instance-name NAME], display route-policy).  The fleet's
initial configurations carry none of these; every display derives from the
running configuration (and, for BGP, the cabling and the peer's configuration):

- `bgp AS` / `peer X as-number AS` / `address-family ipv4 [unicast]` /
  `peer X enable`: the peers enabled for IPv4 unicast are listed, in the state
  the lab's one BGP rule gives them (`netsteward.lab.dialects.bgp_common`: Established when
  the device at the far end of a cable has X and configures us back, a Comware
  one enabling us for IPv4 unicast; else Active when X is on a connected subnet
  or a cabled device's, else Idle).  Our addresses are those of our interfaces
  that are up.  Simplified: the session is up since the later of the two ends
  booted (not since it was configured), keepalives count one message a minute,
  the prefixes received are the `network` lines of the peer's BGP section.
- `ip vpn-instance NAME` with `route-distinguisher`, `description`,
  `vpn-target ... [export-extcommunity|import-extcommunity]`,
  `import|export route-policy`, `tnl-policy`, `routing-table limit`, and
  `address-family ipv6` holding the IPv6 ones; interfaces bind with
  `ip binding vpn-instance NAME`.  Simplified: `address-family ipv4` settings
  are shown with the instance-wide ones (the inline layout), the creation time
  of an instance is the device's boot time, IDs follow configuration order.
- `route-policy NAME permit|deny node N` views with `if-match` / `apply` lines.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects import bgp_common as bgp
from netsteward.lab.dialects.base import CliError, command
from netsteward.lab.dialects.hp_comware.extra import ComwareExtra, config_addresses

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.configtree import Node
    from netsteward.lab.engine.session import Session

ROUTE_POLICY = re.compile(r"^route-policy (\S+) (permit|deny) node (\d+)$")


def up_down(seconds: int) -> str:
    """Comware's Up/Down column: `08:30:47` within a day, else `0286h47m`."""
    hours, rest = divmod(max(seconds, 0), 3600)
    if hours < 24:
        return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{hours:04d}h{rest // 60:02d}m"


class ComwareRouting(ComwareExtra):
    # `address-family ipv4 unicast` under `bgp`, `address-family ipv6` under a VPN instance
    nested_view_words = ("rule name ", "ipv4-family", "area ", "address-family ")

    # -- views and their prompts ------------------------------------------------
    def _view_for(self, text: str) -> str | None:
        m = ROUTE_POLICY.match(" ".join(text.split()))
        if m:
            return f"route-policy-{m.group(1)}-{m.group(3)}"
        words = text.split()
        if words[:1] == ["bgp"] and len(words) == 2:
            return "bgp-default"
        if words[:2] == ["ip", "vpn-instance"] and len(words) == 3:
            return f"vpn-instance-{words[2]}"
        return super()._view_for(text)

    def view_label(self, node: Node | None) -> str:
        if (
            node is not None
            and node.text.startswith("address-family ")
            and node.parent is not None
            and node.parent.parent is not None
        ):
            family = node.text.split()[1]
            above = node.parent.text.split()
            if above[:2] == ["ip", "vpn-instance"]:
                return f"vpn-{family}-{above[2]}"
            return f"{self.view_label(node.parent)}-{family}"
        return super().view_label(node)

    # -- what deleting or binding takes with it -----------------------------------------
    def config_line(self, s: Session, line: str) -> str:
        """As the parent, plus Comware's side effects: `undo peer X` in BGP view drops the
        peer from the address families too, `undo ip vpn-instance X` unbinds the
        interfaces bound to X, and `[undo] ip binding vpn-instance` clears the
        interface's IP addresses (they are configured again after binding)."""
        w = line.split()
        section = s.section
        if section is not None and s.mode == "view" and w[:2] == ["undo", "peer"] and len(w) == 3:
            if section.text.split()[:1] == ["bgp"]:
                for family in section.children:
                    for c in list(family.children):
                        if c.text.startswith(f"peer {w[2]} "):
                            c.remove()
        elif s.mode == "system" and w[:3] == ["undo", "ip", "vpn-instance"] and len(w) == 4:
            for node in s.device.running.sections("interface "):
                for c in list(node.children):
                    if c.text == f"ip binding vpn-instance {w[3]}":
                        c.remove()
        elif (
            section is not None
            and s.mode == "interface"
            and w[w[:1] == ["undo"] :][:3] == ["ip", "binding", "vpn-instance"]
        ):
            for c in list(section.children):
                if c.text.startswith("ip address "):
                    c.remove()
        return super().config_line(s, line)

    # -- BGP -----------------------------------------------------------------------
    @command("display bgp peer", pipe=True)
    def display_bgp_peer(self, s: Session, args: list[str]) -> str:
        """Comware 7 wants an address family after `peer`."""
        line = " ".join(["display bgp peer", *args])
        if args:
            raise CliError(self.unknown_text(s, line, len("display bgp peer ")))
        raise CliError(self.error_incomplete_text(s, "display bgp peer"))

    @command("display bgp peer ipv4", pipe=True)
    def display_bgp_peer_ipv4(self, s: Session, args: list[str]) -> str:
        if args and not "unicast".startswith(args[0].lower()):
            line = " ".join(["display bgp peer ipv4", *args])
            raise CliError(self.unknown_text(s, line, len("display bgp peer ipv4 ")))
        process = bgp.bgp_config(self.platform, s.device.running_text())
        if process is None:
            return ""  # no BGP process: nothing to show
        ours = {
            n: a
            for n, a in config_addresses(s.device.running_text())
            if self._up(s, n) and a.network.prefixlen < 32
        }
        far_ends = bgp.far_ends(s.device, lambda d: d.boot_time)
        rows = [
            self._bgp_row(
                s,
                peer,
                asn,
                bgp.peer_state(ours, s.device.boot_time, process.local_as, peer, asn, far_ends),
            )
            for peer, asn in process.peers.items()
        ]
        established = sum(1 for r in rows if r.endswith("Established"))
        return (
            "\n".join(
                [
                    "",
                    f" BGP local router ID: {self._router_id(s, process)}",
                    f" Local AS number: {process.local_as}",
                    f" Total number of peers: {len(rows):<18}Peers in established state: {established}",
                    "",
                    "  * - Dynamically created peer",
                    "  Peer                    AS  MsgRcvd  MsgSent OutQ PrefRcv Up/Down  State",
                    "",
                    *rows,
                ]
            )
            + "\n"
        )

    def _router_id(self, s: Session, process: bgp.BgpConfig) -> str:
        if process.router_id:
            return process.router_id
        loops = [
            a.ip for n, a in config_addresses(s.device.running_text()) if n.startswith("LoopBack")
        ]
        return str(max(loops)) if loops else "0.0.0.0"

    def _bgp_row(self, s: Session, peer: str, asn: str, ps: bgp.PeerState) -> str:
        """One line of the peer table."""
        seconds = int((s.now() - (ps.since or s.device.boot_time)).total_seconds())
        received = sent = 0
        if ps.state == "Established":
            seed = zlib.crc32(f"{s.device.name} {ps.far_end} {peer}".encode())
            received = seconds // 60 + 3 + ps.prefixes + seed % 5
            sent = seconds // 60 + 3 + seed % 7
        return (
            f"  {peer:<15}{asn:>11}{received:>9}{sent:>9}{0:>5}{ps.prefixes:>8}"
            f" {up_down(seconds):<8} {ps.state}"
        )

    # -- VPN instances ---------------------------------------------------------------
    def _vpn_settings(self, node: Node) -> dict[str, dict[str, list[str]]]:
        """Per family ('' for the instance-wide and IPv4 lines, 'IPv6 '): setting -> values."""
        out: dict[str, dict[str, list[str]]] = {"": {}, "IPv6 ": {}}
        for c in node.children:
            family = "IPv6 " if c.text.startswith("address-family ipv6") else ""
            lines = [x.text for x in c.children] if c.text.startswith("address-family ") else []
            for text in lines or [c.text]:
                w = text.split()
                into = out[family]
                if w[:1] == ["vpn-target"] and len(w) > 1:
                    kind = w[-1] if w[-1].endswith("-extcommunity") else "both"
                    targets = [t for t in w[1:] if ":" in t]
                    for way in ("export", "import"):
                        if kind in ("both", f"{way}-extcommunity"):
                            into.setdefault(way, []).extend(targets)
                elif w[:2] in (["import", "route-policy"], ["export", "route-policy"]) and w[2:]:
                    into[f"{w[0]}-policy"] = [w[2]]
                elif w[:1] == ["tnl-policy"] and w[1:]:
                    into["tunnel"] = [w[1]]
                elif w[:2] == ["routing-table", "limit"] and w[2:]:
                    into["limit"] = [w[2]]
                elif w[:1] == ["route-distinguisher"] and w[1:]:
                    out[""]["rd"] = [w[1]]
                elif w[:1] == ["description"] and w[1:]:
                    out[""]["description"] = [text.split(None, 1)[1]]
        return out

    @staticmethod
    def _created(s: Session) -> str:
        return f"{s.device.boot_time:%Y/%m/%d %H:%M:%S}"

    @command("display ip vpn-instance", pipe=True)
    def display_ip_vpn_instance(self, s: Session, args: list[str]) -> str:
        vpns = self.vpn_instances(s)
        out = [f"  Total VPN-Instances configured : {len(vpns)}"]
        if vpns:
            out.append("  VPN-Instance Name               RD                     Create time")
        for name in vpns:
            node = s.device.running.section(f"ip vpn-instance {name}")
            rd = self._vpn_settings(node)[""].get("rd", [""])[0] if node else ""
            out.append(f"  {name:<32}{rd:<23}{self._created(s)}")
        return "\n".join(out) + "\n"

    @command("display ip vpn-instance instance-name", pipe=True)
    def display_ip_vpn_instance_instance_name(self, s: Session, args: list[str]) -> str:
        if not args:
            raise CliError(self.error_incomplete_text(s, "display ip vpn-instance instance-name"))
        vpns = self.vpn_instances(s)
        if args[0] not in vpns:
            return f" The VPN instance {args[0]} does not exist.\n"
        node = s.device.running.section(f"ip vpn-instance {args[0]}")
        settings = self._vpn_settings(node) if node else {"": {}, "IPv6 ": {}}
        d, rest = divmod(int((s.now() - s.device.boot_time).total_seconds()), 86400)
        h, rest = divmod(rest, 3600)
        out = [
            f"  VPN-Instance Name and ID : {args[0]}, {list(vpns).index(args[0]) + 1}",
            f"  Create time : {self._created(s)}",
            f"  Up time : {d} days, {h:02d} hours, {rest // 60:02d} minutes"
            f" and {rest % 60:02d} seconds",
        ]
        top = settings[""]
        if "rd" in top:
            out.append(f"  Route Distinguisher : {top['rd'][0]}")
        if "description" in top:
            out.append(f"  Description : {top['description'][0]}")
        for family, these in settings.items():
            for key, label in (("export", "Export VPN Targets"), ("import", "Import VPN Targets")):
                if these.get(key):
                    out.append(f"  {family}{label} :  {' '.join(these[key])}")
            for key, label in (
                ("import-policy", "Import Route Policy"),
                ("export-policy", "Export Route Policy"),
                ("tunnel", "Tunnel Policy"),
                ("limit", "Maximum Routes Limit"),
            ):
                if these.get(key):
                    out.append(f"  {family}{label} : {these[key][0]}")
        bound = vpns[args[0]]
        for i in range(0, len(bound), 2):
            pair = ", ".join(bound[i : i + 2]) + ("," if i + 2 < len(bound) else "")
            out.append(("  Interfaces : " if i == 0 else " " * 15) + pair)
        return "\n".join(out) + "\n"

    # -- route policies ------------------------------------------------------------------
    @command("display route-policy", pipe=True)
    def display_route_policy(self, s: Session, args: list[str]) -> str:
        nodes: dict[str, list[tuple[int, str, list[str]]]] = {}
        for node in s.device.running.top:
            m = ROUTE_POLICY.match(node.text)
            if m is None or (args and m.group(1) != args[0]):
                continue
            lines = [c.text for c in node.children]
            body = [x for x in lines if x.startswith("if-match ")]
            body += [x for x in lines if x.startswith("apply ")]
            nodes.setdefault(m.group(1), []).append((int(m.group(3)), m.group(2), body))
        out: list[str] = []
        for name in sorted(nodes):
            if out:
                out.append("")
            out.append(f"Route-policy: {name}")
            for number, action, body in sorted(nodes[name]):
                out.append(f"  {action.capitalize():<7}: {number}")
                out += [f"         {x}" for x in body]
        return "\n".join(out) + "\n" if out else ""
