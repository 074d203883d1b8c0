"""Every job that commits backups does it the backup's way (one repository layer):
`drift accept` after a device moved network leaves one file for it, and its commit is found
as the last backup (the monthly tag and the approved state look for it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsteward.tasks.core.store import BackupStore

pytestmark = pytest.mark.e2e


def _moved_inventory(lab: Any, host: str, network: str, work: Path) -> Path:
    """A copy of the lab's Nornir configuration in which `host` belongs to `network`."""
    cfg = yaml.safe_load(lab.config.read_text())
    hosts_file = Path(cfg["inventory"]["options"]["host_file"])
    hosts = yaml.safe_load(hosts_file.read_text())
    old = hosts[host]["data"]["network"]
    hosts[host]["data"]["network"] = network
    hosts[host]["groups"] = [network if g == old else g for g in hosts[host]["groups"]]
    moved = work / "hosts.yaml"
    moved.write_text(yaml.safe_dump(hosts, sort_keys=False), encoding="utf-8")
    cfg["inventory"]["options"]["host_file"] = str(moved)
    config = work / "nornir_config.yaml"
    config.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return config


def test_drift_accept_of_a_moved_device_is_a_backup_commit_with_one_file(
    lab: Any, tmp_path: Path
) -> None:
    host = next(
        d["name"]
        for d in lab.truth()["devices"]
        if d["role"] == "access" and d["network"] == "base" and d["platform"] == "hp_comware"
    )
    repo = tmp_path / "configs"
    first = lab.netsteward("backup", "--hosts", host, "--repo", str(repo))
    assert first.returncode == 0, first.stderr
    moved = _moved_inventory(lab, host, "device_net", tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "drift",
            "accept",
            host,
            "--reason",
            "moved",
            "--repo",
            str(repo),
            "--config",
            str(moved),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    store = BackupStore.open(repo, create=False)
    assert store.repo is not None
    assert store.repo.git.ls_files(f"*/{host}.cfg").splitlines() == [
        f"device_net/access/{host}.cfg"
    ]
    last = store.last_backup_commit()
    assert last is not None and last.hexsha == store.repo.head.commit.hexsha
    assert str(last.summary) == f"backup (drift accept): {host}"
