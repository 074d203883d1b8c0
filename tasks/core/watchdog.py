"""A device's time limit, enforced on its socket: one watchdog thread for every session.

`Guard(sock, deadline)` registers a session's TCP socket; at the deadline the watchdog
shuts the socket down, which ends whatever is waiting on it at once (paramiko's log-in,
netmiko's reads, ours, the log-out clean-up) instead of each of them waiting out its own
time-out. The session then reports `timeout` (`Guard.expired`).

The socket paramiko gets is `GuardedSocket`: it remembers the first bytes the device
sent, so that a port that answers with something other than SSH (a telnet or HTTP
service, a console server) is named as such, and then steps out of the way (the rest of
the session reads the real socket's `recv` directly).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import os
import socket
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

_FIRST = 256  # bytes of the greeting kept


class GuardedSocket:
    """A socket that records the first bytes received (then reads straight through)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.first = b""
        self.eof = False

    def recv(self, n: int) -> bytes:
        data = self._sock.recv(n)
        if not data:
            self.eof = True
        self.first += data[: _FIRST - len(self.first)]
        if b"\n" in self.first or len(self.first) >= _FIRST:
            self.recv = self._sock.recv  # type: ignore[method-assign,assignment]
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class Guard:
    """One session's socket and deadline, watched by the watchdog until `release()`."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.raw = sock
        self.sock = GuardedSocket(sock)
        self.deadline = deadline
        self.expired = False
        self.released = False
        WATCHDOG.watch(self)

    def expire(self) -> None:
        if self.released:
            return
        self.expired = True
        with contextlib.suppress(OSError):  # closed already
            self.raw.shutdown(socket.SHUT_RDWR)

    def release(self, close: bool = False) -> None:
        """The session is over: no more watching (and close the socket when asked)."""
        self.released = True
        if close:
            with contextlib.suppress(OSError):
                self.raw.close()

    def first_line(self) -> str | None:
        """What the port said first, when it is not an SSH greeting (None: SSH or nothing)."""
        first = self.sock.first
        if not first or first.startswith(b"SSH-"):
            return None
        line = next((ln.strip() for ln in first.splitlines() if ln.strip()), b"")
        return line.decode("utf-8", "replace") or None

    @property
    def closed_early(self) -> bool:
        return self.sock.eof and not self.sock.first


class Watchdog:
    """One daemon thread that expires guards at their deadlines."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Nothing watched, no thread yet (also in a forked process: see below)."""
        self._heap: list[tuple[float, int, Guard]] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, guard: Guard) -> None:
        with self._cond:
            heapq.heappush(self._heap, (guard.deadline, next(self._seq), guard))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="netsteward-watchdog", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                deadline, _, guard = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0 and not guard.released:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            if not guard.released:
                log.debug("time limit reached: closing a session's socket")
                guard.expire()


WATCHDOG = Watchdog()


def _after_fork_in_child() -> None:
    """A forked process (`netsteward.tasks.core.processes`) watches its own sessions: a fresh
    watchdog, not the parent's heap and lock (which its thread may have held at the fork)."""
    WATCHDOG.reset()


os.register_at_fork(after_in_child=_after_fork_in_child)
