"""Hardening of the lab fleet: compliant lines on every device, known deviations on a few.

`harden_fleet(devices, book, rng)` runs after the vendor renderers and edits each
configuration text in place, so the renderers stay as they are:

- every device gets the building's hardening (named administrators instead of the
  factory `admin`, irreversible password forms, lockout, password policy, management
  ACLs, login banner, command accounting, no write community, unused ports shut...);
- a deterministic subset gets planted deviations (Telnet on, SNMP `public` read-write,
  no syslog server, no idle timeout, HTTP server on, no login-failure lockout, a local
  account with a weak password form, ...), one or two per device.

It returns `truth["hardening_deviations"]`: one record per finding the baseline audit
must report, `{host, check, section, fixable}` -- `section` as the audit names it
(headers joined by " > ", "" for the top level), `fixable` when `audit baseline --plan`
has an automatic fix that `normalize apply` can push. Secrets that an edit adds,
changes or removes are kept in step in the `SecretBook`.

Vendor syntax of the lines follows docs/baseline.md (VRP V200R019, Comware 7.1,
IOS 15.2, USG V600, StoneOS 5.5, FortiOS 7, ASA 9.12, FOS 9).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from netsteward.lab.fleet.common import (
    SecretBook,
    comware_cipher,
    ios_type9,
    vrp_cipher,
    vrp_irreversible,
)
from netsteward.lab.model import DeviceSpec

BANNER = "Authorized access only. All activity is logged."
MGMT_NET_VRP = "192.0.2.240 0.0.0.15"  # the building's management stations (.241-.254)
ADMIN = "ymadmin"


@dataclass
class Edit:
    """One configuration as lines, with the records of what was planted in it."""

    spec: DeviceSpec
    book: SecretBook
    rng: random.Random
    kinds: frozenset[str]
    lines: list[str]
    records: list[dict[str, object]] = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.spec.name

    def planted(self, check: str, section: str = "", fixable: bool = False) -> None:
        self.records.append(
            {"host": self.host, "check": check, "section": section, "fixable": fixable}
        )

    def find(self, text: str, start: int = 0) -> int:
        """Index of the first line equal to `text` (stripped comparison), -1 when absent."""
        for i in range(start, len(self.lines)):
            if self.lines[i].strip() == text:
                return i
        return -1

    def find_prefix(self, prefix: str, start: int = 0) -> int:
        """Index of the first line starting with `prefix` (indentation ignored on both)."""
        prefix = prefix.lstrip()
        for i in range(start, len(self.lines)):
            if self.lines[i].lstrip().startswith(prefix):
                return i
        return -1

    def end_of(self, index: int) -> int:
        """Index after the last line of the section whose header is at `index` (deeper lines)."""
        depth = len(self.lines[index]) - len(self.lines[index].lstrip())
        i = index + 1
        while i < len(self.lines) and (
            len(self.lines[i]) - len(self.lines[i].lstrip()) > depth and self.lines[i].strip()
        ):
            i += 1
        return i

    def insert(self, index: int, new: list[str]) -> None:
        self.lines[index:index] = new

    def replace_prefix(self, prefix: str, new_prefix: str) -> None:
        for i, line in enumerate(self.lines):
            if line.startswith(prefix):
                self.lines[i] = new_prefix + line[len(prefix) :]

    def drop(self, text: str) -> None:
        i = self.find(text)
        if i >= 0:
            del self.lines[i]

    def set_secret(self, kind: str, old: str, new: str) -> None:
        """A secret's value changed (or it went away when `new` is empty)."""
        host = self.spec.name
        for k, item in enumerate(self.book.items):
            if item["value"] == old and item["host"] == host:
                if new:
                    self.book.items[k] = {"host": host, "kind": kind, "value": new}
                else:
                    del self.book.items[k]
                return
        if new:
            self.book.add(host, kind, new)

    def text(self) -> str:
        return "\n".join(self.lines)


# -- Huawei VRP switches and routers (and the VRP management plane of USG and NIP) --------


def vrp_management(e: Edit, sep: str = "#") -> None:
    """Accounts, aaa, ACL-restricted VTYs, banner: common to every VRP device."""
    if "AUTH-DEFAULT-ACCOUNT" in e.kinds:
        e.planted("AUTH-DEFAULT-ACCOUNT", "aaa")
    else:
        e.replace_prefix(" local-user admin ", f" local-user {ADMIN} ")
        e.replace_prefix("ssh user admin", f"ssh user {ADMIN}")
    audit = e.find_prefix(" local-user audit password cipher ")
    if audit >= 0:
        if "AUTH-WEAK-PASSWORD-FORM" in e.kinds:
            e.planted("AUTH-WEAK-PASSWORD-FORM", "aaa")
        else:
            old = e.lines[audit].split()[-1]
            new = vrp_irreversible(e.rng)
            e.lines[audit] = f" local-user audit password irreversible-cipher {new}"
            e.set_secret("local_user_password", old, new)
    aaa = e.find("aaa")
    extra = [" local-aaa-user password policy administrator", "  password history record number 5"]
    if "AUTH-PASSWORD-POLICY" in e.kinds:
        extra.append("  password expire 0")
        e.planted(
            "AUTH-PASSWORD-POLICY", "aaa > local-aaa-user password policy administrator", True
        )
    else:
        extra.append("  password expire 90")
    if e.find("hwtacacs-server template YM-TACACS") >= 0:
        if "AUDIT-CMD-ACCOUNTING" in e.kinds:
            e.planted("AUDIT-CMD-ACCOUNTING", "aaa")
        else:
            extra += [
                " recording-scheme ym-cmd",
                "  recording-mode hwtacacs YM-TACACS",
                " cmd recording-scheme ym-cmd",
            ]
    if "AUTH-LOCKOUT" in e.kinds:
        extra.append(" undo local-aaa-user wrong-password")
        e.planted("AUTH-LOCKOUT", "aaa", True)
    e.insert(e.end_of(aaa), extra)
    # the management ACL, bound to every VTY
    anchor = e.find("aaa")
    e.insert(
        anchor, ["acl number 2000", f" rule 5 permit source {MGMT_NET_VRP}", " rule 100 deny", sep]
    )
    for line in list(e.lines):
        if line.startswith("user-interface vty "):
            if "MGMT-ACL" in e.kinds and line == "user-interface vty 16 20":
                e.planted("MGMT-ACL", line)
                continue
            at = e.find(line)
            e.insert(e.end_of(at), [" acl 2000 inbound"])
    if "MGMT-IDLE-TIMEOUT" in e.kinds:
        at = e.find("user-interface vty 0 4")
        e.insert(e.end_of(at), [" idle-timeout 0 0"])
        e.planted("MGMT-IDLE-TIMEOUT", "user-interface vty 0 4", True)
    if "MGMT-BANNER" in e.kinds:
        e.planted("MGMT-BANNER", "", True)
    else:
        e.insert(e.find("return"), [f'header login information "{BANNER}"', sep])


def vrp_services(e: Edit) -> None:
    """Telnet, HTTP, SNMP, syslog and NTP deviations on the top-level lines."""
    ssh = e.find("stelnet server enable")
    if "MGMT-TELNET-OFF" in e.kinds:
        e.insert(ssh, ["telnet server enable"])
        e.planted("MGMT-TELNET-OFF", "", True)
    if "MGMT-HTTP-OFF" in e.kinds:
        e.insert(e.find("stelnet server enable"), ["http server enable"])
        e.planted("MGMT-HTTP-OFF", "", True)
    if "SNMP-WRITE-COMMUNITY" in e.kinds:  # "SNMP v2c public read-write"
        read = e.find_prefix("snmp-agent community read ")
        secret = e.book.add(e.host, "snmp_community", vrp_cipher(e.rng))
        e.insert(
            read + 1,
            [
                "snmp-agent community complexity-check disable",
                f"snmp-agent community write cipher {secret} acl 2001",
            ],
        )
        e.planted("SNMP-DEFAULT-COMMUNITY", "", True)
        e.planted("SNMP-WRITE-COMMUNITY", "")
    if "LOG-SERVER" in e.kinds:
        e.drop("info-center loghost 192.0.2.243 facility local6")
        e.planted("LOG-SERVER", "", True)
    if "NTP-AUTH" in e.kinds:
        i = e.find_prefix("ntp-service unicast-server 192.0.2.242 ")
        e.lines[i] = "ntp-service unicast-server 192.0.2.242"
        e.planted("NTP-AUTH", "")


def vrp_ports(e: Edit) -> None:
    """Routers: no LLDP towards the ISP; cores and routers: one unused port left up."""
    for i, line in enumerate(e.lines):
        if line.startswith("interface ") and e.lines[i + 1].startswith(" description TO-ISP"):
            if "SVC-DISCOVERY-UNTRUSTED" in e.kinds:
                e.planted("SVC-DISCOVERY-UNTRUSTED", line, True)
            else:
                e.insert(e.end_of(i), [" undo lldp enable"])
            break
    if "SVC-UNUSED-PORT-SHUTDOWN" in e.kinds:
        for i, line in enumerate(e.lines):
            if (
                line.startswith("interface ")
                and e.lines[i + 1] == " shutdown"
                and e.end_of(i) == i + 2
            ):
                del e.lines[i + 1]
                e.planted("SVC-UNUSED-PORT-SHUTDOWN", line, True)
                break


def vrp_switch(e: Edit) -> None:
    vrp_management(e)
    vrp_services(e)
    vrp_ports(e)


# -- H3C Comware 7 -----------------------------------------------------------------------


def comware(e: Edit) -> None:
    if "AUTH-DEFAULT-ACCOUNT" in e.kinds:
        e.planted("AUTH-DEFAULT-ACCOUNT", "")
    else:
        e.replace_prefix("local-user admin class manage", f"local-user {ADMIN} class manage")
    write = e.find_prefix(" snmp-agent community write cipher ")
    old = e.lines[write].split()[4]
    del e.lines[write]
    e.set_secret("snmp_community", old, "")
    if "SNMP-WRITE-COMMUNITY" in e.kinds:  # "SNMP v2c public read-write"
        e.insert(write, [" snmp-agent community write simple public acl 2001"])
        e.planted("SNMP-WRITE-COMMUNITY", "")
        e.planted("SNMP-DEFAULT-COMMUNITY", "")
    if "AUTH-WEAK-PASSWORD-FORM" in e.kinds:
        at = e.find("local-user audit class manage")
        old = e.lines[at + 1].split()[-1]
        new = comware_cipher(e.rng)
        e.lines[at + 1] = f" password cipher {new}"
        e.set_secret("local_user_password", old, new)
        e.planted("AUTH-WEAK-PASSWORD-FORM", "local-user audit class manage")
    lockout = "exceed unlock" if "AUTH-LOCKOUT" in e.kinds else "exceed lock-time 10"
    if "AUTH-LOCKOUT" in e.kinds:
        e.planted("AUTH-LOCKOUT", "", True)
    glob = [
        " password-control enable",
        " password-control length 10",
        " password-control composition type-number 3 type-length 1",
        " password-control aging 90",
        f" password-control login-attempt 3 {lockout}",
        "#",
    ]
    if "MGMT-TELNET-OFF" in e.kinds:
        glob[-1:-1] = [" telnet server enable"]
        e.planted("MGMT-TELNET-OFF", "", True)
    if "MGMT-HTTP-OFF" in e.kinds:
        glob[-1:-1] = [" ip http enable"]
        e.planted("MGMT-HTTP-OFF", "", True)
    e.insert(e.find("password-recovery enable") + 2, glob)
    ssh = e.find("ssh server enable")
    if "MGMT-ACL" in e.kinds:
        e.planted("MGMT-ACL", "")
    else:
        e.insert(ssh + 1, [" ssh server acl 2000"])
    acl = e.find("acl basic 2001")
    e.insert(
        acl, [" acl basic 2000", f"  rule 0 permit source {MGMT_NET_VRP}", "  rule 100 deny", "#"]
    )
    vty = e.find("line vty 0 63")
    vty_lines = [" command accounting"]
    if "AUDIT-CMD-ACCOUNTING" in e.kinds:
        vty_lines = []
        e.planted("AUDIT-CMD-ACCOUNTING", "line vty 0 63", True)
    if "MGMT-IDLE-TIMEOUT" in e.kinds:
        vty_lines.append(" idle-timeout 0 0")
        e.planted("MGMT-IDLE-TIMEOUT", "line vty 0 63", True)
    e.insert(e.end_of(vty), vty_lines)
    domain = e.find("domain system")
    e.insert(e.end_of(domain), [" accounting command hwtacacs-scheme ym-tacacs"])
    if "LOG-SERVER" in e.kinds:
        e.drop("info-center loghost 192.0.2.243 facility local6")
        e.planted("LOG-SERVER", "", True)
    if "NTP-AUTH" in e.kinds:
        i = e.find_prefix(" ntp-service unicast-server 192.0.2.242 ")
        e.lines[i] = " ntp-service unicast-server 192.0.2.242"
        e.planted("NTP-AUTH", "")
    e.insert(e.find("return"), [f" header login %{BANNER}%", "#"])
    if e.spec.role == "aggregation":
        _comware_unused(e)


def _comware_unused(e: Edit) -> None:
    """Unused ports (nothing but the bridge mode) are shut down; one is left up when planted."""
    left = "SVC-UNUSED-PORT-SHUTDOWN" not in e.kinds
    i = 0
    while i < len(e.lines):
        line = e.lines[i]
        unused = line.startswith("interface ") and e.end_of(i) == i + 2
        if unused and e.lines[i + 1] == " port link-mode bridge":
            if not left:
                left = True
                e.planted("SVC-UNUSED-PORT-SHUTDOWN", line, True)
            else:
                e.insert(i + 2, [" shutdown"])
        i += 1


# -- Cisco IOS -----------------------------------------------------------------------------


def ios(e: Edit) -> None:
    if "AUTH-DEFAULT-ACCOUNT" in e.kinds:
        e.planted("AUTH-DEFAULT-ACCOUNT", "")
    else:
        e.replace_prefix("username admin ", f"username {ADMIN} ")
    backup = e.find_prefix("username backup privilege 1 password 7 ")
    if "AUTH-WEAK-PASSWORD-FORM" in e.kinds:
        e.planted("AUTH-WEAK-PASSWORD-FORM", "")
    else:
        old = e.lines[backup].split()[-1]
        new = ios_type9(e.rng)
        e.lines[backup] = f"username backup privilege 1 secret 9 {new}"
        e.set_secret("local_user_password", old, new)
    aaa = e.find("aaa new-model")
    glob = ["security passwords min-length 10"]
    if "AUTH-LOCKOUT" in e.kinds:
        e.planted("AUTH-LOCKOUT", "", True)
    else:
        glob.insert(0, "aaa local authentication attempts max-fail 3")
    e.insert(aaa + 1, glob)
    dom = e.find_prefix("ip domain-name ")
    if "SVC-SOURCE-ROUTE-OFF" in e.kinds:
        e.planted("SVC-SOURCE-ROUTE-OFF", "", True)
    else:
        e.insert(dom + 1, ["no ip source-route"])
    if "MGMT-HTTP-OFF" in e.kinds:
        e.lines[e.find("no ip http server")] = "ip http server"
        e.planted("MGMT-HTTP-OFF", "", True)
    acl = e.find("ip access-list standard SNMP-NMS")
    e.insert(acl, ["ip access-list standard MGMT", " permit 192.0.2.240 0.0.0.15", "!"])
    if "LOG-SERVER" in e.kinds:
        e.drop("logging host 192.0.2.243")
        e.planted("LOG-SERVER", "", True)
    if "SNMP-WRITE-COMMUNITY" in e.kinds:  # "SNMP v2c public read-write"
        at = e.find_prefix("snmp-server community ")
        e.insert(at + 1, ["snmp-server community public RW SNMP-NMS"])
        e.planted("SNMP-WRITE-COMMUNITY", "")
        e.planted("SNMP-DEFAULT-COMMUNITY", "")
    if "NTP-AUTH" in e.kinds:
        e.lines[e.find("ntp server 192.0.2.242 key 1")] = "ntp server 192.0.2.242"
        e.planted("NTP-AUTH", "")
    for vty in ("line vty 0 4", "line vty 5 15"):
        at = e.find(vty)
        extra = [" access-class MGMT in"]
        if vty == "line vty 5 15" and "MGMT-ACL" in e.kinds:
            extra = []
            e.planted("MGMT-ACL", vty)
        if vty == "line vty 0 4" and "MGMT-IDLE-TIMEOUT" in e.kinds:
            extra.append(" exec-timeout 0 0")
            e.planted("MGMT-IDLE-TIMEOUT", vty, True)
        if vty == "line vty 5 15" and "MGMT-TELNET-OFF" in e.kinds:
            e.lines[e.find("transport input ssh", at)] = " transport input telnet ssh"
            e.planted("MGMT-TELNET-OFF", vty, True)
        e.insert(e.end_of(at), extra)
    if "MGMT-BANNER" in e.kinds:
        e.planted("MGMT-BANNER", "")
    else:
        e.insert(e.find("line con 0"), [f"banner login ^C{BANNER}^C", "!"])


# -- which devices get which deviations --------------------------------------------------

Harden = Callable[[Edit], None]


@dataclass(frozen=True)
class Group:
    """Devices of one platform and some roles, how many carry deviations, and which kinds."""

    platform: str
    roles: tuple[str, ...]
    count: int
    kinds: tuple[str, ...]
    harden: Harden


def groups() -> list[Group]:
    from netsteward.lab.fleet import hardening_fw as fw

    # the kinds every switch platform plants (their order decides which device gets which)
    common = (
        "MGMT-TELNET-OFF",
        "SNMP-WRITE-COMMUNITY",
        "LOG-SERVER",
        "MGMT-IDLE-TIMEOUT",
        "MGMT-HTTP-OFF",
        "AUTH-LOCKOUT",
        "AUTH-WEAK-PASSWORD-FORM",
        "AUTH-DEFAULT-ACCOUNT",
        "MGMT-ACL",
        "NTP-AUTH",
    )
    vrp_kinds = (*common, "MGMT-BANNER", "AUTH-PASSWORD-POLICY", "AUDIT-CMD-ACCOUNTING")
    comware_kinds = (*common[:9], "AUDIT-CMD-ACCOUNTING", "NTP-AUTH")
    ios_kinds = (*common, "SVC-SOURCE-ROUTE-OFF", "MGMT-BANNER")
    return [
        Group("huawei_vrp", ("access",), 13, vrp_kinds, vrp_switch),
        Group("huawei_vrp", ("core",), 1, ("SVC-UNUSED-PORT-SHUTDOWN",), vrp_switch),
        Group(
            "huawei_vrp", ("router",), 2, ("SVC-DISCOVERY-UNTRUSTED", "MGMT-TELNET-OFF"), vrp_switch
        ),
        Group("hp_comware", ("access",), 11, comware_kinds, comware),
        Group("hp_comware", ("aggregation",), 1, ("SVC-UNUSED-PORT-SHUTDOWN",), comware),
        Group("cisco_ios", ("access",), 12, ios_kinds, ios),
        *fw.groups(Group),
    ]


def harden_fleet(
    devices: list[DeviceSpec], book: SecretBook, seed: int | str
) -> list[dict[str, object]]:
    """Harden every configuration, plant the deviations, return the truth records (sorted)."""
    rng = random.Random(f"{seed}:hardening")
    plans: dict[str, tuple[Group, frozenset[str]]] = {}
    for group in groups():
        members = [d for d in devices if d.platform == group.platform and d.role in group.roles]
        for d in members:
            plans.setdefault(d.name, (group, frozenset()))
        chosen = rng.sample(members, min(group.count, len(members)))
        for i, spec in enumerate(sorted(chosen, key=lambda d: d.name)):
            picked = {group.kinds[i % len(group.kinds)]}
            if rng.random() < 0.35:
                picked.add(rng.choice(group.kinds))
            plans[spec.name] = (group, frozenset(picked))
    records: list[dict[str, object]] = []
    for spec in devices:
        if spec.name not in plans:
            continue
        group, kinds = plans[spec.name]
        device_rng = random.Random(f"{seed}:hardening:{spec.name}")
        edit = Edit(spec, book, device_rng, kinds, spec.config.split("\n"))
        group.harden(edit)
        spec.config = edit.text()
        records += edit.records
    return sorted(records, key=lambda r: (str(r["host"]), str(r["check"]), str(r["section"])))
