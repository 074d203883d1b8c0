"""Cisco ASA 9.x VPN configuration as `show running-config` prints it (pure).

- Keys are masked: `ikev1 pre-shared-key *****` (and the IKEv2 pre-shared keys) in
  `show running-config` and its filters; only `more system:running-config` shows
  them in clear, as on the real ASA.
- `crypto map` lines in the order the ASA keeps them: map by map, entry by entry
  (sequence number), each entry's lines in a fixed order, the map's `interface` line
  after its entries (`crypto_map_key`; the lines are stored in that order by
  `netsteward.lab.dialects.cisco_asa.config`).
- `show running-config all crypto map` adds the defaults `show running-config`
  leaves out (connection-type bidirectional, ikev1 phase1-mode main, ikev2 mode
  tunnel, `no ... set tfc-packets`).
"""

from __future__ import annotations

import re

_SECRET = re.compile(
    r"^(\s*(?:ikev1 pre-shared-key|ikev2 (?:local|remote)-authentication pre-shared-key) )"
    r"(?!\*+\s*$)\S.*?(\s*)$",
    re.M,
)


def mask_secrets(text: str) -> str:
    """`ikev1 pre-shared-key KEY` -> `ikev1 pre-shared-key *****` (show running-config)."""
    return _SECRET.sub(r"\1*****\2", text)


def run_filter(config: str, prefixes: tuple[str, ...]) -> str:
    """The top-level lines starting with one of `prefixes` and the lines under them,
    verbatim (trailing spaces kept: some templates need them), keys masked."""
    out: list[str] = []
    keep = False
    for line in config.splitlines():
        if line[:1] not in (" ", ""):
            keep = any(line.startswith(p) or line.rstrip() == p.rstrip() for p in prefixes)
        if keep and line.strip():
            out.append(line)
    return mask_secrets("\n".join(out) + "\n") if out else ""


# -- crypto map ordering ------------------------------------------------------------

_ENTRY_ORDER = (
    "match address",
    "ipsec-isakmp",
    "set pfs",
    "set connection-type",
    "set peer",
    "set ikev1 phase1-mode",
    "set ikev1 transform-set",
    "set ikev2 mode",
    "set ikev2 ipsec-proposal",
    "set security-association lifetime",
    "set tfc-packets",
)


def crypto_map_key(text: str, maps: list[str]) -> tuple[int, int, int, int]:
    """Sort key of a `[no] crypto map NAME SEQ ...` / `crypto map NAME interface IF` line."""
    words = text.split()
    negated = words[0] == "no"
    words = words[int(negated) :]
    name = words[2] if len(words) > 2 else ""
    where = maps.index(name) if name in maps else len(maps)
    if len(words) > 3 and words[3].isdigit():
        rest = " ".join(words[4:])
        kind = next(
            (i for i, k in enumerate(_ENTRY_ORDER) if rest.startswith(k)), len(_ENTRY_ORDER)
        )
        return (where, 0, int(words[3]), kind)
    return (where, 1, 0, 0)


def sort_crypto_maps(lines: list[str]) -> list[str]:
    """`lines` (all `crypto map` lines of a configuration) in the ASA's order."""
    maps: list[str] = []
    for text in lines:
        words = text.split()
        name = words[3] if words[0] == "no" else words[2]
        if name not in maps:
            maps.append(name)
    return sorted(lines, key=lambda t: crypto_map_key(t, maps))


_DEFAULTS = (
    ("set connection-type", "set connection-type bidirectional"),
    ("set ikev1 phase1-mode", "set ikev1 phase1-mode main"),
    ("set ikev2 mode", "set ikev2 mode tunnel"),
)


def crypto_map_all(config: str) -> str:
    """`show running-config all crypto map`: the entries with their default lines."""
    lines = [ln.rstrip() for ln in config.splitlines() if ln.startswith("crypto map ")]
    entries: dict[tuple[str, str], list[str]] = {}
    for text in lines:
        w = text.split()
        if len(w) > 3 and w[3].isdigit() and w[4:5] != ["ipsec-isakmp"]:
            entries.setdefault((w[2], w[3]), []).append(" ".join(w[4:]))
    extra: list[str] = []
    for (name, seq), rests in entries.items():
        for kind, default in _DEFAULTS:
            if not any(r.startswith(kind) for r in rests):
                extra.append(f"crypto map {name} {seq} {default}")
        if not any(r.startswith("set tfc-packets") for r in rests):
            extra.append(f"no crypto map {name} {seq} set tfc-packets")
    ordered = sort_crypto_maps(lines + extra)
    return "\n".join(ordered) + "\n" if ordered else ""
