"""The pure renderers of the IOS, ASA, FortiOS, StoneOS and FOS dialects, checked offline.

Realism: every renderer whose command has a real sample in the ntc-templates
corpus must parse with that TextFSM template into non-empty records carrying
the same fields as the real sample (`realism_samples/<platform>/<command>.yml`,
copied from networktocode/ntc-templates, Apache-2.0; see tests/NOTICE).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from dialect_fleet import build
from ntc_templates.parse import parse_output

from netsteward.lab.dialects.brocade_fos import render as brocade_fos
from netsteward.lab.dialects.cisco_asa import extra as cisco_asa_extra
from netsteward.lab.dialects.cisco_asa import extra2 as cisco_asa_extra2
from netsteward.lab.dialects.cisco_asa import render as cisco_asa
from netsteward.lab.dialects.cisco_ios import extra as cisco_ios_extra
from netsteward.lab.dialects.cisco_ios import ports as cisco_ios_ports
from netsteward.lab.dialects.cisco_ios import render as cisco_ios
from netsteward.lab.dialects.fortinet import extra as fortinet_extra
from netsteward.lab.dialects.fortinet import extra2 as fortinet_extra2
from netsteward.lab.dialects.fortinet import render as fortinet
from netsteward.lab.dialects.render_common import Neighbor, to_neighbor

SAMPLES = Path(__file__).parent / "realism_samples"
NOW = datetime(2026, 11, 27, 9, 30)
FLEET = build()
SPECS = FLEET.by_name()
IOS = SPECS["LAB-IOS-ACC-01"]
IOS_PEER = SPECS["LAB-IOS-ACC-02"]
ASA = SPECS["LAB-FW-ASA-01"]
FGT = SPECS["LAB-FW-FGT-01"]
UP = {"TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2", "GigabitEthernet1/0/1"}
NEIGHBORS: list[Neighbor] = [
    to_neighbor(port, IOS_PEER, port, f"TO-{IOS.name}")
    for port in sorted(UP - {"GigabitEthernet1/0/1"})
]
FGT_ROOT = fortinet.parse(FGT.config)

CASES: dict[tuple[str, str], Callable[[], str]] = {
    ("cisco_ios", "show version"): lambda: cisco_ios.show_version(IOS, NOW),
    ("cisco_ios", "show inventory"): lambda: cisco_ios.show_inventory(IOS),
    ("cisco_ios", "show processes cpu"): lambda: cisco_ios_extra.show_processes_cpu(
        IOS, NOW, (5, 4, 4)
    ),
    ("cisco_ios", "show logging"): lambda: cisco_ios_extra.show_logging(IOS, NOW, alarm=True),
    ("cisco_ios", "show ip interface brief"): lambda: cisco_ios_ports.show_ip_interface_brief(
        IOS, IOS.config, UP
    ),
    ("cisco_ios", "show interfaces status"): lambda: cisco_ios_ports.show_interfaces_status(
        IOS, IOS.config, UP
    ),
    ("cisco_ios", "show interfaces"): lambda: cisco_ios_ports.show_interfaces(
        IOS, IOS.config, UP, NOW
    ),
    ("cisco_ios", "show lldp neighbors"): lambda: cisco_ios_ports.show_lldp_neighbors(NEIGHBORS),
    ("cisco_ios", "show lldp neighbors detail"): lambda: cisco_ios_ports.show_lldp_neighbors_detail(
        NEIGHBORS
    ),
    # the router-oriented template rejects switchport lines and the closing `end`
    # (the real sample has no `end`): check it on an SVI, without the last line
    ("cisco_ios", "show running-config interface"): lambda: (
        cisco_ios.running_config_interface(IOS.config, "Vlan100") or ""
    ).replace("end\n", ""),
    ("cisco_asa", "show version"): lambda: cisco_asa.show_version(ASA, NOW, NOW, "enable_15"),
    ("cisco_asa", "show access-list"): lambda: cisco_asa.show_access_list(ASA.config),
    ("cisco_asa", "show running-config access-group"): lambda: cisco_asa.running_config_filter(
        ASA.config, ("access-group ",)
    ),
    ("cisco_asa", "show running-config object network"): lambda: cisco_asa.running_config_filter(
        ASA.config, ("object network ",)
    ),
    ("cisco_asa", "show running-config object service"): lambda: cisco_asa.running_config_filter(
        ASA.config, ("object service ",)
    ),
    ("cisco_asa", "show running-config object-group service"): lambda: (
        cisco_asa.running_config_filter(ASA.config, ("object-group service ",))
    ),
    ("cisco_asa", "show inventory"): lambda: cisco_asa.show_inventory(ASA),
    ("cisco_asa", "show interface ip brief"): lambda: cisco_asa.show_interface_ip_brief(
        ASA, ASA.config, {"GigabitEthernet1/1"}
    ),
    ("fortinet", "get system status"): lambda: fortinet.get_system_status(FGT, FGT_ROOT, NOW),
    ("fortinet", "get system interface"): lambda: fortinet.get_system_interface(FGT_ROOT),
    ("fortinet", "get system interface physical"): lambda: fortinet.get_system_interface_physical(
        FGT_ROOT, [p.name for p in FGT.ports], {"port1"}
    ),
    # cisco_asa / fortinet displays of the firewall realism round (routing, NAT, HA, ARP, logging, ...)
    ("cisco_asa", "show route"): lambda: cisco_asa_extra.show_route(ASA, ASA.config),
    ("cisco_asa", "show arp"): lambda: cisco_asa_extra.show_arp(
        ASA, ASA.config, {p.name for p in ASA.ports}
    ),
    ("cisco_asa", "show nat"): lambda: cisco_asa_extra.show_nat(ASA, ASA.config),
    ("cisco_asa", "show failover"): lambda: cisco_asa_extra.show_failover(
        replace(ASA, extra={"ha_peer": "LAB-FW-ASA-02"}),
        ASA.config,
        "9.16(4)",
        NOW - timedelta(days=40),
        NOW,
    ),
    ("cisco_asa", "show object-group network"): lambda: cisco_asa_extra.show_object_group_network(
        ASA.config
    ),
    ("cisco_asa", "show logging"): lambda: cisco_asa_extra.show_logging(ASA, ASA.config, NOW),
    ("cisco_asa", "show interface detail"): lambda: cisco_asa_extra2.show_interface_detail(
        ASA, ASA.config, {p.name for p in ASA.ports}
    ),
    ("cisco_asa", "show interface"): lambda: cisco_asa_extra2.show_interface_detail(
        ASA, ASA.config, {p.name for p in ASA.ports}, detail=False
    ),
    ("cisco_asa", "show module"): lambda: cisco_asa_extra2.show_module(ASA, "9.16(4)"),
    ("cisco_asa", "dir"): lambda: cisco_asa_extra2.dir_disk0(ASA, "disk0:/asa.SPA", NOW),
    ("cisco_asa", "show xlate"): lambda: cisco_asa_extra2.show_xlate(ASA, ASA.config),
    ("cisco_asa", "show access-list brief"): lambda: cisco_asa_extra2.show_access_list_brief(
        ASA, ASA.config
    ),
    ("cisco_asa", "show cpu usage detailed"): lambda: cisco_asa_extra2.show_cpu_usage_detailed(ASA),
    ("cisco_asa", "show resource usage"): lambda: cisco_asa_extra2.show_resource_usage(
        ASA, ASA.config
    ),
    ("cisco_asa", "show license all"): lambda: cisco_asa_extra2.show_license_all(ASA, NOW),
    ("cisco_asa", "show asp drop"): lambda: cisco_asa_extra2.show_asp_drop(ASA),
    ("cisco_asa", "ping"): lambda: cisco_asa_extra2.ping("10.20.1.10", True),
    ("fortinet", "get router info routing-table all"): lambda: fortinet_extra.routing_table_all(
        FGT, FGT_ROOT
    ),
    ("fortinet", "get system arp"): lambda: fortinet_extra.system_arp(FGT, FGT_ROOT, {"port1"}),
    ("fortinet", "get system ha status"): lambda: fortinet_extra.ha_status(
        FGT, ["ha1"], NOW, NOW - timedelta(days=40)
    ),
    ("fortinet", "get hardware nic"): lambda: fortinet_extra.hardware_nic_list(
        [p.name for p in FGT.ports]
    ),
    ("fortinet", "get hardware nic nic-name"): lambda: fortinet_extra2.hardware_nic(
        FGT, [p.name for p in FGT.ports], "port1", True
    ),
    ("fortinet", "fnsysctl ifconfig"): lambda: fortinet_extra2.fnsysctl_ifconfig(
        FGT, FGT_ROOT, [p.name for p in FGT.ports], {"port1"}
    ),
    ("fortinet", "diagnose sys top"): lambda: fortinet_extra2.diagnose_sys_top(
        FGT, NOW, NOW - timedelta(days=40)
    ),
}
OWN_PLATFORMS = {
    "cisco_ios",
    "cisco_asa",
    "fortinet",
}  # the others' outputs are tested over SSH only


def sample_fields(platform: str, command: str) -> set[str]:
    path = SAMPLES / platform / (command.replace(" ", "_") + ".yml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return set(data["parsed_sample"][0])


@pytest.mark.parametrize(
    ("platform", "command"), sorted(CASES), ids=lambda v: str(v).replace(" ", "_")
)
def test_render_parses_like_the_real_sample(platform: str, command: str) -> None:
    text = CASES[(platform, command)]()
    records = parse_output(platform=platform, command=command, data=text)
    assert records, f"{platform} {command!r}: the template found no records in:\n{text}"
    assert set(records[0]) == sample_fields(platform, command)
    assert any(v for v in records[0].values()), records[0]


def test_every_sample_has_a_case() -> None:
    samples = {(p.parent.name, p.stem.replace("_", " ")) for p in SAMPLES.glob("*/*.yml")}
    renderable = {c for c in samples if c[0] in OWN_PLATFORMS and not c[1].startswith("execute ")}
    assert renderable <= set(CASES)


def test_ios_version_facts_come_from_the_spec() -> None:
    rec = parse_output(
        platform="cisco_ios", command="show version", data=cisco_ios.show_version(IOS, NOW)
    )[0]
    assert (rec["hostname"], rec["version"], rec["serial"], rec["hardware"]) == (
        IOS.name,
        "15.2(7)E8",
        [IOS.serial],
        [IOS.model],
    )
    assert rec["running_image"].endswith("c2960x-universalk9-mz.152-7.E8.bin")


def test_ios_lldp_detail_names_each_neighbor() -> None:
    recs = parse_output(
        platform="cisco_ios",
        command="show lldp neighbors detail",
        data=cisco_ios_ports.show_lldp_neighbors_detail(NEIGHBORS),
    )
    assert [(r["local_interface"], r["neighbor_name"], r["neighbor_port_id"]) for r in recs] == [
        ("Te1/0/1", IOS_PEER.name, "TenGigabitEthernet1/0/1"),
        ("Te1/0/2", IOS_PEER.name, "TenGigabitEthernet1/0/2"),
    ]
    assert recs[0]["chassis_id"] == "70db.9812.7700"


def test_ios_interface_state_follows_cabling_and_lags() -> None:
    recs = parse_output(
        platform="cisco_ios",
        command="show interfaces status",
        data=cisco_ios_ports.show_interfaces_status(IOS, IOS.config, UP),
    )
    status = {r["port"]: (r["status"], r["vlan_id"]) for r in recs}
    assert status["Gi1/0/1"] == ("connected", "10")
    assert status["Gi1/0/2"] == ("notconnect", "10")
    assert status["Te1/0/1"] == ("connected", "trunk")
    assert status["Po1"] == ("connected", "trunk")
    assert status["Fa0"] == ("disabled", "routed")
    summary = cisco_ios_ports.show_etherchannel_summary(IOS, IOS.config, UP)
    assert "1      Po1(SU)         LACP      Te1/0/1(P)  Te1/0/2(P)" in summary


def test_ios_running_config_regenerates_volatile_lines() -> None:
    stale = IOS.config.replace(
        "!\nversion", "!\n! Last configuration change at 01:02:03 UTC Mon Jan 1 2024\nversion"
    )
    text = cisco_ios.running_config(stale, NOW, NOW, None, "netsteward")
    lines = text.splitlines()
    assert lines[:3] == [
        "Building configuration...",
        "",
        f"Current configuration : {len(text) - len(chr(10).join(lines[:3])) - 1} bytes",
    ]
    assert "! Last configuration change at 09:30:00 UTC Fri Nov 27 2026 by netsteward" in lines
    assert "01:02:03" not in text
    assert lines.index(
        next(ln for ln in lines if ln.startswith("ntp clock-period "))
    ) + 1 == lines.index("ntp server 10.10.0.123")
    assert lines[-1] == "end"


def test_asa_access_list_expands_objects_and_counts_elements() -> None:
    text = cisco_asa.show_access_list(ASA.config)
    recs = parse_output(platform="cisco_asa", command="show access-list", data=text)
    lines = [(r["line_num"], r["entry_dst_host"]) for r in recs if r["entry_dst_host"]]
    assert ("2", "10.1.1.10") in lines and ("2", "10.1.1.11") in lines
    assert text.splitlines()[2].startswith("access-list OUTSIDE_IN; 5 elements; name hash: 0x")
    inactive = [r for r in recs if r["line_num"] == "3" and not r["entry_dst_host"]]
    assert inactive and inactive[0]["state"] == "inactive" and inactive[0]["hit_count"] == "0"


def test_asa_running_config_header_and_checksum() -> None:
    text = cisco_asa.running_config(
        ASA, ASA.config + "Cryptochecksum:old\n: end\n", NOW, "enable_15"
    )
    lines = text.splitlines()
    assert lines[:4] == [": Saved", "", ": ", f": Serial Number: {ASA.serial}"]
    assert lines[-2:] == [lines[-2], ": end"] and lines[-2].startswith("Cryptochecksum:")
    assert "Cryptochecksum:old" not in text
    again = cisco_asa.running_config(ASA, text, NOW, "enable_15")
    assert again == text  # stable: the header is regenerated, not accumulated


def test_fortios_config_round_trip_and_edit() -> None:
    root = fortinet.parse(FGT.config)
    assert fortinet.render(root) == FGT.config
    policy = fortinet.find_path(root, "firewall policy")
    assert policy is not None
    entry = policy.child("edit", "1")
    assert entry is not None and entry.get("service") == "HTTPS"
    entry.set("service", '"HTTP" "HTTPS"')
    entry.unset("logtraffic")
    text = fortinet.render(root)
    assert '        set service "HTTP" "HTTPS"\n' in text and "logtraffic" not in text
    assert fortinet.render(fortinet.parse(text)) == text


FC = SPECS["YM-SAN-FC-01"]


def test_fos_cfgshow_matches_the_generated_zoning() -> None:
    zoning = FC.extra["zoning"]
    parsed = brocade_fos.zoning(FC.config)
    assert (
        parsed.cfgs == zoning["cfgs"]
        and parsed.zones == zoning["zones"]
        and parsed.aliases == zoning["aliases"]
    )
    assert parsed.effective == zoning["effective_cfg"]
    text = brocade_fos.cfgshow(FC.config)
    lines = text.splitlines()
    assert lines[0] == "Defined configuration:" and "Effective configuration:" in lines
    cfg = zoning["effective_cfg"]
    assert lines[1] == f" cfg:\t{cfg}\t" and lines[2] == "\t\t" + "; ".join(zoning["cfgs"][cfg])
    alias, wwns = next(iter(zoning["aliases"].items()))
    assert f" alias:\t{alias}\t\n\t\t{'; '.join(wwns)}" in text
    assert brocade_fos.cfgshow(
        "[Defined Configuration]\n\n[Effective Configuration]\n"
    ).splitlines()[:1] == ["Defined configuration:"]


def test_fos_alias_edit_round_trip() -> None:
    text = brocade_fos.add_alias(FC.config, "NEW_HBA", ["21:00:00:24:ff:00:00:99"])
    assert brocade_fos.zoning(text).aliases["NEW_HBA"] == ["21:00:00:24:ff:00:00:99"]
    assert brocade_fos.remove_alias(text, "NEW_HBA") == FC.config


def test_fos_switchshow_sfpshow_and_configshow() -> None:
    switch = brocade_fos.switchshow(FC).splitlines()
    assert switch[0] == f"switchName:\t{FC.name}"
    header = switch.index("Index Port Address  Media Speed   State       Proto")
    rows = switch[header + 2 :]
    assert len(rows) == len(FC.extra["fc_ports"])
    online = [r for r in rows if " Online " in r]
    assert online and all(("F-Port" in r) or ("E-Port" in r) for r in online)
    sfp = FC.extra["sfps"][0]
    full = brocade_fos.sfpshow(FC, NOW, full=True)
    assert (
        f"Serial No:   {sfp['serial']}" in full
        and "Last poll time: 11-27-2026 UTC Fri 09:30:00" in full
    )
    brief = brocade_fos.sfpshow(FC, NOW).splitlines()
    assert brief[0].startswith(f"Port {sfp['port']:>2}: id (sw) Vendor: BROCADE")
    shown = brocade_fos.configshow(FC.config, NOW, full=True).splitlines()
    assert shown[:3] == [
        "[Configuration upload Information]",
        "Configuration Format = 2.0",
        "date = Fri Nov 27 09:30:00 2026",
    ]
    assert [ln for ln in shown if not ln.startswith("date = ")] == FC.config.splitlines()
