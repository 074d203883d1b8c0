"""Real parts of the Celery engine's tests: a `redis-server` child process on a free
loopback port with its data in a temp dir (no system service), and real `netsteward
worker` processes, each in its own session so a test can SIGKILL a whole worker.

redis-server is installed by `make redis` (run by `make test`); a missing one is a failure
naming that target, never a skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT = 120.0  # upper bound for a process to come up (a loaded 2-core machine)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_server() -> str:
    path = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(path).exists():
        raise RuntimeError("redis-server is not installed: run `make redis` (Debian redis-server)")
    return path


def wait_until(what: str, check, limit: float = WAIT) -> None:
    """Wait for an event (`check()` true); a bound only against a process that never comes."""
    end = time.monotonic() + limit
    while not check():
        if time.monotonic() > end:
            raise TimeoutError(f"still waiting for {what} after {limit:.0f} s")
        time.sleep(0.1)


@dataclass
class RedisServer:
    proc: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def start_redis(work: Path) -> RedisServer:
    work.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        port = free_port()
        with (work / f"redis-{port}.log").open("wb") as out:
            proc = subprocess.Popen(
                [
                    redis_server(),
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    str(work),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--protected-mode",
                    "yes",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = RedisServer(proc, port)
        try:
            wait_until(
                "redis-server", lambda s=server: s.answers() or s.proc.poll() is not None, 30
            )
        except TimeoutError:
            proc.kill()
            continue
        if proc.poll() is None:
            return server
    raise RuntimeError("redis-server did not start on a free loopback port")


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str, limit: float = WAIT) -> None:
        def seen() -> bool:
            if self.proc.poll() is not None and needle not in self.text():
                raise RuntimeError(f"worker ended ({self.proc.returncode}):\n{self.text()[-3000:]}")
            return needle in self.text()

        wait_until(f"{needle!r} in {self.log.name}", seen, limit)

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes (a host that dies mid-shard)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


def start_worker(
    config: Path, queues: list[str], env: dict[str, str], log: Path, concurrency: int = 1
) -> Worker:
    """A real `netsteward worker` process; returns when Celery says it is ready."""
    args = [sys.executable, "-m", "netsteward.playbooks.cli", "worker", "--config", str(config)]
    for queue in queues:
        args += ["--queue", queue]
    args += ["--concurrency", str(concurrency)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True
        )
    worker = Worker(proc, log)
    worker.wait_for(" ready.")
    return worker
