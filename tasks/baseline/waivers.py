"""Waivers (例外): a finding the team accepts for a while, with a reason, a name and an end date.

    policy/baseline/waivers.yaml
    version: 1
    waivers:
      - device: YM-BASE-ACC-017        # host name or glob
        check: MGMT-HTTP-OFF
        section: ""                     # optional: only findings in this section
        reason: web UI needed until the NMS migration (ticket 4711)
        who: Zhang Wei
        expires: 2026-12-31

On the audit date (`--as-of`, default today) a waiver whose `expires` is that day or
later turns its findings into `waived` (listed, not counted for `--fail-on`); after that
day they are `waiver_expired`: findings again, counted, with the old waiver named so the
team sees why it came back. The file is validated on load like the rules (file, line,
field); a waiver naming a check that no rule file has is an error, a waiver that
matches no finding is reported so stale waivers do not pile up.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from netsteward.tasks.baseline.check import Finding
from netsteward.tasks.baseline.rules import Rules, line_of, load_file
from netsteward.tasks.core.errors import PolicyError

WAIVED, EXPIRED, OPEN = "waived", "waiver_expired", "open"


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    device: str = Field(min_length=1)
    check: str = Field(min_length=1)
    section: str | None = None
    reason: str = Field(min_length=1)
    who: str = Field(min_length=1)
    expires: date

    def covers(self, finding: Finding) -> bool:
        return (
            finding.check == self.check
            and fnmatch.fnmatchcase(finding.device, self.device)
            and (self.section is None or finding.section == self.section)
        )

    def text(self) -> str:
        return f"{self.reason} ({self.who}, until {self.expires.isoformat()})"


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1, le=1)
    waivers: list[Waiver] = []


def load_waivers(path: Path | str, rules: Rules) -> list[Waiver]:
    path = Path(path)
    parsed: WaiverFile = load_file(WaiverFile, path)
    known = {c.id for r in rules.platforms.values() for c in r.checks}
    for i, w in enumerate(parsed.waivers):
        if w.check not in known:
            raise PolicyError(
                f"no check {w.check!r} in any rule file",
                file=str(path),
                line=line_of(path, ("waivers", i, "check")),
                field=f"waivers.{i}.check",
            )
    return list(parsed.waivers)


@dataclass(frozen=True)
class Waived:
    findings: list[Finding]
    unused: list[Waiver]  # waivers that matched no finding


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: date) -> Waived:
    """Mark covered findings `waived` (on or before expiry) or `waiver_expired` (after)."""
    used: set[int] = set()
    out = []
    for f in findings:
        for k, w in enumerate(waivers):
            if w.covers(f):
                used.add(k)
                status = WAIVED if as_of <= w.expires else EXPIRED
                f = replace(f, status=status, waiver=w.text())
                break
        out.append(f)
    return Waived(out, [w for k, w in enumerate(waivers) if k not in used])


def counted(f: Finding) -> bool:
    """Does the finding count for --fail-on and the totals (everything but a valid waiver)?"""
    return f.status != WAIVED
