"""`netsteward normalize`: port descriptions and loop protection as a reviewed plan.

    netsteward normalize plan [--offline] [--out PLAN.json] [--markdown FILE] [--config --hosts --group --json]
    netsteward normalize apply PLAN [--canary N] [--max-failures N] [--workers N] [--policy --rules --config --hosts --group --json]

plan exit codes: 0 compliant, 1 changes planned, 2 bad input, 3 some devices not read.
apply exit codes: 0 all applied, 1 some refused (stale) or rolled back, 2 bad input (a plan
that is edited, of another version, for hosts or platforms the inventory does not have, made
with another policy, or with a line the device's CLI would not take: refused, nothing sent),
3 some unreachable.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import typer
import yaml
from nornir.core import Nornir
from rich import box
from rich.table import Table

from netsteward.playbooks.common import (
    ConfigOpt,
    EngineOpt,
    GroupOpt,
    HostsOpt,
    JsonOpt,
    ProcessesOpt,
    RepoOpt,
    console,
    err_console,
    finish,
    open_nornir,
    print_result,
    select_hosts,
)
from netsteward.playbooks.progress import ProgressProcessor, fleet_progress
from netsteward.tasks.backup.collect import BackupOutcome
from netsteward.tasks.baseline.rules import DEFAULT_RULES
from netsteward.tasks.core.errors import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_UNREACHABLE,
    BadInput,
)
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.labels import role_short_label
from netsteward.tasks.core.processes import process_count, read_in_processes
from netsteward.tasks.core.results import typed_results
from netsteward.tasks.distributed.apply_message import apply_key
from netsteward.tasks.distributed.jobs import hosts_of
from netsteward.tasks.distributed.normalize_jobs import (
    apply_celery,
    on_celery,
    port_reads_on_workers,
)
from netsteward.tasks.platforms import load_platform
from netsteward.tasks.ports.apply import (
    APPLIED,
    SKIPPED,
    UNREACHABLE,
    ApplyGate,
    ApplyOutcome,
    apply_from_plan,
    canary_failed,
    choose_canaries,
    status_label,
)
from netsteward.tasks.ports.config import ParsedConfig, parse_config
from netsteward.tasks.ports.plan import (
    Device,
    Link,
    PeerIndex,
    Plan,
    new_plan,
    plan_device,
)
from netsteward.tasks.ports.policy import (
    DEFAULT_POLICY,
    PortPolicy,
    check_policy_hosts,
    load_policy,
)
from netsteward.tasks.ports.read import (
    BackupReader,
    PortState,
    latest_snapshot_path,
    offline_states,
    read_states,
    snapshot_links,
)
from netsteward.tasks.ports.report import (
    apply_summary,
    change_record,
    legend,
    plan_header,
    plan_markdown,
    plan_rows,
    plan_summary,
)
from netsteward.tasks.ports.seal import (
    check_lines,
    check_policy,
    check_sealed,
    check_targets,
    load_plan,
)

log = logging.getLogger(__name__)

app = typer.Typer(
    help="Port descriptions and loop protection: plan the changes, review them, apply them safely.",
    no_args_is_help=True,
)

PolicyOpt = typer.Option(DEFAULT_POLICY, "--policy", help="The port policy file.")
WorkersOpt = typer.Option(
    None,
    "--workers",
    min=1,
    max=500,
    help="Devices worked on at the same time (default: nornir_config.yaml's runner).",
)
OfflineOpt = typer.Option(
    False, "--offline", help="Use the latest backup and topology snapshot, not the devices."
)
OutOpt = typer.Option(
    None, "--out", help="Where to write the plan (default out/normalize-plan-<time>.json)."
)
MarkdownOpt = typer.Option(None, "--markdown", help="Also write the plan as Markdown for review.")
PlanArg = typer.Argument(..., help="A plan written by `netsteward normalize plan`.")
CanaryOpt = typer.Option(
    1, "--canary", min=0, help="Devices applied first; any failure among them stops the run."
)
RulesOpt = typer.Option(
    DEFAULT_RULES,
    "--rules",
    help="Baseline rule directory a baseline plan (audit baseline --plan) was made with.",
)
MaxFailuresOpt = typer.Option(
    5, "--max-failures", min=0, help="Stop starting devices once more than this many have failed."
)


def who() -> str:
    return os.environ.get("NETSTEWARD_CHANGE_AUTHOR") or getpass.getuser()


def _device(host: object) -> Device:
    h: object = host
    return Device(
        host=h.name,  # type: ignore[attr-defined]
        platform=h.platform or "",  # type: ignore[attr-defined]
        role=str(h.get("role") or ""),  # type: ignore[attr-defined]
        network=str(h.get("network") or ""),  # type: ignore[attr-defined]
        model=h.get("model"),  # type: ignore[attr-defined]
    )


def declared_links(nr: Nornir) -> dict[str, list[Link]]:
    """host -> the inventory's `declared_links` touching it (listed on either end)."""
    out: dict[str, list[Link]] = {}
    for name, host in nr.inventory.hosts.items():
        for item in host.get("declared_links") or []:
            local, peer, peer_port = item["local_port"], item["peer"], item["peer_port"]
            out.setdefault(name, []).append(Link(local, peer, peer_port, declared=True))
            out.setdefault(peer, []).append(Link(peer_port, name, local, declared=True))
    return out


def compute_plan(
    nr_all: Nornir,
    *,
    hosts: str | None,
    group: str | None,
    policy: PortPolicy,
    repo: Path,
    offline: bool,
    read: Callable[[Nornir], tuple[dict[str, PortState], dict[str, str]]] = read_states,
) -> Plan:
    """Read the in-scope devices (live or from the backup) and plan each one.

    `read`: how the live states are read (`read_states` here; on Celery, the workers'
    shards through the same function: tasks/distributed/normalize_jobs.py)."""
    devices = {h.name: _device(h) for h in nr_all.inventory.hosts.values()}
    nr = select_hosts(nr_all, hosts, group).filter(
        filter_func=lambda h: policy.in_scope(h.get("role"), h.platform)
    )
    wanted = sorted(nr.inventory.hosts)
    if offline:
        states, unreadable = offline_states(
            repo, {h: (devices[h].network, devices[h].role) for h in wanted}
        )
    else:
        states, unreadable = read(nr)
    peers = PeerIndex(platforms={name: d.platform for name, d in devices.items()})
    parsed: dict[str, ParsedConfig] = {}
    for name, state in states.items():
        parsed[name] = parse_config(devices[name].platform, state.config)
        peers.add_config(name, devices[name].platform, parsed[name], policy)
    # neighbours outside the selection: their LAGs come from the backup, when there is one
    outside = sorted({lk.peer for s in states.values() for lk in s.links} - parsed.keys())
    backups = BackupReader(repo) if outside else None
    for peer in outside:
        dev = devices.get(peer)
        if dev is None or backups is None:
            continue
        text = backups.get(peer, dev.network, dev.role)
        if text:
            peers.add_config(peer, dev.platform, parse_config(dev.platform, text), policy)
    # what the last topology snapshot saw: ports that lost their neighbour are held
    before: dict[str, list[Link]] = {}
    if latest_snapshot_path(repo) is not None:
        before = snapshot_links(repo)[0]
    # links LLDP cannot see (firewalls, FC switches): uplinks at both ends, live and offline
    declared = declared_links(nr_all)
    # neighbours named as the snapshot names them: an inventory name in any case
    named = {name.lower(): name for name in devices}

    def inventory_names(links: tuple[Link, ...]) -> list[Link]:
        return [replace(lk, peer=named.get(lk.peer.lower(), lk.peer)) for lk in links]

    plans = [
        plan_device(
            devices[h],
            parsed[h],
            [*inventory_names(states[h].links), *declared.get(h, [])],
            policy,
            peers,
            seen_before=before.get(h, []),
        )
        for h in sorted(states)
    ]
    return new_plan(
        plans,
        source="offline" if offline else "live",
        policy=policy,
        created_by=who(),
        unreadable=unreadable,
    )


def _default_out() -> Path:
    return Path("out") / f"normalize-plan-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"


def _short(platform: str) -> str:
    """The platform's short label (`label:` in its platform file) for the narrow table."""
    try:
        return load_platform(platform).short
    except BadInput:  # a plan from another installation: its name as written
        return platform


def _print_plan(plan: Plan, out: Path) -> None:
    """The summary table, narrow enough for an 80-column terminal."""
    s = plan_summary(plan, str(out))
    title = (
        _("Port plan (live): {changed} of {devices} devices change")
        if plan.source == "live"
        else _("Port plan (offline): {changed} of {devices} devices change")
    )
    table = Table(
        title=title.format(changed=s["devices_with_changes"], devices=s["devices"]),
        caption=legend(),
        box=box.SIMPLE,
        pad_edge=False,
        collapse_padding=True,
    )
    for i, col in enumerate(plan_header()):
        table.add_column(col, justify="left" if i < 3 else "right", no_wrap=True)
    for host, platform, role, *rest in plan_rows(plan):
        table.add_row(host, _short(platform), role_short_label(role), *rest)
    total = [str(v or "") for v in s["changes_by_kind"].values()]
    table.add_row(_("total"), "", "", *total, str(s["lines"]), style="bold")
    console.print(table)
    for host, why in plan.unreadable.items():
        err_console.print(
            _("not read: {host}: {reason}").format(host=host, reason=why),
            markup=False,
            soft_wrap=True,
        )
    console.print(_("plan written to {file}").format(file=out))


@app.command("plan")
def plan_cmd(
    ctx: typer.Context,
    config: Path = ConfigOpt,
    hosts: str | None = HostsOpt,
    group: str | None = GroupOpt,
    as_json: bool = JsonOpt,
    offline: bool = OfflineOpt,
    out: Path | None = OutOpt,
    markdown: Path | None = MarkdownOpt,
    policy_file: Path = PolicyOpt,
    repo: Path = RepoOpt,
    workers: int | None = WorkersOpt,
    processes: int | None = ProcessesOpt,
    engine: str | None = EngineOpt,
) -> None:
    """Compute the changes that bring ports in line with the policy. Exit 1 when there are any.

    With --engine celery the devices are read by `netsteward worker`s (docs/celery.md); the
    plan is computed here, as locally."""
    policy = load_policy(policy_file)
    celery = None if offline else on_celery(config, engine)
    nr_all = open_nornir(
        config, None, None, num_workers=workers, need_credentials=not offline and celery is None
    )
    check_policy_hosts(policy, policy_file, set(nr_all.inventory.hosts))
    show = not as_json and err_console.is_terminal

    def read(nr: Nornir) -> tuple[dict[str, PortState], dict[str, str]]:
        """The live reads, with the fleet's progress bar (locally or on the workers)."""
        with fleet_progress("normalize plan", err_console, show) as progress:
            bar = ProgressProcessor(progress, len(nr.inventory.hosts))
            if celery is None:
                count = process_count(processes, workers, len(nr.inventory.hosts))
                return read_in_processes(nr, read_states, count, bar)
            return port_reads_on_workers(hosts_of, celery, workers, bar.advance)(nr)

    plan = compute_plan(
        nr_all, hosts=hosts, group=group, policy=policy, repo=repo, offline=offline, read=read
    )
    out = out or _default_out()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(plan.model_dump_json(indent=1) + "\n", encoding="utf-8")
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(plan_markdown(plan), encoding="utf-8")
    code = EXIT_UNREACHABLE if plan.unreadable else EXIT_FINDINGS if plan.changed() else EXIT_CLEAN
    if as_json:
        summary = plan_summary(plan, str(out))
        counts = {
            "devices": summary["devices"],
            "devices_with_changes": summary["devices_with_changes"],
            "changes": sum(summary["changes_by_kind"].values()),
            "lines": summary["lines"],
            "unreadable": len(plan.unreadable),
        }
        print_result(ctx, code, counts, summary)
    else:
        _print_plan(plan, out)
    finish(code)


# -- apply ---------------------------------------------------------------------


def run_apply(
    nr: Nornir,
    plan: Plan,
    *,
    policy: PortPolicy,
    canary: int,
    max_failures: int,
    after_push: Callable[[str], None] | None = None,
) -> list[ApplyOutcome]:
    """Canaries first, then the rest; stop starting devices once more than max_failures failed.

    The plan must be sealed and its lines what its changes render (checked again here, the
    last step before any device: BadInput otherwise, nothing sent)."""
    check_sealed(plan, policy)
    todo = {d.host: d for d in plan.changed() if d.host in nr.inventory.hosts}
    gate = ApplyGate(max_failures=max_failures)
    canaries = choose_canaries(list(todo.values()), canary)
    stages = [canaries, sorted(set(todo) - set(canaries))]
    for i, stage in enumerate(stages):
        if not stage:
            continue
        if i > 0 and canaries and canary_failed(gate.outcomes):
            for host in stage:
                gate.record(ApplyOutcome(host, SKIPPED, _("not attempted: a canary device failed")))
            break
        part = nr.filter(filter_func=lambda h, s=frozenset(stage): h.name in s)  # type: ignore[misc]
        part.run(
            task=apply_from_plan,
            name="apply port plan",
            plans=todo,
            gate=gate,
            after_push=after_push,
            raise_on_error=False,
        )
        nr.data.reset_failed_hosts()
    return list(gate.outcomes)


def record_and_backup(
    nr: Nornir,
    repo: Path,
    record: dict[str, object],
    applied: list[str],
    collect: Callable[[list[str]], dict[str, BackupOutcome]] | None = None,
) -> str | None:
    """Write the change record into the backup repository, back up the changed devices, commit
    once (a backup commit when some device was backed up, so the last-backup lookup finds it).

    `collect`: how the applied devices are read (on Celery: the workers' backup shards,
    judged here against the repository); default: this process, with `backup_config`."""
    from netsteward.tasks.backup.collect import backup_config, judge_all
    from netsteward.tasks.core.store import BACKUP_PREFIX, BackupStore

    store = BackupStore.open(repo)
    with store.writing():  # one writer of the backup repository at a time
        stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H%M%S")
        rel = f"changes/{stamp}-normalize.yaml"
        change = [(rel, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))]
        files: list[tuple[str, str]] = []
        if applied:
            wanted = set(applied)
            if collect is not None:
                got = judge_all(collect(sorted(wanted)), store)
            else:
                part = nr.filter(filter_func=lambda h: h.name in wanted)
                agg = part.run(
                    task=backup_config, name="backup after apply", store=store, raise_on_error=False
                )
                got = typed_results(agg, BackupOutcome).ok
            files = [(f.path, f.text) for o in got.values() if o.ok for f in o.files]
            for host in sorted(wanted - {h for h, o in got.items() if o.ok}):
                err_console.print(
                    _("backup after apply failed for {host}; run `netsteward backup`").format(
                        host=host
                    )
                )
        counts = ", ".join(f"{n} {status}" for status, n in dict(record["summary"]).items())  # type: ignore[call-overload]
        subject = f"normalize apply by {record['who']}: {counts}"
        if files:
            return store.commit_backups(files, f"{BACKUP_PREFIX}({subject})", extra=change).sha
        return store.commit_files(change, subject).sha


@app.command("apply")
def apply_cmd(
    ctx: typer.Context,
    plan_file: Path = PlanArg,
    config: Path = ConfigOpt,
    hosts: str | None = HostsOpt,
    group: str | None = GroupOpt,
    as_json: bool = JsonOpt,
    canary: int = CanaryOpt,
    max_failures: int = MaxFailuresOpt,
    workers: int | None = WorkersOpt,
    repo: Path = RepoOpt,
    policy_file: Path = PolicyOpt,
    rules: Path = RulesOpt,
    engine: str | None = EngineOpt,
) -> None:
    """Apply exactly a reviewed plan: refuse stale devices, verify, save, roll back on failure.

    Refused whole (exit 2, nothing sent) when the plan was edited after it was made, is of
    another version, names a host the inventory lacks or with another platform, was made
    with another policy (or baseline rule set), or has a line the device would not take.

    With --engine celery the devices are applied by `netsteward worker`s, canaries first,
    --max-failures fleet-wide; each shard's message is signed with $NETSTEWARD_APPLY_KEY
    and checked again by the worker before any line is pushed (docs/celery.md)."""
    plan = load_plan(plan_file)
    policy = load_policy(policy_file)
    check_lines(plan, policy, str(plan_file))
    if plan.job == "baseline":
        from netsteward.tasks.baseline.rules import load_rules

        check_policy(plan, load_rules(rules).digest, file=str(plan_file), policy=str(rules))
    else:
        check_policy(plan, policy.digest, file=str(plan_file), policy=str(policy_file))
    celery = on_celery(config, engine)
    key = apply_key() if celery is not None else None  # exit 2 before anything is sent
    nr_all = open_nornir(config, None, None, num_workers=workers, need_credentials=celery is None)
    inventory = {name: h.platform for name, h in nr_all.inventory.hosts.items()}
    check_targets(plan, inventory, str(plan_file))
    nr = select_hosts(nr_all, hosts, group)
    collect = None
    if celery is not None and key is not None:
        outcomes, collect = apply_celery(
            hosts_of(nr), plan, policy, celery, key, canary, max_failures, workers
        )
    else:
        outcomes = run_apply(nr, plan, policy=policy, canary=canary, max_failures=max_failures)
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sha = hashlib.sha256(plan_file.read_bytes()).hexdigest()
    record = change_record(
        plan, outcomes, who=who(), when=when, plan_file=str(plan_file), plan_sha256=sha
    ) | {"plan_digest": plan.digest}
    commit = None
    if outcomes:
        commit = record_and_backup(
            nr, repo, record, [o.host for o in outcomes if o.status == APPLIED], collect
        )
    summary = apply_summary(outcomes) | {"commit": commit}
    statuses = {o.status for o in outcomes}
    code = (
        EXIT_UNREACHABLE
        if UNREACHABLE in statuses
        else EXIT_CLEAN
        if statuses <= {APPLIED}
        else EXIT_FINDINGS
    )
    if as_json:
        print_result(ctx, code, {"devices": summary["devices"], **summary["by_status"]}, summary)
    else:
        counts = ", ".join(
            f"{status_label(status)} {n}" for status, n in summary["by_status"].items()
        )
        table = Table(title=_("normalize apply: {counts}").format(counts=counts))
        for col in (_("host"), _("status"), _("seconds"), _("detail")):
            table.add_column(col)
        for o in summary["outcomes"]:
            table.add_row(o["host"], status_label(o["status"]), f"{o['seconds']:.1f}", o["detail"])
        console.print(table)
        if commit:
            console.print(
                _("change recorded in {repo} ({commit})").format(repo=repo, commit=commit[:10])
            )
    finish(code)
