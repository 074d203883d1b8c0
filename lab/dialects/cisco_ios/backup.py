"""Cisco IOS (Catalyst 2960-X, IOS 15.2(7)E) displays that backup tools read besides
the configuration (a base of `CiscoIos`).

RANCID 3.13's `cisco` type runs some 70 commands on every device and keeps what the
device answers; a 2960-X answers `show env all`, `show boot`, `show flash:`,
`dir /all nvram:`, `show vlan`, `show dot1x`, `show sdm prefer`, `show system mtu`,
`show debug`, `more system:running-config`, `show running-config view full` and
`write terminal`, and refuses the others (router, chassis and ASA commands) with the
invalid-input caret, which is what the lab answers for commands it has no handler for.
The formats follow the Catalyst 2960-X command reference (15.2(x)E) examples; the file
sizes and free space are the lab's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import CliError, Dialect, command
from netsteward.lab.dialects.cisco_ios import render as r

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

ENABLE = ("enable",)
FLASH_TOTAL = 122185728


def _vlans(config: str) -> list[tuple[int, str]]:
    """(id, name) of the configured VLANs, VLAN 1 first."""
    found: dict[int, str] = {1: "default"}
    current = None
    for line in config.splitlines():
        m = re.match(r"^vlan (\d+)$", line)
        if m:
            current = int(m.group(1))
            found.setdefault(current, f"VLAN{current:04d}")
            continue
        if current is not None and line.startswith(" name "):
            found[current] = line[len(" name ") :].strip()
            continue
        if not line.startswith(" "):
            current = None
    return sorted(found.items())


def _access_ports(config: str) -> dict[int, list[str]]:
    """VLAN -> access ports (short names), from the interface sections."""
    out: dict[int, list[str]] = {}
    for block in re.split(r"\n(?=interface )", config):
        head = block.split("\n", 1)[0]
        if not head.startswith("interface ") or "Ethernet" not in head:
            continue
        if " switchport mode trunk" in block:
            continue
        m = re.search(r"^ switchport access vlan (\d+)$", block, re.M)
        vlan = int(m.group(1)) if m else 1
        name = head[len("interface ") :]
        short = re.sub(r"^(Gi|Te|Fa)\w*?(?=\d)", lambda x: x.group(1), name)
        out.setdefault(vlan, []).append(short)
    return out


class IosBackup(Dialect):
    @command("show env all", pipe=True, modes=ENABLE)
    def show_env_all(self, s: Session, args: list[str]) -> str:
        temp = 36 + s.now().minute % 4  # moves between readings
        return (
            "FAN is OK\n"
            "SYSTEM TEMPERATURE is OK\n"
            f"System Temperature Value: {temp} Degree Celsius\n"
            "System Temperature State: GREEN\n"
            "Yellow Threshold : 66 Degree Celsius\n"
            "Red Threshold    : 76 Degree Celsius\n"
            "SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts\n"
            "--  ------------------  ----------  ---------------  -------  -------  -----\n"
            "1   Built-in                                         Good\n"
            "\n"
        )

    @command("show boot", pipe=True, modes=ENABLE)
    def show_boot(self, s: Session, args: list[str]) -> str:
        _, image = r._image(s.device.spec)
        return (
            f"BOOT path-list      : {image}\n"
            "Config file         : flash:/config.text\n"
            "Private Config file : flash:/private-config.text\n"
            "Enable Break        : no\n"
            "Manual Boot         : no\n"
            "Allow Dev Key         : yes\n"
            "HELPER path-list    : \n"
            "Auto upgrade        : yes\n"
            "Auto upgrade path   : \n"
            "Boot optimization   : disabled\n"
            "NVRAM/Config file\n"
            "      buffer size:   524288\n"
            "Timeout for Config\n"
            "          Download:    0 seconds\n"
            "Config Download \n"
            "       via DHCP:       disabled (next boot: disabled)\n"
        )

    def _flash(self, s: Session) -> str:
        _, image = r._image(s.device.spec)
        folder = image.split("/")[1]
        boot = s.device.boot_time
        size = len(s.device.startup_text().encode())
        stamp = f"{boot:%b %d %Y %H:%M:%S} +00:00"
        rows = [
            ("2", "-rwx", 1048, stamp, "multiple-fs"),
            ("3", "-rwx", size, stamp, "config.text"),
            ("4", "drwx", 512, stamp, folder),
            ("622", "-rwx", 2072, stamp, "private-config.text"),
            ("623", "-rwx", 3096, stamp, "vlan.dat"),
        ]
        used = 26_542_080 + size
        out = ["Directory of flash:/", ""]
        out += [f"{n:>5}  {a:<4}{sz:>13}  {when}  {name}" for n, a, sz, when, name in rows]
        out += ["", f"{FLASH_TOTAL} bytes total ({FLASH_TOTAL - used} bytes free)"]
        return "\n".join(out) + "\n"

    @command("show flash:", pipe=True, modes=ENABLE)
    def show_flash(self, s: Session, args: list[str]) -> str:
        return self._flash(s)

    @command("dir", pipe=True, modes=ENABLE)
    def dir(self, s: Session, args: list[str]) -> str:
        words = [a for a in args if a.lower() != "/all"]
        where = words[0].lower() if words else "flash:"
        if where == "flash:" or where.startswith("flash:/"):
            return self._flash(s)
        if where == "nvram:":
            size = len(s.device.startup_text().encode())
            return (
                "Directory of nvram:/\n\n"
                f"  509  -rw-{size:>13}                    <no date>  startup-config\n"
                "  510  ----        2072                    <no date>  private-config\n"
                "  511  -rw-        3096                    <no date>  underlying-config\n"
                "    1  ----          32                    <no date>  persistent-data\n"
                "    2  -rw-           0                    <no date>  ifIndex-table\n\n"
                f"524288 bytes total ({524288 - size - 5200} bytes free)\n"
            )
        line = "dir " + " ".join(args)
        raise CliError(self.unknown_text(s, line, line.lower().index(where)))

    @command("show vlan", pipe=True)
    def show_vlan(self, s: Session, args: list[str]) -> str:
        if args:
            raise CliError(self.unknown_text(s, "show vlan " + " ".join(args), len("show vlan ")))
        config = s.device.running_text()
        members = _access_ports(config)
        vlans = _vlans(config)
        out = [
            "",
            "VLAN Name                             Status    Ports",
            "---- -------------------------------- --------- -------------------------------",
        ]
        for vid, name in vlans:
            ports = members.get(vid, [])
            chunks = [", ".join(ports[i : i + 4]) for i in range(0, len(ports), 4)] or [""]
            out.append(f"{vid:<4} {name:<32} {'active':<9} {chunks[0]}".rstrip())
            out += [" " * 48 + chunk for chunk in chunks[1:]]
        for vid, name in (
            (1002, "fddi-default"),
            (1003, "token-ring-default"),
            (1004, "fddinet-default"),
            (1005, "trnet-default"),
        ):
            out.append(f"{vid:<4} {name:<32} act/unsup ")
        out += [
            "",
            "VLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2",
            "---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------",
        ]
        kinds = {1002: "fddi ", 1003: "tr   ", 1004: "fdnet", 1005: "trnet"}
        for vid in [v for v, _ in vlans] + [1002, 1003, 1004, 1005]:
            stp = "ieee" if vid == 1004 else ("ibm " if vid == 1005 else "-   ")
            out.append(
                f"{vid:<4} {kinds.get(vid, 'enet '):<5} {100000 + vid:<10} 1500  -      -      -        {stp} -        0      0   "
            )
        out += [
            "",
            "Remote SPAN VLANs",
            "------------------------------------------------------------------------------",
            "",
            "",
            "Primary Secondary Type              Ports",
            "------- --------- ----------------- ------------------------------------------",
            "",
        ]
        return "\n".join(out)

    @command("show dot1x", pipe=True)
    def show_dot1x(self, s: Session, args: list[str]) -> str:
        on = any(n.text == "dot1x system-auth-control" for n in s.device.running.root.children)
        return (
            f"Sysauthcontrol              {'Enabled' if on else 'Disabled'}\n"
            "Dot1x Protocol Version            3\n"
        )

    @command("show sdm prefer", pipe=True)
    def show_sdm_prefer(self, s: Session, args: list[str]) -> str:
        return (
            ' The current template is "default" template.\n'
            " The selected template optimizes the resources in\n"
            " the switch to support this level of features for\n"
            " 0 routed interfaces and 1024 VLANs.\n"
            "\n"
            "  number of unicast mac addresses:                  16K\n"
            "  number of IPv4 IGMP groups:                       1K\n"
            "  number of IPv4/MAC qos aces:                      0.5K\n"
            "  number of IPv4/MAC security aces:                 0.625k\n"
            "  number of IPv6 multicast groups:                  0\n"
            "  number of IPv6 unicast routes:                    0\n"
            "  number of IPv6 policy based routing aces:         0\n"
            "  number of IPv6 qos aces:                          0\n"
            "  number of IPv6 security aces:                     0\n"
            "\n"
        )

    @command("show system mtu", pipe=True)
    def show_system_mtu(self, s: Session, args: list[str]) -> str:
        return "\nGlobal Ethernet MTU is 1500 bytes.\n"

    @command("show debugging", pipe=True)
    def show_debug(self, s: Session, args: list[str]) -> str:
        return ""  # no debugging is on

    @command("more system:running-config", pipe=True, running_config=True, modes=ENABLE)
    def more_system_running(self, s: Session, args: list[str]) -> str:
        """The running configuration as a file: without `show running-config`'s
        "Building configuration..." and "Current configuration" header lines."""
        text = self._running(s)  # type: ignore[attr-defined]
        return text.split("\n", 3)[3] if text.startswith("Building configuration") else text
