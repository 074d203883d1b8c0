"""Counts of one inspection, shared by the console, the workbook, Markdown, HTML and JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from netsteward.tasks.inspect.history import Inspection
from netsteward.tasks.inspect.model import SEVERITIES, Finding, severity_rank


@dataclass(frozen=True)
class Summary:
    date: str
    started: str
    previous: str
    devices: int
    read: int
    unreachable: int
    gaps: int  # devices with displays that were not fully understood
    by_severity: dict[str, int]
    by_room: dict[str, dict[str, int]]  # room -> {devices, critical, major, minor}
    by_check: dict[str, int]
    new: int
    cleared: int
    findings: list[Finding] = field(default_factory=list)  # most severe first

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())


def summarise(ins: Inspection) -> Summary:
    findings = sorted(
        (f for d in ins.devices for f in d.findings),
        key=lambda f: (severity_rank(f.severity), f.status != "new", f.host, f.check, f.item),
    )
    by_sev = Counter(f.severity for f in findings)
    rooms: dict[str, dict[str, int]] = {}
    for d in ins.devices:
        room = rooms.setdefault(d.room or "-", {"devices": 0, **dict.fromkeys(SEVERITIES, 0)})
        room["devices"] += 1
        for f in d.findings:
            room[f.severity] = room.get(f.severity, 0) + 1
    return Summary(
        date=ins.date,
        started=ins.started,
        previous=ins.previous,
        devices=len(ins.devices),
        read=sum(1 for d in ins.devices if d.reachable),
        unreachable=sum(1 for d in ins.devices if not d.reachable),
        gaps=sum(1 for d in ins.devices if d.gaps),
        by_severity={s: by_sev.get(s, 0) for s in SEVERITIES},
        by_room=dict(sorted(rooms.items())),
        by_check=dict(Counter(f.check for f in findings).most_common()),
        new=sum(1 for f in findings if f.status == "new"),
        cleared=len(ins.cleared),
        findings=findings,
    )
