"""LLDP neighbours that are not devices of the inventory: an IP phone, an access point and
a switch someone plugged into a desk port, on edge ports of a few access switches.

Real access floors are full of them, and they are exactly where loop protection matters:
a port whose neighbour is not an inventory device must stay an edge port (issue 17). The
lab shows them over LLDP only (they have no SSH port and are not in the inventory); the
ports they hang off are compliant edge ports (edge lines present, no planted deviation,
no Chinese text), so the port plan of `lab truth` does not change because of them.

One access switch per platform (the middle one by name, so the tests that pick the
first or last access switch of a platform, to unplug it, re-cable it or make it refuse
log-ins, see the fleet as before), three ports each:

    truth["endpoints"] = [{host, interface, name, kind: phone|ap|switch, capabilities}]

`capabilities` are the LLDP enabled capabilities as words (bridge, router, telephone,
wlan, station); each dialect prints them in its own spelling (`lab.dialects.base`).
"""

from __future__ import annotations

import random
import re
from typing import Any

from netsteward.lab.fleet.ports import DevicePlan
from netsteward.lab.model import DeviceSpec  # endpoint_spec (lab.model) renders them

# kind -> (name pattern, vendor, model, version, capabilities, the endpoint's own port)
KINDS: dict[str, tuple[str, str, str, str, tuple[str, ...], str]] = {
    "phone": ("SEP{MAC}", "Yealink", "SIP-T46U", "66.86.0.15", ("bridge", "telephone"), "WAN PORT"),
    "ap": ("AP-{loc}-{n:02d}", "Huawei", "AirEngine5761-11", "V200R022C00", ("bridge", "wlan"), "GE0/0/0"),
    "switch": ("DESK-SW-{n:02d}", "TP-LINK", "TL-SG108E", "1.0.0 Build 20230218", ("bridge",), "gi1"),
}  # fmt: skip
PLATFORMS = ("huawei_vrp", "hp_comware", "cisco_ios")
_PORT_NO = re.compile(r"(\d+)$")


def _free_edge_ports(plan: DevicePlan, busy: set[str]) -> list[str]:
    out = []
    for name, ifp in plan.ifs.items():
        m = _PORT_NO.search(name)
        if (
            ifp.role == "edge"
            and ifp.edge_lines
            and m
            and 10 <= int(m.group(1)) <= 30
            and name not in busy
        ):
            out.append(name)
    return out


def plant_endpoints(
    devices: list[DeviceSpec],
    plans: dict[str, DevicePlan],
    taken: list[dict[str, Any]],
    seed: int | str,
) -> list[dict[str, Any]]:
    """Put the endpoints on their ports (`spec.extra["endpoints"]`); their truth records.

    `taken`: records with `host` and `interface` (planted deviations, Chinese texts):
    ports left alone."""
    rng = random.Random(f"{seed}:endpoints")
    busy: dict[str, set[str]] = {}
    for rec in taken:
        if rec.get("interface"):
            busy.setdefault(str(rec["host"]), set()).add(str(rec["interface"]))
    truth: list[dict[str, Any]] = []
    for platform in PLATFORMS:
        access = sorted(
            (d for d in devices if d.platform == platform and d.role == "access"),
            key=lambda d: d.name,
        )
        if not access:
            continue
        spec = access[len(access) // 2]
        ports = _free_edge_ports(plans[spec.name], busy.get(spec.name, set()))
        for kind, port in zip(KINDS, rng.sample(ports, len(KINDS)), strict=True):
            pattern, _v, _m, _ver, caps, their_port = KINDS[kind]
            mac = "".join(f"{rng.randrange(256):02x}" for _ in range(6))
            name = pattern.format(MAC=mac.upper(), loc=spec.location[:3] or "F01", n=len(truth) + 1)
            entry = {
                "port": port,
                "name": name,
                "kind": kind,
                "capabilities": list(caps),
                "mac": mac,
                "peer_port": their_port,
                "vendor": _v,
                "model": _m,
                "version": _ver,
            }
            spec.extra.setdefault("endpoints", []).append(entry)
            truth.append(
                {
                    "host": spec.name,
                    "interface": port,
                    "name": name,
                    "kind": kind,
                    "capabilities": list(caps),
                }
            )
    return sorted(truth, key=lambda t: (t["host"], t["interface"]))
