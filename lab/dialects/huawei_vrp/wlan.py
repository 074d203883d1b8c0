"""Huawei VRP WLAN access-controller displays: `display ap all`, `display service-set
all`, `display service-set id N` / `name X` (a base of `HuaweiVrp`).

The configuration lives in the `wlan` view of the running configuration (the
view word is registered in `netsteward.lab.dialects.huawei_vrp.cli`), as an S-series switch
acting as a native AC stores it::

    capwap source interface Vlanif100
    #
    wlan
     ap-group name F03-APS
     ap-id 0 type-id 60 ap-mac 00e0-fc12-3456 ap-sn 2102354DNS10L4000001
      ap-name F03-AP-01
      ap-group F03-APS
     traffic-profile name traf id 0
     security-profile name sec id 1
     service-set name OFFICE id 1
      wlan-bss 7
      ssid OFFICE-WIFI
      traffic-profile id 0
      security-profile id 1

The two real samples come from two VRP generations: `display ap all` from the
V200R010+ AC model (`ap-id ... ap-mac ...`, AirEngine types), the service-set
displays from the V200R005-era model (service sets, traffic and security
profiles with numeric ids, Wlan-Bss interfaces).  A real V200R019 S12700E has no
service sets (it has vap/ssid profiles); the lab accepts both syntaxes in the
same `wlan` view so that both real displays can be derived.

As on VRP, a line of an upper view typed in a wlan sub-view leaves the sub-view
(`wlan_line`, called by `HuaweiVrp.config_line`), so a pasted block needs no
`quit` lines, and an emptied `wlan` view is dropped when it is left.

Simplified:
- APs: a configured AP is online (`nor`) when the AC has a
  `capwap source interface X` whose interface is up and addressed; its IP is taken
  from the top of X's subnet (AP 0 the last host, AP 1 the one before...), skipping
  the AC's own address.  Otherwise (no source interface, or no room left in the
  subnet) it is `idle` with no IP and no uptime, as an AP that never joined.
  There is no CAPWAP, no cabling check, no fault/standby state, no power flag.
- `type-id` is looked up in the lab's own small table (`AP_TYPES`), not Huawei's
  per-release numbering; `ap-type NAME` names the type directly.
- An AP added by serial number only shows a MAC derived from its serial once online.
- Station counts and uptimes come from the clock and a hash of the AP's MAC.
- Service sets: `wlan-bss N`, `ssid`, `traffic-profile id`, `security-profile id`,
  `max-user-number` (default 32), `association-timeout` (default 5),
  `user-isolate`, `ssid-hide`, `igmp-mode snooping`, `forward-mode tunnel` (shown as
  gre-tunnel; direct-forward by default); the type is always `service`.
- Empty states: `Info: AP does not exist.`, an empty service-set table with
  `Total: 0`, `Info: The service-set does not exist.` (wording not checked against
  a device).
"""

from __future__ import annotations

import ipaddress
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import (
    CliError,
    Dialect,
    command,
    fmt_mac,
)

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.configtree import Node
    from netsteward.lab.engine.session import Session

# the lab's type-id table (Huawei numbers AP types per release; these are the lab's)
AP_TYPES = {
    56: "AP4050DN",
    60: "AirEngine5760-10",
    61: "AirEngine5760-51",
    69: "AirEngine6760-X1",
    75: "AirEngine8760-X1-PRO",
}
AP_RULE = "-" * 158
SET_RULE = "  " + "-" * 76
STATE_NAMES = {"nor": "normal", "idle": "idle"}
# the objects of the wlan view that have views of their own
WLAN_OBJECTS = (
    "ap-id ",
    "ap-group name ",
    "service-set name ",
    "traffic-profile name ",
    "security-profile name ",
)


@dataclass(frozen=True)
class Ap:
    id: int
    mac: str
    serial: str
    name: str
    group: str
    type: str


class VrpWlan(Dialect):
    # -- VRP only ----------------------------------------------------------------
    def _wlan_only(self, s: Session, words: str, args: list[str]) -> str | None:
        """None on VRP; elsewhere (Comware subclasses VRP) the answer the line got
        before these commands existed."""
        if self.platform == "huawei_vrp":
            return None
        return self.answer_without(s, " ".join([words, *args]), _WLAN)

    # -- configuration -----------------------------------------------------------
    def wlan_view(self, s: Session) -> Node | None:
        return s.device.running.section("wlan")

    def wlan_line(self, s: Session, text: str) -> str:
        """A configuration line as the `wlan` view takes it.

        A line of an upper view typed in the `wlan` view or one of its sub-views
        (`ap-id 0 ...`, `service-set name X id 1`) moves there first, as VRP runs a
        command of an upper view and stays in that view; the short form of an
        existing object (`ap-id 0`, `service-set name X`) names that object."""
        node = s.section
        if self.platform != "huawei_vrp" or node is None or node.parent is None:
            return text
        root = s.device.running.root
        in_wlan = node.text == "wlan" and node.parent is root
        in_sub = node.parent.text == "wlan" and node.parent.parent is root
        if not (in_wlan or in_sub):
            return text
        self._climb(s, text, in_sub)
        wlan = s.section if s.mode == "view" and s.section is not None else None
        if wlan is not None and wlan.text == "wlan" and text.startswith(WLAN_OBJECTS):
            full = wlan.find_if(lambda c: c.text.startswith(text + " "))
            if full is not None and wlan.find(text) is None:
                return full.text
        return text

    def _climb(self, s: Session, text: str, in_sub: bool) -> None:
        word = text.split(None, 1)[1] if text.startswith(self.negate_word + " ") else text
        upper = self._view_for(word) is not None or word.startswith("capwap ")  # type: ignore[attr-defined]
        if in_sub and (upper or word.startswith(WLAN_OBJECTS)):
            s.leave()
        if upper:
            self.drop_empty_wlan(s)
            s.leave()

    def wlan_label(self, node: Node) -> str:
        """The prompt of a wlan sub-view: `wlan-ap-0`, `wlan-ap-group-X`,
        `wlan-service-set-X`, `wlan-traffic-profile-X`."""
        w = node.text.split()
        if w[0] == "ap-id" and len(w) > 1:
            return f"wlan-ap-{w[1]}"
        if len(w) > 2 and w[1] == "name":
            return f"wlan-{w[0]}-{w[2]}"
        return "wlan-" + "-".join(w)

    def drop_empty_wlan(self, s: Session) -> None:
        """Leaving an emptied `wlan` view: VRP shows no WLAN view without configuration."""
        node = s.section
        if (
            self.platform == "huawei_vrp"
            and node is not None
            and node.text == "wlan"
            and node.parent is s.device.running.root
            and not node.children
        ):
            node.remove()

    def access_points(self, s: Session) -> list[Ap]:
        wlan = self.wlan_view(s)
        out = []
        for node in wlan.children if wlan is not None else []:
            w = node.text.split()
            if w[:1] != ["ap-id"] or len(w) < 2 or not w[1].isdigit():
                continue
            opts = dict(zip(w[2::2], w[3::2], strict=False))
            subs = [c.text.split(None, 1) for c in node.children]
            sub = {x[0]: x[1] for x in subs if len(x) == 2}
            kind = opts.get("ap-type", "")
            if not kind and opts.get("type-id", "").isdigit():
                kind = AP_TYPES.get(int(opts["type-id"]), "")
            mac = opts.get("ap-mac", "").lower()
            out.append(
                Ap(
                    id=int(w[1]),
                    mac=mac,
                    serial=opts.get("ap-sn", ""),
                    name=sub.get("ap-name", mac or "-"),
                    group=sub.get("ap-group", "default"),
                    type=kind,
                )
            )
        return sorted(out, key=lambda ap: ap.id)

    def capwap_network(self, s: Session) -> ipaddress.IPv4Interface | None:
        """The address of the AC's `capwap source interface`, when it is up."""
        for node in s.device.running.top:
            w = node.text.split()
            if w[:3] == ["capwap", "source", "interface"] and len(w) > 3:
                name = self.resolve_interface(s, "".join(w[3:]))  # type: ignore[attr-defined]
                ip = self.ip_address(s, name) if name else None  # type: ignore[attr-defined]
                if ip and not self.is_shutdown(s, name):  # type: ignore[attr-defined]
                    return ipaddress.IPv4Interface(ip)
        return None

    def _uptime(self, s: Session, seed: int) -> str:
        """Online since a little after the AC booted."""
        up = int((s.now() - s.device.boot_time).total_seconds()) - seed % 600
        days, rest = divmod(max(up, 0), 86400)
        hours, rest = divmod(rest, 3600)
        return f"{days}D:{hours}H:{rest // 60}M:{rest % 60}S"

    # -- displays ----------------------------------------------------------------
    @command("display ap all", pipe=True)
    def display_ap_all(self, s: Session, args: list[str]) -> str:
        other = self._wlan_only(s, "display ap all", args)
        if other is not None:
            return other
        aps = self.access_points(s)
        if not aps:
            return "Info: AP does not exist.\n"
        source = self.capwap_network(s)
        free = []
        if source is not None:
            free = [h for h in reversed(list(source.network.hosts())) if h != source.ip]
        rows = []
        for i, ap in enumerate(aps):
            online = i < len(free)
            mac = ap.mac
            if not mac and online:
                mac = fmt_mac(f"00e0fc{zlib.crc32(ap.serial.encode()) & 0xFFFFFF:06x}")
            seed = zlib.crc32(f"{s.device.name} {mac or ap.serial}".encode())
            state = "nor" if online else "idle"
            rows.append(
                (
                    str(ap.id),
                    mac or "-",
                    ap.name if ap.name != "-" else (mac or "-"),
                    ap.group,
                    str(free[i]) if online else "-",
                    ap.type or "-",
                    state,
                    str((seed + s.now().minute) % 30) if online else "0",
                    self._uptime(s, seed) if online else "-",
                )
            )
        counts = {st: sum(1 for r in rows if r[6] == st) for st in ("idle", "nor")}
        out = ["Total AP information:"]
        out += [f"{st:<6}: {STATE_NAMES[st]:<16}[{n}]" for st, n in counts.items() if n]
        out += [
            "ExtraInfo : Extra information",
            AP_RULE,
            f"{'ID':<6}{'MAC':<15}{'Name':<33}{'Group':<20}{'IP':<15}{'Type':<19}"
            f"{'State':<7}{'STA':<5}{'Uptime':<16}{'ExtraInfo':<10}Scene",
            AP_RULE,
        ]
        for r in rows:
            out.append(
                f"{r[0]:<6}{r[1]:<15}{r[2]:<33}{r[3]:<20}{r[4]:<15}{r[5]:<19}"
                f"{r[6]:<7}{r[7]:<5}{r[8]:<16}{'-':<10}-"
            )
        out += [AP_RULE, f"Total: {len(rows)}"]
        return "\n".join(out) + "\n"

    def service_sets(self, s: Session) -> list[dict[str, str]]:
        """The `service-set name X id N` sections, their profiles resolved to names."""
        wlan = self.wlan_view(s)
        nodes = wlan.children if wlan is not None else []
        profiles: dict[tuple[str, str], str] = {}
        for node in nodes:
            w = node.text.split()
            if len(w) == 5 and w[1] == "name" and w[3] == "id":
                profiles[(w[0], w[4])] = w[2]
        out = []
        for node in nodes:
            w = node.text.split()
            if w[:2] != ["service-set", "name"] or len(w) < 5 or w[3] != "id":
                continue
            lines = [c.text for c in node.children]
            sub = {x.split()[0]: x.split()[1:] for x in lines if x.split()}

            def bound(word: str, sub: dict[str, list[str]] = sub) -> str:
                ids = sub.get(word, [])
                return profiles.get((word, ids[1]), "-") if ids[:1] == ["id"] else "-"

            bss = sub.get("wlan-bss", [])
            out.append(
                {
                    "id": w[4],
                    "name": w[2],
                    "ssid": (sub.get("ssid") or ["-"])[0],
                    "hide": "enable" if "ssid-hide" in lines else "disable",
                    "isolate": "enable" if "user-isolate" in lines else "disable",
                    "max": (sub.get("max-user-number") or ["32"])[0],
                    "timeout": (sub.get("association-timeout") or ["5"])[0],
                    "traffic": bound("traffic-profile"),
                    "security": bound("security-profile"),
                    "bss": f"Wlan-bss{bss[0]}" if bss else "-",
                    "igmp": "snooping" if "igmp-mode snooping" in lines else "off",
                    "forward": "gre-tunnel" if "forward-mode tunnel" in lines else "direct-forward",
                }
            )
        return sorted(out, key=lambda x: int(x["id"]))

    @command("display service-set all", pipe=True)
    def display_service_set_all(self, s: Session, args: list[str]) -> str:
        other = self._wlan_only(s, "display service-set all", args)
        if other is not None:
            return other
        sets = self.service_sets(s)
        out = [SET_RULE, f"  {'ID':<8}{'Name':<32}SSID"]
        out += [f"  {x['id']:<8}{x['name']:<32}{x['ssid']:<33}" for x in sets]
        out += [SET_RULE, f"  Total: {len(sets)}"]
        return "\n".join(out) + "\n"

    @command("display service-set id", pipe=True)
    def display_service_set_id(self, s: Session, args: list[str]) -> str:
        other = self._wlan_only(s, "display service-set id", args)
        if other is not None:
            return other
        return self._service_set(s, "display service-set id ", "id", args)

    @command("display service-set name", pipe=True)
    def display_service_set_name(self, s: Session, args: list[str]) -> str:
        other = self._wlan_only(s, "display service-set name", args)
        if other is not None:
            return other
        return self._service_set(s, "display service-set name ", "name", args)

    def _service_set(self, s: Session, typed: str, key: str, args: list[str]) -> str:
        if len(args) != 1:
            raise CliError(self.error_incomplete_text(s, typed.strip()))  # type: ignore[attr-defined]
        if key == "id" and not args[0].isdigit():
            raise self._caret(s, len(typed), self.error_wrong)  # type: ignore[attr-defined]
        found = next((x for x in self.service_sets(s) if x[key] == args[0]), None)
        if found is None:
            return "Info: The service-set does not exist.\n"
        rows = [
            ("Service-set ID", found["id"]),
            ("Service-Set name", found["name"]),
            ("SSID", found["ssid"]),
            ("Hide SSID", found["hide"]),
            ("User isolate", found["isolate"]),
            ("Type", "service"),
            ("Maximum number of user", found["max"]),
            ("Association timeout(min)", found["timeout"]),
            ("Traffic profile name", found["traffic"]),
            ("Security profile name", found["security"]),
            ("Wlan-bss interface", found["bss"]),
            ("Igmp mode", found["igmp"]),
            ("Forward mode", found["forward"]),
        ]
        out = [SET_RULE, *(f"  {label:<33}: {value}" for label, value in rows), SET_RULE]
        return "\n".join(out) + "\n"


# handler names of this module: not answered on other platforms
_WLAN = frozenset(
    name for name, value in vars(VrpWlan).items() if getattr(value, "_lab_commands", None)
)
