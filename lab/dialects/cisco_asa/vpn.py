"""Cisco ASA 9.x VPN state derived from the running configuration (pure).

The lab has no VPN peers: the branch firewalls and AnyConnect users are outside it.
The rules that decide what is up (simplified, deterministic):

- **Site-to-site (IKEv1 L2L).** A crypto map entry is up when its map is applied to a
  named interface that is not shut down (`crypto map M interface IF`), IKEv1 is enabled
  there (`crypto ikev1 enable IF`), an IKEv1 policy with `authentication pre-share`
  exists, the entry has `match address ACL` (its `permit ip` lines are the proxies,
  one IPsec SA pair per line), `set peer P`, `set ikev1 transform-set T` with T
  defined, and `tunnel-group P type ipsec-l2l` carries an `ikev1 pre-shared-key`.  The
  peer is assumed reachable through the interface (no cable check: it is on the
  Internet).  The IKE session has been up since a stable few hours after the device's
  boot; each IPsec SA rekeys every `set security-association lifetime seconds`
  (default 28800) and its counters are the seconds since its last rekey times a stable
  packet rate.  SPIs change at each rekey.
- **AnyConnect.** `webvpn` with `enable IF` and `anyconnect enable`, a
  `tunnel-group TG type remote-access` whose `default-group-policy GP` is an internal
  group policy allowing `ssl-client`, and an `address-pool` defined by
  `ip local pool`: every local user whose `username U attributes` has
  `vpn-group-policy GP` is logged in (one session each; users reconnect each working
  day, so a session is at most ten hours old), with the pool's addresses in user order
  and a stable public address in 198.51.100.0/24.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from netsteward.lab.dialects.cisco_asa.extra import named_interfaces
from netsteward.lab.dialects.render_common import sections, stable_int

DEFAULT_SA_LIFETIME = 28800
DEFAULT_SA_KILOBYTES = 4608000


@dataclass(frozen=True)
class Proxy:
    local: tuple[str, str]  # (address, mask)
    remote: tuple[str, str]
    acl_line: str


@dataclass(frozen=True)
class IpsecSa:
    """One IPsec SA pair (inbound + outbound) of a tunnel at `now`."""

    proxy: Proxy
    number: int  # 1-based, within the tunnel
    age: int  # seconds since the last rekey
    lifetime: int
    rekeys: int
    spi_in: int
    spi_out: int
    pkts_out: int
    pkts_in: int
    bytes_out: int
    bytes_in: int
    conn_id: int


@dataclass(frozen=True)
class L2lTunnel:
    crypto_map: str
    seq: int
    nameif: str
    local_addr: str
    peer: str
    transform: tuple[str, str]  # ("esp-aes-256", "esp-sha-hmac")
    pfs: str  # "" or "group14"
    ike: tuple[str, str, str, int]  # encryption, hash, DH group, lifetime
    index: int
    up_since: datetime
    sas: tuple[IpsecSa, ...]

    @property
    def bytes_out(self) -> int:
        return sum(sa.bytes_out for sa in self.sas) + 2 * self.ike_rekeys * 1200

    @property
    def bytes_in(self) -> int:
        return sum(sa.bytes_in for sa in self.sas) + 2 * self.ike_rekeys * 1100

    @property
    def ike_rekeys(self) -> int:
        return 0 if not self.sas else self.sas[0].rekeys // 3

    def ike_left(self, now: datetime) -> int:
        elapsed = int((now - self.up_since).total_seconds())
        return self.ike[3] - elapsed % self.ike[3]


@dataclass(frozen=True)
class AnyConnectSession:
    username: str
    index: int
    assigned_ip: str
    public_ip: str
    group_policy: str
    tunnel_group: str
    login: datetime
    bytes_tx: int
    bytes_rx: int
    audit_id: str


def _children(config: str, header: str) -> list[str]:
    return [c for sec in sections(config) if sec.header == header for c in sec.children]


def _top(config: str) -> list[list[str]]:
    return [ln.split() for ln in config.splitlines() if ln[:1] not in ("", " ", "!")]


def _object_addr(config: str, name: str) -> tuple[str, str] | None:
    for child in _children(config, f"object network {name}"):
        w = child.split()
        if w[:1] == ["host"] and len(w) > 1:
            return w[1], "255.255.255.255"
        if w[:1] == ["subnet"] and len(w) > 2:
            return w[1], w[2]
    return None


def _address(config: str, words: list[str]) -> tuple[tuple[str, str] | None, list[str]]:
    """One ACL address operand from the front of `words`, and the words after it."""
    if not words:
        return None, []
    if words[0] in ("any", "any4"):
        return ("0.0.0.0", "0.0.0.0"), words[1:]
    if words[0] == "host" and len(words) > 1:
        return (words[1], "255.255.255.255"), words[2:]
    if words[0] == "object" and len(words) > 1:
        return _object_addr(config, words[1]), words[2:]
    if len(words) > 1 and words[0][0].isdigit():
        return (words[0], words[1]), words[2:]
    return None, words[1:]


def proxies(config: str, acl: str) -> list[Proxy]:
    """The `access-list ACL extended permit ip SRC DST` lines as proxy pairs."""
    out: list[Proxy] = []
    for w in _top(config):
        if w[:5] != ["access-list", acl, "extended", "permit", "ip"]:
            continue
        src, rest = _address(config, w[5:])
        dst, _ = _address(config, rest)
        if src is not None and dst is not None:
            out.append(Proxy(src, dst, " ".join(w)))
    return out


def _ike_policy(config: str) -> tuple[str, str, str, int] | None:
    """(encryption, hash, group, lifetime) of the lowest-numbered pre-share IKEv1 policy."""
    policies = sorted(
        (int(sec.header.split()[3]), sec.children)
        for sec in sections(config, "crypto ikev1 policy ")
        if len(sec.header.split()) == 4 and sec.header.split()[3].isdigit()
    )
    for _, children in policies:
        attrs = {c.split()[0]: c.split()[1:] for c in children if c.split()}
        if attrs.get("authentication") == ["pre-share"]:
            return (
                " ".join(attrs.get("encryption", ["aes"])),
                " ".join(attrs.get("hash", ["sha"])),
                " ".join(attrs.get("group", ["14"])),
                int((attrs.get("lifetime") or ["86400"])[0]),
            )
    return None


def _sa(device: str, peer: str, proxy: Proxy, number: int, lifetime: int, elapsed: int) -> IpsecSa:
    """SA pair `number` of a tunnel up for `elapsed` seconds: the first is negotiated when
    the tunnel comes up, the others a stable few minutes later (first traffic)."""
    delay = 0 if number == 1 else stable_int(device, peer, number, modulo=min(600, lifetime))
    since = max(elapsed - delay, 0)
    age, rekeys = since % lifetime, since // lifetime
    rate_out = 2 + stable_int(device, peer, number, "out", modulo=40)
    rate_in = 2 + stable_int(device, peer, number, "in", modulo=40)
    size_out = 300 + stable_int(device, peer, number, "sout", modulo=900)
    size_in = 300 + stable_int(device, peer, number, "sin", modulo=900)
    pkts_out, pkts_in = age * rate_out, age * rate_in
    return IpsecSa(
        proxy,
        number,
        age,
        lifetime,
        rekeys,
        stable_int(device, peer, number, rekeys, "in", modulo=2**32 - 256) + 256,
        stable_int(device, peer, number, rekeys, "out", modulo=2**32 - 256) + 256,
        pkts_out,
        pkts_in,
        pkts_out * size_out,
        pkts_in * size_in,
        stable_int(device, peer, number, modulo=2**28),
    )


def _words_after(rests: list[str], head: str) -> list[str]:
    """The words after `head` in the entry line that starts with it ([] if none)."""
    return next((r.split()[len(head.split()) :] for r in rests if r.startswith(head + " ")), [])


def l2l_tunnels(config: str, device: str, booted: datetime, now: datetime) -> list[L2lTunnel]:
    """The site-to-site tunnels that are up (see the module docstring)."""
    top = _top(config)
    named = {i.nameif: i for i in named_interfaces(config) if not i.shutdown}
    ike_on = {w[3] for w in top if w[:3] == ["crypto", "ikev1", "enable"] and len(w) > 3}
    applied = {
        w[2]: w[4]
        for w in top
        if w[:2] == ["crypto", "map"] and len(w) == 5 and w[3] == "interface"
    }
    transforms = {
        w[4]: (w[5], w[6])
        for w in top
        if w[:4] == ["crypto", "ipsec", "ikev1", "transform-set"] and len(w) >= 7
    }
    l2l = {w[1] for w in top if w[:1] == ["tunnel-group"] and w[2:] == ["type", "ipsec-l2l"]}
    keyed = {
        name
        for name in l2l
        if any(
            c.startswith("ikev1 pre-shared-key ")
            for c in _children(config, f"tunnel-group {name} ipsec-attributes")
        )
    }
    ike = _ike_policy(config)
    entries: dict[tuple[str, int], list[str]] = {}
    for w in top:
        if w[:2] == ["crypto", "map"] and len(w) > 5 and w[3].isdigit():
            entries.setdefault((w[2], int(w[3])), []).append(" ".join(w[4:]))
    out: list[L2lTunnel] = []
    for (cmap, seq), rests in sorted(entries.items()):
        nameif = applied.get(cmap, "")
        acl = (_words_after(rests, "match address") or [""])[0]
        peer = (_words_after(rests, "set peer") or [""])[0]
        ts = next(
            (x for x in _words_after(rests, "set ikev1 transform-set") if x in transforms), ""
        )
        found = proxies(config, acl) if acl else []
        if not (nameif in named and nameif in ike_on and ike and peer in keyed and ts and found):
            continue
        lifetime = DEFAULT_SA_LIFETIME
        sa_words = _words_after(rests, "set security-association lifetime")
        if "seconds" in sa_words[:-1]:
            lifetime = int(sa_words[sa_words.index("seconds") + 1])
        up = booted + timedelta(minutes=30 + stable_int(device, peer, modulo=600))
        up = min(up, now)
        elapsed = int((now - up).total_seconds())
        sas = tuple(
            _sa(device, peer, p, i, lifetime, elapsed) for i, p in enumerate(found, start=1)
        )
        out.append(
            L2lTunnel(
                cmap,
                seq,
                nameif,
                named[nameif].ip,
                peer,
                transforms[ts],
                " ".join(_words_after(rests, "set pfs")),
                ike,
                len(out) + 1,
                up,
                sas,
            )
        )
    return out


def _pool(config: str, name: str) -> list[str]:
    for w in _top(config):
        if w[:3] == ["ip", "local", "pool"] and len(w) > 4 and w[3] == name and "-" in w[4]:
            first, last = (ipaddress.IPv4Address(x) for x in w[4].split("-", 1))
            return [str(ipaddress.IPv4Address(a)) for a in range(int(first), int(last) + 1)]
    return []


def anyconnect_sessions(
    config: str, device: str, booted: datetime, now: datetime, first_index: int
) -> list[AnyConnectSession]:
    """The AnyConnect users logged in (see the module docstring)."""
    top = _top(config)
    named = {i.nameif: i for i in named_interfaces(config) if not i.shutdown}
    webvpn = [c.split() for c in _children(config, "webvpn")]
    enabled = any(w[:1] == ["enable"] and w[1:2] and w[1] in named for w in webvpn)
    if not (enabled and ["anyconnect", "enable"] in webvpn):
        return []
    outside = next((named[w[1]].ip for w in webvpn if w[:1] == ["enable"] and w[1:2]), "0.0.0.0")
    internal = {
        w[1]
        for w in top
        if w[:1] == ["group-policy"]
        and w[2:] == ["internal"]
        and any(
            c.startswith("vpn-tunnel-protocol ") and "ssl-client" in c
            for c in _children(config, f"group-policy {w[1]} attributes")
        )
    }
    groups: dict[str, tuple[str, list[str]]] = {}  # group policy -> (tunnel group, pool)
    for w in top:
        if w[:1] == ["tunnel-group"] and w[2:] == ["type", "remote-access"]:
            attrs = [
                c.split() for c in _children(config, f"tunnel-group {w[1]} general-attributes")
            ]
            gp = next((a[1] for a in attrs if a[:1] == ["default-group-policy"] and a[1:]), "")
            pool = next((a[-1] for a in attrs if a[:1] == ["address-pool"] and a[1:]), "")
            if gp in internal and _pool(config, pool) and gp not in groups:
                groups[gp] = (w[1], _pool(config, pool))
    out: list[AnyConnectSession] = []
    used: dict[str, int] = {}
    for w in top:
        if w[:1] != ["username"] or w[2:] != ["attributes"]:
            continue
        attrs = [c.split() for c in _children(config, f"username {w[1]} attributes")]
        gp = next((a[1] for a in attrs if a[:1] == ["vpn-group-policy"] and a[1:]), "")
        if gp not in groups:
            continue
        tunnel_group, addresses = groups[gp]
        n = used.get(gp, 0)
        if n >= len(addresses):
            continue
        used[gp] = n + 1
        working_day = 10 * 3600
        age = 60 + (int(now.timestamp()) + stable_int(device, w[1], modulo=working_day)) % (
            working_day - 60
        )
        age = min(age, int((now - booted).total_seconds()))
        login = now - timedelta(seconds=age)
        rate = 2000 + stable_int(device, w[1], "rate", modulo=20000)
        index = first_index + len(out)
        out.append(
            AnyConnectSession(
                w[1],
                index,
                addresses[n],
                f"198.51.100.{2 + stable_int(device, w[1], 'public', modulo=252)}",
                gp,
                tunnel_group,
                login,
                age * rate,
                age * rate // 3,
                f"{int(ipaddress.IPv4Address(outside)):08x}{index:08x}{int(login.timestamp()) & 0xFFFFFFFF:08x}",
            )
        )
    return out
