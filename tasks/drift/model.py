"""Drift: the live network against its approved state. Model and pure logic.

The approved state is what the backup repository holds: each device's last committed,
normalised configuration and the latest topology snapshot. The live state is a fresh read
of the devices (or, with `--offline`, the committed backups of a later revision).

Four checks per device, each one `CheckResult`:

- `config`: unified diff of the normalised live configuration against the committed one;
- `port_policy` / `firewall`: the policies evaluated on both sides; a violation the approved
  configuration already had is *known*, one it did not have is *new* (new = drift);
- `topology`: the device's LLDP adjacencies now against the latest snapshot.

A device that could not be read gets `UNREADABLE` results: it is never reported clean.
Nothing here talks to devices, prints or exits; `tasks/drift/check.py` gathers the inputs and
`tasks/drift/render.py` turns a `DriftReport` into text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREACHABLE, BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.scrub import has_fingerprints, without_fingerprints


class Check(StrEnum):
    CONFIG = "config"
    PORT_POLICY = "port_policy"
    FIREWALL = "firewall"
    TOPOLOGY = "topology"


class Status(StrEnum):
    CLEAN = "clean"
    DRIFT = "drift"
    UNREADABLE = "unreadable"


# Roles the port policy covers (descriptions on all of them; loop protection on access only).
PORT_POLICY_ROLES = frozenset({"router", "core", "aggregation", "access"})
FIREWALL_ROLES = frozenset({"firewall"})
# The roles whose cabling LLDP shows (firewalls, IPS and the FC fabric are declared links in
# the inventory: LLDP cannot see them), on platforms that read LLDP (`reads: lldp`).
TOPOLOGY_ROLES = frozenset({"router", "core", "aggregation", "access"})


def speaks_lldp(platform: str) -> bool:
    """Does the platform file say how to read LLDP neighbours (`reads: lldp`)?"""
    from netsteward.tasks.platforms import load_platform

    try:
        return "lldp" in load_platform(platform).reads
    except BadInput:  # an unknown platform: the inventory check reports it
        return False


def checks_for(role: str, platform: str) -> tuple[Check, ...]:
    """The checks that apply to a device of this role and platform, in report order."""
    checks = [Check.CONFIG]
    if role in PORT_POLICY_ROLES:
        checks.append(Check.PORT_POLICY)
    if role in FIREWALL_ROLES:
        checks.append(Check.FIREWALL)
    if role in TOPOLOGY_ROLES and speaks_lldp(platform):
        checks.append(Check.TOPOLOGY)
    return tuple(checks)


@dataclass(frozen=True, order=True)
class Violation:
    """One policy violation on one device, identified without line numbers.

    `subject` is the interface (port policy; "" for a global line) or the rule name or id
    (firewall); `kind` is the deviation kind or the audit check id. Two violations are the
    same when host, check, subject and kind agree: a rule that moved down the file because
    another was inserted above it is still the same, known violation.
    """

    host: str
    check: Check
    subject: str
    kind: str
    detail: str = field(default="", compare=False)
    severity: str = field(default="", compare=False)
    anchor: str = ""  # what identifies the subject when its name is positional (a rule's text)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.host, str(self.check), self.anchor or self.subject, self.kind)

    def line(self) -> str:
        where = f" {self.subject}" if self.subject else ""
        sev = f" [{self.severity}]" if self.severity else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.kind}{sev}{where}{detail}"


@dataclass(frozen=True)
class Classified:
    new: tuple[Violation, ...]
    known: tuple[Violation, ...]
    resolved: tuple[Violation, ...]


def classify(live: Iterable[Violation], approved: Iterable[Violation]) -> Classified:
    """Split the live violations into new (not in the approved state) and known.

    `resolved` are approved violations the live state no longer has (fixed by hand: the
    configuration check shows the change; here they are informational only).
    """
    approved_keys = {v.key for v in approved}
    live_list = sorted(set(live))
    live_keys = {v.key for v in live_list}
    new = tuple(v for v in live_list if v.key not in approved_keys)
    known = tuple(v for v in live_list if v.key in approved_keys)
    resolved = tuple(sorted({v for v in approved if v.key not in live_keys}))
    return Classified(new=new, known=known, resolved=resolved)


@dataclass(frozen=True)
class ConfigDiff:
    diff: str
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def same_but_encoding(approved: list[str], live: list[str]) -> bool:
    """The same lines, told apart only by how their characters reached us: Unicode
    normalisation (NFC), or an approved line that holds replacement characters (U+FFFD:
    bytes an older reader could not decode, e.g. GBK read as UTF-8) where the live line
    has the characters, its ASCII text unchanged. A change of the device's terminal encoding, or of netsteward's
    decoding (`tasks/core/devicetext.py`), is not drift."""
    if len(approved) != len(live):
        return False
    for old, new in zip(approved, live, strict=True):
        if old == new:
            continue
        old, new = unicodedata.normalize("NFC", old), unicodedata.normalize("NFC", new)
        if old == new:
            continue
        if "\ufffd" not in old or "\ufffd" in new:
            return False
        # the ASCII around the undecoded text must match; a non-ASCII run is one unknown
        # stretch (GBK read as UTF-8 gives U+FFFD and, now and then, a stray valid character)
        pattern = ".+?".join(re.escape(part) for part in _NON_ASCII.split(old))
        if not re.fullmatch(pattern, new):
            return False
    return True


def config_diff(host: str, approved: str, live: str, *, context: int = 3) -> ConfigDiff:
    """Unified diff of two normalised configurations (approved first), line ends ignored,
    and differences of decoding only (`same_but_encoding`) ignored."""
    if has_fingerprints(approved) != has_fingerprints(live):
        # one side was masked without NETSTEWARD_SECRET_KEY: compare both without
        # fingerprints (a secret's change is then not seen, never every secret line drifting)
        approved, live = without_fingerprints(approved), without_fingerprints(live)
    a = [line.rstrip("\r") for line in approved.splitlines()]
    b = [line.rstrip("\r") for line in live.splitlines()]
    if a == b or same_but_encoding(a, b):  # the common case: no need for difflib
        return ConfigDiff(diff="", added=0, removed=0)
    lines = list(
        difflib.unified_diff(a, b, f"approved/{host}", f"live/{host}", n=context, lineterm="")
    )
    added = sum(1 for ln in lines[2:] if ln.startswith("+"))
    removed = sum(1 for ln in lines[2:] if ln.startswith("-"))
    return ConfigDiff(diff="\n".join(lines) + ("\n" if lines else ""), added=added, removed=removed)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one device."""

    host: str
    check: Check
    status: Status
    summary: str
    diff: str = ""  # config: the unified diff; topology: one change per line
    new: tuple[Violation, ...] = ()
    known: tuple[Violation, ...] = ()
    resolved: tuple[Violation, ...] = ()

    @property
    def drifted(self) -> bool:
        return self.status is Status.DRIFT

    def details(self) -> str:
        """The failure text: the diff, or the new violations one per line."""
        if self.status is Status.UNREADABLE:
            return self.summary
        if self.check in (Check.PORT_POLICY, Check.FIREWALL):
            lines = [_("new: {violation}").format(violation=v.line()) for v in self.new]
            lines += [_("known: {violation}").format(violation=v.line()) for v in self.known]
            return "\n".join(lines) + ("\n" if lines else "")
        return self.diff


def config_result(
    host: str, approved: Mapping[str, str] | str | None, live: Mapping[str, str] | str
) -> CheckResult:
    """Config check: approved and live are one text, or {suffix: text} per stored file
    (`cfg`, and `zoning` for the Brocade switches); one diff per file, `cfg` first."""
    if approved is None:
        return CheckResult(
            host,
            Check.CONFIG,
            Status.DRIFT,
            _("no approved backup in the repository (never backed up)"),
        )
    before = {"": approved} if isinstance(approved, str) else dict(approved)
    after = {"": live} if isinstance(live, str) else dict(live)
    diffs, added, removed = [], 0, 0
    for suffix in sorted(set(before) | set(after), key=lambda s: (s != "cfg", s)):
        name = f"{host}.{suffix}" if suffix else host
        d = config_diff(name, before.get(suffix, ""), after.get(suffix, ""))
        if d.changed:
            diffs.append(d.diff)
            added += d.added
            removed += d.removed
    if not diffs:
        return CheckResult(host, Check.CONFIG, Status.CLEAN, _("matches the approved backup"))
    return CheckResult(
        host,
        Check.CONFIG,
        Status.DRIFT,
        _("{added} line(s) added, {removed} removed").format(added=added, removed=removed),
        diff="".join(diffs),
    )


def policy_result(
    host: str, check: Check, live: Iterable[Violation], approved: Iterable[Violation]
) -> CheckResult:
    c = classify(live, approved)
    parts = [_("{n} new").format(n=len(c.new)), _("{n} known").format(n=len(c.known))]
    if c.resolved:
        parts.append(_("{n} resolved").format(n=len(c.resolved)))
    status = Status.DRIFT if c.new else Status.CLEAN
    return CheckResult(
        host,
        check,
        status,
        ", ".join(parts) + " violation(s)",
        new=c.new,
        known=c.known,
        resolved=c.resolved,
    )


def unreadable_results(host: str, checks: Iterable[Check], reason: str) -> list[CheckResult]:
    return [CheckResult(host, c, Status.UNREADABLE, reason) for c in checks]


@dataclass(frozen=True)
class Adjacency:
    """One end of a cable as one device sees it: local port -> peer and peer port.

    Interface names are canonical (the topology module's canonical names), so that the
    snapshot and the fresh LLDP view compare equal for the same cable.
    """

    local_port: str
    peer: str
    peer_port: str


def topology_result(
    host: str,
    approved: Iterable[Adjacency],
    live: Iterable[Adjacency],
    optional: Iterable[Adjacency] = (),
) -> CheckResult:
    """Compare one device's adjacencies, port by port: moved, gone and new neighbours.

    `optional` adjacencies (a link the snapshot saw from one end only) count neither as
    gone when absent nor as new when present.
    """
    skip = set(optional)
    before: dict[str, set[tuple[str, str]]] = {}
    after: dict[str, set[tuple[str, str]]] = {}
    for adj in approved:
        if adj in skip:
            continue
        before.setdefault(adj.local_port, set()).add((adj.peer, adj.peer_port))
    for adj in live:
        if adj in skip:
            continue
        after.setdefault(adj.local_port, set()).add((adj.peer, adj.peer_port))
    changes: list[str] = []

    def show(pairs: set[tuple[str, str]]) -> str:
        return ", ".join(f"{p} {pp}" for p, pp in sorted(pairs))

    for port in sorted(set(before) | set(after)):
        b, a = before.get(port, set()), after.get(port, set())
        if a == b:
            continue
        if b and a:
            changes.append(f"~ {port}: {show(b)} -> {show(a)}")
        elif b:
            changes.append(f"- {port}: {show(b)} " + _("(neighbour gone)"))
        else:
            changes.append(f"+ {port}: {show(a)} " + _("(new neighbour)"))
    if not changes:
        return CheckResult(
            host, Check.TOPOLOGY, Status.CLEAN, _("matches the latest topology snapshot")
        )
    return CheckResult(
        host,
        Check.TOPOLOGY,
        Status.DRIFT,
        _("{n} port(s) changed neighbour").format(n=len(changes)),
        diff="\n".join(changes) + "\n",
    )


@dataclass(frozen=True)
class DeviceInfo:
    host: str
    platform: str
    role: str
    network: str
    model: str | None = None


@dataclass(frozen=True)
class DriftReport:
    """The whole drift check: one result per device and applicable check."""

    results: tuple[CheckResult, ...]
    devices: tuple[DeviceInfo, ...]
    offline: bool
    approved: str  # what the approved state is (commit id, or revision name)
    live: str  # "devices" or the revision checked offline
    checked_at: str  # ISO 8601 UTC
    notes: tuple[str, ...] = ()  # checks skipped and why (no snapshot, no intent file, ...)

    @property
    def drifted(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.status is Status.DRIFT)

    @property
    def unreadable(self) -> dict[str, str]:
        """Host -> reason, for every device that could not be read."""
        out: dict[str, str] = {}
        for r in self.results:
            if r.status is Status.UNREADABLE:
                out.setdefault(r.host, r.summary)
        return dict(sorted(out.items()))

    @property
    def exit_code(self) -> int:
        """3 when some device could not be read (even if others drifted), 1 on drift, else 0."""
        if self.unreadable:
            return EXIT_UNREACHABLE
        if self.drifted:
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def counts(self) -> dict[str, dict[str, int]]:
        """Per check: how many devices clean, drifted, unreadable."""
        out: dict[str, dict[str, int]] = {}
        for r in self.results:
            row = out.setdefault(str(r.check), {s.value: 0 for s in Status})
            row[r.status.value] += 1
        return {str(c): out[str(c)] for c in Check if str(c) in out}

    def known_violations(self) -> int:
        return sum(len(r.known) for r in self.results)
