"""The realism tests' own helpers (tests/lab/labtest.py): `running_config` leaves out
exactly the lines that change by themselves, and `configured` always undoes and
notices what its undo lines leave behind."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

import pytest
from labtest import RUNNING_CONFIG, configure, configured, running_config

PLATFORM = "huawei_vrp"


# per platform: lines that add something to the running configuration, lines that undo them
CHANGE = {
    "huawei_vrp": (
        ("system-view", "ip vpn-instance ZZ"),
        ("system-view", "undo ip vpn-instance ZZ"),
    ),
    "hp_comware": (
        ("system-view", "ip vpn-instance ZZ"),
        ("system-view", "undo ip vpn-instance ZZ"),
    ),
    "cisco_ios": (
        ("configure terminal", "ip access-list standard ZZ", "end"),
        ("configure terminal", "no ip access-list standard ZZ", "end"),
    ),
    "cisco_asa": (
        ("configure terminal", "name 10.9.9.9 ZZ", "end"),
        ("configure terminal", "no name 10.9.9.9 ZZ", "end"),
    ),
    "hillstone_stoneos": (
        ("configure", "address ZZ", "ip 10.9.9.9/32", "exit", "end"),
        ("configure", "no address ZZ", "end"),
    ),
    "fortinet": (
        ("config router route-map", 'edit "ZZ"', "next", "end"),
        ("config router route-map", 'delete "ZZ"', "end"),
    ),
}


def one_of_each(offline_lab) -> list[str]:
    """A device of each platform and role that `running_config` knows."""
    seen: dict[tuple[str, str], str] = {}
    for d in offline_lab.state.fleet.devices:
        if d.platform in RUNNING_CONFIG:
            seen.setdefault((d.platform, d.role), d.name)
    return list(seen.values())


class TwoSecondsLater(datetime):
    """The lab's clock two seconds on (the devices' clock and change-time lines move)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> TwoSecondsLater:
        later = datetime.now(tz) + timedelta(seconds=2)
        return cls.fromtimestamp(later.timestamp(), tz)


def test_running_config_leaves_out_only_what_changes_by_itself(
    offline_lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change and its undo two seconds later leave the raw configuration with other clock
    and change-time lines (and a stray `#` on VRP/Comware), `running_config` the same."""
    hosts = one_of_each(offline_lab)
    assert {offline_lab.state.specs[h].platform for h in hosts} == set(RUNNING_CONFIG)
    command = {h: RUNNING_CONFIG[offline_lab.state.specs[h].platform] for h in hosts}
    raw = {h: offline_lab.run(h, command[h]) for h in hosts}
    kept = {h: running_config(offline_lab, h) for h in hosts}
    for module in ("session", "state"):
        monkeypatch.setattr(f"netsteward.lab.engine.{module}.datetime", TwoSecondsLater)
    for h in hosts:
        add, remove = CHANGE[offline_lab.state.specs[h].platform]
        configure(offline_lab, h, add)
        assert running_config(offline_lab, h) != kept[h], h  # the change shows
        configure(offline_lab, h, remove)
    assert {h: running_config(offline_lab, h) for h in hosts} == kept
    changed = {h for h in hosts if offline_lab.run(h, command[h]) != raw[h]}
    ios = [h for h in hosts if offline_lab.state.specs[h].platform == "cisco_ios"]
    assert set(ios) <= changed  # `ntp clock-period` moves with the clock


def test_configured_undoes_after_an_error_and_lets_it_through(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "router")
    before = running_config(offline_lab, host)
    add, remove = CHANGE[PLATFORM]
    with pytest.raises(ZeroDivisionError), configured(offline_lab, [(host, add, remove)]):
        assert "ip vpn-instance ZZ" in offline_lab.run(host, "display current-configuration")
        _ = 1 / 0
    assert running_config(offline_lab, host) == before


def test_configured_fails_when_the_undo_leaves_something_behind(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "router")
    before = running_config(offline_lab, host)
    add, remove = CHANGE[PLATFORM]
    try:
        with (
            pytest.raises(AssertionError),
            configured(offline_lab, [(host, add, ("system-view",))]),
        ):
            pass
    finally:
        configure(offline_lab, host, remove)
    assert running_config(offline_lab, host) == before
