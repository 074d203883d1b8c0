"""FortiOS health displays (a base of `Fortinet`): `get system performance status` (CPU,
memory, sessions, uptime), `execute sensor list` (temperatures, fans, power supplies),
`get system session status` and `diagnose sys ntp status`. HA is `get system ha status`
(`cli.py`). The figures come from `netsteward.lab.engine.health`.

`get system performance status` as Fortinet's administration guide shows it (6.4-7.6,
"Checking CPU and memory resources"); the sensor list, session status and NTP status as
the FortiOS CLI reference shows them (no real capture in the corpus; tests/NOTICE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import Dialect, command
from netsteward.lab.dialects.render_common import boot_time
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

SESSION_CAPACITY = {"FortiGate-600E": 8_000_000}  # datasheet: concurrent sessions
MEMORY_KB = 16_336_540


class FortiHealth(Dialect):
    @command("get system performance status", pipe=True, modes=("top",))
    def get_system_performance_status(self, s: Session, args: list[str]) -> str:
        now = s.now()
        h = health(s.device, now)
        five_s, one_m, _ = h.cpu()
        user, system = five_s * 2 // 3, five_s - five_s * 2 // 3
        pct = h.memory_percent()
        used = MEMORY_KB * pct // 100
        freeable = MEMORY_KB // 25
        free = MEMORY_KB - used - freeable
        sessions = h.sessions(SESSION_CAPACITY.get(s.device.spec.model, 4_000_000))
        up = now - boot_time(s.device.spec, now)
        lines = [
            f"CPU states: {user}% user {system}% system 0% nice {100 - five_s}% idle 0% iowait 0% irq 0% softirq",
        ]
        for cpu in range(4):
            u = max(user - cpu, 0)
            lines.append(
                f"CPU{cpu} states: {u}% user {system}% system 0% nice {100 - u - system}% idle "
                "0% iowait 0% irq 0% softirq"
            )
        lines += [
            f"Memory: {MEMORY_KB}k total, {used}k used ({pct}.0%), {free}k free "
            f"({free * 100 / MEMORY_KB:.1f}%), {freeable}k freeable ({freeable * 100 / MEMORY_KB:.1f}%)",
            "Average network usage: 41853 / 38120 kbps in 1 minute, 40211 / 37102 kbps in 10 minutes, "
            "39876 / 36540 kbps in 30 minutes",
            f"Average sessions: {sessions} sessions in 1 minute, {sessions - 37} sessions in 10 minutes, "
            f"{sessions - 52} sessions in 30 minutes",
            "Average session setup rate: 412 sessions per second in last 1 minute, 398 sessions per "
            "second in last 10 minutes, 401 sessions per second in last 30 minutes",
            "Virus caught: 0 total in 1 minute",
            "IPS attacks blocked: 0 total in 1 minute",
            f"Uptime: {up.days} days,  {up.seconds // 3600} hours,  {up.seconds // 60 % 60} minutes",
        ]
        del one_m
        return "\n".join(lines) + "\n"

    @command("execute sensor list", modes=("top",))
    def execute_sensor_list(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        rows: list[tuple[str, str]] = [
            ("+3.3V", "alarm=0  value=3.3264  threshold_status=0"),
            ("+5V", "alarm=0  value=5.0688  threshold_status=0"),
            ("+12V", "alarm=0  value=12.1680  threshold_status=0"),
        ]
        for i, t in enumerate(h.temperatures(2)):
            alarm = int(t.value >= t.alarm)
            status = 0 if t.value < t.warning else 4
            rows.append(
                (f"CPU Core {i} Temp", f"alarm={alarm}  value={t.value}  threshold_status={status}")
            )
        for i, (name, ok) in enumerate(h.fans(2)):
            rpm = h.fan_speed(i) * 130
            rows.append(
                (
                    f"FAN{name}",
                    f"alarm={int(not ok)}  value={rpm}  threshold_status={0 if ok else 2}",
                )
            )
        for name, state in h.psus():
            rows.append((f"PS{name} Status", f"alarm={int(state != 'ok')}"))
        return "".join(f"{i:>2} {label:<21} {rest}\n" for i, (label, rest) in enumerate(rows, 1))

    @command("get system session status", pipe=True, modes=("top",))
    def get_system_session_status(self, s: Session, args: list[str]) -> str:
        count = health(s.device, s.now()).sessions(
            SESSION_CAPACITY.get(s.device.spec.model, 4_000_000)
        )
        return f"The total number of sessions for the current VDOM: {count}\n"

    @command("diagnose sys ntp status", pipe=True, modes=("top",))
    def diagnose_sys_ntp_status(self, s: Session, args: list[str]) -> str:
        synced = health(s.device, s.now()).ntp_synced()
        head = f"synchronized: {'yes' if synced else 'no'}, ntpsync: enabled, server-mode: disabled\n\n"
        reach = "reachable(0xff) S:3 T:31 selected" if synced else "unreachable(0x0) S:0 T:0"
        return (
            head
            + f"ipv4 server(192.0.2.241) 192.0.2.241 -- {reach}\n"
            + "        server-version=4, stratum=2\n"
        )
