"""The inspections kept in the backup repository, and what they say over time.

    <repo>/inspections/YYYY-MM/YYYY-MM-DDTHH-MM-SS.json     one file per run, committed

A run file holds the run's header (one line) and one line per device (`DeviceResult`:
checks, findings, error counters, optic receive power, uptime), so git diffs it device by
device. From them:

- `latest_before(repo, when)`: the previous inspection, which the judge compares with
  (error counters grow, uptimes fall) and `mark` uses for new / cleared findings;
- `rx_history(repo, before, days)`: each optic's receive power over the last weeks (the
  last run of each day), for the judge's trend check;
- `month(repo, "2026-11")`: the month's runs for `inspect report --month`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.store import BackupStore
from netsteward.tasks.inspect.model import CheckResult, DeviceResult, Finding

SUBDIR = "inspections"
VERSION = 1
_STAMP = "%Y-%m-%dT%H-%M-%S"
_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})\.json$")


@dataclass
class Inspection:
    """One run: when, over which devices, and each device's result."""

    started: str  # ISO time
    seconds: float = 0.0
    devices: list[DeviceResult] = field(default_factory=list)
    cleared: list[Finding] = field(default_factory=list)  # in the previous run, gone now
    previous: str = ""  # the previous run's start time, "" for the first

    @property
    def date(self) -> str:
        return self.started[:10]

    def by_host(self) -> dict[str, DeviceResult]:
        return {d.host: d for d in self.devices}


# -- files --------------------------------------------------------------------------------


def run_path(started: str) -> str:
    when = datetime.fromisoformat(started)
    return f"{SUBDIR}/{when:%Y-%m}/{when.strftime(_STAMP)}.json"


def dump(ins: Inspection) -> str:
    head = {
        "version": VERSION,
        "started": ins.started,
        "seconds": ins.seconds,
        "previous": ins.previous,
        "devices": len(ins.devices),
        "cleared": [asdict(f) for f in ins.cleared],
    }
    lines = [json.dumps(head, sort_keys=True, ensure_ascii=False)]
    lines += [
        json.dumps(_device_dict(d), sort_keys=True, ensure_ascii=False)
        for d in sorted(ins.devices, key=lambda d: d.host)
    ]
    return "\n".join(lines) + "\n"


def _device_dict(d: DeviceResult) -> dict[str, Any]:
    out = asdict(d)
    out["checks"] = {k: [v.status, v.value] for k, v in d.checks.items()}
    return out


def _device_of(data: dict[str, Any]) -> DeviceResult:
    checks = {k: CheckResult(v[0], v[1]) for k, v in data.pop("checks", {}).items()}
    findings = [Finding(**f) for f in data.pop("findings", [])]
    return DeviceResult(**data, checks=checks, findings=findings)


def load(text: str, source: str = "") -> Inspection:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    try:
        head = json.loads(lines[0])
        if head.get("version") != VERSION:
            raise ValueError(f"version {head.get('version')!r}")
        devices = [_device_of(json.loads(ln)) for ln in lines[1:]]
        cleared = [Finding(**f) for f in head.get("cleared", [])]
    except (ValueError, IndexError, TypeError, KeyError) as exc:
        raise BadInput(f"not an inspection file ({exc})", file=source or None) from None
    return Inspection(
        head["started"], head.get("seconds", 0.0), devices, cleared, head.get("previous", "")
    )


def list_runs(repo: Path) -> list[Path]:
    """Every run file, oldest first."""
    base = repo / SUBDIR
    if not base.is_dir():
        return []
    return sorted(p for p in base.glob("*/*.json") if _FILE.match(p.name))


def _started(path: Path) -> str:
    m = _FILE.match(path.name)
    assert m is not None
    return datetime.strptime(m[1], _STAMP).isoformat()


def latest_before(repo: Path, started: str) -> Inspection | None:
    """The newest run that started before `started`."""
    earlier = [p for p in list_runs(repo) if _started(p) < started]
    return load(earlier[-1].read_text(encoding="utf-8"), str(earlier[-1])) if earlier else None


def last_of_each_day(paths: list[Path]) -> list[Path]:
    days: dict[str, Path] = {}
    for p in paths:
        days[p.name[:10]] = p  # sorted: the last run of the day wins
    return [days[d] for d in sorted(days)]


def rx_history(
    repo: Path, before: str, days: int = 35
) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """host -> port -> [(day, dBm)] of the last run of each day in the `days` before `before`."""
    start = (datetime.fromisoformat(before) - timedelta(days=days)).isoformat()
    runs = [p for p in list_runs(repo) if start <= _started(p) < before]
    out: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for path in last_of_each_day(runs):
        day = path.name[:10]
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            data = json.loads(line)
            for port, rx in (data.get("optics_rx") or {}).items():
                out.setdefault(data["host"], {}).setdefault(port, []).append((day, float(rx)))
    return out


def month_runs(repo: Path, month: str) -> list[Inspection]:
    """Every run of `month` (YYYY-MM), oldest first."""
    if not re.match(r"^\d{4}-\d{2}$", month):
        raise BadInput(f"expected a month YYYY-MM, got {month!r}", field="--month")
    return [
        load(p.read_text(encoding="utf-8"), str(p))
        for p in list_runs(repo)
        if p.name.startswith(month)
    ]


def save(repo: Path, ins: Inspection, commit: bool = True) -> Path:
    """Write the run's file into the backup repository and commit it (one writer at a time)."""
    rel = run_path(ins.started)
    store = BackupStore.open(repo)
    files = [(rel, dump(ins))]
    if commit:
        found = sum(len(d.findings) for d in ins.devices)
        message = f"inspection {ins.started}: {len(ins.devices)} devices, {found} findings"
        store.commit_files(files, message, datetime.fromisoformat(ins.started).astimezone())
    else:
        with store.writing():
            store.write(files)
    return repo / rel


# -- new / cleared ------------------------------------------------------------------------


def mark(devices: list[DeviceResult], previous: Inspection | None) -> list[Finding]:
    """Mark each finding `new` or `open` against the previous run, and return the previous
    run's findings that are gone (cleared) on devices read this time. A device that could
    not be read now clears nothing: its state is unknown."""
    before = previous.by_host() if previous else {}
    cleared: list[Finding] = []
    for d in devices:
        old = before.get(d.host)
        old_keys = {f.key for f in old.findings} if old else set()
        d.findings = [replace(f, status="open" if f.key in old_keys else "new") for f in d.findings]
        if old is None or not d.reachable:
            continue
        now_keys = {f.key for f in d.findings}
        cleared += [replace(f, status="cleared") for f in old.findings if f.key not in now_keys]
    return cleared
