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

from netsteward.tasks.core.store import BACKUP_PREFIX, BackupStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AcceptOutcome:
    accepted: tuple[str, ...]  # backed up (changed or not)
    failed: dict[str, str] = field(default_factory=dict)  # host -> reason
    commit: str | None = None  # the new commit id; None when nothing changed
    message: str = ""


def accept_message(hosts: list[str], reason: str, user: str | None = None) -> str:
    """The commit message: a subject naming the devices (a backup commit: it starts with
    "backup "), the reason, who accepted."""
    names = (
        ", ".join(hosts) if len(hosts) <= 5 else f"{', '.join(hosts[:5])} and {len(hosts) - 5} more"
    )
    who = user or _user()
    return (
        f"{BACKUP_PREFIX}(drift accept): {names}\n\n"
        f"Reason: {reason}\nAccepted-by: {who}\nDevices: {' '.join(hosts)}\n"
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some CI containers
        return "unknown"


def accept_drift(nr: Nornir, *, repo: Path, reason: str, user: str | None = None) -> AcceptOutcome:
    """Back up the hosts of `nr` with the backup's own task and commit the files as a backup
    commit with the reason (`BackupStore.commit_backups`). Failed devices keep their files."""
    from netsteward.tasks.backup.collect import BackupOutcome, backup_config
    from netsteward.tasks.core.results import typed_results

    store = BackupStore.open(repo, create=False)
    hosts = sorted(nr.inventory.hosts)
    agg = nr.run(task=backup_config, store=store, name="drift accept", raise_on_error=False)
    typed = typed_results(agg, BackupOutcome)
    failed = {h: f.reason for h, f in typed.failed.items()}
    accepted: list[str] = []
    files: list[tuple[str, str]] = []
    for host, outcome in sorted(typed.ok.items()):
        if not outcome.ok:
            failed[host] = outcome.reason or outcome.failure or "failed"
            continue
        files += [(f.path, f.text) for f in outcome.files]
        accepted.append(host)
    message = accept_message(accepted or hosts, reason, user)
    commit = store.commit_backups(files, message).sha if accepted else None
    log.info("drift accept: %d accepted, %d failed, commit %s", len(accepted), len(failed), commit)
    return AcceptOutcome(
        tuple(accepted), dict(sorted(failed.items())), commit, message.splitlines()[0]
    )
