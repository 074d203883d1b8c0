"""Huawei VRP status displays: NTP, startup files, patches, flash (a base of `HuaweiVrp`;
the environment displays are in `netsteward.lab.dialects.huawei_vrp.health`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import command, vrp_family
from netsteward.lab.dialects.huawei_vrp.health import VrpHealth
from netsteward.lab.engine.health import NTP_SERVER, health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


_NTP_SERVER = re.compile(r"^ntp-service unicast-server (\S+)", re.M)


class VrpStatus(VrpHealth):
    @command("display ntp status", pipe=True)
    def display_ntp_status(self, s: Session, args: list[str]) -> str:
        found = _NTP_SERVER.search(s.device.running_text())
        server = found.group(1) if found else None
        now = s.now()
        jitter = (now.second * 37 + now.microsecond // 1000) % 1000  # moves between readings
        # the security devices' generated configurations carry no NTP lines: they show the
        # building's NTP server (lab/engine/health.py, NTP_SERVER)
        server = server or NTP_SERVER
        if not health(s.device, s.now()).ntp_synced():
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
