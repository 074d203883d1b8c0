"""Shared fixtures: a private lab per test session (`lab`) or per module (`fresh_lab`).

See docs/DESIGN.md, "Test fixtures".  The lab runs on random free ports in
12000-30000 with its state in a temp directory, and a temp nornir_config.yaml
points a SimpleInventory at it.  With pytest-xdist (`make test`) each worker is a
session of its own, so every worker has its own `lab`.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LAB_USERNAME = "netsteward"
LAB_PASSWORD = "Lab-Only-Pa55"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update",
        action="store_true",
        default=False,
        help="regenerate golden expectations (tests/golden/...); review the diff before committing",
    )


def pytest_configure(config: pytest.Config) -> None:
    # English unless a test asks for another language (set_language / NETSTEWARD_LANG)
    os.environ.pop("NETSTEWARD_LANG", None)
    # golden tests read NETSTEWARD_UPDATE_GOLDEN; --update is the same switch
    if config.getoption("--update"):
        os.environ["NETSTEWARD_UPDATE_GOLDEN"] = "1"


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A test that switches the language (`--lang` in-process, set_language) leaves English behind."""
    yield
    from netsteward.tasks.core import i18n

    i18n.set_language(None)
    i18n.set_site_language(None)


def _lab_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NETSTEWARD_USERNAME"] = os.environ.get("NETSTEWARD_USERNAME", LAB_USERNAME)
    env["NETSTEWARD_PASSWORD"] = os.environ.get("NETSTEWARD_PASSWORD", LAB_PASSWORD)
    env.pop("NETSTEWARD_LAB_DIR", None)
    return env


@dataclass
class LabHandle:
    state_dir: Path
    config: Path
    base_port: int
    fleet_source: str | None = None
    buildings: int = 1
    _ports: dict[str, int] | None = field(default=None, repr=False)

    def cli(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run `python -m netsteward.lab ARGS --state-dir DIR` (a started lab dies with this test run)."""
        if args and args[0] == "start" and "--exit-with" not in args:
            args = (*args, "--exit-with", str(os.getpid()))
        return subprocess.run(
            [sys.executable, "-m", "netsteward.lab", *args, "--state-dir", str(self.state_dir)],
            capture_output=True,
            text=True,
            check=check,
            env=_lab_env(),
            cwd=ROOT,
            timeout=300,
        )

    def netsteward(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the netsteward CLI with `--config` pointing at this lab."""
        return subprocess.run(
            [sys.executable, "-m", "netsteward.playbooks.cli", *args, "--config", str(self.config)],
            capture_output=True,
            text=True,
            check=False,
            env=_lab_env(),
            cwd=ROOT,
            timeout=1800,
        )

    def truth(self) -> dict[str, Any]:
        """Ground truth, live (cables, unplugged and faults as they are now)."""
        proc = self.cli("truth", "--json", check=True)
        result: dict[str, Any] = json.loads(proc.stdout)
        return result

    @contextmanager
    def ssh(self, port: int, device_type: str = "huawei_vrp") -> Iterator[Any]:
        """A netmiko session to the lab device on `port` with the lab's credentials (what an
        engineer at a terminal does beside netsteward), disconnected at the end."""
        from netmiko import ConnectHandler

        env = _lab_env()
        conn = ConnectHandler(
            device_type=device_type,
            host="127.0.0.1",
            port=port,
            username=env["NETSTEWARD_USERNAME"],
            password=env["NETSTEWARD_PASSWORD"],
        )
        try:
            yield conn
        finally:
            conn.disconnect()

    def port_of(self, host: str) -> int:
        """The SSH port of a device (ports never change while the lab lives)."""
        if self._ports is None:
            self._ports = {d["name"]: int(d["port"]) for d in self.truth()["devices"]}
        return self._ports[host]


def _write_inventory(handle: LabHandle, work: Path) -> None:
    hosts = work / "hosts.yaml"
    groups = ROOT / "inventory" / "groups.yaml"
    fleet_args = ["--fleet", handle.fleet_source] if handle.fleet_source else []
    if handle.buildings > 1:  # the committed groups plus one per building and network
        fleet_args += ["--buildings", str(handle.buildings)]
        fleet_args += ["--groups-out", str(work / "site-groups.yaml")]
    handle.cli(
        "inventory",
        "--base-port",
        str(handle.base_port),
        "--out",
        str(hosts),
        *fleet_args,
        check=True,
    )
    if handle.buildings > 1:
        merged = work / "groups.yaml"
        merged.write_text(
            groups.read_text(encoding="utf-8") + (work / "site-groups.yaml").read_text("utf-8"),
            encoding="utf-8",
        )
        groups = merged
    cfg = {
        "inventory": {
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(hosts),
                "group_file": str(groups),
                "defaults_file": str(ROOT / "inventory" / "defaults.yaml"),
            },
        },
        "runner": {"plugin": "adaptive", "options": {"max_workers": 200}},  # as committed
        "logging": {"enabled": False},
    }
    handle.config.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


PORTS = (12000, 30000)  # the labs' ports: below the ephemeral range, above the well-known
LAB_SPAN = 800  # ports one lab may take (739 devices)


def random_base_port(anywhere: bool = False, span: int = LAB_SPAN) -> int:
    """A random first port for a lab, in this worker's own share of PORTS: parallel
    workers (pytest-xdist gw0, gw1, ...) never start labs on each other's ports, so a
    lab that restarts on its own ports finds them free. `anywhere`: in all of PORTS
    (when other programs' labs fill the share)."""
    first, last = PORTS
    workers = 1 if anywhere else int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() and not anywhere else 0
    share = (last - first) // max(workers, 1)
    low = first + index * share
    return random.SystemRandom().randrange(low, low + share - span)


def start_lab(
    work: Path, fleet_source: str | None = None, attempts: int = 16, buildings: int = 1
) -> LabHandle:
    """Start a private lab on random free ports (retrying when ports are taken: first in
    this worker's share of the port range, then anywhere in it); `buildings`: copies of
    the building (`lab start --buildings`)."""
    state = work / "state"
    last = ""
    for attempt in range(attempts):
        base = random_base_port(attempt >= attempts // 2, LAB_SPAN * buildings)
        handle = LabHandle(state, work / "nornir_config.yaml", base, fleet_source, buildings)
        args = ["start", "--base-port", str(base)]
        if fleet_source:
            args += ["--fleet", fleet_source]
        if buildings > 1:
            args += ["--buildings", str(buildings)]
        proc = handle.cli(*args)
        if proc.returncode == 0:
            _write_inventory(handle, work)
            return handle
        last = proc.stderr.strip() or proc.stdout.strip()
        if proc.returncode != 2:
            break
    raise RuntimeError(f"lab did not start: {last}")


def _exported_credentials() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("NETSTEWARD_USERNAME", "NETSTEWARD_PASSWORD")}
    os.environ.update(_lab_env_subset())
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _lab_env_subset() -> dict[str, str]:
    env = _lab_env()
    return {k: env[k] for k in ("NETSTEWARD_USERNAME", "NETSTEWARD_PASSWORD")}


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHandle]:
    """The session's lab (tests that change devices must undo their changes)."""
    yield from serve_lab(tmp_path_factory.mktemp("lab"))


@pytest.fixture(scope="module")
def fresh_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHandle]:
    """A separate lab for one test module (free to change devices)."""
    yield from serve_lab(tmp_path_factory.mktemp("fresh_lab"))


def serve_lab(
    work: Path, fleet_source: str | None = None, buildings: int = 1
) -> Iterator[LabHandle]:
    """A private lab for the length of a fixture: `yield from serve_lab(dir, fleet)`
    (the lab's credentials exported meanwhile; the lab stopped afterwards)."""
    creds = _exported_credentials()
    next(creds)
    try:
        handle = start_lab(work, fleet_source, buildings=buildings)
        try:
            yield handle
        finally:
            handle.cli("stop")
    finally:
        next(creds, None)


# -- offline sessions: the engine's dialect code without SSH (realism tests) --


@dataclass
class OfflineLab:
    """Runs commands through `netsteward.lab.engine.session.Session` on a fleet, no sockets involved."""

    state: Any

    def run(self, host: str, command: str, mode_lines: tuple[str, ...] = ()) -> str:
        from netsteward.lab.dialects import get_dialect
        from netsteward.lab.engine.session import Session

        device = self.state.device(host)
        out: list[str] = []
        session = Session(device, get_dialect(device.spec.platform), out.append, lambda: None)
        for line in mode_lines:
            session.run_exec(line)
        return session.run_exec(command).replace("\r\n", "\n")

    def first(self, platform: str, role: str, *, lag: bool = False, lldp: bool = False) -> str:
        """The first device of that platform and role (with a LAG / an LLDP neighbour if asked)."""
        for d in self.state.fleet.devices:
            if d.platform == platform and d.role == role:
                if lag and not d.lags:
                    continue
                if lldp and not self.state.neighbors(d.name):
                    continue
                return str(d.name)
        raise LookupError(f"no {platform} {role} in the fleet")


@pytest.fixture(scope="session")
def lab_fleet() -> Any:
    """The fleet the `lab` fixture serves (seed 2026), generated once per session
    (a few seconds of CPU): read it, never change it."""
    from netsteward.lab.engine.state import load_fleet

    return load_fleet(2026)


@pytest.fixture(scope="session")
def offline_lab(lab_fleet: Any, tmp_path_factory: pytest.TempPathFactory) -> OfflineLab:
    """The fleet the `lab` fixture serves, loaded in-process."""
    from netsteward.lab.engine.state import LabState

    return OfflineLab(LabState(lab_fleet, tmp_path_factory.mktemp("offline_lab"), 10001))
