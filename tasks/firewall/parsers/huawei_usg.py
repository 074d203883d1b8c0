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

from netsteward.tasks.firewall.model import Rule, Service
from netsteward.tasks.firewall.parsers.common import (
    ObjectBook,
    PendingRule,
    addr_mask,
    addr_range,
    port_list,
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
    "ping": [Service.of("icmp")],
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


def _service_entry(words: list[str]) -> Service | str | None:
    """`service 0 protocol tcp source-port 0 to 65535 destination-port 8443` (words after the index)."""
    if words[:1] == ["service-set"] and len(words) > 1:
        return words[1]
    if words[:1] != ["protocol"] or len(words) < 2:
        return None
    proto = words[1]
    number = int(proto) if proto.isdigit() else None
    if "destination-port" in words:
        ports = port_list(words[words.index("destination-port") + 1 :])
        return Service(Service.of(number if number is not None else proto).protocols, ports)
    if number is not None:
        return Service.of(number) if number else Service(IntervalSet.of(0, 255))
    return Service.of(proto)


def _address(words: list[str]) -> IntervalSet | str | None:
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
        return addr_mask(words[0], words[2])
    if len(words) >= 2:
        return addr_mask(words[0], words[1], wildcard=True)
    return addr_mask(words[0], "32")


def parse_usg(text: str, device: str = "") -> ObjectBook:
    book = ObjectBook(
        device, "huawei_vrp", builtin_addr=dict(BUILTIN_ADDRESSES), builtin_svc=BUILTIN_SERVICES
    )
    section = ""
    members: list | None = None
    time_range = ""
    current: PendingRule | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            if not raw.strip() or raw.strip().startswith("#"):
                continue
            indent = len(raw) - len(raw.lstrip(" "))
            words = raw.split()
            if indent == 0:
                section, members, current = "", None, None
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
            if section == "addr" and members is not None and words[0] == "address":
                value = _address(words[2:] if len(words) > 2 and words[1].isdigit() else words[1:])
                if isinstance(value, str):
                    book.member(members, value)
                elif value is not None:
                    members.append(value)
            elif section == "svc" and members is not None and words[0] == "service":
                entry = _service_entry(
                    words[2:] if len(words) > 1 and words[1].isdigit() else words[1:]
                )
                if isinstance(entry, str):
                    book.member(members, entry)
                elif entry is not None:
                    members.append(entry)
            elif section == "time":
                _time_line(book, time_range, raw.strip())
            elif section == "policy":
                if words[:2] == ["default", "action"] and len(words) >= 3:
                    book.default_action = "permit" if words[2] == "permit" else "deny"
                    book.default_line = number
                elif words[:2] == ["rule", "name"] and len(words) >= 3:
                    name = raw.strip()[len("rule name ") :].strip()
                    current = PendingRule(
                        Rule(
                            id=name, line=number, action="deny", policy="security-policy", name=name
                        )
                    )
                    book.pending.append(current)
                elif current is not None:
                    _rule_line(current, words, raw.strip())
        except (ValueError, IndexError, KeyError):
            book.skipped.append(number)  # a form this model does not cover: reported, not fatal
    return book


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


def _rule_line(p: PendingRule, words: list[str], line: str) -> None:
    r = p.rule
    key = words[0]
    if key == "description":
        r.comment = line[len("description") :].strip()
    elif key == "source-zone":
        r.src_zones = (r.src_zones or frozenset()) | frozenset(words[1:])
    elif key == "destination-zone":
        r.dst_zones = (r.dst_zones or frozenset()) | frozenset(words[1:])
    elif key in ("source-address", "destination-address"):
        target = p.src if key == "source-address" else p.dst
        target.append(EMPTY)  # an unreadable address must not leave the side empty (= any)
        value = _address(words[1:])
        if value is not None:
            target.append(value)
    elif key == "service":
        if words[1:2] == ["protocol"]:
            p.svc.append(
                Service(EMPTY, EMPTY)
            )  # likewise: a service that cannot be read is not "any"
            entry = _service_entry(words[1:])
            if entry is not None:
                p.svc.append(entry)
        else:
            for name in words[1:]:
                if name == "any":
                    p.svc.append(Service(IntervalSet.of(0, 255)))
                else:
                    p.svc.append(name)
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
