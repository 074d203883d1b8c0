"""The read-only jobs' shard replies (topology snapshot, inspection): what a worker returns
travels as JSON and comes back to the coordinator as the very records the local engine
has (readers' warnings included), and a reply that is wrong costs its devices (failed, with
the reason), never loses them.

Records come from real output: the golden LLDP/LAG/version samples through the platform's
readers (`discover_with`), and the corpus health samples through the inspection readers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from netsteward.tasks.core.reading import READERS
from netsteward.tasks.distributed.coordinator import ShardDone
from netsteward.tasks.distributed.read_jobs import (
    inspect_options_from_message,
    inspect_options_message,
    inspect_reply,
    reply_payload,
    topology_reply,
)
from netsteward.tasks.distributed.settings import Shard
from netsteward.tasks.inspect.collect import InspectOptions, read_display, reading_payload
from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.topology.discovery import discover_with, discovery_payload
from netsteward.tasks.topology.model import DeviceDiscovery

TESTS = Path(__file__).resolve().parents[2]
GOLDEN = TESTS / "golden"
sys.path.insert(0, str(TESTS / "unit" / "inspect"))
from test_readers_corpus import READS, SAMPLES, _text  # noqa: E402


def _wire(payload: Any) -> Any:
    """What the result backend hands the coordinator: the payload through JSON."""
    return json.loads(json.dumps(payload))


def _discoveries() -> list[DeviceDiscovery]:
    """Real discoveries: golden outputs through the readers, one with readers' warnings."""
    out = []
    for platform, host in (("huawei_vrp", "A"), ("hp_comware", "B"), ("cisco_ios", "C")):
        reads = load_platform(platform).reads
        answers = {
            reads[p].command: (GOLDEN / platform / f"{p}_lab_access.raw").read_text()
            for p in ("version", "lldp", "lag")
        }
        out.append(discover_with(load_platform(platform), lambda c, a=answers: a.get(c, ""), host))
    partly = (GOLDEN / "huawei_vrp" / "lldp_several_per_port.raw").read_text()
    partly += "  ---- More ----\n"
    out.append(
        discover_with(load_platform("huawei_vrp"), lambda c: partly if "lldp" in c else "", "D")
    )
    return out


def _readings() -> list[DeviceReading]:
    """Real readings: every corpus health sample through its reader, one device per sample."""
    out = []
    for i, raw in enumerate(SAMPLES):
        platform, folder = raw.parts[-3], raw.parts[-2]
        if (platform, folder) not in READS:
            continue
        reader, include = READS[(platform, folder)]
        reading = READERS[reader](_text(raw, include)).about("", folder)
        display = DisplayRead(f"inspect.{folder}", folder, reading.records, reading.warnings)
        out.append(
            DeviceReading(
                f"H{i:03d}", platform, "access", "F01", displays=(display,), read_at="2026-12-07"
            )
        )
    # a device refused a display and another was not reached: both must survive the trip
    refused = read_display(
        load_platform("huawei_vrp"),
        "inspect.ntp",
        "display ntp status",
        "huawei_vrp.ntp",
        "display ntp status\n              ^\nError: Unrecognized command found at '^' position.\n",
    )
    assert refused.warnings, refused
    out.append(DeviceReading("R1", "huawei_vrp", "core", "F02", displays=(refused,)))
    out.append(DeviceReading("R2", "hp_comware", "access", "F02", ok=False, reason="auth [auth]"))
    return out


def test_topology_discoveries_come_back_as_the_local_engine_has_them() -> None:
    found = _discoveries()
    assert any(d.warnings for d in found) and all(d.neighbors for d in found[:3])
    hosts = (*(d.name for d in found), "E")
    payload = reply_payload([discovery_payload(d) for d in found], {"E": "connection refused"})
    got, lost = topology_reply(ShardDone(Shard("base", hosts), _wire(payload)))
    assert [repr(got[d.name]) for d in found] == [repr(d) for d in found]  # types too
    assert lost == {"E": "connection refused"}


def test_inspection_readings_come_back_with_their_facts_and_warnings() -> None:
    readings = _readings()
    assert len(readings) > 80
    assert any(d.warnings for r in readings for d in r.displays)  # a gap travels as a gap
    shard = Shard("base", tuple(r.host for r in readings))
    payload = reply_payload([reading_payload(r) for r in readings], {})
    got, lost = inspect_reply(ShardDone(shard, _wire(payload)))
    assert lost == {}
    assert [repr(got[r.host]) for r in readings] == [repr(r) for r in readings]  # int stays int


def test_a_reply_that_does_not_validate_fails_its_devices_never_loses_them() -> None:
    shard = Shard("base", ("A", "B"))
    good = discovery_payload(_discoveries()[0])
    broken = dict(good, neighbors=[{"no_such_field": 1}])
    for reply in (reply_payload([good, broken], {}), ["not", "an", "object"], "garbage"):
        got, lost = topology_reply(ShardDone(shard, _wire(reply)))
        assert got == {} and set(lost) == {"A", "B"}
        assert all("does not validate" in why for why in lost.values()), lost
    reading = reading_payload(_readings()[0])
    bad = dict(reading, displays=[{"purpose": "inspect.cpu"}])  # no command
    got, lost = inspect_reply(ShardDone(Shard("base", ("H000",)), _wire(reply_payload([bad], {}))))
    assert got == {} and "does not validate" in lost["H000"]


def test_a_host_the_reply_lacks_or_a_shard_without_reply_is_a_failed_device() -> None:
    found = _discoveries()[0]
    shard = Shard("base", (found.name, "Z"))
    extra = DeviceDiscovery("NOT-IN-SHARD")
    payload = reply_payload([discovery_payload(found), discovery_payload(extra)], {})
    got, lost = topology_reply(ShardDone(shard, _wire(payload)))
    assert set(got) == {found.name}
    assert lost == {"Z": "the worker returned no result for this device"}
    why = "no worker consumes queue san (waited 30 s)"
    got, lost = inspect_reply(ShardDone(shard, None, "unreachable", why))
    assert got == {} and lost == {found.name: why, "Z": why}


def test_inspection_options_travel_without_anything_secret() -> None:
    options = InspectOptions(timeout=45.0, retries=1, backoff=0.25)
    message = _wire(inspect_options_message(options, 12))
    assert set(message) == {"timeout", "retries", "backoff", "workers"}
    assert inspect_options_from_message(message) == (options, 12)
