"""A fleet of several buildings (`build_fleet(seed, buildings=N)`, `lab --buildings N`):
building 1 is the default fleet, further buildings are deterministic, distinct copies of
its design, and the inventory routes each building's networks to groups of their own."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from nornir.plugins.inventory.simple import SimpleInventory

from netsteward.lab.fleet.build import build_fleet
from netsteward.lab.fleet.common import mgmt_ip
from netsteward.lab.fleet.inventory import render_hosts, render_site_groups
from netsteward.lab.model import DeviceSpec, Fleet

ROOT = Path(__file__).resolve().parents[2]
PER_BUILDING = 739


@pytest.fixture(scope="module")
def three() -> Fleet:
    return build_fleet(2026, 3)


def building(fleet: Fleet, k: int) -> list[DeviceSpec]:
    return fleet.devices[(k - 1) * PER_BUILDING : k * PER_BUILDING]


def without_index(spec: DeviceSpec) -> dict[str, Any]:
    out = dataclasses.asdict(spec)
    out.pop("index")
    return out


def hosts_of(records: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [r for r in records if str(r["host"]).startswith(prefix)]


def test_building_1_is_the_default_fleet(three: Fleet, lab_fleet: Fleet) -> None:
    assert [dataclasses.asdict(d) for d in building(three, 1)] == [
        dataclasses.asdict(d) for d in lab_fleet.devices
    ]
    ym = {d.name for d in lab_fleet.devices}
    assert [c for c in three.cables if c.a in ym] == lab_fleet.cables
    assert [c for c in three.declared_links if c.a in ym] == lab_fleet.declared_links
    for key, records in lab_fleet.truth.items():
        if key == "chinese":
            assert hosts_of(three.truth[key]["texts"], "YM-") == records["texts"]
            got = [h for h in three.truth[key]["gbk_devices"] if h.startswith("YM-")]
            assert got == records["gbk_devices"]
        else:
            assert hosts_of(three.truth[key], "YM-") == records, key


def test_buildings_are_distinct_copies_of_the_design(three: Fleet, lab_fleet: Fleet) -> None:
    assert len(three.devices) == 3 * PER_BUILDING
    assert [d.index for d in three.devices] == list(range(1, 3 * PER_BUILDING + 1))
    for attr in ("name", "mgmt_ip", "mac", "serial"):
        values = [getattr(d, attr) for d in three.devices]
        assert len(set(values)) == len(values), attr
    models = Counter((d.role, d.platform, d.model) for d in lab_fleet.devices)
    networks = Counter((d.role, d.network) for d in lab_fleet.devices)
    for k, code in ((2, "B02"), (3, "B03")):
        specs = building(three, k)
        assert Counter((d.role, d.platform, d.model) for d in specs) == models
        assert Counter((d.role, d.network) for d in specs) == networks
        assert {d.name.split("-", 1)[0] for d in specs} == {code}
        assert all(d.name in d.config for d in specs)
        other = re.compile(r"\b(?!" + code + r")(YM|B\d\d)-(BASE|EGI|EGE|DEV|SAN)-")
        assert not [d.name for d in specs if other.search(d.config)]  # its own peers only
        bench = ipaddress.ip_network("198.18.0.0/15")
        assert all(ipaddress.ip_address(d.mgmt_ip) in bench for d in specs)
        # the same design, not the same devices: the shuffle and the secrets are its own
        ym = [d.name.removeprefix("YM-") for d in lab_fleet.devices]
        assert [d.name.removeprefix(f"{code}-") for d in specs] == ym
        assert [d.platform for d in specs] != [d.platform for d in lab_fleet.devices]
    names = {d.name: d.name.split("-", 1)[0] for d in three.devices}
    for c in [*three.cables, *three.declared_links]:
        assert names[c.a] == names[c.b], c  # no cable between buildings
    for key in ("secrets", "port_deviations", "firewall_problems", "hardening_deviations"):
        assert {r["host"].split("-", 1)[0] for r in three.truth[key]} == {"YM", "B02", "B03"}
    secrets = {r["value"] for r in hosts_of(three.truth["secrets"], "B02-")}
    assert secrets.isdisjoint(r["value"] for r in hosts_of(three.truth["secrets"], "YM-"))


def test_deterministic_and_independent_of_the_number_of_buildings(three: Fleet) -> None:
    two = build_fleet(2026, 2)
    assert [dataclasses.asdict(d) for d in two.devices] == [
        dataclasses.asdict(d) for d in three.devices[: 2 * PER_BUILDING]
    ]
    assert two.truth["secrets"] == [
        r for r in three.truth["secrets"] if not r["host"].startswith("B03-")
    ]
    # another seed, other buildings (and building k does not depend on the seed of k-1)
    other = build_fleet(7, 2)
    assert [without_index(d) for d in building(other, 2)] != [
        without_index(d) for d in building(two, 2)
    ]


def test_management_addresses_unique_over_all_buildings() -> None:
    addresses = [mgmt_ip(i, b) for b in range(1, 129) for i in range(1, PER_BUILDING + 1)]
    assert len(set(addresses)) == len(addresses)
    assert mgmt_ip(1) == "192.0.2.1" and mgmt_ip(739) == "203.0.113.249"
    assert mgmt_ip(1, 2) == "198.18.0.1" and mgmt_ip(739, 128) == "198.19.251.19"


def test_inventory_groups_per_building_and_network(three: Fleet, tmp_path: Path) -> None:
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text(render_hosts(three, 20001), encoding="utf-8")
    groups = tmp_path / "groups.yaml"
    committed = (ROOT / "inventory" / "groups.yaml").read_text(encoding="utf-8")
    groups.write_text(committed + render_site_groups(three), encoding="utf-8")
    defaults = ROOT / "inventory" / "defaults.yaml"
    inv = SimpleInventory(str(hosts), str(groups), str(defaults)).load()
    assert len(inv.hosts) == 3 * PER_BUILDING
    ports = [h.port for h in inv.hosts.values()]
    assert sorted(ports) == list(range(20001, 20001 + 3 * PER_BUILDING))
    host = inv.hosts["B02-EGI-ACC-001"]
    assert [g.name for g in host.groups][2:] == ["egov_intranet", "b02_egov_intranet"]
    spec = three.by_name()["B02-EGI-ACC-001"]
    assert host.data["site"] == "B02" and host.port == 20000 + spec.index > 20001 + PER_BUILDING
    assert [g.name for g in inv.hosts["YM-SAN-FC-01"].groups][-1] == "ym_san"
    per_group = Counter(g.name for h in inv.hosts.values() for g in h.groups)
    assert per_group["b03_egov_intranet"] == per_group["egov_intranet"] // 3
    assert len(yaml.safe_load(render_site_groups(three))) == 3 * 5


def test_one_building_has_no_building_groups(lab_fleet: Fleet) -> None:
    # (the whole file: test_fleet.py::test_committed_inventory_is_current)
    text = render_hosts(lab_fleet)
    assert "site:" not in text and "ym_base" not in text


def test_an_inventory_whose_ports_leave_the_lab_range_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lab inventory` refuses what `lab start` would refuse (ports beyond 32767): an
    inventory of a lab that cannot start, exit 2 and nothing written."""
    from netsteward.lab.__main__ import main

    out = tmp_path / "hosts.yaml"
    code = main(["inventory", "--base-port", "32500", "--out", str(out)])
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["lab: --base-port 32500: ports 32500-33238 must lie within 1024-32767"]
