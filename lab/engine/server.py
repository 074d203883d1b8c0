"""The lab's SSH engine: one asyncio process, one asyncssh listener per device.

Device i listens on 127.0.0.1:(base_port + i - 1); nothing else is ever bound
(plus the control socket, a unix socket in the state directory).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import resource
import signal
import socket
import time
import warnings
from pathlib import Path
from typing import Any

import asyncssh
from cryptography.utils import CryptographyDeprecationWarning

from netsteward.lab.dialects import get_dialect, load_all
from netsteward.lab.dialects.base import SessionEnd
from netsteward.lab.engine.session import Session
from netsteward.lab.engine.state import LabInputError, LabState, control_socket
from netsteward.lab.model import Fleet

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
# after a logout the client closes the connection; one that keeps it open without a
# channel is dropped after this many seconds (devices drop idle connections too)
LINGER_AFTER_LOGOUT = 10.0
DEFAULT_USERNAME = "netsteward"
DEFAULT_PASSWORD = "Lab-Only-Pa55"  # documented lab-only default (DESIGN.md, Credentials)
AUTH_DELAY = 5.0  # `authslow`: seconds before the answer to a log-in
# `notssh`: what a telnet service on the device's port says (a wrong port in an inventory)
NOT_SSH_GREETING = b"\r\nUser Access Verification\r\n\r\nUsername: "


class LabStartError(Exception):
    """The lab cannot start (ports taken, bad arguments): exit code 2."""


def lab_credentials() -> tuple[str, str]:
    return (
        os.environ.get("NETSTEWARD_USERNAME") or DEFAULT_USERNAME,
        os.environ.get("NETSTEWARD_PASSWORD") or DEFAULT_PASSWORD,
    )


def host_key(state_dir: Path) -> asyncssh.SSHKey:
    path = state_dir / "host_key"
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    key.write_private_key(str(path))
    path.chmod(0o600)
    return key


def quiet_old_kex() -> None:
    """Silence cryptography's warning about finite-field Diffie-Hellman, which asyncssh
    uses for the old key exchanges that FortiGate clients (netmiko) ask for.

    Called for every connection, before its key exchange, so the filter stands even
    where something resets the warning filters meanwhile (pytest does, per test, were
    the server ever run in the test process with filterwarnings=error).
    """
    warnings.filterwarnings(
        "ignore",
        message="Diffie-Hellman over finite fields",
        category=CryptographyDeprecationWarning,
        module=r"asyncssh\.crypto\.dh",
    )


def raise_nofile(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class _ChannelSession(asyncssh.SSHServerSession):  # type: ignore[misc]
    def __init__(self, conn: _DeviceConnection) -> None:
        self._conn = conn
        self._chan: Any = None
        self._exec: str | None = None
        self._ending: SessionEnd | None = None
        self.session: Session | None = None

    def connection_made(self, chan: Any) -> None:
        self._chan = chan

    def pty_requested(self, term_type: str, term_size: Any, term_modes: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._exec = command
        return True

    def session_started(self) -> None:
        lab = self._conn.lab
        device = lab.state.device(self._conn.name)
        encoding = device.spec.extra.get("encoding")
        if encoding:  # a device configured from a GBK terminal sends and reads GBK
            self._chan.set_encoding(encoding, "replace")
        self.session = Session(
            device,
            get_dialect(device.spec.platform),
            self._chan.write,
            self._close,
            username=self._conn.username,
            end=self._end,
        )
        if self._exec is not None:
            self.session.start_exec(self._exec, self._chan.exit)
        else:
            self.session.start_shell()

    def _close(self) -> None:
        with contextlib.suppress(Exception):
            self._chan.close()
        self._conn.close()

    def _end(self, how: SessionEnd) -> None:
        """Logout: exit-status, EOF and CLOSE after the buffered output (asyncssh flushes
        it first); the connection follows in `connection_lost` once the channel is closed."""
        self._ending = how
        with contextlib.suppress(Exception):
            self._chan.exit(how.exit_status)

    def data_received(self, data: str, datatype: Any) -> None:
        if self.session is not None:
            self.session.feed(data)

    def eof_received(self) -> bool:
        # a hung device keeps the channel open whatever the client does
        return self.session is not None and self.session.hung

    def break_received(self, msec: int) -> bool:
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        if self.session is not None:
            self.session.closed = True
        if self._ending is not None:
            if self._ending.close == "disconnect":
                self._conn.close()
            else:
                asyncio.get_running_loop().call_later(LINGER_AFTER_LOGOUT, self._conn.close)


class _DeviceConnection(asyncssh.SSHServer):  # type: ignore[misc]
    def __init__(self, lab: LabServer, name: str) -> None:
        self.lab = lab
        self.name = name
        self.username = ""
        self._conn: Any = None

    def connection_made(self, conn: Any) -> None:
        quiet_old_kex()
        self._conn = conn
        self.lab.connections.setdefault(self.name, set()).add(self)
        sock = conn.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lab.connections.get(self.name, set()).discard(self)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> Any:
        fault = self.lab.state.faults.get(self.name)
        if fault == "auth":
            return False
        ok = (username, password) == self.lab.credentials
        if fault == "authslow":
            return _later(AUTH_DELAY, ok)  # asyncssh awaits a coroutine answer
        return ok

    def session_requested(self) -> _ChannelSession:
        return _ChannelSession(self)


def port_range_problem(base_port: int, devices: int) -> str | None:
    """Why `devices` listeners from `base_port` on do not fit the lab's port range (None:
    they fit): 1024-32767, below the kernel's ephemeral ports, so a client's own source
    port never takes a device's."""
    last = base_port + devices - 1
    if base_port < 1024 or last > 32767:
        return f"--base-port {base_port}: ports {base_port}-{last} must lie within 1024-32767"
    return None


class LabServer:
    """All listeners, the live state and the control socket."""

    def __init__(
        self, fleet: Fleet, state_dir: Path, base_port: int, fleet_source: str | None = None
    ) -> None:
        problem = port_range_problem(base_port, len(fleet.devices))
        if problem:
            raise LabStartError(problem)
        state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir = state_dir
        self.fleet_source = fleet_source
        self.state = LabState(fleet, state_dir, base_port)
        self.credentials = lab_credentials()
        self.listeners: dict[str, Any] = {}
        self.connections: dict[str, set[_DeviceConnection]] = {}
        self.plain_clients: set[asyncio.StreamWriter] = set()  # `notssh` connections
        self.stopped = asyncio.Event()
        self.startup_s: float | None = None  # fleet build + all listeners, seconds
        self._control: asyncio.AbstractServer | None = None
        load_all()
        missing = sorted({d.platform for d in fleet.devices} - set(_registered()))
        if missing:
            log.warning("lab: no dialect for %s; those devices are not served", ", ".join(missing))
        self.options = asyncssh.SSHServerConnectionOptions(
            server_host_keys=[host_key(state_dir)],
            line_editor=False,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            keepalive_interval=0,
            login_timeout=60,
        )

    @property
    def served(self) -> list[Any]:
        names = set(_registered())
        return [d for d in self.state.fleet.devices if d.platform in names]

    async def start(self) -> None:
        raise_nofile(4 * len(self.state.fleet.devices) + 4096)
        wanted = [d for d in self.served if self.state.reachable(d.name)]
        results = await asyncio.gather(
            *(self._listen(d.name) for d in wanted), return_exceptions=True
        )
        for spec, result in zip(wanted, results, strict=True):
            if isinstance(result, BaseException):
                await self.close_listeners()
                port = self.state.port_of(spec)
                if isinstance(result, OSError):
                    raise LabStartError(
                        f"{HOST}:{port}: port already in use ({spec.name})"
                    ) from None
                raise result
        sock = control_socket(self.state_dir)
        with contextlib.suppress(FileNotFoundError):
            sock.unlink()
        self._control = await asyncio.start_unix_server(self._handle_control, path=str(sock))

    async def _listen(self, name: str) -> None:
        port = self.state.port_of(self.state.specs[name])
        if self.state.faults.get(name) == "notssh":
            self.listeners[name] = await asyncio.start_server(
                self._not_ssh, HOST, port, reuse_address=True
            )
            return
        self.listeners[name] = await asyncssh.create_server(
            lambda: _DeviceConnection(self, name),
            HOST,
            port,
            options=self.options,
            reuse_address=True,
        )

    async def _sync_listener(self, name: str) -> None:
        """Open or close the device's listener to match its faults and plug state."""
        want = self.state.reachable(name) and self.state.specs[name].platform in _registered()
        plain = self.state.faults.get(name) == "notssh"
        current = self.listeners.get(name)
        if current is not None and want and plain != isinstance(current, asyncio.Server):
            self.listeners.pop(name).close()  # SSH <-> the plain greeting
            for conn in list(self.connections.get(name, ())):
                conn.close()
        if want and name not in self.listeners:
            await self._listen(name)
        elif not want and name in self.listeners:
            self.listeners.pop(name).close()
            for conn in list(self.connections.get(name, ())):
                conn.close()

    async def _not_ssh(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """`notssh`: greet like a telnet log-in; the client gives up (or the fault is cleared)."""
        self.plain_clients.add(writer)
        try:
            writer.write(NOT_SSH_GREETING)
            await writer.drain()
            await reader.read()  # until the client closes
        except (ConnectionError, OSError):
            pass
        finally:
            self.plain_clients.discard(writer)
            writer.close()

    async def close_listeners(self) -> None:
        for acceptor in self.listeners.values():
            acceptor.close()
        for writer in list(self.plain_clients):  # (a plain server waits for its clients)
            writer.close()
        for acceptor in self.listeners.values():
            with contextlib.suppress(Exception):
                await acceptor.wait_closed()
        self.listeners.clear()

    async def close(self) -> None:
        if self._control is not None:
            self._control.close()
        for conns in self.connections.values():
            for conn in list(conns):
                conn.close()
        await self.close_listeners()
        with contextlib.suppress(FileNotFoundError):
            control_socket(self.state_dir).unlink()

    def status(self) -> dict[str, Any]:
        st = self.state
        ports = [st.port_of(d) for d in st.fleet.devices]
        return {
            "running": True,
            "pid": os.getpid(),
            "state_dir": str(self.state_dir),
            "seed": st.fleet.seed,
            "buildings": st.fleet.buildings,
            "base_port": st.base_port,
            "devices": len(st.fleet.devices),
            "listening": len(self.listeners),
            "first_port": min(ports),
            "last_port": max(ports),
            "sessions": sum(len(c) for c in self.connections.values()),
            "faults": dict(sorted(st.faults.items())),
            "unplugged": sorted(st.unplugged),
            "fleet_source": self.fleet_source,
            "startup_s": self.startup_s,
        }

    async def request(self, req: dict[str, Any]) -> dict[str, Any]:
        op = req.get("op")
        st = self.state
        if op == "status":
            return self.status()
        if op == "truth":
            return st.truth()
        if op == "fault":
            st.set_fault(req["host"], req["kind"])
            await self._sync_listener(req["host"])
            return st.fault_state(req["host"])
        if op in ("unplug", "plug"):
            st.set_unplugged(req["host"], op == "unplug")
            await self._sync_listener(req["host"])
            return {"host": req["host"], "unplugged": req["host"] in st.unplugged}
        if op == "relink":
            cable = st.relink(req["host"], req["port"], req["peer"], req["peer_port"])
            return {"cable": [cable.a, cable.a_port, cable.b, cable.b_port]}
        if op == "stop":
            self.stopped.set()
            return {"stopping": True}
        raise LabInputError(f"{op}: unknown control request")

    async def _handle_control(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            line = await reader.readline()
            try:
                reply = {"ok": True, "result": await self.request(json.loads(line))}
            except LabInputError as exc:
                reply = {"ok": False, "error": str(exc)}
            except (KeyError, ValueError) as exc:
                reply = {"ok": False, "error": f"bad control request: {exc}"}
            writer.write(json.dumps(reply).encode() + b"\n")
            await writer.drain()
        finally:
            writer.close()


async def _later(delay: float, answer: bool) -> bool:
    await asyncio.sleep(delay)
    return answer


def _registered() -> dict[str, Any]:
    from netsteward.lab.dialects import REGISTRY

    return REGISTRY


async def serve(
    fleet: Fleet,
    state_dir: Path,
    base_port: int,
    fleet_source: str | None,
    t0: float | None = None,
    exit_with: int | None = None,
) -> None:
    """Run the lab in the foreground until SIGTERM/SIGINT or a `stop` request."""
    server = LabServer(fleet, state_dir, base_port, fleet_source)
    await server.start()
    if t0 is not None:
        server.startup_s = round(time.monotonic() - t0, 3)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, server.stopped.set)
    info = server.status()
    (state_dir / "lab.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    watcher = loop.create_task(_watch_pid(exit_with, server.stopped)) if exit_with else None
    try:
        await server.stopped.wait()
    finally:
        if watcher is not None:
            watcher.cancel()
        await server.close()
        info.update(running=False, pid=None, sessions=0)
        (state_dir / "lab.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


async def _watch_pid(pid: int, stopped: asyncio.Event, every: float = 2.0) -> None:
    """Stop the lab once process `pid` is gone (a killed test run leaves no stray lab)."""
    while not stopped.is_set():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            log.warning("lab: process %d is gone, stopping", pid)
            stopped.set()
            return
        except PermissionError:
            pass
        await asyncio.sleep(every)
