"""Port normalisation: classify ports, derive their desired state, plan the exact lines.

Pure functions: configuration text + LLDP neighbours + policy -> `DevicePlan`.
No device is touched here (see `netsteward.tasks.ports.apply` for that).

Why the lines are computed directly and not with hier_config: the policy owns a
narrow slice of the configuration (one description and a handful of loop
protection lines per port, a few globals). hier_config needs a full intended
configuration and, with its VRP and Comware drivers, emits `undo interface`
for any physical interface missing from it, `undo description` before every new
description, and has no Comware 7 driver. Computing the slice directly gives one
reason per line, the exact rollback of each change, and never a line outside the
policy's slice, so the round trip (plan, apply, plan again -> empty) holds by
construction and is checked by the tests.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.ifnames import PHYSICAL_KINDS, canonical_name, port_kind, short_name
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.config import (
    SECTION_JOIN,
    InterfaceBlock,
    ParsedConfig,
    fingerprint,
)
from netsteward.tasks.ports.policy import (
    Descriptions,
    PlatformSyntax,
    PortPolicy,
    Rules,
    in_ranges,
)
from netsteward.tasks.topology.neighbor import capability_set

KINDS = (
    "missing_description",
    "stale_description",
    "edge_without_loop_protection",
    "uplink_marked_edge",
    "missing_global_loop_protection",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlannedChange(_Frozen):
    """One deviation and the lines that fix it, in the vendor's own syntax."""

    interface: str | None  # None: system view / global configuration (or `section`)
    kind: str  # a port deviation kind (KINDS) or, in a baseline plan, the check id
    lines: list[str]  # exact lines, sent inside `interface X` when interface is set
    reason: str
    rollback: list[str]  # lines that restore the previous state, same section
    present: list[str] = []  # lines that must be in the section after apply
    absent: list[str] = []  # regexes no line of the section may match after apply
    # another section the lines go into (interface None): its header lines, outermost
    # first, e.g. ["user-interface vty 0 4"] or ["aaa", "recording-scheme ym-cmd"]
    section: list[str] = []

    @property
    def headers(self) -> tuple[str, ...]:
        """The lines that enter this change's section (empty: the global configuration)."""
        if self.interface is not None:
            return (f"interface {self.interface}",)
        return tuple(self.section)

    @property
    def where(self) -> str:
        """The section for people and for `ParsedConfig.sections`: "global", an interface, "aaa"."""
        if self.interface is not None:
            return self.interface
        return SECTION_JOIN.join(self.section) if self.section else _("global")


class DevicePlan(_Frozen):
    host: str
    platform: str
    role: str
    network: str
    fingerprint: str
    view: Literal["ports", "config"] = "ports"  # what the fingerprint covers (config.VIEWS)
    changes: list[PlannedChange] = []
    commands: list[str] = []  # what apply sends in configuration mode, in order
    rollback: list[str] = []  # what apply sends to undo `commands`
    notes: list[str] = []  # ports held or skipped, and why


# the plan format `normalize apply` reads; a plan of any other version is refused
PLAN_VERSION = 2


class Plan(_Frozen):
    version: int = PLAN_VERSION
    job: Literal["normalize", "baseline"] = "normalize"  # which job planned it
    created_at: str
    created_by: str
    source: str  # live | offline
    policy_digest: str  # the port policy's, or the baseline rule set's
    devices: list[DevicePlan]
    unreadable: dict[str, str] = {}  # host -> why it could not be read
    # the seal: sha256 over everything else in the plan (`plan_digest`); apply refuses a
    # plan whose content does not hash to it (`netsteward.tasks.ports.seal`)
    digest: str = ""

    def changed(self) -> list[DevicePlan]:
        return [d for d in self.devices if d.changes]


def plan_digest(plan: Plan) -> str:
    """sha256 of the plan's canonical JSON without the seal itself: every device's host,
    platform, fingerprint, changes, lines and rollback, the version, job, source and
    policy digest. Any edit of the file changes it."""
    doc = plan.model_dump(mode="json", exclude={"digest"})
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(plan: Plan) -> Plan:
    """The plan with its seal (`digest`) set over its content."""
    return plan.model_copy(update={"digest": plan_digest(plan)})


@dataclass(frozen=True)
class Link:
    """An LLDP neighbour of one local port (names in any spelling), or a declared link.

    `capabilities`: the neighbour's LLDP enabled capabilities as advertised ("" unknown);
    `declared`: a link of the inventory's `declared_links` (LLDP cannot see it).
    """

    local_port: str
    peer: str
    peer_port: str
    capabilities: str = ""
    declared: bool = False


# what a phone, an access point or a host advertises: never infrastructure, whatever its name
ENDPOINT_CAPABILITIES = frozenset({"telephone", "wlan", "station"})


def infrastructure(link: Link, inventory: Collection[str]) -> bool:
    """Loop protection fails safe: only a link to a device of the inventory (or a declared
    link) is an uplink. A neighbour the inventory does not have (an IP phone, an access
    point, a camera, a switch someone plugged into a desk port) leaves the port an edge
    port with its loop protection, whatever it advertises; so does a neighbour that takes an
    inventory device's name but advertises itself as a phone, an access point or a station."""
    if link.declared:
        return True
    if link.peer not in inventory:
        return False
    return not capability_set(link.capabilities) & ENDPOINT_CAPABILITIES


@dataclass
class PeerIndex:
    """What the plan needs to know about neighbours: platform and LAG of their ports.

    `platforms` holds every device of the inventory: only links to these are uplinks
    (`infrastructure`)."""

    platforms: dict[str, str] = field(default_factory=dict)  # host -> platform
    lags: dict[tuple[str, str], str] = field(default_factory=dict)  # (host, canonical port) -> LAG

    def add_config(
        self, host: str, platform: str, parsed: ParsedConfig, policy: PortPolicy
    ) -> None:
        self.platforms[host] = platform
        syntax = policy.platforms.get(platform)
        if syntax is None:
            return
        for name, lag in lag_members(parsed, syntax).items():
            self.lags[(host, canonical_name(platform, name))] = lag

    def lag_of(self, host: str, port: str) -> str | None:
        return self.lags.get((host, canonical_name(self.platforms.get(host), port)))


@dataclass(frozen=True)
class Device:
    host: str
    platform: str
    role: str
    network: str
    model: str | None = None


def lag_members(parsed: ParsedConfig, syntax: PlatformSyntax) -> dict[str, str]:
    """Member interface name -> LAG interface name."""
    rx = re.compile(syntax.lag_member)
    out: dict[str, str] = {}
    for block in parsed.interfaces.values():
        for line in block.lines:
            m = rx.match(line)
            if m:
                out[block.name] = syntax.lag_name.format(id=m["id"])
                break
    return out


def clean_description(text: str, syntax: PlatformSyntax, unit: str = "bytes") -> str:
    """Fit a description built from device text to the vendor's character set and limit.

    Neighbour names are untrusted: every character that is not printable (newlines, NUL,
    backspace, ESC, Ctrl-Z, the Unicode line separators, bidirectional overrides) becomes
    the policy's `description_replace` whatever `description_forbidden` says, then the
    vendor's forbidden characters do; so a name such as `"X\\nreturn\\nreboot"` stays one
    line of one `description` command. `unit` is what the vendor's limit counts
    (`description_length` of the platform): `bytes` of the line as sent in UTF-8, where a
    Chinese character takes three, or `characters`. A cut never splits a character.
    """
    repl = syntax.description_replace
    text = "".join(ch if ch.isprintable() else repl for ch in text)
    text = re.sub(syntax.description_forbidden, repl, text)
    limit = syntax.description_max_length
    if unit == "characters":
        return text[:limit]
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _names_neighbour(block: InterfaceBlock, link: Link, peer_port: str, tmpl: Descriptions) -> bool:
    """With `keep_if_names_neighbour`: the port's own description names its LLDP neighbour
    and the neighbour's port (`上联至YM-BASE-AGG-01 XGE1/0/3`), in whatever words or
    language the team wrote it, so it is kept."""
    text = block.description or ""
    return (
        tmpl.keep_if_names_neighbour
        and link.peer in text
        and (peer_port in text or link.peer_port in text)
    )


def _has_line(block: InterfaceBlock, line: str) -> bool:
    return line in block.lines


def _skipped(block: InterfaceBlock, syntax: PlatformSyntax, rules: Rules) -> bool:
    if any(re.search(rx, block.name) for rx in [*syntax.skip_interfaces, *rules.skip_interfaces]):
        return True
    return any(re.search(rx, ln) for rx in syntax.skip_if_line for ln in block.lines)


def _description_change(
    block: InterfaceBlock, desired: str, syntax: PlatformSyntax, why: str
) -> PlannedChange | None:
    current = block.description
    if current == desired:
        return None
    undo = [f"description {current}"] if current else [f"{syntax.negate} description"]
    if current is None:
        kind = "missing_description"
        reason = _("{why}; the port has no description").format(why=why)
    else:
        kind = "stale_description"
        reason = _("{why}; the description is {current!r}").format(why=why, current=current)
    return PlannedChange(
        interface=block.name,
        kind=kind,
        lines=[f"description {desired}"],
        reason=reason,
        rollback=undo,
        present=[f"description {desired}"],
    )


def plan_device(
    device: Device,
    config: str | ParsedConfig,
    links: list[Link],
    policy: PortPolicy,
    peers: PeerIndex | None = None,
    seen_before: list[Link] | None = None,
) -> DevicePlan:
    """The changes that bring one device in line with the policy.

    `seen_before`: the device's links in the last topology snapshot. A port that had
    an inventory neighbour there and has none now (a neighbour down, a cable pulled) is
    held, never made an edge port. A port whose neighbour is not an inventory device
    (`infrastructure`) is an edge port like one without a neighbour.
    """
    parsed = config if isinstance(config, ParsedConfig) else _parse(device.platform, config)
    base = DevicePlan(
        host=device.host,
        platform=device.platform,
        role=device.role,
        network=device.network,
        fingerprint=fingerprint(parsed),
    )
    if not policy.in_scope(device.role, device.platform):
        return base
    syntax = policy.platforms[device.platform]
    unit = load_platform(device.platform).description_length
    rules = policy.for_host(role=device.role, network=device.network, host=device.host)
    peers = peers or PeerIndex()
    tmpl = policy.descriptions
    user_ports = policy.user_ports(device.model)

    by_port: dict[str, list[Link]] = defaultdict(list)
    foreign: dict[str, Link] = {}  # port -> a neighbour that is not infrastructure
    for link in links:
        block = parsed.find(device.platform, link.local_port)
        if block is None:
            continue
        if infrastructure(link, peers.platforms):
            by_port[block.name].append(link)
        else:
            foreign.setdefault(block.name, link)
    was_uplink: dict[str, str] = {}
    for link in seen_before or []:
        block = parsed.find(device.platform, link.local_port)
        if block is not None and infrastructure(link, peers.platforms):
            was_uplink.setdefault(block.name, link.peer)
    members = lag_members(parsed, syntax)
    lag_peers: dict[str, list[Link]] = defaultdict(list)
    for member, lag in members.items():
        lag_peers[lag].extend(lk for lk in by_port.get(member, []) if not lk.declared)

    changes: list[PlannedChange] = []
    notes: list[str] = []
    edge_on = rules.loop_protection

    for block in parsed.interfaces.values():
        kind = port_kind(block.name)
        if kind not in PHYSICAL_KINDS and kind != "lag":
            continue
        if _skipped(block, syntax, rules):
            continue
        port_links = sorted(
            by_port.get(block.name, []), key=lambda lk: (lk.declared, lk.peer, lk.peer_port)
        )
        if kind == "lag":
            if rules.descriptions:
                desired, why = _lag_description(block, lag_peers.get(block.name, []), policy, peers)
                if desired is None and why:
                    notes.append(f"{block.name}: {why}")  # (why is translated)
                elif desired is not None:
                    ch = _description_change(
                        block, clean_description(desired, syntax, unit), syntax, why
                    )
                    if ch:
                        changes.append(ch)
            if edge_on:
                changes.extend(_strip_edge_lines(block, syntax, "LAG"))
            continue
        if port_links:
            link = port_links[0]
            peer_port = short_name(peers.platforms.get(link.peer), link.peer_port)
            # a declared link (no LLDP) makes an uplink, but its description is left alone
            describe = rules.descriptions and not link.declared
            if describe and not _names_neighbour(block, link, peer_port, tmpl):
                desired = tmpl.port.format(
                    peer=link.peer, peer_port=peer_port, peer_lag="", peers=link.peer
                )
                why = _("LLDP neighbour {peer} {port}").format(peer=link.peer, port=peer_port)
                ch = _description_change(
                    block, clean_description(desired, syntax, unit), syntax, why
                )
                if ch:
                    changes.append(ch)
            if edge_on:
                changes.extend(
                    _strip_edge_lines(block, syntax, _("uplink to {peer}").format(peer=link.peer))
                )
            continue
        if block.name in members:
            if edge_on:
                changes.extend(
                    _strip_edge_lines(
                        block, syntax, _("member of {lag}").format(lag=members[block.name])
                    )
                )
            continue
        # no neighbour, not in a LAG: its description only when the policy maps it
        mapped = rules.port_descriptions.get(block.name)
        if rules.descriptions and mapped is not None:
            ch = _description_change(
                block,
                clean_description(mapped, syntax, unit),
                syntax,
                _("policy port_descriptions"),
            )
            if ch:
                changes.append(ch)
        # ... and an edge port, unless something says otherwise
        if not edge_on:
            continue
        if (
            mapped is None
            and block.description is not None
            and re.search(tmpl.held_if_description, block.description)
        ):
            notes.append(
                _(
                    "{port}: no LLDP neighbour but described {description!r}; "
                    "held as a possible uplink (not made an edge port)"
                ).format(port=block.name, description=block.description)
            )
            continue
        if block.name in was_uplink:
            notes.append(
                _(
                    "{port}: no LLDP neighbour now, but {peer} in the last "
                    "topology snapshot; held as a possible uplink (not made an edge port)"
                ).format(port=block.name, peer=was_uplink[block.name])
            )
            continue
        if user_ports is not None and not in_ranges(block.name, user_ports):
            continue
        if block.name in foreign:
            notes.append(
                _(
                    "{port}: LLDP neighbour {peer!r} is not an infrastructure device of the "
                    "inventory; kept an edge port (loop protection stays)"
                ).format(port=block.name, peer=foreign[block.name].peer)
            )
        missing = [vl for vl in syntax.edge_lines if not _has_line(block, vl.line)]
        if missing:
            changes.append(
                PlannedChange(
                    interface=block.name,
                    kind="edge_without_loop_protection",
                    lines=[vl.line for vl in missing],
                    reason=_("edge port (no LLDP neighbour, not in a LAG) lacks {lines}").format(
                        lines=", ".join(repr(vl.line) for vl in missing)
                    ),
                    rollback=[vl.undo for vl in reversed(missing)],
                    present=[vl.line for vl in missing],
                )
            )

    if edge_on:
        missing_globals = [vl for vl in syntax.global_lines if vl.line not in parsed.top_lines]
        if missing_globals:
            changes.insert(
                0,
                PlannedChange(
                    interface=None,
                    kind="missing_global_loop_protection",
                    lines=[vl.line for vl in missing_globals],
                    reason=_("access switch lacks global {lines}").format(
                        lines=", ".join(repr(vl.line) for vl in missing_globals)
                    ),
                    rollback=[vl.undo for vl in reversed(missing_globals)],
                    present=[vl.line for vl in missing_globals],
                ),
            )

    commands, rollback = render_commands(changes, syntax)
    return base.model_copy(
        update={"changes": changes, "commands": commands, "rollback": rollback, "notes": notes}
    )


def _parse(platform: str, text: str) -> ParsedConfig:
    from netsteward.tasks.ports.config import parse_config

    return parse_config(platform, text)


def _lag_description(
    block: InterfaceBlock, links: list[Link], policy: PortPolicy, peers: PeerIndex
) -> tuple[str | None, str]:
    """(desired description or None, reason or note) for a LAG interface."""
    if not links:
        return None, ""
    tmpl = policy.descriptions
    names = sorted({lk.peer for lk in links})
    if len(names) > 1:
        return tmpl.lag_multi_peer.format(
            peers=tmpl.peer_join.join(names), peer=names[0], peer_port="", peer_lag=""
        ), _("LAG members reach {peers}").format(peers=_(" and ").join(names))
    peer = names[0]
    lags = {peers.lag_of(peer, lk.peer_port) for lk in links}
    lags.discard(None)
    if len(lags) != 1:
        return (
            None,
            _(
                "LAG towards {peer}: the neighbour's LAG is not known (its configuration was not read)"
            ).format(peer=peer),
        )
    peer_lag = short_name(peers.platforms.get(peer), str(lags.pop()))
    return tmpl.lag.format(peer=peer, peer_lag=peer_lag, peer_port="", peers=peer), _(
        "LAG members reach {peer} {lag}"
    ).format(peer=peer, lag=peer_lag)


def _strip_edge_lines(
    block: InterfaceBlock, syntax: PlatformSyntax, what: str
) -> list[PlannedChange]:
    found = [
        (ln, fb) for ln in block.lines for fb in syntax.uplink_forbidden if re.search(fb.match, ln)
    ]
    if not found:
        return []
    undo: list[str] = []
    for _line, fb in found:
        if fb.undo not in undo:
            undo.append(fb.undo)
    return [
        PlannedChange(
            interface=block.name,
            kind="uplink_marked_edge",
            lines=undo,
            reason=_("{what} must not be an edge port; it carries {lines}").format(
                what=what, lines=", ".join(repr(ln) for ln, _fb in found)
            ),
            rollback=[ln for ln, _fb in found],
            absent=sorted({fb.match for _ln, fb in found}),
        )
    ]


def render_commands(
    changes: list[PlannedChange], syntax: PlatformSyntax
) -> tuple[list[str], list[str]]:
    """The configuration-mode lines for a list of changes, and their rollback, grouped per section.

    A section's lines are sent between its header lines and one `interface_exit` per
    header (`quit` / `exit` leaves one view), so nested views return to the system view.
    """
    forward: list[str] = []
    back: list[str] = []
    sections: dict[tuple[str, ...], list[PlannedChange]] = defaultdict(list)
    for ch in changes:
        sections[ch.headers].append(ch)
    for headers, group in sections.items():
        fw = [ln for ch in group for ln in ch.lines]
        bw = [ln for ch in reversed(group) for ln in ch.rollback]
        exits = [syntax.interface_exit] * len(headers)
        forward.extend([*headers, *fw, *exits])
        back.extend([*headers, *bw, *exits])
    return forward, back


def new_plan(
    devices: list[DevicePlan],
    *,
    source: str,
    policy: PortPolicy | None = None,
    created_by: str,
    unreadable: dict[str, str] | None = None,
    job: Literal["normalize", "baseline"] = "normalize",
    digest: str | None = None,
) -> Plan:
    """The plan file's content; `digest` names the rule set when it is not the port policy."""
    if digest is None:
        if policy is None:
            raise ValueError("new_plan needs the port policy or a digest")
        digest = policy.digest
    return seal(
        Plan(
            job=job,
            created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            created_by=created_by,
            source=source,
            policy_digest=digest,
            devices=sorted(devices, key=lambda d: d.host),
            unreadable=dict(sorted((unreadable or {}).items())),
        )
    )
