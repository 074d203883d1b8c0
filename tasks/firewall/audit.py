"""Firewall least-exposure audit: the 15 checks of docs/audit.md and the exposure matrix.

`audit_config(platform, text, intent, as_of)` parses one configuration and
audits it; `audit_firewall(fw, intent, as_of)` audits a parsed `Firewall`.

Evaluation is first match per policy, default action last, over exact sets
(`netsteward.tasks.firewall.sets`): a rule's match space is a union of boxes (source zone,
destination zone, source, destination, protocol, port).  Only active rules
take part (enabled, not expired, not empty because of undefined objects).

Shadowing and redundancy: a rule is covered when the earlier active rules of
its policy cover its whole match space (`netsteward.tasks.firewall.evaluate.coverage`: indexed, not
pairwise); the rules that decide its space are named.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import ReadWarning
from netsteward.tasks.firewall.evaluate import (
    ZoneIndex,
    build_index,
    coverage,
    merge_boxes,
    proto_text,
    reach,
    split_by_intent,
)
from netsteward.tasks.firewall.intent import Intent, Server
from netsteward.tasks.firewall.model import (
    ICMP_PROTOS,
    Firewall,
    Rule,
    Service,
    describe_icmp,
)
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    EMPTY,
    Box,
    IntervalSet,
    describe_addrs,
    describe_ports,
)

SEVERITY = {
    "EXCESS_EXPOSURE": "high",
    "ANY_ANY_PERMIT": "high",
    "MANAGEMENT_ACCESS": "high",
    "RISKY_SERVICE": "high",
    "DEFAULT_PERMIT": "high",
    "UNDEFINED_OBJECT": "high",
    "ANY_SERVICE": "medium",
    "ANY_SOURCE": "medium",
    "WIDE_PORT_RANGE": "medium",
    "SHADOWED_RULE": "medium",
    "EXPIRED_RULE": "medium",
    "REDUNDANT_RULE": "low",
    "DISABLED_RULE": "low",
    "NO_LOGGING": "low",
    "NO_COMMENT": "low",
    "UNUSED_OBJECT": "low",
}
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
CHECKS = tuple(SEVERITY)

# (name, protocol, first port, last port): risky when reachable from any source
RISKY_PORTS: tuple[tuple[str, str, int, int], ...] = (
    ("FTP", "tcp", 20, 21),
    ("SSH", "tcp", 22, 22),
    ("telnet", "tcp", 23, 23),
    ("TFTP", "udp", 69, 69),
    ("rexec/rlogin/rsh", "tcp", 512, 514),
    ("NetBIOS", "tcp", 137, 139),
    ("NetBIOS", "udp", 137, 139),
    ("SMB", "tcp", 445, 445),
    ("RDP", "tcp", 3389, 3389),
    ("NFS", "tcp", 2049, 2049),
    ("NFS", "udp", 2049, 2049),
    ("MS SQL", "tcp", 1433, 1434),
    ("Oracle", "tcp", 1521, 1521),
    ("MySQL", "tcp", 3306, 3306),
    ("PostgreSQL", "tcp", 5432, 5432),
    ("Redis", "tcp", 6379, 6379),
    ("MongoDB", "tcp", 27017, 27017),
)
WIDE_PORTS = 1000
PORTED_PROTOS = IntervalSet([(6, 6), (17, 17)])


@dataclass(frozen=True)
class Finding:
    device: str
    rule: str
    line: int
    check: str
    severity: str
    detail: str


@dataclass(frozen=True)
class Exposure:
    """Who can reach a declared server, on which ports, through which firewall rule."""

    server: str
    device: str
    policy: str
    rule: str
    line: int
    sources: str
    protocol: str
    ports: str
    within_intent: bool


@dataclass
class AuditResult:
    findings: list[Finding] = field(default_factory=list)
    exposure: list[Exposure] = field(default_factory=list)
    # what the parser could not read (lines not understood, values not modelled): the audit of
    # those configurations is incomplete, which the reports say and the exit code counts
    read_warnings: list[ReadWarning] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The read warnings for people, one line each, and a count per configuration."""
        per_device = Counter(w.source for w in self.read_warnings)
        counts = [
            _("{device}: {n} configuration line(s) not read or not modelled").format(
                device=device, n=n
            )
            for device, n in sorted(per_device.items())
        ]
        return counts + [str(w) for w in self.read_warnings]

    def extend(self, other: AuditResult) -> None:
        self.findings.extend(other.findings)
        self.exposure.extend(other.exposure)
        self.read_warnings.extend(other.read_warnings)


def as_datetime(as_of: date | datetime | None) -> datetime:
    if as_of is None:
        return datetime.combine(date.today(), datetime.min.time())
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=None)
    return datetime.combine(as_of, datetime.min.time())


def audit_config(
    platform: str,
    text: str,
    intent: Intent,
    as_of: date | datetime | None = None,
    device: str = "",
    path: str = "",
) -> AuditResult:
    """Parse and audit one configuration. Input that is not a configuration of `platform` at
    all (another platform's, a `show access-list` output) is bad input, not a clean audit."""
    from netsteward.tasks.firewall.parsers import read_firewall

    reading = read_firewall(platform, text, device).about(path or device)
    for w in reading.warnings:
        if w.kind == "format":
            raise BadInput(f"{w.problem}: {w.text!r}", file=path or device, line=w.line or None)
    result = audit_firewall(reading.records[0], intent, as_of)
    result.read_warnings.extend(reading.warnings)
    return result


def audit_firewall(
    fw: Firewall, intent: Intent, as_of: date | datetime | None = None
) -> AuditResult:
    when = as_datetime(as_of)
    result = AuditResult()
    out = result.findings

    def add(rule: str, line: int, check: str, detail: str) -> None:
        out.append(Finding(fw.device, rule, line, check, SEVERITY[check], detail))

    public = intent.public_addresses()
    for r in fw.rules:
        for check, detail in rule_checks(r, public, when):
            add(r.id, r.line, check, detail)
    if fw.default_action == "permit":
        add(
            "default",
            fw.default_line,
            "DEFAULT_PERMIT",
            _("the default action permits what no rule matches"),
        )
    for interface, line, detail in fw.unfiltered:
        add(f"interface {interface}", line, "DEFAULT_PERMIT", detail)
    for obj in fw.objects:
        if not obj.builtin and obj.name not in fw.used:
            add(
                obj.name,
                obj.line,
                "UNUSED_OBJECT",
                (
                    _("address object {name} is used by no rule or group")
                    if obj.kind == "address"
                    else _("service object {name} is used by no rule or group")
                    if obj.kind == "service"
                    else _("{kind} object {name} is used by no rule or group")
                ).format(kind=obj.kind, name=obj.name),
            )

    zones = ZoneIndex(fw.rules, fw.device_zones)
    excesses: list[dict[tuple[str, int], list[str]]] = []
    for policy, rules in fw.policies().items():
        active = [r for r in rules if is_active(r, when)]
        boxes = {id(r): zones.boxes(r) for r in active}
        for r, check, detail in coverage(active, boxes):
            add(r.id, r.line, check, detail)
        exposure, excess = expose(fw, policy, active, boxes, zones, intent)
        result.exposure.extend(exposure)
        excesses.append(excess)
    exposure, by_default = expose_unfiltered(fw, zones, intent)
    result.exposure.extend(exposure)
    for excess in [*excesses, by_default]:
        for (rid, line), parts in excess.items():
            add(
                rid,
                line,
                "EXCESS_EXPOSURE",
                _("reaches beyond the intent: {flows}").format(flows="; ".join(parts[:3]))
                + (_("; and {n} more").format(n=len(parts) - 3) if len(parts) > 3 else ""),
            )
    out.sort(key=lambda f: (f.device, f.line, CHECKS.index(f.check)))
    return result


def is_active(r: Rule, when: datetime) -> bool:
    return (
        r.enabled and not (r.expires is not None and r.expires < when) and not r.matches_nothing()
    )


def _risky(services: tuple[Service, ...]) -> list[str]:
    hits = []
    for name, proto, lo, hi in RISKY_PORTS:
        probe = Service.of(proto, lo, hi)
        for s in services:
            if s.protocols.overlaps(probe.protocols) and s.ports.overlaps(probe.ports):
                label = f"{name} ({proto}/{lo if lo == hi else f'{lo}-{hi}'})"
                if label not in hits:
                    hits.append(label)
    return hits


def describe_services(services: tuple[Service, ...]) -> str:
    """'tcp/22', 'icmp/echo', 'ip' for people."""
    parts = []
    for svc in services:
        if svc.protocols.issubset(ICMP_PROTOS) and svc.ports != ALL_PORTS:
            parts.append(f"{proto_text(svc.protocols)}/{describe_icmp(svc.ports)}")
        elif svc.ports == ALL_PORTS:
            parts.append(proto_text(svc.protocols))
        else:
            parts.append(f"{proto_text(svc.protocols)}/{describe_ports(svc.ports)}")
    return ", ".join(parts[:4]) + (", …" if len(parts) > 4 else "")


def rule_checks(r: Rule, public: IntervalSet, when: datetime) -> list[tuple[str, str]]:
    """The checks that look at one rule on its own."""
    out: list[tuple[str, str]] = []
    if r.undefined:
        out.append(
            (
                "UNDEFINED_OBJECT",
                _("refers to undefined object(s) {names}").format(names=", ".join(r.undefined)),
            )
        )
    if not r.enabled:
        out.append(("DISABLED_RULE", _("the rule is disabled")))
    if r.expires is not None and r.expires < when:
        ended = f"{r.expires:%Y-%m-%d %H:%M}"
        out.append(
            (
                "EXPIRED_RULE",
                _("expire-time ended {when}").format(when=ended)
                if r.schedule in ("", "expire-time")
                else _("schedule {schedule} ended {when}").format(schedule=r.schedule, when=ended),
            )
        )
    if r.action == "permit" and r.to_device:
        # the firewall itself: management-plane access, not exposure of the servers behind it
        if r.src_any:
            services = _risky(r.services) or ([_("any service")] if r.service_any else [])
            what = ", ".join(services[:4]) or describe_services(r.services)
            out.append(
                (
                    "MANAGEMENT_ACCESS",
                    _(
                        "permits any source to the firewall itself (management plane): {what}"
                    ).format(what=what),
                )
            )
        if not r.log:
            out.append(("NO_LOGGING", _("permit rule without logging")))
    elif r.action == "permit":
        if r.src_any and r.dst_any and r.service_any:
            out.append(
                ("ANY_ANY_PERMIT", _("permits any source to any destination on any service"))
            )
        else:
            risky = _risky(r.services) if r.src_any else []
            if risky:
                out.append(
                    (
                        "RISKY_SERVICE",
                        _("permits from any source: {services}").format(
                            services=", ".join(risky[:4])
                        ),
                    )
                )
            if r.src_any and r.dst and not r.dst.issubset(public):
                out.append(
                    (
                        "ANY_SOURCE",
                        _("permits any source to {dst}, not declared public").format(
                            dst=describe_addrs(r.dst)
                        ),
                    )
                )
            if r.service_any and not r.dst_any and r.dst:
                out.append(
                    (
                        "ANY_SERVICE",
                        _("permits any service to {dst}").format(dst=describe_addrs(r.dst)),
                    )
                )
            if not r.service_any:
                widest = max(
                    (s.ports.widest() for s in r.services if s.protocols.overlaps(PORTED_PROTOS)),
                    default=0,
                )
                if widest > WIDE_PORTS:
                    out.append(
                        (
                            "WIDE_PORT_RANGE",
                            _("permits a range of {n} ports").format(n=widest),
                        )
                    )
        if not r.log:
            out.append(("NO_LOGGING", _("permit rule without logging")))
    if not r.comment.strip():
        out.append(("NO_COMMENT", _("no comment or description")))
    return out


def expose(
    fw: Firewall,
    policy: str,
    rules: list[Rule],
    boxes: dict[int, list[Box]],
    zones: ZoneIndex,
    intent: Intent,
) -> tuple[list[Exposure], dict[tuple[str, int], list[str]]]:
    """The exposure rows of each declared server, and what lies beyond the intent per rule."""
    exposures: list[Exposure] = []
    excess: dict[tuple[str, int], list[str]] = defaultdict(list)
    index = build_index(rules, boxes)
    for server in intent.servers:
        for rid, line, pieces in reach(
            rules, boxes, zones, server.addresses, fw.default_action, fw.default_line, index
        ):
            _rows(fw, policy, server, rid, line, pieces, exposures, excess)
    return exposures, excess


def expose_unfiltered(
    fw: Firewall, zones: ZoneIndex, intent: Intent
) -> tuple[list[Exposure], dict[tuple[str, int], list[str]]]:
    """What an interface without an inbound filter lets through by default (ASA): all
    traffic arriving on it, to every declared server that the routing table places
    behind an interface it may reach (`Firewall.unfiltered_reach`). A server the
    configuration places nowhere (no connected subnet, no route) gets no row."""
    exposures: list[Exposure] = []
    excess: dict[tuple[str, int], list[str]] = defaultdict(list)
    for interface, line, _detail in fw.unfiltered:
        reached = fw.unfiltered_reach.get(interface, EMPTY)
        rid = f"interface {interface}"
        for server in intent.servers:
            target = server.addresses.intersection(reached)
            if target:
                piece: Box = (zones.all, zones.all, ALL_ADDR, target, ALL_PROTO, ALL_PORTS)
                _rows(fw, rid, server, rid, line, [piece], exposures, excess)
    return exposures, excess


def _rows(
    fw: Firewall,
    policy: str,
    server: Server,
    rid: str,
    line: int,
    pieces: list[Box],
    exposures: list[Exposure],
    excess: dict[tuple[str, int], list[str]],
) -> None:
    for sources, protos, ports, within in split_by_intent(server, pieces):
        shown = describe_icmp(ports) if protos.issubset(ICMP_PROTOS) else describe_ports(ports)
        exposures.append(
            Exposure(
                server.name,
                fw.device,
                policy,
                rid,
                line,
                describe_addrs(sources, 8),
                proto_text(protos),
                shown,
                within,
            )
        )
        text = f"{describe_addrs(sources, 3)} -> {server.name} {proto_text(protos)}/{shown}"
        if not within and text not in excess[(rid, line)]:
            excess[(rid, line)].append(text)


__all__ = [
    "CHECKS",
    "SEVERITY",
    "SEVERITY_RANK",
    "AuditResult",
    "Exposure",
    "Finding",
    "ZoneIndex",
    "audit_config",
    "audit_firewall",
    "coverage",
    "expose",
    "expose_unfiltered",
    "is_active",
    "merge_boxes",
    "reach",
    "rule_checks",
    "split_by_intent",
]
