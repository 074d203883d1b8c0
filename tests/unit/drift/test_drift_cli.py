"""`netsteward drift --offline` through the CLI (typer runner): no device contact.

A two-device inventory (the normalize golden Huawei access switch and the oxidized ASA),
a backup repository with two commits; the second removes loop protection from a port and
adds a firewall rule by hand. The committed inventory groups/defaults are used.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import git
import pytest
import yaml
from typer.testing import CliRunner

from netsteward.playbooks.cli import app, register
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.topology.model import build_snapshot, dump_snapshot

register()  # every job's commands on `app` (a run registers only the one it names)

ROOT = Path(__file__).resolve().parents[3]
ACC = "YM-BASE-ACC-001"
FW = "YM-BASE-FW-09"
ACC_CFG = (ROOT / "tests" / "golden" / "huawei_vrp" / "normalize_access.raw").read_text()
FW_CFG = (ROOT / "tests" / "golden" / "cisco_asa" / "drift-rule.approved").read_text()
EDGE = "interface GigabitEthernet0/0/1\n port link-type access\n port default vlan 10\n stp edged-port enable\n loopback-detect enable\n"


def _host(port: int, platform: str, role: str, model: str) -> dict:
    return {
        "hostname": "127.0.0.1",
        "port": port,
        "platform": platform,
        "groups": [platform, role, "base"],
        "data": {"role": role, "network": "base", "model": model, "vendor": "x", "location": "F01"},
    }


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "hosts.yaml").write_text(
        yaml.safe_dump(
            {
                ACC: _host(10001, "huawei_vrp", "access", "S5735-L48T4X-A1"),
                FW: _host(10002, "cisco_asa", "firewall", "ASA5512"),
            }
        )
    )
    (tmp_path / "nornir_config.yaml").write_text(
        yaml.safe_dump(
            {
                "inventory": {
                    "plugin": "SimpleInventory",
                    "options": {
                        "host_file": str(tmp_path / "hosts.yaml"),
                        "group_file": str(ROOT / "inventory" / "groups.yaml"),
                        "defaults_file": str(ROOT / "inventory" / "defaults.yaml"),
                    },
                },
                "runner": {"plugin": "threaded", "options": {"num_workers": 2}},
                "logging": {"enabled": False},
            }
        )
    )
    repo = tmp_path / "configs"
    r = git.Repo.init(repo)
    (repo / "base" / "access").mkdir(parents=True)
    (repo / "base" / "firewall").mkdir(parents=True)
    (repo / "base" / "access" / f"{ACC}.cfg").write_text(ACC_CFG)
    (repo / "base" / "firewall" / f"{FW}.cfg").write_text(FW_CFG)
    r.index.add([f"base/access/{ACC}.cfg", f"base/firewall/{FW}.cfg"])
    r.index.commit("backup 1")
    assert EDGE in ACC_CFG
    (repo / "base" / "access" / f"{ACC}.cfg").write_text(
        ACC_CFG.replace(EDGE, EDGE.replace(" loopback-detect enable\n", ""))
    )
    (repo / "base" / "firewall" / f"{FW}.cfg").write_text(
        FW_CFG.replace(
            "pager lines 24\n",
            "access-list WAN_in extended permit tcp any host 10.42.0.99 eq 3389\naccess-group WAN_in in interface WAN\npager lines 24\n",
        )
    )
    r.index.add([f"base/access/{ACC}.cfg", f"base/firewall/{FW}.cfg"])
    r.index.commit("backup 2")
    return {"config": tmp_path / "nornir_config.yaml", "repo": repo, "tmp": tmp_path}


def _drift(setup: dict[str, Path], *extra: str) -> tuple[int, str]:
    args = [
        "drift",
        "--offline",
        "--config",
        str(setup["config"]),
        "--repo",
        str(setup["repo"]),
        "--policy",
        str(ROOT / "policy" / "ports.yaml"),
        "--intent",
        str(ROOT / "policy" / "firewall_intent.yaml"),
        *extra,
    ]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def test_offline_reports_what_changed_since_the_baseline(setup: dict[str, Path]) -> None:
    junit, md = setup["tmp"] / "j.xml", setup["tmp"] / "d.md"
    code, out = _drift(setup, "--junit", str(junit), "--markdown", str(md), "--json")
    assert code == 1, out
    doc = json.loads(out)
    drift = {(d["host"], d["check"]): d for d in doc["drift"]}
    assert set(drift) == {(ACC, "config"), (ACC, "port_policy"), (FW, "config"), (FW, "firewall")}
    assert [(v["subject"], v["kind"]) for v in drift[(ACC, "port_policy")]["new"]] == [
        ("GigabitEthernet0/0/1", "edge_without_loop_protection")
    ]
    assert drift[(ACC, "port_policy")]["known"], "the planted deviations are known"
    assert "-loopback-detect enable" not in drift[(ACC, "config")]["diff"]
    assert "- loopback-detect enable" in drift[(ACC, "config")]["diff"]
    assert any(v["kind"] == "RISKY_SERVICE" for v in drift[(FW, "firewall")]["new"])
    root = ET.parse(junit).getroot()
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert failed == {ACC, FW}
    assert "edge_without_loop_protection" in md.read_text()


def test_offline_same_revision_is_clean(setup: dict[str, Path]) -> None:
    code, out = _drift(setup, "--baseline", "HEAD")
    assert code == 0, out
    assert out.rstrip().endswith("(exit 0)")


def test_offline_device_without_backup_is_unreadable(setup: dict[str, Path]) -> None:
    hosts = yaml.safe_load((setup["tmp"] / "hosts.yaml").read_text())
    hosts["YM-BASE-ACC-999"] = _host(10003, "huawei_vrp", "access", "S5735-L48T4X-A1")
    (setup["tmp"] / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    code, out = _drift(setup, "--baseline", "HEAD")
    assert code == 3, out
    assert "UNREADABLE YM-BASE-ACC-999: no backup in the repository at" in out


def test_bad_baseline_is_bad_input(setup: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        app,
        [
            "drift",
            "--offline",
            "--config",
            str(setup["config"]),
            "--repo",
            str(setup["repo"]),
            "--baseline",
            "no-such-rev",
        ],
    )
    # the runner bypasses netsteward.playbooks.cli.main, which prints this line and exits 2
    assert isinstance(result.exception, BadInput) and result.exception.exit_code == 2
    assert "no such revision 'no-such-rev'" in str(result.exception)


def test_offline_topology_ignores_devices_the_snapshot_could_not_read(
    setup: dict[str, Path],
) -> None:
    """A baseline snapshot taken while YM-BASE-AGG-01 was down knows none of its cables:
    the cable ACC-AGG seen later is neither new on ACC, nor is AGG compared at all."""
    from netsteward.tasks.topology.model import (
        DeviceDiscovery,
        InventoryNode,
        build_snapshot,
        dump_snapshot,
    )
    from netsteward.tasks.topology.neighbor import Neighbor

    agg = "YM-BASE-AGG-01"
    hosts = yaml.safe_load((setup["tmp"] / "hosts.yaml").read_text())
    hosts[agg] = _host(10003, "huawei_vrp", "aggregation", "S6730")
    (setup["tmp"] / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    repo = setup["repo"]
    r = git.Repo(repo)
    (repo / "base" / "aggregation").mkdir(parents=True)
    (repo / "base" / "aggregation" / f"{agg}.cfg").write_text(f"sysname {agg}\n#\nreturn\n")
    inv = [
        InventoryNode(h, platform=v["platform"], role=v["data"]["role"], network="base")
        for h, v in hosts.items()
    ]

    def nb(peer: str, port: str) -> Neighbor:
        return Neighbor(
            local_interface=port,
            neighbor_name=peer,
            neighbor_port_id="XGigabitEthernet0/0/10",
            port_id_type="Interface name",
        )

    seen = [
        DeviceDiscovery(ACC, (nb(agg, "XGigabitEthernet0/0/1"),)),
        DeviceDiscovery(
            agg,
            (
                Neighbor(
                    local_interface="XGigabitEthernet0/0/10",
                    neighbor_name=ACC,
                    neighbor_port_id="XGigabitEthernet0/0/1",
                    port_id_type="Interface name",
                ),
            ),
        ),
    ]
    (repo / "topology").mkdir()
    (repo / "topology" / "2026-10-01.json").write_text(
        dump_snapshot(build_snapshot(seen[:1], inv, "2026-10-01", unreachable=[agg]))
    )
    r.index.add([f"base/aggregation/{agg}.cfg", "topology/2026-10-01.json"])
    r.index.commit("backup 3 with a snapshot taken while the aggregation switch was down")
    (repo / "topology" / "2026-11-01.json").write_text(
        dump_snapshot(build_snapshot(seen, inv, "2026-11-01"))
    )
    r.index.add(["topology/2026-11-01.json"])
    r.index.commit("snapshot 2026-11-01")
    code, out = _drift(setup)  # baseline: the commit before HEAD
    assert code == 0, out
    assert (
        "topology not compared for 1 device(s) the snapshot could not read (first YM-BASE-AGG-01)"
        in out
    )
    assert f"{'topology':<12} {1:>6} {0:>6} {0:>10}" in out  # ACC compared and clean


def test_an_internal_error_is_exit_70_not_unreadable(setup: dict[str, Path]) -> None:
    """A crash in the check used to be reported as exit 3 ("devices unreadable")."""
    code = (
        "import sys\n"
        "import netsteward.tasks.drift.assemble as assemble\n"
        "import netsteward.playbooks.cli as cli\n"
        "def boom(*a, **k):\n"
        "    raise RuntimeError('simulated bug')\n"
        "assemble.assemble = boom\n"
        "sys.exit(cli.run(sys.argv[1:]))\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "drift",
            "--offline",
            "--config",
            str(setup["config"]),
            "--repo",
            str(setup["repo"]),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 70, proc.stderr
    assert json.loads(proc.stdout)["error"]["kind"] == "internal"
    assert "RuntimeError: simulated bug" in proc.stderr


def test_the_approved_state_names_the_backup_not_a_later_snapshot(
    setup: dict[str, Path],
) -> None:
    """A topology snapshot committed after the backup used to be named as the approved
    state's "backup"; the label names the commit that last changed a configuration."""
    repo = setup["repo"]
    r = git.Repo(repo)
    backup = r.head.commit
    (repo / "topology").mkdir()
    (repo / "topology" / "2026-11-27.json").write_text(
        dump_snapshot(build_snapshot([], [], "2026-11-27"))
    )
    r.index.add(["topology/2026-11-27.json"])
    snapshot = r.index.commit("topology snapshot 2026-11-27: 0 nodes, 0 links")
    code, out = _drift(setup, "--baseline", "HEAD", "--json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["approved"].startswith(f"backup {backup.hexsha[:7]} ("), doc["approved"]
    assert snapshot.hexsha[:7] not in doc["approved"] + doc["live"]


def test_a_policy_exception_for_a_host_not_in_the_inventory_is_bad_input(
    setup: dict[str, Path],
) -> None:
    """A typo'd host exception would silently not apply: refused before anything is read."""
    policy = yaml.safe_load((ROOT / "policy" / "ports.yaml").read_text())
    policy["hosts"] = {"YM-BASE-ACC-0O1": {"loop_protection": False}}
    path = setup["tmp"] / "ports.yaml"
    path.write_text(yaml.safe_dump(policy))
    result = CliRunner().invoke(
        app,
        [
            "drift",
            "--offline",
            "--config",
            str(setup["config"]),
            "--repo",
            str(setup["repo"]),
            "--policy",
            str(path),
            "--intent",
            str(ROOT / "policy" / "firewall_intent.yaml"),
        ],
    )
    assert isinstance(result.exception, BadInput) and result.exception.exit_code == 2
    assert "not in the inventory: YM-BASE-ACC-0O1" in str(result.exception)
    assert result.exception.field == "hosts.YM-BASE-ACC-0O1"
