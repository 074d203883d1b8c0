"""Neighbours the way real networks show them (issue 11, item 3), and why two readers use our
own templates instead of ntc-templates' (item 2). Samples: tests/corpus and tests/golden (see
tests/NOTICE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from netsteward.tasks.core.reading import get_reader, read_purpose
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.topology.lldp import combine_cdp, fill_local_interfaces, read_neighbors
from netsteward.tasks.topology.model import DeviceDiscovery, InventoryNode, build_snapshot
from netsteward.tasks.topology.neighbor import Neighbor, capability_set, peer_node

TESTS = Path(__file__).resolve().parents[2]
GOLDEN = TESTS / "golden"
NTC = TESTS / "corpus" / "ntc-templates"


def _golden(platform: str, stem: str) -> str:
    return (GOLDEN / platform / f"{stem}.raw").read_text()


# -- why our own templates -------------------------------------------------------------------


def test_ntc_huawei_template_runs_neighbours_of_one_port_together() -> None:
    """Real VRP output (ntc-templates' own sample) with a second neighbour under the same port,
    and neighbours on an Eth-Trunk and a MEth port: ntc's template ends a neighbour only at a
    header naming a GigabitEthernet/GE port, so four neighbours become fewer records."""
    text = _golden("huawei_vrp", "lldp_several_per_port")
    theirs = parse_output(platform="huawei_vrp", command="display lldp neighbor", data=text)
    ours = read_purpose("huawei_vrp", "lldp", text)
    assert len(theirs) < 4
    assert [(n.local_interface, n.neighbor_name) for n in ours.records] == [
        ("XGigabitEthernet0/0/1", "ROUTER2"),
        ("XGigabitEthernet0/0/1", "ROUTER3"),
        ("Eth-Trunk1", "ROUTER4"),
        ("MEth0/0/1", "ROUTER5"),
    ]
    assert ours.complete


def test_ntc_comware_template_drops_capabilities_and_descriptions() -> None:
    """On ntc-templates' own Comware sample: their template has no field for the system
    capabilities or description (what tells a phone or an AP from a switch); ours keeps them."""
    raw = NTC / "hp_comware/display_lldp_neighbor-information_verbose"
    text = (raw / "hp_comware_display_lldp_neighbor-information_verbose.raw").read_text()
    theirs = parse_output(
        platform="hp_comware", command="display lldp neighbor-information verbose", data=text
    )
    assert "capabilities" not in theirs[0] and "neighbor_description" not in theirs[0]
    ours = read_purpose("hp_comware", "lldp", text).records
    assert ours[0].capabilities == "Bridge, Router"
    assert ours[0].capabilities_supported == "Bridge, Router"
    assert ours[0].system_description.startswith("H3C Comware software")
    assert (ours[0].chassis_id_type, ours[0].port_id_type) == ("MAC address", "Interface name")


def test_ntc_comware_template_drops_the_second_neighbour_of_a_port() -> None:
    raw = NTC / "hp_comware/display_lldp_neighbor-information_verbose"
    text = (raw / "hp_comware_display_lldp_neighbor-information_verbose.raw").read_text()
    block = text.split("\nLLDP neighbor-information of port 2")[0]
    lines = block.splitlines()
    second = "\n".join(lines[2:]).replace("LLDP neighbor index : 1", "LLDP neighbor index : 2")
    two = block + "\n" + second.replace("SW1", "SW9").replace("70f9-6d6b-1234", "70f9-6d6b-9999")
    theirs = parse_output(
        platform="hp_comware", command="display lldp neighbor-information verbose", data=two
    )
    ours = read_purpose("hp_comware", "lldp", two)
    assert len(theirs) == 1
    assert [n.neighbor_name for n in ours.records] == ["SW1", "SW9"]
    assert {n.local_interface for n in ours.records} == {"Ten-GigabitEthernet1/0/0/1"}


# -- the classes of issue 11 ---------------------------------------------------------------


def test_a_chassis_id_with_spaces_starts_a_neighbour_of_its_own() -> None:
    reading = read_purpose("cisco_ios", "lldp", _golden("cisco_ios", "lldp_chassis_id_with_spaces"))
    assert [(n.local_interface, n.chassis_id, n.mgmt_address) for n in reading.records] == [
        ("Gi1/0/5", "PLC Line 3 CPU 1516", "10.41.3.21"),
        ("Gi1/0/6", "PLC Line 4 CPU 1516", "10.41.4.21"),
        ("Te1/1/1", "7c25.86c9.aaaa", "10.40.0.3"),
    ]
    assert reading.complete


def test_detail_without_local_intf_takes_the_local_port_from_the_brief_table() -> None:
    """A real detail output without `Local Intf:` lines (ntc-templates' NX-OS neighbours seen
    from IOS), and the brief table that lists the same neighbours in the same order."""
    detail = (
        NTC / "cisco_ios/show_lldp_neighbors_detail/cisco_ios_show_lldp_neighbors_detail2.raw"
    ).read_text()
    read = get_reader("cisco_ios.lldp")(detail)
    assert read.records and not any(n.local_interface for n in read.records)
    # IOS shows the chassis ID where a neighbour advertises no system name
    brief_rows = "\n".join(
        f"{(n.neighbor_name or n.chassis_id)[:20]:<20}Gi1/0/{i + 1:<10}120        B,R"
        f"             {n.neighbor_port_id}"
        for i, n in enumerate(read.records)
    )
    brief = (
        "Capability codes:\n    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device\n"
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other\n\n"
        "Device ID           Local Intf     Hold-time  Capability      Port ID\n"
        f"{brief_rows}\n\nTotal entries displayed: {len(read.records)}\n"
    )
    answers = {
        "show lldp neighbors detail": detail,
        "show lldp neighbors": brief,
        "show cdp neighbors detail": "% CDP is not enabled\n",
    }
    found = read_neighbors(load_platform("cisco_ios"), answers.__getitem__, "SW1")
    assert [n.local_interface for n in found.records] == [
        f"Gi1/0/{i + 1}" for i in range(len(read.records))
    ]
    assert found.complete


def test_a_neighbour_the_brief_table_does_not_confirm_is_reported() -> None:
    detail = get_reader("cisco_ios.lldp")(
        (
            NTC / "cisco_ios/show_lldp_neighbors_detail/cisco_ios_show_lldp_neighbors_detail2.raw"
        ).read_text()
    )
    brief = get_reader("cisco_ios.lldp_brief")("")
    filled = fill_local_interfaces(detail, brief)
    assert len(filled.warnings) == len(detail.records)
    assert {w.kind for w in filled.warnings} == {"partial"}


@pytest.mark.parametrize(
    ("platform", "stem"),
    [
        ("cisco_ios", "lldp_given_cdp_table"),  # the CDP table where LLDP detail is expected
        ("hp_comware", "lldp_given_list_layout"),  # Comware's list where the verbose is expected
        ("cisco_ios", "cdp_given_lldp_detail"),  # LLDP detail where CDP detail is expected
    ],
)
def test_output_in_another_layout_is_not_a_silent_empty_list(platform: str, stem: str) -> None:
    purpose = stem.split("_given_")[0]
    reading = read_purpose(platform, purpose, _golden(platform, stem))
    assert reading.records == ()
    assert [w.kind for w in reading.warnings] == ["nothing"]


def test_neighbours_without_a_system_name_are_never_one_node() -> None:
    nbs = read_purpose("huawei_vrp", "lldp", _golden("huawei_vrp", "lldp_without_system_name"))
    phone, station, ap = nbs.records
    assert phone.peer_label == "00e0-fc11-2233"  # a MAC chassis ID, one spelling for all vendors
    assert station.peer_label == "10.50.3.77"  # a network-address chassis ID
    assert ap.peer_label == ""  # a locally assigned chassis "1" and no management address
    assert peer_node(ap, {}, "SW1") == "1@SW1:GigabitEthernet0/0/4"
    snap = build_snapshot(
        [DeviceDiscovery("SW1", nbs.records)], [InventoryNode("SW1", "huawei_vrp")], "2026-12-01"
    )
    unknown = sorted(n.name for n in snap.nodes.values() if n.kind == "unknown")
    assert unknown == ["00e0-fc11-2233", "10.50.3.77", "1@SW1:GigabitEthernet0/0/4"]
    assert len(snap.links) == 3


def test_a_mac_chassis_id_is_the_same_node_whichever_vendor_printed_it() -> None:
    cisco = Neighbor("Gi1/0/1", "", "00e0.fc11.2233", "00e0.fc11.2233", "", "")
    huawei = Neighbor("GE0/0/1", "", "00e0-fc11-2233", "00e0-fc11-2233", "", "MAC address")
    assert cisco.peer_label == huawei.peer_label == "00e0-fc11-2233"


def test_several_neighbours_on_one_port_are_several_links() -> None:
    nbs = read_purpose("huawei_vrp", "lldp", _golden("huawei_vrp", "lldp_several_per_port"))
    snap = build_snapshot(
        [DeviceDiscovery("SW1", nbs.records)], [InventoryNode("SW1", "huawei_vrp")], "2026-12-01"
    )
    on_port = [
        lk for lk in snap.links.values() if "XGigabitEthernet0/0/1" in (lk.a_port, lk.b_port)
    ]
    assert sorted(lk.b if lk.a == "SW1" else lk.a for lk in on_port) == ["ROUTER2", "ROUTER3"]


@pytest.mark.parametrize(
    ("neighbor", "peer_port"),
    [
        # interface name: the port ID
        (Neighbor("GE0/0/1", "x", "c", "XGE1/0/1", "uplink", "Interface name"), "XGE1/0/1"),
        # MAC address: the port description when it names a port, else the MAC
        (
            Neighbor("Gi1/0/1", "", "c", "94f1.2879.5555", "GigabitEthernet1/0/9", "MAC address"),
            "GigabitEthernet1/0/9",
        ),
        (Neighbor("Gi1/0/1", "", "c", "94f1.2879.5555", "", "MAC address"), "94f1.2879.5555"),
        # locally assigned (an ifIndex): the description when it is a port name
        (Neighbor("Gi1/0/2", "", "c", "502", "ge-0/0/0.0", "Locally assigned"), "ge-0/0/0.0"),
        (Neighbor("Gi1/0/2", "", "c", "502", "", "Locally assigned"), "502"),
        # interface alias: the alias is a description, the port description the name
        (Neighbor("GE0/0/4", "", "1", "wan uplink", "eth0", "Interface alias"), "eth0"),
        # network address
        (
            Neighbor("GE0/0/5", "", "c", "10.1.1.1", "GigabitEthernet0/1", "Network address"),
            "GigabitEthernet0/1",
        ),
        # no subtype printed (IOS): the form decides
        (Neighbor("Gi1/0/3", "", "c", "Gi0/1", "uplink"), "Gi0/1"),
        (Neighbor("Gi1/0/3", "", "c", "0011.2233.4455", "Port 1"), "0011.2233.4455"),
    ],
)
def test_port_ids_of_every_subtype(neighbor: Neighbor, peer_port: str) -> None:
    assert neighbor.peer_port == peer_port


def test_cdp_beside_lldp_adds_only_what_lldp_does_not_show() -> None:
    lldp = (Neighbor("Gi1/0/49", "core-1", "aaaa.bbbb.cccc", "Te1/1/1", protocol="lldp"),)
    cdp = (
        Neighbor(
            "GigabitEthernet1/0/49",
            "core-1.example.net",
            neighbor_port_id="TenGigabitEthernet1/1/1",
            protocol="cdp",
            mgmt_address="10.0.0.1",
            platform="cisco WS-C3850",
        ),
        Neighbor(
            "GigabitEthernet1/0/10",
            "SEP001122334455",
            neighbor_port_id="Port 1",
            protocol="cdp",
            platform="Cisco IP Phone 7962",
        ),
    )
    both = combine_cdp("cisco_ios", lldp, cdp)
    assert len(both) == 2
    assert (both[0].protocol, both[0].mgmt_address, both[0].platform) == (
        "lldp",
        "10.0.0.1",
        "cisco WS-C3850",
    )
    assert (both[1].protocol, both[1].neighbor_name) == ("cdp", "SEP001122334455")


def test_a_cdp_only_network_reads_its_neighbours_from_cdp() -> None:
    cdp = (
        NTC / "cisco_ios/show_cdp_neighbors_detail/cisco_ios_show_cdp_neighbors_detail.raw"
    ).read_text()
    answers = {
        "show lldp neighbors detail": "% LLDP is not enabled\n",
        "show cdp neighbors detail": cdp,
    }
    found = read_neighbors(load_platform("cisco_ios"), answers.__getitem__, "SW1")
    assert found.records and {n.protocol for n in found.records} == {"cdp"}
    assert found.complete  # LLDP off is not a warning when CDP says who the neighbours are


def test_a_device_with_neither_protocol_says_so() -> None:
    answers = {
        "show lldp neighbors detail": "% LLDP is not enabled\n",
        "show cdp neighbors detail": "% CDP is not enabled\n",
    }
    found = read_neighbors(load_platform("cisco_ios"), answers.__getitem__, "SW1")
    assert found.records == ()
    assert [w.problem for w in found.warnings] == ["LLDP is not running on the device"]


def test_capabilities_are_kept_and_named_alike_for_every_vendor() -> None:
    assert capability_set("B,R") == capability_set("Bridge, Router") == {"bridge", "router"}
    assert capability_set("bridge router") == {"bridge", "router"}
    assert capability_set("T") == capability_set("telephone") == {"telephone"}
    assert capability_set("Router Switch IGMP") == {"router", "bridge", "igmp"}
    assert capability_set("station only") == {"station"}
    assert Neighbor("Gi1/0/1", capabilities="W").capability_names == {"wlan"}


def test_a_snapshot_lists_devices_whose_neighbours_were_not_read() -> None:
    from netsteward.tasks.topology.discovery import discover_with
    from netsteward.tasks.topology.lldp import neighbors_unread
    from netsteward.tasks.topology.model import dump_snapshot, load_snapshot

    listing = _golden("hp_comware", "lldp_given_list_layout")
    partly = _golden("huawei_vrp", "lldp_several_per_port") + "  ---- More ----\n"
    found = [
        discover_with(load_platform("hp_comware"), lambda c: listing if "lldp" in c else "", "A"),
        discover_with(load_platform("huawei_vrp"), lambda c: partly if "lldp" in c else "", "B"),
    ]
    unread = neighbors_unread(
        {d.name: d.warnings for d in found if d.warnings}, {"A": "hp_comware", "B": "huawei_vrp"}
    )
    assert unread["A"].startswith("not read: A:1 (display lldp neighbor-information verbose)")
    assert unread["B"].startswith("partly read: B:")
    inventory = [InventoryNode("A", "hp_comware"), InventoryNode("B", "huawei_vrp")]
    snap = build_snapshot(found, inventory, "2026-12-01", neighbors_unread=unread)
    assert load_snapshot(dump_snapshot(snap)).neighbors_unread == unread
    clean = build_snapshot(found[1:], inventory, "2026-12-01")
    assert "neighbors_unread" not in dump_snapshot(clean)  # unchanged files when all is read
