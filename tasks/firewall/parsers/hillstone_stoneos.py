"""Hillstone StoneOS: address book, service book, schedules and `policy-global` rules.

```
address "WEB01"
  ip 10.2.0.10/32
exit
service "TCP-8443"
  tcp dst-port 8443
exit
policy-global
  default-action permit
  rule id 20 name "partner-to-web"
    action permit
    src-zone "untrust"
    dst-zone "dmz"
    src-addr "PARTNERS"
    dst-ip 10.2.0.10/32
    service "TCP-8443"
    log session-start
    description "CHG-1234"
    expire-time 12/31/2026 23:59:59
    disable
  exit
exit
```
Findings name a rule by its id.
"""

from __future__ import annotations

import re
import shlex
from datetime import datetime

from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.parsers.common import (
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
    unquote,
)
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    EMPTY,
    IntervalSet,
    net_range,
)

BUILTIN_SERVICES: dict[str, list[Service]] = {
    "Any": [Service(IntervalSet.of(0, 255))],
    "HTTP": [Service.of("tcp", 80, 80)],
    "HTTPS": [Service.of("tcp", 443, 443)],
    "SSH": [Service.of("tcp", 22, 22)],
    "TELNET": [Service.of("tcp", 23, 23)],
    "FTP": [Service.of("tcp", 21, 21)],
    "TFTP": [Service.of("udp", 69, 69)],
    "SMTP": [Service.of("tcp", 25, 25)],
    "POP3": [Service.of("tcp", 110, 110)],
    "IMAP": [Service.of("tcp", 143, 143)],
    "DNS": [Service.of("udp", 53, 53), Service.of("tcp", 53, 53)],
    "NTP": [Service.of("udp", 123, 123)],
    "SNMP": [Service.of("udp", 161, 162)],
    "ICMP": [Service.of("icmp")],
    "PING": [Service.of("icmp")],
    "RDP": [Service.of("tcp", 3389, 3389)],
    "MSSQL": [Service.of("tcp", 1433, 1433)],
    "MYSQL": [Service.of("tcp", 3306, 3306)],
    "SMB": [Service.of("tcp", 445, 445)],
    "NETBIOS": [Service.of("udp", 137, 138), Service.of("tcp", 139, 139)],
}
BUILTIN_ADDRESSES = {"Any": ALL_ADDR}


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _ip(words: list[str]) -> IntervalSet | None:
    if not words:
        return None
    if words[0].lower() == "any":
        return ALL_ADDR
    if "/" in words[0]:
        return IntervalSet.of(*net_range(words[0]))
    if len(words) >= 2:
        return addr_mask(words[0], words[1])
    return addr_mask(words[0], "32")


def _ports(words: list[str]) -> IntervalSet:
    """`dst-port 8000 8080` (min and optional max) -> ports; no dst-port: all."""
    if "dst-port" not in words:
        return IntervalSet.of(0, 65535)
    i = words.index("dst-port")
    lo = int(words[i + 1])
    hi = int(words[i + 2]) if i + 2 < len(words) and words[i + 2].isdigit() else lo
    return IntervalSet.of(lo, hi)


def _date(text: str) -> datetime | None:
    for fmt in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_stoneos(text: str, device: str = "") -> ObjectBook:
    book = ObjectBook(
        device,
        "hillstone_stoneos",
        builtin_addr=dict(BUILTIN_ADDRESSES),
        builtin_svc=BUILTIN_SERVICES,
        case_insensitive_builtins=True,
    )
    section = ""
    name = ""
    members: list | None = None
    current: PendingRule | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            line = raw.strip()
            if not line:
                continue
            words = _words(line)
            indent = len(raw) - len(raw.lstrip(" "))
            if indent == 0:
                current, members = None, None
                if line == "exit":
                    section = ""
                elif words[0] == "address" and len(words) >= 2:
                    section, members = "addr", book.add_address(words[1], number)
                elif words[0] == "service" and len(words) >= 2:
                    section, members = "svc", book.add_service(words[1], number)
                elif words[0] == "servgroup" and len(words) >= 2:
                    section, members = "svcgroup", book.add_service(words[1], number)
                elif words[0] == "schedule" and len(words) >= 2:
                    section, name = "schedule", words[1]
                    book.schedules.setdefault(name, None)
                elif words[0] == "policy-global":
                    section = "policy"
                elif words[0] in ("nat", "ip", "pbr-policy"):
                    section = "other"
                elif words[0] == "default-action" and len(words) >= 2:
                    book.default_action = "permit" if words[1] == "permit" else "deny"
                    book.default_line = number
                    section = ""
                else:
                    section = ""
                continue
            if section == "other":
                # snatrule/dnatrule and policy routes name address and service entries: they are in use
                for i, word in enumerate(words[:-1]):
                    if word in ("from", "to", "service", "trans-to", "src-addr", "dst-addr"):
                        book.member_refs.add(words[i + 1])
                continue
            if section == "addr" and members is not None:
                if words[0] == "ip":
                    value = _ip(words[1:])
                    if value is not None:
                        members.append(value)
                elif words[0] == "range" and len(words) >= 3:
                    members.append(addr_range(words[1], words[2]))
                elif words[0] == "member" and len(words) >= 2:
                    book.member(members, words[1])
            elif section == "svc" and members is not None:
                if words[0] in ("tcp", "udp"):
                    members.append(Service(Service.of(words[0]).protocols, _ports(words)))
                elif words[0] in ("icmp", "ip") or words[0].isdigit():
                    proto = words[0]
                    members.append(
                        Service(IntervalSet.of(0, 255))
                        if proto == "ip"
                        else Service.of(int(proto) if proto.isdigit() else proto)
                    )
            elif (
                section == "svcgroup"
                and members is not None
                and words[0] == "service"
                and len(words) >= 2
            ):
                book.member(members, words[1])
            elif section == "schedule" and words[0] == "absolute":
                m = re.search(r"end\s+(\S+\s+\S+)", line)
                book.schedules[name] = _date(m.group(1)) if m else None
            elif section == "policy":
                if words[0] == "default-action" and len(words) >= 2:
                    book.default_action = "permit" if words[1] == "permit" else "deny"
                    book.default_line = number
                elif words[0] == "rule":
                    rid = (
                        words[words.index("id") + 1]
                        if "id" in words
                        else str(len(book.pending) + 1)
                    )
                    rname = words[words.index("name") + 1] if "name" in words else ""
                    current = PendingRule(
                        Rule(id=rid, line=number, action="deny", policy="policy-global", name=rname)
                    )
                    book.pending.append(current)
                elif line == "exit":
                    if current is None:
                        section = ""
                    current = None
                elif current is not None:
                    _rule_line(current, words, line)
        except (ValueError, IndexError, KeyError):
            book.skipped.append(number)  # a form this model does not cover: reported, not fatal
    return book


def _rule_line(p: PendingRule, words: list[str], line: str) -> None:
    r = p.rule
    key = words[0]
    arg = words[1] if len(words) > 1 else ""
    if key == "action":
        r.action = "permit" if arg == "permit" else "deny"
    elif key in ("src-zone", "dst-zone"):
        attr = "src_zones" if key == "src-zone" else "dst_zones"
        if arg.lower() == "any":
            setattr(r, attr, None)
        else:
            setattr(r, attr, (getattr(r, attr) or frozenset()) | {arg})
    elif key in ("src-addr", "dst-addr"):
        (p.src if key == "src-addr" else p.dst).append(arg)
    elif key in ("src-ip", "dst-ip", "src-host", "dst-host"):
        side = p.src if key.startswith("src") else p.dst
        side.append(EMPTY)  # an unreadable address must not leave the side empty (= any)
        value = _ip(words[1:])
        if value is not None:
            side.append(value)
    elif key in ("src-range", "dst-range") and len(words) >= 3:
        side = p.src if key == "src-range" else p.dst
        side.append(EMPTY)
        side.append(addr_range(words[1], words[2]))
    elif key == "service":
        p.svc.append(arg)
    elif key == "name":
        r.name = arg
    elif key == "description":
        r.comment = unquote(line[len("description") :])
    elif key == "disable":
        r.enabled = False
    elif key == "enable":
        r.enabled = True
    elif key == "log":
        r.log = True
    elif key == "schedule":
        r.schedule = arg
    elif key == "expire-time":
        r.expires = _date(" ".join(words[1:3]))
        r.schedule = r.schedule or "expire-time"
