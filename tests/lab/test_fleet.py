"""The lab fleet generator: sizes, determinism, cabling, secrets and port-policy truth."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from netsteward.lab.fleet.build import build_fleet
from netsteward.lab.fleet.inventory import render_hosts, write_hosts
from netsteward.lab.model import Fleet

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fleet(lab_fleet: Fleet) -> Fleet:
    return lab_fleet


@pytest.fixture(scope="module")
def other_seeds() -> dict[int, Fleet]:
    """Fleets of other seeds, each generated once for the module."""
    return {}


def of_seed(fleet: Fleet, other_seeds: dict[int, Fleet], seed: int) -> Fleet:
    if seed == fleet.seed:
        return fleet
    if seed not in other_seeds:
        other_seeds[seed] = build_fleet(seed)
    return other_seeds[seed]


def test_counts_per_role_platform_model(fleet: Fleet) -> None:
    got = Counter((d.role, d.platform, d.model) for d in fleet.devices)
    assert got == {
        ("router", "huawei_vrp", "AR6280"): 4,
        ("core", "huawei_vrp", "S12700E-8"): 8,
        ("aggregation", "hp_comware", "S6520X-54QC-EI"): 16,
        ("access", "huawei_vrp", "S5735-L48T4X-A1"): 400,
        ("access", "hp_comware", "S5130S-52S-EI"): 200,
        ("access", "cisco_ios", "WS-C2960X-48TD-L"): 69,
        ("firewall", "huawei_vrp", "USG6650E"): 12,
        ("firewall", "hillstone_stoneos", "SG-6000-E5760"): 10,
        ("firewall", "fortinet", "FortiGate-600E"): 6,
        ("firewall", "cisco_asa", "ASA5525"): 6,
        ("ips", "huawei_vrp", "NIP6620E"): 6,
        ("fc_switch", "brocade_fos", "G620"): 2,
    }
    assert len(fleet.devices) == 739
    assert [d.index for d in fleet.devices] == list(range(1, 740))
    assert len({d.name for d in fleet.devices}) == 739
    assert len({d.mac for d in fleet.devices}) == 739
    assert len({d.serial for d in fleet.devices}) == 739
    assert len({d.mgmt_ip for d in fleet.devices}) == 739


def test_networks_and_pairs(fleet: Fleet) -> None:
    cores = Counter(d.network for d in fleet.devices if d.role == "core")
    assert cores == {"base": 2, "egov_intranet": 2, "egov_extranet": 2, "device_net": 2}
    aggs = Counter(d.network for d in fleet.devices if d.role == "aggregation")
    assert aggs == {"base": 6, "egov_intranet": 2, "egov_extranet": 2, "device_net": 6}
    assert {d.network for d in fleet.devices if d.role == "fc_switch"} == {"san"}
    agg_names = {d.name for d in fleet.devices if d.role == "aggregation"}
    for d in fleet.devices:
        if d.role == "access":
            assert d.uplink_pair in agg_names and int(d.uplink_pair[-2:]) % 2 == 1
    assert sum(d.change_password_prompt for d in fleet.devices) >= 3
    assert all(d.platform == "huawei_vrp" for d in fleet.devices if d.change_password_prompt)


def test_deterministic(fleet: Fleet, other_seeds: dict[int, Fleet]) -> None:
    a, b = fleet, build_fleet(2026)
    assert [(d.name, d.serial, d.mac, d.config, d.lags, d.extra) for d in a.devices] == [
        (d.name, d.serial, d.mac, d.config, d.lags, d.extra) for d in b.devices
    ]
    assert a.cables == b.cables and a.declared_links == b.declared_links and a.truth == b.truth
    c = of_seed(fleet, other_seeds, 7)
    assert [d.config for d in c.devices] != [d.config for d in a.devices]


FINGERPRINT = (
    "import hashlib, json; from netsteward.lab.fleet.build import build_fleet; f = build_fleet(2026); "
    "print(hashlib.sha256(json.dumps([[d.name, d.serial, d.mac, d.config, d.extra] for d in f.devices]"
    " + [f.truth, [c.key() for c in f.cables + f.declared_links]], default=str).encode()).hexdigest())"
)


def test_deterministic_across_processes(fleet: Fleet) -> None:
    """No dependence on hash randomisation or anything else that differs between runs."""
    outs = {
        subprocess.run(
            [sys.executable, "-c", FINGERPRINT],
            env={**os.environ, "PYTHONHASHSEED": hs},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hs in ("1",)  # this process has a random hash seed of its own
    }
    here = [[d.name, d.serial, d.mac, d.config, d.extra] for d in fleet.devices]
    here_fp = hashlib.sha256(
        json.dumps(
            [*here, fleet.truth, [c.key() for c in fleet.cables + fleet.declared_links]],
            default=str,
        ).encode()
    ).hexdigest()
    assert outs == {here_fp}


def test_cabling_consistent(fleet: Fleet) -> None:
    by = fleet.by_name()
    used: set[tuple[str, str]] = set()
    for c in fleet.cables + fleet.declared_links:
        for host, port in ((c.a, c.a_port), (c.b, c.b_port)):
            assert port in {p.name for p in by[host].ports}, (host, port)
            assert (host, port) not in used, (host, port)
            used.add((host, port))
    lag_of = {(d.name, m): lag for d in fleet.devices for lag, ms in d.lags.items() for m in ms}
    for c in fleet.cables:
        assert ((c.a, c.a_port) in lag_of) == ((c.b, c.b_port) in lag_of), c
    non_lldp = {"firewall", "ips", "fc_switch"}
    assert all(by[c.a].role in non_lldp for c in fleet.declared_links)
    assert all(by[c.a].role not in non_lldp and by[c.b].role not in non_lldp for c in fleet.cables)
    # most access switches dual-homed over a LAG, some single-homed
    access = [d for d in fleet.devices if d.role == "access"]
    dual = [d for d in access if d.lags]
    assert 0.85 * len(access) < len(dual) < len(access)
    # every firewall and IPS has declared links, every declared peer exists
    assert {h for c in fleet.declared_links for h in (c.a, c.b)} >= {
        d.name for d in fleet.devices if d.role in non_lldp
    }


LAG_LINE = {
    "huawei_vrp": re.compile(r" eth-trunk (\d+)$"),
    "hp_comware": re.compile(r" port link-aggregation group (\d+)$"),
    "cisco_ios": re.compile(r" channel-group (\d+) mode \w+$"),
}
LAG_PREFIX = {
    "huawei_vrp": "Eth-Trunk",
    "hp_comware": "Bridge-Aggregation",
    "cisco_ios": "Port-channel",
}


def sections(platform: str, config: str) -> tuple[dict[str, list[str]], set[str]]:
    """Interface sections (name -> body lines) and the stripped lines outside them."""
    sep = "!" if platform == "cisco_ios" else "#"
    ifs: dict[str, list[str]] = {}
    other: set[str] = set()
    current: list[str] | None = None
    for line in config.splitlines():
        if line.startswith("interface "):
            current = ifs.setdefault(line[len("interface ") :], [])
        elif line == sep:
            current = None
        elif current is not None:
            current.append(line)
        else:
            other.add(line.strip())
    return ifs, other


def test_lag_membership_in_configs(fleet: Fleet) -> None:
    for d in fleet.devices:
        if d.platform not in LAG_LINE or d.role not in ("core", "aggregation", "access"):
            continue
        ifs, _ = sections(d.platform, d.config)
        found: dict[str, list[str]] = {}
        for name, body in ifs.items():
            for line in body:
                m = LAG_LINE[d.platform].match(line)
                if m:
                    found.setdefault(LAG_PREFIX[d.platform] + m.group(1), []).append(name)
        assert found == d.lags, d.name
        assert all(lag in ifs for lag in d.lags), d.name


def test_secrets_present_in_configs(fleet: Fleet) -> None:
    by = fleet.by_name()
    secrets = fleet.truth["secrets"]
    assert len(secrets) > 5000
    for s in secrets:
        assert s.keys() == {"host", "kind", "value"}
        assert len(s["value"]) >= 8 and s["value"] in by[s["host"]].config, s
    forms = {
        "huawei": [
            r"irreversible-cipher \$1a\$",
            r"password cipher %\^%#",
            r"community read cipher %\^%#",
            r"usm-user v3 \S+ authentication-mode sha cipher",
            r"radius-server shared-key cipher",
            r"ospf authentication-mode md5 1 cipher %\^%#",
            r"public-key-code begin",
        ],
        "h3c": [
            r"password hash \$h\$6\$",
            r"community read simple ",
            r"key authentication cipher \$c\$3\$",
            r"public-key-code begin",
        ],
        "cisco": [
            r"enable secret 9 \$9\$",
            r"secret 5 \$1\$",
            r"snmp-server community \S+ RO",
            r"tacacs-server key 7 ",
            r"key-string 7 ",
        ],
    }
    for vendor, patterns in forms.items():
        text = "\n".join(d.config for d in fleet.devices if d.vendor == vendor)
        for pat in patterns:
            assert re.search(pat, text), (vendor, pat)
    # no volatile lines in the stored configs
    for d in fleet.devices:
        assert "clock-period" not in d.config and "Last configuration" not in d.config
        assert "Current configuration" not in d.config and "date =" not in d.config


# --- independent checker of the DESIGN.md port policy ---------------------------------------

SHORT = [
    ("XGigabitEthernet", "XGE"),
    ("Ten-GigabitEthernet", "XGE"),
    ("TenGigabitEthernet", "Te"),
    ("FortyGigE", "FGE"),
    ("HundredGigE", "HGE"),
    ("100GE", "100GE"),
    ("40GE", "40GE"),
    ("Bridge-Aggregation", "BAGG"),
    ("Eth-Trunk", "Eth-Trunk"),
    ("Port-channel", "Po"),
    ("FastEthernet", "Fa"),
    ("MEth", "MEth"),
]


def short(platform: str, port: str) -> str:
    if port.startswith("GigabitEthernet"):
        return ("Gi" if platform == "cisco_ios" else "GE") + port[len("GigabitEthernet") :]
    for long, s in SHORT:
        if port.startswith(long):
            return s + port[len(long) :]
    raise AssertionError(port)


EDGE = {
    "huawei_vrp": ["stp edged-port enable", "loopback-detect enable"],
    "hp_comware": [
        "stp edged-port",
        "loopback-detection enable vlan all",
        "loopback-detection action shutdown",
    ],
    "cisco_ios": ["spanning-tree portfast", "spanning-tree bpduguard enable"],
}
GLOBAL = {
    "huawei_vrp": ["stp bpdu-protection"],
    "hp_comware": ["loopback-detection global enable vlan all", "stp bpdu-protection"],
    "cisco_ios": ["errdisable recovery cause bpduguard"],
}
FORBIDDEN = ("stp edged-port", "spanning-tree portfast", "spanning-tree bpduguard")


def check_policy(fleet: Fleet) -> set[tuple[str, str | None, str]]:
    by = fleet.by_name()
    nbr = {}
    for c in fleet.cables:
        nbr[(c.a, c.a_port)] = (c.b, c.b_port)
        nbr[(c.b, c.b_port)] = (c.a, c.a_port)
    lag_of = {(d.name, m): lag for d in fleet.devices for lag, ms in d.lags.items() for m in ms}
    found: set[tuple[str, str | None, str]] = set()
    for d in fleet.devices:
        if d.role not in ("router", "core", "aggregation", "access"):
            continue
        ifs, other = sections(d.platform, d.config)
        if d.role == "access" and not all(g in other for g in GLOBAL[d.platform]):
            found.add((d.name, None, "missing_global_loop_protection"))
        expected: dict[str, str] = {}
        for lag, members in d.lags.items():
            peers = sorted({nbr[(d.name, m)][0] for m in members})
            if len(peers) > 1:
                expected[lag] = "TO-" + "+".join(peers)
            else:
                peer, pport = nbr[(d.name, members[0])]
                expected[lag] = f"TO-{peer}-{short(by[peer].platform, lag_of[(peer, pport)])}"
        for p in d.ports:
            if p.kind == "ethernet" and (d.name, p.name) in nbr:
                peer, pport = nbr[(d.name, p.name)]
                expected[p.name] = f"TO-{peer}-{short(by[peer].platform, pport)}"
        for name, want in expected.items():
            body = [line.strip() for line in ifs[name]]
            desc = [line[len("description ") :] for line in body if line.startswith("description ")]
            if not desc:
                found.add((d.name, name, "missing_description"))
            elif desc[0] != want:
                found.add((d.name, name, "stale_description"))
            if d.role == "access" and any(line.startswith(FORBIDDEN) for line in body):
                found.add((d.name, name, "uplink_marked_edge"))
        if d.role != "access":
            continue
        for p in d.ports:
            if p.kind != "ethernet" or (d.name, p.name) in nbr or (d.name, p.name) in lag_of:
                continue
            body = [line.strip() for line in ifs[p.name]]
            if not all(line in body for line in EDGE[d.platform]):
                found.add((d.name, p.name, "edge_without_loop_protection"))
    return found


@pytest.mark.parametrize("seed", [2026, 7, 31337])
def test_port_deviations_are_exactly_the_planted_ones(
    fleet: Fleet, other_seeds: dict[int, Fleet], seed: int
) -> None:
    fleet = of_seed(fleet, other_seeds, seed)
    truth = {(r["host"], r["interface"], r["kind"]) for r in fleet.truth["port_deviations"]}
    assert len(truth) == len(fleet.truth["port_deviations"])
    assert check_policy(fleet) == truth
    kinds = Counter(k for _, _, k in truth)
    assert set(kinds) == {
        "missing_description",
        "stale_description",
        "edge_without_loop_protection",
        "uplink_marked_edge",
        "missing_global_loop_protection",
    }
    by = fleet.by_name()
    hosts = {h for h, _, _ in truth}
    assert 20 <= len(hosts) <= 60
    assert {by[h].platform for h in hosts} == {"huawei_vrp", "hp_comware", "cisco_ios"}
    assert {by[h].role for h in hosts} >= {"access", "aggregation", "core"}


def test_brocade_extra(fleet: Fleet) -> None:
    fcs = [d for d in fleet.devices if d.role == "fc_switch"]
    for d in fcs:
        assert {"switch", "fc_ports", "zoning", "sfps"} <= d.extra.keys()
        assert len(d.extra["fc_ports"]) == 64
        zoning = d.extra["zoning"]
        assert zoning["effective_cfg"] in zoning["cfgs"]
        for zone in zoning["cfgs"][zoning["effective_cfg"]]:
            assert all(alias in zoning["aliases"] for alias in zoning["zones"][zone])
        online = {r["wwn"] for r in d.extra["fc_ports"] if r["type"] == "F-Port"}
        assert online == {w for ws in zoning["aliases"].values() for w in ws}
        assert f"SwitchName = {d.name}" in d.config


def test_inventory_contract(fleet: Fleet, tmp_path: Path) -> None:
    path = write_hosts(fleet, 20001, tmp_path / "hosts.yaml")
    hosts = yaml.safe_load(path.read_text())
    assert list(hosts) == [d.name for d in fleet.devices]
    for d in fleet.devices:
        h = hosts[d.name]
        assert h["hostname"] == "127.0.0.1" and h["port"] == 20000 + d.index
        assert h["platform"] == d.platform and h["groups"] == [d.platform, d.role, d.network]
        data = h["data"]
        assert {k: data[k] for k in ("role", "network", "model", "vendor", "location")} == {
            "role": d.role,
            "network": d.network,
            "model": d.model,
            "vendor": d.vendor,
            "location": d.location,
        }
        assert ("uplink_pair" in data) == (d.role == "access")
        if d.role in ("firewall", "ips", "fc_switch"):
            links = data["declared_links"]
            assert links and all(set(link) == {"local_port", "peer", "peer_port"} for link in links)
            assert all(
                isinstance(link["peer_port"], str) and link["peer"] in hosts for link in links
            )
        else:
            assert "declared_links" not in data
    assert max(h["port"] for h in hosts.values()) < 32768
    assert render_hosts(fleet, 20001) == path.read_text()


def test_committed_inventory_is_current(fleet: Fleet) -> None:
    committed = ROOT / "inventory" / "hosts.yaml"
    assert committed.read_text() == render_hosts(fleet, 10001)


def test_firewalls_use_fwgen_and_declare_links(fleet: Fleet) -> None:
    firewalls = {d.name for d in fleet.devices if d.role == "firewall"}
    problems = fleet.truth["firewall_problems"]
    assert {
        p["host"] for p in problems
    } == firewalls  # netsteward.lab.fleet.firewall plants problems on every firewall
    assert all(p.keys() == {"host", "rule", "check"} for p in problems)
    assert [d.name for d in fleet.devices if d.extra.get("default_permit")] == ["YM-BASE-FW-05"]
    for d in fleet.devices:
        if d.role in ("firewall", "ips", "fc_switch"):
            assert d.extra["links"] and all(not p.lldp for p in d.ports)
            for link in d.extra["links"]:
                assert d.config and link["local_port"] in {p.name for p in d.ports}


def _port_addresses(config: str) -> dict[str, ipaddress.IPv4Interface]:
    """Port -> address of every vendor's interface sections (VRP/Comware/IOS/ASA
    `interface X` + `ip address A M`, StoneOS the same indented, FortiOS `edit "X"` +
    `set ip A M`)."""
    out: dict[str, ipaddress.IPv4Interface] = {}
    port = ""
    for line in config.splitlines():
        words = line.split()
        if words[:1] == ["interface"] and len(words) == 2:
            port = words[1]
        elif words[:1] == ["edit"] and len(words) == 2:
            port = words[1].strip('"')
        elif port and (words[:2] == ["ip", "address"] or words[:2] == ["set", "ip"]):
            address, mask = words[2:4]
            out.setdefault(port, ipaddress.IPv4Interface(f"{address}/{mask}"))
    return out


def test_firewall_ports_share_a_transfer_network_with_their_router_or_core(fleet: Fleet) -> None:
    by = fleet.by_name()
    addresses = {d.name: _port_addresses(d.config) for d in fleet.devices}
    checked = 0
    for link in fleet.declared_links:
        roles = {by[link.a].role, by[link.b].role}
        if "firewall" not in roles or not roles & {"router", "core"}:
            continue
        a = addresses[link.a][link.a_port]
        b = addresses[link.b][link.b_port]
        assert a.network == b.network and a.ip != b.ip, (link, a, b)
        assert a.network.prefixlen == 30
        checked += 1
    assert checked >= 34  # every firewall has at least one link to a router or core
    firewall_ips = [
        i.ip for d in fleet.devices if d.role == "firewall" for i in addresses[d.name].values()
    ]
    assert len(firewall_ips) == len(set(firewall_ips))  # no address used twice
    mgmt = {ipaddress.IPv4Address(d.mgmt_ip) for d in fleet.devices}
    assert not mgmt & set(firewall_ips)
