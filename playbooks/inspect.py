"""`netsteward inspect`: the daily inspection (巡检) of every device's health.

    netsteward inspect [--hosts G] [--group N] [--policy policy/inspection.yaml] [--out out]
                       [--fail-on minor|major|critical] [--engine local|celery] [--json]
    netsteward inspect report --month 2026-11 [--out out] [--json]

Thin: policy -> open_nornir -> read each device's health displays (task) -> judge against
the policy and the previous inspection -> keep the run in the backup repository ->
workbook, Markdown, HTML, JSON -> exit code (0 clean, 1 anomalies at or above --fail-on,
2 bad input, 3 devices not read or displays not understood).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
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
)
from netsteward.playbooks.progress import ProgressProcessor, fleet_progress
from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREACHABLE, BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.processes import gather_in_processes, process_count
from netsteward.tasks.distributed.settings import EngineSettings, load_engine_settings
from netsteward.tasks.inspect import history, month, report
from netsteward.tasks.inspect.collect import (
    InspectOptions,
    health_reads,
    inspect_hosts,
    not_read,
)
from netsteward.tasks.inspect.judge import checks_of, judge
from netsteward.tasks.inspect.model import SEVERITIES, DeviceResult
from netsteward.tasks.inspect.policy import DEFAULT_POLICY, InspectionPolicy, load_policy
from netsteward.tasks.inspect.summary import Summary, summarise
from netsteward.tasks.inspect.workbook import severity_label, write_workbook
from netsteward.tasks.platforms import load_platform

app = typer.Typer(
    help=(
        "The daily inspection: every device's CPU, memory, temperatures, fans, power supplies, "
        "optics, port errors, uptime, NTP, saved configuration, flash, firewall sessions and HA, "
        "Brocade switch status, judged against policy/inspection.yaml and compared with the "
        "previous inspection. Exit 0 clean, 1 anomalies at or above --fail-on, 2 bad input, "
        "3 devices not read."
    ),
    no_args_is_help=False,
)

PolicyOpt = typer.Option(DEFAULT_POLICY, "--policy", help="Thresholds (validated YAML).")
OutOpt = typer.Option(Path("out"), "--out", help="Directory for the workbook, Markdown and HTML.")
FailOnOpt = typer.Option(
    "minor",
    "--fail-on",
    help="Exit 1 when an anomaly is at least this severe (minor, major, critical).",
)
WorkersOpt = typer.Option(None, "--workers", min=1, max=1000, help="Concurrent SSH sessions.")
TimeoutOpt = typer.Option(90.0, "--timeout", min=1.0, help="Time limit per device in seconds.")
RetriesOpt = typer.Option(
    2, "--retries", min=0, max=10, help="Extra attempts for transient failures."
)


@dataclass(frozen=True)
class Outcome:
    inspection: history.Inspection
    summary: Summary
    files: dict[str, str]


def _purposes(nr: object, policy: InspectionPolicy) -> dict[str, set[str]]:
    """host -> the display purposes the policy wants read on it."""
    out: dict[str, set[str]] = {}
    for host in nr.inventory.hosts.values():  # type: ignore[attr-defined]
        rules = policy.for_device(host.name, host.platform or "", str(host.data.get("role", "")))
        platform = load_platform(host.platform or "")
        out[host.name] = {
            p for p in health_reads(platform) if any(rules.reads(c) for c in checks_of(p))
        }
    return out


def run_inspection(
    config: Path,
    hosts: str | None,
    group: str | None,
    repo: Path,
    policy_path: Path,
    out_dir: Path,
    *,
    workers: int | None,
    options: InspectOptions,
    show_progress: bool,
    engine: EngineSettings | None = None,
    processes: int | None = None,
) -> Outcome:
    """Read, judge, keep and write one inspection. With the Celery engine the devices are
    read on the workers of each host's queue (`inspect_hosts` there, the same function as
    here); judging, history and the sheets stay here."""
    policy = load_policy(policy_path)  # bad input stops here, before any device
    on_celery = engine is not None and engine.engine == "celery"
    # on Celery the workers log in with their own credentials; the coordinator needs none
    nr = open_nornir(config, hosts, group, num_workers=workers, need_credentials=not on_celery)
    if on_celery:
        from netsteward.tasks.distributed.coordinator import check_broker

        assert engine is not None
        check_broker(engine.celery)  # broker down: one line, exit 3, nothing written
    started = datetime.now().isoformat(timespec="seconds")
    t0 = time.monotonic()
    previous = history.latest_before(repo, started)
    rx_hist = history.rx_history(repo, started)
    purposes = _purposes(nr, policy)
    total = len(nr.inventory.hosts)
    progress = fleet_progress("inspect", err_console, show_progress, _("{failed} not read"))
    with progress:
        bar = ProgressProcessor(progress, total)
        if on_celery:
            from netsteward.tasks.distributed.jobs import hosts_of
            from netsteward.tasks.distributed.read_jobs import inspect_on_workers

            assert engine is not None
            readings = inspect_on_workers(
                hosts_of(nr),
                engine.celery,
                purposes,
                options,
                workers,
                started,
                lambda host, reason: not_read(nr.inventory.hosts[host], reason, started),
                bar.advance,
            )
        else:
            readings = gather_in_processes(
                nr,
                lambda share, procs: inspect_hosts(share, purposes, options, procs, started),
                process_count(processes, workers, total),
                bar,
                # its process died: a finding with the reason
                lambda host, reason: not_read(nr.inventory.hosts[host], reason, started),
            )
    before = previous.by_host() if previous else {}
    results: list[DeviceResult] = []
    for name, rd in sorted(readings.items()):
        rules = policy.for_device(name, rd.platform, rd.role)
        results.append(
            judge(rd, rules, before.get(name), policy.capacity(rd.model), rx_hist.get(name))
        )
    cleared = history.mark(results, previous)
    ins = history.Inspection(
        started,
        round(time.monotonic() - t0, 2),
        results,
        cleared,
        previous.started if previous else "",
    )
    saved = history.save(repo, ins)
    summary = summarise(ins)
    stem = out_dir / f"inspection-{ins.date}"
    files = {
        "xlsx": str(write_workbook(ins, stem.with_suffix(".xlsx"), summary)),
        "markdown": str(_write(stem.with_suffix(".md"), report.markdown(ins, summary))),
        "html": str(_write(stem.with_suffix(".html"), report.html_report(ins, summary))),
        "history": str(saved),
    }
    return Outcome(ins, summary, files)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def exit_code(summary: Summary, fail_on: str) -> int:
    if summary.unreachable or summary.gaps:
        return EXIT_UNREACHABLE
    limit = SEVERITIES.index(fail_on)
    if any(summary.by_severity[s] for s in SEVERITIES[: limit + 1]):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def render(o: Outcome) -> None:
    s = o.summary
    console.print(
        _(
            "inspect {date}: {read} of {n} devices read, {unreachable} unreachable, {total} anomalies "
            "({critical} critical, {major} major, {minor} minor), {new} new, {cleared} cleared"
        ).format(
            date=s.date,
            read=s.read,
            n=s.devices,
            unreachable=s.unreachable,
            total=s.total,
            critical=s.by_severity["critical"],
            major=s.by_severity["major"],
            minor=s.by_severity["minor"],
            new=s.new,
            cleared=s.cleared,
        ),
        markup=False,
        soft_wrap=True,
    )
    if s.findings:
        table = Table(show_edge=False)
        for col in (_("severity"), _("new"), _("device"), _("check"), _("finding")):
            table.add_column(col)
        for f in s.findings[:40]:
            table.add_row(
                severity_label(f.severity),
                "*" if f.status == "new" else "",
                f.host,
                f.check,
                f.message,
            )
        console.print(table)
        if len(s.findings) > 40:
            console.print(_("... and {n} more in the sheet").format(n=len(s.findings) - 40))
    console.print(
        _("sheet: {xlsx} (also {md}, {html}); kept in {history}").format(
            xlsx=o.files["xlsx"],
            md=o.files["markdown"],
            html=o.files["html"],
            history=o.files["history"],
        ),
        markup=False,
        soft_wrap=True,
    )


def _enveloped(doc: dict[str, Any]) -> tuple[dict[str, int], dict[str, Any]]:
    """(counts, own fields) for the JSON envelope: the counts flat (severities beside the
    others), the per-severity table also as the field `by_severity`."""
    counts = dict(doc.pop("counts"))
    by_severity = counts.pop("by_severity")
    return counts | by_severity, doc | {"by_severity": by_severity}


@app.callback(invoke_without_command=True)
def inspect(
    ctx: typer.Context,
    config: Path = ConfigOpt,
    hosts: str | None = HostsOpt,
    group: str | None = GroupOpt,
    json_out: bool = JsonOpt,
    repo: Path = RepoOpt,
    policy: Path = PolicyOpt,
    out: Path = OutOpt,
    fail_on: str = FailOnOpt,
    workers: int | None = WorkersOpt,
    processes: int | None = ProcessesOpt,
    timeout: float = TimeoutOpt,
    retries: int = RetriesOpt,
    engine: str | None = EngineOpt,
) -> None:
    """Inspect every device's health and write the day's sheet (workbook, Markdown, HTML).

    Each run is kept in the backup repository (inspections/); findings are marked new since
    the previous run, and those gone are listed as cleared. With --engine celery the devices
    are read on `netsteward worker`s (one queue per network, docs/celery.md); judging, the
    history and the sheets stay in this process (a broker that does not answer: exit 3,
    nothing written).
    """
    if ctx.invoked_subcommand is not None:
        return
    if fail_on not in SEVERITIES:
        raise BadInput(
            f"unknown severity {fail_on!r}; known: {', '.join(SEVERITIES)}", field="--fail-on"
        )
    outcome = run_inspection(
        config,
        hosts,
        group,
        repo,
        policy,
        out,
        workers=workers,
        options=InspectOptions(timeout=timeout, retries=retries),
        show_progress=not json_out and err_console.is_terminal,
        engine=load_engine_settings(config, engine),
        processes=processes,
    )
    code = exit_code(outcome.summary, fail_on)
    if json_out:
        print_result(
            ctx,
            code,
            *_enveloped(report.as_json(outcome.inspection, outcome.summary, outcome.files)),
        )
    else:
        render(outcome)
    finish(code)


@app.command("report")
def monthly(
    ctx: typer.Context,
    month_: str = typer.Option(..., "--month", help="The month, YYYY-MM."),
    repo: Path = RepoOpt,
    out: Path = OutOpt,
    json_out: bool = JsonOpt,
) -> None:
    """The month's inspection report (workbook, Markdown, HTML) from the kept inspections.
    Exit 0 (also when the month had anomalies: this is a report), 2 no inspection that month."""
    runs = history.month_runs(repo, month_)
    if not runs:
        raise BadInput(f"no inspection in {month_} under {repo / history.SUBDIR}", field="--month")
    r = month.build(month_, runs)
    stem = out / f"inspection-month-{month_}"
    files = {
        "xlsx": str(month.write_workbook(r, stem.with_suffix(".xlsx"))),
        "markdown": str(_write(stem.with_suffix(".md"), month.markdown(r))),
        "html": str(_write(stem.with_suffix(".html"), month.html_report(r))),
    }
    if json_out:
        print_result(ctx, EXIT_CLEAN, *_enveloped(month.as_json(r, files)))
    else:
        c = r.counts()
        console.print(
            _(
                "inspect report {month}: {runs} runs on {days} days, {n} anomalies ({open} open at the "
                "month's end), {u} unreachable device-days"
            ).format(
                month=month_,
                runs=c["runs"],
                days=c["days"],
                n=c["anomalies"],
                open=c["open_at_end"],
                u=c["unreachable_device_days"],
            ),
            markup=False,
            soft_wrap=True,
        )
        console.print(
            _("report: {xlsx} (also {md}, {html})").format(
                xlsx=files["xlsx"], md=files["markdown"], html=files["html"]
            ),
            markup=False,
            soft_wrap=True,
        )
    finish(EXIT_CLEAN)
