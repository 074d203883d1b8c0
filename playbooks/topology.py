"""`netsteward topology snapshot|diff|draw|report`: LLDP discovery, monthly snapshots, diffs, diagrams.

netsteward topology snapshot [--date D] [--repo configs] [--no-commit] [--engine local|celery]
netsteward topology diff [FROM] [TO] [--format table|markdown] [--json]    # exit 1 on change
netsteward topology draw [SNAPSHOT] --out DIR [--keep OLD.drawio]
netsteward topology report --year YYYY --out DIR [--keep LAST_YEAR.drawio]
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import typer
from rich.markup import escape
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
from netsteward.tasks.core.errors import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_UNREACHABLE,
    BadInput,
)
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.processes import process_count, read_in_processes
from netsteward.tasks.core.reading import ReadWarning
from netsteward.tasks.distributed.settings import EngineSettings, load_engine_settings
from netsteward.tasks.topology.changes import change_header, change_rows, diff_markdown, shown_row
from netsteward.tasks.topology.discovery import discover_hosts
from netsteward.tasks.topology.export.drawio import read_positions
from netsteward.tasks.topology.layout import layout
from netsteward.tasks.topology.lldp import neighbors_unread
from netsteward.tasks.topology.model import (
    Snapshot,
    TopologyDiff,
    build_snapshot,
    diff_snapshots,
    diff_to_dict,
    inventory_node,
    load_snapshot,
)
from netsteward.tasks.topology.report import (
    empty_diff,
    merge_for_report,
    merged_pages,
    write_outputs,
)
from netsteward.tasks.topology.store import (
    default_pair,
    list_snapshots,
    resolve,
    snapshots_of_year,
    write_snapshot,
)

log = logging.getLogger(__name__)

app = typer.Typer(
    help="Topology: LLDP discovery, monthly snapshots, diffs and the annual diagram.",
    no_args_is_help=True,
)

OutOpt = typer.Option(Path("topology-out"), "--out", help="Folder for the diagram files.")
KeepOpt = typer.Option(
    None, "--keep", help="Last diagram (.drawio): node positions moved by hand there are kept."
)


def discover(
    config: Path,
    hosts: str | None,
    group: str | None,
    date: str,
    use_napalm: bool = True,
    *,
    engine: EngineSettings | None = None,
    show_progress: bool = False,
    processes: int | None = None,
) -> tuple[Snapshot, dict[str, str], dict[str, tuple[ReadWarning, ...]]]:
    """Run discovery on the selected devices: the snapshot, {host: reason} of those that
    failed, and {host: warnings} of those whose outputs were not fully read.

    With the Celery engine the devices are read on the workers of each host's queue
    (`discover_hosts` there, the same function as here); the snapshot is built here."""
    on_celery = engine is not None and engine.engine == "celery"
    # the whole inventory names the peers, even in a partial run; on Celery the workers log
    # in with their own credentials, the coordinator needs none
    every = open_nornir(config, need_credentials=not on_celery)
    inventory = [
        inventory_node(h.name, h.hostname or "", h.port, h.platform or "", dict(h.data))
        for h in every.inventory.hosts.values()
    ]
    nr = (
        open_nornir(config, hosts, group, need_credentials=not on_celery)
        if (hosts or group)
        else every
    )
    if on_celery:
        from netsteward.tasks.distributed.coordinator import check_broker

        assert engine is not None
        check_broker(engine.celery)  # broker down: one line, exit 3, nothing written
    total = len(nr.inventory.hosts)
    progress = fleet_progress("topology", err_console, show_progress)  # the command's name
    with progress:
        bar = ProgressProcessor(progress, total)
        if on_celery:
            from netsteward.tasks.distributed.jobs import hosts_of
            from netsteward.tasks.distributed.read_jobs import topology_on_workers

            assert engine is not None
            by_host, failed = topology_on_workers(
                hosts_of(nr), engine.celery, use_napalm, bar.advance
            )
        else:
            by_host, failed = read_in_processes(
                nr,
                lambda share, processors: discover_hosts(share, use_napalm, processors),
                process_count(processes, None, total),
                bar,
            )
    found = [by_host[name] for name in nr.inventory.hosts if name in by_host]
    failed = dict(sorted(failed.items()))  # the same order whichever engine read them
    scope = set(nr.inventory.hosts) if (hosts or group) else None
    unread = {d.name: d.warnings for d in found if d.warnings}
    platforms = {n.name: n.platform for n in inventory}
    snap = build_snapshot(
        found,
        inventory,
        date,
        unreachable=sorted(failed),
        scope=scope,
        neighbors_unread=neighbors_unread(unread, platforms),
    )
    return snap, failed, unread


@app.command()
def snapshot(
    ctx: typer.Context,
    config: Path = ConfigOpt,
    hosts: str = HostsOpt,
    group: str = GroupOpt,
    json_out: bool = JsonOpt,
    repo: Path = RepoOpt,
    date: str = typer.Option(None, "--date", help="Snapshot date YYYY-MM-DD (default: today)."),
    commit: bool = typer.Option(
        True, "--commit/--no-commit", help="Commit the snapshot into the repository."
    ),
    napalm: bool = typer.Option(
        True, "--napalm/--no-napalm", help="Read Cisco LLDP through napalm's ios driver."
    ),
    engine: str | None = EngineOpt,
    processes: int | None = ProcessesOpt,
) -> None:
    """Discover the network (LLDP, LAGs, facts) and store the day's snapshot as topology/DATE.json.

    With --engine celery the devices are read on `netsteward worker`s (one queue per
    network, docs/celery.md) and the snapshot is built and committed here, as locally.
    Exit 0 all read, 3 some devices unreachable or not fully read (or the broker does not
    answer: nothing written).
    """
    day = date or dt.date.today().isoformat()
    settings = load_engine_settings(config, engine)
    started = time.monotonic()
    snap, failed, unread = discover(
        config,
        hosts,
        group,
        day,
        napalm,
        engine=settings,
        show_progress=not json_out and err_console.is_terminal,
        processes=processes,
    )
    path, committed = write_snapshot(repo, snap, commit=commit)
    seconds = time.monotonic() - started
    one_sided = sum(1 for lk in snap.links.values() if lk.seen == "one-sided")
    summary = {
        "date": day,
        "file": str(path),
        "committed": committed,
        "nodes": len(snap.nodes),
        "unknown_nodes": sum(1 for n in snap.nodes.values() if n.kind == "unknown"),
        "links": len(snap.links),
        "lag_links": sum(1 for lk in snap.links.values() if lk.kind == "lag"),
        "one_sided_links": one_sided,
        "declared_links": sum(1 for lk in snap.links.values() if lk.seen == "declared"),
        "unreachable": failed,
        "neighbors_unread": snap.neighbors_unread,
        "read_warnings": {h: [w.as_dict() for w in ws] for h, ws in sorted(unread.items())},
        "seconds": round(seconds, 2),
    }
    code = EXIT_UNREACHABLE if failed or unread else EXIT_CLEAN
    if json_out:
        counts = {k: v for k, v in summary.items() if isinstance(v, int) and k != "committed"}
        print_result(ctx, code, counts | {"unreachable": len(failed)}, summary)
    else:
        console.print(
            _(
                "topology {date}: {nodes} nodes ({unknown} unknown), {links} links ({lag} LAG, "
                "{one_sided} one-sided, {declared} declared) in {seconds} s -> {path}"
            ).format(
                date=day,
                nodes=summary["nodes"],
                unknown=summary["unknown_nodes"],
                links=summary["links"],
                lag=summary["lag_links"],
                one_sided=one_sided,
                declared=summary["declared_links"],
                seconds=f"{seconds:.1f}",
                path=path,
            )
            + (" (committed)" if committed else "")
        )
        for host, reason in sorted(failed.items()):
            err_console.print(
                _("unreachable: {host}: {reason}").format(host=host, reason=reason),
                markup=False,
                soft_wrap=True,
            )
        for host, reason in snap.neighbors_unread.items():
            err_console.print(
                _("neighbours of {host} {reason}").format(host=host, reason=reason), markup=False
            )
        if unread:
            err_console.print(
                _("{warnings} warning(s) about output not read on {devices} device(s)").format(
                    warnings=sum(len(ws) for ws in unread.values()), devices=len(unread)
                )
                + " (--json: read_warnings)",
                markup=False,
            )
    finish(code)


def _table(d: TopologyDiff) -> Table:
    table = Table(title=_("Topology changes {old} -> {new}").format(old=d.old_date, new=d.new_date))
    for col in change_header():
        table.add_column(col, overflow="fold")
    colours = {"added": "green", "removed": "red", "changed": "dark_orange"}
    for r in change_rows(d):
        change, what, name, before, after, detail = shown_row(r)
        name = name if r.what == "device" else ""  # a link's ends are in before/after (key: --json)
        table.add_row(
            f"[{colours[r.change]}]{escape(change)}[/]",
            escape(what),
            escape(name),
            escape(before),
            escape(after),
            escape(detail),
        )
    return table


@app.command()
def diff(
    ctx: typer.Context,
    config: Path = ConfigOpt,  # accepted on every job; these commands read only the repository
    from_: str = typer.Argument(
        None, metavar="[FROM]", help="Date, snapshot file or git revision."
    ),
    to: str = typer.Argument(None, metavar="[TO]", help="Date, snapshot file or git revision."),
    repo: Path = RepoOpt,
    fmt: str = typer.Option("table", "--format", help="table or markdown."),
    json_out: bool = JsonOpt,
) -> None:
    """What changed between two snapshots (default: the previous one and the latest). Exit 1 on change."""
    if fmt not in ("table", "markdown"):
        raise BadInput(
            _("unknown format {value!r} (table or markdown)").format(value=fmt), field="--format"
        )
    if from_ is None and to is None:
        old, new = default_pair(repo)
    elif to is None:
        old = resolve(repo, from_)
        files = list_snapshots(repo)
        if not files:
            raise BadInput(
                _("no snapshots in {folder}").format(folder=repo / "topology"), field="TO"
            )
        new = load_snapshot(files[-1])
    else:
        old, new = resolve(repo, from_), resolve(repo, to)
    d = diff_snapshots(old, new)
    code = EXIT_FINDINGS if d.changed else EXIT_CLEAN
    if json_out:
        doc = diff_to_dict(d)
        counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
        print_result(ctx, code, counts, doc)
    elif fmt == "markdown":
        console.out(diff_markdown(d), end="")
    elif d.changed:
        console.print(_table(d))
    else:
        console.print(
            _("no topology changes {old} -> {new}").format(old=d.old_date, new=d.new_date)
        )
    finish(code)


def _keep(path: Path | None) -> dict[str, tuple[float, float]]:
    if path is None:
        return {}
    try:
        return read_positions(path.read_text())
    except OSError as exc:
        raise BadInput(
            _("cannot read ({error})").format(error=exc.strerror), file=str(path), field="--keep"
        ) from None


@app.command()
def draw(
    ctx: typer.Context,
    config: Path = ConfigOpt,  # accepted on every job; these commands read only the repository
    snapshot_spec: str = typer.Argument(
        None, metavar="[SNAPSHOT]", help="Date, file or revision (default: latest)."
    ),
    repo: Path = RepoOpt,
    out: Path = OutOpt,
    keep: Path = KeepOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Draw one snapshot: draw.io (several pages), SVG and PNG per page, and GraphML."""
    if snapshot_spec:
        snap = resolve(repo, snapshot_spec)
    else:
        files = list_snapshots(repo)
        if not files:
            raise BadInput(
                _("no snapshots in {folder}").format(folder=repo / "topology"), field="SNAPSHOT"
            )
        snap = load_snapshot(files[-1])
    started = time.monotonic()
    pages = layout(snap, keep=_keep(keep))
    written = write_outputs(pages, out, f"topology-{snap.date}", None, graph=(snap, {}))
    seconds = time.monotonic() - started
    if json_out:
        print_result(
            ctx,
            EXIT_CLEAN,
            {"pages": len(pages), "files": len(written)},
            {
                "date": snap.date,
                "pages": [p.name for p in pages],
                "files": written,
                "seconds": round(seconds, 2),
            },
        )
    else:
        console.print(
            _("topology {date}: {pages} pages, {files} files in {out} ({seconds} s)").format(
                date=snap.date,
                pages=len(pages),
                files=len(written),
                out=out,
                seconds=f"{seconds:.1f}",
            )
        )
    finish(EXIT_CLEAN)


@app.command()
def report(
    ctx: typer.Context,
    config: Path = ConfigOpt,  # accepted on every job; these commands read only the repository
    year: int = typer.Option(
        ..., "--year", help="The report year: first snapshot of the year against the last."
    ),
    repo: Path = RepoOpt,
    out: Path = OutOpt,
    keep: Path = KeepOpt,
    json_out: bool = JsonOpt,
) -> None:
    """The annual diagram: the year's changes coloured (added green, removed red dashed, changed orange), with the changes table and GraphML."""
    files = snapshots_of_year(repo, year)
    if not files:
        raise BadInput(
            _("no snapshots of {year} in {folder}").format(year=year, folder=repo / "topology"),
            field="--year",
        )
    first, last = load_snapshot(files[0]), load_snapshot(files[-1])
    if keep is None:
        previous = out / f"topology-{year - 1}.drawio"
        keep = previous if previous.exists() else None
    started = time.monotonic()
    merged, status, d = merge_for_report(first, last)  # once: pages and GraphML share it
    pages = merged_pages(
        merged,
        status,
        d,
        _keep(keep),
        title=_("Topology changes {year}: {first} \u2192 {last}").format(
            year=year, first=first.date, last=last.date
        ),
    )
    written = write_outputs(
        pages,
        out,
        f"topology-{year}",
        d if len(files) > 1 else empty_diff(last),
        graph=(merged, status),
    )
    seconds = time.monotonic() - started
    summary = {
        "year": year,
        "from": first.date,
        "to": last.date,
        "snapshots": len(files),
        "changes": len(change_rows(d)),
        "pages": [p.name for p in pages],
        "files": written,
        "kept_positions_from": keep,
        "seconds": round(seconds, 2),
    }
    if json_out:
        counts = {"snapshots": len(files), "changes": len(change_rows(d))}
        counts |= {"pages": len(pages), "files": len(written)}
        print_result(ctx, EXIT_CLEAN, counts, summary)
    else:
        console.print(
            _(
                "topology report {year} ({first} -> {last}, {snapshots} snapshots): "
                "{changes} changes, {pages} pages, {files} files in {out}"
            ).format(
                year=year,
                first=first.date,
                last=last.date,
                snapshots=len(files),
                changes=summary["changes"],
                pages=len(pages),
                files=len(written),
                out=out,
            )
        )
    finish(EXIT_CLEAN)
