"""Assemble a `DriftReport` from what was read live and what the repository approved.

No device contact here: `tasks/drift/collect.py` reads the devices, `tasks/drift/state.py`
reads the backup repository, and the policy evaluators come from their owners (port policy:
tasks/normalize*, firewall: tasks/fw_audit) through `tasks/drift_policy.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from netsteward.tasks.core.i18n import N_, _
from netsteward.tasks.drift.model import (
    Adjacency,
    Check,
    CheckResult,
    DeviceInfo,
    DriftReport,
    Status,
    Violation,
    checks_for,
    config_result,
    policy_result,
    topology_result,
    unreadable_results,
)


@dataclass(frozen=True)
class DeviceState:
    """One side (live or approved) of one device.

    `config` is the normalised configuration (None: not in the repository);
    `neighbors` the device's adjacencies (None: unknown, e.g. no snapshot or no LLDP read);
    `files` every stored file of the device (the Brocade switches also have `zoning`).
    """

    config: str | None
    neighbors: tuple[Adjacency, ...] | None = None
    files: Mapping[str, str] | None = None  # {suffix: text}; None: just `config` as "cfg"
    optional_neighbors: tuple[Adjacency, ...] = ()  # approved side: links seen from one end only
    lldp_error: str | None = None  # live side: why the neighbours could not be read

    def links(self) -> tuple[Adjacency, ...]:
        """Every cable this side knows of (for the port policy)."""
        return (self.neighbors or ()) + self.optional_neighbors

    def stored(self) -> Mapping[str, str] | None:
        if self.files is not None:
            return self.files
        return None if self.config is None else {"cfg": self.config}


# (device, state) -> the violations of that policy on that state.
Evaluator = Callable[[DeviceInfo, DeviceState], Iterable[Violation]]


UNCHANGED = N_(
    "unchanged since the approved state (not re-evaluated; --known lists its violations)"
)


def _policy(
    check: Check,
    evaluate: Evaluator | None,
    device: DeviceInfo,
    live: DeviceState,
    approved: DeviceState,
    evaluate_unchanged: bool = False,
) -> CheckResult | None:
    if evaluate is None:
        return None
    same = approved.config == live.config and set(approved.links()) == set(live.links())
    if same and not evaluate_unchanged:
        return CheckResult(device.host, check, Status.CLEAN, _(UNCHANGED))
    try:
        now = list(evaluate(device, live))
    except Exception as exc:  # cannot judge: never clean, and not drift either
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return CheckResult(
            device.host,
            check,
            Status.UNREADABLE,
            _("{check} could not be evaluated on the live configuration: {error}").format(
                check=check, error=first
            ),
        )
    if same:
        return policy_result(device.host, check, now, now)  # same input: every violation known
    try:
        before = list(evaluate(device, approved)) if approved.config is not None else []
    except Exception:  # an approved config the evaluator cannot read: every live violation is new
        before = []
    return policy_result(device.host, check, now, before)


def build_report(
    devices: Iterable[DeviceInfo],
    live: Mapping[str, DeviceState],
    unreadable: Mapping[str, str],
    approved: Mapping[str, DeviceState],
    *,
    port_policy: Evaluator | None = None,
    firewall: Evaluator | None = None,
    topology: bool = True,
    evaluate_unchanged: bool = False,
    offline: bool = False,
    approved_label: str = "",
    live_label: str = "devices",
    checked_at: str = "",
    notes: Iterable[str] = (),
) -> DriftReport:
    """One result per device and applicable check; a device in neither `live` nor
    `unreadable` is reported unreadable ("not read") rather than silently skipped.

    A policy is evaluated on both sides of a device whose configuration or cabling changed;
    on an unchanged device it can only find known violations, so it is evaluated (once) only
    with `evaluate_unchanged` (the firewall audit of a large rule base is not cheap)."""
    devices = sorted(devices, key=lambda d: d.host)
    results: list[CheckResult] = []
    for dev in devices:
        checks = checks_for(dev.role, dev.platform)
        if not topology:
            checks = tuple(c for c in checks if c is not Check.TOPOLOGY)
        if port_policy is None:
            checks = tuple(c for c in checks if c is not Check.PORT_POLICY)
        if firewall is None:
            checks = tuple(c for c in checks if c is not Check.FIREWALL)
        if dev.host in unreadable or dev.host not in live:
            results += unreadable_results(dev.host, checks, unreadable.get(dev.host, _("not read")))
            continue
        now = live[dev.host]
        before = approved.get(dev.host, DeviceState(config=None))
        for check in checks:
            if check is Check.CONFIG:
                results.append(config_result(dev.host, before.stored(), now.stored() or {}))
            elif check is Check.PORT_POLICY:
                r = _policy(check, port_policy, dev, now, before, evaluate_unchanged)
                if r:
                    results.append(r)
            elif check is Check.FIREWALL:
                r = _policy(check, firewall, dev, now, before, evaluate_unchanged)
                if r:
                    results.append(r)
            elif check is Check.TOPOLOGY:
                if now.neighbors is None:
                    results.append(
                        CheckResult(
                            dev.host,
                            check,
                            Status.UNREADABLE,
                            _("LLDP neighbours could not be read ({error})").format(
                                error=now.lldp_error or _("no answer")
                            ),
                        )
                    )
                elif before.neighbors is None:
                    continue  # no snapshot knows this device: nothing to compare (noted once)
                else:
                    results.append(
                        topology_result(
                            dev.host, before.neighbors, now.neighbors, before.optional_neighbors
                        )
                    )
    return DriftReport(
        results=tuple(results),
        devices=tuple(devices),
        offline=offline,
        approved=approved_label,
        live=live_label,
        checked_at=checked_at,
        notes=tuple(notes),
    )
