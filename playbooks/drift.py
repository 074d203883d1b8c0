"""`netsteward drift`: does the live network still match what was approved?

    netsteward drift [--offline] [--junit FILE] [--markdown FILE] [--json] [--config --hosts --group --repo]
    netsteward drift accept HOST... --reason TEXT

Exit codes: 0 nothing drifted, 1 drift, 2 bad input, 3 some devices could not be read.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path

import typer
from nornir.core import Nornir

from netsteward.playbooks.common import (
    ConfigOpt,
    EngineOpt,
    GroupOpt,
    HostsOpt,
    JsonOpt,
    ProcessesOpt,
    RepoOpt,
    err_console,
    finish,
    open_nornir,
    print_result,
    select_hosts,
)
from netsteward.playbooks.progress import ProgressProcessor, fleet_progress
from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_UNREACHABLE, BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.scrub import secret_key_notice
from netsteward.tasks.distributed.settings import EngineSettings, load_engine_settings
from netsteward.tasks.drift.check import Evaluator, build_report
from netsteward.tasks.drift.evaluators import SnapshotView
from netsteward.tasks.drift.model import DeviceInfo, DriftReport
from netsteward.tasks.drift.render import (
    render_console,
    render_junit,
    render_markdown,
    report_counts,
    report_json,
)
from netsteward.tasks.drift.state import RepoState

log = logging.getLogger(__name__)

HELP = (
    "Compare the live network with the approved state: configurations against the last "
    "committed backup, the port policy and firewall intent (new violations only), and LLDP "
    "against the latest topology snapshot. Exit 0 no drift, 1 drift, 3 devices unreadable. "
    "`netsteward drift accept HOST... --reason TEXT` approves a drift."
)


# Option declarations (typer reads these defaults), kept at module level like playbooks/common.py.
OfflineOpt = typer.Option(
    False, "--offline", help="No device contact: the committed backups at HEAD against --baseline."
)
JunitOpt = typer.Option(
    None, "--junit", help="Write JUnit XML here (one case per device and check)."
)
MarkdownOpt = typer.Option(
    None, "--markdown", help="Write a Markdown summary here (CI job summary)."
)
BaselineOpt = typer.Option(
    None, "--baseline", help="--offline: the approved revision (default: the commit before HEAD)."
)
PolicyOpt = typer.Option(None, "--policy", help="Port policy file (default policy/ports.yaml).")
IntentOpt = typer.Option(
    None, "--intent", help="Firewall intent file (default policy/firewall_intent.yaml)."
)
AsOfOpt = typer.Option(None, "--as-of", help="Date for rule expiry checks (YYYY-MM-DD).")
WorkersOpt = typer.Option(
    None,
    "--workers",
    min=1,
    max=1000,
    help="Concurrent SSH sessions, fixed (default: nornir_config.yaml's runner, which adapts them).",
)
KnownOpt = typer.Option(
    False,
    "--known",
    help="Also evaluate the policies on unchanged devices and list their known violations (slower).",
)
AcceptHostsArg = typer.Argument(..., help="Devices whose live state becomes the approved state.")
ReasonOpt = typer.Option(..., "--reason", help="Why this drift is approved (goes into the commit).")


def _devices(nr: Nornir) -> list[DeviceInfo]:
    out = []
    for host in nr.inventory.hosts.values():
        out.append(
            DeviceInfo(
                host=host.name,
                platform=host.platform or "",
                role=str(host.get("role") or ""),
                network=str(host.get("network") or ""),
                model=host.get("model"),
            )
        )
    return sorted(out, key=lambda d: d.host)


def _find(given: Path | None, default: str, config: Path) -> Path | None:
    """An explicit file, else `default` in the working directory, else beside the config."""
    if given is not None:
        if not given.exists():
            raise BadInput(_("file not found"), file=str(given))
        return given
    for base in (Path.cwd(), config.resolve().parent):
        if (base / default).exists():
            return base / default
    return None


def _evaluators(
    policy: Path | None,
    intent: Path | None,
    config: Path,
    devices: list[DeviceInfo],
    configs: dict[str, str],
    as_of: date | None,
) -> tuple[Evaluator | None, Evaluator | None, list[str]]:
    from netsteward.tasks.drift.evaluators import load_firewall_evaluator, load_port_evaluator

    notes: list[str] = []
    port_eval = fw_eval = None
    policy_path = _find(policy, "policy/ports.yaml", config)
    if policy_path is None:
        notes.append(_("port policy not checked: no policy/ports.yaml (give --policy)"))
    else:
        port_eval = load_port_evaluator(policy_path, devices, configs)
    intent_path = _find(intent, "policy/firewall_intent.yaml", config)
    if intent_path is None:
        notes.append(_("firewall not checked: no policy/firewall_intent.yaml (give --intent)"))
    else:
        fw_eval = load_firewall_evaluator(intent_path, as_of)
    return port_eval, fw_eval, notes


def run_check(
    nr: Nornir,
    *,
    everyone: list[DeviceInfo] | None = None,
    repo: Path,
    config: Path,
    offline: bool,
    baseline: str | None = None,
    policy: Path | None = None,
    intent: Path | None = None,
    as_of: date | None = None,
    known: bool = False,
    engine: EngineSettings | None = None,
    workers: int | None = None,
    show_progress: bool = False,
    processes: int | None = None,
) -> DriftReport:
    """Read both sides (devices or, offline, the repository at HEAD) and build the report."""
    from netsteward.tasks.drift.assemble import assemble, live_from_reads, live_from_repo
    from netsteward.tasks.drift.evaluators import snapshot_view
    from netsteward.tasks.drift.state import default_baseline, read_state

    devices = _devices(nr)
    inventory = everyone or devices  # the whole inventory: peers' platforms and LAGs
    platforms = {d.host: d.platform for d in inventory}
    checked_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def view(state: RepoState) -> SnapshotView | None:
        if not state.snapshot_text:
            return None
        return snapshot_view(state.snapshot_text, state.snapshot_name or "snapshot")

    # the policy and the intent are checked before any device is read (bad input: exit 2);
    # `configs` is filled below, the port evaluator reads it when it evaluates
    configs: dict[str, str] = {}
    port_eval, fw_eval, more = _evaluators(policy, intent, config, list(inventory), configs, as_of)
    if offline:
        current = read_state(repo, "HEAD")
        approved = read_state(repo, baseline or default_baseline(repo))
        live = live_from_repo(current, {d.host for d in devices}, view(current))
        live_label = current.label
    else:
        from netsteward.tasks.core.processes import process_count, read_in_processes
        from netsteward.tasks.drift.collect import read_hosts

        approved = read_state(repo, "HEAD")
        with fleet_progress("drift", err_console, show_progress) as progress:
            bar = ProgressProcessor(progress, len(nr.inventory.hosts))
            if engine is not None and engine.engine == "celery":
                from netsteward.tasks.distributed.jobs import drift_on_workers, hosts_of

                reads, failed = drift_on_workers(hosts_of(nr), engine.celery, workers, bar.advance)
            else:
                reads, failed = read_in_processes(
                    nr,
                    lambda share, processors: read_hosts(share, processors=processors),
                    process_count(processes, workers, len(nr.inventory.hosts)),
                    bar,
                )
        live = live_from_reads(reads, failed, platforms)
        live_label = "devices"
    snap = view(approved)
    sides = assemble(devices, live, approved.files, snap)
    configs.update({h: f["cfg"] for h, f in approved.files.items() if f.get("cfg")})
    configs.update({h: s.config for h, s in sides.live.items() if s.config})
    return build_report(
        devices,
        sides.live,
        live.unreadable,
        sides.approved,
        port_policy=port_eval,
        firewall=fw_eval,
        topology=snap is not None,
        evaluate_unchanged=known,
        offline=offline,
        approved_label=_("backup {revision}").format(revision=approved.label),
        live_label=live_label,
        checked_at=checked_at,
        notes=[*sides.notes, *more],
    )


def _write(path: Path | None, text: str) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def register(main_app: typer.Typer) -> None:
    drift_app = typer.Typer(help=HELP, no_args_is_help=False)

    @drift_app.callback(invoke_without_command=True)
    def drift(
        ctx: typer.Context,
        offline: bool = OfflineOpt,
        junit: Path | None = JunitOpt,
        markdown: Path | None = MarkdownOpt,
        json_out: bool = JsonOpt,
        config: Path = ConfigOpt,
        hosts: str | None = HostsOpt,
        group: str | None = GroupOpt,
        repo: Path = RepoOpt,
        baseline: str | None = BaselineOpt,
        policy: Path | None = PolicyOpt,
        intent: Path | None = IntentOpt,
        as_of: str | None = AsOfOpt,
        workers: int | None = WorkersOpt,
        processes: int | None = ProcessesOpt,
        known: bool = KnownOpt,
        engine_name: str | None = EngineOpt,
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        engine = load_engine_settings(config, engine_name)
        on_celery = engine.engine == "celery" and not offline
        when = None
        if as_of:
            try:
                when = date.fromisoformat(as_of)
            except ValueError:
                raise BadInput(
                    _("not a date (YYYY-MM-DD): {value!r}").format(value=as_of), field="--as-of"
                ) from None
        # on Celery the workers log in with their own credentials; the coordinator needs none
        full = open_nornir(
            config, None, group, num_workers=workers, need_credentials=not offline and not on_celery
        )
        nr = select_hosts(full, hosts, None)
        if group:  # peers outside the group still need their platform (port names, LAGs)
            full = open_nornir(config, None, None, need_credentials=False)
        # a crash in the check is a bug: netsteward.playbooks.cli exits 70 (never 0, 1 or 3)
        report = run_check(
            nr,
            everyone=_devices(full),
            repo=repo,
            config=config,
            offline=offline,
            baseline=baseline,
            policy=policy,
            intent=intent,
            as_of=when,
            known=known,
            engine=engine if on_celery else None,
            workers=workers,
            show_progress=not json_out and err_console.is_terminal,
            processes=processes,
        )
        notice = None if offline else secret_key_notice()
        if notice:  # live configurations masked without a fingerprint: say what is not seen
            report = replace(report, notes=(*report.notes, notice))
        _write(junit, render_junit(report))
        _write(markdown, render_markdown(report))
        if json_out:
            print_result(ctx, report.exit_code, report_counts(report), report_json(report))
        else:
            sys.stdout.write(render_console(report))
        finish(report.exit_code)

    @drift_app.command(
        "accept",
        help="Approve the drift of HOST...: take a fresh backup and commit it with the reason.",
    )
    def accept(
        ctx: typer.Context,
        hosts: list[str] = AcceptHostsArg,
        reason: str = ReasonOpt,
        config: Path = ConfigOpt,
        repo: Path = RepoOpt,
        json_out: bool = JsonOpt,
    ) -> None:
        from netsteward.tasks.drift.accept import accept_drift

        if not reason.strip():
            raise BadInput(_("an empty reason approves nothing"), field="--reason")
        nr = open_nornir(config)
        unknown = sorted(set(hosts) - set(nr.inventory.hosts))
        if unknown:
            raise BadInput(
                _("not in the inventory: {hosts}").format(hosts=", ".join(unknown)), field="HOST"
            )
        nr = nr.filter(filter_func=lambda h: h.name in set(hosts))
        outcome = accept_drift(nr, repo=repo, reason=reason.strip())
        code = EXIT_UNREACHABLE if outcome.failed else EXIT_CLEAN
        if json_out:
            counts = {"accepted": len(outcome.accepted), "failed": len(outcome.failed)}
            print_result(ctx, code, counts, asdict(outcome))
        else:
            lines = [_("accepted {host}").format(host=host) for host in outcome.accepted]
            lines += [
                _("FAILED {host}: {reason} (its approved state is unchanged)").format(
                    host=host, reason=why
                )
                for host, why in outcome.failed.items()
            ]
            if outcome.commit:
                lines.append(
                    _("commit {sha}: {message}").format(
                        sha=outcome.commit[:12], message=outcome.message
                    )
                )
            elif outcome.accepted:
                lines.append(
                    _("nothing to commit: the approved state already matches these devices")
                )
            sys.stdout.write("\n".join(lines) + "\n")
        finish(code)

    main_app.add_typer(drift_app, name="drift")
