"""Where firewall configurations come from: the backup repository, or one given file.

The backup repository keeps firewalls at `<network>/firewall/<HOST>.cfg`.  When
the directory is a git repository the last committed version is audited (what
the monthly backup recorded), otherwise the files on disk.  The platform is
recognised from the configuration itself, so that no inventory is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _

_SNIFF: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fortinet", re.compile(r"^config (firewall|system) ", re.M)),
    (
        "cisco_asa",
        re.compile(r"^(ASA Version |access-list \S+ (extended|remark) |access-group \S+ )", re.M),
    ),
    (
        "hillstone_stoneos",
        re.compile(r"^(policy-global\s*$|address \"|servgroup |admin user \")", re.M),
    ),
    (
        "huawei_vrp",
        re.compile(
            r"^(security-policy\s*$|ip address-set |ip service-set |sysname |firewall zone )", re.M
        ),
    ),
)


@dataclass(frozen=True)
class FirewallConfig:
    device: str
    platform: str
    path: str  # as shown in reports and SARIF (relative to the repository when read from one)
    text: str


def detect_platform(text: str) -> str | None:
    for platform, pattern in _SNIFF:
        if pattern.search(text):
            return platform
    return None


def looks_like(platform: str, text: str) -> str | None:
    """Another platform whose configuration `text` is, when it has that platform's marks and
    none of `platform`'s own (a parser would read it as an empty rule base)."""
    marks = dict(_SNIFF)
    if platform not in marks or marks[platform].search(text):
        return None
    return next((p for p, pattern in _SNIFF if p != platform and pattern.search(text)), None)


def _config(device: str, path: str, text: str, platform: str | None = None) -> FirewallConfig:
    found = platform or detect_platform(text)
    if found is None:
        raise BadInput(
            _("cannot tell the firewall platform from the configuration; give --platform"),
            file=path,
        )
    return FirewallConfig(device, found, path, text)


def read_file(path: Path, platform: str, device: str | None = None) -> FirewallConfig:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise BadInput(_("file not found"), file=str(path), field="--config-file") from None
    return _config(device or path.stem, str(path), text, platform)


def read_repository(repo: Path) -> list[FirewallConfig]:
    """Every `*/firewall/*.cfg` in the backup repository (last commit if it is a git repository)."""
    if not repo.is_dir():
        raise BadInput(
            _("backup repository not found (run `netsteward backup` or give --repo)"),
            file=str(repo),
            field="--repo",
        )
    out: list[FirewallConfig] = []
    if (repo / ".git").exists():
        import git

        r = git.Repo(repo)
        try:
            tree = r.head.commit.tree
        except ValueError:
            tree = None
        if tree is not None:
            for item in tree.traverse():
                if not isinstance(item, git.Blob):
                    continue
                p = PurePosixPath(item.path)
                if p.suffix == ".cfg" and len(p.parts) >= 2 and p.parts[-2] == "firewall":
                    text = item.data_stream.read().decode("utf-8", errors="replace")
                    out.append(_config(p.stem, str(p), text))
            return sorted(out, key=lambda c: c.device)
    for path in sorted(repo.glob("*/firewall/*.cfg")):
        out.append(
            _config(
                path.stem,
                str(path.relative_to(repo)),
                path.read_text(encoding="utf-8", errors="replace"),
            )
        )
    return out
