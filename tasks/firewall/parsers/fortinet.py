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

from netsteward.tasks.core.i18n import _
from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.parsers.common import (
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
    source_port,
)
from netsteward.tasks.firewall.sets import ALL_ADDR, EMPTY, IntervalSet

BUILTIN_SERVICES: dict[str, list[Service]] = {
    "ALL": [Service(IntervalSet.of(0, 255))],
    "ALL_TCP": [Service.of("tcp", 1, 65535)],
    "ALL_UDP": [Service.of("udp", 1, 65535)],
    "ALL_ICMP": [Service.of("icmp")],
    "ALL_ICMP6": [Service.icmp(proto=58)],
    "PING": [Service.icmp(8)],
    "TIMESTAMP": [Service.icmp(13)],
    "INFO_REQUEST": [Service.icmp(15)],
    "INFO_ADDRESS": [Service.icmp(17)],
    "PING6": [Service.icmp(128, proto=58)],
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


def _portrange(book: ObjectBook, proto: str, values: list[str]) -> list[Service]:
    """`set tcp-portrange 80 443 8000-8080 53:1024-65535` (dst[:src]; source ports are not
    modelled and said so when they narrow the service)."""
    out = []
    for value in values:
        dst, _, src = value.partition(":")
        lo, _, hi = dst.partition("-")
        out.append(Service.of(proto, int(lo), int(hi or lo)))
        if src and src not in ("0-65535", "1-65535"):
            book.note(source_port())
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


def _open_quote(line: str) -> bool:
    """An odd number of unescaped double quotes: a quoted value opens (or closes) here."""
    return (line.count('"') - line.count('\\"')) % 2 == 1


SCRIPT_WORDS = ("rename", "delete", "move", "clone", "purge", "select", "unselect")


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
    lines: dict[str, int] = {}  # key -> the line that set it

    def commit() -> None:
        nonlocal entry
        if entry is not None:
            _entry(book, entry[0], entry[1], entry[2], props, vdom, lines)
            entry = None

    quoted = ""  # a value in quotes that runs over several lines (certificates, keys)
    for number, raw in enumerate(text.splitlines(), start=1):
        book.line = number
        try:
            if quoted:
                quoted += "\n" + raw
                if _open_quote(raw):
                    quoted = ""  # the value's closing quote: the lines were one value
                continue
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if _open_quote(line):
                quoted = line
                continue  # a multi-line value (set certificate / private-key ...): not audited
            words = _words(line)
            if not words:
                continue
            if words[0] == "config" and len(words) > 1:
                book.recognised += 1
                stack.append(("config", " ".join(words[1:])))
            elif words[0] == "edit" and len(words) > 1:
                if stack and stack[-1] == ("config", "vdom"):
                    vdom = words[1]
                stack.append(("edit", words[1]))
                eff = _effective(stack)
                if len(eff) == 2 and eff[0][0] == "config":
                    commit()
                    entry, props, lines = (eff[0][1], words[1], number), {}, {}
            elif words[0] == "next":
                if stack and stack[-1][0] == "edit":
                    if len(_effective(stack)) == 2:
                        commit()
                    stack.pop()
            elif words[0] == "end":
                while stack and stack[-1][0] == "edit":  # tolerate a missing `next`
                    if len(_effective(stack)) == 2:
                        commit()
                    stack.pop()
                if stack:
                    stack.pop()
            elif words[0] in ("set", "unset", "append") and len(words) >= 2:
                eff = _effective(stack)
                if entry is not None and len(eff) == 2 and eff[1][0] == "edit":
                    if words[0] == "set":
                        props[words[1]] = words[2:]
                    elif words[0] == "append":
                        props[words[1]] = props.get(words[1], []) + words[2:]
                    else:
                        props.pop(words[1], None)
                    lines[words[1]] = number
                section = eff[0][1] if eff else ""
                if words[1] in USING_KEYS and not (len(eff) == 2 and section in OWN_SECTIONS):
                    # central NAT, local-in, proxy policies...: objects in use
                    book.member_refs.update(words[2:])
            elif words[0] in SCRIPT_WORDS:
                # CLI commands of a script, never in a configuration a device prints
                book.note(
                    _("`{command}` not modelled (a CLI command, not configuration)").format(
                        command=words[0]
                    )
                )
            else:
                book.unread.append(number)
        except (ValueError, IndexError, KeyError):
            book.skipped.append(number)  # a form this model does not cover: reported, not fatal
    commit()
    return book


# policy settings that narrow what a policy matches and that this model does not read: a
# policy using one is audited as if it matched without it (broader), and says so
NOT_MODELLED_MATCH = {
    "internet-service": "enable",
    "internet-service-src": "enable",
    "internet-service6": "enable",
    "users": None,
    "groups": None,
    "fsso-groups": None,
    "application": None,
    "app-category": None,
    "app-group": None,
    "url-category": None,
    "devices": None,
    "src-vendor-mac": None,
    "ztna-status": "enable",
}


def _not_modelled(book: ObjectBook, props: dict[str, list[str]], lines: dict[str, int]) -> None:
    for key, active in NOT_MODELLED_MATCH.items():
        value = props.get(key)
        if value and (active is None or value[0] == active):
            book.note(
                f"`set {key}` not modelled: the policy is read as matching without it", lines[key]
            )


def _address(
    book: ObjectBook, name: str, line: int, props: dict[str, list[str]], lines: dict[str, int]
) -> None:
    members = book.add_address(name, line)
    kind = (props.get("type") or ["ipmask"])[0]
    note_line = lines.get("type", line)
    if kind == "iprange":
        start, end = props.get("start-ip", ["0.0.0.0"])[0], props.get("end-ip", ["0.0.0.0"])[0]
        members.append(addr_range(start, end))
    elif kind in ("ipmask", "interface-subnet"):
        subnet = props.get("subnet", ["0.0.0.0", "0.0.0.0"])
        if len(subnet) == 1 and "/" in subnet[0]:
            subnet = subnet[0].split("/")
        book.line = lines.get("subnet", line)
        members.append(addr_mask(subnet[0], subnet[1] if len(subnet) > 1 else "32", note=book.note))
    elif kind == "wildcard":
        value = props.get("wildcard", ["0.0.0.0", "0.0.0.0"])
        book.line = lines.get("wildcard", line)
        members.append(addr_mask(value[0], value[1], note=book.note))  # a non-contiguous mask
    else:  # fqdn, geography, dynamic, mac...: not resolvable offline
        book.note(
            f"address type {kind} not modelled (resolved on the device): matches nothing", note_line
        )


def _custom_service(
    book: ObjectBook, name: str, line: int, props: dict[str, list[str]], lines: dict[str, int]
) -> None:
    services = book.add_service(name, line)
    proto = (props.get("protocol") or ["TCP/UDP/SCTP"])[0].upper()
    if proto == "IP":
        number = int((props.get("protocol-number") or ["0"])[0])
        services.append(Service(IntervalSet.of(0, 255)) if number == 0 else Service.of(number))
    elif proto in ("ICMP", "ICMP6"):
        kind = props.get("icmptype")
        code = props.get("icmpcode")
        icmp_type = int(kind[0]) if kind else None
        lo, hi = (int(code[0]), int(code[0])) if code and icmp_type is not None else (0, 255)
        services.append(Service.icmp(icmp_type, lo, hi, proto=58 if proto == "ICMP6" else 1))
    elif proto in ("TCP/UDP/SCTP", "TCP/UDP/UDP-LITE/SCTP"):
        for key, proto_name in (
            ("tcp-portrange", "tcp"),
            ("udp-portrange", "udp"),
            ("sctp-portrange", "sctp"),
        ):
            if key in props:
                book.line = lines[key]
                services.extend(_portrange(book, proto_name, props[key]))
        for key in ("iprange", "fqdn"):
            if props.get(key) and props[key][0] not in ("0.0.0.0", '""', ""):
                book.note(
                    _("service `set {key}` not modelled: read as any destination").format(key=key),
                    lines[key],
                )
    else:
        book.note(
            f"service protocol {proto} not modelled: matches nothing", lines.get("protocol", line)
        )


def _policy(
    book: ObjectBook,
    name: str,
    line: int,
    props: dict[str, list[str]],
    vdom: str,
    lines: dict[str, int],
) -> None:
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
    _not_modelled(book, props, lines)
    book.pending.append(
        PendingRule(
            r,
            src=list(props.get("srcaddr", ["all"])),
            dst=list(props.get("dstaddr", ["all"])),
            svc=list(props.get("service", ["ALL"])),
            negate=negate,
        )
    )


def _entry(
    book: ObjectBook,
    section: str,
    name: str,
    line: int,
    props: dict[str, list[str]],
    vdom: str = "",
    lines: dict[str, int] | None = None,
) -> None:
    lines = lines or {}
    if section == "firewall address":
        _address(book, name, line, props, lines)
    elif section == "firewall addrgrp":
        members = book.add_address(name, line)
        for m in props.get("member", []):
            book.member(members, m)
    elif section == "firewall service custom":
        _custom_service(book, name, line, props, lines)
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
        _policy(book, name, line, props, vdom, lines)
