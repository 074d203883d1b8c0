"""H3C Comware 7.1 (S6520X aggregation, S5130 access): VRP's views with Comware texts.

Formats follow networktocode/ntc-templates tests/hp_comware and the recorded
session ytti/oxidized spec/model/data/h3c_5130-48G_7.1.070_simulation.yaml.
The interface, LLDP, LAG, VLAN and environment displays are in
`netsteward.lab.dialects.hp_comware.ports` (a base class: their commands follow this
module's in the command table, as they were declared before the split).
The routing-table and traffic-counter displays are in `netsteward.lab.dialects.hp_comware.extra`,
the BGP, VPN-instance and route-policy displays in `netsteward.lab.dialects.hp_comware.routing`.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from netsteward.lab.dialects import register
from netsteward.lab.dialects.base import (
    Question,
    Reply,
    command,
    comware_version,
    fmt_mac,
    plural,
    uptime_parts,
)
from netsteward.lab.dialects.hp_comware.routing import ComwareRouting
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

BANNER = (
    "******************************************************************************\n"
    "* Copyright (c) 2004-2022 New H3C Technologies Co., Ltd. All rights reserved.*\n"
    "* Without the owner's prior written consent,                                 *\n"
    "* no decompiling or reverse-engineering shall be allowed.                    *\n"
    "******************************************************************************\n"
    "\n"
)


@register
class HpComware(ComwareRouting):
    platform = "hp_comware"
    paging_commands = ("screen-length disable",)
    global_lines_indented = True
    keyed_lines = (r"password (?=(hash|cipher|simple) )", r"snmp-agent usm-user v3 \S+ ")
    pager_prompt = "---- More ----"
    pager_erase = "\x1b[16D                \x1b[16D"
    interface_types = (
        ("GigabitEthernet", "GE", ("gi", "gig", "ge")),
        ("Ten-GigabitEthernet", "XGE", ("xge", "ten", "te")),
        ("Twenty-FiveGigE", "WGE", ("wge",)),
        ("FortyGigE", "FGE", ("fge", "forty")),
        ("HundredGigE", "HGE", ("hge", "hundred")),
        ("Bridge-Aggregation", "BAGG", ("bagg", "bridge-aggregation", "bridge")),
        ("Route-Aggregation", "RAGG", ("ragg",)),
        ("Vlan-interface", "Vlan", ("vlan-interface", "vlan-int", "vlanif", "vlan")),
        ("LoopBack", "Loop", ("lo", "loop")),
        ("M-GigabitEthernet", "MGE", ("mge", "m-gi")),
        ("NULL", "NULL", ()),
    )
    logical_types = frozenset(
        {"Bridge-Aggregation", "Route-Aggregation", "Vlan-interface", "LoopBack", "NULL"}
    )
    view_words = (
        "vlan",
        "user-interface",
        "line",
        "local-user",
        "radius scheme",
        "hwtacacs scheme",
        "domain",
        "acl",
        "ospf",
        "bgp",
        "stp region-configuration",
        "ip vpn-instance",
        "public-key local",
        "ssh user",
    )
    exclude_commands = frozenset(
        {
            "display_eth_trunk",
            "display_interface_description",
            "display_lldp",
            "display_lldp_brief",
            "display_esn",
            "display_ntp_status",
            "display_temperature",
            "display_memory_usage",
            "display_manufacture_info",  # Comware: display device manuinfo
            "display_transceiver_verbose",  # Comware: display transceiver interface ... verbose
            "display_hrp_state",  # USG only
            "display_firewall_session_table",
        }
    )
    current_configuration_all = False
    system_view_text = "System View: return to User View with Ctrl+Z.\n"
    error_unknown = " % Unrecognized command found at '^' position."
    error_incomplete = " % Incomplete command found at '^' position."
    error_wrong = " % Wrong parameter found at '^' position."

    def login_banner(self, s: Session) -> str:
        return BANNER

    def login_question(self, s: Session) -> Question | None:
        return None

    def view_name(self, word: str, rest: str) -> str:
        prefix = {
            "user-interface": "line-",
            "line": "line-",
            "local-user": "luser-manage-",
            "radius scheme": "radius-",
            "hwtacacs scheme": "hwtacacs-",
            "domain": "isp-",
            "acl": "acl-",
            "public-key local": "pkey-",
            "ssh user": "ssh-",
        }.get(word, word)
        return prefix + rest

    # -- paging and save -----------------------------------------------------
    @command("screen-length", modes=("user",), min_len=(3,))
    def screen_length(self, s: Session, args: list[str]) -> str:
        if args[:1] == ["disable"]:
            s.set_paging(False)
            return ""
        if args and args[0].isdigit():
            s.set_paging(True)
            return ""
        raise self._caret(s, len("screen-length "), self.error_wrong)

    @command("undo terminal monitor", modes=("user",))
    def undo_terminal_monitor(self, s: Session, args: list[str]) -> str:
        return "The current terminal is disabled to display logs.\n"

    @command("terminal monitor", modes=("user",))
    def terminal_monitor(self, s: Session, args: list[str]) -> str:
        return "The current terminal is enabled to display logs.\n"

    @command("undo screen-length", modes=("user",))
    def undo_screen_length(self, s: Session, args: list[str]) -> str:
        s.set_paging(True)
        return ""

    @command("save", modes=("user", "system", "interface", "view"))
    def save(self, s: Session, args: list[str]) -> Reply:
        if args[:1] == ["force"] or (args and "force".startswith(args[0].lower()) and args[0]):
            s.device.save()
            return Reply(self._saved_text())
        return Reply(
            "",
            question=Question(
                "The current configuration will be written to the device. Are you sure? [Y/N]:",
                self._save_confirm,
            ),
        )

    @staticmethod
    def _saved_text() -> str:
        return (
            "Validating file. Please wait...\n"
            "Saved the current configuration to mainboard device successfully.\n"
        )

    def _save_confirm(self, s: Session, answer: str) -> str | Reply:
        if not answer.lower().startswith("y"):
            return ""
        return Reply(
            "Please input the file name(*.cfg)[flash:/startup.cfg]\n",
            question=Question(
                "(To leave the existing filename unchanged, press the enter key):",
                self._save_file,
            ),
        )

    def _save_file(self, s: Session, answer: str) -> Reply:
        name = answer or "flash:/startup.cfg"
        return Reply(
            "",
            question=Question(f"{name} exists, overwrite? [Y/N]:", self._save_overwrite),
        )

    def _save_overwrite(self, s: Session, answer: str) -> str:
        if not answer.lower().startswith("y"):
            return ""
        s.device.save()
        return self._saved_text()

    # -- displays ------------------------------------------------------------
    def running_header(self, s: Session) -> list[str]:
        return []

    @command("display saved-configuration", pipe=True)
    def display_saved(self, s: Session, args: list[str]) -> str:
        """The saved configuration (the text of the last `save`; on a device left unsaved by
        the fleet or a fault, an older one: `Health.saved_config`)."""
        d = s.device
        return health(d, s.now()).saved_config(d.startup_text(), d.running_text())

    @command("display version", pipe=True)
    def display_version(self, s: Session, args: list[str]) -> str:
        spec = s.device.spec
        ver, rel = comware_version(spec)
        w, d, h, m = uptime_parts(s.device.boot_time, s.now())
        up = ", ".join(
            [
                plural(w, "week", True),
                plural(d, "day", True),
                plural(h, "hour", True),
                plural(m, "minute", True),
            ]
        )
        boot = spec.model.split("-")[0].lower()
        return (
            f"H3C Comware Software, Version {ver}, Release {rel}\n"
            "Copyright (c) 2004-2022 New H3C Technologies Co., Ltd. All rights reserved.\n"
            f"H3C {spec.model} uptime is {up}\n"
            "Last reboot reason : Cold reboot\n"
            "\n"
            f"Boot image: flash:/{boot}-cmw710-boot-r{rel.lower()}.bin\n"
            f"Boot image version: {ver}, Release {rel}\n"
            "  Compiled Jan 11 2022 11:00:00\n"
            f"System image: flash:/{boot}-cmw710-system-r{rel.lower()}.bin\n"
            f"System image version: {ver}, Release {rel}\n"
            "  Compiled Jan 11 2022 11:00:00\n"
            "\n"
            "\n"
            "Slot 1:\n"
            f"Uptime is {up.replace(', ', ',')}\n"
            f"{spec.model} with 1 Processor\n"
            f"BOARD TYPE:         {spec.model}\n"
            "DRAM:               1024M bytes\n"
            "FLASH:              512M bytes\n"
            "PCB 1 Version:      VER.B\n"
            "Bootrom Version:    147\n"
            "CPLD 1 Version:     002\n"
            f"Release Version:    H3C {spec.model}-{rel}\n"
            "Patch Version  :    None\n"
            "Reboot Cause  :     ColdReboot\n"
            "[SubSlot 0] 48GE+4SFP Plus\n"
        )

    @command("display clock", pipe=True)
    def display_clock(self, s: Session, args: list[str]) -> str:
        now = s.now()
        return f"{now:%H:%M:%S} UTC {now:%a %m/%d/%Y}\n"

    @command("display device manuinfo", pipe=True)
    def display_manuinfo(self, s: Session, args: list[str]) -> str:
        spec = s.device.spec
        return (
            " Slot 1 CPU 0:\n"
            f"DEVICE_NAME          : {spec.model}\n"
            f"DEVICE_SERIAL_NUMBER : {spec.serial}\n"
            f"MAC_ADDRESS          : {fmt_mac(spec.mac).upper()}\n"
            "MANUFACTURING_DATE   : 2021-09-14\n"
            "VENDOR_NAME          : H3C\n"
            "Fan 1\n"
            "DEVICE_NAME          : LSWM1FANSC\n"
            f"DEVICE_SERIAL_NUMBER : 210231A{zlib.crc32(spec.name.encode()):010d}\n"
            "MANUFACTURING_DATE   : 2021-08-02\n"
            "VENDOR_NAME          : H3C\n"
            "Power 1\n"
            "DEVICE_NAME          : PSR150-A1\n"
            f"DEVICE_SERIAL_NUMBER : 210231A{zlib.crc32(spec.serial.encode()):010d}\n"
            "MANUFACTURING_DATE   : 2021-08-02\n"
            "VENDOR_NAME          : H3C\n"
        )

    @command("display device", pipe=True)
    def display_device(self, s: Session, args: list[str]) -> str:
        if args:  # `display device bogus`: not the slot table
            raise self._caret(s, len("display device "), self.error_unknown)
        spec = s.device.spec
        return (
            "Slot Type                State    Subslot  Soft Ver             Patch Ver\n"
            f"1    {spec.model:<20}Master   0        {spec.model.split('-')[0]}-{comware_version(spec)[1]:<10}None\n"
        )
