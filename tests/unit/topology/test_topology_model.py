"""The canonical topology model: building from LLDP, LAG bundling, JSON round trip, diff."""

from __future__ import annotations

import json

import pytest

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.topology.model import (
    DeviceDiscovery,
    InventoryNode,
    build_snapshot,
    diff_snapshots,
    diff_to_dict,
    dump_snapshot,
    load_snapshot,
)
from netsteward.tasks.topology.neighbor import Neighbor

INV = [
    InventoryNode(
        "CORE-01", "huawei_vrp", "core", "base", "huawei", "S12700E-8", "127.0.0.1:10001"
    ),
    InventoryNode(
        "AGG-01", "hp_comware", "aggregation", "base", "h3c", "S6520X", "127.0.0.1:10002"
    ),
    InventoryNode(
        "AGG-02", "hp_comware", "aggregation", "base", "h3c", "S6520X", "127.0.0.1:10003"
    ),
    InventoryNode(
        "ACC-001",
        "huawei_vrp",
        "access",
        "base",
        "huawei",
        "S5735",
        "127.0.0.1:10004",
        uplink_pair="AGG-01",
    ),
    InventoryNode(
        "ACC-002",
        "cisco_ios",
        "access",
        "base",
        "cisco",
        "C2960X",
        "127.0.0.1:10005",
        uplink_pair="AGG-01",
    ),
    InventoryNode(
        "FW-01",
        "fortinet",
        "firewall",
        "base",
        "fortinet",
        "FG600E",
        "127.0.0.1:10006",
        declared_links=(("port2", "CORE-01", "XGigabitEthernet1/0/10"),),
    ),
]
PLATFORM = {n.name: n.platform for n in INV}

# (a, a_port, b, b_port) as the devices print them in their configuration
CABLES = [
    ("AGG-01", "FortyGigE1/0/53", "CORE-01", "40GE2/0/0"),
    ("AGG-02", "FortyGigE1/0/53", "CORE-01", "40GE2/0/1"),
    ("ACC-001", "XGigabitEthernet0/0/1", "AGG-01", "Ten-GigabitEthernet1/0/1"),
    ("ACC-001", "XGigabitEthernet0/0/2", "AGG-02", "Ten-GigabitEthernet1/0/1"),
    ("ACC-002", "TenGigabitEthernet1/0/1", "AGG-01", "Ten-GigabitEthernet1/0/2"),
]
LAGS = {
    "ACC-001": {"Eth-Trunk1": ("XGE0/0/1", "XGE0/0/2")},
    "AGG-01": {"BAGG1": ("XGE1/0/1",)},
    "AGG-02": {"Bridge-Aggregation1": ("Ten-GigabitEthernet1/0/1",)},
}
SHORT = {
    "huawei_vrp": lambda p: p.replace("XGigabitEthernet", "XGE").replace("GigabitEthernet", "GE"),
    "hp_comware": lambda p: p.replace("Ten-GigabitEthernet", "XGE").replace("FortyGigE", "FGE"),
    "cisco_ios": lambda p: p.replace("TenGigabitEthernet", "Te"),
}


def discover(cables=CABLES, hidden: set[str] = frozenset(), unknown=()) -> list[DeviceDiscovery]:
    """LLDP as each device would report it; peers' ports in the peer's short spelling."""
    seen: dict[str, list[Neighbor]] = {n.name: [] for n in INV}
    for a, ap, b, bp in cables:
        for (h, p), (ph, pp) in (((a, ap), (b, bp)), ((b, bp), (a, ap))):
            if h in hidden:
                continue
            seen[h].append(
                Neighbor(
                    p,
                    f"{ph}.example.net",
                    "aaaa-bbbb-cccc",
                    SHORT[PLATFORM[ph]](pp),
                    "",
                    "Interface name",
                )
            )
    for host, port, name in unknown:
        seen[host].append(
            Neighbor(port, name, "0011-2233-4455", "eth0", "", "Interface name", "IP Phone")
        )
    return [
        DeviceDiscovery(name, tuple(nbs), LAGS.get(name, {}), {"serial": f"SN-{name}"})
        for name, nbs in seen.items()
        if name not in hidden
    ]


def test_build_bundles_lags_and_keys_links_by_canonical_ports() -> None:
    snap = build_snapshot(discover(), INV, "2026-01-05")
    keys = set(snap.links)
    assert keys == {
        "AGG-01:FortyGigE1/0/53 -- CORE-01:40GE2/0/0",
        "AGG-02:FortyGigE1/0/53 -- CORE-01:40GE2/0/1",
        "ACC-001:Eth-Trunk1 -- AGG-01:Bridge-Aggregation1",
        "ACC-001:Eth-Trunk1 -- AGG-02:Bridge-Aggregation1",
        "ACC-002:TenGigabitEthernet1/0/1 -- AGG-01:Ten-GigabitEthernet1/0/2",
        "CORE-01:XGigabitEthernet1/0/10 -- FW-01:port2",
    }
    lag = snap.links["ACC-001:Eth-Trunk1 -- AGG-01:Bridge-Aggregation1"]
    assert (lag.kind, lag.members, lag.seen) == (
        "lag",
        (("XGigabitEthernet0/0/1", "Ten-GigabitEthernet1/0/1"),),
        "both",
    )
    assert snap.links["CORE-01:XGigabitEthernet1/0/10 -- FW-01:port2"].seen == "declared"
    assert snap.nodes["ACC-001"].serial == "SN-ACC-001"
    # every cable comes back exactly once
    cables = {c for lk in snap.links.values() if lk.seen != "declared" for c in lk.cables()}
    assert cables == {
        tuple(sorted([(a, _canon(a, ap)), (b, _canon(b, bp))])) for a, ap, b, bp in CABLES
    }


def _canon(host: str, port: str) -> str:
    from netsteward.tasks.core.ifnames import canonical_name

    return canonical_name(PLATFORM[host], port)


def test_one_sided_links_and_unknown_stubs() -> None:
    snap = build_snapshot(
        discover(hidden=set(), unknown=[("ACC-002", "Gi1/0/7", "SEP00112233")]), INV, "d"
    )
    stub = snap.nodes["SEP00112233"]
    assert (stub.kind, stub.chassis_id, stub.description) == (
        "unknown",
        "0011-2233-4455",
        "IP Phone",
    )
    link = snap.links["ACC-002:GigabitEthernet1/0/7 -- SEP00112233:Ethernet0"]
    assert link.seen == "one-sided"


def test_unreachable_device_is_left_out_with_its_links() -> None:
    snap = build_snapshot(discover(hidden={"FW-01"}), INV, "d", unreachable=["FW-01"])
    assert "FW-01" not in snap.nodes
    assert not snap.links_of("FW-01")
    assert snap.unreachable == ("FW-01",)


def test_json_is_sorted_stable_and_round_trips() -> None:
    snap = build_snapshot(discover(), INV, "2026-01-05")
    text = dump_snapshot(snap)
    again = build_snapshot(list(reversed(discover())), list(reversed(INV)), "2026-01-05")
    assert dump_snapshot(again) == text
    assert load_snapshot(text) == snap
    assert json.loads(text)["links"] == sorted(json.loads(text)["links"], key=lambda x: x["key"])


def test_no_change_is_an_empty_diff() -> None:
    a = build_snapshot(discover(), INV, "2026-01-05")
    b = build_snapshot(discover(), INV, "2026-02-05")
    d = diff_snapshots(a, b)
    assert not d.changed
    assert diff_to_dict(d)["changed_links"] == []


def test_recabled_port_is_one_changed_link() -> None:
    a = build_snapshot(discover(), INV, "1")
    moved = [
        c
        if c[0] != "ACC-002"
        else ("ACC-002", "TenGigabitEthernet1/0/1", "AGG-01", "Ten-GigabitEthernet1/0/9")
        for c in CABLES
    ]
    d = diff_snapshots(a, build_snapshot(discover(moved), INV, "2"))
    assert (d.added_links, d.removed_links, d.added_nodes, d.removed_nodes) == ((), (), (), ())
    (change,) = d.changed_links
    assert change.old.b_port == "Ten-GigabitEthernet1/0/2"
    assert change.new.b_port == "Ten-GigabitEthernet1/0/9"
    assert change.reasons == ("port moved",)


def test_lag_membership_change() -> None:
    a = build_snapshot(discover(), INV, "1")
    extra = [*CABLES, ("AGG-01", "Ten-GigabitEthernet1/0/3", "CORE-01", "XGigabitEthernet1/0/3")]
    lags = dict(LAGS)
    try:
        LAGS["AGG-01"] = {"BAGG1": ("XGE1/0/1",), "BAGG2": ("XGE1/0/3",)}
        LAGS["CORE-01"] = {"Eth-Trunk5": ("XGE1/0/3",)}
        b = build_snapshot(discover(extra), INV, "2")
    finally:
        LAGS.clear()
        LAGS.update(lags)
    d = diff_snapshots(a, b)
    assert [lk.key for lk in d.added_links] == ["AGG-01:Bridge-Aggregation2 -- CORE-01:Eth-Trunk5"]
    assert not d.changed_links


def test_unplugged_device_removes_node_and_its_links_only() -> None:
    a = build_snapshot(discover(), INV, "1")
    gone = [c for c in CABLES if "ACC-002" not in (c[0], c[2])]
    b = build_snapshot(discover(gone, hidden={"ACC-002"}), INV, "2", unreachable=["ACC-002"])
    d = diff_snapshots(a, b)
    assert [n.name for n in d.removed_nodes] == ["ACC-002"]
    assert [lk.key for lk in d.removed_links] == [
        "ACC-002:TenGigabitEthernet1/0/1 -- AGG-01:Ten-GigabitEthernet1/0/2"
    ]
    assert not (d.added_links or d.changed_links or d.added_nodes)


def test_replaced_device_is_a_changed_node() -> None:
    a = build_snapshot(discover(), INV, "1")
    inv2 = [
        n if n.name != "ACC-002" else InventoryNode(**{**n.__dict__, "model": "C9200L"})
        for n in INV
    ]
    d = diff_snapshots(a, build_snapshot(discover(), inv2, "2"))
    (c,) = d.changed_nodes
    assert (c.new.name, c.fields) == ("ACC-002", ("model",))


@pytest.mark.parametrize("text", ["{not json", '{"format": 99}', '{"format": 1, "nodes": []}'])
def test_bad_snapshot_is_bad_input(text: str) -> None:
    with pytest.raises(BadInput):
        load_snapshot(text)


def test_unreadable_device_still_seen_by_neighbours_is_not_removed() -> None:
    a = build_snapshot(discover(), INV, "1")
    # ACC-001 refuses our log-in (auth fault) but is up: its neighbours still see it
    found = [d for d in discover() if d.name != "ACC-001"]
    b = build_snapshot(found, INV, "2", unreachable=["ACC-001"])
    assert "ACC-001" in b.nodes and b.unreachable == ("ACC-001",)
    assert {lk.seen for lk in b.links_of("ACC-001")} == {"one-sided"}
    d = diff_snapshots(a, b)
    assert not d.changed, d
