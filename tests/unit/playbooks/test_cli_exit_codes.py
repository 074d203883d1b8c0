"""The `netsteward` command's exit-code promises that hold for every job."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _bad_inventory(tmp: Path) -> Path:
    (tmp / "inventory").mkdir()
    shutil.copy(ROOT / "nornir_config.yaml", tmp / "nornir_config.yaml")
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy(ROOT / "inventory" / name, tmp / "inventory" / name)
    hosts = (ROOT / "inventory" / "hosts.yaml").read_text().splitlines()[:40]
    text = "\n".join(hosts).replace("platform: huawei_vrp", "platform: huawei_vpr", 1)
    (tmp / "inventory" / "hosts.yaml").write_text(text + "\n")
    return tmp / "nornir_config.yaml"


def test_audit_checks_the_inventory_first(tmp_path: Path) -> None:
    config = _bad_inventory(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "audit",
            "firewall",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "hosts.yaml:" in lines[0] and "platform" in lines[0] and "huawei_vpr" in lines[0]
    assert "Traceback" not in proc.stderr


def test_an_internal_error_is_one_line_and_never_exit_1(tmp_path: Path) -> None:
    code = (
        "import netsteward.playbooks.cli as cli\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('simulated bug')\n"
        "cli.register = boom\n"
        "cli.main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert proc.returncode == 70
    assert proc.stderr.strip() == (
        "netsteward: internal error: RuntimeError: simulated bug "
        "(set NETSTEWARD_DEBUG=1 for the traceback)"
    )


def test_audit_selects_firewalls_by_inventory_group(tmp_path: Path) -> None:
    """--group filters the backed-up configurations by inventory membership (no device contact)."""
    golden = (ROOT / "tests" / "golden" / "cisco_asa" / "fw_policy.cfg").read_text()
    for network, host in (("base", "YM-BASE-FW-13"), ("egov_intranet", "YM-EGI-FW-07")):
        path = tmp_path / "repo" / network / "firewall" / f"{host}.cfg"
        path.parent.mkdir(parents=True)
        path.write_text(golden)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsteward.playbooks.cli",
            "audit",
            "firewall",
            "--repo",
            str(tmp_path / "repo"),
            "--group",
            "egov_intranet",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    devices = {f["device"] for f in json.loads(proc.stdout)["findings"]}
    assert devices == {"YM-EGI-FW-07"}


def test_a_hosts_glob_that_matches_nothing_is_bad_input_not_an_empty_success() -> None:
    """`--hosts` is a glob over inventory names; a typo used to run on no device and exit 0.
    No device is contacted: the selection fails before any connection. With --json the
    error is also the JSON envelope on stdout (docs/DESIGN.md, "JSON output")."""
    env = {"NETSTEWARD_USERNAME": "u", "NETSTEWARD_PASSWORD": "p", "PATH": "/usr/bin:/bin"}
    for job in (
        ["normalize", "plan"],
        ["topology", "snapshot", "--no-commit"],
        ["backup"],
        ["drift"],
    ):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "netsteward.playbooks.cli",
                *job,
                "--hosts",
                "YM-NO-SUCH-*",
                "--json",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        assert proc.returncode == 2, (job, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "--hosts" in lines[0] and "YM-NO-SUCH-*" in lines[0], (
            job,
            proc.stderr,
        )
        doc = json.loads(proc.stdout)
        assert list(doc)[:3] == ["command", "exit_code", "counts"], (job, doc)
        assert (doc["command"], doc["exit_code"], doc["counts"]) == (" ".join(job[:2]), 2, {})
        assert doc["error"]["kind"] == "bad_input" and doc["error"]["field"] == "--hosts/--group"
