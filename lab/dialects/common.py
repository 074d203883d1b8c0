"""Helpers shared by the dialects of this part (IOS, ASA, FortiOS, StoneOS, FOS)."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import (
    IN_CONFIG,
    CliError,
    Dialect,
    Question,
    Reply,
    command,
)
from netsteward.lab.dialects.render_common import Neighbor, to_neighbor
from netsteward.lab.engine.configtree import ConfigTree, Node

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

DEFAULT_PASSWORD = "Lab-Only-Pa55"  # the documented lab default (DESIGN.md, Credentials)


def lab_password() -> str:
    """The enable / privileged password: the lab's own login password."""
    return os.environ.get("NETSTEWARD_PASSWORD") or DEFAULT_PASSWORD


def render_neighbors(s: Session) -> list[Neighbor]:
    return [
        to_neighbor(n.local_port, n.peer, n.peer_port, n.peer_port_description)
        for n in s.device.neighbors()
    ]


def up_ports(s: Session) -> set[str]:
    """Local ports with a cable whose far end is plugged in (LLDP or not)."""
    lab = s.device.lab
    if s.device.name in lab.unplugged:
        return set()
    out: set[str] = set()
    for cable in lab.cables:
        for here, there in (
            ((cable.a, cable.a_port), (cable.b, cable.b_port)),
            ((cable.b, cable.b_port), (cable.a, cable.a_port)),
        ):
            if here[0] == s.device.name and there[0] not in lab.unplugged:
                out.add(here[1])
    return out


def replace_running(s: Session, text: str) -> None:
    """Replace the whole running configuration (dialects with their own config model)."""
    tree = s.device.running
    fresh = ConfigTree.parse(text)
    tree.root.children = fresh.root.children
    for child in tree.root.children:
        child.parent = tree.root
    tree.trailing_newline = fresh.trailing_newline
    s.device.touch()


def saved_or_initial(s: Session) -> str:
    return s.device.startup_text()


def grep_pipe(text: str, filters: list[tuple[str, str]]) -> str:
    """`| grep [-i] [-v] REGEX` as FortiOS and FOS's shell apply it."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for _kind, spec in filters:
        words = spec.split()
        flags = {w for w in words if w.startswith("-")}
        pattern = " ".join(w for w in words if not w.startswith("-"))
        rx = re.compile(pattern, re.I if "-i" in flags else 0)
        lines = [ln for ln in lines if bool(rx.search(ln)) != ("-v" in flags)]
    return "\n".join(lines) + ("\n" if lines else "")


def put_description_first(section: Node, text: str) -> None:
    """`description X` in an interface: replaces the old one, shown first (IOS, ASA)."""
    for node in list(section.children):
        if node.text.startswith("description "):
            node.remove()
    section.add(text, index=0)


class EndExit(Dialect):
    """`end` (like Ctrl-Z) and `exit` (one level up) in every configuration mode."""

    @command("end", modes=(IN_CONFIG,))
    def end(self, s: Session, args: list[str]) -> str:
        self.ctrl_z(s)
        return ""

    @command("exit", modes=(IN_CONFIG,))
    def exit_config(self, s: Session, args: list[str]) -> str:
        s.leave()
        return ""


class CiscoModes(EndExit):
    """What IOS and the ASA share: user exec `>`, privileged exec `#` behind `enable`
    (the lab password), `configure terminal`, `end`/`exit`, `hostname` refused.

    The texts that differ are class attributes.  An exec channel runs at privilege 15,
    as for the fleet's `privilege 15` local users.
    """

    login_mode = "exec"
    negate_word = "no"
    prompt_start = ""  # the ASA starts its prompt line with a carriage return
    prompt_end = ""  # ... and ends it with a space
    enable_retry_text = ""  # after a wrong enable password, before asking again
    enable_denied_text = ""  # after the third wrong enable password
    configure_text = ""
    error_prefix = ""
    clock_mark = ""  # "*": the clock is not NTP-synchronised

    def prompt(self, s: Session) -> str:
        name = self.prompt_start + s.device.name
        if s.mode == "exec":
            return name + ">" + self.prompt_end
        if s.mode == "enable":
            return name + "#" + self.prompt_end
        return f"{name}({s.mode})#{self.prompt_end}"

    def ctrl_z(self, s: Session) -> None:
        if s.mode in self.config_modes:
            s.reset()
            s.enter("enable")

    def start_exec(self, s: Session) -> None:
        if s.mode == "exec":
            s.enter("enable")

    @command("enable", modes=("exec", "enable"))
    def enable(self, s: Session, args: list[str]) -> str | Reply:
        if s.mode == "enable":
            return ""

        def answer(sess: Session, text: str, tries: int = 1) -> str | Reply:
            if text == lab_password():
                sess.reset()
                sess.enter("enable")
                return ""
            if tries >= 3:
                return self.enable_denied_text
            return Reply(
                self.enable_retry_text,
                question=Question("Password: ", lambda ss, t: answer(ss, t, tries + 1)),
            )

        return Reply("", question=Question("Password: ", answer))

    @command("disable", modes=("enable",))
    def disable(self, s: Session, args: list[str]) -> str:
        s.reset()
        return ""

    @command("exit", modes=("exec", "enable"))
    @command("logout", modes=("exec", "enable"))
    @command("quit", modes=("exec", "enable"))
    def logout(self, s: Session, args: list[str]) -> Reply:
        return Reply("", close=True)  # the farewell is `session_end` (ASA: Logoff)

    @command("show clock")
    def show_clock(self, s: Session, args: list[str]) -> str:
        now = s.now()
        return (
            f"{self.clock_mark}{now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC "
            f"{now:%a %b} {now.day} {now.year}\n"
        )

    @command("configure terminal", modes=("enable",))
    def configure(self, s: Session, args: list[str]) -> str:
        s.enter("config")
        return self.configure_text

    @command("hostname", raw=True, modes=("config",))
    def hostname(self, s: Session, args: list[str]) -> str:
        raise CliError(
            self.error_prefix
            + "Changing the hostname is disabled in the lab (the device name is its identity)\n"
        )
