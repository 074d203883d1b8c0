"""H3C Comware 7 health displays (a base of `HpComware`, between `HuaweiVrp` and
`ComwarePorts`): CPU, memory, temperature, fans, power supplies, optics, NTP and flash.
The figures come from `netsteward.lab.engine.health`.

Formats as the Comware 7 command references (S5130S-EI / S6520X) show them; the corpus has
no real capture of these displays (tests/NOTICE).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import CliError, command
from netsteward.lab.dialects.huawei_vrp.cli import HuaweiVrp
from netsteward.lab.engine.health import NTP_SERVER, health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


class ComwareHealth(HuaweiVrp):
    @command("display cpu-usage", pipe=True)
    def display_cpu_usage(self, s: Session, args: list[str]) -> str:
        five_s, one_m, five_m = health(s.device, s.now()).cpu()
        return (
            "Slot 1 CPU 0 CPU usage:\n"
            f"      {five_s:>2}% in last 5 seconds\n      {one_m:>2}% in last 1 minute\n"
            f"      {five_m:>2}% in last 5 minutes\n"
        )

    @command("display memory", pipe=True)
    def display_memory(self, s: Session, args: list[str]) -> str:
        total, cached, buffers = 1994636, 248584, 1348
        used = total * health(s.device, s.now()).memory_percent() // 100
        free = total - used
        ratio = free * 100 / total  # FreeRatio: what is free besides buffers and cache
        return (
            "Memory statistics are measured in KB:\nSlot 1:\n"
            "             Total      Used      Free    Shared   Buffers    Cached   FreeRatio\n"
            f"Mem:    {total:>10}{used:>10}{free:>10}{0:>10}{buffers:>10}{cached:>10}{ratio:>11.1f}%\n"
            f"-/+ Buffers/Cache:{used - cached - buffers:>10}{free + cached + buffers:>10}\n"
            f"Swap:   {0:>10}{0:>10}{0:>10}\n"
        )

    @command("display environment", pipe=True)
    def display_environment(self, s: Session, args: list[str]) -> str:
        out = [
            " System temperature information (degree centigrade):",
            " " + "-" * 70,
            " Slot  Sensor    Temperature  Lower  Warning  Alarm  Shutdown",
        ]
        for i, t in enumerate(health(s.device, s.now()).temperatures()):
            sensor = f"hotspot {i + 1}"
            out.append(
                f" 1     {sensor:<10}{t.value:<13}{0:<7}{t.warning:<9}{t.alarm:<7}{t.critical}"
            )
        return "\n".join(out) + "\n"

    @command("display fan", pipe=True)
    def display_fan(self, s: Session, args: list[str]) -> str:
        out = [" Slot 1:"]
        for name, ok in health(s.device, s.now()).fans():
            out += [
                f" Fan {name}:",
                f" State    : {'Normal' if ok else 'Fault'}",
                " Airflow Direction: Port-to-power",
                " Prefer Airflow Direction: Port-to-power",
            ]
        return "\n".join(out) + "\n"

    @command("display power", pipe=True)
    def display_power(self, s: Session, args: list[str]) -> str:
        out = [" Slot 1:", " PowerID State    Mode   Current(A)  Voltage(V)  Power(W)"]
        for name, state in health(s.device, s.now()).psus():
            label = {"ok": "Normal", "absent": "Absent", "failed": "Fault"}[state]
            mode = "AC" if state != "absent" else "--"
            out.append(f" {name:<8}{label:<9}{mode:<7}{'--':<12}{'--':<12}--")
        return "\n".join(out) + "\n"

    @command("display transceiver diagnosis interface", pipe=True)
    def display_transceiver_diagnosis(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        ports = h.optical_ports
        if args:
            ports = [p for p in ports if p.lower() == args[0].lower()]
            if not ports:
                raise CliError("The transceiver is absent.\n")
        out: list[str] = []
        for port in ports:
            o = h.optic(port)
            head = "Temp.(°C)  Voltage(V)  Bias(mA)  RX power(dBm)  TX power(dBm)"
            out += [
                f"{port} transceiver diagnostic information:",
                "  Current diagnostic parameters:",
                f"    {head}",
                f"    {o.temperature:<11.0f}{o.voltage:<12.2f}{o.bias:<10.2f}"
                f"{o.rx_dbm:<15.2f}{o.tx_dbm:.2f}",
                "  Alarm thresholds:",
                f"          {head}",
                f"    High  {o.temp_limits[1]:<11.0f}{3.63:<12.2f}{12.0:<10.2f}"
                f"{o.rx_limits[1]:<15.2f}{o.tx_limits[1]:.2f}",
                f"    Low   {o.temp_limits[0]:<11.0f}{2.97:<12.2f}{2.0:<10.2f}"
                f"{o.rx_limits[0]:<15.2f}{o.tx_limits[0]:.2f}",
                "",
            ]
        return "\n".join(out)

    @command("display alarm", pipe=True)
    def display_alarm(self, s: Session, args: list[str]) -> str:
        """The alarms present now, in the layout of HPE's FlexNetwork 12500 installation
        guide (standalone: `Slot Level Info`); a healthy device prints the header only. The
        `alarm` anomaly: a faulty board, in the guide's own words."""
        if args:
            raise self._caret(s, len("display alarm "), self.error_unknown)
        out = ["Slot    Level      Info"]
        if health(s.device, s.now()).has("alarm"):
            out.append("1       ERROR      The board in slot 1 is faulty.")
        return "\n".join(out) + "\n"

    @command("display ntp-service status", pipe=True)
    def display_ntp_service_status(self, s: Session, args: list[str]) -> str:
        servers = re.findall(
            r"^\s*ntp-service unicast-server (\S+)", s.device.running_text(), re.M
        ) or [NTP_SERVER]
        now = s.now()
        if not health(s.device, now).ntp_synced():
            return (
                " Clock status: unsynchronized\n Clock stratum: 16\n Reference clock ID: none\n"
                " Leap indicator: 11\n Clock jitter: 0.000000 s\n Stability: 0.000 pps\n"
                " Clock precision: 2^-22\n Root delay: 0.00000 ms\n Root dispersion: 0.00000 ms\n"
                " Reference time: 00000000.00000000  Thu, Feb  7 2036  6:28:16.000\n"
            )
        server = servers[0]
        return (
            " Clock status: synchronized\n"
            " Clock stratum: 3\n"
            f" System peer: {server}\n"
            " Local mode: client\n"
            f" Reference clock ID: {server}\n"
            " Leap indicator: 00\n"
            f" Clock jitter: 0.00{now.second % 9 + 1}655 s\n"
            " Stability: 0.000 pps\n"
            " Clock precision: 2^-22\n"
            " Root delay: 1.20850 ms\n"
            " Root dispersion: 8.98743 ms\n"
            f" Reference time: e2f2c3d8.2bd9d1b1  {now:%a, %b} {now.day:>2} {now:%Y %H:%M:%S}.171\n"
        )

    @command("dir", pipe=True)
    def dir(self, s: Session, args: list[str]) -> str:
        boot = s.device.boot_time
        rel = s.device.spec.model.split("-")[0].lower()
        files = [
            (43_548_672, boot, f"{rel}-cmw710-system-r6635p07.bin"),
            (12_763_136, boot, f"{rel}-cmw710-boot-r6635p07.bin"),
            (len(s.device.startup_text().encode()), s.device.saved_at or boot, "startup.cfg"),
            (181_920, s.device.saved_at or boot, "startup.mdb"),
        ]
        out = ["Directory of flash:"]
        for i, (size, when, name) in enumerate(files):
            out.append(f"   {i} -rw- {size:>11} {when:%b %d %Y %H:%M:%S}   {name}")
        out += ["", "1046512 KB total (863288 KB free)"]
        return "\n".join(out) + "\n"
