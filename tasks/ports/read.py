"""What a port plan is computed from: each device's configuration and LLDP neighbours.

Live: the Nornir task `read_port_state` reads the running configuration and the
LLDP neighbours over SSH. Offline: `offline_states` takes the latest backup
(`configs/<network>/<role>/<HOST>.cfg`) and the latest topology snapshot
(`configs/topology/YYYY-MM-DD.json`).

Live configurations are normalised exactly like backups (`netsteward.tasks.core.scrub`), so
a plan made from either source has the same fingerprint for the same device.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nornir.core.task import Result, Task

from netsteward.tasks.core.connection import close_session
from netsteward.tasks.core.errors import BadInput, DeviceUnreadable
from netsteward.tasks.core.i18n import _
from netsteward.tasks.ports.config import scrubbed
from netsteward.tasks.ports.plan import Link, is_switch

log = logging.getLogger(__name__)

# one device's whole read (configuration, then LLDP), retries included
READ_BUDGET = 120.0


class ConfigIncomplete(RuntimeError):
    """The running configuration came back without its end marker (cut short)."""


@dataclass(frozen=True)
class PortState:
    """One device's inputs to the plan."""

    host: str
    config: str  # normalised like the backup stores it
    links: tuple[Link, ...]


def running_config_command(platform: str) -> tuple[str, str, float]:
    """(command, end-marker regex, read timeout) from the platform data."""
    from netsteward.tasks.platforms import load_platform

    collect = next(c for c in load_platform(platform).collect if c.kind == "config")
    return collect.command, collect.end_marker, collect.read_timeout


def prompt_pattern(platform: str, base_prompt: str) -> str:
    """A regex for this device's own prompt, in any mode (exec, system view, interface view)."""
    base = re.escape(base_prompt)
    if platform == "cisco_ios":
        return rf"{base}(?:\([^)]*\))?[>#]"
    return rf"(?:HRP_[MS])?[<\[][~*]?{base}(?:-[^\]\s]*)?[>\]]"


def ensure_privileged(conn: object, platform: str, password: str | None) -> None:
    """Cisco: enter enable mode (the log-in password doubles as the enable secret when none is set)."""
    c: object = conn
    if platform != "cisco_ios" or c.check_enable_mode():  # type: ignore[attr-defined]
        return
    if not getattr(c, "secret", "") and password:
        c.secret = password  # type: ignore[attr-defined]
    c.enable()  # type: ignore[attr-defined]


def read_output(conn: object, platform: str, command: str, timeout: float) -> str:
    """One command's output, echo and prompt removed, through the backup's reader.

    `netsteward.tasks.backup.collect.read_command` waits until the *last line* is the device's prompt,
    and fails fast at a pager prompt or a closed session; the same bytes the backup
    stores, so live and offline plans fingerprint alike.
    """
    from netsteward.tasks.backup.collect import read_command
    from netsteward.tasks.platforms import load_platform

    return str(read_command(conn, load_platform(platform), command, time.monotonic() + timeout))


def read_running_config(conn: object, platform: str) -> str:
    """The device's running configuration, raw; raises ConfigIncomplete when cut short."""
    command, end_marker, timeout = running_config_command(platform)
    ensure_privileged(conn, platform, getattr(conn, "password", None))
    text = read_output(conn, platform, command, timeout)
    if not re.search(end_marker, text, re.M):
        raise ConfigIncomplete(
            _("{command!r} output has no end marker (cut short?)").format(command=command)
        )
    return text


def neighbours_as_links(neighbors: Sequence[object]) -> tuple[Link, ...]:
    """netsteward.tasks.topology.neighbor.Neighbor records -> plan input links (peer by system name, domain stripped)."""
    out = []
    for n in neighbors:
        peer = getattr(n, "peer_label", "") or getattr(n, "peer", "")
        port = getattr(n, "peer_port", "")
        if peer and port:
            switch = is_switch(str(getattr(n, "capabilities", "") or ""))
            out.append(Link(n.local_port, peer, port, switch))  # type: ignore[attr-defined]
    return tuple(out)


def read_neighbours(conn: object, platform: str, host: str = "") -> tuple[Link, ...]:
    """LLDP (and CDP) neighbours, read until the device's own prompt, as topology discovery
    reads them (`netsteward.tasks.topology.lldp.read_neighbors`). Neighbours that could not be
    read, or only in part, make the device unreadable: a plan from a shorter list of neighbours
    would call live cables stale."""
    from netsteward.tasks.backup.collect import ERROR, _Failure
    from netsteward.tasks.platforms import load_platform
    from netsteward.tasks.topology.lldp import neighbor_commands, read_neighbors

    spec = load_platform(platform)
    if not neighbor_commands(spec):
        return ()
    found = read_neighbors(spec, lambda command: read_output(conn, platform, command, 60), host)
    if found.warnings:
        more = f" (and {len(found.warnings) - 1} more)" if len(found.warnings) > 1 else ""
        raise _Failure(ERROR, f"neighbours not fully read: {found.warnings[0]}{more}")
    return neighbours_as_links(found.records)


def read_port_state(
    task: Task, retries: int = 1, timeout: float = READ_BUDGET, backoff: float = 0.5
) -> Result:
    """Nornir task: the host's normalised running configuration and its LLDP neighbours.

    The fleet-wide retry rule (`netsteward.tasks.backup.collect.retry_transient`): a session that did not
    answer, dropped or came back cut short is tried again on a new session (`retries`
    more times, within `timeout` seconds); a refused log-in or a pager is not. The session
    is closed as soon as the device is read, so a plan of the whole fleet holds at most
    `num_workers` sessions.
    """
    from netsteward.tasks.backup.collect import INCOMPLETE, _Failure, retry_transient

    host = task.host
    platform = host.platform or ""

    def attempt() -> tuple[str, tuple[Link, ...]]:
        try:
            conn = host.get_connection("netmiko", task.nornir.config)
            return read_running_config(conn, platform), read_neighbours(conn, platform, host.name)
        except ConfigIncomplete as exc:  # ended at a prompt without the end marker
            raise _Failure(INCOMPLETE, str(exc)) from exc
        finally:
            close_session(host)

    got = retry_transient(attempt, time.monotonic() + timeout, retries, backoff, host.name)
    if not got.ok or got.value is None:
        log.warning("%s: reading configuration and LLDP failed: %s", host.name, got.reason)
        raise DeviceUnreadable(got.reason or "failed")
    config, links = got.value
    log.debug("%s: %d config lines, %d LLDP neighbours", host.name, config.count("\n"), len(links))
    return Result(host=host, result=PortState(host.name, scrubbed(platform, config), links))


# -- offline: the backup repository --------------------------------------------


class BackupReader:
    """Committed backups of a repository, read in one walk of the git tree.

    Hosts never committed fall back to the work-tree file
    `<network>/<role>/<HOST>.cfg` (a repository that is not a git repository yet).
    """

    def __init__(self, repo: Path) -> None:
        from netsteward.tasks.core.store import read_all_committed

        self.repo = repo
        try:
            self.committed = read_all_committed(repo)
        except Exception as exc:
            log.debug("%s: reading committed backups failed (%s); using files", repo, exc)
            self.committed = {}

    def get(self, host: str, network: str, role: str) -> str | None:
        text = self.committed.get(host)
        if text:
            return text
        path = self.repo / network / role / f"{host}.cfg"
        return path.read_text(encoding="utf-8") if path.is_file() else None


def latest_snapshot_path(repo: Path) -> Path | None:
    snaps = sorted((repo / "topology").glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"))
    return snaps[-1] if snaps else None


def snapshot_links(repo: Path) -> tuple[dict[str, list[Link]], set[str], str]:
    """host -> LLDP links from the latest topology snapshot (declared links left out),
    the hosts the snapshot discovered, and its date."""
    from netsteward.tasks.topology.model import load_snapshot

    path = latest_snapshot_path(repo)
    if path is None:
        raise BadInput(
            _(
                "no topology snapshot (configs/topology/YYYY-MM-DD.json); run `netsteward topology` first"
            ),
            file=str(repo / "topology"),
        )
    snap = load_snapshot(path)
    out: dict[str, list[Link]] = {}
    for link in snap.links.values():
        if link.seen == "declared":
            continue
        for (ha, pa), (hb, pb) in link.cables():
            out.setdefault(ha, []).append(Link(pa, hb, pb))
            out.setdefault(hb, []).append(Link(pb, ha, pa))
    discovered = {name for name, node in snap.nodes.items() if node.kind == "device"} - set(
        snap.unreachable
    )
    return out, discovered, snap.date


def offline_states(
    repo: Path, hosts: dict[str, tuple[str, str]]
) -> tuple[dict[str, PortState], dict[str, str]]:
    """States of `hosts` (name -> (network, role)) from the backup; and hosts left out, with why.

    A host the snapshot did not discover is left out: without its neighbours every
    port would look like an edge port.
    """
    links, discovered, date = snapshot_links(repo)
    backups = BackupReader(repo)
    states: dict[str, PortState] = {}
    missing: dict[str, str] = {}
    for host, (network, role) in sorted(hosts.items()):
        text = backups.get(host, network, role)
        if text is None:
            missing[host] = "no backup in the repository"
            continue
        if host not in discovered:
            missing[host] = (
                f"not discovered in the topology snapshot of {date} (neighbours unknown)"
            )
            continue
        states[host] = PortState(host, text, tuple(links.get(host, [])))
    return states, missing
