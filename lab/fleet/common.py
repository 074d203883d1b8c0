"""Shared helpers of the fleet generator: random tokens, secret forms, names.

Everything here takes an explicit `random.Random`; nothing reads global
randomness or the clock, so `netsteward.lab.fleet.build.build_fleet(seed)` is reproducible.

Secret forms produced (vendor syntax as the device displays them):

| helper | looks like | used by |
|---|---|---|
| `vrp_cipher` | `%^%#` + 40..60 printable + `%^%#` | Huawei `cipher` forms |
| `vrp_irreversible` | `$1a$` + 50 printable + `$` | Huawei `irreversible-cipher` |
| `comware_hash` | `$h$6$<16>$<86>==` | H3C `password hash` |
| `comware_cipher` | `$c$3$<40..64 base64>` | H3C `cipher` forms |
| `ios_type7` | real type-7 encoding of a random word | `password 7`, `key 7`, `key-string 7` |
| `ios_type5` / `ios_type9` | `$1$salt$hash` / `$9$salt$hash` | `secret 5` / `secret 9` |
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

_PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!&()*+,-./:;<=>@[]_{|}~"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CRYPT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
_HEX = "0123456789ABCDEF"
_UPPER = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_DIGITS = "0123456789"


def _table(chars: str) -> bytes:
    return bytes(ord(chars[b % len(chars)]) for b in range(256))


_TABLES = {
    name: _table(chars)
    for name, chars in (
        ("p", _PRINTABLE),
        ("b", _B64),
        ("c", _CRYPT),
        ("a", _ALNUM),
        ("h", _HEX),
        ("u", _UPPER),
        ("d", _DIGITS),
    )
}


def token(rng: random.Random, n: int, alphabet: str = "a") -> str:
    """`n` random characters of alphabet p(rintable) b(ase64) c(rypt) a(lnum) h(ex) u(pper) d(igits)."""
    return rng.randbytes(n).translate(_TABLES[alphabet]).decode("ascii")


def vrp_cipher(rng: random.Random) -> str:
    return "%^%#" + token(rng, rng.randint(40, 60), "p") + "%^%#"


def vrp_irreversible(rng: random.Random) -> str:
    return "$1a$" + token(rng, 50, "p") + "$"


def comware_hash(rng: random.Random) -> str:
    return "$h$6$" + token(rng, 16, "b") + "$" + token(rng, 86, "b") + "=="


def comware_cipher(rng: random.Random) -> str:
    return "$c$3$" + token(rng, rng.choice((40, 44, 64)), "b")


_XLAT = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


def ios_type7(rng: random.Random) -> str:
    """Cisco type-7 encoding (the real algorithm) of a random plain word."""
    plain = token(rng, rng.randint(10, 16), "a")
    seed = rng.randint(0, 15)
    out = [f"{seed:02d}"]
    for i, ch in enumerate(plain.encode()):
        out.append(f"{ch ^ _XLAT[(seed + i) % len(_XLAT)]:02X}")
    return "".join(out)


def ios_type5(rng: random.Random) -> str:
    return "$1$" + token(rng, 4, "c") + "$" + token(rng, 22, "c")


def ios_type9(rng: random.Random) -> str:
    return "$9$" + token(rng, 14, "c") + "$" + token(rng, 43, "c")


def community(rng: random.Random, prefix: str = "ym") -> str:
    return f"{prefix}{token(rng, 12, 'a')}"


def rsa_key_lines(rng: random.Random, n: int = 5) -> list[str]:
    """Hex lines of a public-key-code block (VRP / Comware style, 8 words per line)."""
    return [" ".join(token(rng, 8, "h") for _ in range(6)) for _ in range(n)]


@dataclass
class SecretBook:
    """Collects planted secrets for `truth["secrets"]`: {host, kind, value}."""

    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, host: str, kind: str, value: str) -> str:
        self.items.append({"host": host, "kind": kind, "value": value})
        return value


# --- names -------------------------------------------------------------------

SHORT_PREFIXES: list[tuple[str, str]] = [
    # longest first; DESIGN.md "Port policy defaults" short names
    ("XGigabitEthernet", "XGE"),
    ("Ten-GigabitEthernet", "XGE"),
    ("TenGigabitEthernet", "Te"),
    ("FortyGigE", "FGE"),
    ("HundredGigE", "HGE"),
    ("100GE", "100GE"),
    ("40GE", "40GE"),
    ("GigabitEthernet", "GE"),
    ("Bridge-Aggregation", "BAGG"),
    ("Eth-Trunk", "Eth-Trunk"),
    ("Port-channel", "Po"),
    ("FastEthernet", "Fa"),
    ("MEth", "MEth"),
]


def short_name(platform: str, port: str) -> str:
    """Short interface name used in policy descriptions (`TO-{peer}-{short}`)."""
    if platform in ("cisco_ios", "cisco_asa") and port.startswith("GigabitEthernet"):
        return "Gi" + port[len("GigabitEthernet") :]
    for long, short in SHORT_PREFIXES:
        if port.startswith(long):
            return short + port[len(long) :]
    return port


def mac_of(oui: str, index: int, rng: random.Random) -> str:
    """Base MAC as lower-case colon form `aa:bb:cc:dd:ee:ff`, unique per index."""
    low = (index << 8) | rng.randint(0, 255)
    tail = f"{low:06x}"
    return f"{oui}:{tail[0:2]}:{tail[2:4]}:{tail[4:6]}"


def mgmt_ip(index: int, building: int = 1) -> str:
    """Management address, unique per (building, index within the building).

    Building 1 (the default fleet): the documentation ranges (RFC 5737). Further buildings
    (`build_fleet(buildings=N)`): four /24s each of the benchmarking range 198.18.0.0/15
    (RFC 2544; 128 buildings), .1-.240 of each, as the documentation ranges are used."""
    if building > 1:
        block = 4 * (building - 2) + (index - 1) // 240
        return f"198.{18 + block // 256}.{block % 256}.{(index - 1) % 240 + 1}"
    if index <= 240:
        return f"192.0.2.{index}"
    if index <= 490:
        return f"198.51.100.{index - 240}"
    return f"203.0.113.{index - 490}"


# Shared services (documentation addresses 192.0.2.241-254, never used by a device)
NTP_SERVERS = ("192.0.2.241", "192.0.2.242")
SYSLOG_SERVER = "192.0.2.243"
RADIUS_SERVERS = ("192.0.2.244", "192.0.2.245")
TACACS_SERVER = "192.0.2.246"
NMS_SERVER = "192.0.2.247"
