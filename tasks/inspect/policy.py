"""The inspection policy (`policy/inspection.yaml`): thresholds and severities, validated on
load, with overrides per platform, role and device (the most specific wins, key by key).

A mistake fails at load time with one line naming the file, the line and the field
(`PolicyError`, exit code 2), before any device is contacted.

    policy = load_policy("policy/inspection.yaml")
    rules = policy.for_device(host="YM-BASE-CORE-01", platform="huawei_vrp", role="core")
    rules.cpu.major          # 85.0
    rules.reads("sessions")  # False: the policy skips it on this role
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from netsteward.tasks.core.errors import PolicyError
from netsteward.tasks.core.yamlfile import mapping, parse_yaml, read_text, validate
from netsteward.tasks.inspect.model import CHECKS, SEVERITIES

DEFAULT_POLICY = Path("policy/inspection.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Levels(_Strict):
    """Thresholds of a value that is bad when high: the severity of the highest one reached."""

    minor: float | None = None
    major: float | None = None
    critical: float | None = None

    @model_validator(mode="after")
    def _ascending(self) -> Levels:
        given = [
            (n, v)
            for n, v in (("minor", self.minor), ("major", self.major), ("critical", self.critical))
            if v is not None
        ]
        for (n1, v1), (n2, v2) in itertools.pairwise(given):
            if v1 >= v2:
                raise ValueError(f"{n1} ({v1}) must be below {n2} ({v2})")
        return self

    def level(self, value: float) -> tuple[str, float] | None:
        """(severity, threshold) of the most severe level `value` reaches, else None."""
        for name in SEVERITIES:
            limit = getattr(self, name)
            if limit is not None and value >= limit:
                return name, limit
        return None


class OpticsFallback(_Strict):
    """Receive power limits (dBm) for modules that print no thresholds of their own."""

    rx_low_minor: float = -12.0
    rx_low_major: float = -14.0


class Trend(_Strict):
    """An optic losing receive power over weeks, before it reaches its alarm threshold."""

    rx_drop_db: float = Field(default=2.0, gt=0)
    min_days: int = Field(default=7, ge=1)
    min_points: int = Field(default=3, ge=2)


def _severity(value: str) -> str:
    if value not in SEVERITIES:
        raise ValueError(f"unknown severity {value!r}; known: {', '.join(SEVERITIES)}")
    return value


class Severities(_Strict):
    """The severity of findings that have no value to compare (a state the device reports)."""

    fan: str = "major"
    power: str = "major"
    ntp: str = "major"
    config_saved: str = "minor"
    ha: str = "major"
    fc_switch: str = "major"
    reboot: str = "major"
    unreachable: str = "major"
    unread: str = "major"
    temperature_warning: str = "minor"  # the device's own warning state / yellow threshold
    temperature_alarm: str = "major"  # its alarm state / red threshold
    optics_warning: str = "minor"
    optics_alarm: str = "major"
    trend: str = "minor"
    alarm_critical: str = (
        "critical"  # log entries of the device's highest levels since the last run
    )
    alarm_major: str = "major"

    @model_validator(mode="after")
    def _known(self) -> Severities:
        for name, value in self.model_dump().items():
            try:
                _severity(value)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return self


class Rules(_Strict):
    """Everything the judge needs for one device (all keys present)."""

    cpu: Levels = Levels(minor=70, major=85, critical=95)  # five-minute average, percent
    memory: Levels = Levels(minor=80, major=90, critical=97)
    storage: Levels = Levels(minor=85, major=95)
    sessions: Levels = Levels(major=80, critical=95)  # percent of the device's capacity
    errors: Levels = Levels(minor=10, major=1000)  # counter growth since the last inspection
    temperature: Levels = Levels(minor=60, major=70, critical=80)  # where the device prints none
    optics: OpticsFallback = OpticsFallback()
    trend: Trend = Trend()
    recent_reboot_hours: float = Field(default=24, gt=0)
    severity: Severities = Severities()
    skip: tuple[str, ...] = ()  # checks not read on these devices

    def reads(self, check: str) -> bool:
        return check not in self.skip


class Override(_Strict):
    """Part of `Rules`, for a platform, role or device (missing keys: inherited)."""

    cpu: Levels | None = None
    memory: Levels | None = None
    storage: Levels | None = None
    sessions: Levels | None = None
    errors: Levels | None = None
    temperature: Levels | None = None
    optics: OpticsFallback | None = None
    trend: Trend | None = None
    recent_reboot_hours: float | None = Field(default=None, gt=0)
    severity: dict[str, str] | None = None
    skip: tuple[str, ...] | None = None

    @field_validator("skip")
    @classmethod
    def _skip(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for name in value or ():
            if name not in CHECKS:
                raise ValueError(f"unknown check {name!r}; known: {', '.join(CHECKS)}")
        return value

    @field_validator("severity")
    @classmethod
    def _severities(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for name, sev in (value or {}).items():
            if name not in Severities.model_fields:
                raise ValueError(
                    f"unknown key {name!r}; known: {', '.join(Severities.model_fields)}"
                )
            try:
                _severity(sev)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return value


class InspectionPolicy(_Strict):
    defaults: Override = Override()
    session_capacity: dict[str, int] = {}  # model -> concurrent sessions (datasheet)
    platforms: dict[str, Override] = {}
    roles: dict[str, Override] = {}
    devices: dict[str, Override] = {}
    # the merged rules of each (platform, role), or device with its own override: the
    # inspection asks for them twice per device (what to read, then how to judge)
    _merged: dict[tuple[str, str, str], Rules] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _names(self) -> InspectionPolicy:
        from netsteward.tasks.platforms import PLATFORMS

        for name in self.platforms:
            if name not in PLATFORMS:
                raise ValueError(f"platforms: unknown platform {name!r}")
        for model, cap in self.session_capacity.items():
            if cap <= 0:
                raise ValueError(f"session_capacity: {model}: must be positive")
        return self

    def for_device(self, host: str, platform: str, role: str) -> Rules:
        key = (platform, role, host if host in self.devices else "")
        if key not in self._merged:
            self._merged[key] = self._merge(host, platform, role)
        return self._merged[key]

    def _merge(self, host: str, platform: str, role: str) -> Rules:
        merged: dict[str, Any] = Rules().model_dump()
        for layer in (
            self.defaults,
            self.platforms.get(platform),
            self.roles.get(role),
            self.devices.get(host),
        ):
            if layer is None:
                continue
            for key, value in layer.model_dump(exclude_none=True).items():
                if key == "severity":
                    merged["severity"] = {**merged["severity"], **value}
                elif isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
        return Rules.model_validate(merged)

    def capacity(self, model: str) -> int | None:
        return self.session_capacity.get(model)


def parse_policy(text: str, file: str = "<policy>") -> InspectionPolicy:
    """Validate policy text; raise PolicyError naming file, line and field of the first problem
    (the one YAML loader, `netsteward.tasks.core.yamlfile`)."""
    doc = parse_yaml(text, file, error=PolicyError)
    mapping(doc, "the inspection policy", error=PolicyError)
    return validate(doc, InspectionPolicy, error=PolicyError, data=doc.data or {})


def load_policy(path: str | Path = DEFAULT_POLICY) -> InspectionPolicy:
    return parse_policy(read_text(path, error=PolicyError), str(path))
