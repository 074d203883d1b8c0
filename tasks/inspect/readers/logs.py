"""Log buffers read for the `alarms` check, where a vendor's log needs more than a line rule.

Cisco IOS `show logging`: tested on the real samples of the ntc-templates corpus
(tests/corpus/cisco_ios/show_logging/, sources in tests/NOTICE), and the golden test checks
that it finds the same entries as the ntc-templates template. Not the template at run
time (see `common`): it drops lines and keeps no line numbers.

The header (logging destinations and counters) is not parsed, only its `Syslog logging:`
state is kept; the buffer after `Log Buffer (N bytes):` is. In the buffer every line that
starts like an entry (an optional sequence number, a time stamp) must carry a message id
(`%FAC-SEV-MNEMONIC:` or the severity-less `FAC-MNEMONIC:`), else it is reported. Lines
that do not start like an entry are the rest of a multi-line message (the version banner
after `%SYS-5-RESTART`) or, before the first entry, the tail of an entry the wrapped buffer
cut: both belong to the display and are not reported.

IOS prints its time stamps without a year (unless `service timestamps log datetime year`):
the reader keeps `MM-DDTHH:MM:SS` and the check dates it against the inspection's own time
(`checks.dated`). Uptime stamps (`1w2d:`, `00:01:23:`) carry no date: such entries have no
time and count as new.
"""

from __future__ import annotations

import re
from datetime import datetime

from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, ReadWarning, nothing_read, reader, shown
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.readers.common import fact

_DATE = (
    r"(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2})\s+(?:(?P<year>\d{4})\s+)?"
    r"(?P<time>\d{1,2}:\d{2}:\d{2})(?:\.\d+)?(?:\s+[A-Z]{2,5})?"
)
_UPTIME = r"(?:\d+[ywdh]\d+[wdhm]|\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)"
# what starts an entry: `*`/`.` (clock not set / not synchronised), a sequence number, a stamp
_STAMP = re.compile(rf"^[*.]?(?:\d+:\s+)?(?:{_DATE}|{_UPTIME}):\s+")
_MESSAGE = re.compile(
    r"^%(?P<fac>[A-Z0-9_]+(?:-[A-Z0-9_]+)*?)-(?P<sev>[0-7])-(?P<mnem>[A-Z0-9_]+):\s*(?P<text>.*)$"
)
_NO_SEVERITY = re.compile(r"^[A-Z0-9_]+-[A-Z0-9_]+:\s")
_BUFFER = re.compile(r"^Log Buffer \(\d+ bytes\):")
_DISABLED = re.compile(r"^\s*Buffer logging:\s+disabled")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}  # English whatever the locale


def _when(m: re.Match[str]) -> str:
    """ISO time; without a year `MM-DDTHH:MM:SS` (dated by the check); "" for uptime stamps."""
    if not m["mon"] or m["mon"] not in _MONTHS:
        return ""
    h, mi, s = (int(x) for x in m["time"].split(":"))
    month, day = _MONTHS[m["mon"]], int(m["day"])
    if m["year"]:
        return datetime(int(m["year"]), month, day, h, mi, s).isoformat()
    return f"{month:02d}-{day:02d}T{h:02d}:{mi:02d}:{s:02d}"


def _entry(number: int, line: str, when: str, msg: re.Match[str]) -> Fact | None:
    level = int(msg["sev"])
    if level > 2:
        return None
    return fact(
        "alarms",
        number,
        line,
        item=f"%{msg['fac']}-{level}-{msg['mnem']}",
        value=msg["text"].strip(),
        # as on the ASA: 0-1 (emergencies, alerts) critical, 2 (critical) major; errors (3)
        # are routine on a switch (every %LINK-3-UPDOWN) and not kept
        state="critical" if level <= 1 else "failed",
        extra=(("time", when), ("level", level)),
    )


@reader("cisco_ios.alarms")
def ios_alarms(text: str) -> Reading[Fact]:
    """`show logging`: the buffer's state, and every entry of level 0-2 with its time
    (levels 0-1 critical, 2 major, as on the ASA); lower levels are read and not kept."""
    facts: list[Fact] = []
    warnings: list[ReadWarning] = []
    in_buffer = disabled = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not in_buffer:
            if m := re.match(r"^Syslog logging:\s*(\w+)", line):
                facts.append(fact("alarms", number, line, value=m[1]))
            disabled = disabled or bool(_DISABLED.match(line))
            in_buffer = bool(_BUFFER.match(line))
            continue
        stamp = _STAMP.match(line)
        rest = line[stamp.end() :] if stamp else line
        msg = _MESSAGE.match(rest)
        if msg is not None:
            got = _entry(number, line, _when(stamp) if stamp else "", msg)
            if got is not None:
                facts.append(got)
        elif stamp is not None and not _NO_SEVERITY.match(rest):
            warnings.append(ReadWarning(number, shown(line), "line not understood"))
        # else: a message without a severity, or a continuation line (see the docstring)
    if text.strip() and not in_buffer and not disabled:
        warnings.append(
            ReadWarning(0, "", _("no log buffer (`Log Buffer (N bytes):`) in the display"))
        )
    if text.strip() and not facts:
        warnings.append(nothing_read(text))
    return Reading(tuple(facts), tuple(warnings))
