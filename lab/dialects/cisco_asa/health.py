"""Cisco ASA health displays (a base of `CiscoAsa`): CPU, memory, environment (fans, power
supplies, temperatures), the connection count and NTP. The figures come from
`netsteward.lab.engine.health`; interface errors are in `show interface` (`extra2.py`),
failover in `show failover`.

Formats as Cisco's ASA 9.x command reference shows them (no real capture of these displays
in the corpus; tests/NOTICE).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import Dialect, command
from netsteward.lab.engine.health import NTP_SERVER, health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

CONN_CAPACITY = {"ASA5525": 500_000}  # datasheet: maximum concurrent connections
MEMORY_TOTAL = 8_589_934_592


class AsaHealth(Dialect):
    @command("show cpu usage", pipe=True)
    def show_cpu_usage(self, s: Session, args: list[str]) -> str:
        five_s, one_m, five_m = health(s.device, s.now()).cpu()
        return (
            f"CPU utilization for 5 seconds = {five_s}%; 1 minute: {one_m}%; 5 minutes: {five_m}%\n"
        )

    @command("show memory", pipe=True)
    def show_memory(self, s: Session, args: list[str]) -> str:
        pct = health(s.device, s.now()).memory_percent()
        used = MEMORY_TOTAL * pct // 100 + 4_096
        free = MEMORY_TOTAL - used
        return (
            f"Free memory:        {free:>10} bytes ({100 - pct}%)\n"
            f"Used memory:        {used:>10} bytes ({pct}%)\n"
            "-------------     ------------------\n"
            f"Total memory:       {MEMORY_TOTAL:>10} bytes (100%)\n"
        )

    @command("show environment", pipe=True)
    def show_environment(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        out = ["", "Cooling Fans:", "-" * 35, "  Chassis Fans:", "  " + "-" * 32]
        for i, (name, ok) in enumerate(h.fans()):
            rpm = h.fan_speed(i) * 192
            state = "OK" if ok else "CRITICAL"
            out.append(f"    Cooling Fan {name}: {rpm} RPM - {state}")
        psus = h.psus()
        redundant = all(state == "ok" for _, state in psus)
        out += [
            "",
            "Power Supplies:",
            "-" * 35,
            f"  Power Supply Unit Redundancy: {'OK' if redundant else 'Lost'}",
            "",
            "  Power Supplies:",
            "  " + "-" * 32,
        ]
        for name, state in psus:
            slot = ("Left Slot (PS0)", "Right Slot (PS1)")[int(name) - 1]
            text = {"ok": "Present", "absent": "Not Present", "failed": "Present - Failure"}
            out.append(f"    {slot}: {text[state]}")
        out += ["", "Temperature:", "-" * 35, "  Processors:", "  " + "-" * 32]
        for i, t in enumerate(h.temperatures(2)):
            state = (
                "OK" if t.value < t.warning else ("WARNING" if t.value < t.alarm else "CRITICAL")
            )
            where = "Processor 1" if i == 0 else "Ambient 1"
            what = "CPU1 Core Temperature" if i == 0 else "Chassis Front Temperature"
            if i == 1:
                out += ["", "  Chassis:", "  " + "-" * 32]
            out.append(f"    {where}: {t.value:.1f} C - {state} ({what})")
        return "\n".join(out) + "\n"

    @command("show conn count", pipe=True)
    def show_conn_count(self, s: Session, args: list[str]) -> str:
        capacity = CONN_CAPACITY.get(s.device.spec.model, 500_000)
        count = health(s.device, s.now()).sessions(capacity)
        return f"{count} in use, {max(count, capacity // 8)} most used\n"

    @command("show ntp status", pipe=True)
    def show_ntp_status(self, s: Session, args: list[str]) -> str:
        servers = re.findall(r"^ntp server (\S+)", s.device.running_text(), re.M)
        now = s.now()
        servers = servers or [NTP_SERVER]  # see lab/engine/health.py, NTP_SERVER
        if not health(s.device, now).ntp_synced():
            return (
                "Clock is unsynchronized, stratum 16, no reference clock\n"
                "nominal freq is 99.9984 Hz, actual freq is 99.9984 Hz, precision is 2**6\n"
                "reference time is 00000000.00000000 (00:00:00.000 UTC Mon Jan 1 1900)\n"
                "clock offset is 0.0000 msec, root delay is 0.00 msec\n"
                "root dispersion is 0.00 msec, peer dispersion is 0.00 msec\n"
            )
        return (
            f"Clock is synchronized, stratum 3, reference is {servers[0]}\n"
            "nominal freq is 99.9984 Hz, actual freq is 99.9987 Hz, precision is 2**6\n"
            f"reference time is E9A1B2C3.6D4E5F00 ({now:%H:%M:%S}.427 UTC {now:%a %b} {now.day} {now:%Y})\n"
            f"clock offset is {now.second % 5 - 2}.{now.microsecond % 1000:03d} msec, "
            "root delay is 1.55 msec\n"
            "root dispersion is 12.94 msec, peer dispersion is 0.98 msec\n"
        )
