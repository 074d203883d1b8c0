"""`drift accept`: the live state of some devices becomes the approved state.

A fresh backup of those devices, committed to the backup repository with the reason in the
commit message, so that the next drift check is clean and the history says who approved
what and why.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass, field
from pathlib import Path

from nornir.core import Nornir

from tasks.drift_adapters import optional_module

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AcceptOutcome:
    accepted: tuple[str, ...]  # backed up (changed or not)
    failed: dict[str, str] = field(default_factory=dict)  # host -> reason
    commit: str | None = None  # the new commit id; None when nothing changed
    message: str = ""


def accept_message(hosts: list[str], reason: str, user: str | None = None) -> str:
    """The commit message: a subject naming the devices, the reason, who accepted."""
    names = ", ".join(hosts) if len(hosts) <= 5 else f"{', '.join(hosts[:5])} and {len(hosts) - 5} more"
    who = user or _user()
    return f"drift accept: {names}\n\nReason: {reason}\nAccepted-by: {who}\nDevices: {' '.join(hosts)}\n"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some CI containers
        return "unknown"


def accept_drift(nr: Nornir, *, repo: Path, reason: str) -> AcceptOutcome:
    """Back up the hosts of `nr` and commit with the reason (through tasks/backup when it
    offers `backup_hosts`, else fetch + write + commit here)."""
    hosts = sorted(nr.inventory.hosts)
    message = accept_message(hosts, reason)
    backup = optional_module("tasks.backup")
    run = getattr(backup, "backup_hosts", None) if backup else None
    if run is not None:  # pragma: no cover - depends on the backup part's API
        out = run(nr, repo=repo, message=message)
        return AcceptOutcome(
            accepted=tuple(getattr(out, "backed_up", hosts)),
            failed=dict(getattr(out, "failed", {})),
            commit=getattr(out, "commit", None),
            message=message.splitlines()[0],
        )
    return _accept_here(nr, repo, message)


def _accept_here(nr: Nornir, repo: Path, message: str) -> AcceptOutcome:
    import git

    from tasks.drift_collect import LiveRead, read_live
    from tasks.drift_state import open_repo

    repository = open_repo(repo)
    agg = nr.run(task=read_live, lldp=False, name="drift accept", raise_on_error=False)
    failed: dict[str, str] = {}
    accepted: list[str] = []
    existing = _existing_paths(repository)
    paths: list[str] = []
    for name, multi in sorted(agg.items()):
        if multi.failed:
            exc = multi[0].exception if multi else None
            failed[name] = str(exc).splitlines()[0] if exc and str(exc) else type(exc).__name__
            continue
        read = multi[0].result
        assert isinstance(read, LiveRead)
        host = nr.inventory.hosts[name]
        for suffix, text in read.files.items():
            rel = existing.get((name, suffix)) or _layout(host.get("network"), host.get("role"), name, suffix)
            target = Path(repository.working_tree_dir or repo) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            paths.append(rel)
        accepted.append(name)
    if not paths:
        return AcceptOutcome(tuple(accepted), failed, None, message.splitlines()[0])
    repository.index.add(paths)
    try:
        changed = bool(repository.index.diff("HEAD"))
    except git.BadName:  # empty repository
        changed = True
    if not changed:
        return AcceptOutcome(tuple(accepted), failed, None, message.splitlines()[0])
    commit = repository.index.commit(message)
    return AcceptOutcome(tuple(accepted), failed, commit.hexsha, message.splitlines()[0])


def _existing_paths(repository: object) -> dict[tuple[str, str], str]:
    from pathlib import PurePosixPath

    out: dict[tuple[str, str], str] = {}
    try:
        tree = repository.head.commit.tree  # type: ignore[attr-defined]
    except ValueError:
        return out
    for item in tree.traverse():
        if item.type == "blob":
            p = PurePosixPath(item.path)
            out[(p.stem, p.suffix.lstrip("."))] = item.path
    return out


def _layout(network: object, role: object, host: str, suffix: str) -> str:
    """configs/<network>/<role>/<HOST>.<suffix> (docs/DESIGN.md)."""
    return f"{network or 'unknown'}/{role or 'unknown'}/{host}.{suffix}"
