"""FortiOS: `config firewall address/addrgrp/service custom/service group/schedule/policy`.

```
config firewall policy
    edit 20
        set name "partner-to-web"
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "PARTNERS"
        set dstaddr "WEB01"
        set action accept
        set schedule "always"
        set service "TCP-8443"
        set logtraffic all
        set comments "CHG-1234"
        set status enable
    next
end
```
`show` omits defaults: no `set action` is deny, no `set status` is enable, no
`set logtraffic` is `utm` (counted as logging), an address with no `set subnet`
is 0.0.0.0/0.  Findings name a policy by its id.  VDOM blocks are read as one
configuration.
"""

from __future__ import annotations

import shlex
from datetime import datetime

from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.parsers.common import (
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
)
from netsteward.tasks.firewall.sets import ALL_ADDR, EMPTY, IntervalSet

BUILTIN_SERVICES: dict[str, list[Service]] = {
    "ALL": [Service(IntervalSet.of(0, 255))],
    "ALL_TCP": [Service.of("tcp", 1, 65535)],
    "ALL_UDP": [Service.of("udp", 1, 65535)],
    "ALL_ICMP": [Service.of("icmp")],
    "PING": [Service.of("icmp")],
    "HTTP": [Service.of("tcp", 80, 80)],
    "HTTPS": [Service.of("tcp", 443, 443)],
    "SSH": [Service.of("tcp", 22, 22)],
    "TELNET": [Service.of("tcp", 23, 23)],
    "FTP": [Service.of("tcp", 21, 21)],
    "TFTP": [Service.of("udp", 69, 69)],
    "SMTP": [Service.of("tcp", 25, 25)],
    "DNS": [Service.of("tcp", 53, 53), Service.of("udp", 53, 53)],
    "NTP": [Service.of("tcp", 123, 123), Service.of("udp", 123, 123)],
    "SNMP": [Service.of("tcp", 161, 162), Service.of("udp", 161, 162)],
    "RDP": [Service.of("tcp", 3389, 3389)],
    "SAMBA": [Service.of("tcp", 139, 139)],
    "SMB": [Service.of("tcp", 445, 445)],
    "MS-SQL": [Service.of("tcp", 1433, 1434)],
    "MYSQL": [Service.of("tcp", 3306, 3306)],
    "NFS": [
        Service.of("tcp", 111, 111),
        Service.of("tcp", 2049, 2049),
        Service.of("udp", 111, 111),
        Service.of("udp", 2049, 2049),
    ],
}
BUILTIN_ADDRESSES = {"all": ALL_ADDR, "none": EMPTY}
# objects a factory-default FortiGate configuration defines (show full-configuration lists them)
FACTORY = frozenset(
    [
        "all",
        "none",
        "FIREWALL_AUTH_PORTAL_ADDRESS",
        "FABRIC_DEVICE",
        "SSLVPN_TUNNEL_ADDR1",
        "metadata-server",
        "login.microsoftonline.com",
        "login.microsoft.com",
        "login.windows.net",
        "gmail.com",
        "wildcard.google.com",
        "wildcard.dropbox.com",
        "EMS_ALL_UNMANAGEABLE_CLIENTS",
        "EMS_ALL_UNKNOWN_CLIENTS",
        "ALL",
        "ALL_TCP",
        "ALL_UDP",
        "ALL_ICMP",
        "ALL_ICMP6",
        "GRE",
        "AH",
        "ESP",
        "AOL",
        "BGP",
        "DHCP",
        "DNS",
        "FINGER",
        "FTP",
        "FTP_GET",
        "FTP_PUT",
        "GOPHER",
        "H323",
        "HTTP",
        "HTTPS",
        "IKE",
        "IMAP",
        "IMAPS",
        "Internet-Locator-Service",
        "IRC",
        "L2TP",
        "LDAP",
        "NetMeeting",
        "NFS",
        "NNTP",
        "NTP",
        "OSPF",
        "PC-Anywhere",
        "PING",
        "TIMESTAMP",
        "INFO_REQUEST",
        "INFO_ADDRESS",
        "ONC-RPC",
        "DCE-RPC",
        "POP3",
        "POP3S",
        "PPTP",
        "QUAKE",
        "RAUDIO",
        "REXEC",
        "RIP",
        "RLOGIN",
        "RSH",
        "SCCP",
        "SIP",
        "SIP-MSNmessenger",
        "SAMBA",
        "SMTP",
        "SMTPS",
        "SNMP",
        "SSH",
        "SYSLOG",
        "TALK",
        "TELNET",
        "TFTP",
        "MGCP",
        "UUCP",
        "VDOLIVE",
        "WAIS",
        "WINFRAME",
        "X-WINDOWS",
        "PING6",
        "MS-SQL",
        "MYSQL",
        "RDP",
        "VNC",
        "DHCP6",
        "SQUID",
        "SOCKS",
        "WINS",
        "RADIUS",
        "RADIUS-OLD",
        "CVSPSERVER",
        "AFS3",
        "TRACEROUTE",
        "RTSP",
        "MMS",
        "KERBEROS",
        "LDAP_UDP",
        "SMB",
        "NONE",
        "webproxy",
    ]
) | {
    "G Suite",
    "Microsoft Office 365",
    "Email Access",
    "Web Access",
    "Windows AD",
    "Exchange Server",
}
USING_KEYS = {
    "srcaddr",
    "dstaddr",
    "service",
    "orig-addr",
    "dst-addr",
    "nat-ippool",
    "srcaddr6",
    "dstaddr6",
}


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.replace('"', "").split()


def _portrange(proto: str, values: list[str]) -> list[Service]:
    """`set tcp-portrange 80 443 8000-8080 53:1024-65535` (dst[:src])."""
    out = []
    for value in values:
        dst = value.split(":", 1)[0]
        lo, _, hi = dst.partition("-")
        out.append(Service.of(proto, int(lo), int(hi or lo)))
    return out


def _when(text: str) -> datetime | None:
    for fmt in ("%H:%M %Y/%m/%d", "%H:%M:%S %Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


OWN_SECTIONS = {"firewall policy", "firewall addrgrp", "firewall service group"}


def _effective(stack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The frames that matter: `config vdom` / `edit VDOM` and `config global` wrappers removed."""
    out: list[tuple[str, str]] = []
    skip_edit = False
    for frame in stack:
        if frame in (("config", "vdom"), ("config", "global")):
            skip_edit = frame == ("config", "vdom")
            continue
        if skip_edit and frame[0] == "edit":
            skip_edit = False
            continue
        skip_edit = False
        out.append(frame)
    return out


def parse_fortios(text: str, device: str = "") -> ObjectBook:
    book = ObjectBook(
        device,
        "fortinet",
        builtin_addr=dict(BUILTIN_ADDRESSES),
        builtin_svc=BUILTIN_SERVICES,
        factory_names=FACTORY,
    )
    stack: list[tuple[str, str]] = []
    vdom = ""
    entry: tuple[str, str, int] | None = None  # (section, name, line) of the open top-level entry
    props: dict[str, list[str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            words = _words(line)
            if not words:
                continue
            if words[0] == "config" and len(words) > 1:
                stack.append(("config", " ".join(words[1:])))
            elif words[0] == "edit" and len(words) > 1:
                if stack and stack[-1] == ("config", "vdom"):
                    vdom = words[1]
                stack.append(("edit", words[1]))
                eff = _effective(stack)
                if len(eff) == 2 and eff[0][0] == "config":
                    entry, props = (eff[0][1], words[1], number), {}
            elif words[0] == "next":
                if stack and stack[-1][0] == "edit":
                    if entry is not None and len(_effective(stack)) == 2:
                        _entry(book, entry[0], entry[1], entry[2], props, vdom)
                        entry = None
                    stack.pop()
            elif words[0] == "end":
                while stack and stack[-1][0] == "edit":  # tolerate a missing `next`
                    stack.pop()
                if stack:
                    stack.pop()
            elif words[0] == "set" and len(words) >= 2:
                eff = _effective(stack)
                if entry is not None and len(eff) == 2 and eff[1][0] == "edit":
                    props[words[1]] = words[2:]
                section = eff[0][1] if eff else ""
                if words[1] in USING_KEYS and not (len(eff) == 2 and section in OWN_SECTIONS):
                    book.member_refs.update(
                        words[2:]
                    )  # central NAT, local-in, proxy policies...: objects in use
        except (ValueError, IndexError, KeyError):
            book.skipped.append(number)  # a form this model does not cover: reported, not fatal
    return book


def _entry(
    book: ObjectBook,
    section: str,
    name: str,
    line: int,
    props: dict[str, list[str]],
    vdom: str = "",
) -> None:
    if section == "firewall address":
        members = book.add_address(name, line)
        kind = (props.get("type") or ["ipmask"])[0]
        if kind == "iprange":
            members.append(
                addr_range(
                    props.get("start-ip", ["0.0.0.0"])[0], props.get("end-ip", ["0.0.0.0"])[0]
                )
            )
        elif kind in ("ipmask", "interface-subnet"):
            subnet = props.get("subnet", ["0.0.0.0", "0.0.0.0"])
            if len(subnet) == 1 and "/" in subnet[0]:
                subnet = subnet[0].split("/")
            members.append(addr_mask(subnet[0], subnet[1] if len(subnet) > 1 else "32"))
        # fqdn, geography, dynamic: not resolvable offline, they match nothing here
    elif section == "firewall addrgrp":
        members = book.add_address(name, line)
        for m in props.get("member", []):
            book.member(members, m)
    elif section == "firewall service custom":
        services = book.add_service(name, line)
        proto = (props.get("protocol") or ["TCP/UDP/SCTP"])[0].upper()
        if proto == "IP":
            number = int((props.get("protocol-number") or ["0"])[0])
            services.append(Service(IntervalSet.of(0, 255)) if number == 0 else Service.of(number))
        elif proto in ("ICMP", "ICMP6"):
            services.append(Service.of("icmp"))
        else:
            for key, proto_name in (
                ("tcp-portrange", "tcp"),
                ("udp-portrange", "udp"),
                ("sctp-portrange", "sctp"),
            ):
                services.extend(_portrange(proto_name, props.get(key, [])))
    elif section == "firewall service group":
        group = book.add_service(name, line)
        for m in props.get("member", []):
            book.member(group, m)
    elif section == "firewall schedule onetime":
        end = props.get("end")
        book.schedules[name] = _when(" ".join(end)) if end else None
    elif section in ("firewall schedule recurring", "firewall schedule group"):
        book.schedules[name] = None
    elif section == "firewall policy":
        r = Rule(
            id=f"{vdom}/{name}" if vdom else name,
            line=line,
            action="deny",
            policy=f"vdom {vdom} firewall policy" if vdom else "firewall policy",
        )
        r.name = (props.get("name") or [""])[0]
        action = (props.get("action") or ["deny"])[0]
        r.action = "permit" if action in ("accept", "ipsec") else "deny"
        r.enabled = (props.get("status") or ["enable"])[0] != "disable"
        r.log = (props.get("logtraffic") or ["utm"])[0] != "disable"
        r.comment = " ".join(props.get("comments", []))
        sched = (props.get("schedule") or ["always"])[0]
        r.schedule = "" if sched == "always" else sched
        src_if = props.get("srcintf", ["any"])
        dst_if = props.get("dstintf", ["any"])
        r.src_zones = None if "any" in src_if else frozenset(src_if)
        r.dst_zones = None if "any" in dst_if else frozenset(dst_if)
        negate = frozenset(
            side
            for key, side in (
                ("srcaddr-negate", "src"),
                ("dstaddr-negate", "dst"),
                ("service-negate", "svc"),
            )
            if (props.get(key) or ["disable"])[0] == "enable"
        )
        book.pending.append(
            PendingRule(
                r,
                src=list(props.get("srcaddr", ["all"])),
                dst=list(props.get("dstaddr", ["all"])),
                svc=list(props.get("service", ["ALL"])),
                negate=negate,
            )
        )
