"""Control plane: talk to a running lab over its unix socket, or edit its state offline.

`start` spawns `python -m netsteward.lab serve` detached and waits until it is ready;
`fault`, `relink`, `unplug`, `plug` and `truth` go to the running lab when
there is one, and otherwise edit / read the state directory directly (so that
the change is in place when the lab next starts).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from netsteward.lab.engine.state import (
    LabInputError,
    LabState,
    control_socket,
    load_fleet,
)

DEFAULT_BASE_PORT = 10001
DEFAULT_SEED = 2026
START_TIMEOUT = 120.0


class LabNotRunning(Exception):
    pass


def default_state_dir() -> Path:
    return Path(os.environ.get("NETSTEWARD_LAB_DIR") or ".lab")


def read_info(state_dir: Path) -> dict[str, Any]:
    path = state_dir / "lab.json"
    if not path.exists():
        return {}
    try:
        info: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return info


def request(state_dir: Path, req: dict[str, Any], timeout: float = 30.0) -> Any:
    """Send one request to the running lab; LabNotRunning if none answers."""
    path = control_socket(state_dir)
    if not path.exists():
        raise LabNotRunning(str(state_dir))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except (ConnectionRefusedError, FileNotFoundError):
            raise LabNotRunning(str(state_dir)) from None
        sock.sendall(json.dumps(req).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            data += chunk
    reply = json.loads(data)
    if not reply.get("ok"):
        raise LabInputError(reply.get("error", "lab error"))
    return reply["result"]


def status(state_dir: Path) -> dict[str, Any]:
    try:
        result: dict[str, Any] = request(state_dir, {"op": "status"}, timeout=5)
        return result
    except (LabNotRunning, OSError, ValueError):
        return {"running": False, "state_dir": str(state_dir)}


def port_range_line(info: dict[str, Any]) -> str:
    return f"lab: {info['devices']} devices on 127.0.0.1:{info['first_port']}-{info['last_port']}"


def start(
    state_dir: Path,
    base_port: int,
    seed: int,
    fleet_source: str | None,
    exit_with: int | None = None,
    buildings: int = 1,
) -> dict[str, Any]:
    """Start the lab in the background; return its status once every device listens."""
    current = status(state_dir)
    if current["running"]:
        running = (current["base_port"], current["seed"], current.get("buildings", 1))
        if running != (base_port, seed, buildings):
            raise LabInputError(
                f"lab already running in {state_dir} on base port {current['base_port']} "
                f"(seed {current['seed']}, {running[2]} building(s)); stop it first"
            )
        return current
    state_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "netsteward.lab",
        "serve",
        "--state-dir",
        str(state_dir),
        "--base-port",
        str(base_port),
        "--seed",
        str(seed),
    ]
    if fleet_source:
        cmd += ["--fleet", fleet_source]
    if buildings != 1:
        cmd += ["--buildings", str(buildings)]
    if exit_with:
        cmd += ["--exit-with", str(exit_with)]
    log_path = state_dir / "lab.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        rc = proc.poll()
        if rc is not None:
            line = _last_line(log_path).removeprefix("lab: ")
            raise LabInputError(line or f"lab server exited with code {rc}")
        info = status(state_dir)
        if info["running"] and info.get("pid") == proc.pid:
            return info
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGTERM)
    raise LabInputError(f"lab did not start within {START_TIMEOUT:.0f} s (see {log_path})")


def _last_line(path: Path) -> str:
    try:
        lines = [
            ln
            for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if ln.strip()
        ]
    except OSError:
        return ""
    return lines[-1] if lines else ""


def stop(state_dir: Path, timeout: float = 15.0) -> bool:
    """Stop the running lab; False if none was running."""
    info = status(state_dir)
    if not info["running"]:
        return False
    pid = info["pid"]
    with contextlib.suppress(LabNotRunning, OSError, ValueError):
        request(state_dir, {"op": "stop"}, timeout=5)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours counts as gone
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def offline_state(
    state_dir: Path,
    base_port: int | None,
    seed: int | None,
    fleet_source: str | None,
    buildings: int | None = None,
) -> LabState:
    """The lab's state read from the state directory (no server running)."""
    info = read_info(state_dir)
    seed = seed if seed is not None else info.get("seed", DEFAULT_SEED)
    buildings = buildings if buildings is not None else info.get("buildings", 1)
    base_port = base_port if base_port is not None else info.get("base_port", DEFAULT_BASE_PORT)
    source = fleet_source if fleet_source is not None else info.get("fleet_source")
    state_dir.mkdir(parents=True, exist_ok=True)
    return LabState(load_fleet(seed, source, buildings), state_dir, base_port)


def change(state_dir: Path, req: dict[str, Any]) -> Any:
    """Apply a fault/relink/plug change to the running lab, or offline to its state dir."""
    try:
        return request(state_dir, req)
    except LabNotRunning:
        pass
    st = offline_state(state_dir, None, None, None)
    op = req["op"]
    if op == "fault":
        st.set_fault(req["host"], req["kind"])
        return st.fault_state(req["host"])
    if op in ("unplug", "plug"):
        st.set_unplugged(req["host"], op == "unplug")
        return {"host": req["host"], "unplugged": req["host"] in st.unplugged}
    if op == "relink":
        c = st.relink(req["host"], req["port"], req["peer"], req["peer_port"])
        return {"cable": [c.a, c.a_port, c.b, c.b_port]}
    raise LabInputError(f"{op}: unknown change")


def truth(
    state_dir: Path,
    base_port: int | None,
    seed: int | None,
    fleet_source: str | None,
    buildings: int | None = None,
) -> Any:
    try:
        return request(state_dir, {"op": "truth"})
    except LabNotRunning:
        return offline_state(state_dir, base_port, seed, fleet_source, buildings).truth()
