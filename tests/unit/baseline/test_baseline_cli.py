"""`netsteward audit baseline` from a backup repository: exit codes, selection, reports, --plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.core.store import BackupStore

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", "audit", "baseline", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=600,
    )


HOSTS = {
    # host: (platform, role, network, model, configuration file)
    "SW-C9200": ("cisco_ios", "access", "base", "C9200L", "cisco_ios/c9200l_17_09.raw"),
    "FW-RISKY": ("huawei_vrp", "firewall", "base", "USG6650E", "baseline/vrpir_risky_edge_usg.cfg"),
    "FW-HARDENED": (
        "huawei_vrp",
        "firewall",
        "base",
        "USG6650E",
        "baseline/vrpir_hardened_usg.cfg",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup repository of three devices and an inventory that names them (plus one without a backup)."""
    path = tmp_path_factory.mktemp("baseline_site")
    store = BackupStore.open(path / "configs")
    files = [
        (f"{net}/{role}/{host}.cfg", (GOLDEN / file).read_text(encoding="utf-8"))
        for host, (_p, role, net, _m, file) in HOSTS.items()
    ]
    store.commit_backups(files, "backup 2026-12-01: 3 devices")
    hosts = {
        name: {
            "hostname": "127.0.0.1",
            "port": 10001 + i,
            "platform": platform,
            "groups": [platform, role, net],
            "data": {"role": role, "network": net, "model": model, "vendor": "x"},
        }
        for i, (name, (platform, role, net, model, _f)) in enumerate(HOSTS.items())
    }
    (path / "hosts.yaml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    (path / "nornir_config.yaml").write_text(
        yaml.safe_dump(
            {
                "inventory": {
                    "plugin": "SimpleInventory",
                    "options": {
                        "host_file": "hosts.yaml",
                        "group_file": str(ROOT / "inventory" / "groups.yaml"),
                        "defaults_file": str(ROOT / "inventory" / "defaults.yaml"),
                    },
                },
                "logging": {"enabled": False},
            }
        ),
        encoding="utf-8",
    )
    for name in ("policy",):
        (path / name).symlink_to(ROOT / name)
    return path


def test_backups_json_and_exit_1(site: Path) -> None:
    out = site / "out"
    proc = cli(
        "--json",
        "--as-of",
        "2026-12-01",
        "--markdown",
        str(out / "b.md"),
        "--html",
        str(out / "b.html"),
        "--sarif",
        str(out / "b.sarif"),
        "--group-by",
        "control",
        cwd=site,
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["devices"] == 3 and data["not_audited"] == {}
    devices = {f["device"] for f in data["findings"]}
    assert devices == {"SW-C9200", "FW-RISKY", "FW-HARDENED"}
    risky = {f["check"] for f in data["findings"] if f["device"] == "FW-RISKY"}
    assert {"MGMT-TELNET-OFF", "MGMT-HTTP-OFF", "SNMP-DEFAULT-COMMUNITY"} <= risky
    sarif = json.loads((out / "b.sarif").read_text())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {
        "base/access/SW-C9200.cfg",
        "base/firewall/FW-RISKY.cfg",
        "base/firewall/FW-HARDENED.cfg",
    }
    assert "## Findings by control" in (out / "b.md").read_text()
    assert "<table>" in (out / "b.html").read_text()


def test_selection_fail_on_and_the_table(site: Path) -> None:
    proc = cli("--hosts", "FW-HARDENED", "--as-of", "2026-12-01", cwd=site)
    assert proc.returncode == 0, proc.stderr  # only medium and low findings: below --fail-on high
    assert "FW-HARDENED" in proc.stdout and "SW-C9200" not in proc.stdout
    assert cli("--hosts", "FW-HARDENED", "--fail-on", "low", cwd=site).returncode == 1
    assert cli("--group", "cisco_ios", "--as-of", "2026-12-01", cwd=site).returncode == 1
    bad = cli("--hosts", "NOPE-*", cwd=site)
    assert bad.returncode == 2 and "no host in the inventory matches" in bad.stderr


def test_waiver_file_both_ways(site: Path) -> None:
    waivers = site / "w.yaml"
    waivers.write_text(
        "version: 1\nwaivers:\n  - {device: SW-C9200, check: SNMP-WRITE-COMMUNITY, reason: NMS, who: Li, expires: 2026-12-31}\n"
        "  - {device: SW-C9200, check: SNMP-DEFAULT-COMMUNITY, reason: NMS, who: Li, expires: 2026-12-31}\n"
        "  - {device: SW-C9200, check: AUTH-LOCKOUT, reason: TACACS only, who: Li, expires: 2026-12-31}\n",
        encoding="utf-8",
    )
    before = cli(
        "--hosts",
        "SW-C9200",
        "--waivers",
        str(waivers),
        "--as-of",
        "2026-12-31",
        "--json",
        cwd=site,
    )
    after = cli(
        "--hosts",
        "SW-C9200",
        "--waivers",
        str(waivers),
        "--as-of",
        "2027-01-01",
        "--json",
        cwd=site,
    )
    assert before.returncode == 0, before.stderr  # the only high findings are waived
    assert after.returncode == 1
    b, a = json.loads(before.stdout), json.loads(after.stdout)
    assert b["summary"]["waived"] == 3 and a["summary"]["waiver_expired"] == 3
    assert b["unknown_files"] == []  # the others are in the inventory, only not selected
    assert {f["status"] for f in a["findings"] if f["check"].startswith("SNMP-")} >= {
        "waiver_expired"
    }


def test_a_device_without_backup_is_exit_3_and_the_others_are_reported(site: Path) -> None:
    hosts = yaml.safe_load((site / "hosts.yaml").read_text())
    hosts["SW-NEW"] = dict(hosts["SW-C9200"], port=10099)
    (site / "hosts2.yaml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    cfg = yaml.safe_load((site / "nornir_config.yaml").read_text())
    cfg["inventory"]["options"]["host_file"] = "hosts2.yaml"
    (site / "nornir2.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    proc = cli("--config", "nornir2.yaml", "--json", cwd=site)
    assert proc.returncode == 3
    data = json.loads(proc.stdout)
    assert data["not_audited"] == {"SW-NEW": "no configuration in the backup repository"}
    assert data["summary"]["devices"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--config-file", "x.cfg"], "--platform: give --platform with --config-file"),
        (
            ["--config-file", "x.cfg", "--platform", "juniper"],
            "--platform: no rule file for 'juniper'",
        ),
        (["--platform", "cisco_ios"], "--platform: --platform goes with --config-file"),
        (["--fail-on", "urgent"], "--fail-on: must be one of high, medium, low"),
        (["--group-by", "site"], "--group-by: must be one of device, check, control"),
        (["--as-of", "1.1.2026"], "--as-of: not a date"),
        (["--repo", "nowhere"], "nowhere: --repo: backup repository not found"),
    ],
)
def test_bad_input_is_one_line_exit_2(site: Path, args: list[str], message: str) -> None:
    proc = cli(*args, cwd=site)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr


def test_a_port_policy_naming_a_host_not_in_the_inventory_is_exit_2(site: Path) -> None:
    """The port policy decides which unused ports are findings: a typo'd host exception
    would silently audit that device against the wrong rules."""
    policy = yaml.safe_load((ROOT / "policy" / "ports.yaml").read_text(encoding="utf-8"))
    policy["hosts"] = {"SW-C9201": {"loop_protection": False}}
    (site / "typo-ports.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    proc = cli("--port-policy", "typo-ports.yaml", cwd=site)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "typo-ports.yaml" in lines[0] and "hosts.SW-C9201" in lines[0], lines[0]
    assert "not in the inventory: SW-C9201" in lines[0]


def test_plan_writes_a_normalize_plan_for_the_fixable_findings(site: Path) -> None:
    plan_file = site / "plan.json"
    proc = cli("--hosts", "SW-C9200", "--plan", str(plan_file), "--json", cwd=site)
    assert proc.returncode == 1
    note = json.loads(proc.stdout)["plan"]
    assert note["devices"] == 1 and note["changes"] >= 3 and note["advice"] == 0
    from netsteward.playbooks.normalize import load_plan

    plan = load_plan(plan_file)
    assert plan.job == "baseline" and plan.source == "offline"
    (dev,) = plan.devices
    assert dev.view == "config" and dev.fingerprint.startswith("sha256:")
    kinds = {c.kind for c in dev.changes}
    assert {"LOG-SERVER", "NTP-SERVER", "SVC-SOURCE-ROUTE-OFF"} <= kinds
    assert "SNMP-WRITE-COMMUNITY" not in kinds  # no automatic fix: the community name is masked
    assert (
        "logging host 192.0.2.243" in dev.commands and "no logging host 192.0.2.243" in dev.rollback
    )


def test_one_file_with_and_without_role(site: Path) -> None:
    cfg = str(GOLDEN / "baseline" / "vrpir_risky_edge_usg.cfg")
    with_role = cli(
        "--config-file", cfg, "--platform", "huawei_vrp", "--role", "firewall", "--json", cwd=site
    )
    without = cli("--config-file", cfg, "--platform", "huawei_vrp", "--json", cwd=site)
    assert with_role.returncode == without.returncode == 1
    assert json.loads(without.stdout)["summary"]["checks_skipped_no_role"] > 0
    assert "give --role" in without.stderr or without.stderr == ""
