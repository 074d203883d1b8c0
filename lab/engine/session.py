"""One CLI session: input handling, echo, dispatch to the dialect, paging, faults.

Transport-free: the SSH layer (`netsteward.lab.engine.server`) hands input in with `feed()` and
receives output through the `write` callback.  Everything produced for one
input chunk (echo, output, next prompt) leaves in ONE write: netmiko reads
partial buffers otherwise and mistakes an output line for the prompt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from netsteward.lab.dialects.base import (
    CliError,
    Dialect,
    Match,
    Question,
    Reply,
    SessionEnd,
)

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.configtree import Node
    from netsteward.lab.engine.state import DeviceState

log = logging.getLogger(__name__)

SLOW_DELAY = 1.5  # seconds added per input chunk under the `slow` fault


class Session:
    """The state of one shell (or exec) session on one device."""

    def __init__(
        self,
        device: DeviceState,
        dialect: Dialect,
        write: Callable[[str], None],
        close: Callable[[], None],
        username: str = "",
        end: Callable[[SessionEnd], None] | None = None,
    ) -> None:
        self.device = device
        self.dialect = dialect
        self._write = write
        self._close = close  # abrupt: the faults, `down`
        self._end = end  # graceful: the logout command (SessionEnd), else `close`
        self._ending = False
        self.username = username
        self.mode = dialect.login_mode
        self.section: Node | None = None
        self._stack: list[tuple[str, Node | None]] = []
        self.paging = True
        self.data: dict[str, Any] = {}
        self.question: Question | None = None
        self._pager: list[str] = []  # lines still to show behind the pager prompt
        self._line = ""
        self._inbuf = ""
        self._last_cr = False
        self._busy = False
        self.hung = False
        self.closed = False

    # -- API for dialects ----------------------------------------------------
    def enter(self, mode: str, section: Node | None = None) -> None:
        self._stack.append((self.mode, self.section))
        self.mode, self.section = mode, section

    def leave(self) -> bool:
        if not self._stack:
            return False
        self.mode, self.section = self._stack.pop()
        return True

    def leave_to(self, mode: str) -> None:
        """Pop modes until `mode` (or the bottom of the stack)."""
        while self.mode != mode and self.leave():
            pass

    def reset(self) -> None:
        self._stack.clear()
        self.mode, self.section = self.dialect.login_mode, None

    @property
    def page_lines(self) -> int:
        """Lines per page: the dialect's, or what the session set (`terminal length 256`)."""
        return int(self.data.get("page_lines", self.dialect.page_lines))

    def set_paging(self, on: bool) -> None:
        if not on and self.fault == "paging":
            return
        self.paging = on

    def now(self) -> datetime:
        return datetime.now()

    @property
    def fault(self) -> str | None:
        return self.device.lab.faults.get(self.device.name)

    @property
    def prompt(self) -> str:
        return self.dialect.prompt(self)

    # -- entry points for the transport ---------------------------------------
    def start_shell(self) -> None:
        out = self.dialect.login_banner(self)
        question = self.dialect.login_question(self)
        if question is not None:
            self.question = question
            out += question.text
        else:
            out += self.prompt
        self._send(_crlf(out))

    def run_exec(self, command: str) -> str:
        """Output of one command on an exec channel (no echo, no prompt, no paging)."""
        self.paging = False
        self.dialect.start_exec(self)
        result = self._dispatch(command)
        return _crlf(result.text)

    def start_exec(self, command: str, exit_status: Callable[[int], None]) -> None:
        """Answer an exec channel: the command's output, then exit status 0.

        The faults apply as in a shell: `slow` delays the answer, `hang` and
        `truncate` strike half-way through running-configuration output.
        """

        def answer() -> None:
            if self.closed:
                return
            self.paging = False
            self.dialect.start_exec(self)
            reply = self._dispatch(command)
            text = _crlf(reply.text)
            lines = text.split("\r\n")
            fault = self.fault
            if reply.running_config and fault in ("hang", "truncate") and len(lines) > 4:
                self._send("\r\n".join(lines[: len(lines) // 2]) + "\r\n")
                if fault == "hang":
                    self.hung = True
                else:
                    self.close()
                return
            self._send(text)
            exit_status(0)

        if self.fault == "slow":
            asyncio.get_running_loop().call_later(SLOW_DELAY, answer)
        else:
            answer()

    def feed(self, data: str) -> None:
        if self.closed or self.hung:
            return
        self._inbuf += data
        if self._busy:
            return
        if self.fault == "slow":
            self._busy = True
            asyncio.get_running_loop().call_later(SLOW_DELAY, self._resume)
            return
        self._pump()

    def _resume(self) -> None:
        self._busy = False
        if not self.closed:
            self._pump()

    # -- input processing -------------------------------------------------
    def _pump(self) -> None:
        out: list[str] = []
        data, self._inbuf = self._inbuf, ""
        i = 0
        while i < len(data) and not self.hung and not self.closed and not self._ending:
            ch = data[i]
            i += 1
            if self._pager:
                if ch == "\n" and self._last_cr:
                    self._last_cr = False
                    continue
                self._last_cr = ch == "\r"
                out.append(self._page_key(ch))
                continue
            if ch in "\r\n":
                if ch == "\n" and self._last_cr:
                    self._last_cr = False
                    continue
                self._last_cr = ch == "\r"
                line, self._line = self._line, ""
                out.append("\r\n")
                out.append(self._handle_line(line))
                continue
            self._last_cr = False
            if ch == "\x1a":  # Ctrl-Z
                self._line = ""
                self.question = None
                self.dialect.ctrl_z(self)
                out.append("\r\n" + self.prompt)
            elif ch == "\x03":  # Ctrl-C
                self._line = ""
                self.question = None
                out.append("\r\n" + self.prompt)
            elif ch in "\x7f\x08":
                if self._line:
                    self._line = self._line[:-1]
                    out.append("\b \b")
            elif ch == "\x1b":  # escape sequence (arrow keys): skip it
                while i < len(data) and not data[i].isalpha():
                    i += 1
                i += 1
            elif ch == "\t" or ch < " ":
                continue
            else:
                self._line += ch
                out.append(ch)
        self._send("".join(out))
        if self._ending:
            self.end()

    def _page_key(self, ch: str) -> str:
        erase = self.dialect.pager_erase
        if ch == " ":
            return erase + self._next_page(self.page_lines - 1)
        if ch in "\r\n":
            return erase + self._next_page(1)
        self._pager = []
        return erase + self.prompt

    def _next_page(self, n: int) -> str:
        chunk, self._pager = self._pager[:n], self._pager[n:]
        text = "".join(line + "\r\n" for line in chunk)
        if self._pager:
            return text + self.dialect.pager_prompt
        return text + self.prompt

    def _handle_line(self, line: str) -> str:
        if self.question is not None:
            question, self.question = self.question, None
            try:
                result = question.on_answer(self, line.strip())
            except CliError as exc:
                result = exc.text
            return self._render(result if isinstance(result, Reply) else Reply(result))
        if not line.strip():
            return self.prompt
        return self._render(self._dispatch(line))

    def _dispatch(self, line: str) -> Reply:
        d = self.dialect
        was_config = self.mode in d.config_modes
        edits = False  # may this line have changed the running configuration?
        try:
            match = d.match(self, line)
            if isinstance(match, Match):
                edits = not match.spec.pipe and match.spec.method not in d.readonly_commands
                handler = getattr(d, match.spec.method)
                result = handler(self, [match.rest] if match.spec.raw else match.args)
                reply = result if isinstance(result, Reply) else Reply(result or "")
                if match.pipe:
                    reply.text = d.apply_pipe(reply.text, match.pipe)
                if match.spec.running_config:
                    reply.running_config = True
            elif match == 0 and self.mode in d.config_modes:
                refused = d.unknown_config_word(line)
                if refused is None:
                    edits = True
                    reply = Reply(d.config_line(self, line) or "")
                else:  # a command word the device does not know: refused, nothing stored
                    reply = Reply(d.unknown(self, line, refused))
            else:
                reply = Reply(d.unknown(self, line, match))
        except CliError as exc:
            reply = Reply(exc.text)
        except Exception:  # a dialect bug must not kill the session: log it, answer like a device
            log.exception("%s: command %r failed in the dialect", self.device.name, line)
            reply = Reply(d.unknown(self, line, 0))
        if edits and (was_config or self.mode in d.config_modes):
            self.device.touch()
        return reply

    def _render(self, reply: Reply) -> str:
        text = reply.text
        if text and not text.endswith("\n"):
            text += "\n"
        lines = text.split("\n")[:-1] if text else []
        fault = self.fault
        if reply.running_config and fault in ("hang", "truncate") and len(lines) > 4:
            half = "".join(line + "\r\n" for line in lines[: len(lines) // 2])
            if fault == "hang":
                self.hung = True
            else:
                self._send(half)
                self.close()
                return ""
            return half
        if reply.close:
            # the echo's line end, the text and the farewell leave in one write (_pump),
            # then the session ends the dialect's way
            self._ending = True
            return _crlf(text + self.dialect.session_end.farewell)
        if reply.question is not None:
            self.question = reply.question
            return _crlf(text) + reply.question.text
        if self.paging and len(lines) > self.page_lines:
            self._pager = lines
            return self._next_page(self.page_lines - 1)
        return _crlf(text) + self.prompt

    def _send(self, text: str) -> None:
        if text and not self.closed:
            self._write(text)

    def close(self) -> None:
        """End abruptly (faults): the channel and the connection go at once."""
        if not self.closed:
            self.closed = True
            self._close()

    def end(self) -> None:
        """End after the logout command, the way the dialect's `session_end` says."""
        if self.closed:
            return
        if self._end is None:
            self.close()
            return
        self.closed = True
        self._end(self.dialect.session_end)


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
