"""Huawei VRP running configurations (AR6280 routers, S12700E core, S5735 access).

Rendered as `display current-configuration` prints them: `!Software Version`
first, `#`-separated sections, `return` last.  The dialect inserts the volatile
header lines (`!Last configuration was updated at ...`) at display time.
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
    rsa_key_lines,
    token,
    vrp_cipher,
    vrp_irreversible,
)
from netsteward.lab.fleet.ports import NET_IDS, DevicePlan, IfPlan


def _secret(
    book: SecretBook, host: str, kind: str, rng: random.Random, irreversible: bool = False
) -> str:
    return book.add(host, kind, vrp_irreversible(rng) if irreversible else vrp_cipher(rng))


def vrp_common(
    host: str, rng: random.Random, book: SecretBook, location: str, mgmt_if: str, keys: bool
) -> dict[str, list[str]]:
    """Sections shared by every VRP device (also USG / NIP): keyed by position."""
    aaa = [
        "aaa",
        " authentication-scheme default",
        "  authentication-mode local",
        " authentication-scheme ym-radius",
        "  authentication-mode radius local",
        " authentication-scheme ym-tacacs",
        "  authentication-mode hwtacacs local",
        " authorization-scheme default",
        " accounting-scheme default",
        " domain default",
        "  authentication-scheme ym-radius",
        "  radius-server YM-RADIUS",
        " domain default_admin",
        "  authentication-scheme ym-tacacs",
        "  hwtacacs-server YM-TACACS",
        f" local-user admin password irreversible-cipher {_secret(book, host, 'local_user_password', rng, True)}",
        " local-user admin privilege level 15",
        " local-user admin service-type terminal ssh",
        f" local-user netops password irreversible-cipher {_secret(book, host, 'local_user_password', rng, True)}",
        " local-user netops privilege level 15",
        " local-user netops service-type ssh",
        f" local-user audit password cipher {_secret(book, host, 'local_user_password', rng)}",
        " local-user audit privilege level 1",
        " local-user audit service-type ssh",
    ]
    radius = [
        "radius-server template YM-RADIUS",
        f" radius-server shared-key cipher {_secret(book, host, 'radius_key', rng)}",
        f" radius-server authentication {RADIUS_SERVERS[0]} 1812 weight 80",
        f" radius-server authentication {RADIUS_SERVERS[1]} 1812 weight 20",
        f" radius-server accounting {RADIUS_SERVERS[0]} 1813 weight 80",
        " radius-server retransmit 2 timeout 5",
        "#",
        "hwtacacs-server template YM-TACACS",
        f" hwtacacs-server authentication {TACACS_SERVER}",
        f" hwtacacs-server authorization {TACACS_SERVER}",
        f" hwtacacs-server accounting {TACACS_SERVER}",
        f" hwtacacs-server shared-key cipher {_secret(book, host, 'tacacs_key', rng)}",
    ]
    ntp = [
        "ntp-service authentication enable",
        f"ntp-service authentication-keyid 1 authentication-mode hmac-sha256 cipher "
        f"{_secret(book, host, 'ntp_key', rng)}",
        "ntp-service reliable authentication-keyid 1",
        f"ntp-service unicast-server {NTP_SERVERS[0]} authentication-keyid 1 preference",
        f"ntp-service unicast-server {NTP_SERVERS[1]} authentication-keyid 1",
        f"ntp-service source-interface {mgmt_if}",
    ]
    engine = "800007DB03" + token(rng, 12, "h")
    snmp = [
        "snmp-agent",
        f"snmp-agent local-engineid {engine}",
        f"snmp-agent community read cipher {_secret(book, host, 'snmp_community', rng)} acl 2001",
        "snmp-agent sys-info contact YM NOC +86-10-5550-0100",
        f"snmp-agent sys-info location {location}",
        "snmp-agent sys-info version v2c v3",
        "snmp-agent group v3 ym-nms privacy read-view iso-view notify-view iso-view",
        f"snmp-agent target-host trap address udp-domain {NMS_SERVER} params securityname ym-nms-user v3 privacy",
        "snmp-agent mib-view included iso-view iso",
        "snmp-agent usm-user v3 ym-nms-user",
        "snmp-agent usm-user v3 ym-nms-user group ym-nms",
        f"snmp-agent usm-user v3 ym-nms-user authentication-mode sha cipher {_secret(book, host, 'snmpv3_auth', rng)}",
        f"snmp-agent usm-user v3 ym-nms-user privacy-mode aes128 cipher {_secret(book, host, 'snmpv3_priv', rng)}",
        "snmp-agent trap enable",
    ]
    ssh = [
        "stelnet server enable",
        "ssh server cipher aes256_ctr aes128_ctr",
        "ssh server hmac sha2_256",
        "ssh user admin",
        "ssh user admin authentication-type password",
        "ssh user admin service-type stelnet",
        "ssh user netops",
        "ssh user netops authentication-type " + ("rsa" if keys else "password"),
    ]
    if keys:
        ssh.append("ssh user netops assign rsa-key ym-automation")
    ssh += ["ssh user netops service-type stelnet", f"ssh server-source -i {mgmt_if}"]
    rsa: list[str] = []
    if keys:
        lines = rsa_key_lines(rng)
        book.add(host, "ssh_public_key", lines[0])
        rsa = ["rsa peer-public-key ym-automation", " public-key-code begin"]
        rsa += [f"  {line}" for line in lines]
        rsa += [" public-key-code end", " peer-public-key end"]
    vty = [
        "user-interface con 0",
        " authentication-mode password",
        f" set authentication password cipher {_secret(book, host, 'console_password', rng)}",
        "user-interface vty 0 4",
        " authentication-mode aaa",
        " user privilege level 15",
        " protocol inbound ssh",
        "user-interface vty 16 20",
        " authentication-mode aaa",
        " protocol inbound ssh",
    ]
    log = [
        "info-center source default channel 2 log level informational",
        f"info-center loghost source {mgmt_if}",
        f"info-center loghost {SYSLOG_SERVER} facility local6",
        "info-center timestamp log format-date precision-time millisecond",
    ]
    acl = ["acl number 2001", f" rule 5 permit source {NMS_SERVER} 0", " rule 100 deny"]
    return {
        "aaa": aaa,
        "radius": radius,
        "ntp": ntp,
        "snmp": snmp,
        "ssh": ssh,
        "rsa": rsa,
        "vty": vty,
        "log": log,
        "acl": acl,
    }


def _interface(
    spec_role: str, ifp: IfPlan, rng: random.Random, book: SecretBook, host: str
) -> list[str]:
    out = [f"interface {ifp.name}"]
    if ifp.desc is not None:
        out.append(f" description {ifp.desc}")
    if ifp.lag:
        out.append(f" eth-trunk {ifp.lag.removeprefix('Eth-Trunk')}")
    elif ifp.mode == "access":
        out += [" port link-type access", f" port default vlan {ifp.vlan}"]
    elif ifp.mode == "trunk":
        out += [
            " port link-type trunk",
            " undo port trunk allow-pass vlan 1",
            " port trunk allow-pass vlan " + " ".join(str(v) for v in ifp.vlans),
        ]
    elif ifp.mode == "routed":
        if spec_role != "router":
            out.append(" undo portswitch")
        out.append(f" ip address {ifp.ip}")
        if ifp.ospf:
            out.append(
                f" ospf authentication-mode md5 1 cipher {book.add(host, 'ospf_key', vrp_cipher(rng))}"
            )
            out.append(" ospf network-type p2p")
    if ifp.kind == "lag":
        out.append(" mode lacp")
    out += [f" {line}" for line in ifp.edge_lines]
    if ifp.shutdown:
        out.append(" shutdown")
    return out


def render_vrp_switch(plan: DevicePlan, rng: random.Random, book: SecretBook) -> str:
    """Router, core or access switch."""
    spec = plan.spec
    host, role, net = spec.name, spec.role, NET_IDS[spec.network]
    mgmt_vlan = plan.vlans[-1][0]
    mgmt_if = (
        "MEth0/0/1"
        if role == "core"
        else ("LoopBack0" if role == "router" else f"Vlanif{mgmt_vlan}")
    )
    keys = role in ("router", "core")
    c = vrp_common(host, rng, book, spec.location, mgmt_if, keys)
    s: list[list[str]] = [[f"!Software Version {spec.version}"], [f"sysname {host}"]]
    if role != "router":
        s.append(["vlan batch " + " ".join(str(v) for v, _ in plan.vlans)])
        stp = ["stp mode rstp"]
        if role == "core":
            stp.append("stp root primary" if host.endswith("01") else "stp root secondary")
        stp += plan.global_loop
        s.append(stp)
    s.append(["lldp enable"])
    s.append(["authentication-profile name default_authen_profile"])
    s.append(c["log"])
    s.append(c["radius"])
    s.append(c["acl"])
    s.append(c["aaa"])
    if spec.change_password_prompt:
        s[-1] = s[-1] + [" local-user admin password-force-change enable"]
    s.append(c["ntp"])
    for v, name in plan.vlans if role != "router" else []:
        s.append([f"vlan {v}", f" description {name}"])
    if role == "access":
        s.append(
            [
                f"interface Vlanif{mgmt_vlan}",
                " description MGMT",
                f" ip address {spec.mgmt_ip} 255.255.255.0",
            ]
        )
    for name in sorted((n for n, f in plan.ifs.items() if f.kind == "lag"), key=_lag_num):
        s.append(_interface(role, plan.ifs[name], rng, book, host))
    for port in spec.ports:
        ifp = plan.ifs[port.name]
        if ifp.role == "mgmt":
            s.append([f"interface {port.name}", f" ip address {spec.mgmt_ip} 255.255.255.0"])
        else:
            s.append(_interface(role, ifp, rng, book, host))
    if role in ("router", "core"):
        rid = f"10.{net}.255.{spec.index}"
        s.append(["interface LoopBack0", f" ip address {rid} 255.255.255.255"])
    s.append(["interface NULL0"])
    if role in ("router", "core"):
        ospf = [
            f"ospf 1 router-id {rid}",
            " silent-interface LoopBack0",
            " area 0.0.0.0",
            f"  authentication-mode md5 1 cipher {book.add(host, 'ospf_key', vrp_cipher(rng))}",
            f"  network {rid} 0.0.0.0",
            f"  network 10.{net}.240.0 0.0.15.255",
        ]
        if role == "router":
            ospf.insert(1, " default-route-advertise always")
        s.append(ospf)
    s.append(c["snmp"])
    s.append(c["ssh"])
    if c["rsa"]:
        s.append(c["rsa"])
    if role == "router":
        s.append([f"ip route-static 0.0.0.0 0.0.0.0 100.64.{spec.index}.1 description TO-ISP"])
    elif role == "access":
        gw = ".".join(spec.mgmt_ip.split(".")[:3]) + ".254"
        s.append([f"ip route-static 0.0.0.0 0.0.0.0 {gw}"])
    s.append(c["vty"])
    s.append(["return"])
    return "\n#\n".join("\n".join(sec) for sec in s) + "\n"


def _lag_num(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 0
