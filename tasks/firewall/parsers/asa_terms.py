"""Cisco ASA words: port and protocol names, port operators, ICMP messages, the statements
of an ASA configuration, and the routing table walk (`routed_to`), for `cisco_asa`.

Kept apart from the parser so that each stays readable: this is the vocabulary, the parser
the grammar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from netsteward.tasks.firewall.model import ICMP, PROTO_NUMBERS, Service, icmp_type
from netsteward.tasks.firewall.sets import ALL_PORTS, EMPTY, IntervalSet

PORT_NAMES = {
    "echo": 7,
    "discard": 9,
    "daytime": 13,
    "chargen": 19,
    "ftp-data": 20,
    "ftp": 21,
    "ssh": 22,
    "telnet": 23,
    "smtp": 25,
    "time": 37,
    "nameserver": 42,
    "whois": 43,
    "tacacs": 49,
    "domain": 53,
    "bootps": 67,
    "bootpc": 68,
    "tftp": 69,
    "gopher": 70,
    "finger": 79,
    "www": 80,
    "http": 80,
    "kerberos": 88,
    "hostname": 101,
    "pop2": 109,
    "pop3": 110,
    "sunrpc": 111,
    "ident": 113,
    "nntp": 119,
    "ntp": 123,
    "netbios-ns": 137,
    "netbios-dgm": 138,
    "netbios-ssn": 139,
    "imap4": 143,
    "snmp": 161,
    "snmptrap": 162,
    "xdmcp": 177,
    "bgp": 179,
    "irc": 194,
    "dnsix": 195,
    "ldap": 389,
    "mobile-ip": 434,
    "https": 443,
    "pim-auto-rp": 496,
    "isakmp": 500,
    "biff": 512,
    "exec": 512,
    "login": 513,
    "who": 513,
    "rsh": 514,
    "cmd": 514,
    "syslog": 514,
    "lpd": 515,
    "talk": 517,
    "rip": 520,
    "uucp": 540,
    "klogin": 543,
    "kshell": 544,
    "rtsp": 554,
    "ldaps": 636,
    "kerberos-adm": 749,
    "lotusnotes": 1352,
    "citrix-ica": 1494,
    "sqlnet": 1521,
    "radius": 1645,
    "radius-acct": 1646,
    "h323": 1720,
    "pptp": 1723,
    "nfs": 2049,
    "ctiqbe": 2748,
    "cifs": 3020,
    "sip": 5060,
    "aol": 5190,
    "secureid-udp": 5510,
    "pcanywhere-data": 5631,
    "pcanywhere-status": 5632,
    "vxlan": 4789,
}
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def _port(token: str) -> int:
    return int(token) if token.isdigit() else PORT_NAMES[token.lower()]


def _port_op(words: list[str], i: int) -> tuple[IntervalSet, int] | None:
    """Port operator at words[i] -> (ports, next index); None when there is none.

    An operator with an unknown port name raises KeyError: the line is reported, never widened.
    """
    if i >= len(words):
        return None
    op = words[i]
    if op == "eq":
        p = _port(words[i + 1])
        return IntervalSet.of(p, p), i + 2
    if op == "range":
        return IntervalSet.of(_port(words[i + 1]), _port(words[i + 2])), i + 3
    if op == "lt":
        return IntervalSet.of(0, _port(words[i + 1]) - 1), i + 2
    if op == "gt":
        return IntervalSet.of(_port(words[i + 1]) + 1, 65535), i + 2
    if op == "neq":
        p = _port(words[i + 1])
        return ALL_PORTS - IntervalSet.of(p, p), i + 2
    return None


# protocol keywords an ACE may name besides PROTO_NUMBERS' (ASA command reference)
ASA_PROTOCOLS = {"eigrp": 88, "icmp6": 58, "igrp": 9, "ipinip": 4, "ipsec": 50, "nos": 94,
                 "pcp": 108, "pptp": 47, "snp": 109}  # fmt: skip


def _proto(token: str) -> IntervalSet:
    """A protocol keyword or number; an unknown one raises KeyError (reported, never "ip")."""
    t = token.lower()
    if t in ("ip", "ipv4"):
        return IntervalSet.of(0, 255)
    if t == "tcp-udp":
        return IntervalSet([(6, 6), (17, 17)])
    number = int(t) if t.isdigit() else PROTO_NUMBERS.get(t, ASA_PROTOCOLS.get(t, -1))
    if not 0 <= number <= 255:
        raise KeyError(f"unknown protocol {token!r}")
    return IntervalSet.of(number, number)


def _svc(proto: str, ports: IntervalSet | None) -> Service:
    protos = _proto(proto)
    if protos.issubset(IntervalSet([(6, 6), (17, 17)])):
        return Service(protos, ports or ALL_PORTS)
    if protos.spans and protos.lo == protos.hi and protos.lo in ICMP and ports is not None:
        return Service(protos, ports)  # ICMP messages (icmp_span)
    return Service(protos, ALL_PORTS)


def _icmp(words: list[str], i: int) -> tuple[IntervalSet, int] | None:
    """`echo`, `3`, `3 4` (type, code) at words[i] -> (messages, next index); None if none."""
    if i >= len(words):
        return None
    found = icmp_type(words[i])
    if found is None:
        return None
    kind, code = found
    i += 1
    if code is None and i < len(words) and words[i].isdigit():
        code, i = int(words[i]), i + 1
    lo, hi = (0, 255) if code is None else (code, code)
    return Service.icmp(kind, lo, hi).ports, i


def _when(words: list[str]) -> datetime | None:
    """`23:59 30 June 2025` -> datetime."""
    try:
        h, m = words[0].split(":")[:2]
        return datetime(int(words[3]), MONTHS[words[2].lower()], int(words[1]), int(h), int(m))
    except (IndexError, KeyError, ValueError):
        return None


@dataclass
class _Interface:
    nameif: str = ""
    line: int = 0  # of the nameif line
    level: int | None = None
    management_only: bool = False
    shutdown: bool = False
    network: IntervalSet = EMPTY  # the connected subnet (`ip address A M`)


def routed_to(table: list[tuple[IntervalSet, str]], interfaces: set[str]) -> IntervalSet:
    """The destinations whose longest-prefix match in `table` leaves by one of `interfaces`.

    `table` lists (destination, interface), connected subnets first: on equal prefixes the
    first entry wins, as a connected route beats a static one. Destinations no entry
    covers (no default route) are routed nowhere.
    """
    order = sorted(range(len(table)), key=lambda i: (table[i][0].size(), i))
    taken = EMPTY
    out = EMPTY
    for i in order:
        net, nameif = table[i]
        fresh = net.difference(taken)
        if nameif in interfaces:
            out = out.union(fresh)
        taken = taken.union(net)
    return out


# top-level statements of an ASA configuration this parser models or knowingly leaves alone
KNOWN_TOP = frozenset(
    [
        "ASA",
        "PIX",
        "hostname",
        "domain-name",
        "enable",
        "passwd",
        "names",
        "name",
        "interface",
        "object",
        "object-group",
        "access-list",
        "access-group",
        "route",
        "nat",
        "global",
        "static",
        "time-range",
        "same-security-traffic",
        "http",
        "ssh",
        "telnet",
        "logging",
        "snmp-server",
        "aaa",
        "aaa-server",
        "crypto",
        "tunnel-group",
        "group-policy",
        "username",
        "ntp",
        "dns",
        "mtu",
        "failover",
        "firewall",
        "service-policy",
        "policy-map",
        "class-map",
        "icmp",
        "arp",
        "monitor-interface",
        "threat-detection",
        "webvpn",
        "dhcpd",
        "dhcprelay",
        "ip",
        "ipv6",
        "pager",
        "license",
        "terminal",
        "boot",
        "ftp",
        "clock",
        "console",
        "asdm",
        "no",
        "prefix-list",
        "router",
        "timeout",
        "user-identity",
        "dynamic-access-policy-record",
        "service",
        "call-home",
        "sysopt",
        "vpdn",
        "banner",
        "fragment",
        "mac-address",
        "ipsec",
        "ca",
        "tls-proxy",
        "smtp-server",
        "http-proxy",
        "anyconnect",
        "xlate",
        "context",
        "admin-context",
        "config-url",
        "allocate-interface",
        "management-access",
        "quit",
        "end",
        "flow-export",
        "jumbo-frame",
    ]
)
# `show access-list` prints entries the configuration never holds: line numbers, hit counts
SHOW_ACCESS_LIST = (
    r"^access-list \S+; \d+ elements|^access-list cached ACL log flows"
    r"|^\s*access-list \S+ line \d+ |\(hitcnt=\d+\)"
)


LOG_WORDS = {
    "interval", "emergencies", "alerts", "critical", "errors", "warnings", "notifications",
    "informational", "debugging", "default", "disable",
}  # fmt: skip
