"""Hardening of the lab's firewalls, IPS and FC switches (see `netsteward.lab.fleet.hardening`).

The firewall generator (`netsteward.lab.fleet.firewall`) writes policies and a thin
management plane; these edits add the building's management hardening around it
(named administrators, lockout, password policy, trusted hosts, syslog, authenticated
NTP, SNMPv3) without touching a rule, an object or a line number the firewall audit
reports, and plant the firewall deviations.
"""

from __future__ import annotations

from typing import Any

from netsteward.lab.fleet.common import token, vrp_cipher
from netsteward.lab.fleet.hardening import ADMIN, BANNER, MGMT_NET_VRP, Edit, vrp_management


def usg(e: Edit) -> None:
    """Huawei USG (fwgen's configuration): the VRP management plane, added."""
    radius = e.book.add(e.host, "radius_key", vrp_cipher(e.rng))
    ntp = e.book.add(e.host, "ntp_key", vrp_cipher(e.rng))
    e.insert(
        e.find("aaa"),
        [
            "radius-server template YM-RADIUS",
            f" radius-server shared-key cipher {radius}",
            " radius-server authentication 192.0.2.244 1812 weight 80",
            "#",
            "acl number 2001",
            " rule 5 permit source 192.0.2.247 0",
            " rule 100 deny",
            "#",
        ],
    )
    aaa = e.find("aaa")
    e.insert(aaa + 1, [" authentication-scheme admin_radius", "  authentication-mode radius local"])
    community = e.find_prefix("snmp-agent community read cipher ")
    e.lines[community] += " acl 2001"
    top = [
        "stelnet server enable",
        "ssh server cipher aes256_ctr aes128_ctr",
        "#",
        "ntp-service authentication enable",
        f"ntp-service authentication-keyid 1 authentication-mode hmac-sha256 cipher {ntp}",
        "ntp-service reliable authentication-keyid 1",
        "ntp-service unicast-server 192.0.2.241 authentication-keyid 1",
        "#",
    ]
    if "MGMT-TELNET-OFF" in e.kinds:
        top.insert(0, "telnet server enable")
        e.planted("MGMT-TELNET-OFF", "", True)
    e.insert(e.find_prefix("info-center loghost source ") + 1, _usg_log(e))
    e.insert(e.find("#", e.find("sysname ")) + 1, top)
    e.insert(
        e.find("return"),
        ["user-interface vty 0 4", " authentication-mode aaa", " protocol inbound ssh", "#"],
    )
    vrp_management(e)
    if "FW-MGMT-PLANE" in e.kinds:
        iface = e.find_prefix("interface GigabitEthernet1/0/0")
        e.insert(e.end_of(iface), [" service-manage ssh permit"])
        e.planted("FW-MGMT-PLANE", "interface GigabitEthernet1/0/0")


def _usg_log(e: Edit) -> list[str]:
    if "LOG-SERVER" in e.kinds:
        e.planted("LOG-SERVER", "", True)
        return []
    return ["info-center loghost 192.0.2.243"]


def nip(e: Edit) -> None:
    """Huawei NIP IPS (the VRP switch configuration): management hardening, scheduled updates."""
    vrp_management(e)
    if "IPS-SIGNATURE-UPDATE" in e.kinds:
        e.planted("IPS-SIGNATURE-UPDATE", "")
    else:
        e.insert(
            e.find("stelnet server enable"),
            ["update schedule ips-sdb enable", "update schedule weekly Sun 02:00", "#"],
        )


def hillstone(e: Edit) -> None:
    default = e.find('admin user "hillstone"')
    if "AUTH-DEFAULT-ACCOUNT" in e.kinds:
        e.planted("AUTH-DEFAULT-ACCOUNT", 'admin user "hillstone"')
        e.planted("AUTH-DEFAULT-ACCOUNT", 'admin user "hillstone"')  # access ssh, access https
    else:
        body = e.end_of(default)
        e.lines[default + 1 : body] = [
            ln for ln in e.lines[default + 1 : body] if not ln.strip().startswith("access ")
        ] + ["  access console"]
    password = e.book.add(e.host, "local_user_password", token(e.rng, 30, "b"))
    radius = e.book.add(e.host, "radius_key", token(e.rng, 24, "b"))
    ntp = e.book.add(e.host, "ntp_key", token(e.rng, 20, "a"))
    ntp_key = " key 1" if "NTP-AUTH" not in e.kinds else ""
    if ntp_key == "":
        e.planted("NTP-AUTH", "")
    block = [
        f'admin user "{ADMIN}"',
        f"  password {password}",
        "  privilege 15",
        "  access ssh",
        "  access https",
        "exit",
        "admin host 192.0.2.240/28 any",
        "admin max-login-failure 3",
        f'admin login-banner "{BANNER}"',
        "password-policy",
        "  admin complexity enable",
        "  admin min-length 10",
        "  admin password-expiration 90",
        "exit",
        'aaa-server "ym-radius" type radius',
        "  host 192.0.2.244",
        f"  secret {radius}",
        "exit",
        "ntp enable",
        "ntp authentication",
        f"ntp authentication-key 1 md5 {ntp}",
        f"ntp server 192.0.2.241{ntp_key}",
    ]
    if "AUTH-LOCKOUT" in e.kinds:
        e.planted("AUTH-LOCKOUT", "")
    else:
        block.insert(7, "admin lockout-duration 10")
    if "LOG-SERVER" in e.kinds:
        e.planted("LOG-SERVER", "")
    else:
        block.append('logging syslog 192.0.2.243 vrouter "trust-vr" udp 514 type event')
    e.insert(e.end_of(default) + 1, block)
    if "MGMT-TELNET-OFF" in e.kinds:
        iface = e.find("interface ethernet0/1")
        e.insert(e.end_of(iface), ["  manage telnet"])
        e.planted("MGMT-TELNET-OFF", "interface ethernet0/1")
        e.planted("FW-MGMT-PLANE", "interface ethernet0/1")


def fortios(e: Edit) -> None:
    glob = e.find("config system global")
    settings = [
        "    set admintimeout 5",
        "    set admin-lockout-threshold 3",
        "    set pre-login-banner enable",
    ]
    if "AUTH-LOCKOUT" in e.kinds:
        e.planted("AUTH-LOCKOUT", "config system global")
    else:
        settings.insert(2, "    set admin-lockout-duration 900")
    e.insert(e.end_of(glob), settings)
    admin = e.find('edit "admin"')
    if "AUTH-DEFAULT-ACCOUNT" in e.kinds:
        e.planted("AUTH-DEFAULT-ACCOUNT", "config system admin")
    else:
        e.lines[admin] = f'    edit "{ADMIN}"'
    e.insert(e.end_of(admin), ["        set trusthost1 192.0.2.240 255.255.255.240"])
    inside = e.find("set allowaccess ping https ssh")
    e.lines[inside] = "        set allowaccess ping"
    access = "ping https ssh http" if "MGMT-HTTP-OFF" in e.kinds else "ping https ssh"
    if "MGMT-HTTP-OFF" in e.kinds:
        e.planted("MGMT-HTTP-OFF", 'config system interface > edit "mgmt"')
    interfaces = e.find("config system interface")
    e.insert(
        interfaces + 1,
        [
            '    edit "mgmt"',
            f"        set allowaccess {access}",
            "        set type physical",
            "    next",
        ],
    )
    enc = {
        k: e.book.add(e.host, k, "ENC " + token(e.rng, 40, "b"))
        for k in ("tacacs_key", "snmpv3_auth", "snmpv3_priv", "ntp_key")
    }
    if "SNMP-DEFAULT-COMMUNITY" in e.kinds:
        at = e.find_prefix('set name "fgt')
        old = e.lines[at].split('"')[1]
        e.lines[at] = '        set name "public"'
        e.set_secret("snmp_community", old, "")
        e.planted("SNMP-DEFAULT-COMMUNITY", "config system snmp community > edit 1")
    status = "disable" if "LOG-SERVER" in e.kinds else "enable"
    if status == "disable":
        e.planted("LOG-SERVER", "config log syslogd setting")
    after_snmp = e.end_of(e.find("config system snmp community")) + 1  # after its `end`
    e.insert(
        after_snmp,
        [
            "config system snmp user",
            '    edit "ym-nms"',
            "        set security-level auth-priv",
            "        set auth-proto sha256",
            f"        set auth-pwd {enc['snmpv3_auth']}",
            "        set priv-proto aes256",
            f"        set priv-pwd {enc['snmpv3_priv']}",
            "    next",
            "end",
            "config system password-policy",
            "    set status enable",
            "    set minimum-length 10",
            "    set expire-status enable",
            "    set expire-day 90",
            "end",
            "config user tacacs+",
            '    edit "ym-tacacs"',
            '        set server "192.0.2.246"',
            f"        set key {enc['tacacs_key']}",
            "    next",
            "end",
            "config log syslogd setting",
            f"    set status {status}",
            '    set server "192.0.2.243"',
            "end",
            "config system ntp",
            "    set ntpsync enable",
            "    set type custom",
            "    config ntpserver",
            "        edit 1",
            '            set server "192.0.2.241"',
            "            set authentication enable",
            f"            set key {enc['ntp_key']}",
            "            set key-id 1",
            "        next",
            "    end",
            "end",
        ],
    )


def asa(e: Edit) -> None:
    enable = e.find_prefix("enable password ")
    old = e.lines[enable].split()[2]
    if "AUTH-WEAK-PASSWORD-FORM" in e.kinds:
        e.planted("AUTH-WEAK-PASSWORD-FORM", "")
    else:
        new = e.book.add(e.host, "enable_password", _pbkdf2(e))
        e.lines[enable] = f"enable password {new} pbkdf2"
        e.set_secret("enable_password", old, "")
    user = e.find_prefix("username admin password ")
    old = e.lines[user].split()[3]
    new = _pbkdf2(e)
    e.set_secret("local_user_password", old, new)
    e.lines[user] = f"username {ADMIN} password {new} pbkdf2 privilege 15"
    tacacs = e.book.add(e.host, "tacacs_key", token(e.rng, 16, "a"))
    ntp = e.book.add(e.host, "ntp_key", token(e.rng, 16, "a"))
    auth = e.book.add(e.host, "snmpv3_auth", token(e.rng, 16, "a"))
    priv = e.book.add(e.host, "snmpv3_priv", token(e.rng, 16, "a"))
    tail = [
        "aaa-server YM-TACACS protocol tacacs+",
        "aaa-server YM-TACACS (inside) host 192.0.2.246",
        f" key {tacacs}",
        "aaa authentication ssh console YM-TACACS LOCAL",
        "aaa accounting command YM-TACACS",
        "aaa local authentication attempts max-fail 3",
        "password-policy minimum-length 10",
        "password-policy lifetime 90",
        "ssh 192.0.2.240 255.255.255.240 inside",
        "ssh timeout 5",
        f"banner login {BANNER}",
        "logging enable",
        "logging timestamp",
        f"ntp authentication-key 1 md5 {ntp}",
        "ntp authenticate",
        "ntp trusted-key 1",
        "ntp server 192.0.2.241 key 1",
        "snmp-server group YM-NMS v3 priv",
        f"snmp-server user ym-nms YM-NMS v3 auth sha {auth} priv aes 128 {priv}",
    ]
    if "MGMT-IDLE-TIMEOUT" in e.kinds:
        e.planted("MGMT-IDLE-TIMEOUT", "")
    else:
        tail.insert(tail.index("ssh timeout 5") + 1, "console timeout 5")
    if "LOG-SERVER" in e.kinds:
        e.planted("LOG-SERVER", "")
    else:
        tail.insert(tail.index("logging timestamp") + 1, "logging host inside 192.0.2.243")
    if "MGMT-TELNET-OFF" in e.kinds:
        tail.append("telnet 192.0.2.240 255.255.255.240 inside")
        e.planted("MGMT-TELNET-OFF", "")
    if "MGMT-ACL" in e.kinds:
        tail.append("ssh 0.0.0.0 0.0.0.0 outside")
        e.planted("MGMT-ACL", "")
        e.planted("FW-MGMT-PLANE", "")
    e.insert(e.find("ssh version 2") + 1, tail)


def _pbkdf2(e: Edit) -> str:
    return "$sha512$5000$" + token(e.rng, 24, "b") + "$" + token(e.rng, 24, "b")


def brocade(e: Edit) -> None:
    if "SNMP-DEFAULT-COMMUNITY" in e.kinds:
        at = e.find_prefix("snmp.agtParty.0.community:")
        old = e.lines[at].split(":", 1)[1]
        e.lines[at] = "snmp.agtParty.0.community:public"
        e.set_secret("snmp_community", old, "")
        e.planted("SNMP-DEFAULT-COMMUNITY", "[Configuration]")
    if "LOG-SERVER" in e.kinds:
        e.drop("syslog.address.1:192.0.2.243")
        e.planted("LOG-SERVER", "")


def groups(group: Any) -> list[Any]:
    """The firewall, IPS and FC groups (`group` is `hardening.Group`)."""
    return [
        group(
            "huawei_vrp",
            ("firewall",),
            4,
            ("FW-MGMT-PLANE", "MGMT-TELNET-OFF", "LOG-SERVER", "AUTH-LOCKOUT"),
            usg,
        ),
        group("huawei_vrp", ("ips",), 2, ("IPS-SIGNATURE-UPDATE", "MGMT-IDLE-TIMEOUT"), nip),
        group(
            "hillstone_stoneos",
            ("firewall",),
            4,
            ("AUTH-DEFAULT-ACCOUNT", "MGMT-TELNET-OFF", "AUTH-LOCKOUT", "NTP-AUTH", "LOG-SERVER"),
            hillstone,
        ),
        group(
            "fortinet",
            ("firewall",),
            3,
            (
                "MGMT-HTTP-OFF",
                "AUTH-LOCKOUT",
                "AUTH-DEFAULT-ACCOUNT",
                "SNMP-DEFAULT-COMMUNITY",
                "LOG-SERVER",
            ),
            fortios,
        ),
        group(
            "cisco_asa",
            ("firewall",),
            3,
            (
                "MGMT-TELNET-OFF",
                "MGMT-ACL",
                "AUTH-WEAK-PASSWORD-FORM",
                "MGMT-IDLE-TIMEOUT",
                "LOG-SERVER",
            ),
            asa,
        ),
        group("brocade_fos", ("fc_switch",), 2, ("SNMP-DEFAULT-COMMUNITY", "LOG-SERVER"), brocade),
    ]


__all__ = ["MGMT_NET_VRP", "asa", "brocade", "fortios", "groups", "hillstone", "nip", "usg"]
