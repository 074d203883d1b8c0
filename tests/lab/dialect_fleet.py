"""A small fleet for the dialect tests: one or two devices per platform of this part.

Used until (and besides) the real generator `netsteward.lab.fleet.build`: it pins the exact
configurations the dialect tests edit.  `build(seed)` is a fleet source for
`netsteward.lab.engine.server` (`--fleet tests/lab/dialect_fleet.py:build`).
"""

from __future__ import annotations

from netsteward.lab.model import (
    Cable,
    DeviceSpec,
    Fleet,
    PortSpec,
)

IOS_CONFIG = """!
version 15.2
no service pad
service timestamps debug datetime msec
service timestamps log datetime msec
service password-encryption
!
hostname {name}
!
boot-start-marker
boot-end-marker
!
enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0
!
username netadmin privilege 15 secret 5 $1$abcd$Wz5v2Zc6pZ1nB0lX8y3jK1
aaa new-model
!
ip domain-name ym.gov.example
ip name-server 10.10.0.53 10.10.0.54
!
spanning-tree mode rapid-pvst
spanning-tree extend system-id
errdisable recovery cause bpduguard
!
interface Port-channel1
 description TO-{peer}-Po1
 switchport mode trunk
!
interface FastEthernet0
 no ip address
 shutdown
!
interface GigabitEthernet1/0/1
 description Office 101
 switchport access vlan 10
 switchport mode access
 spanning-tree portfast
 spanning-tree bpduguard enable
!
interface GigabitEthernet1/0/2
 switchport access vlan 10
 switchport mode access
!
interface GigabitEthernet1/0/3
 switchport access vlan 10
 switchport mode access
!
interface GigabitEthernet1/0/4
 switchport access vlan 10
 switchport mode access
!
interface TenGigabitEthernet1/0/1
 description TO-{peer}-Te1/0/1
 switchport mode trunk
 channel-group 1 mode active
!
interface TenGigabitEthernet1/0/2
 description TO-{peer}-Te1/0/2
 switchport mode trunk
 channel-group 1 mode active
!
interface Vlan1
 no ip address
 shutdown
!
interface Vlan100
 ip address {ip} 255.255.255.0
!
ip default-gateway 10.20.100.1
!
snmp-server community Ym-Ro-2026 RO
tacacs-server host 10.10.0.49 key 7 0822455D0A16
!
line con 0
line vty 0 4
 transport input ssh
line vty 5 15
 transport input ssh
!
ntp server 10.10.0.123
end
"""


ASA_CONFIG = """ASA Version 9.12(4)67
!
hostname YM-FW-ASA-01
enable password $sha512$5000$abc pbkdf2
names
!
interface GigabitEthernet1/1
 nameif outside
 security-level 0
 ip address 192.0.2.2 255.255.255.0
!
object network WEB-01
 host 10.1.1.10
object network NET-USERS
 subnet 10.2.0.0 255.255.0.0
object service SVC-8443
 service tcp destination eq 8443
object-group network WEB-SERVERS
 network-object object WEB-01
 network-object host 10.1.1.11
object-group service WEB-PORTS tcp
 port-object eq www
 port-object eq https
access-list OUTSIDE_IN remark allow web
access-list OUTSIDE_IN extended permit tcp any object-group WEB-SERVERS eq https log
access-list OUTSIDE_IN extended permit tcp object NET-USERS object WEB-01 eq 8080 inactive
access-list OUTSIDE_IN extended permit object SVC-8443 any object WEB-01 log
access-list OUTSIDE_IN extended deny ip any any log
access-group OUTSIDE_IN in interface outside
"""

FORTI_CONFIG = """config system global
    set hostname "YM-FW-FGT-01"
    set timezone 55
end
config system interface
    edit "port1"
        set vdom "root"
        set ip 192.0.2.10 255.255.255.0
        set allowaccess ping https ssh
        set type physical
        set alias "internet"
    next
    edit "port2"
        set vdom "root"
        set ip 10.30.0.1 255.255.255.0
        set type physical
    next
end
config firewall address
    edit "WEB-01"
        set subnet 10.30.1.10 255.255.255.255
    next
end
config firewall policy
    edit 1
        set name "web-in"
        set uuid 0f0e2a4c-5d6b-51f2-9a7e-3c1d2b4a5f60
        set srcintf "port1"
        set dstintf "port2"
        set action accept
        set srcaddr "all"
        set dstaddr "WEB-01"
        set schedule "always"
        set service "HTTPS"
        set logtraffic all
    next
end
"""


STONEOS_CONFIG = """hostname "{name}"
admin user "hillstone"
  password +Xk2mQ9sLw0pZr7Tn4Vb8Ya1Uc3Hd6Je
  privilege 15
  access ssh
exit
zone "untrust"
exit
zone "trust"
exit
interface ethernet0/0
  zone "untrust"
  ip address 192.0.2.1 255.255.255.252
  manage ping
exit
interface ethernet0/1
  zone "trust"
  ip address 192.0.2.5 255.255.255.252
exit
snmp-server community cmQ2w3e4r5t6y7u ro
address "WEB-01"
  ip 10.40.1.10/32
exit
service "TCP-8443"
  tcp dst-port 8443
exit
policy-global
  rule id 1
    action permit
    src-zone "untrust"
    dst-zone "trust"
    src-addr "Any"
    dst-addr "WEB-01"
    service "TCP-8443"
    name "web-in"
    log session-start
  exit
exit
end
"""


def _ios(name: str, index: int, peer: str, ip: str, mac: str) -> DeviceSpec:
    ports = [PortSpec(f"GigabitEthernet1/0/{i}") for i in range(1, 5)]
    ports += [PortSpec(f"TenGigabitEthernet1/0/{i}", speed="10G") for i in (1, 2)]
    ports.append(PortSpec("FastEthernet0", kind="mgmt", speed="100M", lldp=False))
    return DeviceSpec(
        name=name,
        platform="cisco_ios",
        role="access",
        network="device_net",
        model="WS-C2960X-48TD-L",
        vendor="cisco",
        serial=f"FOC2231X{index:03d}",
        version="15.2(7)E8",
        mac=mac,
        index=index,
        mgmt_ip=ip,
        ports=ports,
        lags={"Port-channel1": ["TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2"]},
        config=IOS_CONFIG.format(name=name, peer=peer, ip=ip),
    )


def _brocade(seed: int) -> DeviceSpec:
    """The real generator's first FC switch (its zoning and SFP data live in `extra`)."""
    from dataclasses import replace

    from netsteward.lab.fleet.build import build_fleet

    fc = next(d for d in build_fleet(seed).devices if d.platform == "brocade_fos")
    return replace(fc, index=6, extra=dict(fc.extra))


def build(seed: int = 2026) -> Fleet:
    a = _ios("LAB-IOS-ACC-01", 1, "LAB-IOS-ACC-02", "10.20.100.61", "70db.9812.3400")
    b = _ios("LAB-IOS-ACC-02", 2, "LAB-IOS-ACC-01", "10.20.100.62", "70db.9812.7700")
    asa = DeviceSpec(
        name="LAB-FW-ASA-01",
        platform="cisco_asa",
        role="firewall",
        network="base",
        model="ASA5516-X",
        vendor="cisco",
        serial="JAD21230ABC",
        version="9.12(4)67",
        mac="00a0.c900.0001",
        index=3,
        ports=[PortSpec(f"GigabitEthernet1/{i}") for i in range(1, 9)]
        + [PortSpec("Management1/1", kind="mgmt")],
        config=ASA_CONFIG.replace("YM-FW-ASA-01", "LAB-FW-ASA-01"),
    )
    fgt = DeviceSpec(
        name="LAB-FW-FGT-01",
        platform="fortinet",
        role="firewall",
        network="base",
        model="FortiGate-600E",
        vendor="fortinet",
        serial="FG6H0ETB20901234",
        version="v7.4.3,build2573",
        mac="00:09:0f:09:00:01",
        index=4,
        ports=[PortSpec(f"port{i}") for i in range(1, 9)],
        config=FORTI_CONFIG.replace("YM-FW-FGT-01", "LAB-FW-FGT-01"),
    )
    sg = DeviceSpec(
        name="LAB-FW-SG-01",
        platform="hillstone_stoneos",
        role="firewall",
        network="base",
        model="SG-6000-E3960",
        vendor="hillstone",
        serial="0098765432100123",
        version="5.5R10P3",
        mac="00:1c:54:00:12:34",
        index=5,
        ports=[PortSpec(f"ethernet0/{i}") for i in range(4)],
        config=STONEOS_CONFIG.format(name="LAB-FW-SG-01"),
    )
    devices = [a, b, asa, fgt, sg, _brocade(seed)]
    cables = [
        Cable(a.name, "TenGigabitEthernet1/0/1", b.name, "TenGigabitEthernet1/0/1"),
        Cable(a.name, "TenGigabitEthernet1/0/2", b.name, "TenGigabitEthernet1/0/2"),
    ]
    return Fleet(seed=seed, devices=devices, cables=cables)
