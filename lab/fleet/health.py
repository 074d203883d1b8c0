"""The fleet's planted health anomalies: which device has a failed fan, a missing power
supply, a hot board, a weak optic, a port whose CRC errors grow, and so on.

`plant_health(devices, cables, seed)` is deterministic (its own `random.Random`, seeded
from the seed). It picks, for every platform and every anomaly kind that the platform's
health displays can show (`PLATFORM_KINDS`), one device (no device gets two while the platform has
devices left; the six ASAs and FortiGates and the two Brocades carry several), writes the
choices into `DeviceSpec.extra["health"]["planted"]` (what the dialects print, via
`netsteward.lab.engine.health`) and returns the truth rows for `lab truth --json`
(`health_anomalies`): `{host, platform, kind, check, detail, needs_history}`.

`kind` is the lab's name (also a `lab fault HOST KIND` health kind), `check` the
inspection check that must report it, `detail` the component or port, and
`needs_history` says that only a second inspection can see it (error counters that
grow between two readings).

Every other device is healthy: values well inside their thresholds, counters that do
not move, NTP synchronised, configuration saved.
"""

from __future__ import annotations

import random
from typing import Any

from netsteward.lab.model import Cable, DeviceSpec

# lab anomaly kind -> the inspection check that reports it
CHECK_OF_KIND = {
    "fan": "fan",
    "psu": "power",
    "temperature": "temperature",
    "optic": "optics",
    "crc": "errors",
    "cpu": "cpu",
    "memory": "memory",
    "reboot": "uptime",
    "unsaved": "config_saved",
    "ntp": "ntp",
    "sessions": "sessions",
    "alarm": "alarms",
}
HEALTH_KINDS = tuple(CHECK_OF_KIND)

_ALL_BOX = ("fan", "psu", "temperature", "cpu", "memory", "reboot")
# what each platform's health displays can show (the inspection reads them)
PLATFORM_KINDS: dict[str, tuple[str, ...]] = {
    "huawei_vrp": (*_ALL_BOX, "optic", "crc", "unsaved", "ntp", "sessions"),
    "hp_comware": (*_ALL_BOX, "optic", "crc", "ntp", "unsaved", "alarm"),
    "cisco_ios": (*_ALL_BOX, "optic", "crc", "unsaved", "ntp", "alarm"),
    "cisco_asa": (*_ALL_BOX, "crc", "ntp", "sessions", "unsaved"),
    "fortinet": (*_ALL_BOX, "ntp", "sessions"),
    "hillstone_stoneos": ("cpu", "memory", "reboot", "sessions"),
    "brocade_fos": ("fan", "psu", "temperature", "optic", "crc", "reboot"),
}
# kinds a platform's displays came to show later: planted with a draw of their own, so the
# devices chosen for the earlier kinds stay the same (tests and docs name some of them)
LATER_KINDS: dict[str, tuple[str, ...]] = {
    "hp_comware": ("unsaved", "alarm"),
    "cisco_asa": ("unsaved",),
}
# kinds that only firewalls show (session table)
FIREWALL_KINDS = frozenset({"sessions"})
OPTIC_SPEEDS = frozenset({"10G", "25G", "40G", "100G", "16G", "32G"})


def optical_ports(spec: DeviceSpec, cabled: set[tuple[str, str]]) -> list[str]:
    """Ports with a transceiver: cabled Ethernet ports of 10G and more (FC: the SFPs)."""
    if spec.platform == "brocade_fos":
        online = {p["port"] for p in spec.extra.get("fc_ports", []) if p.get("state") == "Online"}
        return [str(s["port"]) for s in spec.extra.get("sfps", []) if s["port"] in online]
    if spec.role in ("firewall", "ips"):
        return []  # copper and DAC on the security devices: no optical diagnostics read
    return [
        p.name
        for p in spec.ports
        if p.kind == "ethernet" and p.speed in OPTIC_SPEEDS and (spec.name, p.name) in cabled
    ]


def error_ports(spec: DeviceSpec, cabled: set[tuple[str, str]]) -> list[str]:
    """Ports whose error counters the inspection reads (cabled physical ports)."""
    if spec.platform == "brocade_fos":
        return [
            str(p["index"]) for p in spec.extra.get("fc_ports", []) if p.get("state") == "Online"
        ]
    return [
        p.name for p in spec.ports if p.kind in ("ethernet", "fc") and (spec.name, p.name) in cabled
    ]


def _fits(spec: DeviceSpec, kind: str, cabled: set[tuple[str, str]]) -> bool:
    if kind in FIREWALL_KINDS and spec.role != "firewall":
        return False
    if kind == "optic":
        return bool(optical_ports(spec, cabled))
    if kind == "crc":
        return bool(error_ports(spec, cabled))
    return True


def plant_health(
    devices: list[DeviceSpec], cables: list[Cable], seed: int | str
) -> list[dict[str, Any]]:
    """Plant one anomaly of each kind per platform; return the truth rows (see module doc)."""
    rng = random.Random(f"{seed}:health")
    later = random.Random(f"{seed}:health:later")
    cabled = {(c.a, c.a_port) for c in cables} | {(c.b, c.b_port) for c in cables}
    taken: set[str] = set()
    truth: list[dict[str, Any]] = []
    draws = [
        (rng, platform, tuple(k for k in kinds if k not in LATER_KINDS.get(platform, ())))
        for platform, kinds in PLATFORM_KINDS.items()
    ] + [(later, platform, kinds) for platform, kinds in LATER_KINDS.items()]
    for draw, platform, kinds in draws:
        pool = [d for d in devices if d.platform == platform]
        for kind in kinds:
            fits = [d for d in pool if _fits(d, kind, cabled)]
            # a device of its own where the platform has enough, else a second anomaly
            candidates = [d for d in fits if d.name not in taken] or fits
            if not candidates:
                continue
            spec = draw.choice(candidates)
            taken.add(spec.name)
            detail = ""
            if kind == "optic":
                detail = draw.choice(optical_ports(spec, cabled))
            elif kind == "crc":
                detail = draw.choice(error_ports(spec, cabled))
            planted = spec.extra.setdefault("health", {}).setdefault("planted", [])
            planted.append({"kind": kind, "detail": detail})
            truth.append(
                {
                    "host": spec.name,
                    "platform": platform,
                    "kind": kind,
                    "check": CHECK_OF_KIND[kind],
                    "detail": detail,
                    "needs_history": kind == "crc",
                }
            )
    for spec in devices:
        h = spec.extra.setdefault("health", {})
        h["optics"] = optical_ports(spec, cabled)
        h["error_ports"] = error_ports(spec, cabled)
    return sorted(truth, key=lambda t: (t["platform"], t["host"]))
