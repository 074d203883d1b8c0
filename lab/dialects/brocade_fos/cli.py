"""Brocade Fabric OS 9.x (G620 fibre-channel switches).

No paging command and no configuration mode: every command is a shell
command.  Zoning edits (`alicreate`, `alidelete`) change the defined
configuration in memory; `cfgsave` (with its yes/no question) persists it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects import register
from netsteward.lab.dialects.base import (
    CliError,
    Dialect,
    Question,
    Reply,
)
from netsteward.lab.dialects.brocade_fos import render as r
from netsteward.lab.dialects.brocade_fos.health import FosHealth, fos
from netsteward.lab.dialects.common import grep_pipe, replace_running
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session


def _args(text: str) -> list[str]:
    """`"NAME", "10:00:..;.."` -> ['NAME', '10:00:..;..']."""
    return [a.strip().strip('"') for a in text.split(",") if a.strip()]


@register
class BrocadeFos(FosHealth, Dialect):
    platform = "brocade_fos"
    login_mode = "shell"
    config_modes = frozenset()
    paging_commands = ()
    pager_prompt = (
        "Type <CR> or <SPACE BAR> to continue, <q> to stop"  # only seen under the `paging` fault
    )
    pager_erase = "\r" + " " * 50 + "\r"
    comment_char = None
    pipe_words = ("grep",)

    def login_banner(self, s: Session) -> str:
        s.set_paging(False)  # FOS does not page CLI output over SSH
        return ""

    def prompt(self, s: Session) -> str:
        return f"{s.device.name}:FID128:{s.username or 'admin'}> "

    def unknown(self, s: Session, line: str, pos: int) -> str:
        return f"rbash: {line.split()[0]}: command not found\n"

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        word = line.split()[0] if line.split() else line
        return f"rbash: {word}: command not found\n"

    def apply_pipe(self, text: str, filters: list[tuple[str, str]]) -> str:
        return grep_pipe(text, filters)

    @fos("switchshow", pipe=True)
    def switchshow(self, s: Session, args: list[str]) -> str:
        return r.switchshow(s.device.spec)

    @fos("configshow", pipe=True, running_config=True)
    def configshow(self, s: Session, args: list[str]) -> str:
        return r.configshow(s.device.running_text(), s.now(), full="-all" in args)

    @fos("cfgshow", pipe=True)
    @fos("zoneshow", pipe=True)
    def cfgshow(self, s: Session, args: list[str]) -> str:
        return r.cfgshow(s.device.running_text())

    @fos("alishow", pipe=True)
    def alishow(self, s: Session, args: list[str]) -> str:
        return r.cfgshow(s.device.running_text(), "alias")

    @fos("sfpshow", pipe=True)
    def sfpshow(self, s: Session, args: list[str]) -> str:
        h = health(s.device, s.now())
        weak = {int(o.port): o.rx_uw for o in h.optics() if o.rx_dbm < o.rx_limits[0]}
        return r.sfpshow(s.device.spec, s.now(), full="-all" in args, rx_uw=weak)

    @fos("version")
    def version(self, s: Session, args: list[str]) -> str:
        return r.version(s.device.spec)

    @fos("chassisshow")
    def chassisshow(self, s: Session, args: list[str]) -> str:
        return r.chassisshow(s.device.spec, s.now(), s.device.boot_time)

    @fos("alicreate", raw=True)
    def alicreate(self, s: Session, args: list[str]) -> str:
        parts = _args(args[0])
        if len(parts) != 2:
            raise CliError('Usage: alicreate "arg1", "arg2"\n')
        name, members = parts
        text = s.device.running_text()
        if name in r.zoning(text).aliases:
            raise CliError(f'duplicate name "{name}"\n')
        replace_running(
            s, r.add_alias(text, name, [m.strip() for m in members.split(";") if m.strip()])
        )
        return ""

    @fos("alidelete", raw=True)
    def alidelete(self, s: Session, args: list[str]) -> str:
        parts = _args(args[0])
        text = s.device.running_text()
        if len(parts) != 1 or parts[0] not in r.zoning(text).aliases:
            raise CliError(f'not found "{parts[0] if parts else ""}"\n')
        replace_running(s, r.remove_alias(text, parts[0]))
        return ""

    @fos("cfgsave")
    def cfgsave(self, s: Session, args: list[str]) -> Reply:
        def answer(sess: Session, text: str) -> str:
            if text.lower() not in ("y", "yes"):
                return ""
            sess.device.save()
            return "Updating flash ...\n"

        return Reply(
            "You are about to save the Defined zoning configuration. This\n"
            "action will only save the changes on Defined configuration.\n"
            "If the update includes changes to the Effective configuration, the\n"
            "changes will be saved and the Effective configuration will be reenabled.\n",
            question=Question(
                "Do you want to save the Defined zoning configuration only?  (yes, y, no, n): [no] ",
                answer,
            ),
        )

    @fos("exit")
    @fos("logout")
    def logout(self, s: Session, args: list[str]) -> Reply:
        return Reply("", close=True)
