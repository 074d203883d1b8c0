"""Brocade FOS health displays (a base of `BrocadeFos`): `switchstatusshow` (the switch's
own health monitors: power supplies, temperatures, fans...), `porterrshow` and `uptime`.
The weak optic is in `sfpshow` (`cli.py`). The figures come from
`netsteward.lab.engine.health`.

Formats as the FOS command reference and Dell's Connectrix KB 000037925 (`porterrshow`)
show them; the corpus has no Brocade captures (tests/NOTICE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netsteward.lab.dialects.base import Dialect, command
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


def fos(word: str, **kwargs: Any) -> Any:
    """A FOS command: one word, case-insensitive, never abbreviated (`switch` is not `switchshow`)."""
    return command(word, min_len=(len(word),), **kwargs)


def _count(n: int) -> str:
    """porterrshow's counters: ones, thousands (k) or millions (m)."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}m"
    if n >= 10_000:
        return f"{n / 1000:.1f}k"
    return str(n)


class FosHealth(Dialect):
    @fos("switchstatusshow", pipe=True)
    def switchstatusshow(self, s: Session, args: list[str]) -> str:
        spec, now = s.device.spec, s.now()
        h = health(s.device, now)
        monitors = {
            "Power supplies": "psu",
            "Temperatures": "temperature",
            "Fans": "fan",
            "WWN servers": "",
            "Standby CP": "",
            "Blades": "",
            "Core Blades": "",
            "Flash": "",
            "Marginal ports": "",
            "Faulty ports": "",
            "Missing SFPs": "",
            "Error ports": "",
        }
        states = {m: ("MARGINAL" if k and h.has(k) else "HEALTHY") for m, k in monitors.items()}
        overall = "MARGINAL" if "MARGINAL" in states.values() else "HEALTHY"
        up = now - s.device.boot_time
        out = [
            f"Switch Health Report                        Report time: {now:%m/%d/%Y %I:%M:%S %p}",
            f"Switch Name:    {spec.name}",
            f"IP address:     {spec.mgmt_ip or '192.0.2.200'}",
            f"SwitchState:    {overall}",
            f"Duration:       {int(up.total_seconds() // 3600)}:{up.seconds // 60 % 60:02d}",
            "",
        ]
        out += [f"{m + ' monitor':<24}{st}" for m, st in states.items()]
        out += ["", "All ports are healthy" if overall == "HEALTHY" else ""]
        return "\n".join(out).rstrip() + "\n"

    @fos("porterrshow", pipe=True)
    def porterrshow(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        counted = set(h.error_ports)
        out = [
            "          frames      enc    crc    crc    too    too    bad    enc   disc   link   loss   loss   frjt   fbsy  c3timeout    pcs    uncor",
            "       tx     rx      in    err    g_eof  shrt   long   eof     out   c3    fail    sync   sig                  tx    rx     err    err",
        ]
        for p in s.device.spec.extra.get("fc_ports", []):
            idx = str(p["index"])
            online = p.get("state") == "Online"
            seed = int(idx) * 7919 + len(s.device.name)
            tx = (seed % 900 + 100) * 1_000_000 if online else 0
            rx = (seed % 700 + 300) * 1_000_000 if online else 0
            crc = h.errors(idx)[1] if idx in counted else 0
            row = [_count(tx), _count(rx), "0", _count(crc), _count(crc), "0", "0", "0"]
            row += ["0", "0", "1" if online else "0", "0", "0", "0", "0", "0", "0", "0", "0"]
            out.append(f"{idx:>3}: " + " ".join(f"{v:>6}" for v in row))
        return "\n".join(out) + "\n"

    @fos("uptime")
    def uptime(self, s: Session, args: list[str]) -> str:
        now = s.now()
        up = now - s.device.boot_time
        days, rest = up.days, up.seconds
        return (
            f" {now:%H:%M:%S} up {days} days, {rest // 3600:>2}:{rest // 60 % 60:02d},  1 user,  "
            "load average: 0.08, 0.10, 0.09\n"
        )
