"""Which configurations the baseline audit reads: the backup repository, or one file.

From the backups (the default) every `<network>/<role>/<HOST>.cfg` committed at HEAD is
read through the backup-repository layer (`netsteward.tasks.core.store`); the platform,
role and model come from the inventory, which says what a host is (a configuration's
text does not say whether a VRP box is a switch, a USG or a NIP). A host of the
selection without a backup, and a backed-up file whose host the inventory does not
know, are reported: the first cannot be audited (exit 3), the second is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from netsteward.tasks.baseline.check import Device
from netsteward.tasks.core.devicetext import read_config_file
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.store import BackupStore


@dataclass(frozen=True)
class Source:
    device: Device
    text: str


@dataclass
class Sources:
    configs: list[Source] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # host -> why it has no configuration
    unknown: list[str] = field(default_factory=list)  # backed-up files no inventory host owns


def from_file(
    path: Path, platform: str, role: str | None = None, device: str | None = None
) -> Sources:
    text = read_config_file(path)  # bad input: missing, a folder, binary, empty
    dev = Device(device or path.stem, platform, role, None, None, str(path))
    return Sources([Source(dev, text)])


def from_backups(
    repo: Path, inventory: dict[str, Device], selected: set[str] | None = None
) -> Sources:
    """The last committed configuration of every selected inventory host (all when None)."""
    if not repo.is_dir():
        raise BadInput(
            _("backup repository not found (run `netsteward backup` or give --repo)"),
            file=str(repo),
            field="--repo",
        )
    wanted = set(inventory) if selected is None else selected
    files = BackupStore.open(repo, create=False).config_files()
    out = Sources()
    seen: set[str] = set()
    for f in files:
        dev = inventory.get(f.host)
        if dev is None:
            if f.path.count("/") == 2:  # <network>/<role>/<HOST>.cfg: a device file
                out.unknown.append(f.path)
            continue
        if f.host not in wanted:
            continue
        seen.add(f.host)
        out.configs.append(
            Source(Device(dev.host, dev.platform, dev.role, dev.network, dev.model, f.path), f.text)
        )
    for host in sorted(wanted - seen):
        out.missing[host] = _("no configuration in the backup repository")
    return out
