"""`check_inventory` and `netsteward inventory check`: one line per problem, file:line: field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netsteward.tasks.inventory.check import check_inventory

ROOT = Path(__file__).resolve().parents[3]
GROUPS = (ROOT / "inventory" / "groups.yaml").read_text()

GOOD = """\
SW-1:
  hostname: 127.0.0.1
  port: 10001
  platform: huawei_vrp
  groups: [huawei_vrp, access, base]
  data: {role: access, network: base}
FW-1:
  hostname: 127.0.0.1
  port: 10002
  platform: cisco_asa
  groups: [cisco_asa, firewall, egov_extranet]
  data: {role: firewall, network: egov_extranet}
"""


def write(
    tmp_path: Path, hosts: str, groups: str = GROUPS, defaults: str = "{}\n"
) -> dict[str, Path]:
    paths = {
        "host": tmp_path / "hosts.yaml",
        "group": tmp_path / "groups.yaml",
        "defaults": tmp_path / "defaults.yaml",
    }
    paths["host"].write_text(hosts)
    paths["group"].write_text(groups)
    paths["defaults"].write_text(defaults)
    return paths


def test_good_inventory_has_no_problems(tmp_path: Path) -> None:
    assert check_inventory(write(tmp_path, GOOD)) == []


def test_the_committed_inventory_is_clean() -> None:
    paths = {
        k: ROOT / "inventory" / f"{n}.yaml"
        for k, n in (("host", "hosts"), ("group", "groups"), ("defaults", "defaults"))
    }
    assert check_inventory(paths) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "platform: huawei_vrp",
            "platform: juniper_junos",
            "hosts.yaml:4: SW-1.platform: unknown platform 'juniper_junos'",
        ),
        (
            "[huawei_vrp, access, base]",
            "[huawei_vrp, access, base, floor3]",
            "hosts.yaml:5: SW-1.groups: unknown group 'floor3'",
        ),
        (
            "[huawei_vrp, access, base]",
            "[huawei_vrp, base]",
            "hosts.yaml:5: SW-1.groups: missing group 'access' (the host's role)",
        ),
        (
            "  groups: [huawei_vrp, access, base]\n",
            "",
            "hosts.yaml:1: SW-1.groups: missing required field",
        ),
        (
            "port: 10002",
            "port: 10001",
            "hosts.yaml:7: FW-1.hostname: same address and port 127.0.0.1:10001 as SW-1 (line 1)",
        ),
        ("FW-1:", "SW-1:", "hosts.yaml:7: SW-1: duplicate name (first defined on line 1)"),
        (
            "  hostname: 127.0.0.1\n  port: 10001",
            "  port: 10001",
            "hosts.yaml:1: SW-1.hostname: missing required field",
        ),
        (
            "{role: access, network: base}",
            "{network: base}",
            "hosts.yaml:6: SW-1.data.role: missing required field",
        ),
        (
            "{role: access, network: base}",
            "{role: switch, network: base}",
            "hosts.yaml:6: SW-1.data.role: unknown role 'switch'",
        ),
        ("port: 10001", "port: 99999", "hosts.yaml:3: SW-1.port: not a TCP port: '99999'"),
        ("FW-1:", "FW 1/../x:", "hosts.yaml:7: FW 1/../x: not a usable device name"),
        (
            "port: 10001",
            "port: 10001\n  password: hunter2",
            "hosts.yaml:4: SW-1.password: credentials do not belong in the inventory",
        ),
        ("port: 10001", "port: 10001\n  hostnme: x", "hosts.yaml:4: SW-1.hostnme: unknown field"),
        (
            "data: {role: access, network: base}",
            "data: {role: access, network: base",
            "hosts.yaml:7: hosts: not valid YAML",
        ),
    ],
)
def test_one_line_per_problem_with_file_line_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    problems = check_inventory(write(tmp_path, GOOD.replace(old, new, 1)))
    lines = [str(p).replace(str(tmp_path) + "/", "") for p in problems]
    assert any(line.startswith(expected) for line in lines), lines
    assert all("\n" not in line for line in lines)


def test_unknown_group_in_groups_file_and_credentials_in_defaults(tmp_path: Path) -> None:
    paths = write(tmp_path, GOOD, GROUPS + "extra:\n  groups: [nowhere]\n", "username: admin\n")
    lines = [str(p).replace(str(tmp_path) + "/", "") for p in check_inventory(paths)]
    assert any(
        line.startswith("groups.yaml:") and "extra.groups: unknown group 'nowhere'" in line
        for line in lines
    )
    assert any(
        line.startswith("defaults.yaml:1: username: credentials do not belong") for line in lines
    )


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "NETSTEWARD_USERNAME": "u", "NETSTEWARD_PASSWORD": "p"}
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "nornir_config.yaml"
    cfg.write_text(
        "inventory:\n  plugin: SimpleInventory\n  options:\n    host_file: hosts.yaml\n"
        "    group_file: groups.yaml\n    defaults_file: defaults.yaml\n"
        "runner:\n  plugin: threaded\n  options: {num_workers: 2}\nlogging: {enabled: false}\n"
    )
    return cfg


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    cfg = _config(tmp_path)
    ok = _cli("inventory", "check", "--config", str(cfg), cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "inventory ok: 2 hosts" in ok.stdout
    write(
        tmp_path,
        GOOD.replace("platform: cisco_asa", "platform: cisco_asx").replace(
            "port: 10002", "port: 10001"
        ),
    )
    bad = _cli("inventory", "check", "--config", str(cfg), cwd=ROOT)
    assert bad.returncode == 2
    problem_lines = [ln for ln in bad.stderr.splitlines() if ln.startswith(str(tmp_path))]
    assert len(problem_lines) == 2
    assert "Traceback" not in bad.stderr


def test_a_job_with_a_bad_inventory_touches_no_device(tmp_path: Path) -> None:
    # port 1 on 127.0.0.1: a job that tried to connect would fail with exit 3, not 2
    write(
        tmp_path,
        GOOD.replace("port: 10001", "port: 1").replace("platform: cisco_asa", "platform: nope"),
    )
    cfg = _config(tmp_path)
    repo = tmp_path / "configs"
    proc = _cli("backup", "--config", str(cfg), "--repo", str(repo), cwd=ROOT)
    assert proc.returncode == 2
    assert "FW-1.platform: unknown platform 'nope'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not repo.exists()


def test_a_selection_that_matches_nothing_is_bad_input(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    cfg = _config(tmp_path)
    proc = _cli(
        "backup", "--config", str(cfg), "--repo", str(tmp_path / "c"), "--hosts", "NOPE*", cwd=ROOT
    )
    assert proc.returncode == 2
    assert "no host in the inventory matches the selection" in proc.stderr
    assert not (tmp_path / "c").exists()
