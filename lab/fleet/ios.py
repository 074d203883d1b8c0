"""Cisco IOS running configurations (Catalyst 2960-X access switches).

Rendered as `show running-config` prints them from the first `!` after the
header to `end`; the dialect prepends `Building configuration...`,
`Current configuration : N bytes` and the `! Last configuration change` lines.
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
    ios_type5,
    ios_type7,
    ios_type9,
    token,
)
from netsteward.lab.fleet.ports import DevicePlan, IfPlan


def _interface(ifp: IfPlan) -> list[str]:
    out = [f"interface {ifp.name}"]
    if ifp.desc is not None:
        out.append(f" description {ifp.desc}")
    if ifp.mode == "access":
        out += [f" switchport access vlan {ifp.vlan}", " switchport mode access"]
    elif ifp.mode == "trunk":
        out += [
            " switchport trunk allowed vlan " + ",".join(str(v) for v in ifp.vlans),
            " switchport mode trunk",
        ]
    if ifp.lag:
        out.append(f" channel-group {ifp.lag.removeprefix('Port-channel')} mode active")
    out += [f" {line}" for line in ifp.edge_lines]
    if ifp.shutdown:
        out.append(" shutdown")
    return out


def render_ios(plan: DevicePlan, rng: random.Random, book: SecretBook) -> str:
    spec = plan.spec
    host = spec.name
    mgmt_vlan = plan.vlans[-1][0]
    major = spec.version.split("(")[0]
    s: list[list[str]] = [
        [""],
        [
            f"version {major}",
            "no service pad",
            "service timestamps debug datetime msec localtime show-timezone",
            "service timestamps log datetime msec localtime show-timezone",
            "service password-encryption",
        ],
        [f"hostname {host}"],
        ["boot-start-marker", "boot-end-marker"],
    ]
    s.append(
        [
            "logging buffered 64000 informational",
            f"enable secret 9 {book.add(host, 'enable_secret', ios_type9(rng))}",
        ]
    )
    s.append(
        [
            f"username admin privilege 15 secret 5 {book.add(host, 'local_user_password', ios_type5(rng))}",
            f"username netops privilege 15 secret 9 {book.add(host, 'local_user_password', ios_type9(rng))}",
            f"username backup privilege 1 password 7 {book.add(host, 'local_user_password', ios_type7(rng))}",
            "aaa new-model",
        ]
    )
    s.append(["aaa group server tacacs+ YM-TACACS", " server name YM-TACACS-1"])
    s.append(
        [
            "aaa group server radius YM-RADIUS",
            " server name YM-RADIUS-1",
            " server name YM-RADIUS-2",
        ]
    )
    s.append(
        [
            "aaa authentication login default group YM-TACACS local",
            "aaa authentication dot1x default group YM-RADIUS",
            "aaa authorization exec default group YM-TACACS local",
            "aaa accounting commands 15 default start-stop group YM-TACACS",
        ]
    )
    s.append(
        ["aaa session-id common", "clock timezone CST 8 0", "switch 1 provision ws-c2960x-48td-l"]
    )
    s.append(["ip domain-name ym.gov.example"])
    s.append(
        [
            "ip ssh version 2",
            "ip ssh pubkey-chain",
            "  username netops",
            f"   key-hash ssh-rsa {book.add(host, 'ssh_public_key', token(rng, 32, 'h'))} netops@ym-automation",
        ]
    )
    s.append(
        [
            "key chain YM-MGMT",
            " key 1",
            f"  key-string 7 {book.add(host, 'key_string', ios_type7(rng))}",
        ]
    )
    s.append(
        [
            "spanning-tree mode rapid-pvst",
            "spanning-tree extend system-id",
            *plan.global_loop,
            "errdisable recovery interval 300",
        ]
    )
    s.append(["vlan internal allocation policy ascending"])
    for v, name in plan.vlans:
        s.append([f"vlan {v}", f" name {name}"])
    s.append(["lldp run"])
    for name in sorted(
        (n for n, f in plan.ifs.items() if f.kind == "lag"), key=lambda n: int(n[12:])
    ):
        s.append(_interface(plan.ifs[name]))
    for port in spec.ports:
        s.append(_interface(plan.ifs[port.name]))
    s.append(["interface Vlan1", " no ip address", " shutdown"])
    s.append([f"interface Vlan{mgmt_vlan}", f" ip address {spec.mgmt_ip} 255.255.255.0"])
    gw = ".".join(spec.mgmt_ip.split(".")[:3]) + ".254"
    s.append([f"ip default-gateway {gw}", "no ip http server", "no ip http secure-server"])
    s.append(["ip access-list standard SNMP-NMS", f" permit {NMS_SERVER}"])
    s.append([f"logging source-interface Vlan{mgmt_vlan}", f"logging host {SYSLOG_SERVER}"])
    s.append(
        [
            f"snmp-server community {book.add(host, 'snmp_community', community(rng))} RO SNMP-NMS",
            f"snmp-server location {spec.location}",
            "snmp-server contact YM NOC +86-10-5550-0100",
            "snmp-server group ym-nms v3 priv",
            f"snmp-server host {NMS_SERVER} version 3 priv ym-nms-user",
        ]
    )
    s.append(
        [
            f"tacacs-server host {TACACS_SERVER}",
            f"tacacs-server key 7 {book.add(host, 'tacacs_key', ios_type7(rng))}",
        ]
    )
    s.append(
        [
            "tacacs server YM-TACACS-1",
            f" address ipv4 {TACACS_SERVER}",
            f" key 7 {book.add(host, 'tacacs_key', ios_type7(rng))}",
        ]
    )
    for i, addr in enumerate(RADIUS_SERVERS, 1):
        s.append(
            [
                f"radius server YM-RADIUS-{i}",
                f" address ipv4 {addr} auth-port 1812 acct-port 1813",
                f" key 7 {book.add(host, 'radius_key', ios_type7(rng))}",
            ]
        )
    s.append(
        [
            "line con 0",
            f" password 7 {book.add(host, 'console_password', ios_type7(rng))}",
            " logging synchronous",
            "line vty 0 4",
            " transport input ssh",
            "line vty 5 15",
            " transport input ssh",
        ]
    )
    s.append(
        [
            f"ntp authentication-key 1 md5 {book.add(host, 'ntp_key', ios_type7(rng))} 7",
            "ntp authenticate",
            "ntp trusted-key 1",
            f"ntp source Vlan{mgmt_vlan}",
            f"ntp server {NTP_SERVERS[0]} key 1 prefer",
            f"ntp server {NTP_SERVERS[1]} key 1",
            "end",
        ]
    )
    return "\n!\n".join("\n".join(sec) for sec in s).removeprefix("\n") + "\n"
