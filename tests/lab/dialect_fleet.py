"""A small fleet for the dialect tests: one or two devices per platform of this part.

Used until (and besides) the real generator `lab.fleet`: it pins the exact
configurations the dialect tests edit.  `build(seed)` is a fleet source for
`lab.server` (`--fleet tests/lab/dialect_fleet.py:build`).
"""

from __future__ import annotations

from lab.model import Cable, DeviceSpec, Fleet, PortSpec

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


def _ios(name: str, index: int, peer: str, ip: str, mac: str) -> DeviceSpec:
    ports = [PortSpec(f"GigabitEthernet1/0/{i}") for i in range(1, 5)]
    ports += [PortSpec(f"TenGigabitEthernet1/0/{i}", speed="10G") for i in (1, 2)]
    ports.append(PortSpec("FastEthernet0", kind="mgmt", speed="100M", lldp=False))
    return DeviceSpec(
        name=name, platform="cisco_ios", role="access", network="device_net",
        model="WS-C2960X-48TD-L", vendor="cisco", serial=f"FOC2231X{index:03d}", version="15.2(7)E8",
        mac=mac, index=index, mgmt_ip=ip, ports=ports,
        lags={"Port-channel1": ["TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2"]},
        config=IOS_CONFIG.format(name=name, peer=peer, ip=ip),
    )


def build(seed: int = 2026) -> Fleet:
    a = _ios("LAB-IOS-ACC-01", 1, "LAB-IOS-ACC-02", "10.20.100.61", "70db.9812.3400")
    b = _ios("LAB-IOS-ACC-02", 2, "LAB-IOS-ACC-01", "10.20.100.62", "70db.9812.7700")
    devices = [a, b]
    cables = [
        Cable(a.name, "TenGigabitEthernet1/0/1", b.name, "TenGigabitEthernet1/0/1"),
        Cable(a.name, "TenGigabitEthernet1/0/2", b.name, "TenGigabitEthernet1/0/2"),
    ]
    return Fleet(seed=seed, devices=devices, cables=cables)
