"""H3C Comware 7 running configurations (S6520X aggregation, S5130S access).

Rendered as `display current-configuration` prints them: `#`-separated, global
commands indented by one space, ` version 7.1.070, Release ...` first, `return`
last.
"""

from __future__ import annotations

import random

from netsteward.lab.fleet.common import (
    NMS_SERVER,
    NTP_SERVERS,
    RADIUS_SERVERS,
    SYSLOG_SERVER,
    TACACS_SERVER,
    SecretBook,
    community,
    comware_cipher,
    comware_hash,
    rsa_key_lines,
    token,
)
from netsteward.lab.fleet.ports import NET_IDS, DevicePlan, IfPlan


def _interface(ifp: IfPlan, rng: random.Random, book: SecretBook, host: str) -> list[str]:
    out = [f"interface {ifp.name}"]
    phys = ifp.kind == "phys" and ifp.role != "mgmt"
    if phys:
        out.append(" port link-mode route" if ifp.mode == "routed" else " port link-mode bridge")
    if ifp.desc is not None:
        out.append(f" description {ifp.desc}")
    if ifp.mode == "access":
        out.append(f" port access vlan {ifp.vlan}")
    elif ifp.mode == "trunk":
        out += [
            " port link-type trunk",
            " undo port trunk permit vlan 1",
            " port trunk permit vlan " + " ".join(str(v) for v in ifp.vlans),
        ]
    elif ifp.mode == "routed":
        out.append(f" ip address {ifp.ip}")
        if ifp.ospf:
            out.append(" ospf network-type p2p")
            out.append(
                f" ospf authentication-mode md5 1 cipher {book.add(host, 'ospf_key', comware_cipher(rng))}"
            )
    if ifp.kind == "lag":
        out.append(" link-aggregation mode dynamic")
    out += [f" {line}" for line in ifp.edge_lines]
    if ifp.lag:
        out.append(f" port link-aggregation group {ifp.lag.removeprefix('Bridge-Aggregation')}")
    out += [f" {line}" for line in ifp.extra]
    if ifp.shutdown:
        out.append(" shutdown")
    return out


def render_comware(plan: DevicePlan, rng: random.Random, book: SecretBook) -> str:
    spec = plan.spec
    host, role, net = spec.name, spec.role, NET_IDS[spec.network]
    mgmt_vlan = plan.vlans[-1][0]
    agg = role == "aggregation"
    mgmt_if = "M-GigabitEthernet0/0/0" if agg else f"Vlan-interface{mgmt_vlan}"
    s: list[list[str]] = [
        [f" version {spec.version}"],
        [f" sysname {host}"],
        [" clock timezone Beijing add 08:00:00"],
    ]
    if agg:
        s.append(
            [
                " irf mac-address persistent timer",
                " irf auto-update enable",
                " undo irf link-delay",
                " irf member 1 priority 32",
                " irf member 2 priority 1",
            ]
        )
    s.append([" lldp global enable"])
    s.append([" password-recovery enable"])
    loop = [f" {line}" for line in plan.global_loop if line.startswith("loopback")]
    if loop:
        s.append(loop)
    if agg:
        pair_no = (int(host[-2:]) + 1) // 2
        s.append(
            [
                f" drni system-mac 70ba-ef{net:02x}-{pair_no:04x}",
                f" drni system-number {1 if int(host[-2:]) % 2 else 2}",
                " drni system-priority 123",
                " drni restore-delay 300",
            ]
        )
        rid = f"10.{net}.255.{spec.index}"
        s.append(
            [
                f" ospf 1 router-id {rid}",
                "  area 0.0.0.0",
                f"   authentication-mode md5 1 cipher {book.add(host, 'ospf_key', comware_cipher(rng))}",
                f"   network {rid} 0.0.0.0",
                f"   network 10.{net}.240.0 0.0.15.255",
                f"   network 10.{net}.{10 + pair_no}.0 0.0.0.255",
            ]
        )
    s.append(["vlan 1"])
    for v, name in plan.vlans:
        s.append([f"vlan {v}", f" name {name}"])
    stp = [" stp mode rstp"] + [f" {line}" for line in plan.global_loop if line.startswith("stp")]
    s.append([*stp, " stp global enable"])
    for name in sorted((n for n, f in plan.ifs.items() if f.kind == "lag"), key=_num):
        ifp = plan.ifs[name]
        if agg:
            ifp.extra = (
                ["port drni intra-portal-port 1"]
                if name.endswith("1000")
                else [f"port drni group {_num(name)}"]
            )
        s.append(_interface(ifp, rng, book, host))
    s.append(["interface NULL0"])
    if agg:
        s.append(["interface LoopBack0", f" ip address 10.{net}.255.{spec.index} 255.255.255.255"])
    for v, _ in plan.vlans[:-1] if agg else []:
        pair_no = (int(host[-2:]) + 1) // 2
        s.append(
            [
                f"interface Vlan-interface{v}",
                f" ip address 10.{net}.{10 + pair_no}.{v % 256} 255.255.255.0",
            ]
        )
    if not agg:
        s.append(
            [f"interface Vlan-interface{mgmt_vlan}", f" ip address {spec.mgmt_ip} 255.255.255.0"]
        )
    for port in spec.ports:
        ifp = plan.ifs[port.name]
        if ifp.role == "mgmt":
            s.append([f"interface {port.name}", f" ip address {spec.mgmt_ip} 255.255.255.0"])
        else:
            s.append(_interface(ifp, rng, book, host))
    s.append([" line class aux", "  user-role network-admin"])
    s.append([" line class vty", "  user-role network-operator"])
    s.append(["line aux 0", " user-role network-admin"])
    s.append(
        [
            "line vty 0 63",
            " authentication-mode scheme",
            " user-role network-operator",
            " protocol inbound ssh",
        ]
    )
    gw = ".".join(spec.mgmt_ip.split(".")[:3]) + ".254"
    s.append([f" ip route-static 0.0.0.0 0 {gw}"])
    s.append(
        [
            f" info-center loghost source {mgmt_if}",
            f" info-center loghost {SYSLOG_SERVER} facility local6",
        ]
    )
    engine = "800063A280" + token(rng, 12, "h")
    s.append(
        [
            " snmp-agent",
            f" snmp-agent local-engineid {engine}",
            f" snmp-agent community read simple {book.add(host, 'snmp_community', community(rng))} acl 2001",
            f" snmp-agent community write cipher {book.add(host, 'snmp_community', comware_cipher(rng))} acl 2001",
            " snmp-agent sys-info contact YM NOC +86-10-5550-0100",
            f" snmp-agent sys-info location {spec.location}",
            " snmp-agent sys-info version v2c v3",
            " snmp-agent group v3 ym-nms privacy",
            f" snmp-agent target-host trap address udp-domain {NMS_SERVER} params securityname ym-nms-user v3 privacy",
            f" snmp-agent usm-user v3 ym-nms-user ym-nms cipher authentication-mode sha "
            f"{book.add(host, 'snmpv3_auth', comware_cipher(rng))} privacy-mode aes128 "
            f"{book.add(host, 'snmpv3_priv', comware_cipher(rng))}",
        ]
    )
    ssh = [" ssh server enable"]
    if agg:
        ssh.append(
            " ssh user netops service-type stelnet authentication-type publickey assign publickey ym-automation"
        )
    s.append(ssh)
    s.append(
        [
            " ntp-service enable",
            " ntp-service authentication enable",
            f" ntp-service authentication-keyid 1 authentication-mode md5 cipher "
            f"{book.add(host, 'ntp_key', comware_cipher(rng))}",
            " ntp-service reliable authentication-keyid 1",
            f" ntp-service unicast-server {NTP_SERVERS[0]} authentication-keyid 1",
            f" ntp-service unicast-server {NTP_SERVERS[1]} authentication-keyid 1",
        ]
    )
    s.append([" acl basic 2001", f" rule 0 permit source {NMS_SERVER} 0", " rule 100 deny"])
    s.append(
        [
            " radius scheme ym-radius",
            f"  primary authentication {RADIUS_SERVERS[0]}",
            f"  primary accounting {RADIUS_SERVERS[0]}",
            f"  secondary authentication {RADIUS_SERVERS[1]}",
            f"  key authentication cipher {book.add(host, 'radius_key', comware_cipher(rng))}",
            f"  key accounting cipher {book.add(host, 'radius_key', comware_cipher(rng))}",
            "  user-name-format without-domain",
        ]
    )
    s.append(
        [
            " hwtacacs scheme ym-tacacs",
            f"  primary authentication {TACACS_SERVER}",
            f"  primary authorization {TACACS_SERVER}",
            f"  primary accounting {TACACS_SERVER}",
            f"  key authentication cipher {book.add(host, 'tacacs_key', comware_cipher(rng))}",
            f"  key authorization cipher {book.add(host, 'tacacs_key', comware_cipher(rng))}",
            "  user-name-format without-domain",
        ]
    )
    s.append(
        [
            "domain system",
            " authentication login hwtacacs-scheme ym-tacacs local",
            " authorization login hwtacacs-scheme ym-tacacs local",
            " accounting login hwtacacs-scheme ym-tacacs local",
            " authentication lan-access radius-scheme ym-radius",
        ]
    )
    s.append([" domain default enable system"])
    s.append(["role name level-0", " description Predefined level-0 role"])
    s.append(["user-group system"])
    for user, level in (
        ("admin", "network-admin"),
        ("netops", "network-admin"),
        ("audit", "network-operator"),
    ):
        s.append(
            [
                f"local-user {user} class manage",
                f" password hash {book.add(host, 'local_user_password', comware_hash(rng))}",
                " service-type ssh terminal" if user == "admin" else " service-type ssh",
                f" authorization-attribute user-role {level}",
            ]
        )
    if agg:
        lines = rsa_key_lines(rng)
        book.add(host, "ssh_public_key", lines[0])
        s.append(
            [" public-key peer ym-automation", "  public-key-code begin"]
            + [f"   {line}" for line in lines]
            + ["  public-key-code end", "  peer-public-key end"]
        )
    s.append(["return"])
    return "#\n" + "\n#\n".join("\n".join(sec) for sec in s) + "\n"


def _num(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 0
