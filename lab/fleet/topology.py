"""Devices and cabling of the lab fleet (no configurations; see `netsteward.lab.fleet.build`).

`build_topology(rng)` returns one building's 739 `DeviceSpec`s (configs empty), the LLDP
cables and the declared (non-LLDP) links; `site` is the host-name prefix (`YM`), `building`
the building's number (management addresses) and `offset` the devices of the buildings
before it in the fleet (MAC addresses stay unique across buildings). `index` is counted
within the building (the configurations derive addresses from it); `build_fleet` adds the
offset once the building is rendered, so lab ports are unique.  Naming and numbering are described
in the `netsteward.lab.fleet.build` docstring.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from netsteward.lab.fleet.common import mac_of, mgmt_ip, token
from netsteward.lab.model import Cable, DeviceSpec, PortSpec

# network name, name code, access switches per aggregation pair
NETWORKS: list[tuple[str, str, list[int]]] = [
    ("base", "BASE", [90, 90, 90]),
    ("egov_intranet", "EGI", [84]),
    ("egov_extranet", "EGE", [60]),
    ("device_net", "DEV", [85, 85, 85]),
]
ROUTER_NETWORKS = ("base", "egov_extranet")  # internet egress / e-government egress

# firewall pairs per network: (kind, purpose)
FIREWALL_PAIRS: dict[str, list[tuple[str, str]]] = {
    "base": [
        ("fortinet", "internet-edge"),
        ("fortinet", "vpn-edge"),
        ("usg", "dc-core"),
        ("usg", "dc-core"),
        ("hillstone", "server-zone"),
        ("hillstone", "server-zone"),
        ("asa", "dmz"),
    ],
    "egov_intranet": [
        ("usg", "egov-edge"),
        ("usg", "server-zone"),
        ("hillstone", "server-zone"),
        ("asa", "dmz"),
    ],
    "egov_extranet": [
        ("usg", "egov-edge"),
        ("fortinet", "internet-edge"),
        ("hillstone", "server-zone"),
        ("asa", "dmz"),
    ],
    "device_net": [("usg", "edge"), ("hillstone", "server-zone")],
}
IPS_NETWORKS = ("base", "egov_intranet", "egov_extranet")  # one NIP6000 pair each

# access platform mix: 400 Huawei, 200 H3C, 69 Cisco
ACCESS_MIX = (("huawei_vrp", 400), ("hp_comware", 200), ("cisco_ios", 69))
SINGLE_HOMED_RATE = 0.08
NON_LLDP_ROLES = ("firewall", "ips", "fc_switch")  # their links are declared, not seen by LLDP


@dataclass(frozen=True)
class Model:
    platform: str
    vendor: str
    model: str
    oui: str
    versions: tuple[str, ...]
    ports: tuple[tuple[str, str, str], ...]  # (name, kind, speed)


def _range(
    fmt: str, nums: range, kind: str = "ethernet", speed: str = "1G"
) -> list[tuple[str, str, str]]:
    return [(fmt.format(n), kind, speed) for n in nums]


def _models() -> dict[str, Model]:
    m: dict[str, Model] = {}
    m["router"] = Model(
        "huawei_vrp",
        "huawei",
        "AR6280",
        "00:e0:fc",
        ("V300R019C10SPC300", "V300R021C10SPC100"),
        tuple(
            _range("GigabitEthernet0/0/{}", range(0, 10))
            + _range("XGigabitEthernet0/0/{}", range(10, 12), speed="10G")
        ),
    )
    m["core"] = Model(
        "huawei_vrp",
        "huawei",
        "S12700E-8",
        "4c:1f:cc",
        ("V200R019C10SPC500", "V200R021C00SPC100"),
        tuple(
            [
                ("MEth0/0/1", "mgmt", "1G"),
                *_range("XGigabitEthernet1/0/{}", range(0, 48), speed="10G"),
                *_range("40GE2/0/{}", range(0, 12), speed="40G"),
            ]
        ),
    )
    m["aggregation"] = Model(
        "hp_comware",
        "h3c",
        "S6520X-54QC-EI",
        "70:ba:ef",
        ("7.1.070, Release 6635P07", "7.1.070, Release 6635P07"),
        tuple(
            [("M-GigabitEthernet0/0/0", "mgmt", "1G")]
            + [
                p
                for s in (1, 2)
                for p in _range(f"Ten-GigabitEthernet{s}/0/{{}}", range(1, 49), speed="10G")
                + _range(f"FortyGigE{s}/0/{{}}", range(53, 55), speed="40G")
            ]
        ),
    )
    m["huawei_vrp"] = Model(
        "huawei_vrp",
        "huawei",
        "S5735-L48T4X-A1",
        "00:e0:fc",
        ("V200R019C10SPC500", "V200R020C10SPC100", "V200R021C00SPC100"),
        tuple(
            _range("GigabitEthernet0/0/{}", range(1, 49))
            + _range("XGigabitEthernet0/0/{}", range(1, 5), speed="10G")
        ),
    )
    m["hp_comware"] = Model(
        "hp_comware",
        "h3c",
        "S5130S-52S-EI",
        "3c:8c:40",
        ("7.1.070, Release 6126P20", "7.1.070, Release 6128P01"),
        tuple(
            _range("GigabitEthernet1/0/{}", range(1, 49))
            + _range("Ten-GigabitEthernet1/0/{}", range(49, 53), speed="10G")
        ),
    )
    m["cisco_ios"] = Model(
        "cisco_ios",
        "cisco",
        "WS-C2960X-48TD-L",
        "70:10:5c",
        ("15.2(7)E8", "15.2(7)E9"),
        tuple(
            _range("GigabitEthernet1/0/{}", range(1, 49))
            + _range("TenGigabitEthernet1/0/{}", range(1, 3), speed="10G")
        ),
    )
    m["usg"] = Model(
        "huawei_vrp",
        "huawei",
        "USG6650E",
        "00:e0:fc",
        ("V600R007C20SPC600",),
        tuple(
            [("GigabitEthernet0/0/0", "mgmt", "1G"), *_range("GigabitEthernet1/0/{}", range(0, 12))]
        ),
    )
    m["hillstone"] = Model(
        "hillstone_stoneos",
        "hillstone",
        "SG-6000-E5760",
        "00:10:f3",
        ("5.5R9P3", "5.5R10P1"),
        tuple(_range("ethernet0/{}", range(0, 12))),
    )
    m["fortinet"] = Model(
        "fortinet",
        "fortinet",
        "FortiGate-600E",
        "00:09:0f",
        ("v7.2.8,build1639,240313 (GA.M)", "v7.4.4,build2662,240514 (GA.F)"),
        tuple(
            [
                ("mgmt", "mgmt", "1G"),
                ("ha1", "ethernet", "1G"),
                ("ha2", "ethernet", "1G"),
                *_range("port{}", range(1, 21)),
            ]
        ),
    )
    m["asa"] = Model(
        "cisco_asa",
        "cisco",
        "ASA5525",
        "00:1e:7a",
        ("9.16(4)", "9.18(3)"),
        tuple([("Management0/0", "mgmt", "1G"), *_range("GigabitEthernet0/{}", range(0, 8))]),
    )
    m["ips"] = Model(
        "huawei_vrp",
        "huawei",
        "NIP6620E",
        "00:e0:fc",
        ("V600R007C20SPC500",),
        tuple(
            [("GigabitEthernet0/0/0", "mgmt", "1G"), *_range("GigabitEthernet1/0/{}", range(0, 12))]
        ),
    )
    m["fc"] = Model(
        "brocade_fos",
        "brocade",
        "G620",
        "c4:f5:7c",
        ("v9.1.1b",),
        tuple(_range("{}", range(0, 64), kind="fc", speed="32G")),
    )
    return m


MODELS = _models()

# firewall port roles: outside (edge), inside (core), server side (IPS), HA heartbeat
FW_PORTS = {
    "usg": (
        "GigabitEthernet1/0/0",
        "GigabitEthernet1/0/1",
        "GigabitEthernet1/0/2",
        "GigabitEthernet1/0/6",
    ),
    "hillstone": ("ethernet0/1", "ethernet0/2", "ethernet0/3", "ethernet0/7"),
    "fortinet": ("port1", "port2", "port3", "ha1"),
    "asa": ("GigabitEthernet0/0", "GigabitEthernet0/1", "GigabitEthernet0/2", "GigabitEthernet0/7"),
}
ACCESS_UPLINKS = {
    "huawei_vrp": ("XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2", "Eth-Trunk1"),
    "hp_comware": ("Ten-GigabitEthernet1/0/49", "Ten-GigabitEthernet1/0/50", "Bridge-Aggregation1"),
    "cisco_ios": ("TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2", "Port-channel1"),
}
CORE_LAG = "Eth-Trunk1"
CORE_ISL = ("40GE2/0/10", "40GE2/0/11")
AGG_IPP = "Bridge-Aggregation1000"
AGG_IPP_PORTS = ("FortyGigE1/0/54", "FortyGigE2/0/54")
AGG_CORE_PORTS = ("FortyGigE1/0/53", "FortyGigE2/0/53")
FC_ISL_PORTS = ("46", "47")


def _serial(rng: random.Random, vendor: str) -> str:
    if vendor == "huawei":
        return "2102" + token(rng, 6, "u") + "10" + token(rng, 2, "u") + token(rng, 6, "d")
    if vendor == "h3c":
        return "210235A" + token(rng, 3, "u") + "H" + token(rng, 9, "d")
    if vendor == "cisco":
        return "FOC" + token(rng, 4, "d") + token(rng, 4, "u")
    if vendor == "hillstone":
        return "0302" + token(rng, 12, "d")
    if vendor == "fortinet":
        return "FG6H0E" + token(rng, 10, "d")
    return "GEP" + token(rng, 4, "d") + token(rng, 4, "u")


@dataclass
class Topology:
    devices: list[DeviceSpec] = field(default_factory=list)
    cables: list[Cable] = field(default_factory=list)
    declared: list[Cable] = field(default_factory=list)
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)  # pair name -> (agg a, agg b)

    site: str = "YM"  # host-name prefix: the building's code
    building: int = 1  # 1-based number of the building in the fleet
    offset: int = 0  # devices of the buildings before this one

    def add(
        self,
        rng: random.Random,
        name: str,
        kind: str,
        role: str,
        network: str,
        location: str,
        **extra: object,
    ) -> DeviceSpec:
        mdl = MODELS[kind]
        index = len(self.devices) + 1  # within the building; build_fleet adds the offset
        spec = DeviceSpec(
            name=name,
            platform=mdl.platform,
            role=role,
            network=network,
            model=mdl.model,
            vendor=mdl.vendor,
            serial=_serial(rng, mdl.vendor),
            version=rng.choice(mdl.versions),
            mac=mac_of(mdl.oui, self.offset + index, rng),
            index=index,
            location=location,
            mgmt_ip=mgmt_ip(index, self.building),
            ports=[PortSpec(n, k, s, lldp=role not in NON_LLDP_ROLES) for n, k, s in mdl.ports],
        )
        spec.extra.update(extra)
        self.devices.append(spec)
        return spec

    def cable(self, a: DeviceSpec, ap: str, b: DeviceSpec, bp: str) -> None:
        self.cables.append(Cable(a.name, ap, b.name, bp))

    def declare(self, a: DeviceSpec, ap: str, b: DeviceSpec, bp: str) -> None:
        self.declared.append(Cable(a.name, ap, b.name, bp))


def build_topology(
    rng: random.Random, site: str = "YM", building: int = 1, offset: int = 0
) -> Topology:
    topo = Topology(site=site, building=building, offset=offset)
    codes = {net: code for net, code, _ in NETWORKS}
    routers: dict[str, list[DeviceSpec]] = {}
    cores: dict[str, list[DeviceSpec]] = {}
    aggs: dict[str, list[DeviceSpec]] = {}

    for net in ROUTER_NETWORKS:
        routers[net] = [
            topo.add(rng, f"{site}-{codes[net]}-RT-0{i}", "router", "router", net, f"B1-MDF-R0{i}")
            for i in (1, 2)
        ]
    for net, code, _ in NETWORKS:
        cores[net] = [
            topo.add(rng, f"{site}-{code}-CORE-0{i}", "core", "core", net, f"B1-MDF-R0{i + 2}")
            for i in (1, 2)
        ]
    for net, code, pairs in NETWORKS:
        aggs[net] = []
        for p in range(len(pairs)):
            for i in (1, 2):
                n = 2 * p + i
                aggs[net].append(
                    topo.add(
                        rng,
                        f"{site}-{code}-AGG-{n:02d}",
                        "aggregation",
                        "aggregation",
                        net,
                        f"F{8 * p + 2:02d}-AGG-{i}",
                    )
                )

    # access switches, platform mix shuffled over the whole building
    mix = [plat for plat, count in ACCESS_MIX for _ in range(count)]
    rng.shuffle(mix)
    access: list[tuple[DeviceSpec, str, int, bool]] = []  # spec, pair name, position, single-homed
    n_mix = 0
    for net, code, pairs in NETWORKS:
        seq = 0
        for p, count in enumerate(pairs):
            a, b = aggs[net][2 * p], aggs[net][2 * p + 1]
            topo.pairs[a.name] = (a.name, b.name)
            per_floor = 6
            for k in range(count):
                seq += 1
                plat = mix[n_mix]
                n_mix += 1
                floor = 1 + (seq - 1) // per_floor % 20
                room = 1 + (seq - 1) % per_floor // 3
                loc = (
                    f"F{floor:02d}-IDF-{room}"
                    if net != "device_net"
                    else f"F{floor:02d}-IDF-{room}-SEC"
                )
                spec = topo.add(
                    rng,
                    f"{site}-{code}-ACC-{seq:03d}",
                    plat,
                    "access",
                    net,
                    loc,
                )
                spec.uplink_pair = a.name
                access.append((spec, a.name, k, rng.random() < SINGLE_HOMED_RATE))

    firewalls: dict[str, list[tuple[DeviceSpec, str]]] = {}
    for net, code, _ in NETWORKS:
        firewalls[net] = []
        n = 0
        for kind, purpose in FIREWALL_PAIRS[net]:
            pair_names = (f"{site}-{code}-FW-{n + 1:02d}", f"{site}-{code}-FW-{n + 2:02d}")
            for i in (0, 1):
                spec = topo.add(
                    rng,
                    pair_names[i],
                    kind,
                    "firewall",
                    net,
                    f"B1-DC-R{n // 2 + 5:02d}",
                    purpose=purpose,
                    ha_peer=pair_names[1 - i],
                )
                firewalls[net].append((spec, kind))
            n += 2
    ips: dict[str, list[DeviceSpec]] = {}
    for net in IPS_NETWORKS:
        code = codes[net]
        ips[net] = [
            topo.add(
                rng,
                f"{site}-{code}-IPS-0{i}",
                "ips",
                "ips",
                net,
                f"B1-DC-R0{i}",
                purpose="server-zone",
            )
            for i in (1, 2)
        ]
    fcs = [
        topo.add(rng, f"{site}-SAN-FC-0{i}", "fc", "fc_switch", "san", f"B1-DC-R1{i}")
        for i in (1, 2)
    ]

    _cable_core(topo, routers, cores, aggs)
    _cable_access(topo, access)
    _declare_security(topo, routers, cores, firewalls, ips)
    for port in FC_ISL_PORTS:
        topo.declare(fcs[0], port, fcs[1], port)
    return topo


def _cable_core(
    topo: Topology,
    routers: dict[str, list[DeviceSpec]],
    cores: dict[str, list[DeviceSpec]],
    aggs: dict[str, list[DeviceSpec]],
) -> None:
    for net, (c1, c2) in cores.items():
        for port in CORE_ISL:
            topo.cable(c1, port, c2, port)
        c1.lags[CORE_LAG] = list(CORE_ISL)
        c2.lags[CORE_LAG] = list(CORE_ISL)
        for r, rt in enumerate(routers.get(net, [])):
            topo.cable(rt, "XGigabitEthernet0/0/10", c1, f"XGigabitEthernet1/0/{r}")
            topo.cable(rt, "XGigabitEthernet0/0/11", c2, f"XGigabitEthernet1/0/{r}")
        for j, agg in enumerate(aggs[net]):
            topo.cable(agg, AGG_CORE_PORTS[0], c1, f"40GE2/0/{j}")
            topo.cable(agg, AGG_CORE_PORTS[1], c2, f"40GE2/0/{j}")
        for p in range(0, len(aggs[net]), 2):
            a, b = aggs[net][p], aggs[net][p + 1]
            for port in AGG_IPP_PORTS:
                topo.cable(a, port, b, port)
            a.lags[AGG_IPP] = list(AGG_IPP_PORTS)
            b.lags[AGG_IPP] = list(AGG_IPP_PORTS)


def agg_access_port(k: int) -> str:
    """Port of an aggregation switch (IRF of two) facing the k-th (0-based) access switch."""
    return f"Ten-GigabitEthernet1/0/{k + 1}" if k < 48 else f"Ten-GigabitEthernet2/0/{k - 47}"


def _cable_access(topo: Topology, access: list[tuple[DeviceSpec, str, int, bool]]) -> None:
    by = {d.name: d for d in topo.devices}
    for spec, pair, k, single in access:
        a, b = (by[n] for n in topo.pairs[pair])
        u1, u2, lag = ACCESS_UPLINKS[spec.platform]
        agg_port = agg_access_port(k)
        if single:
            target = a if k % 2 == 0 else b
            topo.cable(spec, u1, target, agg_port)
            spec.extra["single_homed"] = target.name
            continue
        topo.cable(spec, u1, a, agg_port)
        topo.cable(spec, u2, b, agg_port)
        spec.lags[lag] = [u1, u2]
        a.lags[f"Bridge-Aggregation{k + 1}"] = [agg_port]
        b.lags[f"Bridge-Aggregation{k + 1}"] = [agg_port]


def _declare_security(
    topo: Topology,
    routers: dict[str, list[DeviceSpec]],
    cores: dict[str, list[DeviceSpec]],
    firewalls: dict[str, list[tuple[DeviceSpec, str]]],
    ips: dict[str, list[DeviceSpec]],
) -> None:
    for net, fws in firewalls.items():
        c1, c2 = cores[net]
        next_core = 10
        rt_port = 1
        server_fws: list[tuple[DeviceSpec, str]] = []
        for i in range(0, len(fws), 2):
            pair = fws[i : i + 2]
            purpose = pair[0][0].extra["purpose"]
            for j, (fw, kind) in enumerate(pair):
                outside, inside, _server, ha = FW_PORTS[kind]
                core = (c1, c2)[j]
                topo.declare(fw, inside, core, f"XGigabitEthernet1/0/{next_core}")
                if purpose.endswith("-edge") and net in routers:
                    topo.declare(fw, outside, routers[net][j], f"GigabitEthernet0/0/{rt_port}")
                elif purpose.endswith("-edge") or purpose in ("dc-core", "edge"):
                    topo.declare(fw, outside, core, f"XGigabitEthernet1/0/{next_core + 20}")
                if j == 0:
                    topo.declare(fw, ha, pair[1][0], FW_PORTS[pair[1][1]][3])
                if purpose == "server-zone":
                    server_fws.append((fw, kind))
            if purpose.endswith("-edge") and net in routers:
                rt_port += 1
            next_core += 1
        for j, dev in enumerate(ips.get(net, [])):
            topo.declare(dev, "GigabitEthernet1/0/0", (c1, c2)[j], f"XGigabitEthernet1/0/{40 + j}")
            fw, kind = server_fws[j]
            topo.declare(dev, "GigabitEthernet1/0/1", fw, FW_PORTS[kind][2])
