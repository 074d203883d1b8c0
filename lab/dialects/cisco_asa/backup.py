"""Cisco ASA 5500-X (9.x) displays that backup tools read besides the configuration
(a base of `CiscoAsa`).

RANCID 3.13's `cisco` type covers the ASA: of its commands an ASA answers
`show activation-key`, `show flash:`, `dir /all disk0:`, `show bootvar`, `show capture`,
`show shun`, `show debug` and `write terminal`, and refuses the IOS-only ones (`show
boot`, `show vlan-switch`, other file systems such as `nvram:` or `slot0:`) with the
invalid-input caret.  Formats: the ASA command reference (9.x) examples; `show capture`,
`show shun` and `show debug` print nothing while no capture, shun or debug is set (the
lab sets none).
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import CliError, Dialect, command
from netsteward.lab.dialects.cisco_asa import render as r
from netsteward.lab.dialects.render_common import boot_time

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

ENABLE = ("enable",)
FILE_SYSTEMS = ("disk0:", "flash:")  # flash: is disk0: on the 5500-X


def activation_key(serial: str) -> str:
    words = [f"0x{zlib.crc32(f'{serial}/{i}'.encode()):08x}" for i in range(5)]
    return " ".join(words)


class AsaBackup(Dialect):
    @command("show activation-key", pipe=True, modes=ENABLE)
    def show_activation_key(self, s: Session, args: list[str]) -> str:
        spec = s.device.spec
        key = activation_key(spec.serial)
        return (
            f"Serial Number:  {spec.serial}\n"
            f"Running Permanent Activation Key: {key} \n"
            "\n"
            "Licensed features for this platform:\n"
            "Maximum Physical Interfaces       : Unlimited      perpetual\n"
            "Maximum VLANs                     : 200            perpetual\n"
            "Inside Hosts                      : Unlimited      perpetual\n"
            "Failover                          : Active/Active  perpetual\n"
            "Encryption-DES                    : Enabled        perpetual\n"
            "Encryption-3DES-AES               : Enabled        perpetual\n"
            "Security Contexts                 : 2              perpetual\n"
            "Carrier                           : Disabled       perpetual\n"
            "AnyConnect Premium Peers          : 2              perpetual\n"
            "AnyConnect Essentials             : Disabled       perpetual\n"
            "Other VPN Peers                   : 750            perpetual\n"
            "Total VPN Peers                   : 750            perpetual\n"
            "AnyConnect for Mobile             : Disabled       perpetual\n"
            "AnyConnect for Cisco VPN Phone    : Disabled       perpetual\n"
            "Advanced Endpoint Assessment      : Disabled       perpetual\n"
            "Shared License                    : Disabled       perpetual\n"
            "Total TLS Proxy Sessions          : 2              perpetual\n"
            "Botnet Traffic Filter             : Disabled       perpetual\n"
            "Cluster                           : Disabled       perpetual\n"
            "\n"
            f"This platform has an {spec.model} VPN Premium license.\n"
            "\n"
            "The Running Activation Key is not the same as the Permanent Activation Key.\n"
        )

    @command("show flash:", pipe=True, modes=ENABLE)
    def show_flash(self, s: Session, args: list[str]) -> str:
        """`show flash:`: the ASA's own listing format (not `dir`'s)."""
        spec = s.device.spec
        booted = boot_time(spec, s.now())
        image = r._image(spec).split("/")[-1]
        rows = [
            (112358400, booted, image),
            (27951724, booted, "asdm-7122.bin"),
            (4096, booted, "log"),
            (4096, booted, "crypto_archive"),
            (4096, booted, "coredumpinfo"),
        ]
        out = ["--#--  --length--  -----date/time------  path"]
        for n, (size, when, name) in enumerate(rows, start=11):
            out.append(f"{n:>5}  {size:>10}  {when:%b %d %Y %H:%M:%S}  {name}")
        used = sum(row[0] for row in rows)
        out += ["", f"{8000000000 - used} bytes available ({used} bytes used)"]
        return "\n".join(out) + "\n"

    def check_file_system(self, s: Session, args: list[str]) -> None:
        """`dir [/all] [/recursive] [disk0: | flash:]`: other file systems are refused."""
        line = "dir " + " ".join(args)
        for word in args:
            low = word.lower()
            if low in ("/all", "/recursive", "all-filesystems"):
                continue
            if low.split("/")[0] in FILE_SYSTEMS:
                continue
            raise CliError(self.unknown_text(s, line, line.index(word)))

    @command("show bootvar", pipe=True, modes=ENABLE)
    def show_bootvar(self, s: Session, args: list[str]) -> str:
        image = r._image(s.device.spec)
        return (
            f"\nBOOT variable = {image}\n"
            f"Current BOOT variable = {image}\n"
            "CONFIG_FILE variable = \n"
            "Current CONFIG_FILE variable = \n"
        )

    @command("show capture", pipe=True, modes=ENABLE)
    def show_capture(self, s: Session, args: list[str]) -> str:
        return ""

    @command("show shun", pipe=True, modes=ENABLE)
    def show_shun(self, s: Session, args: list[str]) -> str:
        return ""

    @command("show debug", pipe=True, modes=ENABLE)
    def show_debug(self, s: Session, args: list[str]) -> str:
        return ""
