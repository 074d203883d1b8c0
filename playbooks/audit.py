"""`netsteward audit firewall`: least-exposure audit of the firewall configurations.

Thin: options -> intent -> configurations (backup repository or one file) ->
`netsteward.tasks.firewall.audit` per firewall -> table / Markdown / HTML / SARIF / JSON -> exit
code (1 when a finding is at or above --fail-on, or a configuration line was not read; else 0;
2 for bad input, a file that is not a configuration of the named platform among it).
"""

from __future__ import annotations

import fnmatch
import json
from datetime import date, datetime
from pathlib import Path

import typer

from netsteward.playbooks.common import (
    DEFAULT_CONFIG,
    ConfigOpt,
    GroupOpt,
    JsonOpt,
    RepoOpt,
    check_inventory_or_fail,
    console,
    err_console,
    finish,
    open_nornir,
    print_result,
)
from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_FINDINGS, BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.firewall import report as fw_report
from netsteward.tasks.firewall.audit import SEVERITY_RANK, AuditResult, audit_config
from netsteward.tasks.firewall.intent import DEFAULT_INTENT, load_intent
from netsteward.tasks.firewall.parsers import PARSERS
from netsteward.tasks.firewall.source import read_file, read_repository

app = typer.Typer(
    help=(
        "Audits: `audit firewall` checks firewall policies against the declared intent; "
        "`audit baseline` checks every configuration against the hardening baseline."
    ),
    no_args_is_help=True,
)


def _as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise BadInput(
            _("not a date (YYYY-MM-DD): {value!r}").format(value=text), field="--as-of"
        ) from None


def _write(path: Path | None, text: str) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


IntentOpt = typer.Option(
    DEFAULT_INTENT, "--intent", help="Intent file: declared servers and allowed flows."
)
AsOfOpt = typer.Option(None, "--as-of", help="Date for expiry checks (YYYY-MM-DD, default today).")
FileOpt = typer.Option(None, "--config-file", help="Audit this one configuration file instead.")
PlatformOpt = typer.Option(
    None, "--platform", help=f"Platform of --config-file: {', '.join(sorted(PARSERS))}."
)
HostsOpt = typer.Option(None, "--hosts", help="Only firewalls whose name matches this glob.")
FailOpt = typer.Option(
    "high",
    "--fail-on",
    help="Exit 1 when a finding has this severity or higher: high, medium, low.",
)
MarkdownOpt = typer.Option(None, "--markdown", help="Write a Markdown report here.")
HtmlOpt = typer.Option(None, "--html", help="Write an HTML report here.")
SarifOpt = typer.Option(None, "--sarif", help="Write SARIF 2.1.0 (CI code scanning) here.")


@app.command("firewall")
def firewall(
    ctx: typer.Context,
    intent: Path = IntentOpt,
    as_of: str = AsOfOpt,
    repo: Path = RepoOpt,
    config_file: Path = FileOpt,
    platform: str = PlatformOpt,
    hosts: str = HostsOpt,
    group: str = GroupOpt,
    fail_on: str = FailOpt,
    markdown: Path = MarkdownOpt,
    html: Path = HtmlOpt,
    sarif: Path = SarifOpt,
    json_out: bool = JsonOpt,
    config: Path = ConfigOpt,
) -> None:
    """Audit firewall rule bases: exposure of declared servers, risky and hygiene findings.

    Reads the backed-up configurations (no device is contacted). Like every job, it
    validates the inventory that --config points at first (when auditing the backup
    repository), so a broken inventory stops it with exit 2.
    """
    if config_file is None and (config.exists() or config != Path(DEFAULT_CONFIG)):
        check_inventory_or_fail(config)
    if fail_on not in SEVERITY_RANK:
        raise BadInput(
            _("must be one of high, medium, low (not {value!r})").format(value=fail_on),
            field="--fail-on",
        )
    when = _as_of(as_of)
    declared = load_intent(intent)
    if config_file is not None:
        if platform is not None and platform not in PARSERS:
            raise BadInput(
                _("unknown platform {platform!r} (known: {known})").format(
                    platform=platform, known=", ".join(sorted(PARSERS))
                ),
                field="--platform",
            )
        configs = [read_file(config_file, platform)]
    else:
        if platform is not None:
            raise BadInput(_("--platform goes with --config-file"), field="--platform")
        configs = read_repository(repo)
        if hosts:
            configs = [c for c in configs if fnmatch.fnmatchcase(c.device, hosts)]
        if group:
            # group membership comes from the inventory; no device is contacted
            members = set(open_nornir(config, hosts, group, need_credentials=False).inventory.hosts)
            configs = [c for c in configs if c.device in members]
        if not configs:
            raise BadInput(
                _("no firewall configurations found (<network>/firewall/<HOST>.cfg)"),
                file=str(repo),
            )
    result = AuditResult()
    for cfg in configs:
        result.extend(audit_config(cfg.platform, cfg.text, declared, when, cfg.device, cfg.path))
    for warning in result.warnings:
        # one warning per line, never wrapped: it names a file and line an editor can jump to
        err_console.print(
            _("netsteward: warning: {warning}").format(warning=warning),
            markup=False,
            soft_wrap=True,
        )
    files = {c.device: c.path for c in configs}
    _write(markdown, fw_report.markdown(result, len(configs), when.isoformat()))
    _write(html, fw_report.html_report(result, len(configs), when.isoformat()))
    if sarif is not None:
        _write(sarif, json.dumps(fw_report.sarif(result, files), indent=2) + "\n")
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)
    # a configuration not fully read was not fully audited: never a clean result
    code = EXIT_FINDINGS if failing or result.read_warnings else EXIT_CLEAN
    if json_out:
        counts = {
            "devices": len(configs),
            "findings": len(result.findings),
            **fw_report.summary(result),
            "exposure": len(result.exposure),
        }
        print_result(ctx, code, counts, fw_report.to_json(result))
    else:
        console.print(fw_report.table(result, len(configs)), end="", markup=False, soft_wrap=True)
    finish(code)
