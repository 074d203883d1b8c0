"""The first words each platform accepts in its configuration modes.

A real device refuses a configuration line whose command word it does not know
(`descripton X`, `spanning-tre portfast`) with its unknown-command error and the
caret under the word; the lab did not, and stored any line.  This is the lab's
approximation of the vendors' command trees: the first word of a configuration
line (after the negation word, `undo` / `no`) must be one the platform has in
some configuration mode.  The words are those of the fleet's generated
configurations, of the real configurations in ytti/oxidized spec/model/data,
of the configuration the tests type, the hardening baseline's commands (docs/baseline.md), and
the vendors' common commands (command
references of Huawei VRP V200R019, H3C Comware 7.1, Cisco IOS 15.2, ASA 9.12 and
StoneOS 5.5).  Later words of a line are not checked.

FortiOS checks its own lines (`command parse error before ...`) and Brocade FOS has
no configuration mode: no table for them.
"""

from __future__ import annotations

_VRP = """
cmd idle-timeout local-aaa-user password recording-mode recording-scheme update
absolute-range accounting-scheme disable
aaa acl acl-name acl-number action active-region add address address-set alarm alias
anti-attack anti-virus ap ap-group ap-id ap-mac ap-name ap-sn ap-type apply area arp
as-path-filter assign authentication authentication-mode authentication-profile
authentication-scheme authorization-scheme autosave bfd bgp bpdu bpdu-protection
broadcast-suppression capwap cifs clock cluster community-filter cpu-defend
dampening default default-route-advertise description destination destination-address
destination-zone device dhcp dhcp-snooping dns domain dot1x drop-profile duplex
enable eth-trunk filter-policy firewall flow-control free ftp gateway gvrp header
http hwtacacs-server icmp if-match igmp-snooping import-route info-center interface ip
ip-prefix ipsec ips-policy ipv4-family ipv6 ipv6-family isis jumboframe l2tp lacp
least-access-policy license lldp load-balance local-preference local-user local-user-policy
loopback-detect mac-address mac-limit mac-vlan max-active-linknumber maximum mode mpls
mpls-te mtu multicast nat nat-policy negotiation network network-entity ntp-service
ospf peer peer-public-key ping poe policy port port-group port-isolate port-mirroring
port-security portswitch preference protocol public-key-code qos quit radius-server
rate-limit rip route-distinguisher route-policy route-static router-id rsa rule
security-policy security-profile sftp service service-manage service-set service-type
service-vlan session set sflow shutdown silent-interface snmp-agent source-address
source-zone speed ssh ssid ssl stelnet storm-control stp summary sysname
system-watchdog telnet time-range timer traffic-behavior traffic-classifier
traffic-filter traffic-policy traffic-profile trust tunnel-protocol type-id user
user-interface user-isolate vlan vlanif voice-vlan vpn-instance vpn-target vrrp wlan
wlan-bss
"""

_COMWARE = """
command header idle-timeout password-control
export line router-id routing-table
aaa acl accounting address-family apply area arp authentication authentication-mode
authorization authorization-attribute bfd bgp broadcast-suppression clock cpu-usage
default default-route-advertise description dhcp dns domain dot1x drni duplex
enable flow-control ftp gvrp hwtacacs if-match igmp-snooping import import-route
info-center interface ip ip-prefix ipv6 irf irf-port isis jumboframe key lacp
link-aggregation lldp local-user loopback-detection mac-address mad mirroring-group
mtu multicast-suppression name nat network ntp-service ospf password
password-recovery peer peer-public-key poe port port-isolate port-security
primary protocol public-key public-key-code qos radius role route-distinguisher
route-policy router rule secondary service-type shutdown silent-interface snmp-agent
speed ssh stp storm-constrain sysname telnet tnl-policy undo user-group
user-interface user-name-format user-role version vlan voice vpn-instance vpn-target
vrrp
"""

_IOS = """
access-class
ap audit client expression hidekeys history key-hash log mgmtuser multilink sdm security
server server-private subscriber wlan
aaa access-list action-type address address-family alias archive authentication
authorization auto bandwidth banner boot boot-end-marker boot-start-marker
bridge-domain call-home cdp channel-group channel-protocol class class-map clock
control-plane crypto default default-gateway deny description diagnostic dot1x duplex
enable encapsulation end errdisable exec exec-timeout exit-address-family flowcontrol
group hostname interface ip ipv6 key key-string lacp license line lldp location
logging login mac match mdix media-type mls monitor mtu name negotiation
netconf-yang network ntp password permit platform policy-map port-channel power
privilege radius radius-server redundancy remark router route-map service
service-policy session-timeout shutdown snmp snmp-server spanning-tree speed srr-queue
standby stopbits storm-control switch switchport system tacacs tacacs-server
transceiver transport udld username version vlan vrf vtp
"""

_ASA = """
password-policy
bgp encryption exit-address-family group group-alias hash log-adj-changes message-length ntp
split-tunnel-policy tunnel-group-list
aaa aaa-server absolute access-group access-list active address-family
address-pool anyconnect arp asdm authentication banner boot call-home channel-group
class class-map clock console crypto default-group-policy description destination
dhcpd dns domain-name dynamic-access-policy-record enable failover ftp group-policy
host hostname http icmp ikev1 ikev2 inspect interface ip ip-local-pool ipsec-attributes
ipv6 key lifetime logging mac-address management-only match mtu name nameif names nat
neighbor network network-object object object-group pager parameters passwd password
policy-map port-object profile prompt redistribute route router router-id
security-level server-port service service-module service-object service-policy
service-type shutdown snmp-server ssh subnet subscribe-to-alert-group sysopt
tcp-inspection telnet threat-detection time-range tunnel-group user-identity username
vpn-filter vpn-group-policy vpn-tunnel-protocol webvpn xlate
"""

_STONEOS = """
host password-policy secret
aaa-server absolute access action address admin description disable dns dst-addr
dst-ip dst-range dst-zone enable exit expire-time ha hostname interface ip log
logging manage name ntp password periodic policy-global privilege rule schedule
service snmp-server src-addr src-ip src-range src-zone tcp udp zone
"""

CONFIG_WORDS: dict[str, frozenset[str]] = {
    "huawei_vrp": frozenset(_VRP.split()),
    "hp_comware": frozenset(_COMWARE.split()),
    "cisco_ios": frozenset(_IOS.split()),
    "cisco_asa": frozenset(_ASA.split()),
    "hillstone_stoneos": frozenset(_STONEOS.split()),
}


def unknown_word(platform: str, line: str, negate: str) -> int | None:
    """The position of the first word of `line` that `platform` does not know in its
    configuration modes, or None (also for platforms without a table)."""
    words = CONFIG_WORDS.get(platform)
    if words is None:
        return None
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    first, _, rest = stripped.partition(" ")
    if first.lower() == negate and rest.strip():
        offset += len(first) + 1 + (len(rest) - len(rest.lstrip()))
        first = rest.split()[0]
    return None if first.lower() in words else offset
