"""netmiko connection settings and the fixed-wait fixes every job uses.

`install()` (called by `netsteward.playbooks.common.open_nornir`) swaps netmiko's driver
classes for our seven platforms, in netmiko's own dispatcher table, for thin
subclasses that differ from stock netmiko 4.8 in exactly these ways:

1. TCP_NODELAY on the SSH socket (all platforms). paramiko never sets it, so every
   small request/answer exchange of a CLI session waits for Nagle + delayed ACK
   (about 40-80 ms per round trip; simlab.md §4d measured 80 ms per serial log-in
   against 3 ms with TCP_NODELAY). Safe: it changes only when the kernel sends a
   segment, never what is sent; interactive SSH clients (OpenSSH) set it too.
   We open the socket ourselves (`socket.create_connection`, bounded by
   `conn_timeout`) and hand it to paramiko as `sock=`, which netmiko supports.
   Not done when an SSH config file or a proxy provides the socket.

2. Pattern-based `check_config_mode()` for huawei_vrp (stock: it sends Enter and
   then waits for the channel to stay silent for 2 s with `read_channel_timing`;
   it runs on every disconnect (`cleanup()`) and 4 times per `send_config_set`,
   which costs 2.2 s per backup and ~9 s per config push; simlab.md §4b, §6).
   Ours sends Enter and reads until the prompt terminator `>` or `]` appears, then
   decides by that terminator: exactly what netmiko's own hp_comware driver does
   (`check_config_mode(pattern=r"[>\\]]")`). Safe because VRP prompts always end in
   `>` (user view) or `]` (system and sub-views), which `set_base_prompt` already
   relies on; a prompt that never comes raises ReadTimeout instead of guessing.

3. huawei_vrp `session_preparation()` reads until the prompt after
   `screen-length 0 temporary` instead of sleeping 0.3 s (times the delay factor)
   and clearing the buffer: the read ends on the same event the sleep waited for.

4. No fixed 0.1 s sleep between the log-in and the session preparation (all
   platforms; `_try_session_preparation`). The preparation that follows reads until
   a prompt or an echo pattern, so it waits exactly as long as the device needs.

Everything else (log-in handling, paging commands, prompts, save) is stock.
NETSTEWARD_STOCK_NETMIKO=1 leaves netmiko untouched (the benchmark's baseline).
"""

from __future__ import annotations

import importlib
import os
import re
import socket
from typing import Any

from netmiko.base_connection import BaseConnection
from netmiko.exceptions import NetmikoTimeoutException
from netmiko.huawei.huawei import HuaweiSSH

PLATFORM_DRIVERS = (
    "huawei_vrp",
    "hp_comware",
    "cisco_ios",
    "hillstone_stoneos",
    "fortinet",
    "cisco_asa",
    "brocade_fos",
)

# Default netmiko options for every platform (inventory/defaults.yaml may override).
DEFAULT_EXTRAS: dict[str, Any] = {
    "fast_cli": True,
    "conn_timeout": 10,
    "auth_timeout": 10,
    "banner_timeout": 10,
    "session_timeout": 60,
}


class NoDelayMixin:
    """Open the TCP socket with TCP_NODELAY and pass it to paramiko (fix 1)."""

    host: str
    port: int
    conn_timeout: float
    sock: Any
    ssh_config_file: str | None

    def _try_session_preparation(self, force_data: bool = True) -> None:
        """Stock netmiko writes Enter and then sleeps a fixed 0.1 s before preparing the
        session (fix 4). Every driver's preparation reads until a pattern (prompt or
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
        # (a proxy from an SSH config file arrives here as params["sock"] and is kept)
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


class FastHuaweiSSH(NoDelayMixin, HuaweiSSH):
    """netmiko `huawei` with fixes 1-3 (see the module docstring)."""

    def check_config_mode(
        self, check_string: str = "]", pattern: str = "", force_regex: bool = False
    ) -> bool:
        self.write_channel(self.RETURN)
        output = self.read_until_pattern(pattern=pattern or r"[>\]]")
        return check_string in output

    def session_preparation(self) -> None:
        self.ansi_escape_codes = True
        self.set_base_prompt()
        self.disable_paging(command="screen-length 0 temporary")
        self.read_until_pattern(pattern=re.escape(self.base_prompt) + r"[>\]]")


def close_session(host: Any, name: str = "netmiko") -> None:
    """Close the host's `name` connection if it is open; one that died already is forgotten."""
    if name not in host.connections:
        return
    try:
        host.close_connection(name)
    except Exception:  # a session that died already: nothing left to close
        host.connections.pop(name, None)


def _fast(cls: type[BaseConnection]) -> type[BaseConnection]:
    return type(
        f"Fast{cls.__name__}", (NoDelayMixin, cls), {"__doc__": f"{cls.__name__} with TCP_NODELAY"}
    )


_installed = False


def _dispatcher() -> Any:
    # `netmiko.ssh_dispatcher` the module (the package re-exports a function of that name)
    return importlib.import_module("netmiko.ssh_dispatcher")


def install() -> None:
    """Put our driver classes into netmiko's dispatcher table (idempotent)."""
    global _installed
    if _installed or os.environ.get("NETSTEWARD_STOCK_NETMIKO") == "1":  # benchmark baseline
        return
    mapper = _dispatcher().CLASS_MAPPER
    for name in PLATFORM_DRIVERS:
        if name == "huawei_vrp":
            mapper[name] = FastHuaweiSSH
        elif not mapper[name].__name__.startswith("Fast"):
            mapper[name] = _fast(mapper[name])
    _installed = True


def drivers() -> dict[str, type[BaseConnection]]:
    """The driver class netmiko will use for each of our platforms."""
    return {name: _dispatcher().CLASS_MAPPER[name] for name in PLATFORM_DRIVERS}
