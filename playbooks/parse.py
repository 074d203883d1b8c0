"""`netsteward parse --platform P --command "CMD" FILE`: one reader on a captured output.

Runs exactly the reader a job uses for that platform and command (the platform file's
`reads:` names it), on a file an engineer captured from a device, and shows what it read and
what it could not read. This is how a device's output is checked before a job is trusted
with it, and how a bug report with a real sample becomes a test
(`tests/golden/<platform>/<purpose>_<case>.raw`).

Exit codes: 0 read fully, 1 read with warnings (lines not understood, entries not read,
nothing read, not the output of that command), 2 no reader for that platform and command
(or an unreadable file). `--json` prints the common envelope with `counts` {records, warnings} and the fields
`records` and `warnings`.
A command several jobs read (`show version`: the topology's `version`, the inspection's
`inspect.uptime`) runs every one of those readers, in the platform file's order (records and
warnings one after the other); `--purpose` runs one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from netsteward.playbooks.common import JsonOpt, console, err_console, finish, print_result
from netsteward.tasks.core.errors import EXIT_CLEAN, EXIT_FINDINGS, BadInput
from netsteward.tasks.core.i18n import _, ngettext
from netsteward.tasks.core.reading import Reading, get_reader, reading_dict
from netsteward.tasks.platforms import PLATFORMS, load_platform

HELP = (
    "Run the reader a job uses for a platform and command on a captured output: show what it "
    "read and what it could not read. Exit 0 read fully, 1 warnings, 2 no reader for that "
    "platform and command."
)
_CELL = 60  # characters of one value in the table


def _text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise BadInput(
            _("cannot read ({error})").format(error=exc.strerror), file=str(path)
        ) from None


def _cell(value: Any) -> str:
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= _CELL else text[: _CELL - 1] + "…"


def _show(records: list[Any]) -> None:
    """Each record as a block of `field: value` lines (empty fields left out); a firewall
    configuration as one line per rule."""
    for n, record in enumerate(records, 1):
        if isinstance(record, dict) and "rules" in record:
            for rule in record["rules"]:
                state = "" if rule["enabled"] else " (disabled)"
                console.print(
                    f"{rule['id']} (line {rule['line']}): {rule['action']}{state} "
                    f"{rule['src']} -> {rule['dst']} {_cell(rule['services'])}"
                    + (f" undefined: {_cell(rule['undefined'])}" if rule["undefined"] else ""),
                    markup=False,
                    soft_wrap=True,
                )
            console.print(
                _("{rules} rule(s), {objects} object(s), default action {default}").format(
                    rules=len(record["rules"]),
                    objects=len(record["objects"]),
                    default=record["default_action"],
                ),
                markup=False,
            )
            continue
        console.print(_("record {n}").format(n=n), markup=False)
        items = record.items() if isinstance(record, dict) else [("value", record)]
        for key, value in items:
            if value not in ("", None, [], False):
                console.print(f"  {key}: {_cell(value)}", markup=False, soft_wrap=True)


FileArg = typer.Argument(..., help="The captured output (- for standard input).")
PlatformOpt = typer.Option(..., "--platform", help=f"Platform: {', '.join(PLATFORMS)}.")
CommandOpt = typer.Option(
    ..., "--command", help='The command that printed the output, e.g. "display lldp neighbor".'
)


PurposeOpt = typer.Option(
    None,
    "--purpose",
    help="When several jobs read the command (show version: version, inspect.uptime), "
    "run only the reader of this purpose; without it every one of them runs.",
)


def _summary(file: Path, purpose: str, reader: str, reading: Reading[Any]) -> None:
    console.print(
        _("{file}: {records} by {reader} ({purpose}); {warnings}").format(
            file=file,
            records=ngettext("{n} record", "{n} records", len(reading.records)).format(
                n=len(reading.records)
            ),
            reader=reader,
            purpose=purpose,
            warnings=ngettext("{n} warning", "{n} warnings", len(reading.warnings)).format(
                n=len(reading.warnings)
            ),
        ),
        markup=False,
        soft_wrap=True,
    )


def register(main_app: typer.Typer) -> None:
    @main_app.command("parse", help=HELP)
    def parse(
        ctx: typer.Context,
        file: Path = FileArg,
        platform: str = PlatformOpt,
        command: str = CommandOpt,
        purpose: str | None = PurposeOpt,
        json_out: bool = JsonOpt,
    ) -> None:
        spec = load_platform(platform)
        found = spec.reads_command(command)
        if not found:
            known = "; ".join(dict.fromkeys(f"{r.command!r}" for r in spec.reads.values()))
            raise BadInput(
                _(
                    "no reader for {platform} and {command!r} (the commands it reads: {known})"
                ).format(platform=platform, command=command, known=known or _("none")),
                field="--command",
            )
        if purpose is not None:
            chosen = [(p, r) for p, r in found if p == purpose]
            if not chosen:
                raise BadInput(
                    _(
                        "{command!r} is not read for {purpose!r} on {platform} (it is read for: {purposes})"
                    ).format(
                        command=command,
                        purpose=purpose,
                        platform=platform,
                        purposes=", ".join(p for p, _r in found),
                    ),
                    field="--purpose",
                )
            found = chosen
        text = _text(file)
        readings = [
            (p, read, get_reader(read.reader)(text).about(str(file), read.command))
            for p, read in found
        ]
        datas = [reading_dict(reading) for _, _, reading in readings]
        complete = all(reading.complete for _, _, reading in readings)
        code = EXIT_CLEAN if complete else EXIT_FINDINGS
        if json_out:
            records = [r for data in datas for r in data["records"]]
            warnings = [w for data in datas for w in data["warnings"]]
            print_result(
                ctx,
                code,
                {"records": len(records), "warnings": len(warnings)},
                {"records": records, "warnings": warnings},
            )
        else:
            for (p, read, reading), data in zip(readings, datas, strict=True):
                if data["records"]:
                    _show(data["records"])
                for warning in reading.warnings:
                    err_console.print(f"warning: {warning}", markup=False, soft_wrap=True)
                _summary(file, p, read.reader, reading)
        finish(code)
