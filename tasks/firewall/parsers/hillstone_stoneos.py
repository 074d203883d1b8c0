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

from netsteward.tasks.core.i18n import _
from netsteward.tasks.firewall.model import Rule, Service, icmp_type
from netsteward.tasks.firewall.parsers.common import (
    Note,
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
    not_in_rule,
    source_port,
    unquote,
)
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    EMPTY,
    IntervalSet,
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
    "PING": [Service.icmp(8)],
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


# top-level statements only a StoneOS configuration has (generic words other vendors share,
# such as interface, ip or hostname, do not count)
KNOWN_TOP = frozenset(
    [
        "address",
        "servgroup",
        "schedule",
        "policy-global",
        "zone",
        "exit",
        "admin",
        "vrouter",
        "statistics-set",
        "app-cache",
    ]
)
DEVICE_ZONES = frozenset({"self", "local"})  # the firewall itself (management-plane traffic)
RULE_OPTIONS = ("name", "description", "log", "schedule", "expire-time", "enable", "disable",
                "counter", "session-limit", "av", "ips", "url", "sandbox", "tag")  # fmt: skip
NOT_MODELLED = ("application", "role", "user", "user-group", "src-addr-exclude", "dst-addr-exclude",
                "url-category", "src-country", "dst-country")  # fmt: skip


def _ip(words: list[str], note: Note) -> IntervalSet | None:
    if not words:
        return None
    if words[0].lower() == "any":
        return ALL_ADDR
    if "/" in words[0]:
        address, mask = words[0].split("/", 1)
        return addr_mask(address, mask, note=note)
    if len(words) >= 2:
        return addr_mask(words[0], words[1], note=note)
    return addr_mask(words[0], "32", note=note)


def _ports(words: list[str], note: Note) -> IntervalSet:
    """`dst-port 8000 8080` (min and optional max) -> ports; no dst-port: all."""
    if "src-port" in words:
        i = words.index("src-port")
        lo = int(words[i + 1])
        hi = int(words[i + 2]) if i + 2 < len(words) and words[i + 2].isdigit() else lo
        if (lo, hi) not in ((0, 65535), (1, 65535)):
            note(source_port())
    if "dst-port" not in words:
        return IntervalSet.of(0, 65535)
    i = words.index("dst-port")
    lo = int(words[i + 1])
    hi = int(words[i + 2]) if i + 2 < len(words) and words[i + 2].isdigit() else lo
    return IntervalSet.of(lo, hi)


def _icmp(words: list[str]) -> Service:
    """`icmp [type T [code C [D]]]` (StoneOS service entry)."""
    if "type" not in words:
        return Service.of("icmp")
    i = words.index("type")
    found = icmp_type(words[i + 1])
    if found is None:
        raise KeyError(f"unknown ICMP type {words[i + 1]!r}")
    kind, code = found
    lo, hi = (0, 255) if code is None else (code, code)
    if "code" in words:
        j = words.index("code")
        lo = int(words[j + 1])
        hi = int(words[j + 2]) if j + 2 < len(words) and words[j + 2].isdigit() else lo
    return Service.icmp(kind, lo, hi)


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
        device_zones=DEVICE_ZONES,
    )
    section = ""
    name = ""
    members: list | None = None
    current: PendingRule | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        book.line = number
        try:
            line = raw.strip()
            if not line:
                continue
            words = _words(line)
            indent = len(raw) - len(raw.lstrip(" "))
            if indent == 0:
                current, members = None, None
                if words[0] in KNOWN_TOP:
                    book.recognised += 1
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
            if section == "policy":
                current = _policy_line(book, current, words, line, number)
            elif section in ("addr", "svc", "svcgroup", "schedule") and not _entry_line(
                book, section, name, members, words, line
            ):
                book.unread.append(number)
        except (ValueError, IndexError, KeyError):
            book.skipped.append(number)  # a form this model does not cover: reported, not fatal
    return book


def _entry_line(
    book: ObjectBook, section: str, name: str, members: list | None, words: list[str], line: str
) -> bool:
    """A line of an address or service entry, a service group or a schedule."""
    key = words[0]
    if key in ("description", "exit"):
        return True
    if section == "addr" and members is not None:
        if key == "ip":
            value = _ip(words[1:], book.note)
            if value is not None:
                members.append(value)
            return value is not None
        if key == "range" and len(words) >= 3:
            members.append(addr_range(words[1], words[2]))
            return True
        if key == "member" and len(words) >= 2:
            book.member(members, words[1])
            return True
        if key in ("host", "wildcard", "country", "exclude"):
            book.note(_("address `{key}` not modelled: matches nothing here").format(key=key))
            return True
        return False
    if section == "svc" and members is not None:
        if key in ("tcp", "udp"):
            members.append(Service(Service.of(key).protocols, _ports(words, book.note)))
        elif key == "icmp":
            members.append(_icmp(words))
        elif key == "ip" or key.isdigit():
            protocol = words[1] if key == "ip" and len(words) > 1 else key
            members.append(
                Service(IntervalSet.of(0, 255))
                if not protocol.isdigit() or protocol == "0"
                else Service.of(int(protocol))
            )
        else:
            return False
        return True
    if section == "svcgroup" and members is not None and key == "service" and len(words) >= 2:
        book.member(members, words[1])
        return True
    if section == "schedule" and key in ("absolute", "periodic"):
        if key == "absolute":
            m = re.search(r"end\s+(\S+\s+\S+)", line)
            book.schedules[name] = _date(m.group(1)) if m else None
        return True
    return False


def _policy_line(
    book: ObjectBook, current: PendingRule | None, words: list[str], line: str, number: int
) -> PendingRule | None:
    if words[0] == "default-action" and len(words) >= 2:
        book.default_action = "permit" if words[1] == "permit" else "deny"
        book.default_line = number
        return current
    if words[0] == "rule":
        rid = words[words.index("id") + 1] if "id" in words else str(len(book.pending) + 1)
        rname = words[words.index("name") + 1] if "name" in words else ""
        current = PendingRule(
            Rule(id=rid, line=number, action="deny", policy="policy-global", name=rname)
        )
        book.pending.append(current)
        return current
    if line == "exit":
        return None
    if current is None or not _rule_line(book, current, words, line):
        book.unread.append(number)
    return current


def _rule_line(book: ObjectBook, p: PendingRule, words: list[str], line: str) -> bool:
    """One line of a rule; False when it is not understood."""
    r = p.rule
    key = words[0]
    arg = words[1] if len(words) > 1 else ""
    if key == "action":
        r.action = "permit" if arg == "permit" else "deny"
    elif key in ("src-zone", "dst-zone"):
        attr = "src_zones" if key == "src-zone" else "dst_zones"
        if arg.lower() == "any":
            p.any_zones.add(attr)
            setattr(r, attr, None)
        elif attr not in p.any_zones:
            setattr(r, attr, (getattr(r, attr) or frozenset()) | {arg})
        if key == "dst-zone":
            r.to_device = r.dst_zones is not None and r.dst_zones <= DEVICE_ZONES
    elif key in ("src-addr", "dst-addr"):
        (p.src if key == "src-addr" else p.dst).append(arg)
    elif key in ("src-ip", "dst-ip", "src-host", "dst-host"):
        side = p.src if key.startswith("src") else p.dst
        side.append(EMPTY)  # an unreadable address must not leave the side empty (= any)
        value = _ip(words[1:], book.note)
        if value is None:
            return False
        side.append(value)
    elif key in ("src-range", "dst-range") and len(words) >= 3:
        side = p.src if key == "src-range" else p.dst
        side.append(EMPTY)
        side.append(addr_range(words[1], words[2]))
    elif key == "service":
        p.svc.append(arg)
    elif key == "service-rule" and len(words) >= 2:
        # an inline service: `service-rule tcp dst-port 8443`
        p.svc.append(Service(EMPTY, EMPTY))
        if words[1] in ("tcp", "udp"):
            p.svc.append(Service(Service.of(words[1]).protocols, _ports(words, book.note)))
        elif words[1] == "icmp":
            p.svc.append(_icmp(words[1:]))
        else:
            return False
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
    elif key in NOT_MODELLED:
        book.note(not_in_rule(key))
    elif key not in RULE_OPTIONS:
        return False
    return True
