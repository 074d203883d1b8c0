"""Where firewall configurations come from: the backup repository, or one given file.

The backup repository keeps firewalls at `<network>/firewall/<HOST>.cfg`.  When
the directory is a git repository the last committed version is audited (what
the monthly backup recorded), otherwise the files on disk (both through
`netsteward.tasks.core.store`).  The platform is recognised from the configuration
itself (each platform file's `identify:` pattern), so that no inventory is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from netsteward.tasks.core.devicetext import read_config_file
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.store import BackupStore
from netsteward.tasks.platforms import all_platforms


@dataclass(frozen=True)
class FirewallConfig:
    device: str
    platform: str
    path: str  # as shown in reports and SARIF (relative to the repository when read from one)
    text: str


@cache
def _identifiers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(platform, regex) for every platform file with an `identify:` line pattern."""
    return tuple(
        (name, re.compile(p.identify, re.M))
        for name, p in all_platforms().items()
        if p.identify is not None
    )


def detect_platform(text: str) -> str | None:
    """The platform whose `identify:` pattern the configuration matches (None: none or several)."""
    found = [name for name, rx in _identifiers() if rx.search(text)]
    return found[0] if len(found) == 1 else None


def looks_like(platform: str, text: str) -> str | None:
    """Another platform whose configuration `text` is, when it has that platform's marks and
    none of `platform`'s own (a parser would read it as an empty rule base)."""
    marks = dict(_identifiers())
    if platform not in marks or marks[platform].search(text):
        return None
    return next((p for p, rx in _identifiers() if p != platform and rx.search(text)), None)


def _config(device: str, path: str, text: str, platform: str | None = None) -> FirewallConfig:
    found = platform or detect_platform(text)
    if found is None:
        raise BadInput(
            _("cannot tell the firewall platform from the configuration; give --platform"),
            file=path,
        )
    return FirewallConfig(device, found, path, text)


def read_file(path: Path, platform: str, device: str | None = None) -> FirewallConfig:
    text = read_config_file(path)  # bad input: missing, a folder, binary, empty
    return _config(device or path.stem, str(path), text, platform)


def read_repository(repo: Path) -> list[FirewallConfig]:
    """Every `*/firewall/*.cfg` in the backup repository (last commit if it is a git repository)."""
    if not repo.is_dir():
        raise BadInput(
            _("backup repository not found (run `netsteward backup` or give --repo)"),
            file=str(repo),
            field="--repo",
        )
    store = BackupStore.at(repo)
    out = [
        _config(f.host, f.path, f.text)
        for f in store.config_files("cfg")
        if len(PurePosixPath(f.path).parts) >= 2 and PurePosixPath(f.path).parts[-2] == "firewall"
    ]
    return sorted(out, key=lambda c: c.device) if store.has_commits() else out
