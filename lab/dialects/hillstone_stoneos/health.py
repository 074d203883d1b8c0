"""Hillstone StoneOS health displays (a base of `HillstoneStoneos`): `show cpu`,
`show memory` and `show session generic`. Uptime is in `show version`
(`cli.py`). The figures come from `netsteward.lab.engine.health`.

There is no public capture of these StoneOS displays (the corpus has no Hillstone); the
layouts follow the StoneOS 5.5 CLI reference's field lists and are not checked against a
real device (docs/inspect.md, "What is not checked against real output").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsteward.lab.dialects.base import Dialect, command
from netsteward.lab.engine.health import health

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.session import Session

SESSION_CAPACITY = {"SG-6000-E5760": 3_000_000}
MEMORY_KB = 8_388_608


class StoneosHealth(Dialect):
    @command("show cpu", pipe=True, modes=("exec",))
    def show_cpu(self, s: Session, args: list[str]) -> str:
        five_s, one_m, five_m = health(s.device, s.now()).cpu()
        return (
            "Average CPU utilization:\n"
            f"  current: {five_s}%\n  last 1 minute: {one_m}%\n  last 5 minutes: {five_m}%\n"
        )

    @command("show memory", pipe=True, modes=("exec",))
    def show_memory(self, s: Session, args: list[str]) -> str:
        pct = health(s.device, s.now()).memory_percent()
        used = MEMORY_KB * pct // 100
        return (
            f"Total memory: {MEMORY_KB} KB\n"
            f"Used memory:  {used} KB\n"
            f"Free memory:  {MEMORY_KB - used} KB\n"
            f"Memory utilization: {pct}%\n"
        )

    @command("show session generic", pipe=True, modes=("exec",))
    def show_session_generic(self, s: Session, args: list[str]) -> str:
        capacity = SESSION_CAPACITY.get(s.device.spec.model, 2_000_000)
        count = health(s.device, s.now()).sessions(capacity)
        return (
            f"Total sessions: {count}\n"
            f"Maximum sessions: {capacity}\n"
            f"Session utilization: {count * 100 // capacity}%\n"
        )
