"""What every playbook shares: options, opening Nornir, credentials, output, exit codes.

A playbook is thin: parse arguments -> `open_nornir()` -> run tasks -> render -> exit code.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import typer
from nornir import InitNornir
from nornir.core import Nornir
from rich.console import Console

from netsteward.tasks.core.errors import BadInput, CredentialsMissing, InventoryError
from netsteward.tasks.core.i18n import _, ngettext, set_site_language
from netsteward.tasks.inventory.check import check_inventory

DEFAULT_CONFIG = "nornir_config.yaml"

# Options shared by every job (typer reads these defaults as option declarations).
ConfigOpt = typer.Option(
    Path(DEFAULT_CONFIG),
    "--config",
    "-c",
    help="Nornir configuration file.",
    envvar="NETSTEWARD_CONFIG",
)
HostsOpt = typer.Option(None, "--hosts", help="Only hosts whose name matches this glob.")
GroupOpt = typer.Option(None, "--group", help="Only hosts in this inventory group.")
ProcessesOpt = typer.Option(
    None,
    "--processes",
    min=1,
    max=64,
    help=(
        "Local processes the devices are split over, each with its own sessions (default: "
        "one per core, at most one per 250 devices; 1 with --workers). 1: all in this process."
    ),
)
JsonOpt = typer.Option(False, "--json", help="Print a machine-readable JSON summary on stdout.")
RepoOpt = typer.Option(
    Path("configs"),
    "--repo",
    help="The backup repository (a git repository of its own).",
    envvar="NETSTEWARD_BACKUP_REPO",
)

EngineOpt = typer.Option(
    None,
    "--engine",
    help="local (one process, the default) or celery (shards on `netsteward worker`s, one "
    "queue per network; docs/celery.md). Default: user_defined.engine, else local.",
)

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)


def credentials_for(groups: list[str]) -> tuple[str | None, str | None]:
    """Username and password for a host from the environment; per-group variables win.

    NETSTEWARD_<GROUP>_USERNAME / _PASSWORD for the first of the host's groups that
    has one, else NETSTEWARD_USERNAME / NETSTEWARD_PASSWORD.
    """
    user = password = None
    for group in groups:
        key = "NETSTEWARD_" + group.upper().replace("-", "_")
        user = user or os.environ.get(key + "_USERNAME")
        password = password or os.environ.get(key + "_PASSWORD")
    user = user or os.environ.get("NETSTEWARD_USERNAME")
    password = password or os.environ.get("NETSTEWARD_PASSWORD")
    return user, password


def enable_secret_for(groups: list[str]) -> str | None:
    """Enable / privileged-mode secret (Cisco): NETSTEWARD_<GROUP>_ENABLE_SECRET, then
    NETSTEWARD_ENABLE_SECRET; None means "same as the login password"."""
    for group in groups:
        value = os.environ.get("NETSTEWARD_" + group.upper().replace("-", "_") + "_ENABLE_SECRET")
        if value:
            return value
    return os.environ.get("NETSTEWARD_ENABLE_SECRET") or None


def _set_enable_secret(host: Any, secret: str) -> None:
    """Give netmiko the enable secret through the host's own connection options (memory only)."""
    from nornir.core.inventory import ConnectionOptions

    params = host.get_connection_parameters("netmiko")
    extras = dict(params.extras or {})
    extras.setdefault("secret", secret)
    own = host.connection_options.get("netmiko")
    host.connection_options["netmiko"] = ConnectionOptions(
        hostname=own.hostname if own else None,
        port=own.port if own else None,
        username=own.username if own else None,
        password=own.password if own else None,
        platform=own.platform if own else None,
        extras=extras,
    )


def apply_site_language(config: Path | None) -> None:
    """The site setting `user_defined: {language: zh}` of the Nornir configuration (`config`,
    else $NETSTEWARD_CONFIG, else ./nornir_config.yaml when present): the language when
    neither `--lang` nor $NETSTEWARD_LANG says one. A bad value is bad input (exit 2)."""
    from netsteward.tasks.core.yamlfile import load_yaml

    path = config or Path(os.environ.get("NETSTEWARD_CONFIG") or DEFAULT_CONFIG)
    try:
        raw = load_yaml(path).data or {}
    except BadInput:
        return  # reported where the job reads its configuration
    value = ((raw.get("user_defined") or {}) if isinstance(raw, dict) else {}).get("language")
    try:
        set_site_language(str(value) if value is not None else None)
    except ValueError as exc:
        raise BadInput(str(exc), file=str(path), field="user_defined.language") from None


def _inventory_paths(config: Path) -> dict[str, Path]:
    from netsteward.tasks.core.yamlfile import load_yaml, mapping

    apply_site_language(config)
    raw = mapping(
        load_yaml(config, error=InventoryError), _("a Nornir configuration"), error=InventoryError
    )
    opts = (raw.get("inventory") or {}).get("options") or {}
    base = config.parent
    return {
        key: (base / opts[f"{key}_file"])
        if not Path(opts[f"{key}_file"]).is_absolute()
        else Path(opts[f"{key}_file"])
        for key in ("host", "group", "defaults")
        if opts.get(f"{key}_file")
    }


def check_inventory_or_fail(config: Path) -> dict[str, Path]:
    """Validate the inventory the config points at; raise InventoryError on the first problem."""
    paths = _inventory_paths(config)
    problems = check_inventory(paths)
    if problems:
        raise InventoryError(
            "; ".join(str(p) for p in problems[:1])
            + (
                ngettext(
                    " (and {n} more: `netsteward inventory check`)",
                    " (and {n} more: `netsteward inventory check`)",
                    len(problems) - 1,
                ).format(n=len(problems) - 1)
                if len(problems) > 1
                else ""
            )
        )
    return paths


def select_hosts(nr: Nornir, hosts: str | None, group: str | None) -> Nornir:
    """`--hosts GLOB` and `--group NAME`; a selection that matches no host is bad input
    (exit 2), not an empty run that reports success."""
    if hosts:
        nr = nr.filter(filter_func=lambda h: fnmatch.fnmatchcase(h.name, hosts))
    if group:
        if group not in nr.inventory.groups:
            raise InventoryError(_("no such group {group!r}").format(group=group), field="--group")
        nr = nr.filter(filter_func=lambda h: h.has_parent_group(group))
    if (hosts or group) and not nr.inventory.hosts:
        asked = " ".join(
            f"{opt} {value!r}" for opt, value in (("--hosts", hosts), ("--group", group)) if value
        )
        raise InventoryError(
            _("no host in the inventory matches the selection ({asked})").format(asked=asked),
            field="--hosts/--group",
        )
    return nr


def open_nornir(
    config: Path,
    hosts: str | None = None,
    group: str | None = None,
    *,
    num_workers: int | None = None,
    need_credentials: bool = True,
) -> Nornir:
    """Check the inventory, initialise Nornir relative to the config file, filter, set credentials.

    `num_workers` replaces the config's runner by Nornir's threaded runner with exactly
    that many workers (`--workers N`); without it the config's runner runs (the committed
    nornir_config.yaml: netsteward.tasks.core.runner.AdaptiveRunner)."""
    from netsteward.tasks.core.connection import install

    check_inventory_or_fail(config)
    install()  # netmiko fixed-wait fixes and TCP_NODELAY (tasks/core/connection.py)
    cwd = Path.cwd()
    config_file = config.resolve()  # before the chdir: `--config site/nornir_config.yaml`
    try:
        # SimpleInventory paths in the config are relative to the config file.
        os.chdir(config_file.parent)
        kwargs: dict[str, Any] = {"config_file": str(config_file)}
        if num_workers:
            kwargs["runner"] = {"plugin": "threaded", "options": {"num_workers": num_workers}}
        nr = InitNornir(**kwargs)
    finally:
        os.chdir(cwd)
    nr = select_hosts(nr, hosts, group)
    missing = []
    for host in nr.inventory.hosts.values():
        user, password = credentials_for([g.name for g in host.groups])
        if need_credentials and (not user or not password):
            missing.append(host.name)
        host.username, host.password = user, password
        if password:
            _set_enable_secret(host, enable_secret_for([g.name for g in host.groups]) or password)
    if missing:
        raise CredentialsMissing(
            ngettext(
                "no credentials for {n} host (first {host}): set NETSTEWARD_USERNAME and "
                "NETSTEWARD_PASSWORD (or NETSTEWARD_<GROUP>_USERNAME/_PASSWORD)",
                "no credentials for {n} hosts (first {host}): set NETSTEWARD_USERNAME and "
                "NETSTEWARD_PASSWORD (or NETSTEWARD_<GROUP>_USERNAME/_PASSWORD)",
                len(missing),
            ).format(n=len(missing), host=missing[0]),
            field="environment",
        )
    return nr


def to_jsonable(obj: Any) -> Any:
    """Plain JSON values; object keys sorted (the envelope's own keys stay first)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(asdict(obj))
    if hasattr(obj, "model_dump"):
        return to_jsonable(obj.model_dump(mode="json"))
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [to_jsonable(v) for v in obj]
        return sorted(items, key=str) if isinstance(obj, (set, frozenset)) else items
    if isinstance(obj, Path):
        return str(obj)
    return obj


ENVELOPE = ("command", "exit_code", "counts")


def envelope(
    command: str, exit_code: int, counts: Mapping[str, int], fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Every command's `--json` document (docs/DESIGN.md, "JSON output"): `command`,
    `exit_code`, `counts` (named integers), then the command's own fields."""
    clash = sorted(set(fields) & set(ENVELOPE))
    if clash:
        raise ValueError(f"a command's own JSON field is called {clash[0]!r}")
    doc: dict[str, Any] = {
        "command": command,
        "exit_code": exit_code,
        "counts": to_jsonable(dict(counts)),
    }
    doc.update(to_jsonable(dict(fields)))
    return doc


def command_name(ctx: typer.Context | None) -> str:
    """The running sub-command as typed: `backup`, `topology snapshot`, `drift accept`."""
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent  # type: ignore[assignment]  # typer's Context is its Click's
    return " ".join(reversed(names))


def print_json(doc: Mapping[str, Any]) -> None:
    """Write one JSON document on stdout, keys in the order `doc` gives them."""
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def print_result(
    ctx: typer.Context, exit_code: int, counts: Mapping[str, int], fields: Mapping[str, Any]
) -> None:
    """`--json`: the running command's result in the common envelope."""
    print_json(envelope(command_name(ctx), exit_code, counts, fields))


def finish(code: int) -> None:
    """End the command with an exit code (0 clean, 1 findings, 3 unreachable)."""
    raise typer.Exit(code)
