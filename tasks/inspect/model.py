"""What the inspection reads and what it concludes: facts, findings, one device's result.

Readers turn a health display into `Fact`s (one per sensor, fan, supply, optic, port,
or one for the device); the judge compares them with the policy and the previous
inspection and produces `Finding`s; `DeviceResult` is one device's inspection, the unit
that history stores and the reports show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# most severe first; `--fail-on` and the policy use these names
SEVERITIES = ("critical", "major", "minor")

# every check, in the order the sheet shows them (check ids are not translated)
CHECKS = (
    "reachable",
    "cpu",
    "memory",
    "temperature",
    "fan",
    "power",
    "optics",
    "errors",
    "uptime",
    "alarms",
    "ntp",
    "config_saved",
    "storage",
    "sessions",
    "ha",
    "fc_switch",
)

# a check's status on a device (besides a severity when it found something)
OK = "ok"
UNREAD = "unread"  # the display could not be read or parsed: a gap, never healthy
NOT_READ = "n/a"  # the platform or role has no such display, or the policy skips it


def severity_rank(severity: str) -> int:
    """0 for the most severe; unknown names sort last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


@dataclass(frozen=True)
class Limits:
    """Thresholds the device itself prints for a value (None where it prints none)."""

    low_alarm: float | None = None
    low_warning: float | None = None
    high_warning: float | None = None
    high_alarm: float | None = None
    critical: float | None = None  # fatal / shutdown


@dataclass(frozen=True)
class Fact:
    """One reading from one display.

    `check` is the check it feeds, `item` the component (sensor, fan, supply, port; "" for
    the device), `value` the measurement (a number, or the device's own word for a state),
    `state` the device's own verdict normalised to `ok`, `warning`, `failed`, `absent`,
    `critical` or "" (none printed), `limits` the device's thresholds, `extra` further
    named values (average CPU, capacity, reboot reason...), and `line`/`evidence` the
    output line it was read from (1-based, and the line as printed).
    """

    check: str
    item: str = ""
    value: float | str | None = None
    unit: str = ""
    state: str = ""
    limits: Limits | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    line: int = 0
    evidence: str = ""
    command: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


@dataclass(frozen=True)
class Finding:
    """Something the inspection reports on a device."""

    host: str
    check: str
    item: str
    severity: str
    message: str  # one line for people (translated when shown)
    value: float | str | None = None
    threshold: str = ""  # what it was compared with, e.g. ">= 90 %" or "device: major 76 C"
    evidence: str = ""  # the output line, or the reason a device was not read
    command: str = ""
    line: int = 0
    status: str = ""  # "new" (not in the previous inspection), "open" (seen before); set by history
    kind: str = ""  # finer than the check: "growth", "trend", "reboot", "unread", ...

    @property
    def key(self) -> str:
        """What identifies the same anomaly from one inspection to the next."""
        return f"{self.host}|{self.check}|{self.item}|{self.kind}"


@dataclass(frozen=True)
class CheckResult:
    """One check on one device for the sheet: the value shown and its status."""

    status: str  # ok | n/a | unread | a severity
    value: str = ""  # short text for the sheet cell


@dataclass
class DeviceResult:
    """One device's inspection (what history stores and the reports show)."""

    host: str
    platform: str
    role: str
    room: str
    reachable: bool = True
    reason: str = ""  # why the device could not be read (unreachable, auth, ...)
    checks: dict[str, CheckResult] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # what the next inspection compares with: per-port error counters, optic receive power,
    # uptime in seconds and the time it was read
    counters: dict[str, int] = field(default_factory=dict)
    optics_rx: dict[str, float] = field(default_factory=dict)
    uptime_s: float | None = None
    read_at: str = ""  # ISO time of the reading
    gaps: int = 0  # reader warnings (lines or displays not understood)

    @property
    def worst(self) -> str | None:
        ranks = [severity_rank(f.severity) for f in self.findings]
        return SEVERITIES[min(ranks)] if ranks and min(ranks) < len(SEVERITIES) else None
