"""FortiOS displays that backup tools read besides the configuration (a base of
`Fortinet`).

Oxidized's `fortios` model runs `get system status`, `get system ha status`,
`get hardware status`, `diagnose autoupdate version` and `show full-configuration | grep .`
(RANCID 3.13's `fortigate` type: `get system status` and `show`).  The formats follow
FortiOS 7.2 output on a FortiGate-600E (FortiOS CLI reference, "get hardware status",
"diagnose autoupdate versions"); the database versions are those of `get system status`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import Dialect, command

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

TOP = ("top",)

# (section, version, "signed"?) as `diagnose autoupdate version` lists them; the
# versions match `get system status` (lab/dialects/fortinet/render.py)
PACKAGES = (
    ("AV Engine", "7.00020", True),
    ("Virus Definitions", "92.08224", True),
    ("Extended set", "92.08224", True),
    ("AI/Machine Learning Malware Detection Model", "3.01796", True),
    ("IPS Attack Engine", "7.00555", True),
    ("Attack Definitions", "29.00877", True),
    ("Attack Extended Definitions", "29.00877", True),
    ("Application Definitions", "29.00877", True),
    ("Industrial Attack Definitions", "6.00741", True),
    ("IPS Malicious URL Database", "5.00601", True),
    ("IoT Detect Definitions", "29.00874", True),
    ("OT Detect Definitions", "29.00874", True),
)


class FortinetBackup(Dialect):
    @command("get hardware status", pipe=True, modes=TOP)
    def get_hardware_status(self, s: Session, args: list[str]) -> str:
        return (
            f"Model name: {s.device.spec.model}\n"
            "ASIC version: CP9\n"
            "ASIC SRAM: 64M\n"
            "CPU: Intel(R) Xeon(R) CPU E3-1225 v5 @ 3.30GHz\n"
            "Number of CPUs: 4\n"
            "RAM: 32122 MB\n"
            "Compact Flash: 15331 MB /dev/sda\n"
            "Hard disk: 228936 MB /dev/sdb\n"
            "USB Flash: not available\n"
            "Network Card chipset: Intel(R) Gigabit Ethernet Network Driver (rev.0003)\n"
            "Network Card chipset: FortiASIC NP6 Adapter (rev.)\n"
        )

    @command("diagnose autoupdate version", pipe=True, modes=TOP)
    def diagnose_autoupdate_version(self, s: Session, args: list[str]) -> str:
        updated = s.device.boot_time
        out: list[str] = []
        for name, version, signed in PACKAGES:
            out += [
                name,
                "---------",
                f"Version: {version}{' signed' if signed else ''}",
                "Contract Expiry Date: Mon Jan  1 2029",
                f"Last Updated using scheduled update on {updated:%a %b %d %H:%M:%S %Y}",
                f"Last Update Attempt: {s.now():%a %b %d %H:%M:%S %Y}",
                "Result: No Updates",
                "",
            ]
        out += ["FDS Address", "---------", "203.0.113.50:443", ""]
        return "\n".join(out)
