"""The `netsteward` command: one sub-command per job.

Each job lives in its own playbooks module that defines `app` (a typer.Typer) or
`register(main_app)`. Jobs are listed here explicitly, in the order `--help` shows.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import typer

from netsteward.tasks.core import i18n
from netsteward.tasks.core.errors import EXIT_INTERNAL, BadInput, NetstewardError
from netsteward.tasks.core.i18n import _

app = typer.Typer(
    name="netsteward",
    help=(
        "Network automation for the Yimin Building: monthly backups into git, port "
        "descriptions and loop protection, firewall least-exposure audit, hardening "
        "baseline audit (MLPS 2.0), topology snapshots and diagrams, and drift checks.\n\n"
        "Exit codes: 0 clean, 1 findings/drift/changes, 2 bad input, 3 devices unreachable "
        "or unreadable (70: internal error, a bug)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

LangOpt = typer.Option(
    None,
    "--lang",
    metavar="en|zh",
    help=(
        "Language of reports, summaries and messages: en (English) or zh (Chinese). "
        "Default: $NETSTEWARD_LANG, else `user_defined: {language: ...}` in "
        "nornir_config.yaml, else en. --json keys, check ids, JUnit and SARIF ids stay as they are."
    ),
)


@app.callback()
def _global_options(lang: str | None = LangOpt) -> None:
    """Options before the job name: `netsteward --lang zh backup`."""
    from netsteward.playbooks.common import apply_site_language

    try:
        i18n.set_language(lang)
        i18n.normalise_language(os.environ.get(i18n.ENV))
    except ValueError as exc:
        raise BadInput(str(exc), field="--lang" if lang else i18n.ENV) from None
    apply_site_language(None)


# (module, sub-command name or None when the module registers itself)
JOBS: list[tuple[str, str | None]] = [
    ("netsteward.playbooks.inventory_cmd", "inventory"),
    ("netsteward.playbooks.backup", None),
    ("netsteward.playbooks.topology", "topology"),
    ("netsteward.playbooks.normalize", "normalize"),
    ("netsteward.playbooks.audit", "audit"),
    ("netsteward.playbooks.audit_baseline", None),  # `audit baseline`, on the audit group
    ("netsteward.playbooks.drift", None),
    ("netsteward.playbooks.inspect", "inspect"),
    ("netsteward.playbooks.parse", None),
    ("netsteward.playbooks.lab_cmd", None),
]


def _register() -> None:
    for module_name, name in JOBS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # job not built yet
                continue
            raise
        if hasattr(module, "register"):
            module.register(app)
        else:
            app.add_typer(module.app, name=name)


_register()


def main() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if not os.environ.get("NETSTEWARD_DEBUG"):
        # paramiko logs every failed log-in with its traceback; the device session reports
        # each failure as one line (kind and reason), so its log only repeats it at length
        logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    try:
        app()  # standalone: typer turns usage errors into exit 2 and typer.Exit into its code
    except NetstewardError as exc:
        typer.echo(f"netsteward: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        # A bug, not an outcome: never exit 1 ("findings") or 0 by accident.
        if os.environ.get("NETSTEWARD_DEBUG"):
            raise
        typer.echo(
            _(
                "netsteward: internal error: {error} (set NETSTEWARD_DEBUG=1 for the traceback)"
            ).format(error=f"{type(exc).__name__}: {exc}"),
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
