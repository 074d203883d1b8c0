"""The lab's health displays, offline (no sockets):

1. every display the inspection reads (`tasks/platforms/*.yaml`, `inspect.*`) is read by
   the same registered reader as real output, on a device of every platform and role, with
   every line understood and something read;
2. where the corpus has a real sample of the display and ntc-templates a template, the
   lab's output parses with the template into the same fields the real sample fills
   (tests/corpus/, from ntc-templates; tests/NOTICE);
3. the planted anomalies show in the displays, and each health fault of `lab fault HOST
   KIND` changes what the displays say until `clear` restores them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from ntc_templates.parse import parse_output

from netsteward.lab.fleet.health import PLATFORM_KINDS
from netsteward.tasks.core.reading import READERS
from netsteward.tasks.inspect import readers as _readers  # noqa: F401  (registration)
from netsteward.tasks.platforms import load_platform

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ENABLE = {"cisco_ios": ("enable",), "cisco_asa": ("enable",)}
FIREWALL_ONLY = ("inspect.sessions", "inspect.ha")


def _devices(offline_lab: Any) -> list[tuple[str, str, str]]:
    """(host, platform, role): the first device of every platform and role."""
    seen: dict[tuple[str, str], str] = {}
    for d in offline_lab.state.fleet.devices:
        seen.setdefault((d.platform, d.role), d.name)
    return [(h, p, r) for (p, r), h in sorted(seen.items())]


def _read(offline_lab: Any, host: str, purpose: str) -> tuple[str, Any]:
    platform = load_platform(offline_lab.state.specs[host].platform)
    read = platform.reads[purpose]
    text = offline_lab.run(host, read.command, ENABLE.get(platform.name, ()))
    if read.compare is None:
        return text, READERS[read.reader](text)
    # the running configuration against the saved one: the reader gets both outputs
    other = offline_lab.run(host, read.compare, ENABLE.get(platform.name, ()))
    compare: Callable[[str, str], Any] = READERS[read.reader]
    return text, compare(text, other)


def test_every_health_display_reads_clean_on_every_platform_and_role(offline_lab: Any) -> None:
    checked = 0
    for host, platform, role in _devices(offline_lab):
        for purpose in load_platform(platform).reads:
            if not purpose.startswith("inspect.") or (
                purpose in FIREWALL_ONLY and role != "firewall"
            ):
                continue
            text, reading = _read(offline_lab, host, purpose)
            assert not reading.warnings, (host, purpose, [str(w) for w in reading.warnings], text)
            if purpose != "inspect.optics" or role not in ("firewall", "ips"):
                assert reading.records, (host, purpose, text)
            checked += 1
    assert checked > 60


# (platform, corpus folder) -> the line the inspection (or the template's name) types
TEMPLATED = {
    ("huawei_vrp", "display_device"): "display device",
    ("huawei_vrp", "display_temperature"): "display temperature",
    ("huawei_vrp", "display_ntp_status"): "display ntp status",
    ("huawei_vrp", "dir"): "dir",
    ("huawei_vrp", "display_interface_brief"): "display interface brief",
    ("hp_comware", "display_counters_bound_interface"): "display counters inbound interface",
    ("cisco_ios", "show_processes_memory_sorted"): "show processes memory sorted",
    ("cisco_ios", "show_environment_temperature"): "show environment temperature",
    ("cisco_ios", "show_environment_power_all"): "show environment power all",
    ("cisco_ios", "show_interface_transceiver"): "show interfaces transceiver",
    ("cisco_ios", "show_logging"): "show logging",
    ("cisco_asa", "dir"): "dir",
}


@pytest.mark.parametrize(("platform", "folder"), sorted(TEMPLATED), ids=lambda v: str(v))
def test_lab_health_display_parses_like_the_real_sample(
    offline_lab: Any, platform: str, folder: str
) -> None:
    host = offline_lab.first(platform, "firewall" if platform == "cisco_asa" else "access")
    line = TEMPLATED[(platform, folder)]
    text = offline_lab.run(host, line, ENABLE.get(platform, ()))
    # the template index spells it `show interface transceiver`; IOS takes both
    command = line.replace("interfaces transceiver", "interface transceiver")
    records = parse_output(platform=platform, command=command, data=text)
    assert records, text
    sample = yaml.safe_load(
        sorted((CORPUS / platform / folder).glob("*.yml"))[0].read_text(encoding="utf-8")
    )
    real = sample["parsed_sample"]
    assert set(records[0]) == set(real[0])
    filled_real = set.intersection(
        *({k for k, v in r.items() if v not in ("", [], None)} for r in real)
    )
    filled_lab = {k for r in records for k, v in r.items() if v not in ("", [], None)}
    assert filled_real <= filled_lab, (filled_real - filled_lab, text)


def _facts(offline_lab: Any, host: str) -> list[Any]:
    spec = offline_lab.state.specs[host]
    out = []
    for purpose in load_platform(spec.platform).reads:
        if purpose.startswith("inspect.") and not (
            purpose in FIREWALL_ONLY and spec.role != "firewall"
        ):
            out += list(_read(offline_lab, host, purpose)[1].records)
    return out


def _bad(facts: list[Any], check: str) -> list[Any]:
    """Facts of `check` that the device itself marks bad (state) — enough to see the change."""
    return [
        f
        for f in facts
        if f.check == check and f.state in ("failed", "absent", "critical", "alarm")
    ]


@pytest.mark.parametrize(
    ("platform", "kind"),
    [
        (platform, kind)
        for platform in ("huawei_vrp", "hp_comware", "cisco_ios", "cisco_asa", "fortinet")
        for kind in ("fan", "psu", "ntp", "alarm", "unsaved")
        if kind in PLATFORM_KINDS[platform]  # what the platform's displays show
    ],
)
def test_health_fault_shows_and_clear_restores(offline_lab: Any, platform: str, kind: str) -> None:
    state = offline_lab.state
    host = next(  # a device without this anomaly planted
        d.name
        for d in state.fleet.devices
        if d.platform == platform
        and kind not in {p["kind"] for p in d.extra.get("health", {}).get("planted", [])}
    )
    check = {
        "fan": "fan",
        "psu": "power",
        "ntp": "ntp",
        "alarm": "alarms",
        "unsaved": "config_saved",
    }[kind]
    assert not _bad(_facts(offline_lab, host), check)
    state.set_fault(host, kind)
    try:
        assert _bad(_facts(offline_lab, host), check)
    finally:
        state.set_fault(host, "clear")
    assert not _bad(_facts(offline_lab, host), check)


def test_planted_anomalies_are_in_the_truth_on_every_platform(offline_lab: Any) -> None:
    truth = offline_lab.state.truth()["health_anomalies"]
    assert {t["platform"] for t in truth} == set(PLATFORM_KINDS)
    for platform, kinds in PLATFORM_KINDS.items():
        assert {t["kind"] for t in truth if t["platform"] == platform} == set(kinds), platform
