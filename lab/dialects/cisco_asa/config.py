"""How Cisco ASA 9.x keeps configuration typed in its VPN and routing sub-modes (pure
helpers over the lab's configuration tree, used by `netsteward.lab.dialects.cisco_asa.cli`).

- Sub-modes: `router bgp|ospf N`, `crypto ikev1 policy N`, `group-policy G attributes`,
  `username U attributes`, `tunnel-group T general|ipsec|webvpn|ppp-attributes`,
  `webvpn` (and `address-family` under `router bgp`).  A global command typed in a
  sub-mode leaves it first, as on the ASA.
- Top-level `crypto` lines are stored in the order the ASA prints them (transform
  sets, crypto maps map by map and entry by entry, CA, IKE); a crypto map entry's
  single-valued attribute and a transform set of the same name replace the old line;
  transform-set lines keep the ASA's trailing space.
- `crypto ikev1 policy N` carries every attribute, defaults included (authentication
  rsa-sig, encryption aes, hash sha, group 14, lifetime 86400 on 9.16); typed values
  replace them.
- `name A N` lines go under `names`; local passwords are stored as PBKDF2 hashes.
"""

from __future__ import annotations

import base64
import hashlib

from netsteward.lab.dialects.cisco_asa.vpn_config import crypto_map_key
from netsteward.lab.engine.configtree import ConfigTree, Node

# sub-modes entered by a header line ("*": any word; the header has exactly these words)
SECTION_MODES = {
    ("router", "bgp", "*"): "config-router",
    ("router", "ospf", "*"): "config-router",
    ("crypto", "ikev1", "policy", "*"): "config-ikev1-policy",
    ("group-policy", "*", "attributes"): "config-group-policy",
    ("username", "*", "attributes"): "config-username",
    ("tunnel-group", "*", "general-attributes"): "config-tunnel-general",
    ("tunnel-group", "*", "ipsec-attributes"): "config-tunnel-ipsec",
    ("tunnel-group", "*", "webvpn-attributes"): "config-tunnel-webvpn",
    ("tunnel-group", "*", "ppp-attributes"): "config-ppp",
    ("webvpn",): "config-webvpn",
}
# top-level lines: typed in a sub-mode they leave it first, as on the ASA
TOP_WORDS = frozenset(
    {
        "access-list",
        "access-group",
        "object",
        "object-group",
        "crypto",
        "tunnel-group",
        "group-policy",
        "username",
        "names",
        "name",
        "router",
        "webvpn",
    }
)
# more global commands: typed in one of the VPN / routing sub-modes (whose own commands
# never start with these words), they leave it too
GLOBAL_WORDS = frozenset(
    {
        "aaa",
        "aaa-server",
        "class-map",
        "dhcpd",
        "dns",
        "domain-name",
        "failover",
        "http",
        "icmp",
        "ip",
        "logging",
        "mtu",
        "nat",
        "ntp",
        "policy-map",
        "prefix-list",
        "route",
        "route-map",
        "same-security-traffic",
        "service-policy",
        "snmp-server",
        "ssh",
        "sysopt",
        "telnet",
        "threat-detection",
        "time-range",
    }
)
SUBMODES = frozenset({"config-router-af", *SECTION_MODES.values()})


def section_mode(words: list[str]) -> str | None:
    """The sub-mode a header line such as `router bgp 65030` or `webvpn` enters."""
    for key, mode in SECTION_MODES.items():
        if len(words) == len(key) and all(k in ("*", w) for k, w in zip(key, words, strict=True)):
            return mode
    return None


def leaves_submode(mode: str, words: list[str]) -> bool:
    """Does this line, typed in `mode` (not `config`), leave the mode for `config`?"""
    first = words[int(words[0] == "no" and len(words) > 1)]
    return first in TOP_WORDS or (first in GLOBAL_WORDS and mode in SUBMODES)


IKEV1_POLICY_DEFAULTS = (
    "authentication rsa-sig",
    "encryption aes",
    "hash sha",
    "group 14",
    "lifetime 86400",
)


_CRYPTO_RANK = (
    "crypto ipsec ikev1 transform-set ",
    "crypto ipsec ikev2 ipsec-proposal ",
    "crypto ipsec ",
    "crypto dynamic-map ",
    "crypto map ",
    "crypto ca ",
    "crypto ikev2 ",
    "crypto ikev1 enable ",
    "crypto ikev1 ",
)


def crypto_order(lines: list[str]) -> list[int]:
    """The positions of top-level `crypto ...` lines in the order the ASA prints them
    (transform sets, crypto maps, CA, IKE; typed order otherwise)."""
    maps: list[str] = []
    for text in lines:
        w = text.split()
        if w[:2] == ["crypto", "map"] and len(w) > 2 and w[2] not in maps:
            maps.append(w[2])

    def key(i: int) -> tuple[int, tuple[int, int, int, int], int]:
        text = lines[i]
        rank = next((r for r, p in enumerate(_CRYPTO_RANK) if text.startswith(p)), 99)
        in_map = crypto_map_key(text, maps) if text.startswith("crypto map ") else (0, 0, 0, 0)
        return (rank, in_map, i)

    return sorted(range(len(lines)), key=key)


# crypto map entry attributes that a new line of the same kind replaces
SINGLE_VALUED = (
    "match address",
    "set pfs",
    "set connection-type",
    "set peer",
    "set ikev1 phase1-mode",
    "set ikev1 transform-set",
    "set ikev2 mode",
    "set security-association lifetime seconds",
    "set security-association lifetime kilobytes",
)


def store_crypto(tree: ConfigTree, text: str) -> None:
    """Store a top-level `crypto ...` line (see the module docstring)."""
    root = tree.root
    words = text.split()
    same = None
    if words[1] == "map" and len(words) > 5 and words[3].isdigit():
        kind = next((k for k in SINGLE_VALUED if " ".join(words[4:]).startswith(k)), None)
        if kind is not None:
            same = f"crypto map {words[2]} {words[3]} {kind}"
    elif words[1:4] == ["ipsec", "ikev1", "transform-set"] and len(words) > 4:
        same = " ".join(words[:5]) + " "
    for node in list(root.children):
        if node.text == text or (same is not None and node.text.startswith(same)):
            node.remove()
    trailing = " " if words[1:4] == ["ipsec", "ikev1", "transform-set"] else ""
    tree.new_section(text + trailing, like="crypto ", separator=None, tail=())
    sort_crypto(root)


def sort_crypto(root: Node) -> None:
    """Put the top-level `crypto` lines together, in the ASA's order."""
    crypto = [n for n in root.children if n.text.startswith("crypto ")]
    if crypto:
        first = root.children.index(crypto[0])
        for node in crypto:
            root.children.remove(node)
        order = crypto_order([n.text for n in crypto])
        root.children[first:first] = [crypto[i] for i in order]


def store_name(root: Node, text: str) -> None:
    """`name ADDRESS NAME [description TEXT]`: after the other names, under `names`."""
    if root.find(text) is None:
        kin = [n for n in root.children if n.text.startswith("name ")]
        kin = kin or [n for n in root.children if n.text == "names"]
        index = root.children.index(kin[-1]) + 1 if kin else len(root.children)
        root.add(text, index=index)


def pbkdf2_hash(device: str, username: str, password: str) -> str:
    """`$sha512$5000$SALT$HASH` as ASA 9.x stores a local user's password (stable salt)."""
    salt = hashlib.sha256(f"{device}|{username}".encode()).digest()[:16]
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 5000, dklen=16)
    b64 = base64.b64encode
    return f"$sha512$5000${b64(salt).decode()}${b64(digest).decode()}"
