"""Shared fixtures: a private lab per test session (`lab`) or per module (`fresh_lab`).

See docs/DESIGN.md, "Test fixtures".  The lab runs on random free ports in
12000-30000 with its state in a temp directory, and a temp nornir_config.yaml
points a SimpleInventory at it.  Until `lab/fleet/build.py` exists the lab serves the
small stand-in fleet defined below (`standin_fleet`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsteward.lab.model import (
    Cable,
    DeviceSpec,
    Fleet,
    PortSpec,
)

ROOT = Path(__file__).resolve().parent.parent
LAB_USERNAME = "netsteward"
LAB_PASSWORD = "Lab-Only-Pa55"
STANDIN = f"{Path(__file__).resolve()}:standin_fleet"


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


def real_fleet_available() -> bool:
    return importlib.util.find_spec("netsteward.lab.fleet.build") is not None


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

    def port_of(self, host: str) -> int:
        """The SSH port of a device (ports never change while the lab lives)."""
        if self._ports is None:
            self._ports = {d["name"]: int(d["port"]) for d in self.truth()["devices"]}
        return self._ports[host]


def _write_inventory(handle: LabHandle, work: Path) -> None:
    hosts = work / "hosts.yaml"
    fleet_args = ["--fleet", handle.fleet_source] if handle.fleet_source else []
    proc = handle.cli(
        "inventory", "--base-port", str(handle.base_port), "--out", str(hosts), *fleet_args
    )
    truth = handle.truth()
    if proc.returncode != 0 or not hosts.exists():
        # netsteward.lab.fleet.inventory not written yet: the minimal shape of DESIGN.md
        data = {
            d["name"]: {
                "hostname": "127.0.0.1",
                "port": d["port"],
                "platform": d["platform"],
                "groups": [d["platform"], d["role"], d["network"]],
                "data": {"role": d["role"], "network": d["network"], "model": d["model"]},
            }
            for d in truth["devices"]
        }
        hosts.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    groups = ROOT / "inventory" / "groups.yaml"
    defaults = ROOT / "inventory" / "defaults.yaml"
    if not groups.exists():
        names: dict[str, dict[str, Any]] = {}
        for d in truth["devices"]:
            names.setdefault(d["platform"], {"platform": d["platform"]})
            names.setdefault(d["role"], {})
            names.setdefault(d["network"], {})
        groups = work / "groups.yaml"
        groups.write_text(yaml.safe_dump(names, sort_keys=False), encoding="utf-8")
    if not defaults.exists():
        defaults = work / "defaults.yaml"
        defaults.write_text("{}\n", encoding="utf-8")
    cfg = {
        "inventory": {
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(hosts),
                "group_file": str(groups),
                "defaults_file": str(defaults),
            },
        },
        "runner": {"plugin": "threaded", "options": {"num_workers": 50}},
        "logging": {"enabled": False},
    }
    handle.config.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


def start_lab(work: Path, fleet_source: str | None = None, attempts: int = 6) -> LabHandle:
    """Start a private lab on random free ports (retrying when ports are taken)."""
    if fleet_source is None and not real_fleet_available():
        fleet_source = STANDIN
    state = work / "state"
    last = ""
    for _ in range(attempts):
        base = random.randrange(12000, 30000 - 800)
        handle = LabHandle(state, work / "nornir_config.yaml", base, fleet_source)
        args = ["start", "--base-port", str(base)]
        if fleet_source:
            args += ["--fleet", fleet_source]
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


def serve_lab(work: Path, fleet_source: str | None = None) -> Iterator[LabHandle]:
    """A private lab for the length of a fixture: `yield from serve_lab(dir, fleet)`
    (the lab's credentials exported meanwhile; the lab stopped afterwards)."""
    creds = _exported_credentials()
    next(creds)
    try:
        handle = start_lab(work, fleet_source)
        try:
            yield handle
        finally:
            handle.cli("stop")
    finally:
        next(creds, None)


# -- the stand-in fleet (used until lab/fleet/build.py exists, and by the engine's own tests) --


def _vrp_config(
    name: str, ports: list[str], descs: dict[str, str], lags: dict[str, list[str]]
) -> str:
    lines = [
        "!Software Version V200R019C10SPC500",
        "#",
        f"sysname {name}",
        "#",
        "aaa",
        " local-user admin password irreversible-cipher $1c$abcdefgh$",
        "#",
    ]
    for lag in lags:
        lines += [f"interface {lag}", " mode lacp-static", "#"]
    member = {m: lag for lag, ms in lags.items() for m in ms}
    for p in ports:
        lines.append(f"interface {p}")
        if p in descs:
            lines.append(f" description {descs[p]}")
        if p in member:
            lines.append(f" eth-trunk {member[p][len('Eth-Trunk') :]}")
        lines.append("#")
    lines += [
        "user-interface vty 0 4",
        " authentication-mode aaa",
        " protocol inbound ssh",
        "#",
        "return",
    ]
    return "\n".join(lines) + "\n"


def _comware_config(
    name: str, ports: list[str], descs: dict[str, str], lags: dict[str, list[str]]
) -> str:
    lines = ["#", " version 7.1.070, Release 6635P07", "#", f" sysname {name}", "#"]
    for lag in lags:
        lines += [f"interface {lag}", " link-aggregation mode dynamic", "#"]
    member = {m: lag for lag, ms in lags.items() for m in ms}
    for p in ports:
        lines.append(f"interface {p}")
        lines.append(" port link-mode bridge")
        if p in descs:
            lines.append(f" description {descs[p]}")
        if p in member:
            lines.append(f" port link-aggregation group {member[p][len('Bridge-Aggregation') :]}")
        lines.append("#")
    lines += [
        "line vty 0 63",
        " authentication-mode scheme",
        " user-role network-operator",
        "#",
        "return",
    ]
    return "\n".join(lines) + "\n"


def standin_fleet(seed: int = 2026) -> Fleet:
    """Four devices, two per dialect, cabled with one LAG: enough for the engine's tests."""
    core_ports = [f"XGigabitEthernet0/0/{i}" for i in range(1, 5)]
    agg_ports = [f"GigabitEthernet1/0/{i}" for i in range(1, 9)] + [
        f"Ten-GigabitEthernet1/0/{i}" for i in range(49, 53)
    ]
    vacc_ports = [f"GigabitEthernet0/0/{i}" for i in range(1, 9)] + [
        f"XGigabitEthernet0/0/{i}" for i in range(1, 3)
    ]
    hacc_ports = [f"GigabitEthernet1/0/{i}" for i in range(1, 9)] + [
        f"Ten-GigabitEthernet1/0/{i}" for i in range(49, 51)
    ]
    specs = [
        ("LAB-CORE-01", "huawei_vrp", "core", "S12700E-8", "huawei", core_ports, {}, _vrp_config),
        (
            "LAB-AGG-01",
            "hp_comware",
            "aggregation",
            "S6520X-30QC-EI",
            "h3c",
            agg_ports,
            {"Bridge-Aggregation1": ["Ten-GigabitEthernet1/0/50", "Ten-GigabitEthernet1/0/51"]},
            _comware_config,
        ),
        (
            "LAB-ACC-001",
            "huawei_vrp",
            "access",
            "S5735-L48T4X-A1",
            "huawei",
            vacc_ports,
            {"Eth-Trunk1": ["XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2"]},
            _vrp_config,
        ),
        (
            "LAB-ACC-002",
            "hp_comware",
            "access",
            "S5130S-52S-EI",
            "h3c",
            hacc_ports,
            {},
            _comware_config,
        ),
    ]
    cables = [
        Cable("LAB-CORE-01", "XGigabitEthernet0/0/1", "LAB-AGG-01", "Ten-GigabitEthernet1/0/49"),
        Cable("LAB-AGG-01", "Ten-GigabitEthernet1/0/50", "LAB-ACC-001", "XGigabitEthernet0/0/1"),
        Cable("LAB-AGG-01", "Ten-GigabitEthernet1/0/51", "LAB-ACC-001", "XGigabitEthernet0/0/2"),
        Cable("LAB-AGG-01", "GigabitEthernet1/0/1", "LAB-ACC-002", "Ten-GigabitEthernet1/0/49"),
    ]
    descs: dict[str, dict[str, str]] = {
        "LAB-CORE-01": {"XGigabitEthernet0/0/1": "TO-LAB-AGG-01-XGE1/0/49"},
        "LAB-AGG-01": {
            "Ten-GigabitEthernet1/0/49": "TO-LAB-CORE-01-XGE0/0/1",
            "GigabitEthernet1/0/1": "TO-LAB-ACC-002-XGE1/0/49",
        },
        "LAB-ACC-001": {"XGigabitEthernet0/0/1": "TO-LAB-AGG-01-XGE1/0/50"},
        "LAB-ACC-002": {"GigabitEthernet1/0/3": "PRINTER-3F"},
    }
    devices = []
    for i, (name, platform, role, model, vendor, ports, lags, render) in enumerate(specs, 1):
        version = "7.1.070, Release 6635P07" if platform == "hp_comware" else "V200R019C10SPC500"
        devices.append(
            DeviceSpec(
                name=name,
                platform=platform,
                role=role,
                network="base",
                model=model,
                vendor=vendor,
                serial=f"21023531{seed % 1000:03d}{i:05d}",
                version=version,
                mac=f"00:e0:fc:00:{seed % 256:02x}:{i:02x}",
                index=i,
                location="F01-IDF-1",
                mgmt_ip=f"192.0.2.{i}",
                ports=[
                    PortSpec(p, speed="10G" if "Ten" in p or p.startswith("X") else "1G")
                    for p in ports
                ],
                lags=lags,
                config=render(name, ports, descs.get(name, {}), lags),
                change_password_prompt=(name == "LAB-ACC-001"),
            )
        )
    return Fleet(
        seed=seed,
        devices=devices,
        cables=cables,
        truth={
            "secrets": [],
            "port_deviations": [],
            "firewall_problems": [],
            "hardening_deviations": [],
        },
    )


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
def offline_lab(tmp_path_factory: pytest.TempPathFactory) -> OfflineLab:
    """The fleet the `lab` fixture serves, loaded in-process (real generator, else the stand-in)."""
    from netsteward.lab.engine.state import LabState, load_fleet

    source = None if real_fleet_available() else STANDIN
    fleet = load_fleet(2026, source)
    return OfflineLab(LabState(fleet, tmp_path_factory.mktemp("offline_lab"), 10001))
