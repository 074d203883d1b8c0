"""Live state of the lab: per-device configuration, cabling, faults, persistence.

Everything here is plain data and file I/O; no sockets.  The SSH engine
(`netsteward.lab.engine.server`) and the offline control commands (`netsteward.lab.engine.control`) share it.

State directory layout:
    host_key            ed25519 host key shared by all devices
    lab.json            pid, base port, seed, fleet source of the running lab
    live.json           current cables, unplugged hosts, faults (seed-tagged)
    saved/<HOST>.cfg    configurations written by `save`
    control.sock        control socket of the running lab (/tmp/netsteward-lab-*.sock if too long)
    lab.log             output of the background server
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from netsteward.lab.engine.configtree import ConfigTree
from netsteward.lab.engine.health import RECENT_BOOT
from netsteward.lab.model import Cable, DeviceSpec, Fleet, endpoint_spec

# down: port closed; auth: credentials refused; authslow: the authentication answer comes
# AUTH_DELAY s late (an overloaded AAA server); notssh: the port answers, but with a telnet
# log-in greeting instead of SSH; hang/truncate: the running configuration stops half-way
# (no prompt / session closed); slow: every answer 1.5 s late; paging: paging stays on
FAULT_KINDS = ("down", "auth", "authslow", "notssh", "hang", "slow", "truncate", "paging")
# health faults (what the device's health displays show; several at once, beside one of the
# session faults above): netsteward.lab.fleet.health / netsteward.lab.engine.health
HEALTH_FAULT_KINDS = (
    "fan",
    "psu",
    "temperature",
    "optic",
    "crc",
    "cpu",
    "memory",
    "reboot",
    "unsaved",
    "ntp",
    "sessions",
    "alarm",
)


class LabInputError(Exception):
    """Bad input from a person (unknown host, port, fault kind): exit code 2."""


@dataclass(frozen=True)
class Neighbor:
    local_port: str
    peer: DeviceSpec
    peer_port: str
    peer_port_description: str


def load_fleet(seed: int, source: str | None = None, buildings: int = 1) -> Fleet:
    """Build the fleet: `netsteward.lab.fleet.build.build_fleet` (`buildings` copies of the
    building; kept on disk by `netsteward.lab.fleet.cache`), or `source` = 'path/file.py:func' / 'module:func' (one building)."""
    if not source:
        from netsteward.lab.fleet.build import MAX_BUILDINGS
        from netsteward.lab.fleet.cache import cached_fleet

        if not 1 <= buildings <= MAX_BUILDINGS:
            raise LabInputError(f"--buildings {buildings}: must be 1-{MAX_BUILDINGS}")
        return cached_fleet(seed, buildings)
    if buildings != 1:
        raise LabInputError("--buildings: only the built-in fleet has more buildings")
    target, _, func = source.rpartition(":")
    if target.endswith(".py"):
        spec = importlib.util.spec_from_file_location("lab_fleet_source", target)
        if spec is None or spec.loader is None:
            raise LabInputError(f"{source}: cannot load fleet source")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    fleet: Fleet = getattr(module, func)(seed)
    return fleet


def control_socket(state_dir: Path) -> Path:
    """The control socket of the lab in `state_dir` (in /tmp when the path would be too long)."""
    path = state_dir.resolve() / "control.sock"
    if len(str(path)) < 100:
        return path
    digest = zlib.crc32(str(state_dir.resolve()).encode())
    return Path("/tmp") / f"netsteward-lab-{os.getuid()}-{digest:08x}.sock"


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


_HOSTNAME = re.compile(r"^ ?(?:sysname|hostname|set hostname) \"?([^\s\"]+)", re.M)
_DESC_SCAN = re.compile(r"^interface (\S.*)$|^ description (.*)$", re.M)
_SHUT_SCAN = re.compile(r"^interface (\S.*)$|^ (shutdown)\s*$|^(\S)", re.M)


class DeviceState:
    """One device: its spec, running configuration (parsed lazily) and saved text."""

    def __init__(self, lab: LabState, spec: DeviceSpec) -> None:
        self.lab = lab
        self.spec = spec
        self.name = spec.name
        self.saved_path = lab.state_dir / "saved" / f"{spec.name}.cfg"
        self.saved_text: str | None = None
        self.saved_at: datetime | None = None
        if self.saved_path.exists():
            self.saved_text = self.saved_path.read_text(encoding="utf-8")
            self.saved_at = datetime.fromtimestamp(self.saved_path.stat().st_mtime)
        self._text: str = self.saved_text if self.saved_text is not None else spec.config
        self._tree: ConfigTree | None = None
        self._descs: dict[str, str] | None = None
        self._shut: frozenset[str] | None = None
        self._ifnames: tuple[str, ...] = ()
        # devices were booted some time before the lab started: stable per device
        self._booted = lab.started - timedelta(
            minutes=zlib.crc32(spec.name.encode()) % (300 * 1440) + 3 * 1440  # 3 to 303 days
        )
        self._hostname: str | None = None
        self._changed_at = lab.started
        self._touched_at: datetime | None = None  # a touch not yet compared with the text
        self._text_at_change: str | None = None  # the running text at `_changed_at`
        self.lag_by_port = {m: lag for lag, members in spec.lags.items() for m in members}

    @property
    def boot_time(self) -> datetime:
        """When the device booted: a stable time before the lab started, unless it rebooted
        (a planted recent reboot or the `reboot` health fault: `apply_boot`)."""
        booted = self.spec.extra.get("health", {}).get("booted_at")
        return datetime.fromisoformat(booted) if booted else self._booted

    @boot_time.setter
    def boot_time(self, when: datetime) -> None:
        """The stable boot time (tests set it; a reboot fault still takes precedence)."""
        self._booted = when

    # running configuration ------------------------------------------------
    @property
    def running(self) -> ConfigTree:
        """The parsed running configuration; editing it is allowed (call `touch`)."""
        if self._tree is None:
            self._tree = ConfigTree.parse(self._text)
        return self._tree

    def running_text(self) -> str:
        return self._text if self._tree is None else self._tree.render()

    def touch(self) -> None:
        """The running configuration may have changed."""
        self._descs = None
        self._shut = None
        self._hostname = None
        if self._text_at_change is None:  # the text before this first touch
            self._text_at_change = self._text
        self._touched_at = datetime.now()

    @property
    def changed_at(self) -> datetime:
        """When the running configuration's text last changed. A session that entered and
        left configuration mode without changing a line does not move it (on a real device
        the "last changed" lines follow the configuration, not the sessions); the text is
        compared when the time is asked for, so a touch costs nothing."""
        if self._touched_at is not None:
            text = self.running_text()
            if text != self._text_at_change:
                self._changed_at, self._text_at_change = self._touched_at, text
            self._touched_at = None
        return self._changed_at

    def save(self) -> None:
        text = self.running_text()
        self.saved_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.saved_path, text)
        self.saved_text = text
        self.saved_at = datetime.now()

    def startup_text(self) -> str:
        return self.saved_text if self.saved_text is not None else self.spec.config

    # context for show commands ----------------------------------------------
    def interface_description(self, port: str) -> str:
        if self._descs is None:
            descs: dict[str, str] = {}
            current = None
            for m in _DESC_SCAN.finditer(self.running_text()):
                if m.group(1) is not None:
                    current = m.group(1).strip()
                elif current is not None:
                    descs[current] = m.group(2).strip()
            self._descs = descs
        return self._descs.get(port, "")

    def shutdown_ports(self) -> frozenset[str]:
        """Interfaces whose section has a `shutdown` line (scanned once per change; the
        interface displays ask for every port)."""
        if self._shut is None:
            self._scan_interfaces()
        assert self._shut is not None
        return self._shut

    def interface_sections(self) -> tuple[str, ...]:
        """The names of the configuration's `interface` sections, in order."""
        if self._shut is None:
            self._scan_interfaces()
        return self._ifnames

    def _scan_interfaces(self) -> None:
        shut: set[str] = set()
        names: list[str] = []
        current = None
        for m in _SHUT_SCAN.finditer(self.running_text()):
            if m.group(1) is not None:
                current = m.group(1).strip()
                names.append(current)
            elif m.group(2) is not None and current is not None:
                shut.add(current)
            else:
                current = None
        self._shut, self._ifnames = frozenset(shut), tuple(names)

    def neighbors(self) -> list[Neighbor]:
        return self.lab.neighbors(self.name)

    def lag_of(self, port: str) -> str | None:
        return self.lag_by_port.get(port)

    @property
    def hostname(self) -> str:
        """The configured sysname / hostname (the prompt), else the inventory name."""
        if self._hostname is None:
            m = _HOSTNAME.search(self.running_text())
            self._hostname = m.group(1) if m else self.name
        return self._hostname

    def link_up(self, port: str) -> bool:
        """A cable is plugged into `port` and its peer is on the network."""
        return self.lab.link_up(self.name, port)


class LabState:
    """All devices, the live cabling, unplugged hosts and faults."""

    def __init__(self, fleet: Fleet, state_dir: Path, base_port: int) -> None:
        self.fleet = fleet
        self.state_dir = state_dir
        self.base_port = base_port
        self.started = datetime.now()
        # shallow copies: what a lab changes in a spec (boot times) stays out of the fleet
        self.specs = {name: copy.copy(spec) for name, spec in fleet.by_name().items()}
        self.devices: dict[str, DeviceState] = {}
        self.faults: dict[str, str] = {}
        self.health_faults: dict[str, dict[str, str]] = {}  # host -> kind -> injected at
        self.unplugged: set[str] = set()
        self.cables: list[Cable] = self._initial_cables()
        self._load_live()
        for host in self.specs:
            self.apply_boot(host)
        self._index: dict[tuple[str, str], Cable] = {}
        self._by_host: dict[str, list[tuple[str, str, str]]] = {}
        self._reindex()

    def device(self, name: str) -> DeviceState:
        dev = self.devices.get(name)
        if dev is None:
            dev = self.devices[name] = DeviceState(self, self.specs[name])
        return dev

    def port_of(self, spec: DeviceSpec) -> int:
        return self.base_port + spec.index - 1

    # persistence -----------------------------------------------------------
    def _initial_cables(self) -> list[Cable]:
        seen: set[Any] = set()
        out: list[Cable] = []
        for cable in [*self.fleet.cables, *self.fleet.declared_links]:
            if cable.key() not in seen:
                seen.add(cable.key())
                out.append(cable)
        return out

    @property
    def live_path(self) -> Path:
        return self.state_dir / "live.json"

    def _load_live(self) -> None:
        if not self.live_path.exists():
            return
        data = json.loads(self.live_path.read_text(encoding="utf-8"))
        if data.get("seed") != self.fleet.seed or data.get("buildings", 1) != self.fleet.buildings:
            return  # state of another fleet: start clean
        self.cables = [Cable(*c) for c in data.get("cables", [])]
        self.unplugged = {h for h in data.get("unplugged", []) if h in self.specs}
        self.faults = {h: k for h, k in data.get("faults", {}).items() if h in self.specs}
        self.health_faults = {
            h: dict(k) for h, k in data.get("health_faults", {}).items() if h in self.specs
        }

    def persist(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        data = {
            "seed": self.fleet.seed,
            "buildings": self.fleet.buildings,
            "cables": [[c.a, c.a_port, c.b, c.b_port] for c in self.cables],
            "unplugged": sorted(self.unplugged),
            "faults": dict(sorted(self.faults.items())),
            "health_faults": dict(sorted(self.health_faults.items())),
        }
        write_atomic(self.live_path, json.dumps(data, indent=1) + "\n")

    # cabling ---------------------------------------------------------------
    def _reindex(self) -> None:
        self._index = {}
        self._by_host = {}
        for cable in self.cables:
            self._index[(cable.a, cable.a_port)] = cable
            self._index[(cable.b, cable.b_port)] = cable
            self._by_host.setdefault(cable.a, []).append((cable.a_port, cable.b, cable.b_port))
            self._by_host.setdefault(cable.b, []).append((cable.b_port, cable.a, cable.a_port))

    def neighbors(self, host: str) -> list[Neighbor]:
        if host in self.unplugged:
            return []
        spec = self.specs[host]
        lldp_ports = {p.name for p in spec.ports if p.lldp}
        out: list[Neighbor] = []
        for local, peer, peer_port in self._by_host.get(host, []):
            if peer in self.unplugged or (spec.ports and local not in lldp_ports):
                continue
            peer_spec = self.specs[peer]
            if peer_spec.ports and not any(p.name == peer_port and p.lldp for p in peer_spec.ports):
                continue
            desc = self.device(peer).interface_description(peer_port)
            out.append(Neighbor(local, peer_spec, peer_port, desc))
        # phones, access points, desk switches: LLDP neighbours the inventory does not have
        for entry in spec.extra.get("endpoints", []):
            if not spec.ports or entry["port"] in lldp_ports:
                out.append(Neighbor(entry["port"], endpoint_spec(entry), entry["peer_port"], ""))
        return sorted(out, key=lambda n: _port_sort_key(n.local_port))

    def link_up(self, host: str, port: str) -> bool:
        if host in self.unplugged:
            return False
        cable = self._index.get((host, port))
        if cable is None:
            return False
        end = cable.other_end(host, port)
        return end is not None and end[0] not in self.unplugged

    def check_port(self, host: str, port: str) -> None:
        if host not in self.specs:
            raise LabInputError(f"{host}: no such device in the lab")
        spec = self.specs[host]
        if spec.ports and port not in {p.name for p in spec.ports}:
            raise LabInputError(f"{host}:{port}: no such port on {host}")

    def relink(self, host: str, port: str, peer: str, peer_port: str) -> Cable:
        """Move the cable plugged into host:port so that it ends at peer:peer_port."""
        self.check_port(host, port)
        self.check_port(peer, peer_port)
        if (host, port) == (peer, peer_port):
            raise LabInputError(f"{host}:{port}: cannot cable a port to itself")
        self.cables = [
            c
            for c in self.cables
            if c.other_end(host, port) is None and c.other_end(peer, peer_port) is None
        ]
        cable = Cable(host, port, peer, peer_port)
        self.cables.append(cable)
        self._reindex()
        self.persist()
        return cable

    def set_unplugged(self, host: str, unplugged: bool) -> None:
        if host not in self.specs:
            raise LabInputError(f"{host}: no such device in the lab")
        if unplugged:
            self.unplugged.add(host)
        else:
            self.unplugged.discard(host)
        self.persist()

    def set_fault(self, host: str, kind: str) -> None:
        if host not in self.specs:
            raise LabInputError(f"{host}: no such device in the lab")
        if kind == "clear":
            self.faults.pop(host, None)
            self.health_faults.pop(host, None)
        elif kind in FAULT_KINDS:
            self.faults[host] = kind
        elif kind in HEALTH_FAULT_KINDS:
            self.health_faults.setdefault(host, {})[kind] = datetime.now().isoformat()
        else:
            raise LabInputError(
                f"{kind}: unknown fault kind (one of {', '.join(FAULT_KINDS)}; health: "
                f"{', '.join(HEALTH_FAULT_KINDS)}; clear)"
            )
        self.apply_boot(host)
        self.persist()

    def apply_boot(self, host: str) -> None:
        """Write the host's reboot time into its spec (`extra["health"]["booted_at"]`), where
        every dialect's uptime reads it: the `reboot` fault's time, a planted recent reboot
        (before the lab started), or nothing (the dialect's own stable boot time)."""
        spec = self.specs[host]
        # copy on write: the fleet may be shared (the tests' one generation per session), and
        # a lab's boot times belong to that lab, not to the generated fleet
        health = dict(spec.extra.get("health", {}))
        spec.extra = {**spec.extra, "health": health}
        fault = self.health_faults.get(host, {}).get("reboot")
        if fault:
            health["booted_at"] = fault
        elif any(p["kind"] == "reboot" for p in health.get("planted", [])):
            health["booted_at"] = (self.started - RECENT_BOOT).isoformat()
        else:
            health.pop("booted_at", None)

    def fault_state(self, host: str) -> dict[str, Any]:
        """What `lab fault` reports: the session fault and the health faults of `host`."""
        return {
            "host": host,
            "fault": self.faults.get(host),
            "health": sorted(self.health_faults.get(host, {})),
        }

    def reachable(self, host: str) -> bool:
        return host not in self.unplugged and self.faults.get(host) != "down"

    # ground truth ----------------------------------------------------------
    def truth(self) -> dict[str, Any]:
        devices = [
            {
                "name": d.name,
                "platform": d.platform,
                "role": d.role,
                "network": d.network,
                "model": d.model,
                "serial": d.serial,
                "version": d.version,
                "port": self.port_of(d),
            }
            for d in sorted(self.fleet.devices, key=lambda d: d.index)
        ]
        lag_of = {
            (d.name, m): lag for d in self.fleet.devices for lag, ms in d.lags.items() for m in ms
        }
        cables = [
            {
                "a": c.a,
                "a_port": c.a_port,
                "b": c.b,
                "b_port": c.b_port,
                "lag_a": lag_of.get((c.a, c.a_port)),
                "lag_b": lag_of.get((c.b, c.b_port)),
            }
            for c in self.cables
        ]
        lags = [
            {"host": d.name, "lag": lag, "members": list(ms)}
            for d in self.fleet.devices
            for lag, ms in d.lags.items()
        ]
        static = self.fleet.truth
        return {
            "seed": self.fleet.seed,
            "base_port": self.base_port,
            "devices": devices,
            "cables": cables,
            "lags": lags,
            "unplugged": sorted(self.unplugged),
            "faults": dict(sorted(self.faults.items())),
            "health_faults": {h: sorted(k) for h, k in sorted(self.health_faults.items())},
            "health_anomalies": list(static.get("health_anomalies", [])),
            "secrets": list(static.get("secrets", [])),
            "port_deviations": list(static.get("port_deviations", [])),
            "firewall_problems": list(static.get("firewall_problems", [])),
            "chinese": static.get("chinese", {"gbk_devices": [], "texts": []}),
            "hardening_deviations": list(static.get("hardening_deviations", [])),
            "endpoints": list(static.get("endpoints", [])),
        }


_NUM = re.compile(r"(\d+)")


def _port_sort_key(name: str) -> tuple[Any, ...]:
    parts = _NUM.split(name)
    return tuple(int(p) if p.isdigit() else p for p in parts)
