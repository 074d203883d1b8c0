"""Apply a reviewed port plan to one device, safely: the Nornir task `apply_device`.

For each device: read the running configuration and refuse when its
fingerprint is not the plan's (the device changed since planning); push the
plan's lines in configuration mode, one at a time, stopping at the first line
the device rejects; read back and verify that the intended lines are present,
the forbidden ones gone, and that the whole configuration differs from the one
read before the push by exactly the planned difference, nothing more
(`netsteward.tasks.ports.verify`); save. On any failure after the first line was
sent, send the plan's rollback lines and check that the whole configuration is as
before; a rollback whose result could not be read back is `rollback_unverified`,
never "rolled back and verified". Nothing is saved unless verification passed, so a
rolled-back device's saved configuration was never touched.

The lines are the plan's, which `netsteward.tasks.ports.seal` has checked to be exactly
what its reviewed changes render, sealed, one printable line each.

Everything device-side goes through the device session (`netsteward.tasks.core.session`):
configuration mode, the device's prompt in every mode and `save` with its
confirmation come from the platform file (`config_mode:`). The session reads until
the device's own prompt after every line (pattern, not timing: netmiko's
`send_config_set` / `save_config` spend fixed idle waits of 2 s per configuration-mode
check), so a push costs one round trip per line. A device gets `APPLY_TIMEOUT` for its
read, push, read-back and save, and as much again for a rollback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from nornir.core.task import Result, Task

from netsteward.tasks.core.failures import ConfigRejected, DeviceFailure, retry_transient
from netsteward.tasks.core.i18n import N_, _
from netsteward.tasks.core.session import Session, open_session
from netsteward.tasks.ports.config import (
    ParsedConfig,
    fingerprint,
    parse_config,
    scrubbed,
)
from netsteward.tasks.ports.plan import DevicePlan
from netsteward.tasks.ports.read import read_running_config
from netsteward.tasks.ports.verify import differences, section_lines, unplanned, verify_device

log = logging.getLogger(__name__)

# Outcome statuses. `failed` counts towards --max-failures, `stale` does not
# (nothing was sent: the plan is out of date for that device).
APPLIED, STALE, ROLLED_BACK, ROLLBACK_FAILED, ROLLBACK_UNVERIFIED = (
    "applied",
    "stale",
    "rolled_back",  # rolled back and the whole configuration read back as before
    "rollback_failed",
    "rollback_unverified",  # the rollback was sent but its result could not be read back
)
UNREACHABLE, SKIPPED, FAILED = (
    "unreachable",
    "skipped",
    "failed",  # an unexpected error in our own code: the device's state is unknown
)
# a Celery worker refused the device's plan as it received it (nothing sent; does not count
# towards --max-failures, but a refused canary stops the run): docs/celery.md
REFUSED = "refused"
FAILURES = frozenset({ROLLED_BACK, ROLLBACK_FAILED, ROLLBACK_UNVERIFIED, UNREACHABLE, FAILED})
STATUS_LABELS = {
    APPLIED: N_("applied"),
    STALE: N_("stale"),
    ROLLED_BACK: N_("rolled back"),
    ROLLBACK_FAILED: N_("rollback failed"),
    ROLLBACK_UNVERIFIED: N_("rollback not verified"),
    UNREACHABLE: N_("unreachable"),
    SKIPPED: N_("skipped"),
    FAILED: N_("failed"),
    REFUSED: N_("refused"),
}
# one session's whole work on a device (read, push, read back, save); the rollback gets as much
APPLY_TIMEOUT = 600.0


def status_label(status: str) -> str:
    """An outcome status (`--json` keeps the status itself) as people read it."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def blocks(commands: list[str], headers: frozenset[str] | None = None) -> list[list[str]]:
    """Split configuration lines into sections: the global lines, then one block per section.

    A section starts at an `interface X` line, or at one of `headers` (the first header
    line of the plan's other sections, e.g. `user-interface vty 0 4`).
    """
    out: list[list[str]] = []
    for line in commands:
        if line.startswith("interface ") or line in (headers or ()) or not out:
            out.append([line])
        else:
            out[-1].append(line)
    return out


def _header(block: list[str], headers: frozenset[str]) -> str | None:
    return block[0] if block[0].startswith("interface ") or block[0] in headers else None


def rollback_lines(plan: DevicePlan, failed_at: int | None) -> list[str]:
    """The rollback of the sections touched before forward line `failed_at` (all when None).

    Forward and rollback lines have the same sections in the same order
    (`netsteward.tasks.ports.plan.render_commands`). A section counts as touched when one of
    its lines after its header lines was sent before the failing one.
    """
    if failed_at is None:
        return list(plan.rollback)
    headers = frozenset(ch.headers[0] for ch in plan.changes if ch.section)
    depth = {ch.headers[0]: len(ch.headers) for ch in plan.changes if ch.headers}
    fwd, back = blocks(plan.commands, headers), blocks(plan.rollback, headers)
    same_order = [_header(b, headers) for b in fwd] == [_header(b, headers) for b in back]
    by_header = {_header(b, headers): b for b in back}
    out: list[str] = []
    start = 0
    for k, fw in enumerate(fwd):
        header = _header(fw, headers)
        first_change = start + (depth.get(header, 1) if header else 0)
        if first_change < failed_at:
            if same_order:
                out.extend(back[k])
            elif header in by_header:
                out.extend(by_header[header])
        start += len(fw)
    return out


def choose_canaries(plans: list[DevicePlan], n: int) -> list[str]:
    """N devices to try first: round-robin over platforms so each driver is exercised early."""
    by_platform: dict[str, list[str]] = {}
    for d in sorted(plans, key=lambda d: d.host):
        by_platform.setdefault(d.platform, []).append(d.host)
    out: list[str] = []
    while len(out) < n and any(by_platform.values()):
        for platform in sorted(by_platform):
            if by_platform[platform] and len(out) < n:
                out.append(by_platform[platform].pop(0))
    return out


def canary_failed(outcomes: list[ApplyOutcome]) -> bool:
    """Whether a canary stage went wrong: any outcome other than applied or stale."""
    return any(o.status not in (APPLIED, STALE) for o in outcomes)


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


def _read(session: Session) -> ParsedConfig:
    platform = session.platform.name
    return parse_config(platform, scrubbed(platform, read_running_config(session)))


def sections_equal(plan: DevicePlan, before: ParsedConfig, after: ParsedConfig) -> list[str]:
    """Touched sections whose lines differ between two configurations (order ignored)."""
    diffs = set()
    for ch in plan.changes:
        a = sorted(section_lines(before, plan.platform, ch) or ())
        b = sorted(section_lines(after, plan.platform, ch) or ())
        if a != b:
            diffs.add(ch.where)
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
    deadline = time.monotonic() + APPLY_TIMEOUT

    def read_before() -> tuple[Session, ParsedConfig]:
        session = open_session(task, deadline=deadline)
        try:
            return session, _read(session)
        except BaseException:
            session.close(abort=True)
            raise

    # nothing has been sent yet: a second try is safe
    got = retry_transient(read_before, deadline, retries=1, label=host.name)
    if not got.ok or got.value is None:
        return done(UNREACHABLE, _("could not read the device: {error}").format(error=got.reason))
    session, before = got.value
    now = fingerprint(before, plan.view)
    if now != plan.fingerprint:
        session.close()
        return done(
            STALE,
            _("configuration changed since the plan was made ({now} != {planned})").format(
                now=now[:19], planned=plan.fingerprint[:19]
            ),
        )

    sent: list[str] = list(plan.commands)
    sent_all = False
    try:
        session.configure(plan.commands)
        sent_all = True
        if after_push is not None:
            after_push(host.name)
        after = _read(session)
        problems = verify_device(plan, after) + unplanned(plan, before, after)
        if problems:
            raise ConfigRejected(
                _("verification failed: {problems}").format(problems="; ".join(problems[:3]))
            )
        session.save()
    except Exception as exc:
        session.close(abort=True)
        why = _one_line(exc)
        log.warning("%s: apply failed (%s); rolling back", host.name, why)
        failed_at = exc.index if isinstance(exc, ConfigRejected) and not sent_all else None
        back = rollback_lines(plan, failed_at)
        status, detail = _rollback(task, plan, before, back)
        return done(status, f"{why}; {detail}", sent + back)
    session.close()
    return done(APPLIED, _("{n} change(s), saved").format(n=len(plan.changes)), sent)


def _rollback(
    task: Task, plan: DevicePlan, before: ParsedConfig, lines: list[str]
) -> tuple[str, str]:
    """Send the rollback lines on a fresh session; check the touched sections."""
    deadline = time.monotonic() + APPLY_TIMEOUT

    def push_back() -> Session:
        session = open_session(task, deadline=deadline)
        try:
            if lines:
                session.configure(lines)
            return session
        except BaseException:
            session.close(abort=True)
            raise

    # rollback lines are idempotent: a second session may send them again
    got = retry_transient(push_back, deadline, retries=1, label=task.host.name)
    if not got.ok or got.value is None:
        return ROLLBACK_FAILED, _("rollback failed: {error}").format(error=got.reason)
    session = got.value
    try:
        diffs = differences(before, _read(session))
    except Exception as exc:
        session.close(abort=True)
        return ROLLBACK_UNVERIFIED, _(
            "rollback sent but not verified (the configuration could not be read back: {error})"
        ).format(error=_one_line(exc))
    session.close()
    if diffs:
        more = _(" (and {n} more)").format(n=len(diffs) - 3) if len(diffs) > 3 else ""
        return ROLLBACK_FAILED, _("rolled back but differs from before: {diffs}{more}").format(
            diffs="; ".join(diffs[:3]), more=more
        )
    return ROLLED_BACK, _("rolled back and verified (nothing saved)")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, DeviceFailure):
        return exc.reason
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
