"""The `netsteward` command: one sub-command per job.

Each job lives in its own playbooks module that defines `app` (a typer.Typer) or
`register(main_app)`. Jobs are listed here explicitly, in the order `--help` shows; a run
imports only the job it names (`register`). Code that drives `app` itself (CliRunner in
tests) calls `register()` first.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from importlib.metadata import version
from typing import Any

import typer

from netsteward.playbooks.common import envelope, print_json
from netsteward.tasks.core import i18n
from netsteward.tasks.core.errors import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_UNREACHABLE,
    BadInput,
    NetstewardError,
)
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


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"netsteward {version('netsteward')}")
        raise typer.Exit(0)


VersionOpt = typer.Option(
    False,
    "--version",
    is_eager=True,
    callback=_show_version,
    help="Print the installed version and exit.",
)


@app.callback()
def _global_options(lang: str | None = LangOpt, _version: bool = VersionOpt) -> None:
    """Options before the job name: `netsteward --lang zh backup`, `netsteward --version`."""
    from netsteward.playbooks.common import apply_site_language

    try:
        i18n.set_language(lang)
        i18n.normalise_language(os.environ.get(i18n.ENV))
    except ValueError as exc:
        raise BadInput(str(exc), field="--lang" if lang else i18n.ENV) from None
    apply_site_language(None)


# (module, sub-command name or None when the module registers itself, the top-level
# commands it gives)
JOBS: list[tuple[str, str | None, str]] = [
    ("netsteward.playbooks.inventory_cmd", "inventory", "inventory"),
    ("netsteward.playbooks.backup", None, "backup"),
    ("netsteward.playbooks.topology", "topology", "topology"),
    ("netsteward.playbooks.normalize", "normalize", "normalize"),
    ("netsteward.playbooks.audit", "audit", "audit"),
    ("netsteward.playbooks.audit_baseline", None, "audit"),  # `audit baseline`, on the audit group
    ("netsteward.playbooks.drift", None, "drift"),
    ("netsteward.playbooks.inspect", "inspect", "inspect"),
    ("netsteward.playbooks.parse", None, "parse"),
    ("netsteward.playbooks.lab_cmd", None, "lab"),
    ("netsteward.playbooks.worker", None, "worker"),
]
_registered: set[str] = set()


def register(command: str | None = None) -> None:
    """Import the job modules and add their commands to `app`: only those of the top-level
    `command` when it is one (each job module imports its own libraries: registering
    every job cost half a second of every run), else all of them (`--help`, a typo).
    Each module is registered once."""
    known = {gives for _module, _name, gives in JOBS}
    for module_name, name, gives in JOBS:
        if module_name in _registered or (command in known and gives != command):
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, "register"):
            module.register(app)
        else:
            app.add_typer(module.app, name=name)
        _registered.add(module_name)


def _command_word(argv: list[str]) -> str | None:
    """The first word of the command line that is not a global option or its value."""
    words = iter(argv)
    for arg in words:
        if arg == "--lang":
            next(words, None)
        elif not arg.startswith("-"):
            return arg
    return None


KIND = {EXIT_BAD_INPUT: "bad_input", EXIT_UNREACHABLE: "unreachable", EXIT_INTERNAL: "internal"}


def _command_of(argv: list[str]) -> str:
    """The sub-command named on the command line (`topology snapshot`), for an error's JSON."""
    group: Any = typer.main.get_command(app)
    names: list[str] = []
    for arg in argv:
        commands = getattr(group, "commands", None)
        if arg.startswith("-"):
            continue
        if not commands or arg not in commands:
            break
        names.append(arg)
        group = commands[arg]
    return " ".join(names)


def _fail(
    argv: list[str],
    code: int,
    message: str,
    exc: BaseException | None = None,
    line: str | None = None,
) -> int:
    """The one line for people on stderr (`line`, else `netsteward: message`); with
    `--json` also the envelope with the error on stdout."""
    typer.echo(line or f"netsteward: {message}", err=True)
    if "--json" in argv:
        error: dict[str, Any] = {"kind": KIND.get(code, "error"), "message": message}
        if isinstance(exc, BadInput):
            error |= {k: v for k, v in vars(exc).items() if k in ("file", "line", "field") and v}
            error["message"] = exc.message
        print_json(envelope(_command_of(argv), code, {}, {"error": error}))
    return code


def run(argv: list[str]) -> int:
    """Run the command line `argv` (without the program name); return the exit code."""
    try:
        register(_command_word(argv))
        result = app(args=argv, standalone_mode=False)
    except NetstewardError as exc:
        return _fail(argv, exc.exit_code, str(exc), exc)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("Aborted!", err=True)
        return EXIT_FINDINGS
    except typer.TyperException as exc:  # usage errors (bad option, missing argument)
        if "--json" not in argv and hasattr(exc, "show"):
            exc.show()
            return exc.exit_code
        return _fail(argv, exc.exit_code, exc.format_message(), exc)
    except Exception as exc:
        # A bug, not an outcome: never exit 1 ("findings") or 0 by accident.
        if os.environ.get("NETSTEWARD_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}"
        line = _(
            "netsteward: internal error: {error} (set NETSTEWARD_DEBUG=1 for the traceback)"
        ).format(error=error)
        return _fail(argv, EXIT_INTERNAL, f"internal error: {error}", line=line)
    return result if isinstance(result, int) else EXIT_CLEAN


def main() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if not os.environ.get("NETSTEWARD_DEBUG"):
        # paramiko logs every failed log-in with its traceback; the device session reports
        # each failure as one line (kind and reason), so its log only repeats it at length
        logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
