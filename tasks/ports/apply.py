"""Apply a reviewed port plan to one device, safely: the Nornir task `apply_device`.

For each device: read the running configuration and refuse when its
fingerprint is not the plan's (the device changed since planning); push the
plan's lines in configuration mode, one at a time, stopping at the first line
the device rejects; read back and verify that the intended lines are present
and the forbidden ones gone; save. On any failure after the first line was
sent, send the plan's rollback lines and check that the touched sections are
as before. Nothing is saved unless verification passed, so a rolled-back
device's saved configuration was never touched.

netmiko's `send_config_set` / `config_mode` / `save_config` spend fixed idle
waits (2 s per `check_config_mode`, several per call). This module instead reads until the
device's own prompt after every line (pattern, not timing), so a push costs
one round trip per line.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from nornir.core.task import Result, Task

from netsteward.tasks.core.connection import close_session
from netsteward.tasks.core.i18n import N_, _
from netsteward.tasks.ports.config import (
    ParsedConfig,
    fingerprint,
    parse_config,
    scrubbed,
)
from netsteward.tasks.ports.plan import DevicePlan, verify_device
from netsteward.tasks.ports.read import ensure_privileged, prompt_pattern, read_running_config

log = logging.getLogger(__name__)

# Outcome statuses. `failed` counts towards --max-failures, `stale` does not
# (nothing was sent: the plan is out of date for that device).
APPLIED, STALE, ROLLED_BACK, ROLLBACK_FAILED, UNREACHABLE, SKIPPED, FAILED = (
    "applied",
    "stale",
    "rolled_back",
    "rollback_failed",
    "unreachable",
    "skipped",
    "failed",  # an unexpected error in our own code: the device's state is unknown
)
FAILURES = frozenset({ROLLED_BACK, ROLLBACK_FAILED, UNREACHABLE, FAILED})
STATUS_LABELS = {
    APPLIED: N_("applied"),
    STALE: N_("stale"),
    ROLLED_BACK: N_("rolled back"),
    ROLLBACK_FAILED: N_("rollback failed"),
    UNREACHABLE: N_("unreachable"),
    SKIPPED: N_("skipped"),
    FAILED: N_("failed"),
}


def status_label(status: str) -> str:
    """An outcome status (`--json` keeps the status itself) as people read it."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


@dataclass(frozen=True)
class Session:
    """How to enter and leave configuration mode and how to save, per platform."""

    enter: str
    leave: str
    save: str
    save_question: str | None = (
        None  # regex of a confirmation question, answered with `save_answer`
    )
    save_answer: str = "y"


# Device mechanics (not policy). They would sit well in tasks/platforms/<name>.yaml.
SESSIONS: dict[str, Session] = {
    "huawei_vrp": Session(
        "system-view", "return", "save", r"[Cc]ontinue\s*\?\s*\[Y/N\]|\[Y/N\]:?\s*$"
    ),
    "hp_comware": Session("system-view", "return", "save force"),
    "cisco_ios": Session("configure terminal", "end", "write memory"),
}


class DeviceRejected(RuntimeError):
    """The device answered a configuration line with an error (`index`: which of the lines sent)."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def blocks(commands: list[str]) -> list[list[str]]:
    """Split configuration lines into sections: the global lines, then one block per `interface X`."""
    out: list[list[str]] = []
    for line in commands:
        if line.startswith("interface ") or not out:
            out.append([line])
        else:
            out[-1].append(line)
    return out


def rollback_lines(plan: DevicePlan, failed_at: int | None) -> list[str]:
    """The rollback of the sections touched before forward line `failed_at` (all when None).

    Forward and rollback lines have the same sections in the same order
    (`netsteward.tasks.ports.plan.render_commands`). A section counts as touched when one of
    its lines after the `interface` line was sent before the failing one.
    """
    if failed_at is None:
        return list(plan.rollback)
    back = {b[0] if b[0].startswith("interface ") else None: b for b in blocks(plan.rollback)}
    out: list[str] = []
    start = 0
    for fw in blocks(plan.commands):
        header = fw[0] if fw[0].startswith("interface ") else None
        first_change = start + (1 if header else 0)
        if first_change < failed_at and header in back:
            out.extend(back[header])
        start += len(fw)
    return out


@dataclass(frozen=True)
class ApplyOutcome:
    host: str
    status: str
    detail: str = ""
    sent: tuple[str, ...] = ()  # lines sent in configuration mode (forward, then rollback if any)
    started: str = ""
    finished: str = ""
    seconds: float = 0.0


@dataclass
class ApplyGate:
    """Shared by all workers: counts failures and stops new devices past the limit."""

    max_failures: int
    failures: int = 0
    outcomes: list[ApplyOutcome] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def stopped(self) -> bool:
        with self._lock:
            return self.failures > self.max_failures

    def record(self, outcome: ApplyOutcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)
            if outcome.status in FAILURES:
                self.failures += 1


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error_rx(platform: str) -> re.Pattern[str] | None:
    from netsteward.tasks.platforms import load_platform

    errors = load_platform(platform).errors
    return re.compile("|".join(f"(?:{e})" for e in errors), re.M) if errors else None


def send_lines(conn: object, platform: str, lines: list[str], timeout: float = 20.0) -> str:
    """Send lines at the current prompt, each waiting for its echo and the next prompt.

    Raises DeviceRejected at the first line the device answers with an error.
    """
    c: object = conn
    prompt = prompt_pattern(platform, c.base_prompt)  # type: ignore[attr-defined]
    errors = _error_rx(platform)
    out = []
    for index, line in enumerate(lines):
        c.write_channel(c.normalize_cmd(line))  # type: ignore[attr-defined]
        echo = c.read_until_pattern(pattern=re.escape(line.strip()[:40]), read_timeout=timeout)  # type: ignore[attr-defined]
        reply = c.read_until_pattern(pattern=prompt, read_timeout=timeout)  # type: ignore[attr-defined]
        out.append(echo + reply)
        if errors is not None and errors.search(reply):
            bad = errors.search(reply)
            raise DeviceRejected(
                _("device rejected {line!r}: {error}").format(
                    line=line, error=bad.group(0).strip() if bad else ""
                ),
                index,
            )
    return "".join(out)


def configure(conn: object, platform: str, lines: list[str], timeout: float = 20.0) -> str:
    """Enter configuration mode, send the lines, leave configuration mode (also on error)."""
    sess = SESSIONS[platform]
    ensure_privileged(conn, platform, getattr(conn, "password", None))
    out = send_lines(conn, platform, [sess.enter], timeout)  # rejected: index 0, nothing sent
    try:
        out += send_lines(conn, platform, lines, timeout)
    except Exception:
        try:
            send_lines(conn, platform, [sess.leave], timeout)
        except Exception:
            log.debug("leaving configuration mode after a failure failed too")
        raise
    try:
        out += send_lines(conn, platform, [sess.leave], timeout)
    except DeviceRejected as exc:  # every line was sent: the whole plan counts as touched
        raise DeviceRejected(str(exc), None) from None
    return out


def save(conn: object, platform: str, timeout: float = 100.0) -> str:
    sess = SESSIONS[platform]
    c: object = conn
    prompt = prompt_pattern(platform, c.base_prompt)  # type: ignore[attr-defined]
    c.write_channel(c.normalize_cmd(sess.save))  # type: ignore[attr-defined]
    out = str(c.read_until_pattern(pattern=re.escape(sess.save), read_timeout=timeout))  # type: ignore[attr-defined]
    wait = prompt if sess.save_question is None else f"(?:{sess.save_question})|(?:{prompt})"
    reply = str(c.read_until_pattern(pattern=wait, read_timeout=timeout, re_flags=re.M))  # type: ignore[attr-defined]
    out += reply
    if sess.save_question is not None and re.search(sess.save_question, reply, re.M):
        c.write_channel(c.normalize_cmd(sess.save_answer))  # type: ignore[attr-defined]
        out += str(c.read_until_pattern(pattern=prompt, read_timeout=timeout))  # type: ignore[attr-defined]
    errors = _error_rx(platform)
    if errors is not None and errors.search(out):
        raise DeviceRejected(
            _("save failed: {error}").format(error=errors.search(out).group(0).strip())  # type: ignore[union-attr]
        )
    return out


def _read(conn: object, platform: str) -> ParsedConfig:
    return parse_config(platform, scrubbed(platform, read_running_config(conn, platform)))


def sections_equal(plan: DevicePlan, before: ParsedConfig, after: ParsedConfig) -> list[str]:
    """Touched sections whose lines differ between two configurations (order ignored)."""
    diffs = []
    for name in {ch.interface for ch in plan.changes}:
        if name is None:
            a, b = sorted(before.top_lines), sorted(after.top_lines)
        else:
            ba, bb = before.find(plan.platform, name), after.find(plan.platform, name)
            a = sorted(ba.lines) if ba else []
            b = sorted(bb.lines) if bb else []
        if a != b:
            diffs.append(name or _("global"))
    return sorted(diffs)


def apply_device(
    task: Task,
    plan: DevicePlan,
    gate: ApplyGate,
    after_push: Callable[[str], None] | None = None,
) -> Result:
    """Nornir task: apply one device's plan; the result is an `ApplyOutcome` (never raises).

    `after_push(host)` is called between the push and the read-back; the tests
    use it to strike the device with a lab fault at exactly that moment.
    """
    try:
        return _apply_device(task, plan, gate, after_push)
    except Exception as exc:  # never leave a device without an outcome
        log.exception("%s: unexpected error during apply", task.host.name)
        outcome = ApplyOutcome(
            task.host.name,
            FAILED,
            _("unexpected error: {error}").format(error=_one_line(exc)),
            started=_now(),
        )
        gate.record(outcome)
        return Result(host=task.host, result=outcome, failed=True)


def _apply_device(
    task: Task, plan: DevicePlan, gate: ApplyGate, after_push: Callable[[str], None] | None
) -> Result:
    host = task.host
    started, t0 = _now(), time.monotonic()

    def done(status: str, detail: str = "", sent: list[str] | None = None) -> Result:
        outcome = ApplyOutcome(
            host.name,
            status,
            detail,
            tuple(sent or ()),
            started,
            _now(),
            round(time.monotonic() - t0, 2),
        )
        gate.record(outcome)
        log.info("%s: %s %s", host.name, status, detail)
        failed = status not in (APPLIED,)
        return Result(host=host, result=outcome, changed=status == APPLIED, failed=failed)

    if gate.stopped():
        return done(
            SKIPPED,
            _("not attempted: more than {n} device(s) failed").format(n=gate.max_failures),
        )
    platform = plan.platform
    for attempt in (1, 2):  # nothing has been sent yet: a second try is safe
        try:
            conn = host.get_connection("netmiko", task.nornir.config)
            before = _read(conn, platform)
            break
        except Exception as exc:
            close_session(host)
            if attempt == 2:
                return done(
                    UNREACHABLE,
                    _("could not read the device: {error}").format(error=_one_line(exc)),
                )
            log.warning(
                "%s: reading before apply failed (%s); trying again", host.name, _one_line(exc)
            )
    now = fingerprint(before)
    if now != plan.fingerprint:
        return done(
            STALE,
            _("configuration changed since the plan was made ({now} != {planned})").format(
                now=now[:19], planned=plan.fingerprint[:19]
            ),
        )

    sent: list[str] = list(plan.commands)
    sent_all = False
    try:
        configure(conn, platform, plan.commands)
        sent_all = True
        if after_push is not None:
            after_push(host.name)
        after = _read(conn, platform)
        problems = verify_device(plan, after)
        if problems:
            raise DeviceRejected(
                _("verification failed: {problems}").format(problems="; ".join(problems[:3]))
            )
        save(conn, platform)
    except Exception as exc:
        why = _one_line(exc)
        log.warning("%s: apply failed (%s); rolling back", host.name, why)
        failed_at = exc.index if isinstance(exc, DeviceRejected) and not sent_all else None
        back = rollback_lines(plan, failed_at)
        status, detail = _rollback(task, plan, before, back)
        return done(status, f"{why}; {detail}", sent + back)
    return done(APPLIED, _("{n} change(s), saved").format(n=len(plan.changes)), sent)


def _rollback(
    task: Task, plan: DevicePlan, before: ParsedConfig, lines: list[str]
) -> tuple[str, str]:
    """Send the rollback lines on a fresh connection; check the touched sections."""
    host = task.host
    close_session(host)
    for attempt in (1, 2):  # rollback lines are idempotent: a second session may resend them
        try:
            conn = host.get_connection("netmiko", task.nornir.config)
            if lines:
                configure(conn, plan.platform, lines)
            break
        except Exception as exc:
            close_session(host)
            if attempt == 2:
                return ROLLBACK_FAILED, _("rollback failed: {error}").format(error=_one_line(exc))
    try:
        diffs = sections_equal(plan, before, _read(conn, plan.platform))
    except Exception as exc:
        return ROLLED_BACK, _("rolled back (not verified: {error})").format(error=_one_line(exc))
    if diffs:
        return ROLLBACK_FAILED, _("rolled back but differs from before in {sections}").format(
            sections=", ".join(diffs)
        )
    return ROLLED_BACK, "rolled back and verified (nothing saved)"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip().rstrip(":")


def apply_from_plan(
    task: Task,
    plans: dict[str, DevicePlan],
    gate: ApplyGate,
    after_push: Callable[[str], None] | None = None,
) -> Result:
    """Nornir task: `apply_device` with this host's part of the plan."""
    return apply_device(task, plans[task.host.name], gate, after_push)
