"""Firewalls, IPS and Brocade FC switches of the lab fleet.

Firewall policies come from `netsteward.lab.fleet.firewall.generate_firewall`; the IPS
get a VRP-style security configuration here. The Brocade data layout is documented in
`netsteward.lab.fleet.build`.
"""

from __future__ import annotations

import random
from typing import Any

from netsteward.lab.fleet.common import (
    NMS_SERVER,
    NTP_SERVERS,
    RADIUS_SERVERS,
    SYSLOG_SERVER,
    SecretBook,
    community,
    token,
)
from netsteward.lab.fleet.firewall import generate_firewall
from netsteward.lab.fleet.vrp import vrp_common
from netsteward.lab.model import Cable, DeviceSpec


def _links(spec: DeviceSpec, declared: list[Cable]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for c in declared:
        if c.a == spec.name:
            out[c.a_port] = (c.b, c.b_port)
        elif c.b == spec.name:
            out[c.b_port] = (c.a, c.a_port)
    return out


def firewall_config(
    spec: DeviceSpec, rng: random.Random, book: SecretBook
) -> tuple[str, list[dict[str, Any]]]:
    """(config, planted problems) of a firewall, its secrets recorded in `book`."""
    text, problems, secrets = generate_firewall(spec, rng)
    for item in secrets:
        book.add(item["host"], item["kind"], item["value"])
    return text, list(problems)


def _vrp_security(
    spec: DeviceSpec,
    rng: random.Random,
    book: SecretBook,
    links: dict[str, tuple[str, str]],
    firewall: bool,
) -> str:
    host = spec.name
    c = vrp_common(host, rng, book, spec.location, "GigabitEthernet0/0/0", keys=False)
    s: list[list[str]] = [[f"!Software Version {spec.version}"], [f"sysname {host}"]]
    s += [c["log"], c["radius"], c["acl"], c["aaa"], c["ntp"]]
    if spec.change_password_prompt:
        s[5] = s[5] + [" local-user admin password-force-change enable"]
    s.append(
        [
            "interface GigabitEthernet0/0/0",
            " undo shutdown",
            " ip binding vpn-instance default",
            f" ip address {spec.mgmt_ip} 255.255.255.0",
            " service-manage https permit",
            " service-manage ssh permit",
        ]
    )
    for n, port in enumerate(p.name for p in spec.ports if p.kind != "mgmt"):
        sec = [f"interface {port}"]
        if port in links:
            peer, peer_port = links[port]
            sec += [
                f" description TO-{peer}-{peer_port}",
                f" ip address 10.200.{spec.index % 256}.{4 * n + 1} 255.255.255.252",
            ]
        else:
            sec.append(" shutdown")
        s.append(sec)
    s.append(["interface NULL0"])
    if firewall:
        zones = [
            ["firewall zone local", " set priority 100"],
            [
                "firewall zone trust",
                " set priority 85",
                *[f" add interface {p}" for p in sorted(links)][1:],
            ],
            [
                "firewall zone untrust",
                " set priority 5",
                *[f" add interface {p}" for p in sorted(links)][:1],
            ],
        ]
        s += zones
        s.append(["security-policy", " rule name deny-all", "  action deny"])
    else:
        s.append(["ips-policy default", " rule name server-zone", "  action default"])
    s += [c["snmp"], c["ssh"], c["vty"], ["return"]]
    return "\n#\n".join("\n".join(sec) for sec in s) + "\n"


def ips_config(
    spec: DeviceSpec, rng: random.Random, book: SecretBook, declared: list[Cable]
) -> str:
    return _vrp_security(spec, rng, book, _links(spec, declared), firewall=False)


# --- Brocade ---------------------------------------------------------------------


def _wwn(rng: random.Random, prefix: str) -> str:
    tail = token(rng, 10, "h").lower()
    return prefix + ":" + ":".join(tail[i : i + 2] for i in range(0, 10, 2))


def brocade(
    spec: DeviceSpec,
    rng: random.Random,
    book: SecretBook,
    domain: int,
    isl: list[str],
    peer: DeviceSpec,
) -> None:
    """Fill `spec.extra` and `spec.config` of a G620 (see `netsteward.lab.fleet.build` for the field names)."""
    host = spec.name
    switch_wwn = "10:00:" + ":".join(spec.mac.split(":"))
    site = host.split("-", 1)[0]  # the building's code: YM, B02, ...
    fabric = f"{site}_FABRIC_A"
    ports: list[dict[str, Any]] = []
    sfps: list[dict[str, Any]] = []
    aliases: dict[str, list[str]] = {}
    attached: list[tuple[str, str]] = []  # alias name, kind
    n_srv = n_sto = 0
    for p in spec.ports:
        idx = int(p.name)
        row: dict[str, Any] = {
            "index": idx,
            "port": idx,
            "address": f"{domain:02x}{idx:02x}00",
            "media": "id",
            "speed": "N32",
            "state": "No_Light",
            "proto": "FC",
            "type": "",
            "wwn": "",
            "attached": "",
        }
        if p.name in isl:
            row.update(state="Online", type="E-Port", wwn="10:00:" + peer.mac, attached=peer.name)
        elif idx < 24:
            n_srv += 1
            name = f"SRV_ESX{n_srv:02d}_HBA{domain - 1}"
            wwn = _wwn(rng, "21:00:00:24:ff")
            row.update(state="Online", type="F-Port", wwn=wwn, attached=name, speed="N16")
            aliases[name] = [wwn]
            attached.append((name, "server"))
        elif 32 <= idx < 40:
            n_sto += 1
            name = f"STO_ARRAY{(n_sto + 1) // 2}_CT{n_sto % 2}_P{domain - 1}"
            wwn = _wwn(rng, "52:4a:93:7d")
            row.update(state="Online", type="F-Port", wwn=wwn, attached=name)
            aliases[name] = [wwn]
            attached.append((name, "storage"))
        elif idx >= 48:
            row.update(media="--", state="No_Module", speed="N32")
        ports.append(row)
        if row["media"] == "id":
            rx = round(rng.uniform(250.0, 620.0), 1) if row["state"] == "Online" else 0.0
            sfps.append(
                {
                    "port": idx,
                    "identifier": "SFP",
                    "connector": "LC",
                    "vendor_name": "BROCADE",
                    "vendor_oui": "00:05:1e",
                    "vendor_pn": "57-1000485-01",
                    "vendor_rev": "A",
                    "serial": "HAA" + token(rng, 10, "u"),
                    "speed": "8,16,32_Gbps",
                    "wavelength_nm": 850,
                    "temperature_c": rng.randint(30, 45),
                    "voltage_mv": round(rng.uniform(3280.0, 3340.0), 1),
                    "current_ma": round(rng.uniform(6.5, 8.5), 3),
                    "tx_power_uw": round(rng.uniform(480.0, 620.0), 1),
                    "rx_power_uw": rx,
                }
            )
    servers = [a for a, k in attached if k == "server"]
    storage = [a for a, k in attached if k == "storage"]
    zones = {f"Z_{srv}_{sto}": [srv, sto] for srv in servers for sto in storage[:2]}
    cfgs = {fabric: sorted(zones)}
    spec.extra.update(
        {
            "switch": {
                "switchName": host,
                "switchType": "162.0",
                "switchState": "Online",
                "switchMode": "Native",
                "switchRole": "Principal" if domain == 1 else "Subordinate",
                "switchDomain": domain,
                "switchId": f"fffc{domain:02x}",
                "switchWwn": switch_wwn,
                "zoning": f"ON ({fabric})",
                "switchBeacon": "OFF",
                "FC Router": "OFF",
                "Fabric Name": f"{site}-SAN",
                "LS Attributes": "[FID: 128, Base Switch: No, Default Switch: Yes, Ficon Switch: No, Address Mode 0]",
            },
            "fc_ports": ports,
            "zoning": {"aliases": aliases, "zones": zones, "cfgs": cfgs, "effective_cfg": fabric},
            "sfps": sfps,
        }
    )
    comm = book.add(host, "snmp_community", community(rng))
    lines = [
        "[Configuration upload Information]",
        "Configuration Format = 2.0",
        f"FOS version = {spec.version}",
        "Number of LS = 1",
        "[Chassis Configuration Begin]",
        "[fcRouting]",
        "fcRoute.backboneFabricId:-1",
        "[Chassis Configuration]",
        f"chassis.serialNumber:{spec.serial}",
        "[Chassis Configuration End]",
        "[Switch Configuration Begin : 0]",
        f"SwitchName = {host}",
        "Fabric ID = 128",
        "",
        "[Boot Parameters]",
        f"boot.name:{host}",
        f"boot.ipa:{spec.mgmt_ip}",
        "boot.licid:" + switch_wwn,
        "",
        "[Configuration]",
        "acl.clear:0",
        f"fabric.domain:{domain}",
        "fabric.ops.BBCredit:8",
        "fabric.ops.E_D_TOV:2000",
        "fabric.ops.R_A_TOV:10000",
        "ipfilter.0.name:default_ipv4",
        "fc4.fcp.vendorId:BROCADE",
        "fc4.fcp.productId:FC Switch",
        f"ts.clockServer:{NTP_SERVERS[0]}",
        f"ts.clockServerList:{NTP_SERVERS[0]};{NTP_SERVERS[1]}",
        f"syslog.address.1:{SYSLOG_SERVER}",
        f"snmp.agtParty.0.address:{NMS_SERVER}",
        f"snmp.agtParty.0.community:{comm}",
        "snmp.agtParty.0.trapSeverityLevel:0",
        f"radius.server.1:{RADIUS_SERVERS[0]}",
        f"radius.server.1.secret:{book.add(host, 'radius_key', token(rng, 20, 'a'))}",
        "ssh.rekeyinterval:3600",
        "",
        "[Defined Configuration]",
    ]
    lines.append(f"cfg.{fabric}:" + ";".join(cfgs[fabric]))
    lines += [f"zone.{z}:" + ";".join(m) for z, m in sorted(zones.items())]
    lines += [f"alias.{a}:" + ";".join(w) for a, w in sorted(aliases.items())]
    lines += ["", "[Effective Configuration]", f"cfg:{fabric}"]
    lines += [
        f"zone.{z}:" + ";".join(w for a in m for w in aliases[a]) for z, m in sorted(zones.items())
    ]
    lines += ["", "[Switch Configuration End : 0]"]
    spec.config = "\n".join(lines) + "\n"
