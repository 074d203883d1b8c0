"""One device session: the only place that talks to a device.

    got = on_device(task, work, SessionOptions(timeout=60))   # open, work(session), close;
                                                              # transient failures retried
    with device_session(task, deadline=d) as s:               # one attempt, no retry
        text = s.read("display current-configuration")        # whole output, to the prompt
        text = s.read_for("lldp")                             # the platform's `reads: lldp`
        s.configure(["interface GE0/0/1", "description X"])   # configuration mode in and out
        s.save()                                              # with its confirmation
    with napalm_session(task, deadline=d) as device:          # the platform's napalm driver

What differs per vendor comes from the platform file, never from code here. A session
logs in with the connection time-outs cut to what is left of the device's time limit,
enters privileged mode where the platform needs it, and reads on its own TCP socket
(TCP_NODELAY), which one watchdog thread shuts at the deadline: a device that hangs
anywhere costs at most its time limit, reported as `timeout`. Reads are ours, not
netmiko's `send_command` (whose timing-based prompt search drifts under load): the
command is written once and read until the device's own prompt, failing fast at a pager
or a closed session. Failures are `DeviceFailure(kind, reason)` and `retry_transient` is
the one retry rule (`netsteward.tasks.core.failures`). Device output is decoded in one
place, `Session.decoder()` and `Session.text()` (`netsteward.tasks.core.devicetext`:
UTF-8 or GBK per line, as the platform file says).
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from nornir.core.task import Task

from netsteward.tasks.core.connection import (
    CONNECTION,
    close_quietly,
    drop,
    enter_privileged,
    guarded_socket,
    netmiko_extras,
    receive,
)
from netsteward.tasks.core.devicetext import device_text, incremental_decoder
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.failures import (
    INCOMPLETE,
    PAGING,
    TIMEOUT,
    Attempted,
    ConfigRejected,
    DeviceFailure,
    classify_failure,
    login_failure,
    retry_transient,
)
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.scrub import clean_text
from netsteward.tasks.core.watchdog import Guard
from netsteward.tasks.platforms import Platform, load_platform

log = logging.getLogger(__name__)
T = TypeVar("T")

NAPALM = "napalm"
ENCODING = "utf-8"


@dataclass(frozen=True)
class SessionOptions:
    timeout: float = 60.0  # per device, all attempts included
    retries: int = 2  # extra attempts for transient failures
    backoff: float = 0.5  # first back-off in seconds, doubled each retry (with jitter)
    extras: dict[str, Any] = field(default_factory=dict)  # netmiko overrides


def _last_line(buffer: str) -> str:
    return buffer.rsplit("\n", 1)[-1].replace("\r", "")


# what a pager prints over its own prompt when a key is pressed (FortiOS: CR, spaces, CR)
_PAGER_ERASE = re.compile(r"(?m)^\r[ \t]+\r")


class Session:
    """One open CLI session to one device. Made by `device_session` / `open_session`."""

    def __init__(
        self, host: Any, platform: Platform, conn: Any, deadline: float, guard: Guard | None
    ) -> None:
        self.host = host  # the Nornir host (None: a connection opened elsewhere, `attach`)
        self.name = host.name if host is not None else str(getattr(conn, "host", ""))
        self.platform = platform
        self.conn = conn
        self.deadline = deadline
        self._guard = guard
        self._pending = ""  # received by `_expect` past what it returned

    @classmethod
    def attach(cls, conn: Any, platform: Platform, timeout: float = 300.0) -> Session:
        """A session over a netmiko connection opened elsewhere (tests, benchmarks): the
        same reads, configuration and saving; `close()` disconnects it."""
        return cls(None, platform, conn, time.monotonic() + timeout, None)

    # -- decoding: the one place device bytes become text -----------------------------

    def decoder(self) -> codecs.IncrementalDecoder:
        """A fresh decoder for one exchange's bytes: UTF-8, with every other byte kept
        (`surrogateescape`) until `text()` gives the characters the device meant."""
        return incremental_decoder()

    def text(self, raw: str) -> str:
        """What `decoder()` read as the device's characters (UTF-8 or GBK per line, as the
        platform's `text_encodings` say; `netsteward.tasks.core.devicetext`)."""
        return device_text(raw, self.platform.text_encodings)

    @property
    def expired(self) -> bool:
        """The device's time limit cut this session."""
        return self._guard is not None and self._guard.expired

    def _limit(self, timeout: float | None) -> float:
        return self.deadline if timeout is None else min(self.deadline, time.monotonic() + timeout)

    def _no_prompt(self, command: str, lines: int) -> DeviceFailure:
        return DeviceFailure(
            TIMEOUT,
            _(
                "no prompt after {command!r} within the time limit ({n} lines received): hang"
            ).format(command=command, n=lines),
            lines,
        )

    # -- reading -------------------------------------------------------------------------

    def read(self, command: str, timeout: float | None = None) -> str:
        """Send `command`; its raw output (echo and prompt removed), read until the prompt.

        Raises DeviceFailure: PAGING at a pager prompt, INCOMPLETE when the device closes the
        session, TIMEOUT when no prompt comes within `timeout` seconds (or the time limit).
        On a platform whose paging is one setting for the whole device (`page_through`,
        FortiOS) a pager prompt is answered with a space instead: another session may
        switch paging back on at any time (netmiko's fortinet driver restores `set output
        more` when it logs out), so a pager there is not this session's fault.
        """
        platform, conn = self.platform, self.conn
        deadline = self._limit(timeout)
        prompt_rx = re.compile(platform.prompt)
        pager_rx = re.compile(platform.pager)
        base_prompt = getattr(conn, "base_prompt", "") or ""
        self._drain(command)
        chan = conn.remote_conn
        conn.write_channel(command + conn.RETURN)
        decoder = self.decoder()
        buffer = ""
        echo_end = -1
        paged = False
        while True:
            data = receive(chan, deadline)
            if data is None:
                raise self._no_prompt(command, buffer.count("\n"))
            if not data:
                n = buffer.count("\n")
                if self.expired:
                    raise self._no_prompt(command, n)
                raise DeviceFailure(
                    INCOMPLETE,
                    _("session closed during {command!r} after {n} lines: truncated").format(
                        command=command, n=n
                    ),
                    n,
                )
            buffer += decoder.decode(data)
            if echo_end < 0:
                idx = buffer.find(command)
                if idx < 0:
                    continue
                nl = buffer.find("\n", idx)
                if nl < 0:
                    continue
                echo_end = nl + 1
            last = _last_line(buffer[-400:])
            clean_last = clean_text(last).strip()
            pager = pager_rx.search(clean_last)
            if pager and platform.page_through:
                at = buffer.rfind(pager.group(0))
                buffer = buffer[:at] if at >= echo_end else buffer[: buffer.rfind("\n") + 1]
                paged = True
                conn.write_channel(" ")
                continue
            if pager:
                n = buffer.count("\n")
                raise DeviceFailure(
                    PAGING,
                    _(
                        "output of {command!r} stopped at a pager prompt after {n} lines: paging is on"
                    ).format(command=command, n=n),
                    n,
                )
            if (
                clean_last
                and prompt_rx.match(clean_last)
                and base_prompt in clean_last
                and len(buffer) > echo_end
            ):
                body = buffer[echo_end : len(buffer) - len(last)]
                return self.text(_PAGER_ERASE.sub("", body) if paged else body)

    def read_for(self, purpose: str) -> str:
        """The raw output of the command the platform reads for `purpose` (`reads:`)."""
        read = self.platform.reads.get(purpose)
        if read is None:
            raise BadInput(
                _("platform {platform} has no command for {purpose!r}").format(
                    platform=self.platform.name, purpose=purpose
                ),
                field="reads",
            )
        return self.read(read.command, read.read_timeout)

    def _drain(self, command: str) -> None:
        """What netmiko (or `_expect`) read past its last pattern belongs to the previous exchange."""
        self._pending = ""
        try:
            self.conn.read_channel()
        except Exception as exc:  # the session ended (connection fix 3)
            if self.expired:
                raise self._no_prompt(command, 0) from exc
            raise DeviceFailure(
                INCOMPLETE, _("session closed before {command!r}").format(command=command)
            ) from exc

    # -- configuring ---------------------------------------------------------------------

    def _expect(self, pattern: str, timeout: float, what: str) -> str:
        """Receive until `pattern` (multi-line) appears; everything up to it, the rest kept."""
        rx = re.compile(pattern, re.M)
        deadline = self._limit(timeout)
        chan = self.conn.remote_conn
        decoder = self.decoder()
        while True:
            found = rx.search(self._pending)
            if found:
                out, self._pending = self._pending[: found.end()], self._pending[found.end() :]
                return out
            data = receive(chan, deadline)
            if data is None:
                raise DeviceFailure(
                    TIMEOUT, _("{what} did not come in time: hang").format(what=what)
                )
            if not data:
                if self.expired:
                    raise DeviceFailure(
                        TIMEOUT, _("{what} did not come in time: hang").format(what=what)
                    )
                raise DeviceFailure(
                    INCOMPLETE, _("session closed while waiting for {what}").format(what=what)
                )
            self._pending += clean_text(decoder.decode(data))

    def _prompt(self) -> str:
        mode = self.platform.config_mode
        if mode is None:
            raise BadInput(
                _("platform {platform} is not configured by netsteward").format(
                    platform=self.platform.name
                )
            )
        return mode.prompt_for(getattr(self.conn, "base_prompt", "") or "")

    def send_lines(self, lines: list[str], timeout: float = 20.0) -> str:
        """Send lines at the current prompt, each waiting for its echo and the next prompt.

        Raises ConfigRejected at the first line the device answers with an error.
        """
        prompt = self._prompt()
        errors = _error_rx(self.platform)
        out = []
        self._drain(lines[0] if lines else "")
        for index, line in enumerate(lines):
            self.conn.write_channel(self.conn.normalize_cmd(line))
            echo = self._expect(
                re.escape(line.strip()[:40]), timeout, _("the echo of {line!r}").format(line=line)
            )
            reply = self._expect(prompt, timeout, _("the prompt after {line!r}").format(line=line))
            out.append(echo + reply)
            bad = errors.search(reply) if errors is not None else None
            if bad:
                raise ConfigRejected(
                    _("device rejected {line!r}: {error}").format(
                        line=line, error=bad.group(0).strip()
                    ),
                    index,
                )
        return "".join(out)

    def configure(self, lines: list[str], timeout: float = 20.0) -> str:
        """Enter configuration mode, send the lines, leave configuration mode (also on error).

        ConfigRejected.index says which line failed (0 for the first line of `lines`); a
        refusal of the leave command after every line was sent has index None.
        """
        mode = self.platform.config_mode
        if mode is None:
            raise BadInput(
                _("platform {platform} is not configured by netsteward").format(
                    platform=self.platform.name
                )
            )
        try:
            out = self.send_lines([mode.enter], timeout)
        except ConfigRejected as exc:  # nothing of `lines` was sent
            raise ConfigRejected(exc.reason, 0) from None
        try:
            out += self.send_lines(lines, timeout)
        except Exception:
            try:
                self.send_lines([mode.leave], timeout)
            except Exception:
                log.debug("%s: leaving configuration mode after a failure failed too", self.name)
            raise
        try:
            out += self.send_lines([mode.leave], timeout)
        except ConfigRejected as exc:  # every line was sent: the whole change counts as touched
            raise ConfigRejected(exc.reason, None) from None
        return out

    def save(self, timeout: float = 100.0) -> str:
        """Save the running configuration, answering the platform's confirmation question."""
        mode = self.platform.config_mode
        if mode is None:
            raise BadInput(
                _("platform {platform} is not configured by netsteward").format(
                    platform=self.platform.name
                )
            )
        prompt = self._prompt()
        self._drain(mode.save)
        self.conn.write_channel(self.conn.normalize_cmd(mode.save))
        out = self._expect(
            re.escape(mode.save), timeout, _("the echo of {line!r}").format(line=mode.save)
        )
        question = mode.save_question
        wait = prompt if question is None else f"(?:{question})|(?:{prompt})"
        reply = self._expect(wait, timeout, _("the answer to {line!r}").format(line=mode.save))
        out += reply
        if question is not None and re.search(question, reply, re.M):
            self.conn.write_channel(self.conn.normalize_cmd(mode.save_answer))
            out += self._expect(prompt, timeout, _("the prompt after saving"))
        errors = _error_rx(self.platform)
        bad = errors.search(out) if errors is not None else None
        if bad:
            raise ConfigRejected(_("save failed: {error}").format(error=bad.group(0).strip()))
        return out

    # -- closing -------------------------------------------------------------------------

    def close(self, abort: bool = False) -> None:
        """Log out (netmiko's clean-up) or, after a failure or past the deadline, drop the
        connection at once: a device that failed gets no more time than its limit."""
        try:
            if self.host is None:
                self.conn.disconnect()
            elif abort or self.expired or time.monotonic() >= self.deadline:
                drop(self.host, CONNECTION)
            else:
                close_quietly(self.host, CONNECTION)
        finally:
            if self._guard is not None:
                self._guard.release()


def _error_rx(platform: Platform) -> re.Pattern[str] | None:
    errors = platform.errors
    return re.compile("|".join(f"(?:{e})" for e in errors), re.M) if errors else None


# -- opening -------------------------------------------------------------------------------


def open_session(task: Task, *, deadline: float, options: SessionOptions | None = None) -> Session:
    """Log in to the task's host; raises DeviceFailure (or BadInput for an unknown platform)."""
    host = task.host
    platform = load_platform(host.platform or "")
    close_quietly(host, CONNECTION)
    extras = netmiko_extras(host, deadline, (options or SessionOptions()).extras)
    extras.setdefault("encoding", ENCODING)  # netmiko's own reads (the log-in) decode alike
    guard = guarded_socket(host, deadline, extras)
    if guard is not None:
        extras["sock"] = guard.sock
    try:
        conn = host.open_connection(
            CONNECTION,
            configuration=task.nornir.config,
            platform=platform.netmiko_device_type,
            extras=extras,
        ).connection
    except Exception as exc:
        if guard is not None:
            guard.release(close=True)
        raise login_failure(exc, guard, extras) from exc
    session = Session(host, platform, conn, deadline, guard)
    try:
        if platform.privileged:
            enter_privileged(conn)
    except Exception as exc:
        session.close(abort=True)
        if session.expired:
            raise DeviceFailure(
                TIMEOUT, _("no answer within the time limit entering enable mode")
            ) from exc
        kind, reason = classify_failure(exc)
        raise DeviceFailure(kind, _("enable mode: {reason}").format(reason=reason)) from exc
    return session


@contextmanager
def device_session(
    task: Task, *, deadline: float, options: SessionOptions | None = None
) -> Iterator[Session]:
    """One session for the length of a `with` block: logged out when the block ends,
    dropped at once when it raised or the time limit passed."""
    session = open_session(task, deadline=deadline, options=options)
    try:
        yield session
    except BaseException as exc:
        session.close(abort=True)
        if session.expired and not (isinstance(exc, DeviceFailure) and exc.kind == TIMEOUT):
            raise DeviceFailure(TIMEOUT, _("no answer within the time limit: hang")) from exc
        raise
    session.close()


@contextmanager
def napalm_session(task: Task, *, deadline: float) -> Iterator[Any]:
    """The host's napalm driver (the platform's `napalm_driver`) for a `with` block.

    napalm enters enable mode on open: the secret is the netmiko extras' `secret` when the
    inventory sets one, else the log-in password. Its socket is ours, shut at the deadline.
    """
    host = task.host
    platform = load_platform(host.platform or "")
    if platform.napalm_driver is None:
        raise BadInput(
            _("platform {platform} has no napalm driver").format(platform=platform.name),
            field="napalm_driver",
        )
    close_quietly(host, NAPALM)
    netmiko = netmiko_extras(host, deadline, {})
    extras = dict(host.get_connection_parameters(NAPALM).extras or {})
    optional = dict(extras.get("optional_args") or {})
    optional.setdefault("port", host.port)
    optional.setdefault("conn_timeout", netmiko["conn_timeout"])
    optional.setdefault("secret", netmiko.get("secret") or host.password or "")
    guard = guarded_socket(host, deadline, netmiko)
    if guard is not None:
        optional["sock"] = guard.sock
    extras["optional_args"] = optional
    try:
        device = host.open_connection(
            NAPALM, task.nornir.config, platform=platform.napalm_driver, extras=extras
        ).connection
    except Exception as exc:
        if guard is not None:
            guard.release(close=True)
        raise login_failure(exc, guard, netmiko) from exc
    try:
        yield device
    except BaseException:
        drop(host, NAPALM)
        raise
    else:
        close_quietly(host, NAPALM)
    finally:
        if guard is not None:
            guard.release()


def on_device(
    task: Task,
    work: Callable[[Session], T],
    options: SessionOptions | None = None,
    *,
    deadline: float | None = None,
) -> Attempted[T]:
    """Open a session, `work(session)`, close; transient failures tried again on a new
    session (`retry_transient`), everything within `options.timeout` (or `deadline`)."""
    options = options or SessionOptions()
    until = deadline if deadline is not None else time.monotonic() + options.timeout

    def attempt() -> T:
        with device_session(task, deadline=until, options=options) as session:
            return work(session)

    return retry_transient(attempt, until, options.retries, options.backoff, task.host.name)
