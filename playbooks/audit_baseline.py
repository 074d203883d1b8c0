"""`netsteward audit baseline`: every configuration against the hardening baseline (issue 15).

Thin: options -> rules, waivers, port policy -> configurations (backup repository through
the inventory, or one file) -> `netsteward.tasks.baseline.check` per device -> waivers ->
table / Markdown / HTML / SARIF / JSON, and with --plan a normalize plan -> exit code
(3 when a selected device could not be audited, else 1 when a counted finding is at or
above --fail-on, else 0; 2 for bad input, before anything is read).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from netsteward.playbooks.audit import (
    AsOfOpt,
    FileOpt,
    HtmlOpt,
    MarkdownOpt,
    SarifOpt,
    _as_of,
    _write,
)
from netsteward.playbooks.common import (
    ConfigOpt,
    GroupOpt,
    JsonOpt,
    RepoOpt,
    console,
    err_console,
    finish,
    open_nornir,
    print_result,
    select_hosts,
)
from netsteward.tasks.baseline import report
from netsteward.tasks.baseline.check import Device, audit_device
from netsteward.tasks.baseline.rules import DEFAULT_RULES, SEVERITY_RANK, Rules, load_rules
from netsteward.tasks.baseline.source import Sources, from_backups, from_file
from netsteward.tasks.baseline.waivers import apply_waivers, load_waivers
from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREACHABLE, BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.ports.policy import (
    DEFAULT_POLICY,
    KNOWN_ROLES,
    PortPolicy,
    check_policy_hosts,
    load_policy,
)

RulesOpt = typer.Option(
    DEFAULT_RULES, "--rules", help="Rule directory: controls.yaml, site.yaml, <platform>.yaml."
)
WaiversOpt = typer.Option(
    None, "--waivers", help="Waiver file (default: waivers.yaml in the rule directory, if any)."
)
PlatformOpt = typer.Option(None, "--platform", help="Platform of --config-file (netmiko name).")
RoleOpt = typer.Option(
    None,
    "--role",
    help=f"Role of --config-file ({', '.join(KNOWN_ROLES)}); role-specific checks need it.",
)
HostsOpt = typer.Option(None, "--hosts", help="Only devices whose name matches this glob.")
FailOpt = typer.Option(
    "high",
    "--fail-on",
    help="Exit 1 when a counted finding has this severity or higher: high, medium, low.",
)
GroupByOpt = typer.Option(
    "device", "--group-by", help="Group the report by device, check or control (GB/T 22239 clause)."
)
PlanOpt = typer.Option(
    None, "--plan", help="Write the automatic fixes as a plan for `netsteward normalize apply`."
)
PortPolicyOpt = typer.Option(
    DEFAULT_POLICY,
    "--port-policy",
    help="Port policy: what an unused port is, section exits for --plan.",
)


def _inventory(
    config: Path, hosts: str | None, group: str | None
) -> tuple[dict[str, Device], set[str]]:
    """Every inventory host as a `Device`, and the names `--hosts`/`--group` select."""
    nr = open_nornir(config, None, None, need_credentials=False)
    devices = {
        name: Device(
            name,
            h.platform or "",
            str(h.get("role") or "") or None,
            str(h.get("network") or "") or None,
            h.get("model"),
        )
        for name, h in nr.inventory.hosts.items()
    }
    selected = (
        set(select_hosts(nr, hosts, group).inventory.hosts) if hosts or group else set(devices)
    )
    return devices, selected


def _sources(
    config: Path,
    repo: Path,
    config_file: Path | None,
    platform: str | None,
    role: str | None,
    hosts: str | None,
    group: str | None,
    rules: Rules,
    policy: tuple[PortPolicy, Path] | None = None,
) -> Sources:
    """The configurations to audit: one file, or the backups of the selected inventory hosts
    (then the port policy's host exceptions must name inventory hosts: exit 2 otherwise)."""
    if config_file is not None:
        if hosts or group:
            raise BadInput(
                "--hosts/--group select from the backups, not with --config-file",
                field="--config-file",
            )
        if platform is None:
            raise BadInput("give --platform with --config-file", field="--platform")
        if platform not in rules.platforms:
            raise BadInput(
                f"no rule file for {platform!r} (rules for: {', '.join(sorted(rules.platforms))})",
                field="--platform",
            )
        if role is not None and role not in KNOWN_ROLES:
            raise BadInput(
                f"unknown role {role!r}; roles are {', '.join(KNOWN_ROLES)}", field="--role"
            )
        return from_file(config_file, platform, role)
    for opt, value in (("--platform", platform), ("--role", role)):
        if value is not None:
            raise BadInput(f"{opt} goes with --config-file", field=opt)
    devices, selected = _inventory(config, hosts, group)
    if policy is not None:
        check_policy_hosts(policy[0], policy[1], set(devices))
    return from_backups(repo, devices, selected)


def baseline(
    ctx: typer.Context,
    rules_dir: Path = RulesOpt,
    waivers_file: Path = WaiversOpt,
    as_of: str = AsOfOpt,
    repo: Path = RepoOpt,
    config_file: Path = FileOpt,
    platform: str = PlatformOpt,
    role: str = RoleOpt,
    hosts: str = HostsOpt,
    group: str = GroupOpt,
    fail_on: str = FailOpt,
    group_by: str = GroupByOpt,
    markdown: Path = MarkdownOpt,
    html: Path = HtmlOpt,
    sarif: Path = SarifOpt,
    plan_file: Path = PlanOpt,
    port_policy: Path = PortPolicyOpt,
    json_out: bool = JsonOpt,
    config: Path = ConfigOpt,
) -> None:
    """Check every configuration against the hardening baseline (MLPS 2.0 / GB/T 22239-2019 level 3).

    Reads the backed-up configurations (no device is contacted), or one --config-file.
    Rule files are validated first: a mistake is one line naming file, line and field
    (exit 2). Waived findings are listed but not counted; an expired waiver counts again.
    """
    if fail_on not in SEVERITY_RANK:
        raise BadInput(f"must be one of high, medium, low (not {fail_on!r})", field="--fail-on")
    if group_by not in report.GROUPS:
        raise BadInput(
            f"must be one of {', '.join(report.GROUPS)} (not {group_by!r})", field="--group-by"
        )
    when = _as_of(as_of)
    rules = load_rules(rules_dir)
    default_waivers = Path(rules_dir) / "waivers.yaml"
    waiver_path = waivers_file or (default_waivers if default_waivers.exists() else None)
    waivers = load_waivers(waiver_path, rules) if waiver_path is not None else []
    policy: PortPolicy | None = (
        load_policy(port_policy) if (port_policy.exists() or plan_file) else None
    )
    sources = _sources(
        config,
        repo,
        config_file,
        platform,
        role,
        hosts,
        group,
        rules,
        (policy, port_policy) if policy is not None else None,
    )

    run = report.AuditRun(
        as_of=when.isoformat(), rules_digest=rules.digest, unknown=sources.unknown
    )
    run.problems.update(sources.missing)
    findings = []
    for src in sources.configs:
        run.files[src.device.host] = src.device.path
        result = audit_device(src.device, src.text, rules, policy)
        if result.problem:
            run.problems[src.device.host] = result.problem
            continue
        run.devices += 1
        run.checks += result.checks
        run.skipped_role += result.skipped_role
        findings += result.findings
    waived = apply_waivers(findings, waivers, when)
    run.findings, run.unused_waivers = waived.findings, waived.unused

    _write(markdown, report.markdown(run, rules, group_by))
    _write(html, report.html_report(run, rules, group_by))
    if sarif is not None:
        _write(sarif, json.dumps(report.sarif(run, rules), indent=2, ensure_ascii=False) + "\n")
    plan_note = None
    if plan_file is not None:
        plan_note = _write_plan(plan_file, run, sources, policy, rules)
    code = (
        EXIT_UNREACHABLE if run.problems else EXIT_FINDINGS if run.failing(fail_on) else EXIT_CLEAN
    )
    if json_out:
        data = report.to_json(run)
        data["plan"] = plan_note
        summ = data["summary"]
        counts = {k: v for k, v in summ.items() if isinstance(v, int)}
        counts |= summ["by_severity"]
        print_result(ctx, code, counts, data)
    else:
        console.print(report.table(run, rules, group_by), end="", markup=False, soft_wrap=True)
        if plan_note:
            console.print(
                _(
                    "plan written to {file}: {changes} change(s) on {devices} device(s); "
                    "{advice} fixable finding(s) on platforms without an apply path"
                ).format(**plan_note),
                markup=False,
                soft_wrap=True,
            )
        if run.skipped_role:
            err_console.print(
                _("netsteward: {n} role-specific check(s) not applied: give --role").format(
                    n=run.skipped_role
                ),
                markup=False,
            )
    finish(code)


def _write_plan(
    path: Path, run: report.AuditRun, sources: Sources, policy: PortPolicy | None, rules: Rules
) -> dict[str, object]:
    from netsteward.playbooks.normalize import who
    from netsteward.tasks.baseline.remediate import build_plan

    assert policy is not None  # loaded whenever --plan is given
    result = build_plan(
        run.findings, sources.configs, policy, digest=rules.digest, created_by=who()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.plan.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return {
        "file": str(path),
        "devices": len(result.plan.changed()),
        "changes": sum(len(d.changes) for d in result.plan.devices),
        "advice": result.advice_only,
    }


def register(main_app: typer.Typer) -> None:
    """Add `baseline` to the `audit` command group (registered before by netsteward.playbooks.audit)."""
    from netsteward.playbooks.audit import app as audit_app

    audit_app.command("baseline")(baseline)
