"""`normalize apply` on Celery workers: what one shard's message carries, how a worker
checks it before any device, the fleet-wide failure budget, and the typed outcomes back.

A shard's message carries only that shard's device plans (no credentials) and the run's
limits. Before it starts any device the worker checks:

1. **The message's HMAC** (sha256, key `$NETSTEWARD_APPLY_KEY` from the coordinator's and
   the workers' own environments, never sent): the device plans are exactly what the
   coordinator sent after it verified the sealed plan (digest, version, policy, targets,
   lines). A per-device digest was not enough: the plan's seal is a hash, not a signature
   (issue 17), and anyone who can write to the broker can compute a hash; only a key the
   broker never sees tells the coordinator's message from one injected into Redis. The
   HMAC covers the shard's host list, the run id, the budget and each device plan.
2. **Each device plan against the worker's own files**, as `normalize apply` checks a plan
   file: the plan's policy digest is this worker's port policy's (or baseline rule set's),
   the lines are what the reviewed changes render with that policy, every line is one line
   of characters the platform's CLI takes, and the host is in this worker's inventory with
   that platform. A device that fails a check is `refused` (nothing sent) with the reason.

The failure budget (`--max-failures N`) holds across workers: one Redis counter per run on
the result backend (`FleetGate`), incremented atomically (INCR) by the worker where a device
fails and read before each device starts; once it is above N no worker starts a device.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import TypeAdapter

from netsteward.tasks.core.errors import BadInput, NetstewardError
from netsteward.tasks.core.i18n import _
from netsteward.tasks.ports.apply import FAILURES, ApplyGate, ApplyOutcome
from netsteward.tasks.ports.plan import DevicePlan, Plan
from netsteward.tasks.ports.policy import PortPolicy
from netsteward.tasks.ports.seal import bad_lines, check_lines, check_policy, check_targets

log = logging.getLogger(__name__)

APPLY_KEY_ENV = "NETSTEWARD_APPLY_KEY"
MIN_KEY = 16  # characters: a key short enough to guess protects nothing
BUDGET_TTL = 86_400  # seconds the run's failure counter lives in Redis (a crashed coordinator)


class MessageRefused(Exception):
    """The shard's message is not one the coordinator signed: nothing of it is applied."""


def apply_key(required: bool = True) -> bytes | None:
    """The HMAC key of apply messages, from the environment; BadInput (exit 2) when required
    and missing or too short."""
    value = os.environ.get(APPLY_KEY_ENV, "")
    if len(value) >= MIN_KEY:
        return value.encode("utf-8")
    if required:
        raise BadInput(
            _(
                "{env} must be set (at least {n} characters, the same on the coordinator and "
                "the workers) to apply a plan on Celery workers"
            ).format(env=APPLY_KEY_ENV, n=MIN_KEY),
            field=APPLY_KEY_ENV,
        )
    return None


def budget_key(run: str) -> str:
    """The Redis key of one apply run's failure counter."""
    return f"netsteward:apply:{run}:failures"


def _canonical(hosts: list[str], message: dict[str, Any]) -> bytes:
    body = {"hosts": list(hosts), **{k: v for k, v in message.items() if k != "mac"}}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(hosts: list[str], message: dict[str, Any], key: bytes) -> str:
    return "hmac-sha256:" + hmac.new(key, _canonical(hosts, message), hashlib.sha256).hexdigest()


def shard_message(
    plan: Plan,
    hosts: list[str],
    *,
    run: str,
    max_failures: int,
    workers: int | None,
    key: bytes,
) -> dict[str, Any]:
    """One shard's message (JSON): its device plans only, the sealed plan's identity, the
    run's budget; signed with `key`."""
    by_host = {d.host: d for d in plan.devices}
    message: dict[str, Any] = {
        "run": run,
        "job": plan.job,
        "plan_digest": plan.digest,
        "policy_digest": plan.policy_digest,
        "budget": budget_key(run),
        "max_failures": max_failures,
        "workers": workers,
        "devices": [by_host[h].model_dump(mode="json") for h in hosts],
    }
    message["mac"] = sign(hosts, message, key)
    return message


_DEVICES: TypeAdapter[list[DevicePlan]] = TypeAdapter(list[DevicePlan])


@dataclass(frozen=True)
class ShardOrder:
    """A verified message: what the worker may apply."""

    run: str
    job: str
    plan_digest: str
    policy_digest: str
    budget: str
    max_failures: int
    workers: int | None
    devices: list[DevicePlan]


def verify_message(hosts: list[str], message: Any, key: bytes | None) -> ShardOrder:
    """The message's content when its HMAC verifies and it is well formed; MessageRefused
    (the reason, one line) otherwise."""
    if key is None:
        raise MessageRefused(
            _("this worker has no {env}: it applies nothing").format(env=APPLY_KEY_ENV)
        )
    if not isinstance(message, dict) or not isinstance(message.get("mac"), str):
        raise MessageRefused(_("the message is not signed"))
    if not hmac.compare_digest(sign(hosts, message, key), message["mac"]):
        raise MessageRefused(_("the message's signature does not verify (altered in transit?)"))
    try:
        devices = _DEVICES.validate_python(message["devices"])
        order = ShardOrder(
            run=str(message["run"]),
            job=str(message["job"]),
            plan_digest=str(message["plan_digest"]),
            policy_digest=str(message["policy_digest"]),
            budget=str(message["budget"]),
            max_failures=int(message["max_failures"]),
            workers=int(message["workers"]) if message.get("workers") else None,
            devices=devices,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MessageRefused(
            _("the message is malformed: {error}").format(error=str(exc).splitlines()[0])
        ) from None
    if [d.host for d in devices] != list(hosts):
        raise MessageRefused(_("the message's device plans are not its shard's hosts"))
    return order


def device_problem(
    order: ShardOrder,
    dev: DevicePlan,
    policy: PortPolicy,
    policy_digest: str,
    inventory: dict[str, str | None],
) -> str | None:
    """Why this worker refuses one device plan of a verified message (None: it applies it):
    the checks `normalize apply` makes on a plan file, with this worker's own policy (its
    digest: `policy_digest`, the baseline rule set's for a baseline plan) and inventory."""
    one = Plan(
        job="baseline" if order.job == "baseline" else "normalize",
        created_at="",
        created_by="",
        source="",
        policy_digest=order.policy_digest,
        devices=[dev],
    )
    try:
        check_policy(one, policy_digest, file="<message>", policy=_("this worker's policy"))
        for _field, line, why in bad_lines(one):
            return _("{line!r} cannot be pushed: {why}").format(line=line, why=why)
        check_lines(one, policy, "<message>")
        check_targets(one, inventory, "<message>")
    except NetstewardError as exc:
        return str(getattr(exc, "message", exc))
    return None


@dataclass
class FleetGate(ApplyGate):
    """`ApplyGate` whose failure count is the run's Redis counter, shared by every worker.

    `stopped()` reads it before each device starts; `record()` increments it (INCR, atomic)
    for each failed device. A counter that cannot be read stops the worker from starting
    devices (a budget nobody can see is treated as spent)."""

    client: Any = None
    key: str = ""

    def stopped(self) -> bool:
        try:
            return int(self.client.get(self.key) or 0) > self.max_failures
        except Exception as exc:  # redis errors: start nothing more
            log.warning("failure budget %s unreadable (%s): starting no device", self.key, exc)
            return True

    def record(self, outcome: ApplyOutcome) -> None:
        super().record(outcome)
        if outcome.status in FAILURES:
            count(self.client, self.key)


def count(client: Any, key: str) -> None:
    """One more failed device in the run's counter (logged, never raised, when Redis fails:
    the device's outcome still goes back to the coordinator)."""
    try:
        client.incr(key)
    except Exception as exc:
        log.warning("failure budget %s not incremented (%s)", key, exc)


_OUTCOMES: TypeAdapter[list[ApplyOutcome]] = TypeAdapter(list[ApplyOutcome])


def outcomes_payload(outcomes: list[ApplyOutcome]) -> list[dict[str, Any]]:
    """Outcomes as JSON-ready data (what an apply worker returns)."""
    return [asdict(o) for o in sorted(outcomes, key=lambda o: o.host)]


def outcomes_from_payload(data: Any) -> list[ApplyOutcome]:
    """Outcomes back from a worker's JSON (validated: a malformed reply raises)."""
    return _OUTCOMES.validate_python(data)
