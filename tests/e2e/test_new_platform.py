"""Adding a platform is one YAML file (plus its readers and golden samples): no job code.

A site's platform folder (`NETSTEWARD_PLATFORM_PATH`) gets `acme_comware.yaml`, a copy of
the H3C Comware file under a new name and label; an inventory whose host is a lab Comware
device of that platform backs it up with the unchanged `netsteward backup`, and the stored
configuration is the one the shipped `hp_comware` platform stores for the same device.
docs/DESIGN.md ("A new platform") lists the files a platform needs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsteward.tasks.platforms import PLATFORM_DIR

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
NEW = "acme_comware"


def _netsteward(config: Path, *args: str, platforms: Path | None = None) -> Any:
    env = dict(os.environ)
    if platforms is not None:
        env["NETSTEWARD_PLATFORM_PATH"] = str(platforms)
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_a_new_platform_file_backs_up_a_device_without_code(lab: Any, tmp_path: Path) -> None:
    platforms = tmp_path / "platforms"
    platforms.mkdir()
    text = (PLATFORM_DIR / "hp_comware.yaml").read_text(encoding="utf-8")
    assert "name: hp_comware\n" in text
    (platforms / f"{NEW}.yaml").write_text(
        text.replace("name: hp_comware\n", f"name: {NEW}\n").replace(
            "label: comware", "label: acme"
        ),
        encoding="utf-8",
    )

    cfg = yaml.safe_load(lab.config.read_text())
    opts = cfg["inventory"]["options"]
    hosts = yaml.safe_load(Path(opts["host_file"]).read_text())
    host = next(
        n
        for n, h in hosts.items()
        if h["platform"] == "hp_comware" and h["data"]["role"] == "access"
    )
    entry = hosts[host]
    new_entry = {**entry, "platform": NEW, "groups": [NEW, *entry["groups"][1:]]}
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump({host: new_entry}), encoding="utf-8")
    groups = yaml.safe_load(Path(opts["group_file"]).read_text())
    groups[NEW] = {"platform": NEW}
    (tmp_path / "groups.yaml").write_text(yaml.safe_dump(groups), encoding="utf-8")
    opts["host_file"] = str(tmp_path / "hosts.yaml")
    opts["group_file"] = str(tmp_path / "groups.yaml")
    config = tmp_path / "nornir_config.yaml"
    config.write_text(yaml.safe_dump(cfg), encoding="utf-8")

    unknown = _netsteward(config, "inventory", "check")
    assert unknown.returncode == 2 and f"unknown platform '{NEW}'" in unknown.stderr

    new = _netsteward(config, "backup", "--repo", str(tmp_path / "new"), platforms=platforms)
    assert new.returncode == 0, new.stdout + new.stderr
    shipped = lab.netsteward("backup", "--hosts", host, "--repo", str(tmp_path / "shipped"))
    assert shipped.returncode == 0, shipped.stderr
    rel = Path(entry["data"]["network"]) / "access" / f"{host}.cfg"
    stored = (tmp_path / "new" / rel).read_text(encoding="utf-8")
    assert stored == (tmp_path / "shipped" / rel).read_text(encoding="utf-8")
    assert f"sysname {host}" in stored
