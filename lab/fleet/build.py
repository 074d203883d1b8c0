"""The lab's fleet: the building's 739 devices, their cabling and configurations.

`build_fleet(seed=2026)` is deterministic (same seed, same devices, cabling,
configurations and truth; one `random.Random` per concern, seeded from the
seed, never the clock) and builds everything in about a second.

More buildings (`build_fleet(seed, buildings=N)`, `lab start --buildings N`): an
operations company runs several buildings, each a copy of this one's design with its own
devices: building 1 is the default fleet unchanged (seed `seed`, host names `YM-...`);
building k >= 2 is generated the same way from the seed `"{seed}:building-k"` (its own
platform mix, serials, secrets, deviations, health and hardening findings), host names
prefixed with its code `Bkk` (`B02-BASE-ACC-001`), management addresses from 198.18.0.0/15
(`common.mgmt_ip`), indices (lab ports) after the buildings before it. Addresses inside
a building's configurations (loopbacks, interconnects) repeat from building to building, as
separate sites' private plans do; no cable or declared link crosses buildings. Truth lists
every building's records.

Naming (host name == sysname == inventory name)
    YM-<NET>-<ROLE>-<NN>; NET: BASE (base), EGI (egov_intranet), EGE
    (egov_extranet), DEV (device_net), SAN (san); ROLE: RT router, CORE, AGG,
    ACC (three digits), FW, IPS, FC.  Aggregation pairs are AGG-01/02, 03/04,
    05/06; a pair is named after its first member (`uplink_pair`).
    Fleet order (= `index`, lab port = base_port + index - 1): routers (BASE,
    EGE), cores, aggregation, access, firewalls, IPS, FC switches.

Sizes: base 3 pairs (90 access each), egov_intranet 1 pair (84), egov_extranet
1 pair (60), device_net 3 pairs (85 each); 400 S5735 / 200 S5130S / 69 C2960X
shuffled over the building; about 8 % of access switches single-homed.

Cabling (`Fleet.cables`, LLDP)
    - router XGigabitEthernet0/0/10 -> CORE-01, 0/0/11 -> CORE-02 (XGigabitEthernet1/0/0..1)
    - core pair: 40GE2/0/10-11 both ends, in Eth-Trunk1
    - aggregation j of a network: FortyGigE1/0/53 -> CORE-01 40GE2/0/j, FortyGigE2/0/53 -> CORE-02
    - aggregation pair (DRNI, IRF of two members each): FortyGigE1/0/54, FortyGigE2/0/54
      both ends, in Bridge-Aggregation1000 (intra-portal port)
    - k-th access switch of a pair: uplinks (Huawei XGigabitEthernet0/0/1-2, H3C
      Ten-GigabitEthernet1/0/49-50, Cisco TenGigabitEthernet1/0/1-2) to port
      Ten-GigabitEthernet1/0/(k+1) (k < 48) or 2/0/(k-47) of both aggregation
      switches; dual-homed: Eth-Trunk1 / Bridge-Aggregation1 / Port-channel1 on
      the access switch and Bridge-Aggregation(k+1) (DRNI group k+1) on each
      aggregation switch; single-homed: first uplink only, no LAG
      (`extra["single_homed"]` = the aggregation switch it hangs off).
`Fleet.declared_links` (no LLDP): every Cable has the firewall / IPS / FC switch
    as `a`: firewall inside port -> core XGigabitEthernet1/0/10.., edge
    firewalls' outside port -> router GigabitEthernet0/0/1-2 (or core 1/0/30..),
    HA port -> partner; IPS GigabitEthernet1/0/0 -> core 1/0/40-41,
    GigabitEthernet1/0/1 -> a server-zone firewall; FC ISL ports 46, 47.

Devices
    `mac` is the base MAC in lower-case colon form (`00:e0:fc:01:02:ab`); dialects
    render it in their own style.  `mgmt_ip` comes from RFC 5737 ranges;
    192.0.2.241-254 are the shared servers (NTP .241/.242, syslog .243, RADIUS
    .244/.245, TACACS .246, NMS .247).  Firewalls carry `extra["purpose"]`
    (internet-edge, vpn-edge, egov-edge, edge, dc-core, server-zone, dmz) and
    `extra["ha_peer"]`; YM-BASE-FW-05 has `extra["default_permit"] = True` (fwgen
    plants the fleet's one default-permit policy there).  Firewalls, IPS and FC
    switches list their declared links in `extra["links"]` ([{local_port, peer,
    peer_port}], as in the inventory).  Ports of firewalls, IPS and FC switches have `lldp=False`.
    Descriptions on router/core ports facing them read `TO-{peer}-{peer port}`
    (short name where DESIGN.md has one, e.g. `GE1/0/1`, `Gi0/1`; `port2`,
    `ethernet0/2` as is); the port policy does not cover them (no LLDP neighbour).

Configurations (`DeviceSpec.config`) are as the device displays them, without
volatile lines: VRP starts with `!Software Version ...` and ends with `return`
(the dialect adds `!Last configuration was updated...` lines after the first);
Comware starts with `#` / ` version 7.1.070, Release ...`; IOS runs from the
first `!` to `end` (the dialect adds `Building configuration...`, `Current
configuration : N bytes` and `! Last configuration change ...`); Brocade's is a
`configshow` body without its `date =` line (key names follow FOS `configshow`
where public sources show them: `boot.ipa`, `ts.clockServer`, `fc4.fcp.*`; the
`snmp.agtParty.*` and `radius.server.*` keys were not checked against a real
switch).

Brocade (`DeviceSpec.extra` of YM-SAN-FC-0x)
    switch: dict of switchshow header fields (switchName, switchType, switchState,
        switchMode, switchRole, switchDomain, switchId, switchWwn, zoning,
        switchBeacon, "FC Router", "Fabric Name", "LS Attributes")
    fc_ports: [{index, port, address, media ("id" | "--"), speed ("N16", "N32"),
        state (Online | No_Light | No_Module), proto "FC", type ("F-Port",
        "E-Port", ""), wwn (attached port WWN or peer switch WWN), attached
        (alias of the attached server/storage port or peer switch name)}]
    zoning: {aliases: {alias: [wwn]}, zones: {zone: [alias]}, cfgs: {cfg: [zone]},
        effective_cfg: cfg name}
    sfps: [{port, identifier, connector, vendor_name, vendor_oui, vendor_pn,
        vendor_rev, serial, speed, wavelength_nm, temperature_c, voltage_mv,
        current_ma, tx_power_uw, rx_power_uw}] (ports with a module)

Truth: {"secrets": [{host, kind, value}] (value exactly as in the config),
"port_deviations": [{host, interface, kind}] (see `netsteward.lab.fleet.ports`),
"firewall_problems": [{host, rule, check}] (from `netsteward.lab.fleet.firewall`),
"chinese": {gbk_devices: [host], texts: [{host, kind, interface, text}]} (Chinese
locations and user-port descriptions, and the Huawei devices that answer in GBK: see
`netsteward.lab.fleet.chinese`),
"health_anomalies": [{host, platform, kind, check, detail, needs_history}] (from
`netsteward.lab.fleet.health`; the health state itself is in `extra["health"]`),
"hardening_deviations": [{host, check, section, fixable}] (`netsteward.lab.fleet.hardening`)}.
"""

from __future__ import annotations

import random
from typing import Any

from netsteward.lab.fleet.chinese import plant_chinese
from netsteward.lab.fleet.common import SecretBook
from netsteward.lab.fleet.comware import render_comware
from netsteward.lab.fleet.endpoints import plant_endpoints
from netsteward.lab.fleet.hardening import harden_fleet
from netsteward.lab.fleet.health import plant_health
from netsteward.lab.fleet.ios import render_ios
from netsteward.lab.fleet.ports import plan_ports, plant_deviations
from netsteward.lab.fleet.security import brocade, firewall_config, ips_config
from netsteward.lab.fleet.topology import FC_ISL_PORTS, NON_LLDP_ROLES, Topology, build_topology
from netsteward.lab.fleet.vrp import render_vrp_switch
from netsteward.lab.model import Cable, DeviceSpec, Fleet

CHANGE_PASSWORD_DEVICES = 6
DEFAULT_PERMIT_FIREWALL = (
    "BASE-FW-05"  # after the site code: the first USG, its policy ends in a default permit (fwgen)
)


MAX_BUILDINGS = 128  # management addresses: four /24s of 198.18.0.0/15 per building


def site_code(building: int) -> str:
    """The host-name prefix of building `building` (1-based): YM, B02, B03, ..."""
    return "YM" if building == 1 else f"B{building:02d}"


def build_fleet(seed: int = 2026, buildings: int = 1) -> Fleet:
    """The fleet of `buildings` buildings (1: the building of the docstring, 739 devices)."""
    if not 1 <= buildings <= MAX_BUILDINGS:
        raise ValueError(f"buildings must be 1-{MAX_BUILDINGS}, not {buildings}")
    devices: list[DeviceSpec] = []
    cables: list[Cable] = []
    declared: list[Cable] = []
    truth: dict[str, Any] = {}
    for k in range(1, buildings + 1):
        key: int | str = seed if k == 1 else f"{seed}:building-{k}"
        topo, found = _build_building(key, site_code(k), k, len(devices))
        for spec in topo.devices:
            spec.index += len(devices)  # after rendering: configurations use the local index
        devices += topo.devices
        cables += topo.cables
        declared += topo.declared
        for name, value in found.items():
            if isinstance(value, dict):
                into = truth.setdefault(name, {})
                for sub, records in value.items():
                    into.setdefault(sub, []).extend(records)
            else:
                truth.setdefault(name, []).extend(value)
    if buildings > 1:
        truth["chinese"]["gbk_devices"].sort()
    return Fleet(
        seed=seed,
        devices=devices,
        cables=cables,
        declared_links=declared,
        truth=truth,
        buildings=buildings,
    )


def _build_building(
    seed: int | str, site: str, building: int, offset: int
) -> tuple[Topology, dict[str, Any]]:
    """One building's devices, cabling, configurations and truth (`seed`: its seed key)."""
    topo = build_topology(random.Random(f"{seed}:topology"), site, building, offset)
    pick = random.Random(f"{seed}:change-password")
    huawei = [
        d for d in topo.devices if d.platform == "huawei_vrp" and d.role in ("access", "firewall")
    ]
    for spec in pick.sample(huawei, CHANGE_PASSWORD_DEVICES):
        spec.change_password_prompt = True
    plans = plan_ports(topo, random.Random(f"{seed}:ports"))
    deviations = plant_deviations(plans, random.Random(f"{seed}:deviations"))
    chinese = plant_chinese(topo.devices, plans, random.Random(f"{seed}:chinese"))
    endpoints = plant_endpoints(topo.devices, plans, [*deviations, *chinese["texts"]], seed)

    by = {d.name: d for d in topo.devices}
    for link in topo.declared:  # what fwgen and the dialects may show on firewall / IPS / FC ports
        for host, port, peer, peer_port in (
            (link.a, link.a_port, link.b, link.b_port),
            (link.b, link.b_port, link.a, link.a_port),
        ):
            if by[host].role in NON_LLDP_ROLES:
                by[host].extra.setdefault("links", []).append(
                    {"local_port": port, "peer": peer, "peer_port": peer_port}
                )
    by[f"{site}-{DEFAULT_PERMIT_FIREWALL}"].extra["default_permit"] = True

    book = SecretBook()
    problems: list[dict[str, object]] = []
    for spec in topo.devices:
        rng = random.Random(f"{seed}:{spec.name}")
        if spec.name in plans:
            plan = plans[spec.name]
            if spec.platform == "huawei_vrp":
                spec.config = render_vrp_switch(plan, rng, book)
            elif spec.platform == "hp_comware":
                spec.config = render_comware(plan, rng, book)
            else:
                spec.config = render_ios(plan, rng, book)
        elif spec.role == "firewall":
            spec.config, found = firewall_config(spec, rng, book)
            problems.extend(found)
        elif spec.role == "ips":
            spec.config = ips_config(spec, rng, book, topo.declared)
        else:  # fc_switch
            domain = int(spec.name[-1])
            fabric_peer = by[f"{site}-SAN-FC-0" + ("2" if domain == 1 else "1")]
            brocade(spec, rng, book, domain, list(FC_ISL_PORTS), fabric_peer)
    health = plant_health(topo.devices, [*topo.cables, *topo.declared], seed)
    hardening = harden_fleet(topo.devices, book, seed)  # baseline audit (issue 15)
    truth = {
        "secrets": book.items,
        "port_deviations": deviations,
        "firewall_problems": problems,
        "chinese": chinese,
        "health_anomalies": health,
        "hardening_deviations": hardening,
        "endpoints": endpoints,
    }
    return topo, truth
