"""Cisco IOS health displays (a base of `CiscoIos`): memory pool, temperature, fans, power
supplies, transceivers, NTP and flash. The figures come from
`netsteward.lab.engine.health`; CPU is `show processes cpu` (`extra.py`), interface
errors `show interfaces` (`ports.py`).

Formats as the real samples in the ntc-templates corpus print them
(`show processes memory sorted`, `show environment temperature`, `show environment power
all`, `show interfaces transceiver`); `show environment fan`, `show ntp status` and `dir`
as Cisco's Catalyst command references show them (no real capture in the corpus).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import Dialect, command
from netsteward.lab.dialects.cisco_ios.ports import short_name
from netsteward.lab.dialects.render_common import boot_time
from netsteward.lab.engine.health import NTP_SERVER, health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

POOL_TOTAL = 361_765_552  # C2960X processor pool (bytes)


class IosHealth(Dialect):
    @command("show processes memory", pipe=True)
    def show_processes_memory(self, s: Session, args: list[str]) -> str:
        used = POOL_TOTAL * health(s.device, s.now()).memory_percent() // 100 + 4_112
        free = POOL_TOTAL - used
        return (
            f"Processor Pool Total:  {POOL_TOTAL} Used:  {used} Free:  {free}\n"
            " lsmpi_io Pool Total:    6295128 Used:    6294296 Free:        832\n"
            "\n"
            " PID TTY  Allocated      Freed    Holding    Getbufs    Retbufs Process\n"
            f"   0   0  {used // 3:>9}   13474544  {used // 4:>9}          0          0 *Init*\n"
            "   1   0    1583728       3472    1613672          0          0 Chunk Manager\n"
        )

    @command("show environment temperature", pipe=True)
    def show_environment_temperature(self, s: Session, args: list[str]) -> str:
        t = health(s.device, s.now()).temperatures(1)[0]
        state, ok = ("GREEN", "OK") if t.value < t.warning else ("RED", "FAULTY")
        return (
            f"Switch 1: SYSTEM TEMPERATURE is {ok}\n"
            f"Inlet Temperature Value: {t.value - 12} Degree Celsius\n"
            "Temperature State: GREEN\n"
            "Yellow Threshold : 46 Degree Celsius\n"
            "Red Threshold    : 56 Degree Celsius\n"
            "\n"
            f"Hotspot Temperature Value: {t.value} Degree Celsius\n"
            f"Temperature State: {state}\n"
            f"Yellow Threshold : {t.warning} Degree Celsius\n"
            f"Red Threshold    : {t.alarm} Degree Celsius\n"
        )

    @command("show environment fan", pipe=True)
    def show_environment_fan(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        out = [
            "Switch   FAN     Speed   State   Airflow direction",
            "---------------------------------------------------",
        ]
        for i, (name, ok) in enumerate(h.fans()):
            speed = h.fan_speed(i) * 128
            out.append(f"  1{name:>8}{speed:>9}     {'OK' if ok else 'BAD':<7}Front to Back")
        out += ["FAN PS-1 is OK", "FAN PS-2 is OK"]
        return "\n".join(out) + "\n"

    @command("show environment power", pipe=True)
    def show_environment_power(self, s: Session, args: list[str]) -> str:
        out = [
            "SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
            "--  ------------------  ----------  ---------------  -------  -------  -----",
        ]
        serial = s.device.spec.serial
        for name, state in health(s.device, s.now()).psus():
            slot = "1" + "AB"[int(name) - 1]
            if state == "absent":
                out.append(f"{slot}  Not Present")
                continue
            status, good = ("OK", "Good") if state == "ok" else ("No Input Power", "Bad")
            out.append(
                f"{slot}  {'PWR-C1-350WAC':<20}{'DCB' + serial[-7:] + name:<12}{status:<17}"
                f"{good:<9}{'n/a':<9}350"
            )
        return "\n".join(out) + "\n"

    @command("show interfaces transceiver", pipe=True)
    def show_interfaces_transceiver(self, s: Session, args: list[str]) -> str:
        out = [
            "If device is externally calibrated, only calibrated values are printed.",
            "++ : high alarm, +  : high warning, -  : low warning, -- : low alarm.",
            "NA or N/A: not applicable, Tx: transmit, Rx: receive.",
            "mA: milliamperes, dBm: decibels (milliwatts).",
            "",
            "                                 Optical   Optical",
            "           Temperature  Voltage  Tx Power  Rx Power",
            "Port       (Celsius)    (Volts)  (dBm)     (dBm)",
            "---------  -----------  -------  --------  --------",
        ]

        def flag(value: float, limits: tuple[float, float, float, float]) -> str:
            low_alarm, high_alarm, low_warn, high_warn = limits
            if value <= low_alarm:
                return "--"
            if value >= high_alarm:
                return "++"
            if value <= low_warn:
                return "-"
            return "+" if value >= high_warn else ""

        for o in health(s.device, s.now()).optics():
            tx = f"{o.tx_dbm:.1f} {flag(o.tx_dbm, o.tx_limits)}".rstrip()
            rx = f"{o.rx_dbm:.1f} {flag(o.rx_dbm, o.rx_limits)}".rstrip()
            out.append(
                f"{short_name(o.port):<11}{o.temperature:>6.1f}{o.voltage:>13.2f}{tx:>11}{rx:>11}"
            )
        return "\n".join(out) + "\n"

    @command("show ntp status", pipe=True)
    def show_ntp_status(self, s: Session, args: list[str]) -> str:
        servers = re.findall(r"^ntp server (\S+)", s.device.running_text(), re.M)
        now = s.now()
        servers = servers or [NTP_SERVER]  # see lab/engine/health.py, NTP_SERVER
        if not health(s.device, now).ntp_synced():
            return (
                "Clock is unsynchronized, stratum 16, no reference clock\n"
                "nominal freq is 286.1023 Hz, actual freq is 286.1023 Hz, precision is 2**21\n"
                "ntp uptime is 0 (1/100 of seconds), resolution is 3496\n"
                "reference time is 00000000.00000000 (00:00:00.000 UTC Mon Jan 1 1900)\n"
                "clock offset is 0.0000 msec, root delay is 0.00 msec\n"
                "root dispersion is 0.00 msec, peer dispersion is 0.00 msec\n"
                "loopfilter state is 'NSET' (Never set), drift is 0.000000000 s/s\n"
                "system poll interval is 64, never updated.\n"
            )
        return (
            f"Clock is synchronized, stratum 3, reference is {servers[0]}\n"
            "nominal freq is 286.1023 Hz, actual freq is 286.1016 Hz, precision is 2**21\n"
            "ntp uptime is 151718300 (1/100 of seconds), resolution is 3496\n"
            f"reference time is E9A1B2C3.6D4E5F00 ({now:%H:%M:%S}.427 UTC {now:%a %b} {now.day} {now:%Y})\n"
            f"clock offset is {now.second % 7 - 3}.{now.microsecond % 1000:03d} msec, "
            "root delay is 2.17 msec\n"
            "root dispersion is 13.42 msec, peer dispersion is 1.04 msec\n"
            "loopfilter state is 'CTRL' (Normal Controlled Loop), drift is 0.000002405 s/s\n"
            "system poll interval is 1024, last update was 411 sec ago.\n"
        )

    @command("dir", pipe=True)
    def dir_flash(self, s: Session, args: list[str]) -> str:
        boot = boot_time(s.device.spec, s.now())
        out = [
            "Directory of flash:/",
            "",
            f"    2  -rwx        1048  {boot:%b %d %Y %H:%M:%S} +00:00  multiple-fs",
            f"    3  drwx         512  {boot:%b %d %Y %H:%M:%S} +00:00  c2960x-universalk9-mz.152-7.E8",
            f"  562  -rwx        5296  {boot:%b %d %Y %H:%M:%S} +00:00  vlan.dat",
            "",
            "122185728 bytes total (90933248 bytes free)",
        ]
        return "\n".join(out) + "\n"
