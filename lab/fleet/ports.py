"""Per-interface plans of switches and routers, and the planted port-policy deviations.

`plan_ports(topo, rng)` turns the cabling into one `IfPlan` per interface of
every router, core, aggregation and access switch: what the port is (uplink,
LAG, edge, link to a firewall...), its compliant description (DESIGN.md
"Port policy defaults") and its loop-protection lines.  `plant_deviations`
then breaks a known subset and returns the `truth["port_deviations"]` records.
The vendor renderers (`netsteward.lab.fleet.vrp`, `netsteward.lab.fleet.comware`, `netsteward.lab.fleet.ios`) only
print plans.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from netsteward.lab.fleet.common import short_name
from netsteward.lab.fleet.topology import Topology
from netsteward.lab.model import DeviceSpec

EDGE_LINES = {
    "huawei_vrp": ("stp edged-port enable", "loopback-detect enable"),
    "hp_comware": (
        "stp edged-port",
        "loopback-detection enable vlan all",
        "loopback-detection action shutdown",
    ),
    "cisco_ios": ("spanning-tree portfast", "spanning-tree bpduguard enable"),
}
GLOBAL_LINES = {
    "huawei_vrp": ("stp bpdu-protection",),
    "hp_comware": ("loopback-detection global enable vlan all", "stp bpdu-protection"),
    "cisco_ios": ("errdisable recovery cause bpduguard",),
}
NET_IDS = {"base": 1, "egov_intranet": 2, "egov_extranet": 3, "device_net": 4}
NET_VLANS: dict[str, list[tuple[int, str]]] = {
    "base": [(10, "OFFICE"), (20, "VOICE"), (30, "WLAN-AP"), (40, "PRINTER"), (100, "MGMT")],
    "egov_intranet": [
        (110, "EGOV-OFFICE"),
        (120, "EGOV-VOICE"),
        (130, "EGOV-PRINTER"),
        (200, "MGMT"),
    ],
    "egov_extranet": [(210, "EXT-OFFICE"), (220, "EXT-KIOSK"), (230, "EXT-WLAN"), (250, "MGMT")],
    "device_net": [(300, "CAMERA"), (310, "DOOR-CTRL"), (320, "BMS"), (399, "MGMT")],
}
SCOPE_ROLES = ("router", "core", "aggregation", "access")
USER_DESCRIPTIONS = (
    "Room {r} PC",
    "Room {r} phone",
    "AP-{f}-{n:02d}",
    "Printer {r}",
    "Cam-{f}-{n:02d}",
    "Door reader {r}",
    "Meeting room {r}",
    "Kiosk {n}",
)


@dataclass
class IfPlan:
    name: str
    kind: str = "phys"  # phys | lag
    role: str = "unused"  # uplink | lag | edge | unused | declared | wan | mgmt
    desc: str | None = None
    mode: str = ""  # access | trunk | routed | "" (nothing configured)
    vlan: int = 0
    vlans: list[int] = field(default_factory=list)
    lag: str = ""  # LAG this port is a member of
    ip: str = ""  # "10.1.250.1 255.255.255.252"
    ospf: bool = False
    edge_lines: list[str] = field(default_factory=list)
    shutdown: bool = False
    extra: list[str] = field(default_factory=list)  # vendor lines (drni, lacp...)


@dataclass
class DevicePlan:
    spec: DeviceSpec
    ifs: dict[str, IfPlan]
    global_loop: list[str]
    vlans: list[tuple[int, str]]
    neighbors: dict[str, tuple[str, str]]  # local port -> (peer, peer port), LLDP cables only


def _lag_id(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 0


def policy_description(
    plan: DevicePlan, port: str, by: dict[str, DeviceSpec], lag_of: dict[tuple[str, str], str]
) -> str:
    """The compliant description of an uplink or LAG (DESIGN.md)."""
    spec = plan.spec
    if port in spec.lags:
        peers = sorted({plan.neighbors[m][0] for m in spec.lags[port] if m in plan.neighbors})
        if len(peers) > 1:
            return "TO-" + "+".join(peers)
        member = next(m for m in spec.lags[port] if m in plan.neighbors)
        peer, peer_port = plan.neighbors[member]
        return f"TO-{peer}-{short_name(by[peer].platform, lag_of[(peer, peer_port)])}"
    peer, peer_port = plan.neighbors[port]
    return f"TO-{peer}-{short_name(by[peer].platform, peer_port)}"


def plan_ports(topo: Topology, rng: random.Random) -> dict[str, DevicePlan]:
    by = {d.name: d for d in topo.devices}
    lag_of = {
        (d.name, m): lag for d in topo.devices for lag, members in d.lags.items() for m in members
    }
    nbr: dict[str, dict[str, tuple[str, str]]] = {d.name: {} for d in topo.devices}
    for c in topo.cables:
        nbr[c.a][c.a_port] = (c.b, c.b_port)
        nbr[c.b][c.b_port] = (c.a, c.a_port)
    declared: dict[str, dict[str, tuple[str, str]]] = {d.name: {} for d in topo.devices}
    for c in topo.declared:
        declared[c.a][c.a_port] = (c.b, c.b_port)
        declared[c.b][c.b_port] = (c.a, c.a_port)

    plans: dict[str, DevicePlan] = {}
    link_no = {net: 0 for net in NET_IDS}
    link_ip: dict[tuple[str, str], str] = {}

    def p2p(net: str, a: tuple[str, str], b: tuple[str, str]) -> None:
        n = link_no[net]
        link_no[net] += 1
        third, fourth = 240 + n // 64, (n % 64) * 4
        link_ip[a] = f"10.{NET_IDS[net]}.{third}.{fourth + 1} 255.255.255.252"
        link_ip[b] = f"10.{NET_IDS[net]}.{third}.{fourth + 2} 255.255.255.252"

    routed_roles = {frozenset({"router", "core"}), frozenset({"aggregation", "core"})}
    n_cables = len(topo.cables)
    for i, c in enumerate(topo.cables + topo.declared):
        ra, rb = by[c.a].role, by[c.b].role
        if frozenset({ra, rb}) in routed_roles or (
            i >= n_cables and {ra, rb} & {"router", "core"} and "ips" not in (ra, rb)
        ):
            p2p(by[c.a].network, (c.a, c.a_port), (c.b, c.b_port))

    # firewalls and IPSs are rendered elsewhere (fwgen): they take their side of each
    # transfer network to a router or core from here
    for (host, link_port), address in link_ip.items():
        if by[host].role not in SCOPE_ROLES:
            by[host].extra.setdefault("link_ip", {})[link_port] = address

    for spec in topo.devices:
        if spec.role not in SCOPE_ROLES:
            continue
        vlans = NET_VLANS[spec.network]
        vlan_ids = [v for v, _ in vlans]
        plan = DevicePlan(
            spec,
            {},
            list(GLOBAL_LINES[spec.platform]) if spec.role == "access" else [],
            vlans,
            nbr[spec.name],
        )
        for lag in spec.lags:
            plan.ifs[lag] = IfPlan(lag, kind="lag", role="lag", mode="trunk", vlans=vlan_ids)
        user_n = 0
        for port in spec.ports:
            ip = IfPlan(port.name)
            plan.ifs[port.name] = ip
            if port.kind == "mgmt":
                ip.role = "mgmt"
                continue
            key = (spec.name, port.name)
            if port.name in plan.neighbors:
                ip.role = "uplink"
                ip.lag = lag_of.get(key, "")
                ip.ip = link_ip.get(key, "")
                ip.mode = "routed" if ip.ip else "trunk"
                ip.ospf = bool(ip.ip)
                ip.vlans = vlan_ids
            elif port.name in declared[spec.name]:
                peer, peer_port = declared[spec.name][port.name]
                ip.role = "declared"
                ip.desc = f"TO-{peer}-{short_name(by[peer].platform, peer_port)}"
                ip.ip = link_ip.get(key, "")
                ip.mode = "routed" if ip.ip else "trunk"
                ip.vlans = vlan_ids
            elif spec.role == "router" and port.name == "GigabitEthernet0/0/0":
                ip.role = "wan"
                ip.desc = "TO-ISP-LINE-1G"
                ip.mode = "routed"
                ip.ip = f"100.64.{spec.index}.2 255.255.255.252"
            elif spec.role == "access":
                ip.role = "edge"
                ip.mode = "access"
                n = int(port.name.rsplit("/", 1)[-1])
                ip.vlan = (
                    vlan_ids[0] if n <= 32 else vlan_ids[min(len(vlan_ids) - 2, 1 + (n - 33) // 8)]
                )
                ip.edge_lines = list(EDGE_LINES[spec.platform])
                if rng.random() < 0.25:
                    user_n += 1
                    fmt = rng.choice(USER_DESCRIPTIONS)
                    ip.desc = fmt.format(
                        r=f"{spec.location[1:3]}{rng.randint(1, 40):02d}",
                        f=spec.location[:3],
                        n=user_n,
                    )
            else:
                ip.shutdown = spec.role in ("core", "router")
        for name, ifp in plan.ifs.items():
            if ifp.role in ("uplink", "lag"):
                ifp.desc = policy_description(plan, name, by, lag_of)
        plans[spec.name] = plan
    return plans


ACCESS_KINDS = (
    "missing_description",
    "stale_description",
    "edge_without_loop_protection",
    "uplink_marked_edge",
    "missing_global_loop_protection",
)
DESC_KINDS = ("missing_description", "stale_description")


def _stale(rng: random.Random, plan: DevicePlan, ifp: IfPlan, names: list[str]) -> str:
    assert ifp.desc is not None
    choice = rng.randint(0, 2)
    if choice == 0:  # the switch that used to be there
        return (
            f"TO-{rng.choice(names)}-{ifp.desc.rsplit('-', 1)[-1]}"
            if "+" not in ifp.desc
            else "TO-" + "+".join(sorted(rng.sample(names, 2)))
        )
    if choice == 1:  # free text from before the naming standard
        return rng.choice(("uplink", "Uplink to AGG", "trunk-old", "to core", "TEMP do not use"))
    return ifp.desc.replace("TO-", "TO-OLD-", 1)


def plant_deviations(
    plans: dict[str, DevicePlan], rng: random.Random
) -> list[dict[str, str | None]]:
    """Break a known subset of ports; return the truth records, sorted."""
    truth: list[dict[str, str | None]] = []
    by_group: dict[tuple[str, str], list[DevicePlan]] = {}
    for plan in plans.values():
        by_group.setdefault((plan.spec.role, plan.spec.platform), []).append(plan)
    wanted = {
        ("access", "huawei_vrp"): 14,
        ("access", "hp_comware"): 10,
        ("access", "cisco_ios"): 7,
        ("aggregation", "hp_comware"): 3,
        ("core", "huawei_vrp"): 2,
        ("router", "huawei_vrp"): 1,
    }
    all_names = sorted(plans)
    for (role, platform), count in sorted(wanted.items()):
        chosen = rng.sample(by_group[(role, platform)], count)
        kinds = ACCESS_KINDS if role == "access" else DESC_KINDS
        for i, plan in enumerate(chosen):
            picked = [kinds[i % len(kinds)]]
            if rng.random() < 0.5:
                picked.append(rng.choice(kinds))
            used: set[str] = set()
            for kind in picked:
                rec = _plant(plan, kind, rng, used, all_names)
                if rec is not None:
                    truth.append(rec)
    truth.sort(key=lambda r: (r["host"] or "", r["interface"] or "", r["kind"] or ""))
    return truth


def _plant(
    plan: DevicePlan, kind: str, rng: random.Random, used: set[str], names: list[str]
) -> dict[str, str | None] | None:
    host = plan.spec.name
    if kind == "missing_global_loop_protection":
        if "<global>" in used:
            return None
        used.add("<global>")
        drop = rng.sample(plan.global_loop, rng.randint(1, len(plan.global_loop)))
        plan.global_loop = [line for line in plan.global_loop if line not in drop]
        return {"host": host, "interface": None, "kind": kind}
    if kind in DESC_KINDS:
        pool = [f for f in plan.ifs.values() if f.role in ("uplink", "lag")]
    elif kind == "uplink_marked_edge":
        pool = [f for f in plan.ifs.values() if f.role == "uplink"]
    else:
        pool = [f for f in plan.ifs.values() if f.role == "edge"]
    pool = [f for f in pool if f.name not in used]
    if not pool:
        return None
    ifp = rng.choice(pool)
    used.add(ifp.name)
    if kind == "missing_description":
        ifp.desc = None
    elif kind == "stale_description":
        old = ifp.desc
        while ifp.desc == old:
            ifp.desc = _stale(rng, plan, ifp, [n for n in names if n != host])
    elif kind == "edge_without_loop_protection":
        edge = ifp.edge_lines
        dropped = set(rng.sample(edge, rng.randint(1, len(edge))))
        ifp.edge_lines = [line for line in edge if line not in dropped]
    else:
        wrong = EDGE_LINES[plan.spec.platform]
        ifp.edge_lines = list(wrong[: rng.randint(1, len(wrong))])
    return {"host": host, "interface": ifp.name, "kind": kind}
