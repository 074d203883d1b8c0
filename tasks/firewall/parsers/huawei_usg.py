"""Huawei USG (VRP) security policy: `ip address-set`, `ip service-set`, `time-range`, `security-policy`.

```
ip address-set WEB01 type object
 address 0 10.2.0.10 mask 32
ip service-set TCP-8443 type object
 service 0 protocol tcp source-port 0 to 65535 destination-port 8443
security-policy
 default action permit
 rule name partner-to-web
  description CHG-1234
  source-zone untrust
  destination-zone dmz
  source-address address-set PARTNERS
  destination-address 10.2.0.10 mask 255.255.255.255
  service TCP-8443
  time-range office-hours
  session logging
  action permit
```
A rule without source/destination address or service matches any; without an
`action` line it denies.  Source ports in service-sets are not modelled.
"""

from __future__ import annotations

import re
from datetime import datetime

from netsteward.tasks.firewall.model import Rule, Service, icmp_type
from netsteward.tasks.firewall.parsers.common import (
    Note,
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
    not_in_rule,
    port_list,
    source_port,
)
from netsteward.tasks.firewall.sets import ALL_ADDR, EMPTY, IntervalSet

BUILTIN_SERVICES: dict[str, list[Service]] = {
    "http": [Service.of("tcp", 80, 80)],
    "https": [Service.of("tcp", 443, 443)],
    "ssh": [Service.of("tcp", 22, 22)],
    "telnet": [Service.of("tcp", 23, 23)],
    "ftp": [Service.of("tcp", 21, 21)],
    "smtp": [Service.of("tcp", 25, 25)],
    "pop3": [Service.of("tcp", 110, 110)],
    "imap": [Service.of("tcp", 143, 143)],
    "dns": [Service.of("udp", 53, 53), Service.of("tcp", 53, 53)],
    "ntp": [Service.of("udp", 123, 123)],
    "snmp": [Service.of("udp", 161, 162)],
    "tftp": [Service.of("udp", 69, 69)],
    "rdp": [Service.of("tcp", 3389, 3389)],
    "icmp": [Service.of("icmp")],
    "ping": [Service.icmp(8)],
    "sqlserver": [Service.of("tcp", 1433, 1433)],
    "mysql": [Service.of("tcp", 3306, 3306)],
    "oracle": [Service.of("tcp", 1521, 1521)],
}
BUILTIN_ADDRESSES = {"any": ALL_ADDR}
OTHER_POLICIES = (
    "nat-policy",
    "policy-based-route",
    "traffic-policy",
    "audit-policy",
    "decryption-policy",
    "auth-policy",
    "nat server",
    "nat address-group",
)

_DATE = r"(\d{1,2}:\d{2}(?::\d{2})?)\s+(\d{4}/\d{1,2}/\d{1,2})"


# top-level statements only a VRP configuration has: one of them (or a `#` separator line) makes
# the text a configuration; generic words (interface, ip, acl) other vendors share do not count
KNOWN_TOP = frozenset(
    [
        "sysname",
        "return",
        "security-policy",
        "firewall",
        "undo",
        "user-interface",
        "info-center",
        "snmp-agent",
        "stelnet",
        "nat-policy",
        "hrp",
        "vsys",
        "ntp-service",
        "web-manager",
        "policy-based-route",
        "traffic-policy",
        "audit-policy",
        "decryption-policy",
        "auth-policy",
        "isp",
        "sslvpn",
        "user-manage",
        "ip-link",
        "car-class",
    ]
)
DEVICE_ZONES = frozenset({"local", "self"})  # the firewall itself (management-plane traffic)
# rule lines that do not change what a rule matches
RULE_OPTIONS = (
    "description",
    "profile",
    "long-link",
    "session",
    "policy",
    "counting",
    "tag",
    "parent-group",
    "traffic-statistic",
)
# rule lines that narrow what a rule matches and that this model does not read
NOT_MODELLED = ("application", "category", "user", "access-authentication", "source-address-exclude",
                "destination-address-exclude", "url-category", "terminal", "cpu-type", "os-type", "vlan")  # fmt: skip


def _icmp(words: list[str]) -> Service:
    """`icmp-type echo` / `icmp-type 3 4` after `protocol icmp` (no icmp-type: every message)."""
    if "icmp-type" not in words:
        return Service.of("icmp")
    rest = words[words.index("icmp-type") + 1 :]
    found = icmp_type(rest[0])
    if found is None:
        raise KeyError(f"unknown ICMP type {rest[0]!r}")
    kind, code = found
    if code is None and len(rest) > 1 and rest[1].isdigit():
        code = int(rest[1])
    return Service.icmp(kind, *((code, code) if code is not None else (0, 255)))


def _service_entry(words: list[str], note: Note) -> Service | str | None:
    """`service 0 protocol tcp source-port 0 to 65535 destination-port 8443` (words after the index)."""
    if words[:1] == ["service-set"] and len(words) > 1:
        return words[1]
    if words[:1] != ["protocol"] or len(words) < 2:
        return None
    proto = words[1]
    if proto.lower() == "icmp":
        return _icmp(words)
    number = int(proto) if proto.isdigit() else None
    if "source-port" in words:
        src = port_list(words[words.index("source-port") + 1 :])
        if src and src != IntervalSet.of(0, 65535):
            note(source_port())
    if "destination-port" in words:
        ports = port_list(words[words.index("destination-port") + 1 :])
        return Service(Service.of(number if number is not None else proto).protocols, ports)
    if number is not None:
        return Service.of(number) if number else Service(IntervalSet.of(0, 255))
    return Service.of(proto)


def _address(words: list[str], note: Note) -> IntervalSet | str | None:
    """Address words: `10.0.0.0 mask 24`, `10.0.0.0 24`, `10.0.0.0 0.0.0.255`, `range A B`, `address-set X`."""
    if not words:
        return None
    if words[0] == "address-set" and len(words) > 1:
        return words[1]
    if words[0] == "any":
        return ALL_ADDR
    if words[0] == "range" and len(words) >= 3:
        return addr_range(words[1], words[2])
    if len(words) >= 3 and words[1] == "mask":
        return addr_mask(words[0], words[2], note=note)
    if len(words) >= 2:
        return addr_mask(words[0], words[1], wildcard=True, note=note)
    return addr_mask(words[0], "32", note=note)


def parse_usg(text: str, device: str = "") -> ObjectBook:
    book = ObjectBook(
        device,
        "huawei_vrp",
        builtin_addr=dict(BUILTIN_ADDRESSES),
        builtin_svc=BUILTIN_SERVICES,
        device_zones=DEVICE_ZONES,
    )
    section = ""
    members: list | None = None
    time_range = ""
    current: PendingRule | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        book.line = number
        try:
            if not raw.strip():
                continue
            if raw.strip().startswith("#"):
                book.recognised += 1 if raw.strip() == "#" else 0
                continue
            indent = len(raw) - len(raw.lstrip(" "))
            words = raw.split()
            if indent == 0:
                section, members, current = "", None, None
                if words[0] in KNOWN_TOP:
                    book.recognised += 1
                if words[:2] == ["ip", "address-set"] and len(words) >= 3:
                    section, members = "addr", book.add_address(words[2], number)
                elif words[:2] == ["ip", "service-set"] and len(words) >= 3:
                    section, members = "svc", book.add_service(words[2], number)
                elif words[0] == "time-range" and len(words) >= 2:
                    section, time_range = "time", words[1]
                    book.schedules.setdefault(time_range, None)
                    rest = " ".join(words[2:])
                    _time_line(book, time_range, rest)
                elif words == ["security-policy"]:
                    section = "policy"
                elif words[0] in OTHER_POLICIES:
                    section = "other"
                continue
            if section == "other":
                # NAT, policy routing and the like use objects too: not audited, but the objects are in use
                if "address-set" in words[:-1]:
                    book.member_refs.add(words[words.index("address-set") + 1])
                elif words[0] == "service" and len(words) > 1 and words[1] != "protocol":
                    book.member_refs.update(words[1:])
                continue
            if not _section_line(book, section, members, time_range, words, raw):
                if section == "policy":
                    current = _policy_line(book, current, words, raw, number)
                elif section in ("addr", "svc", "time"):
                    book.unread.append(number)
        except (ValueError, IndexError, KeyError):
            book.skipped.append(number)  # a form this model does not cover: reported, not fatal
    return book


def _section_line(
    book: ObjectBook,
    section: str,
    members: list | None,
    time_range: str,
    words: list[str],
    raw: str,
) -> bool:
    """A line of an address set, service set or time range; False when not one of those."""
    if section in ("addr", "svc") and words[0] == "description":
        return True
    if section == "addr" and members is not None and words[0] == "address":
        value = _address(
            words[2:] if len(words) > 2 and words[1].isdigit() else words[1:], book.note
        )
        if isinstance(value, str):
            book.member(members, value)
        elif value is not None:
            members.append(value)
        return value is not None
    if section == "svc" and members is not None and words[0] == "service":
        entry = _service_entry(
            words[2:] if len(words) > 1 and words[1].isdigit() else words[1:], book.note
        )
        if isinstance(entry, str):
            book.member(members, entry)
        elif entry is not None:
            members.append(entry)
        return entry is not None
    if section == "time" and words[0] in ("absolute-range", "periodic-range"):
        _time_line(book, time_range, raw.strip())
        return True
    return False


def _policy_line(
    book: ObjectBook, current: PendingRule | None, words: list[str], raw: str, number: int
) -> PendingRule | None:
    """A line of `security-policy`: the default action, a rule's start, or one of its lines."""
    if words[:2] == ["default", "action"] and len(words) >= 3:
        book.default_action = "permit" if words[2] == "permit" else "deny"
        book.default_line = number
        return current
    if words[:2] == ["rule", "name"] and len(words) >= 3:
        name = raw.strip()[len("rule name ") :].strip()
        current = PendingRule(
            Rule(id=name, line=number, action="deny", policy="security-policy", name=name)
        )
        book.pending.append(current)
        return current
    if current is None or not _rule_line(book, current, words, raw.strip()):
        book.unread.append(number)
    return current


def _time_line(book: ObjectBook, name: str, line: str) -> None:
    if "absolute-range" not in line:
        return
    found = re.findall(_DATE, line)
    if len(found) >= 2:
        end = _when(*found[1])
    elif found and " to " not in line:
        end = None  # open-ended from a start
    else:
        return
    book.schedules[name] = end


def _when(clock: str, day: str) -> datetime:
    fmt = "%H:%M:%S" if clock.count(":") == 2 else "%H:%M"
    return datetime.strptime(f"{day} {clock}", f"%Y/%m/%d {fmt}")


def _rule_line(book: ObjectBook, p: PendingRule, words: list[str], line: str) -> bool:
    """One line of a rule; False when it is not understood."""
    r = p.rule
    key = words[0]
    if key == "description":
        r.comment = line[len("description") :].strip()
    elif key in ("source-zone", "destination-zone"):
        attr = "src_zones" if key == "source-zone" else "dst_zones"
        zones = frozenset(words[1:])
        if "any" in zones:
            p.any_zones.add(attr)  # any zone: no zone condition, whatever else is listed
            setattr(r, attr, None)
        elif attr not in p.any_zones:
            setattr(r, attr, (getattr(r, attr) or frozenset()) | zones)
        if key == "destination-zone":
            r.to_device = r.dst_zones is not None and r.dst_zones <= DEVICE_ZONES
    elif key in ("source-address", "destination-address"):
        target = p.src if key == "source-address" else p.dst
        target.append(EMPTY)  # an unreadable address must not leave the side empty (= any)
        value = _address(words[1:], book.note)
        if value is None:
            return False
        target.append(value)
    elif key == "service":
        if words[1:2] == ["protocol"]:
            p.svc.append(Service(EMPTY, EMPTY))  # a service that cannot be read is not "any"
            entry = _service_entry(words[1:], book.note)
            if entry is None:
                return False
            p.svc.append(entry)
        else:
            for name in words[1:]:
                p.svc.append(Service(IntervalSet.of(0, 255)) if name == "any" else name)
    elif key == "action" and len(words) > 1:
        r.action = "permit" if words[1] == "permit" else "deny"
    elif key == "disable":
        r.enabled = False
    elif key == "enable":
        r.enabled = True
    elif key in ("session", "policy") and words[1:2] == ["logging"]:
        r.log = True
    elif key == "time-range" and len(words) > 1:
        r.schedule = words[1]
    elif key in NOT_MODELLED:
        book.note(not_in_rule(key))
    elif key not in RULE_OPTIONS:
        return False
    return True
