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

The platform files name the fixes that only some drivers need (`netmiko_fixes:`), from
`FIXES` below:

- `vrp_config_mode_check`: pattern-based `check_config_mode()` (stock: it sends Enter
  and then waits for the channel to stay silent for 2 s with `read_channel_timing`; it
  runs on every disconnect (`cleanup()`) and 4 times per `send_config_set`, which costs
  2.2 s per backup and ~9 s per config push; simlab.md §4b, §6). Ours sends Enter and
  reads until the prompt terminator `>` or `]` appears, then decides by that
  terminator: exactly what netmiko's own hp_comware driver does
  (`check_config_mode(pattern=r"[>\\]]")`). Safe because VRP prompts always end in `>`
  (user view) or `]` (system and sub-views), which `set_base_prompt` already relies on;
  a prompt that never comes raises ReadTimeout instead of guessing.
- `vrp_session_preparation`: reads until the prompt after `screen-length 0 temporary`
  instead of sleeping 0.3 s (times the delay factor) and clearing the buffer: the read
  ends on the same event the sleep waited for.

Everything else (log-in handling, paging commands, prompts) is stock.
NETSTEWARD_STOCK_NETMIKO=1 leaves netmiko untouched (the benchmark's baseline).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import socket
import time
from typing import Any

from netmiko.base_connection import BaseConnection
from netmiko.exceptions import NetmikoTimeoutException, ReadException

from netsteward.tasks.core.failures import tcp_failure
from netsteward.tasks.core.watchdog import Guard

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


class VrpConfigModeCheck:
    """`vrp_config_mode_check` (see the module docstring)."""

    def check_config_mode(
        self, check_string: str = "]", pattern: str = "", force_regex: bool = False
    ) -> bool:
        self.write_channel(self.RETURN)  # type: ignore[attr-defined]
        output = self.read_until_pattern(pattern=pattern or r"[>\]]")  # type: ignore[attr-defined]
        return check_string in output


class VrpSessionPreparation:
    """`vrp_session_preparation` (see the module docstring)."""

    def session_preparation(self) -> None:
        self.ansi_escape_codes = True
        self.set_base_prompt()  # type: ignore[attr-defined]
        self.disable_paging(command="screen-length 0 temporary")  # type: ignore[attr-defined]
        self.read_until_pattern(pattern=re.escape(self.base_prompt) + r"[>\]]")  # type: ignore[attr-defined]


FIXES: dict[str, type] = {
    "vrp_config_mode_check": VrpConfigModeCheck,
    "vrp_session_preparation": VrpSessionPreparation,
}


def _dispatcher() -> Any:
    # `netmiko.ssh_dispatcher` the module (the package re-exports a function of that name)
    return importlib.import_module("netmiko.ssh_dispatcher")


def driver_class(base: type[BaseConnection], fixes: list[str]) -> type[BaseConnection]:
    """`base` with the fixes every platform gets and the named ones, in that order."""
    mixins = (*tuple(FIXES[name] for name in fixes), BaseFixes)
    cls: type[BaseConnection] = type(
        f"Fast{base.__name__}",
        (*mixins, base),
        {
            "__doc__": f"{base.__name__} with netsteward's fixes ({', '.join(fixes) or 'base'})",
            "netsteward_fixes": tuple(fixes),
        },
    )
    return cls


_stock_classes: dict[str, type[BaseConnection]] = {}


def install() -> None:
    """Put our driver classes into netmiko's dispatcher table (idempotent).

    One class per netmiko device type; platforms that share a device type must name the
    same fixes (checked here)."""
    if stock():  # benchmark baseline
        return
    from netsteward.tasks.platforms import all_platforms

    mapper = _dispatcher().CLASS_MAPPER
    wanted: dict[str, list[str]] = {}
    for platform in all_platforms().values():
        known = wanted.setdefault(platform.netmiko_device_type, platform.netmiko_fixes)
        if known != platform.netmiko_fixes:
            raise ValueError(
                f"platform {platform.name}: netmiko_fixes differ from another platform's "
                f"for netmiko device type {platform.netmiko_device_type!r}"
            )
    for device_type, fixes in wanted.items():
        current = mapper[device_type]
        if getattr(current, "netsteward_fixes", None) == tuple(fixes):
            continue
        base = _stock_classes.setdefault(device_type, current)
        mapper[device_type] = driver_class(base, fixes)


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
