"""Huawei VRP status displays: NTP, startup files, patches, flash, environment
(a base of `HuaweiVrp`)."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import Dialect, command, vrp_family

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


class VrpStatus(Dialect):
    @command("display ntp status", pipe=True)
    def display_ntp_status(self, s: Session, args: list[str]) -> str:
        server = None
        for node in s.device.running.top:
            w = node.text.split()
            if w[:2] == ["ntp-service", "unicast-server"] and len(w) > 2:
                server = w[2]
                break
        now = s.now()
        jitter = (now.second * 37 + now.microsecond // 1000) % 1000  # moves between readings
        if server is None:
            return (
                " clock status: unsynchronized\n clock stratum: 16\n reference clock ID: none\n"
                " nominal frequency: 100.0000 Hz\n actual frequency: 100.0000 Hz\n clock precision: 2^17\n"
                " clock offset: 0.0000 ms\n root delay: 0.00 ms\n root dispersion: 0.00 ms\n"
                " peer dispersion: 0.00 ms\n reference time: 00:00:00.000 UTC Jan 1 1900(00000000.00000000)\n"
                " synchronization state: clock not synchronized\n"
            )
        return (
            " clock status: synchronized\n"
            " clock stratum: 3\n"
            f" reference clock ID: {server}\n"
            " nominal frequency: 100.0000 Hz\n"
            f" actual frequency: 99.99{jitter % 100:02d} Hz\n"
            " clock precision: 2^17\n"
            f" clock offset: {jitter / 1000:.4f} ms\n"
            f" root delay: {jitter / 100:.2f} ms\n"
            " root dispersion: 10.52 ms\n"
            " peer dispersion: 34.30 ms\n"
            f" reference time: {now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC {now:%b %d %Y}(E9A1B2C3.6D4E5F00)\n"
            " synchronization state: clock synchronized\n"
        )

    # -- files, startup, patches ------------------------------------------------
    def _image(self, s: Session) -> str:
        spec = s.device.spec
        return f"{vrp_family(spec.model)}-{spec.version}.cc"

    def _patch(self, s: Session) -> str:
        version = s.device.spec.version
        return (version.split("C")[0] if "C" in version else version) + "SPH005"

    @command("display startup", pipe=True)
    def display_startup(self, s: Session, args: list[str]) -> str:
        image = f"flash:/{self._image(s)}"
        patch = f"flash:/{vrp_family(s.device.spec.model)}_{self._patch(s)}.pat"
        rows = [
            ("Startup system software", image),
            ("Next startup system software", image),
            ("Backup system software for next startup", "null"),
            ("Startup saved-configuration file", "flash:/vrpcfg.zip"),
            ("Next startup saved-configuration file", "flash:/vrpcfg.zip"),
            ("Startup license file", "null"),
            ("Next startup license file", "null"),
            ("Startup patch package", patch),
            ("Next startup patch package", patch),
            ("Startup voice-files", "null"),
            ("Next startup voice-files", "null"),
        ]
        return "MainBoard: \n" + "".join(f"  {k + ':':<43}{v}\n" for k, v in rows)

    @command("display patch-information", pipe=True)
    def display_patch_information(self, s: Session, args: list[str]) -> str:
        boot = s.device.boot_time
        return (
            f"Patch Package Name    :flash:/{vrp_family(s.device.spec.model)}_{self._patch(s)}.pat\n"
            f"Patch Package Version :{self._patch(s)}\n"
            "Patch Package State   :Running\n"
            f"Patch Package Run Time:{boot:%Y-%m-%d %H:%M:%S}\n"
        )

    @command("dir", pipe=True)
    def dir(self, s: Session, args: list[str]) -> str:
        boot = s.device.boot_time
        saved = s.device.saved_at or boot
        size = len(s.device.startup_text().encode()) // 3 + 1024
        files = [
            ("drwx", "-", boot, "$_checkpoint"),
            ("-rw-", f"{187_245_312:,}", boot, self._image(s)),
            ("-rw-", f"{size:,}", saved, "vrpcfg.zip"),
            (
                "-rw-",
                f"{1_245_184:,}",
                boot,
                f"{vrp_family(s.device.spec.model)}_{self._patch(s)}.pat",
            ),
            ("drwx", "-", boot, "logfile"),
        ]
        out = [
            "Directory of flash:/",
            "",
            "  Idx  Attr     Size(Byte)  Date        Time       FileName",
        ]
        for i, (attr, sz, when, name) in enumerate(files):
            out.append(f"{i:>5}  {attr:<5}{sz:>14}  {when:%b %d %Y %H:%M:%S}   {name}")
        out += ["", "1,090,732 KB total (784,464 KB free)"]
        return "\n".join(out) + "\n"

    # -- environment ------------------------------------------------------------
    def _temp(self, s: Session, salt: int) -> int:
        """A board temperature that drifts a little with the clock (volatile on purpose)."""
        now = s.now()
        return 34 + (zlib.crc32(s.device.name.encode()) + salt) % 9 + (now.minute // 20)

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
        for chl in range(2):
            out.append(
                f"{board:<9} {0:<4}{72:<5}{chl:<5}{'NORMAL':<8}{68:<6}{76:<6}{83:<6}{55:<5}{65:<5}{self._temp(s, chl)}"
            )
        out += ["", "SlotID1 : No temp sensors."]
        return "\n".join(out) + "\n"

    @command("display fan", pipe=True)
    def display_fan(self, s: Session, args: list[str]) -> str:
        return (
            "Slot 0 FAN 1: Present, Registered, Normal\n"
            f"  Speed: {40 + zlib.crc32(s.device.name.encode()) % 10}%  Mode: AUTO\n"
        )

    @command("display power", pipe=True)
    def display_power(self, s: Session, args: list[str]) -> str:
        out = ["-" * 66, "Slot  PowerID  Online   Mode   State      Power(W)", "-" * 66]
        out += [f"0     PWR{i}     Present  AC     Supply     600.00" for i in (1, 2)]
        return "\n".join(out) + "\n"

    @command("display cpu-usage", pipe=True)
    def display_cpu_usage(self, s: Session, args: list[str]) -> str:
        now = s.now()
        load = 5 + (now.second + zlib.crc32(s.device.name.encode())) % 12
        return (
            f"CPU Usage Stat. Cycle: 60 (Second)\nCPU Usage            : {load}% Max: {load + 30}%\n"
            f"CPU Usage Stat. Time : {now:%Y-%m-%d  %H:%M:%S}\nCPU utilization for five seconds: {load}%: "
            f"one minute: {load}%: five minutes: {load - 1}%\n"
        )

    @command("display memory-usage", pipe=True)
    def display_memory_usage(self, s: Session, args: list[str]) -> str:
        used = 180_000 + zlib.crc32(s.device.name.encode()) % 40_000 + s.now().minute * 37
        total = 2_097_152
        return (
            f"  Memory utilization statistics at {s.now():%Y-%m-%d %H:%M:%S}+08:00\n"
            f"  System Total Memory Is: {total * 1024} bytes\n"
            f"  Total Memory Used Is: {used * 1024} bytes\n"
            f"  Memory Using Percentage Is: {used * 100 // total}%\n"
        )
