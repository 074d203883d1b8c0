"""Cisco ASA 9.x VPN displays: `show crypto ipsec sa`, `show crypto ikev1 sa [detail]`,
`show vpn-sessiondb [anyconnect | detail l2l]`, `show asp table vpn-context detail` (pure).

They render the tunnels and sessions of `netsteward.lab.dialects.cisco_asa.vpn` (what is up and
why is documented there).  `show crypto ikev1 sa detail` prints the one-line-per-SA
table that the ntc-templates template and its real sample know (older ASA releases),
not the multi-line block of 9.x (`show crypto ikev1 sa` without `detail` prints that).
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from netsteward.lab.dialects.cisco_asa.render import asa_time
from netsteward.lab.dialects.cisco_asa.vpn import (
    DEFAULT_SA_KILOBYTES,
    AnyConnectSession,
    IpsecSa,
    L2lTunnel,
)
from netsteward.lab.dialects.render_common import stable_int

NO_IPSEC_SA = "\nThere are no ipsec sas\n"
NO_IKEV1_SA = "\nThere are no IKEv1 SAs\n"
NO_SESSIONS = "INFO: There are presently no active sessions\n"
NO_SESSIONS_OF_TYPE = "INFO: There are presently no active sessions of the type specified\n"

_CIPHER = {
    "aes": "AES128",
    "aes-192": "AES192",
    "aes-256": "AES256",
    "3des": "3DES",
    "des": "DES",
    "esp-aes": "AES128",
    "esp-aes-192": "AES192",
    "esp-aes-256": "AES256",
    "esp-3des": "3DES",
    "esp-des": "DES",
}
_HASH = {
    "sha": "SHA1",
    "md5": "MD5",
    "esp-sha-hmac": "SHA1",
    "esp-md5-hmac": "MD5",
    "esp-sha256-hmac": "SHA256",
    "esp-sha384-hmac": "SHA384",
    "esp-sha512-hmac": "SHA512",
}


def _hex(*parts: object) -> str:
    return f"0x{stable_int(*parts, modulo=2**32):08X}"


def _duration(seconds: int) -> str:
    days, rest = divmod(max(seconds, 0), 86400)
    text = f"{rest // 3600}h:{rest // 60 % 60:02d}m:{rest % 60:02d}s"
    return f"{days}d {text}" if days else text


def _login(when: datetime) -> str:
    """`14:28:09 UTC Tue Mar 17 2020`."""
    return asa_time(when).replace(f".{when.microsecond // 1000:03d}", "", 1)


# -- show crypto ipsec sa ----------------------------------------------------------------


def _sa_block(t: L2lTunnel, sa: IpsecSa) -> list[str]:
    (la, lm), (ra, rm) = sa.proxy.local, sa.proxy.remote
    enc, auth = t.transform
    overhead = "74(44)" if enc.startswith("esp-aes") else "58(36)"
    iv = "16" if enc.startswith("esp-aes") else "8"
    lines = [
        f"    Crypto map tag: {t.crypto_map}, seq num: {t.seq}, local addr: {t.local_addr}",
        "",
        f"      {sa.proxy.acl_line} ",
        f"      local ident (addr/mask/prot/port): ({la}/{lm}/0/0)",
        f"      remote ident (addr/mask/prot/port): ({ra}/{rm}/0/0)",
        f"      current_peer: {t.peer}",
        "",
        "",
        f"      #pkts encaps: {sa.pkts_out}, #pkts encrypt: {sa.pkts_out}, #pkts digest: {sa.pkts_out}",
        f"      #pkts decaps: {sa.pkts_in}, #pkts decrypt: {sa.pkts_in}, #pkts verify: {sa.pkts_in}",
        "      #pkts compressed: 0, #pkts decompressed: 0",
        f"      #pkts not compressed: {sa.pkts_out}, #pkts comp failed: 0, #pkts decomp failed: 0",
        "      #pre-frag successes: 0, #pre-frag failures: 0, #fragments created: 0",
        "      #PMTUs sent: 0, #PMTUs rcvd: 0, #decapsulated frgs needing reassembly: 0",
        "      #TFC rcvd: 0, #TFC sent: 0",
        "      #Valid ICMP Errors rcvd: 0, #Invalid ICMP Errors rcvd: 0",
        "      #send errors: 0, #recv errors: 0",
        "",
        f"      local crypto endpt.: {t.local_addr}/500, remote crypto endpt.: {t.peer}/500",
        f"      path mtu 1500, ipsec overhead {overhead}, media mtu 1500",
        "      PMTU time remaining (sec): 0, DF policy: copy-df",
        "      ICMP error validation: disabled, TFC packets: disabled",
        f"      current outbound spi: {sa.spi_out:08X}",
        f"      current inbound spi : {sa.spi_in:08X}",
        "",
    ]
    settings = "{L2L, Tunnel, IKEv1, }"
    for direction, spi, used in (
        ("inbound", sa.spi_in, sa.bytes_in),
        ("outbound", sa.spi_out, sa.bytes_out),
    ):
        left_kb = max(DEFAULT_SA_KILOBYTES - used // 1024, 0)
        bitmap = "0xFFFFFFFF 0xFFFFFFFF" if direction == "inbound" else "0x00000000 0x00000001"
        lines += [
            f"    {direction} esp sas:",
            f"      spi: 0x{spi:08X} ({spi})",
            "         SA State: active",
            f"         transform: {enc} {auth} no compression",
            f"         in use settings ={settings}",
            f"         slot: 0, conn_id: {sa.conn_id}, crypto-map: {t.crypto_map}",
            f"         sa timing: remaining key lifetime (kB/sec): ({left_kb}/{sa.lifetime - sa.age})",
            f"         IV size: {iv} bytes",
            "         replay detection support: Y",
            "         Anti replay bitmap: ",
            f"          {bitmap}",
        ]
    return lines


def show_crypto_ipsec_sa(tunnels: list[L2lTunnel]) -> str:
    if not tunnels:
        return NO_IPSEC_SA
    out: list[str] = []
    for nameif in dict.fromkeys(t.nameif for t in tunnels):
        out.append(f"interface: {nameif}")
        for t in (x for x in tunnels if x.nameif == nameif):
            for sa in t.sas:
                out += _sa_block(t, sa)
                out.append("")
    return "\n".join(out) + "\n"


# -- show crypto ikev1 sa [detail] ----------------------------------------------------------


def show_crypto_ikev1_sa(tunnels: list[L2lTunnel], detail: bool) -> str:
    if not tunnels:
        return NO_IKEV1_SA
    if detail:
        out = []
        for n, t in enumerate(tunnels, start=1):
            enc = t.ike[0].replace("-", "")
            out += [
                "IKE Peer      Type  Dir   Rky  State      Encrypt Hash  Auth    Lifetime",
                f"{n} {t.peer} L2L   Init  No   MM_Active  {enc:<7} {t.ike[1].upper():<5} "
                f"preshrd {t.ike[3]}",
            ]
        return "\n".join(out) + "\n"
    out = [
        "IKEv1 SAs:",
        "",
        f"   Active SA: {len(tunnels)}",
        "    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)",
        f"Total IKE SA: {len(tunnels)}",
        "",
    ]
    for n, t in enumerate(tunnels, start=1):
        out += [
            f"{n:<4}IKE Peer: {t.peer}",
            "    Type    : L2L             Role    : initiator ",
            "    Rekey   : no              State   : MM_ACTIVE ",
        ]
    return "\n".join(out) + "\n"


# -- show vpn-sessiondb -------------------------------------------------------------------------

_CAPACITY = {"06": 50, "08": 100, "16": 300, "25": 750, "45": 2500, "55": 5000}


def vpn_capacity(model: str) -> int:
    m = re.search(r"55(\d\d)", model)
    return _CAPACITY.get(m.group(1), 300) if m else 300


def _row(name: str, values: list[int], widths: tuple[int, ...]) -> str:
    cells = " : ".join(f"{v:>{w}}" for v, w in zip(values, widths, strict=False))
    return f"{name:<29}: {cells}"


def show_vpn_sessiondb(
    tunnels: list[L2lTunnel],
    sessions: list[AnyConnectSession],
    capacity: int,
    booted: datetime,
    now: datetime,
    device: str,
) -> str:
    if not tunnels and not sessions:
        return NO_SESSIONS
    days = max((now - booted).days, 0) + 1
    rule = "-" * 75
    summary: list[str] = []
    tunnel_rows: list[tuple[str, int, int, int]] = []
    cumulative_total = 0
    if sessions:
        n = len(sessions)
        cum = n * days * 3 + stable_int(device, "ac", modulo=50)
        peak = n + stable_int(device, "acpeak", modulo=5)
        summary += [
            _row("AnyConnect Client", [n, cum, peak, 0], (6, 10, 11, 8)),
            _row("  SSL/TLS/DTLS", [n, cum, peak, 0], (6, 10, 11, 8)),
        ]
        cumulative_total += cum
        tunnel_rows += [
            ("AnyConnect-Parent", n, cum, peak),
            ("SSL-Tunnel", n, cum * 3, peak),
            ("DTLS-Tunnel", n, cum * 7, peak),
        ]
    if tunnels:
        n = len(tunnels)
        cum = n * days
        summary += [
            _row("Site-to-Site VPN", [n, cum, n], (6, 10, 11)),
            _row("  IKEv1 IPsec", [n, cum, n], (6, 10, 11)),
        ]
        cumulative_total += cum
        sas = sum(len(t.sas) for t in tunnels)
        rekeys = sum(sa.rekeys for t in tunnels for sa in t.sas)
        tunnel_rows += [("IKEv1", n, cum, n), ("IPsec", sas, sas + rekeys, sas)]
    active = len(tunnels) + len(sessions)
    load = math.ceil(active * 100 / capacity)
    out = [
        rule,
        "VPN Session Summary",
        rule,
        "                               Active : Cumulative : Peak Concur : Inactive",
        "                             ----------------------------------------------",
        *summary,
        rule,
        f"{'Total Active and Inactive':<29}: {active:>6}             Total Cumulative : "
        f"{cumulative_total}",
        f"{'Device Total VPN Capacity':<29}: {capacity:>6}",
        f"{'Device Load':<29}: {load:>5}%",
        rule,
        rule,
        "Tunnels Summary",
        rule,
        "                               Active : Cumulative : Peak Concurrent",
        "                             ----------------------------------------------",
        *(_row(name, [a, c, p], (6, 10, 15)) for name, a, c, p in tunnel_rows),
        rule,
        _row("Totals", [sum(r[1] for r in tunnel_rows), sum(r[2] for r in tunnel_rows)], (6, 10)),
        rule,
    ]
    return "\n".join(out) + "\n"


def _pair(left: str, value: object, right: str, other: object) -> str:
    return f"{left:<13}: {value!s:<23}{right:<13}: {other}"


def show_vpn_sessiondb_anyconnect(sessions: list[AnyConnectSession], now: datetime) -> str:
    if not sessions:
        return NO_SESSIONS
    out = ["", "Session Type: AnyConnect", ""]
    for x in sessions:
        out += [
            _pair("Username", x.username, "Index", x.index),
            _pair("Assigned IP", x.assigned_ip, "Public IP", x.public_ip),
            "Protocol     : AnyConnect-Parent SSL-Tunnel DTLS-Tunnel",
            "License      : AnyConnect Premium",
            "Encryption   : AnyConnect-Parent: (1)none  SSL-Tunnel: (1)AES-GCM-256  "
            "DTLS-Tunnel: (1)AES-GCM-256",
            "Hashing      : AnyConnect-Parent: (1)none  SSL-Tunnel: (1)SHA384  "
            "DTLS-Tunnel: (1)SHA384",
            _pair("Bytes Tx", x.bytes_tx, "Bytes Rx", x.bytes_rx),
            _pair("Group Policy", x.group_policy, "Tunnel Group", x.tunnel_group),
            f"Login Time   : {_login(x.login)}",
            f"Duration     : {_duration(int((now - x.login).total_seconds()))}",
            "Inactivity   : 0h:00m:00s",
            _pair("VLAN Mapping", "N/A", "VLAN", "none"),
            f"Audt Sess ID : {x.audit_id}",
            f"{'Security Grp : none':<38}",
            "",
        ]
    return "\n".join(out) + "\n"


def show_vpn_sessiondb_detail_l2l(tunnels: list[L2lTunnel], now: datetime) -> str:
    if not tunnels:
        return NO_SESSIONS_OF_TYPE
    out = ["", "Session Type: LAN-to-LAN Detailed", ""]
    for t in tunnels:
        n = len(t.sas)
        ike_enc, ike_hash = _CIPHER.get(t.ike[0], t.ike[0].upper()), _HASH.get(t.ike[1], "SHA1")
        esp_enc = _CIPHER.get(t.transform[0], t.transform[0])
        esp_hash = _HASH.get(t.transform[1], "SHA1")
        pfs = re.sub(r"\D", "", t.pfs)
        out += [
            f"Connection   : {t.peer}",
            _pair("Index", t.index, "IP Addr", t.peer),
            "Protocol     : IKEv1 IPsec",
            f"Encryption   : IKEv1: (1){ike_enc}  IPsec: ({n}){esp_enc}",
            f"Hashing      : IKEv1: (1){ike_hash}  IPsec: ({n}){esp_hash}",
            _pair("Bytes Tx", t.bytes_out, "Bytes Rx", t.bytes_in),
            f"Login Time   : {_login(t.up_since)}",
            f"Duration     : {_duration(int((now - t.up_since).total_seconds()))}",
            "",
            "IKEv1 Tunnels: 1",
            f"IPsec Tunnels: {n}",
            "",
            "IKEv1:",
            f"Tunnel ID    : {t.index}.1",
            _pair("UDP Src Port", 500, "UDP Dst Port", 500),
            _pair("IKE Neg Mode", "Main", "Auth Mode", "preSharedKeys"),
            _pair("Encryption", ike_enc, "Hashing", ike_hash),
            _pair(
                "Rekey Int (T)",
                f"{t.ike[3]} Seconds",
                "Rekey Left(T)",
                f"{t.ike_left(now)} Seconds",
            ),
            f"D/H Group    : {t.ike[2]}",
            "Filter Name  :",
            "",
        ]
        for sa in t.sas:
            (la, lm), (ra, rm) = sa.proxy.local, sa.proxy.remote
            used_kb = max(sa.bytes_in, sa.bytes_out) // 1024
            encap = (
                _pair("Encapsulation", "Tunnel", "PFS Group", pfs)
                if pfs
                else "Encapsulation: Tunnel"
            )
            out += [
                "IPsec:",
                f"Tunnel ID    : {t.index}.{sa.number + 1}",
                f"Local Addr   : {la}/{lm}/0/0",
                f"Remote Addr  : {ra}/{rm}/0/0",
                _pair("Encryption", esp_enc, "Hashing", esp_hash),
                encap,
                f"Rekey Int (T): {f'{sa.lifetime} Seconds':<23}Rekey Left(T): "
                f"{sa.lifetime - sa.age} Seconds",
                f"Rekey Int (D): {f'{DEFAULT_SA_KILOBYTES} K-Bytes':<23}Rekey Left(D): "
                f"{max(DEFAULT_SA_KILOBYTES - used_kb, 0)} K-Bytes",
                _pair("Idle Time Out", "30 Minutes", "Idle TO Left", "29 Minutes"),
                _pair("Bytes Tx", sa.bytes_out, "Bytes Rx", sa.bytes_in),
                _pair("Pkts Tx", sa.pkts_out, "Pkts Rx", sa.pkts_in),
                "",
            ]
    return "\n".join(out) + "\n"


# -- show asp table vpn-context detail -------------------------------------------------------


def show_asp_table_vpn_context_detail(tunnels: list[L2lTunnel], device: str) -> str:
    out: list[str] = []
    for t in tunnels:
        for sa in t.sas:
            for flag, spi, pkts in (
                ("DECR", sa.spi_in, sa.pkts_in),
                ("ENCR", sa.spi_out, sa.pkts_out),
            ):
                out += [
                    f"VPN CTX  = {_hex(device, spi, 'ctx')}",
                    "",
                    f"Peer IP  = {t.peer}",
                    f"Pointer  = {_hex(device, spi, 'ptr')}",
                    "State    = UP",
                    f"Flags    = {flag}+ESP",
                    f"SA   = {_hex(device, spi, 'sa')}",
                    f"SPI  = 0x{spi:08X}",
                    f"Group    = {t.index}",
                    f"Pkts     = {pkts}",
                    "Bad Pkts = 0",
                    "Bad SPI  = 0",
                    "Spoof    = 0",
                    "Bad Crypto = 0",
                    f"Rekey Pkt  = {sa.rekeys}",
                    f"Rekey Call = {sa.rekeys}",
                    "VPN Filter = <none>",
                    "",
                ]
    return "\n".join(out) + ("\n" if out else "")
