"""A device's health as its displays print it: CPU, memory, sensors, fans, power supplies,
optics, error counters, boot time, saved state, NTP and sessions.

`health(device)` derives everything at display time from three things:
- stable per-device values (a hash of the name: every device differs, and the same device
  prints the same figures every time, apart from a little movement with the clock where
  real devices move too: CPU load, temperatures);
- the anomaly planted by the fleet (`DeviceSpec.extra["health"]["planted"]`,
  `netsteward.lab.fleet.health`);
- the health faults injected on the running lab (`lab fault HOST fan` ...,
  `LabState.health_faults`: kind -> when it was injected); `clear` removes them and the
  device is back to its planted state.

Healthy values stay well inside the thresholds the dialects print and the inspection
policy uses (CPU under 40 %, memory under 60 %, boards under 50 C, optics -1.5 to
-5 dBm), so that an inspection of the lab finds exactly the planted anomalies.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.state import DeviceState

# the building's NTP server: the security devices' generated configurations carry no NTP
# lines yet, and their NTP displays show them synchronised to it (unless the ntp anomaly)
NTP_SERVER = "192.0.2.241"
# growth of a CRC counter on a port with a bad cable (per second since it went bad)
CRC_RATE = 7.0
RECENT_BOOT = timedelta(hours=2, minutes=17)  # planted reboot: booted before the lab started


@functools.lru_cache(maxsize=1 << 16)
def _num(*parts: object, modulo: int) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") % modulo


@dataclass(frozen=True)
class Optic:
    port: str
    temperature: float  # C
    voltage: float  # V
    bias: float  # mA
    tx_dbm: float
    rx_dbm: float
    # the module's thresholds (dBm, C): (low alarm, high alarm, low warning, high warning)
    rx_limits: tuple[float, float, float, float] = (-14.4, 0.5, -12.0, -1.0)
    tx_limits: tuple[float, float, float, float] = (-8.2, 0.5, -7.3, -1.0)
    temp_limits: tuple[float, float, float, float] = (-5.0, 75.0, 0.0, 70.0)

    @property
    def rx_uw(self) -> float:
        return round(10 ** (self.rx_dbm / 10) * 1000, 1)

    @property
    def tx_uw(self) -> float:
        return round(10 ** (self.tx_dbm / 10) * 1000, 1)


@dataclass(frozen=True)
class Sensor:
    name: str
    value: int
    warning: int  # minor / yellow threshold
    alarm: int  # major / red threshold
    critical: int  # fatal / shutdown threshold


class Health:
    """The health of one device at `now` (see the module docstring)."""

    def __init__(self, device: DeviceState, now: datetime) -> None:
        self.device = device
        self.spec = device.spec
        self.now = now
        h = self.spec.extra.get("health", {})
        # kind -> detail (port) of the anomalies the fleet planted on this device
        self.planted: dict[str, str] = {
            p["kind"]: p.get("detail", "") for p in h.get("planted", [])
        }
        self.faults: dict[str, str] = dict(device.lab.health_faults.get(device.name, {}))
        self.optical_ports: list[str] = list(h.get("optics", []))
        self.error_ports: list[str] = list(h.get("error_ports", []))

    # -- which anomalies are on -------------------------------------------------
    def has(self, kind: str) -> bool:
        return kind in self.planted or kind in self.faults

    def since(self, kind: str) -> datetime:
        """When `kind` went wrong: its fault's injection time, else the lab's start."""
        at = self.faults.get(kind)
        if at:
            return datetime.fromisoformat(at)
        return self.device.lab.started

    def _seed(self, *parts: object, modulo: int) -> int:
        return _num(self.spec.name, *parts, modulo=modulo)

    def _wobble(self, what: str, span: int) -> int:
        """A small movement with the clock (0..span-1), different per device."""
        minute = self.now.hour * 60 + self.now.minute
        return int((math.sin(minute / 7 + self._seed(what, modulo=100)) + 1) / 2 * span)

    # -- CPU and memory --------------------------------------------------------
    def cpu(self) -> tuple[int, int, int]:
        """(five seconds, one minute, five minutes) in percent."""
        if self.has("cpu"):
            return 97, 95, 93
        base = 6 + self._seed("cpu", modulo=18)
        return base + self._wobble("cpu5s", 8), base + self._wobble("cpu1m", 4), base + 1

    def memory_percent(self) -> int:
        if self.has("memory"):
            return 94
        return 28 + self._seed("mem", modulo=25)

    # -- environment ------------------------------------------------------------
    def temperatures(self, count: int = 2) -> list[Sensor]:
        """Board sensors with the device's own thresholds (minor, major, fatal)."""
        out = []
        for i in range(count):
            value = 31 + self._seed("temp", i, modulo=12) + self._wobble(f"t{i}", 3)
            if i == 0 and self.has("temperature"):
                value = 81
            out.append(Sensor(f"{i}", value, 68, 76, 83))
        return out

    def fans(self, count: int = 2) -> list[tuple[str, bool]]:
        """(fan name, working) — the first fan fails with the `fan` anomaly."""
        return [(str(i + 1), not (i == 0 and self.has("fan"))) for i in range(count)]

    def fan_speed(self, index: int) -> int:
        return 0 if index == 0 and self.has("fan") else 40 + self._seed("fan", index, modulo=12)

    def psus(self, count: int = 2) -> list[tuple[str, str]]:
        """(supply name, state): state `ok`, `absent` (pulled) or `failed` (no input)."""
        out = []
        for i in range(count):
            state = "ok"
            if i == count - 1 and self.has("psu"):
                state = "failed" if self._seed("psu", modulo=2) else "absent"
            out.append((str(i + 1), state))
        return out

    # -- optics and counters ---------------------------------------------------
    def optic(self, port: str) -> Optic:
        rx = -1.8 - self._seed("rx", port, modulo=300) / 100
        tx = -2.0 - self._seed("tx", port, modulo=150) / 100
        planted = self.planted.get("optic")
        if (planted and port == planted) or (
            "optic" in self.faults and not planted and self.optical_ports[:1] == [port]
        ):
            rx = -17.9
        return Optic(
            port=port,
            temperature=30.0 + self._seed("otemp", port, modulo=120) / 10,
            voltage=3.25 + self._seed("volt", port, modulo=8) / 100,
            bias=5.5 + self._seed("bias", port, modulo=300) / 100,
            tx_dbm=round(tx, 2),
            rx_dbm=round(rx, 2),
        )

    def optics(self) -> list[Optic]:
        return [self.optic(p) for p in self.optical_ports]

    def crc_port(self) -> str | None:
        """The port whose CRC errors grow (planted, or the first error port for a fault)."""
        if self.planted.get("crc"):
            return self.planted["crc"]
        if "crc" in self.faults and self.error_ports:
            return self.error_ports[0]
        return None

    def errors(self, port: str) -> tuple[int, int]:
        """(input errors, CRC errors) of a port: a few old errors on some ports, constant;
        the CRC port's grow with the time since the problem began."""
        old = self._seed("crc", port, modulo=40)
        crc = old if old < 6 else 0
        if port == self.crc_port():
            crc += 1 + int((self.now - self.since("crc")).total_seconds() * CRC_RATE)
        return crc + self._seed("inerr", port, modulo=2) * (1 if crc else 0), crc

    # -- uptime, saved configuration, NTP ---------------------------------------
    def reboot_reason(self) -> str:
        return "power failure" if self.has("reboot") else "user reboot"

    def changed_at(self) -> datetime:
        """When the running configuration last changed (a fault counts as a change).

        The `unsaved` fault is a change after the last save that the displays show: they
        print whole seconds, so it is at least a second after the save (a fault injected in
        the second the lab started, or a save made, would otherwise print the same time as
        the save and read as saved)."""
        at = self.device.changed_at
        if "unsaved" in self.faults:
            at = max(at, self.since("unsaved"))
            if self._unsaved_by_anomaly():
                at = max(at, self.saved_at() + timedelta(seconds=1))
        return at

    def saved_at(self) -> datetime:
        """When the configuration was last saved: a real `save`, else at the lab's start
        (a planted unsaved device: three days before its last change)."""
        if self.device.saved_at is not None:
            return self.device.saved_at
        started = self.device.lab.started
        return started - timedelta(days=3) if "unsaved" in self.planted else started

    def unsaved(self) -> bool:
        return self.changed_at() > self.saved_at()

    def _unsaved_by_anomaly(self) -> bool:
        """Unsaved by the planted anomaly (no real save since the lab started) or by the
        fault (injected after the last real save). Not the change time: a session may
        touch the running configuration without changing its text."""
        saved_at = self.device.saved_at
        if "unsaved" in self.faults:
            return saved_at is None or self.since("unsaved") > saved_at
        return "unsaved" in self.planted and saved_at is None

    def saved_config(self, saved: str, running: str) -> str:
        """The saved configuration as the device prints it (`display saved-configuration`,
        `show startup-config`): the text of the last save. A device unsaved by the fleet or
        by the `unsaved` fault has no real edit behind it, so its saved text is an older
        one: the first interface description missing (added after the last save), as on a
        device where someone described a port and did not save."""
        if saved != running or not self._unsaved_by_anomaly():
            return saved
        lines = saved.split("\n")
        at = next((i for i, ln in enumerate(lines) if ln.startswith(" description ")), None)
        if at is None:  # no description: the last indented line instead
            at = max((i for i, ln in enumerate(lines) if ln.startswith(" ")), default=None)
        return saved if at is None else "\n".join(lines[:at] + lines[at + 1 :])

    def ntp_synced(self) -> bool:
        return not self.has("ntp")

    # -- firewalls ----------------------------------------------------------------
    def sessions(self, capacity: int) -> int:
        if self.has("sessions"):
            return int(capacity * 0.96) + self._seed("sess", modulo=1000)
        return capacity // 20 + self._seed("sess", modulo=capacity // 10)


def health(device: DeviceState, now: datetime) -> Health:
    return Health(device, now)
