"""How CLI connections are opened and closed: netmiko's drivers with our fixes, the
connection options cut to a device's time limit, the session's own socket, and dropping a
session without logging out. Only `netsteward.tasks.core.session` uses what is here.

`install()` (called by `netsteward.playbooks.common.open_nornir`) swaps netmiko's driver
class for the netmiko device type of every platform (`netmiko_device_type:` in
`tasks/platforms/<name>.yaml`), in netmiko's own dispatcher table, for a thin subclass.
Every platform gets these fixes (`BaseFixes`):

1. TCP_NODELAY on the SSH socket. paramiko never sets it, so every small request/answer
   exchange of a CLI session waits for Nagle + delayed ACK (about 40-80 ms per round
   trip; simlab.md §4d measured 80 ms per serial log-in against 3 ms with TCP_NODELAY).
   Safe: it changes only when the kernel sends a segment, never what is sent;
   interactive SSH clients (OpenSSH) set it too. `netsteward.tasks.core.session` opens
   the socket itself and hands it to netmiko as `sock=`; a driver used on its own opens
   one here (`socket.create_connection`, bounded by `conn_timeout`). Not done when an
   SSH config file or a proxy provides the socket.

2. No fixed 0.1 s sleep between the log-in and the session preparation
   (`_try_session_preparation`). The preparation that follows reads until a prompt or
   an echo pattern, so it waits exactly as long as the device needs.

3. A read on a session that has ended fails at once (`read_channel`). Stock netmiko
   polls a closed channel until its read time-out (the channel is merely "not ready"),
   so a device that dropped the session, or whose session the device's time limit cut
   (`Session` closes the socket at the deadline), cost another full read time-out in
   every read netmiko makes (finding the prompt, enable mode, the log-out clean-up).

4. netmiko's `read_until_pattern` (its enable mode, configuration-mode checks, napalm's
   commands) waits on the channel (a paramiko channel is selectable) instead of polling
   it every 10 ms: a hundred sessions polling were a thousand wake-ups a second, each
   taking the interpreter's lock from the threads that had work.

Where the platform file says how (`login:`), the session's preparation is data too
(`PlatformLogin`): read until the first prompt (the banner and the prompt come by
themselves; questions asked before it, like VRP's "change the initial password now?",
are answered from the file), send `paging_off` and `login.commands`, each read to the
prompt, take the device's name from the prompt's group `base` (what netmiko's driver
calls the base prompt; a test checks both agree on real prompts), and at the end type
`login.logout`. Every read blocks until data comes. netmiko's own drivers instead send
Enter, sleep, clear the buffer with more sleeps (about 85 ms a session) and poll; on
two cores the preparation cost more client CPU than the log-in itself (measured in
bench/backup_bench.py: the backup went from about 3.1 to 2.5 times the log-in floor).
The log-out skips netmiko's configuration-mode check (one more exchange): a session
leaves configuration mode itself (`Session.configure`), and one that failed is dropped.
Platforms without `login:` (ASA, FortiOS, StoneOS, FOS, whose drivers do more at log-in)
keep netmiko's preparation with fixes 1-4.

The platform files name the fixes that only some drivers need (`netmiko_fixes:`), from
`FIXES` below:

- `vrp_config_mode_check`: pattern-based `check_config_mode()` (stock: it sends Enter
  and then waits for the channel to stay silent for 2 s with `read_channel_timing`; it
  runs 4 times per `send_config_set`, about 9 s per configuration push; simlab.md §6).
  Ours sends Enter and reads until the prompt terminator `>` or `]` appears, then
  decides by that terminator: exactly what netmiko's own hp_comware driver does
  (`check_config_mode(pattern=r"[>\\]]")`). Safe because VRP prompts always end in `>`
  (user view) or `]` (system and sub-views), which `set_base_prompt` already relies on;
  a prompt that never comes raises ReadTimeout instead of guessing.

NETSTEWARD_STOCK_NETMIKO=1 leaves netmiko untouched (the benchmark's baseline).
"""

from __future__ import annotations

import codecs
import importlib
import logging
import os
import re
import select
import socket
import time
from typing import TYPE_CHECKING, Any

from netmiko.base_connection import BaseConnection
from netmiko.exceptions import NetmikoTimeoutException, ReadException, ReadTimeout

from netsteward.tasks.core.failures import tcp_failure
from netsteward.tasks.core.scrub import clean_text
from netsteward.tasks.core.watchdog import Guard

if TYPE_CHECKING:
    from netsteward.tasks.platforms import Login, Platform

log = logging.getLogger(__name__)
STOCK_VARIABLE = "NETSTEWARD_STOCK_NETMIKO"
CONNECTION = "netmiko"  # the Nornir connection name of CLI sessions

# Default netmiko options for every platform (inventory/defaults.yaml may override).
DEFAULT_EXTRAS: dict[str, Any] = {
    "fast_cli": True,
    "conn_timeout": 10,
    "auth_timeout": 10,
    "banner_timeout": 10,
    "session_timeout": 60,
}


def stock() -> bool:
    """True when netmiko is to be used as shipped (the benchmark's baseline)."""
    return os.environ.get(STOCK_VARIABLE) == "1"


class SessionEnded(ReadException, EOFError):
    """netmiko read from a session that has ended (closed by the device or the time limit)."""


class BaseFixes:
    """Fixes 1-3 of the module docstring, for every platform."""

    host: str
    port: int
    conn_timeout: float
    remote_conn: Any

    def _try_session_preparation(self, force_data: bool = True) -> None:
        """Stock netmiko writes Enter and then sleeps a fixed 0.1 s before preparing the
        session (fix 2). Every driver's preparation reads until a pattern (prompt or
        echo) anyway, so the sleep only delays; we send the Enter and go straight on."""
        try:
            if force_data:
                self.write_channel(self.RETURN)  # type: ignore[attr-defined]
            self.session_preparation()  # type: ignore[attr-defined]
        except Exception:
            self.disconnect()  # type: ignore[attr-defined]
            raise

    def _connect_params_dict(self) -> dict[str, Any]:
        params: dict[str, Any] = super()._connect_params_dict()  # type: ignore[misc]
        # (a proxy from an SSH config file, or the session's own socket, arrives here as
        # params["sock"] and is kept)
        if params.get("sock") is None:
            try:
                sock = socket.create_connection(
                    (self.host, int(self.port)), timeout=self.conn_timeout
                )
            except OSError as exc:  # what netmiko raises when its own connect fails
                raise NetmikoTimeoutException(
                    f"TCP connection to device failed: {exc.strerror or exc} "
                    f"({self.host}:{self.port})"
                ) from exc
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            params["sock"] = sock
        return params

    def read_until_pattern(
        self,
        pattern: str = "",
        read_timeout: float = 10.0,
        re_flags: int = 0,
        max_loops: int | None = None,
    ) -> str:
        """netmiko's read until a pattern, waiting for the channel's data instead of polling
        it every 10 ms (fix 4). When the pattern is in what was read, netmiko's own method
        splits it off (the rest stays in its read buffer), as it always does."""
        if getattr(self, "read_timeout_override", None):
            read_timeout = float(self.read_timeout_override)  # type: ignore[attr-defined]
        deadline = time.monotonic() + read_timeout if read_timeout else float("inf")
        output = ""
        while True:
            output += self.read_channel()
            if re.search(pattern, output, flags=re_flags):
                self._read_buffer = output + self._read_buffer  # type: ignore[has-type]
                found: str = super().read_until_pattern(  # type: ignore[misc]
                    pattern=pattern, read_timeout=read_timeout, re_flags=re_flags
                )
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReadTimeout(f"pattern not detected: {pattern!r}")
            _wait_for_data(self.remote_conn, min(remaining, 1.0))

    def read_channel(self) -> str:
        """netmiko's read, failing at once when the session has ended (fix 3)."""
        output: str = super().read_channel()  # type: ignore[misc]
        if not output:
            chan = self.remote_conn
            transport = getattr(chan, "transport", None)
            if chan is not None and (
                getattr(chan, "closed", False)
                or (transport is not None and not transport.is_active())
            ):
                raise SessionEnded("the SSH session has ended")
        return output


def receive(chan: Any, deadline: float) -> bytes | None:
    """The channel's next data, waiting for it until `deadline` (time.monotonic): b"" when
    the session has ended, None when the deadline passed first."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        chan.settimeout(min(remaining, 1.0))
        try:
            data: bytes = chan.recv(65536)
        except TimeoutError:
            continue
        return data


def _wait_for_data(chan: Any, timeout: float) -> None:
    """Until the channel has data (or has ended), at most `timeout` seconds: a paramiko
    channel is selectable (its `fileno()`); anything else is polled as netmiko does."""
    if hasattr(chan, "fileno") and hasattr(chan, "recv_ready"):
        if not chan.recv_ready():
            select.select([chan], [], [], timeout)
    else:
        time.sleep(min(timeout, 0.01))


class VrpConfigModeCheck:
    """`vrp_config_mode_check` (see the module docstring)."""

    def check_config_mode(
        self, check_string: str = "]", pattern: str = "", force_regex: bool = False
    ) -> bool:
        self.write_channel(self.RETURN)  # type: ignore[attr-defined]
        output = self.read_until_pattern(pattern=pattern or r"[>\]]")  # type: ignore[attr-defined]
        return check_string in output


def login_base(login: Login, prompt: re.Match[str]) -> str:
    """The device's name (netmiko's base prompt) from a prompt matched by the platform's
    `prompt` regex: its group `base`, cut to `login.base_length` characters."""
    base = prompt.group("base")
    return base[: login.base_length] if login.base_length else base


class PlatformLogin:
    """The session's preparation from the platform file (`login:`; module docstring, fix 4)."""

    netsteward_platform: Platform  # the platform file this driver class was made for
    RETURN: str
    encoding: str
    remote_conn: Any
    read_timeout_override: float | None

    @property
    def _login(self) -> Login:
        login = self.netsteward_platform.login
        assert login is not None  # `driver_class` mixes this in only where there is one
        return login

    def special_login_handler(self, delay_factor: float = 1.0) -> None:
        """The questions before the first prompt are answered by the preparation below."""

    def _try_session_preparation(self, force_data: bool = True) -> None:
        platform, login = self.netsteward_platform, self._login
        try:
            deadline = time.monotonic() + float(self.read_timeout_override or 20.0)
            prompt = self._read_to_prompt(deadline, list(login.questions))
            paging = [platform.paging_off] if platform.paging_off else []
            for command in (*paging, *login.commands):
                self.write_channel(command + self.RETURN)  # type: ignore[attr-defined]
                prompt = self._read_to_prompt(deadline, [])
            # the name from the last prompt: the first one may have been a line of a banner
            self.base_prompt = login_base(login, prompt)
            self.ansi_escape_codes = True
        except Exception:
            self.disconnect()  # type: ignore[attr-defined]
            raise

    def _read_to_prompt(self, deadline: float, questions: list[Any]) -> re.Match[str]:
        """Receive until the last line is a prompt, answering each question once (blocking
        reads: no polling, no fixed waits)."""
        decoder = codecs.getincrementaldecoder(self.encoding or "utf-8")("replace")
        chan = self.remote_conn
        buffer = ""
        while True:
            data = receive(chan, deadline)
            if data is None:
                raise ReadTimeout("no prompt from the device during log-in")
            if not data:
                raise SessionEnded("the SSH session has ended during log-in")
            buffer = (buffer + decoder.decode(data))[-4096:]
            last = clean_text(buffer.rsplit("\n", 1)[-1])
            found = re.match(self.netsteward_platform.prompt, last.strip())
            if found:
                return found
            for question in questions:
                if re.search(question.ask, last):
                    questions.remove(question)
                    self.write_channel(question.answer + self.RETURN)  # type: ignore[attr-defined]
                    buffer = ""
                    break

    def cleanup(self, command: str = "") -> None:
        """Type the platform's log-out (netmiko's clean-up first checks for configuration
        mode, one more exchange; a session leaves configuration mode itself)."""
        self._session_log_fin = True
        self.write_channel(self._login.logout + self.RETURN)  # type: ignore[attr-defined]


FIXES: dict[str, type] = {
    "vrp_config_mode_check": VrpConfigModeCheck,
}


def _dispatcher() -> Any:
    # `netmiko.ssh_dispatcher` the module (the package re-exports a function of that name)
    return importlib.import_module("netmiko.ssh_dispatcher")


def driver_class(base: type[BaseConnection], platform: Platform) -> type[BaseConnection]:
    """`base` with the fixes every platform gets, the platform's named ones and, where the
    platform file says how (`login:`), its own preparation and log-out."""
    fixes = platform.netmiko_fixes
    mixins = tuple(FIXES[name] for name in fixes)
    attrs: dict[str, Any] = {
        "__doc__": f"{base.__name__} with netsteward's fixes ({', '.join(fixes) or 'base'})",
        "netsteward_fixes": _fixes_key(platform),
    }
    if platform.login is not None:
        mixins = (PlatformLogin, *mixins)
        attrs["netsteward_platform"] = platform
    cls: type[BaseConnection] = type(f"Fast{base.__name__}", (*mixins, BaseFixes, base), attrs)
    return cls


def _fixes_key(platform: Platform) -> tuple[Any, ...]:
    """What makes a platform's driver class: platforms sharing a netmiko device type must agree."""
    login = platform.login
    return (
        tuple(platform.netmiko_fixes),
        None if login is None else (login, platform.prompt, platform.paging_off),
    )


_stock_classes: dict[str, type[BaseConnection]] = {}


def install() -> None:
    """Put our driver classes into netmiko's dispatcher table (idempotent).

    One class per netmiko device type; platforms that share a device type must name the
    same fixes and log-in (checked here)."""
    if stock():  # benchmark baseline
        return
    from netsteward.tasks.platforms import all_platforms

    mapper = _dispatcher().CLASS_MAPPER
    wanted: dict[str, Platform] = {}
    for platform in all_platforms().values():
        known = wanted.setdefault(platform.netmiko_device_type, platform)
        if _fixes_key(known) != _fixes_key(platform):
            raise ValueError(
                f"platform {platform.name}: netmiko_fixes or login differ from platform "
                f"{known.name}'s for netmiko device type {platform.netmiko_device_type!r}"
            )
    for device_type, platform in wanted.items():
        current = mapper[device_type]
        if getattr(current, "netsteward_fixes", None) == _fixes_key(platform):
            continue
        base = _stock_classes.setdefault(device_type, current)
        mapper[device_type] = driver_class(base, platform)


def drivers() -> dict[str, type[BaseConnection]]:
    """The driver class netmiko will use for each platform's netmiko device type."""
    from netsteward.tasks.platforms import all_platforms

    return {
        name: _dispatcher().CLASS_MAPPER[p.netmiko_device_type]
        for name, p in all_platforms().items()
    }


# -- opening and closing connections (for netsteward.tasks.core.session) -----------------


def netmiko_extras(host: Any, deadline: float, overrides: dict[str, Any]) -> dict[str, Any]:
    """The host's netmiko options with every connection time-out cut to what is left of the
    device's time limit (`deadline`), and the session's own overrides."""
    params = host.get_connection_parameters(CONNECTION)
    budget = max(1.0, deadline - time.monotonic())
    extras = {**DEFAULT_EXTRAS, **(params.extras or {}), **overrides}
    for key in ("conn_timeout", "auth_timeout", "banner_timeout"):
        extras[key] = min(float(extras.get(key, budget)), budget)
    # netmiko's own reads during log-in (prompt, paging off) end within the device budget too
    extras["read_timeout_override"] = min(
        float(extras.get("read_timeout_override") or budget), budget
    )
    return extras


def guarded_socket(host: Any, deadline: float, extras: dict[str, Any]) -> Guard | None:
    """Our own TCP socket (TCP_NODELAY), shut at the deadline; None where netmiko must open
    it (stock netmiko, an SSH config file or a proxy)."""
    if stock() or extras.get("sock") is not None or extras.get("ssh_config_file"):
        return None
    try:
        raw = socket.create_connection(
            (host.hostname, int(host.port or 22)), timeout=float(extras["conn_timeout"])
        )
    except OSError as exc:
        raise tcp_failure(exc) from exc
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return Guard(raw, deadline)


def drop(host: Any, name: str) -> None:
    """Close a connection's SSH transport without logging out (no reads, no waits)."""
    plugin = host.connections.pop(name, None)
    conn = getattr(plugin, "connection", None)
    netmiko = conn if hasattr(conn, "remote_conn_pre") else getattr(conn, "device", None)
    client = getattr(netmiko, "remote_conn_pre", None)  # (napalm's driver holds netmiko)
    if client is not None:
        try:
            client.close()
        except Exception:  # already closed by the device or the watchdog
            log.debug("%s: closing a dropped session failed", getattr(host, "name", "?"))


def close_quietly(host: Any, name: str = CONNECTION) -> None:
    """Close the host's `name` connection if it is open; one that died already is forgotten."""
    if name not in host.connections:
        return
    try:
        host.close_connection(name)
    except Exception:  # a session that died already: nothing left to close
        host.connections.pop(name, None)


def enter_privileged(conn: Any) -> None:
    """Privileged (enable) mode; the log-in password is the secret when none is set."""
    if conn.check_enable_mode():
        return
    secret, password = getattr(conn, "secret", None), getattr(conn, "password", None)
    if not secret and password:
        conn.secret = password
    conn.enable()
