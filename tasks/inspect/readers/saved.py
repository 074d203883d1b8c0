"""The running configuration against the saved one, on the platforms whose running
configuration carries no mark of an unsaved change (VRP and IOS print one: their readers
read that line). H3C Comware 7: `display current-configuration` against `display
saved-configuration`; Cisco ASA: `show running-config` against `show startup-config`
(the platform files' `inspect.config_saved`, `compare:`).

Both outputs go through the backup's own code, so that they are compared exactly as the
backup would store them:
- `netsteward.tasks.core.scrub.normalise_config`: terminal noise out, every secret the
  platform's rules know masked, the platform's volatile lines dropped (the ASA's `: Saved`,
  `: Written by ...`, `Cryptochecksum:` comment lines; Comware's clock line);
- `netsteward.tasks.backup.collect.check_output`: the device's error lines, too few lines,
  the end marker missing (`return`, `: end`): a truncated output is not a configuration.

Then:
- equal: saved;
- different: unsaved. The evidence is the first differing line as the backup stores it
  (secrets masked: the value never reaches the report), `+ ` when only the running
  configuration has it, `- ` when only the saved one does; `extra` has the number of
  differing lines;
- a saved configuration that cannot be read (refused, empty, truncated, not given): a
  warning, so the check is a reported gap (`unread`, exit 3), never "saved". The same for a
  running configuration that cannot be read.

Why difflib and not hier_config: the question is "are the two texts the same, and where do
they first differ", not a remediation; difflib (standard library) answers it on the
normalised lines, and the backup's normalisation already decides what is noise.
"""

from __future__ import annotations

import difflib

from netsteward.tasks.backup.collect import check_output
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reader, Reading, ReadWarning, reader, shown
from netsteward.tasks.core.scrub import (
    clean_text,
    mask_secrets,
    normalise_config,
    without_fingerprints,
)
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.platforms import load_platform

RUNNING, SAVED = "running", "saved"


def _problem(
    platform: str, which: str, command: str, text: str, normalised: str
) -> ReadWarning | None:
    """Why one of the two outputs is not a configuration to compare (None: it is);
    `normalised` is `text` through `normalise_config` (done once per output: the reader's
    cost is the normalisation of two whole configurations)."""
    spec = load_platform(platform)
    collect = spec.collect[0].model_copy(update={"command": command})
    first = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.strip()), 0)
    line = text.splitlines()[first - 1] if first else ""
    if not text.strip():
        problem = (
            _("no saved configuration printed: the saved state is unknown")
            if which == SAVED
            else _("no running configuration printed")
        )
        return ReadWarning(0, "", problem, command=command, kind="nothing")
    bad = check_output(spec, collect, normalised)
    if bad is None:
        return None
    problem = (
        _("the saved configuration could not be read ({reason}): not compared")
        if which == SAVED
        else _("the running configuration could not be read ({reason}): not compared")
    )
    return ReadWarning(
        first, shown(line), problem.format(reason=bad[1]), command=command, kind="partial"
    )


def _raw_line(platform: str, raw: str, wanted: str) -> int:
    """The 1-based number of the output line that normalises to `wanted` (0: none)."""
    for number, line in enumerate(clean_text(raw).split("\n"), 1):
        if mask_secrets(platform, line).rstrip() == wanted:
            return number
    return 0


def compare(platform: str, running: str, saved: str | None, saved_command: str) -> Reading[Fact]:
    """The `config_saved` fact of one device (see the module docstring)."""
    running_text = normalise_config(platform, running)
    saved_text = normalise_config(platform, saved) if saved is not None else ""
    problems = [
        p
        for p in (
            _problem(platform, RUNNING, "", running, running_text),
            (
                ReadWarning(
                    0,
                    "",
                    _("the saved configuration was not given: not compared"),
                    command=saved_command,
                    kind="nothing",
                )
                if saved is None
                else _problem(platform, SAVED, saved_command, saved, saved_text)
            ),
        )
        if p is not None
    ]
    if problems or saved is None:
        return Reading((), tuple(problems))
    now = running_text.splitlines()
    kept = saved_text.splitlines()
    if now == kept:
        return Reading(
            (Fact("config_saved", value="saved", state="ok", evidence=f"{len(now)} lines"),)
        )
    ops = difflib.SequenceMatcher(None, kept, now, autojunk=False).get_opcodes()
    changed = [op for op in ops if op[0] != "equal"]
    differing = sum(max(i2 - i1, j2 - j1) for _tag, i1, i2, j1, j2 in changed)
    _tag, i1, _i2, j1, j2 = changed[0]
    if j2 > j1:
        sign, line, number = "+", now[j1], _raw_line(platform, running, now[j1])
    else:
        sign, line, number = "-", kept[i1], 0
    return Reading(
        (
            Fact(
                "config_saved",
                value="unsaved",
                state="failed",
                line=number,
                evidence=shown(f"{sign} {without_fingerprints(line).strip()}"),
                extra=(("differing_lines", differing), ("saved_command", saved_command)),
            ),
        )
    )


def _registered(platform: str) -> Reader:
    def read(text: str, saved: str | None = None) -> Reading[Fact]:
        spec = load_platform(platform).reads.get("inspect.config_saved")
        return compare(platform, text, saved, (spec.compare or "") if spec else "")

    read.__doc__ = f"The running configuration against the saved one on {platform} (module doc)."
    return read


hp_comware_config_saved = reader("hp_comware.config_saved")(_registered("hp_comware"))
cisco_asa_config_saved = reader("cisco_asa.config_saved")(_registered("cisco_asa"))
