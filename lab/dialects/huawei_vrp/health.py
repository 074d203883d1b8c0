"""Huawei VRP health displays (a base of `HuaweiVrp`, through `VrpStatus`): CPU, memory,
temperature, fans and power supplies, optics, and on USG firewalls the session table
and HRP (hot standby). The figures come from `netsteward.lab.engine.health`.

Formats: `display temperature` and `display device` as the real samples in the
ntc-templates corpus print them (tests/lab/realism_samples); `display cpu-usage`,
`display memory-usage`, `display transceiver diagnosis interface`, `display hrp state`
and the session-table summary as Huawei's S-series and USG6000 command references show
them (no real capture in the corpus; tests/NOTICE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import CliError, Dialect, command, vrp_family
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

# concurrent sessions the firewall models hold (datasheets)
SESSION_CAPACITY = {"USG6650E": 12_000_000, "NIP6620E": 8_000_000}


class VrpHealth(Dialect):
    @command("display cpu-usage", pipe=True)
    def display_cpu_usage(self, s: Session, args: list[str]) -> str:
        now = s.now()
        five_s, one_m, five_m = health(s.device, now).cpu()
        return (
            "CPU Usage Stat. Cycle: 60 (Second)\n"
            f"CPU Usage            : {five_s}% Max: {min(five_s + 30, 99)}%\n"
            f"CPU Usage Stat. Time : {now:%Y-%m-%d  %H:%M:%S}\n"
            f"CPU utilization for five seconds: {five_s}%: one minute: {one_m}%: "
            f"five minutes: {five_m}%\n"
            f"Max CPU Usage Stat. Time : {now:%Y-%m-%d %H:%M:%S}\n"
        )

    @command("display memory-usage", pipe=True)
    def display_memory_usage(self, s: Session, args: list[str]) -> str:
        total = 2_097_152  # KB
        pct = health(s.device, s.now()).memory_percent()
        used = total * pct // 100 + 17
        return (
            f"  Memory utilization statistics at {s.now():%Y-%m-%d %H:%M:%S}+08:00\n"
            f"  System Total Memory Is: {total * 1024} bytes\n"
            f"  Total Memory Used Is: {used * 1024} bytes\n"
            f"  Memory Using Percentage Is: {used * 100 // total}%\n"
        )

    @command("display temperature", pipe=True)
    def display_temperature(self, s: Session, args: list[str]) -> str:
        board = vrp_family(s.device.spec.model) + "MPU"
        out = [
            "SlotID0 :",
            " Base-Board, Unit:C, Slot0",
            "PCB       I2C Addr Chl  Status  Minor Major Fatal Adj_speed Temp",
            "                                               TMin Tmax (C)",
            "-" * 63,
        ]
        for chl, t in enumerate(health(s.device, s.now()).temperatures()):
            status = (
                "FATAL"
                if t.value >= t.critical
                else "MAJOR"
                if t.value >= t.alarm
                else "MINOR"
                if t.value >= t.warning
                else "NORMAL"
            )
            out.append(
                f"{board:<9} {0:<4}{72:<5}{chl:<5}{status:<8}{t.warning:<6}{t.alarm:<6}"
                f"{t.critical:<6}{55:<5}{65:<5}{t.value}"
            )
        out += ["", "SlotID1 : No temp sensors."]
        return "\n".join(out) + "\n"

    @command("display fan", pipe=True)
    def display_fan(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        out = []
        for i, (name, ok) in enumerate(h.fans()):
            state = "Normal" if ok else "Abnormal"
            out.append(f"Slot 0 FAN {name}: Present, Registered, {state}")
            out.append(f"  Speed: {h.fan_speed(i)}%  Mode: AUTO")
        return "\n".join(out) + "\n"

    @command("display power", pipe=True)
    def display_power(self, s: Session, args: list[str]) -> str:
        out = ["-" * 66, "Slot  PowerID  Online   Mode   State      Power(W)", "-" * 66]
        for name, state in health(s.device, s.now()).psus():
            if state == "absent":
                out.append(f"0     PWR{name}     Absent   -      -          -")
            else:
                st, watts = ("Supply", "600.00") if state == "ok" else ("NotSupply", "0.00")
                out.append(f"0     PWR{name}     Present  AC     {st:<11}{watts}")
        return "\n".join(out) + "\n"

    def device_rows(self, s: Session) -> list[tuple[str, ...]]:
        """The `display device` rows of the power supplies and fans."""
        h = health(s.device, s.now())
        rows: list[tuple[str, ...]] = []
        for name, state in h.psus():
            if state == "absent":
                rows.append((f"PWR{name}", "-", "-", "Absent", "-", "Unregistered", "-", "NA"))
            else:
                alarm, power = ("Normal", "On") if state == "ok" else ("Abnormal", "Off")
                rows.append(
                    (f"PWR{name}", "-", "PAC600S12-CB", "Present", power, "Registered", alarm, "NA")
                )
        for name, ok in h.fans():
            alarm = "Normal" if ok else "Abnormal"
            rows.append(
                (f"FAN{name}", "-", "FAN-023A-B", "Present", "On", "Registered", alarm, "NA")
            )
        return rows

    @command("display transceiver diagnosis interface", pipe=True)
    def display_transceiver_diagnosis(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        ports = h.optical_ports
        if args:
            ports = [p for p in ports if p.lower() == args[0].lower()]
            if not ports:
                raise CliError("Error: The transceiver does not exist.\n")
        out: list[str] = []
        rule = " " + "-" * 77
        for port in ports:
            o = h.optic(port)
            rows = [
                ("Temperature(C)", o.temperature, *o.temp_limits),
                ("Voltage(V)", o.voltage, 2.97, 3.63, 3.13, 3.46),
                ("Bias Current(mA)", o.bias, 2.0, 12.0, 2.5, 11.5),
                ("RX Power(dBm)", o.rx_dbm, *o.rx_limits),
                ("TX Power(dBm)", o.tx_dbm, *o.tx_limits),
            ]
            out += [
                f"Port {port} transceiver diagnostic information:",
                rule,
                "  Parameter          Current    Low Alarm  High Alarm Low Warn   High Warn",
                rule,
            ]
            out += [
                f"  {name:<19}" + "".join(f"{v:<11.2f}" for v in values).rstrip()
                for name, *values in rows
            ]
            out += [rule, ""]
        return "\n".join(out)

    # -- USG firewalls ------------------------------------------------------------
    def _firewall(self, s: Session, line: str) -> None:
        if s.device.spec.role not in ("firewall", "ips"):
            raise CliError(self.unknown_text(s, line, len(line.split()[0]) + 1))

    @command("display firewall session table", pipe=True)
    def display_firewall_session_table(self, s: Session, args: list[str]) -> str:
        self._firewall(s, "display firewall session table")
        capacity = SESSION_CAPACITY.get(s.device.spec.model, 4_000_000)
        count = health(s.device, s.now()).sessions(capacity)
        # the summary line; the lab lists no individual sessions (the inspection reads the
        # summary through `| include Current Total`)
        return f"Current Total Sessions : {count}\n"

    @command("display hrp state", pipe=True)
    def display_hrp_state(self, s: Session, args: list[str]) -> str:
        self._firewall(s, "display hrp state")
        spec = s.device.spec
        if not spec.extra.get("ha_peer"):
            return " HRP is disabled.\n"
        active = spec.name < str(spec.extra["ha_peer"])
        role, peer = ("active", "standby") if active else ("standby", "active")
        up = s.now() - s.device.boot_time
        return (
            f" Role: {role}, peer: {peer}\n"
            " Running priority: 45000, peer: 45000\n"
            " Core state: normal, peer: normal\n"
            " Backup channel usage: 0.01%\n"
            f" Stable time: {up.days} days, {up.seconds // 3600} hours, "
            f"{up.seconds % 3600 // 60} minutes\n"
            " Last state change information: hrp core state changed, old_state = abnormal,"
            " new_state = normal, local_priority = 45000, peer_priority = 45000.\n"
        )
