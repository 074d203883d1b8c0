"""Whole-configuration verification: after a push, the device differs from before by
exactly the planned difference, nothing more; after a rollback, by nothing at all.

Both configurations are normalised like backups (secrets masked, volatile lines gone) and
compared as multisets of (section, line): the global lines, each interface's lines and
each other section's direct lines (`parse_config`), order ignored. A change may add its
`present` and sent `lines` (and its section headers) in its own section, and remove lines
of its section that match one of its `absent` patterns or that its `rollback` puts back
(the description it replaces, the edge-port line it strips). Anything else that appeared
or disappeared anywhere in the configuration is unplanned: a line a hostile or broken
plan slipped in, or a change someone made on the device while netsteward was pushing.
"""

from __future__ import annotations

import re
from collections import Counter

from netsteward.tasks.core.i18n import _
from netsteward.tasks.ports.config import SECTION_JOIN, ParsedConfig
from netsteward.tasks.ports.plan import DevicePlan, PlannedChange


def section_lines(
    parsed: ParsedConfig, platform: str, change: PlannedChange
) -> tuple[str, ...] | None:
    """The lines of the section a change is about (None when the section is not there)."""
    if change.interface is not None:
        block = parsed.find(platform, change.interface)
        return None if block is None else block.lines
    if change.section:
        return parsed.sections.get(SECTION_JOIN.join(change.section))
    return parsed.top_lines


def verify_device(plan: DevicePlan, parsed: ParsedConfig) -> list[str]:
    """Problems left after apply: planned lines missing or forbidden lines still present."""
    problems: list[str] = []
    for ch in plan.changes:
        where = ch.where
        found = section_lines(parsed, plan.platform, ch)
        if found is None:
            if ch.interface is not None:
                problems.append(
                    _("{interface}: interface missing after apply").format(interface=where)
                )
            else:
                problems.append(_("{section}: section missing after apply").format(section=where))
            continue
        lines = found
        problems += [
            _("{where}: {line!r} not present").format(where=where, line=ln)
            for ln in ch.present
            if ln not in lines
        ]
        problems += [
            _("{where}: still carries {line!r}").format(where=where, line=ln)
            for rx in ch.absent
            for ln in lines
            if re.search(rx, ln)
        ]
    return problems


Item = tuple[str, str]  # (section path, "" for the global configuration; line)


def config_items(parsed: ParsedConfig) -> Counter[Item]:
    """Every line of a configuration with the section it is in."""
    items: Counter[Item] = Counter()
    children: Counter[str] = Counter()
    for path, lines in parsed.sections.items():
        for line in lines:
            items[(path, line)] += 1
            children[line] += 1
    for line in (Counter(parsed.top_lines) - children).elements():
        items[("", line)] += 1
    for block in parsed.interfaces.values():
        header = f"interface {block.name}"
        items[("", header)] += 1
        for line in block.lines:
            items[(header, line)] += 1
    return items


def _section(change: PlannedChange) -> str:
    return SECTION_JOIN.join(change.headers)


def _allowed(changes: list[PlannedChange]) -> tuple[set[Item], dict[str, list[re.Pattern[str]]]]:
    """Lines the changes may add, lines they may remove, and removal patterns per section."""
    add: set[Item] = set()
    patterns: dict[str, list[re.Pattern[str]]] = {}
    for ch in changes:
        where = _section(ch)
        add.update((where, ln) for ln in [*ch.present, *ch.lines])
        for i, header in enumerate(ch.headers):
            add.add((SECTION_JOIN.join(ch.headers[:i]), header))
        rxs = patterns.setdefault(where, [])
        rxs.extend(re.compile(rx) for rx in ch.absent)
        rxs.extend(re.compile("^" + re.escape(ln) + "$") for ln in ch.rollback)
    return add, patterns


def _where(section: str) -> str:
    return section or _("global")


def unplanned(plan: DevicePlan, before: ParsedConfig, after: ParsedConfig) -> list[str]:
    """Differences between two configurations that the plan does not account for."""
    old, new = config_items(before), config_items(after)
    may_add, may_remove = _allowed(plan.changes)
    problems: list[str] = []
    for section, line in sorted((new - old).elements()):
        if (section, line) not in may_add:
            problems.append(
                _("{where}: unplanned line {line!r} appeared").format(
                    where=_where(section), line=line
                )
            )
    for section, line in sorted((old - new).elements()):
        if not any(rx.search(line) for rx in may_remove.get(section, ())):
            problems.append(
                _("{where}: {line!r} disappeared, which was not planned").format(
                    where=_where(section), line=line
                )
            )
    return problems


def differences(before: ParsedConfig, after: ParsedConfig) -> list[str]:
    """Every difference between two configurations (a rollback must leave none)."""
    old, new = config_items(before), config_items(after)
    out = [
        _("{where}: {line!r} is new").format(where=_where(s), line=ln)
        for s, ln in sorted((new - old).elements())
    ]
    out += [
        _("{where}: {line!r} is gone").format(where=_where(s), line=ln)
        for s, ln in sorted((old - new).elements())
    ]
    return out
