"""Evaluate the baseline's checks on one configuration (pure functions).

    findings = audit_device(device, text, rules, port_policy)

Each check is looked at over its scopes (see `netsteward.tasks.baseline.rules`), and every
finding carries the device, the check, the clause, the section, the configuration line
(1-based; for a missing line the section's header line, or 0 for the configuration as a
whole) and the evidence (the offending line, or the header of the section that lacks
one). The remediation lines come with the finding, already filled in for that device
and section, so the report and the plan show exactly what would be sent.

A scope's lines are searched as one text (`re.search` with MULTILINE over the joined
lines): 739 configurations times some thirty checks stay well inside the benchmark's
budget that way, where a regex call per line would not.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from netsteward.tasks.baseline.rules import Check, Rules
from netsteward.tasks.baseline.tree import ConfigTree, parse
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.ifnames import port_kind
from netsteward.tasks.ports.policy import PortPolicy, in_ranges

PHYSICAL = frozenset({"ge", "xge", "25ge", "40ge", "100ge", "fe", "eth"})
_INTERFACE = re.compile(r"^interface (\S+)$")


@dataclass(frozen=True)
class Device:
    host: str
    platform: str
    role: str | None = None
    network: str | None = None
    model: str | None = None
    path: str = ""  # the configuration file, as reports and SARIF show it


@dataclass(frozen=True)
class Finding:
    device: str
    platform: str
    check: str
    title: str
    category: str
    control: str
    cis: str | None
    severity: str
    section: str  # section headers joined by " > "; "" for the top level
    line: int  # 1-based; 0: the configuration as a whole
    evidence: str  # the offending line, or the header of the section lacking one
    detail: str
    fix: tuple[str, ...] = ()  # remediation lines for this device and section
    undo: tuple[str, ...] = ()  # rollback of `fix`
    headers: tuple[str, ...] = ()  # the section's header lines, as the device prints them
    auto: bool = False  # an automatic remediation exists (goes into --plan)
    note: str = ""  # manual remediation advice
    kind: str = ""  # the check's condition: forbid | require | value (for the plan's verify)
    pattern: str = ""  # its regex
    status: str = "open"  # open | waived | waiver_expired (set by waivers.apply_waivers)
    waiver: str = ""  # reason, who and expiry of the waiver that covers it

    @property
    def key(self) -> str:
        """A stable identity for CI (SARIF fingerprints, waivers by section)."""
        return f"{self.device}|{self.check}|{self.section}|{self.evidence}"


@dataclass
class DeviceAudit:
    device: Device
    findings: list[Finding] = field(default_factory=list)
    checks: int = 0  # checks applied
    skipped_role: int = 0  # checks not applied because the device's role is not known
    problem: str = ""  # why the configuration could not be audited (empty, unparsable)


class _Scopes:
    """Lookups shared by the checks of one configuration (joined texts are cached)."""

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree
        self._texts: dict[tuple[int, bool], tuple[str, list[int], list[int]]] = {}
        self._all: tuple[str, list[int], list[int]] | None = None

    def lines_of(self, index: int, deep: bool) -> list[int]:
        if index < 0 and deep:
            return list(range(len(self.tree)))
        return self.tree.descendants(index) if deep else self.tree.kids(index)

    def text(self, index: int, deep: bool) -> tuple[str, list[int], list[int]]:
        key = (index, deep)
        got = self._texts.get(key)
        if got is None:
            indices = self.lines_of(index, deep)
            text, offsets = self.tree.block(indices)
            got = self._texts[key] = (text, offsets, indices)
        return got

    def search(
        self, rx: re.Pattern[str], index: int, deep: bool
    ) -> list[tuple[int, re.Match[str]]]:
        """(line index, match) of every line in the scope that `rx` matches (first match per line)."""
        text, offsets, indices = self.text(index, deep)
        out: list[tuple[int, re.Match[str]]] = []
        last = -1
        for m in rx.finditer(text):
            k = bisect.bisect_right(offsets, m.start()) - 1
            if k != last:
                out.append((indices[k], m))
                last = k
        return out

    def anywhere(self, rx: re.Pattern[str]) -> bool:
        return bool(rx.search(self.text(-1, True)[0]))


@lru_cache(maxsize=4096)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE)


def _sections(check: Check, scopes: _Scopes) -> list[int]:
    """Header line indices of the sections a sectional check looks at."""
    headers = check.section or ([r"^interface \S+$"] if check.ports else [])
    found: list[int] = [-1]
    for pattern in headers:
        rx = _rx(pattern)
        found = [i for parent in found for i, _m in scopes.search(rx, parent, False)]
    if check.where:
        found = [i for i in found if scopes.search(_rx(check.where), i, check.deep)]
    if check.unless:
        found = [i for i in found if not scopes.search(_rx(check.unless), i, check.deep)]
    return found


def unused_ports(
    scopes: _Scopes, candidates: list[int], device: Device, policy: PortPolicy | None
) -> list[int]:
    """The interfaces the port policy calls unused.

    A physical port (not skipped by the policy's platform syntax), not a LAG member, with
    no description (a described port is in use, or a former uplink the policy holds), and
    not a user port: when the port policy lists the model's user ports, the ports outside
    them; when it does not, every port of a device that is not an access switch (on an
    access switch every such port is an edge port waiting for a desk).
    """
    if policy is None or device.platform not in policy.platforms:
        return []
    syntax = policy.platforms[device.platform]
    user = policy.user_ports(device.model)
    if user is None and device.role == "access":
        return []
    skip = [_rx(rx) for rx in syntax.skip_interfaces]
    skip_line = [_rx(rx) for rx in syntax.skip_if_line]
    lag = _rx(syntax.lag_member)
    out = []
    for i in candidates:
        m = _INTERFACE.match(scopes.tree.text[i])
        if m is None or port_kind(m.group(1)) not in PHYSICAL:
            continue
        name = m.group(1)
        if any(rx.search(name) for rx in skip) or (user is not None and in_ranges(name, user)):
            continue
        kids = [scopes.tree.text[k] for k in scopes.tree.kids(i)]
        if any(ln.startswith("description") for ln in kids):
            continue
        if any(lag.search(ln) for ln in kids) or any(
            rx.search(ln) for rx in skip_line for ln in kids
        ):
            continue
        out.append(i)
    return out


def _pretty(pattern: str) -> str:
    """A header regex as people read it: `^aaa$` -> `aaa`, `^edit ` -> `edit ...`."""
    text = pattern.removeprefix("^").removesuffix("$")
    return text + "..." if text.endswith(" ") else text


def _fill(lines: list[str], evidence: str) -> tuple[str, ...]:
    return tuple(ln.replace("{evidence}", evidence) for ln in lines)


def _finding(
    device: Device,
    check: Check,
    rules: Rules,
    tree: ConfigTree,
    header: int,
    line: int,
    evidence: str,
    detail: str,
    bad: str = "",
) -> Finding:
    """`header`: the section's header index (-1 top level); `bad`: the offending line, if any."""
    headers = (*tree.path(header), tree.text[header]) if header >= 0 else ()
    rem = check.remediation
    return Finding(
        device=device.host,
        platform=device.platform,
        check=check.id,
        title=check.title,
        category=check.category,
        control=check.control,
        cis=check.cis,
        severity=rules.severity(check),
        section=" > ".join(headers),
        line=line,
        evidence=evidence,
        detail=detail,
        fix=_fill(rem.fix, bad),
        undo=_fill(rem.undo, bad),
        headers=headers,
        auto=rem.auto,
        note=rules.note(check),
        kind=check.kind,
        pattern=check.forbid or check.require or (check.value.pattern if check.value else ""),
    )


def _at_line(
    device: Device, check: Check, rules: Rules, tree: ConfigTree, i: int, detail: str
) -> Finding:
    """A finding about line `i` itself: the fix goes into the section that holds it."""
    text = tree.text[i]
    return _finding(
        device, check, rules, tree, tree.parent[i], tree.number[i], text, detail, bad=text
    )


def _evaluate(
    check: Check, device: Device, rules: Rules, scopes: _Scopes, policy: PortPolicy | None
) -> list[Finding]:
    tree = scopes.tree
    sectional = bool(check.section) or check.ports is not None
    if sectional:
        targets = _sections(check, scopes)
        if check.ports == "unused":
            targets = unused_ports(scopes, targets, device, policy)
        if not targets:
            if check.require_section:
                path = " > ".join(map(_pretty, check.section))
                missing = _("no section {section} in the configuration").format(section=path)
                found = _finding(device, check, rules, tree, -1, 0, "", missing)
                # the fix lines belong inside the section: nothing safe to send without it
                note = found.note or _("create the section {section} first").format(section=path)
                return [replace(found, auto=False, note=note)]
            return []
    else:
        targets = [-1]
    out: list[Finding] = []
    for header in targets:
        hline, htext = (tree.number[header], tree.text[header]) if header >= 0 else (0, "")
        deep = check.deep or (check.anywhere and header < 0)
        if check.forbid is not None:
            detail = _("line not allowed: {title}").format(title=rules.title(check))
            for i, _m in scopes.search(_rx(check.forbid), header, deep):
                out.append(_at_line(device, check, rules, tree, i, detail))
        elif check.require is not None:
            if not scopes.search(_rx(check.require), header, deep):
                out.append(
                    _finding(
                        device,
                        check,
                        rules,
                        tree,
                        header,
                        hline,
                        htext,
                        _("missing: {title}").format(title=rules.title(check)),
                    )
                )
        else:
            out += _values(check, device, rules, scopes, header, deep, hline, htext)
    return out


def _values(
    check: Check,
    device: Device,
    rules: Rules,
    scopes: _Scopes,
    header: int,
    deep: bool,
    hline: int,
    htext: str,
) -> list[Finding]:
    value = check.value
    assert value is not None
    tree = scopes.tree
    hits = scopes.search(_rx(value.pattern), header, deep)
    bounds = _bounds(value.min, value.max)
    if not hits:
        if value.default is None:
            return [
                _finding(
                    device,
                    check,
                    rules,
                    tree,
                    header,
                    hline,
                    htext,
                    _("{title}: not set; needs a value {bounds}").format(
                        title=rules.title(check), bounds=bounds
                    ),
                )
            ]
        if not value.ok(value.default):
            return [
                _finding(
                    device,
                    check,
                    rules,
                    tree,
                    header,
                    hline,
                    htext,
                    _("{title}: not set, and the default {default} is not {bounds}").format(
                        title=rules.title(check), default=value.default, bounds=bounds
                    ),
                )
            ]
        return []
    out = []
    for i, m in hits:
        number = int(m.group("value"))
        if not value.ok(number):
            detail = _("{title}: {number} is not {bounds}").format(
                title=rules.title(check), number=number, bounds=bounds
            )
            out.append(_at_line(device, check, rules, tree, i, detail))
    return out


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("between {low} and {high}").format(low=low, high=high)
    if low is not None:
        return _("at least {low}").format(low=low)
    return _("at most {high}").format(high=high)


def audit_device(
    device: Device, text: str, rules: Rules, policy: PortPolicy | None = None
) -> DeviceAudit:
    """Every enabled check of the device's platform and role, on one configuration text."""
    result = DeviceAudit(device)
    platform_rules = rules.platforms.get(device.platform)
    if platform_rules is None:
        result.problem = _("no rule file for platform {platform}").format(platform=device.platform)
        return result
    tree = parse(text, platform_rules.syntax)
    if not len(tree):
        result.problem = _("empty configuration: nothing to audit")
        return result
    scopes = _Scopes(tree)
    checks = rules.checks(device.platform, device.role)
    if device.role is None:
        off = set(rules.site.disable)
        result.skipped_role = sum(1 for c in platform_rules.checks if c.roles and c.id not in off)
    for check in checks:
        if check.when is not None:
            if check.when.present and not scopes.anywhere(_rx(check.when.present)):
                continue
            if check.when.absent and scopes.anywhere(_rx(check.when.absent)):
                continue
        result.checks += 1
        result.findings += _evaluate(check, device, rules, scopes, policy)
    result.findings.sort(key=lambda f: (f.line, f.check, f.evidence))
    return result
