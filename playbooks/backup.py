"""`netsteward backup`: every device's running configuration into the backup git repository.

Thin: options -> open_nornir (inventory check first) -> collect every device (in this
process, or with `--engine celery` in shards on the workers of each device's queue) ->
judge against the repository -> write the accepted files -> one commit -> summary ->
exit code (0 all backed up, 3 some devices failed; their previous files are kept untouched).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from datetime import time as dtime
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
from netsteward.tasks.backup.collect import (
    BackupOutcome,
    collect_locally,
    judge_all,
)
from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_UNREACHABLE, BadInput
from netsteward.tasks.core.failures import failure_kind
from netsteward.tasks.core.i18n import _, ngettext
from netsteward.tasks.core.processes import process_count
from netsteward.tasks.core.scrub import secret_key_notice
from netsteward.tasks.core.session import SessionOptions
from netsteward.tasks.core.store import BackupStore, Staged
from netsteward.tasks.distributed.settings import EngineSettings, load_engine_settings

log = logging.getLogger(__name__)


DateOpt = typer.Option(
    None,
    "--date",
    help="Date of this run, YYYY-MM-DD (default today, UTC): back-filling and tests.",
)
TagMonthOpt = typer.Option(
    False, "--tag-month", help="Tag the result backup-YYYY-MM (the monthly backup)."
)
ForceOpt = typer.Option(
    False, "--force", help="Accept configurations that shrank by more than half."
)
WorkersOpt = typer.Option(
    None,
    "--workers",
    min=1,
    max=1000,
    help="Concurrent SSH sessions, fixed (default: nornir_config.yaml's runner, which adapts them).",
)
TimeoutOpt = typer.Option(
    60.0, "--timeout", min=1.0, help="Time limit per device in seconds, retries included."
)
RetriesOpt = typer.Option(
    2, "--retries", min=0, max=10, help="Extra attempts for transient failures (with back-off)."
)


@dataclass(frozen=True)
class RunSummary:
    run_date: str
    repo: str
    devices: int
    backed_up: int
    changed: list[str]
    new: list[str]
    unchanged: int
    failed: list[dict[str, str]]
    commit: str | None
    tag: str | None
    push: list[dict[str, Any]]
    seconds: float
    # devices this run found unchanged whose files an earlier run wrote and never committed
    # (it died before its commit): they are in this run's commit, and counted as changed
    recovered: list[str] = field(default_factory=list)

    def headline(self) -> str:
        """The commit message's first line (the backup repository's record: always English)."""
        return (
            f"backup {self.run_date}: {self.backed_up} of {self.devices} devices backed up, "
            f"{len(self.changed)} changed, {self.unchanged} unchanged, {len(self.failed)} failed"
        )

    def summary_line(self) -> str:
        """The headline for people, in their language."""
        return ngettext(
            "backup {date}: {ok} of {n} device backed up, {changed} changed, "
            "{unchanged} unchanged, {failed} failed",
            "backup {date}: {ok} of {n} devices backed up, {changed} changed, "
            "{unchanged} unchanged, {failed} failed",
            self.devices,
        ).format(
            date=self.run_date,
            ok=self.backed_up,
            n=self.devices,
            changed=len(self.changed),
            unchanged=self.unchanged,
            failed=len(self.failed),
        )

    def commit_message(self) -> str:
        lines = [self.headline(), ""]
        if self.changed:
            lines.append(f"changed ({len(self.changed)}):")
            new = set(self.new)
            lines += [f"  {h}{' (new)' if h in new else ''}" for h in self.changed]
        if self.recovered:
            lines += ["", f"recovered ({len(self.recovered)}), written by an earlier run:"]
            lines += [f"  {h}" for h in self.recovered]
        if self.failed:
            lines += ["", f"failed ({len(self.failed)}), previous files kept:"]
            lines += [f"  {f['host']}: {f['failure']}: {f['reason']}" for f in self.failed]
        return "\n".join(lines).rstrip() + "\n"


def _parse_date(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(
            _("not a date (YYYY-MM-DD): {value!r}").format(value=value), field="--date"
        ) from None


def run_backup(
    config: Path,
    hosts: str | None,
    group: str | None,
    repo_dir: Path,
    run_date: date,
    *,
    tag_month: bool,
    force: bool,
    workers: int | None,
    options: SessionOptions,
    show_progress: bool,
    engine: EngineSettings | None = None,
    processes: int | None = None,
) -> RunSummary:
    started = time.monotonic()
    on_celery = engine is not None and engine.engine == "celery"
    # on Celery the workers log in with their own credentials; the coordinator needs none
    nr = open_nornir(config, hosts, group, num_workers=workers, need_credentials=not on_celery)
    total = len(nr.inventory.hosts)
    if total == 0:
        raise BadInput(_("no host in the inventory matches the selection"), field="--hosts/--group")
    if on_celery:
        from netsteward.tasks.distributed.coordinator import check_broker

        assert engine is not None
        check_broker(engine.celery)  # broker down: one line, exit 3, nothing written
    store = BackupStore.open(repo_dir)
    progress = fleet_progress(_("backup"), err_console, show_progress)
    with progress:
        bar = ProgressProcessor(progress, total)
        if on_celery:
            from netsteward.tasks.distributed.jobs import backup_on_workers, hosts_of

            assert engine is not None
            collected = backup_on_workers(
                hosts_of(nr),
                engine.celery,
                options,
                workers,
                bar.advance,
            )
        else:
            count = process_count(processes, workers, total)
            collected = collect_locally(nr, options, count, bar)
    outcomes: dict[str, BackupOutcome] = judge_all(collected, store, force=force)
    failed = [
        {"host": h, "failure": o.failure or "error", "reason": o.reason or ""}
        for h, o in sorted(outcomes.items())
        if not o.ok
    ]
    ok = {h: o for h, o in outcomes.items() if o.ok}
    changed = sorted(h for h, o in ok.items() if o.changed)
    summary = RunSummary(
        run_date=run_date.isoformat(),
        repo=str(store.root),
        devices=total,
        backed_up=len(ok),
        changed=changed,
        new=sorted(h for h in changed if ok[h].new),
        unchanged=len(ok) - len(changed),
        failed=failed,
        commit=None,
        tag=None,
        push=[],
        seconds=0.0,
    )
    when = datetime.combine(
        run_date,
        datetime.now(UTC).time() if run_date == datetime.now(UTC).date() else dtime(2, 0),
        UTC,
    )
    files = [(f.path, f.text) for h in changed for f in ok[h].files]
    same = [f.path for h in sorted(set(ok) - set(changed)) for f in ok[h].files]
    host_of = {f.path: h for h, o in ok.items() for f in o.files}
    committed = [summary]

    def message(staged: Staged) -> str:
        """The message from what the commit holds, not from what this run wrote."""
        in_commit = {host_of[p] for p in (*staged.added, *staged.modified) if p in host_of}
        added = set(staged.added)
        final = replace(
            summary,
            changed=sorted(in_commit),
            new=sorted(h for h in in_commit if all(f.path in added for f in ok[h].files)),
            unchanged=len(ok) - len(in_commit),
            recovered=sorted(in_commit - set(changed)),
        )
        committed[0] = final
        return final.commit_message()

    with store.writing():
        done = store.commit_backups(files, message, when, unchanged=same)
        if done.sha is None:  # nothing differs from the last commit: nothing changed
            committed[0] = replace(summary, changed=[], new=[], unchanged=len(ok))
        summary = committed[0]
        if done.moved:
            log.warning(
                _("removed %d file(s) of devices that moved network or role"), len(done.moved)
            )
        sha = done.sha
        tag = None
        if tag_month:
            tag = store.tag_month(run_date.strftime("%Y-%m"), summary.headline(), sha)
    pushed = []
    if store.repo is not None and store.repo.remotes and (sha or tag):
        pushed = [vars(p) for p in store.push([tag] if tag else [])]
        for p in pushed:
            if not p["ok"]:
                log.warning(_("push to %s failed: %s"), p["remote"], p["detail"])
    return RunSummary(
        **{
            **vars(summary),
            "commit": sha,
            "tag": tag,
            "push": pushed,
            "seconds": round(time.monotonic() - started, 2),
        }
    )


def render(summary: RunSummary) -> None:
    console.print(summary.summary_line(), markup=False, soft_wrap=True)
    table = Table(show_edge=False)
    table.add_column(_("result"))
    table.add_column(_("devices"), justify="right")
    table.add_row(_("backed up"), str(summary.backed_up))
    table.add_row(
        "  " + _("changed"),
        f"{len(summary.changed)}"
        + (" " + _("({n} new)").format(n=len(summary.new)) if summary.new else ""),
    )
    table.add_row("  " + _("unchanged"), str(summary.unchanged))
    table.add_row(
        _("failed (previous files kept)"),
        str(len(summary.failed)),
        style="red" if summary.failed else None,
    )
    console.print(table)
    if summary.failed:
        console.print(_("failed devices (previous files kept):"))
        ft = Table(show_edge=False)
        for col in (_("host"), _("failure"), _("reason")):
            ft.add_column(col)
        for f in summary.failed:
            ft.add_row(f["host"], failure_kind(f["failure"]), f["reason"])
        console.print(ft)
    if summary.changed and len(summary.changed) <= 20:
        console.print(_("changed: {hosts}").format(hosts=", ".join(summary.changed)))
    if summary.commit:
        console.print(
            (
                _("commit {sha} in {repo}, tag {tag}")
                if summary.tag
                else _("commit {sha} in {repo}")
            ).format(sha=summary.commit[:12], repo=summary.repo, tag=summary.tag)
        )
    else:
        console.print(
            (
                _("no commit: nothing changed in {repo} (tag {tag})")
                if summary.tag
                else _("no commit: nothing changed in {repo}")
            ).format(repo=summary.repo, tag=summary.tag)
        )
    for p in summary.push:
        console.print(
            (_("push {remote}: ok") if p["ok"] else _("push {remote}: FAILED: {detail}")).format(
                remote=p["remote"], detail=p["detail"]
            )
        )
    console.print(
        ngettext("{n} device in {seconds} s", "{n} devices in {seconds} s", summary.devices).format(
            n=summary.devices, seconds=f"{summary.seconds:.1f}"
        )
    )


def register(main_app: typer.Typer) -> None:
    @main_app.command("backup")
    def backup(
        ctx: typer.Context,
        config: Path = ConfigOpt,
        hosts: str | None = HostsOpt,
        group: str | None = GroupOpt,
        json_out: bool = JsonOpt,
        repo: Path = RepoOpt,
        run_date: str | None = DateOpt,
        tag_month: bool = TagMonthOpt,
        force: bool = ForceOpt,
        workers: int | None = WorkersOpt,
        processes: int | None = ProcessesOpt,
        timeout: float = TimeoutOpt,
        retries: int = RetriesOpt,
        engine: str | None = EngineOpt,
    ) -> None:
        """Back up every device's running configuration (and Brocade zoning) into git.

        One commit per run, no commit when nothing changed. Secrets are masked and
        volatile lines dropped before anything is written. A device that fails keeps
        its previous file; the run goes on. Exit 0 all backed up, 3 some failed (or the
        Celery engine's broker does not answer: nothing written).
        """
        settings = load_engine_settings(config, engine)
        summary = run_backup(
            config,
            hosts,
            group,
            repo,
            _parse_date(run_date),
            tag_month=tag_month,
            force=force,
            workers=workers,
            options=SessionOptions(timeout=timeout, retries=retries),
            show_progress=not json_out and err_console.is_terminal,
            engine=settings,
            processes=processes,
        )
        code = EXIT_UNREACHABLE if summary.failed else EXIT_CLEAN
        if json_out:
            counts = {
                "devices": summary.devices,
                "backed_up": summary.backed_up,
                "changed": len(summary.changed),
                "new": len(summary.new),
                "unchanged": summary.unchanged,
                "failed": len(summary.failed),
            }
            print_result(
                ctx,
                code,
                counts,
                {
                    "date": summary.run_date,
                    "repo": summary.repo,
                    "seconds": summary.seconds,
                    "changed": summary.changed,
                    "failed": summary.failed,
                    "commit": summary.commit,
                    "tag": summary.tag,
                    "push": summary.push,
                    "recovered": summary.recovered,
                    # secrets masked with a keyed fingerprint (NETSTEWARD_SECRET_KEY set)
                    "secret_fingerprints": secret_key_notice() is None,
                },
            )
        else:
            render(summary)
            notice = secret_key_notice()
            if notice:
                console.print(notice, markup=False, soft_wrap=True)
        finish(code)
