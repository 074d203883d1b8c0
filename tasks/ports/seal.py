"""A plan is a sealed, reviewed artefact: what `normalize apply` checks before any device.

    plan = load_plan(path)                       # version, format, seal, lines (exit 2 otherwise)
    check_targets(plan, inventory, file=path)    # hosts and platforms as the inventory has them
    check_policy(plan, digest, file=path, policy=...)  # made with the policy in force now
    check_lines(plan, policy)                    # the lines are what the changes render

Each refusal is a `BadInput` (exit 2, one line naming the file and the field), raised
before any session is opened, so a refused plan pushes nothing and records nothing.

- The seal (`Plan.digest`) is sha256 over everything else in the plan
  (`netsteward.tasks.ports.plan.plan_digest`): any hand edit of the file breaks it.
- The lines apply sends are what the reviewed `changes` render
  (`render_commands`): `commands` and `rollback` are a convenience for the reviewer and
  must equal that rendering, never a free list taken on trust.
- Every line is one line of printable characters (`str.isprintable`: no control, format,
  line or paragraph separator character) each of which the platform's CLI takes
  (`config_mode.line_chars` in the platform file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import ValidationError

from netsteward.tasks.core.errors import BadInput, NetstewardError
from netsteward.tasks.core.i18n import _
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.plan import (
    PLAN_VERSION,
    DevicePlan,
    Plan,
    plan_digest,
    render_commands,
)
from netsteward.tasks.ports.policy import PortPolicy


def load_plan(path: Path) -> Plan:
    """Read a plan file; refuse (BadInput) an unreadable, foreign-version, malformed or
    unsealed/edited plan, or one with a line the device's CLI would not take as one line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInput(_("not a plan: the file is not UTF-8 text"), file=str(path)) from None
    except OSError as exc:
        raise BadInput(
            _("cannot read the plan ({error})").format(error=exc.strerror), file=str(path)
        ) from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BadInput(
            _("not a plan: invalid JSON ({error})").format(error=str(exc).splitlines()[0]),
            file=str(path),
        ) from None
    if not isinstance(doc, dict):
        raise BadInput(_("not a plan: not a JSON object"), file=str(path))
    version = doc.get("version")
    if version != PLAN_VERSION:
        raise BadInput(
            _(
                "plan version {found} is not supported (this netsteward applies version {ours})"
            ).format(found=json.dumps(version), ours=PLAN_VERSION),
            file=str(path),
            field="version",
        )
    try:
        plan = Plan.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        raise BadInput(
            _("not a plan: {error}").format(error=err["msg"]), file=str(path), field=field
        ) from None
    if not plan.digest:
        raise BadInput(_("the plan is not sealed (no digest)"), file=str(path), field="digest")
    if plan_digest(plan) != plan.digest:
        raise BadInput(
            _("the plan's content does not match its digest (edited after it was made?)"),
            file=str(path),
            field="digest",
        )
    for field, line, why in bad_lines(plan):
        raise BadInput(
            _("{line!r} cannot be pushed: {why}").format(line=line, why=why),
            file=str(path),
            field=field,
        )
    return plan


def _all_lines(plan: Plan) -> Iterator[tuple[str, str, str]]:
    """(field path, line, platform) of every line the plan would push or roll back."""
    for i, dev in enumerate(plan.devices):
        for name in ("commands", "rollback"):
            for k, line in enumerate(getattr(dev, name)):
                yield f"devices.{i}.{name}.{k}", line, dev.platform
        for j, ch in enumerate(dev.changes):
            for name in ("lines", "rollback"):
                for k, line in enumerate(getattr(ch, name)):
                    yield f"devices.{i}.changes.{j}.{name}.{k}", line, dev.platform
            for k, line in enumerate(ch.section):
                yield f"devices.{i}.changes.{j}.section.{k}", line, dev.platform


def line_problem(line: str, chars: str) -> str | None:
    """Why `line` is not one configuration line of characters matching `chars` (None: it is)."""
    if not line.strip():
        return _("an empty line")
    if line != line.strip():
        return _("leading or trailing white space")
    rx = re.compile(chars)
    for pos, char in enumerate(line):
        if not char.isprintable() or not rx.fullmatch(char):
            return _("character {char} at position {pos} is not allowed").format(
                char=f"U+{ord(char):04X}", pos=pos + 1
            )
    return None


def bad_lines(plan: Plan) -> Iterator[tuple[str, str, str]]:
    """(field path, line, why) of each line the platform's CLI would not take as one line."""
    rules: dict[str, str | None] = {}
    for field, line, platform in _all_lines(plan):
        if platform not in rules:
            try:
                mode = load_platform(platform).config_mode
            except NetstewardError:
                mode = None
            rules[platform] = mode.line_chars if mode else None
        chars = rules[platform]
        if chars is None:
            yield (
                field,
                line,
                _("platform {platform} is not configured by netsteward").format(platform=platform),
            )
            return
        why = line_problem(line, chars)
        if why:
            yield field, line, why


def check_lines(plan: Plan, policy: PortPolicy, file: str) -> None:
    """Refuse a plan whose `commands` / `rollback` are not what its changes render."""
    for i, dev in enumerate(plan.devices):
        if not dev.changes and not dev.commands and not dev.rollback:
            continue
        syntax = policy.platforms.get(dev.platform)
        if syntax is None:
            raise BadInput(
                _("{host}: platform {platform} has no syntax in the port policy").format(
                    host=dev.host, platform=dev.platform
                ),
                file=file,
                field=f"devices.{i}.platform",
            )
        commands, rollback = render_commands(dev.changes, syntax)
        for name, want in (("commands", commands), ("rollback", rollback)):
            if getattr(dev, name) != want:
                raise BadInput(
                    _("{host}: {name} are not what the reviewed changes render").format(
                        host=dev.host, name=name
                    ),
                    file=file,
                    field=f"devices.{i}.{name}",
                )


def check_sealed(plan: Plan, policy: PortPolicy) -> None:
    """The last check before any device (local or Celery): the plan still hashes to its seal
    and its lines are what its changes render (BadInput otherwise, nothing sent)."""
    if plan_digest(plan) != plan.digest:
        raise BadInput(_("the plan's content does not match its digest"), field="digest")
    check_lines(plan, policy, "<plan>")


def check_targets(plan: Plan, inventory: Mapping[str, str | None], file: str) -> None:
    """Refuse a plan that changes a host the inventory does not have, or has with
    another platform (`inventory`: host -> platform)."""
    for i, dev in enumerate(plan.devices):
        if not dev.changes:
            continue
        if dev.host not in inventory:
            raise BadInput(
                _("{host} is not in the inventory").format(host=dev.host),
                file=file,
                field=f"devices.{i}.host",
            )
        if inventory[dev.host] != dev.platform:
            raise BadInput(
                _("{host} is {platform} in the plan but {inventory} in the inventory").format(
                    host=dev.host, platform=dev.platform, inventory=inventory[dev.host]
                ),
                file=file,
                field=f"devices.{i}.platform",
            )


def check_policy(plan: Plan, current: str, *, file: str, policy: str) -> None:
    """Refuse a plan made with another policy (or baseline rule set) than `policy` now is."""
    if plan.policy_digest != current:
        raise BadInput(
            _("made with policy {planned}, but {policy} is now {current}").format(
                planned=plan.policy_digest, policy=policy, current=current
            ),
            file=file,
            field="policy_digest",
        )


def device_lines(dev: DevicePlan, policy: PortPolicy) -> tuple[list[str], list[str]]:
    """What apply sends for one device: its changes rendered (forward lines, rollback)."""
    return render_commands(dev.changes, policy.platforms[dev.platform])
