"""What every `netsteward` command promises, checked through the installed entry point
(`python -m netsteward.playbooks.cli`): `--version`, `--config` relative to the working
directory, and the `--json` envelope on success and on failure. No device is contacted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from netsteward.playbooks.common import command_name, envelope, open_nornir

ROOT = Path(__file__).resolve().parents[3]
ENV = {"NETSTEWARD_USERNAME": "u", "NETSTEWARD_PASSWORD": "p", "PATH": "/usr/bin:/bin"}


def netsteward(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=ENV,
        check=False,
    )


def site(tmp: Path) -> Path:
    """A copy of the committed configuration and inventory under tmp/site/."""
    (tmp / "site" / "inventory").mkdir(parents=True)
    shutil.copy(ROOT / "nornir_config.yaml", tmp / "site" / "nornir_config.yaml")
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        shutil.copy(ROOT / "inventory" / name, tmp / "site" / "inventory" / name)
    return tmp / "site" / "nornir_config.yaml"


def test_version_names_the_installed_distribution() -> None:
    proc = netsteward("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"netsteward {version('netsteward')}\n"


def test_a_relative_config_with_a_directory_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--config site/nornir_config.yaml` used to be resolved again after the chdir into
    site/, so every fleet job looked for site/site/nornir_config.yaml and exited 70."""
    site(tmp_path)
    monkeypatch.chdir(tmp_path)
    nr = open_nornir(Path("site/nornir_config.yaml"), group="firewall", need_credentials=False)
    assert len(nr.inventory.hosts) == 34
    assert Path.cwd() == tmp_path


def test_a_fleet_job_with_a_relative_config(tmp_path: Path) -> None:
    site(tmp_path)
    golden = (ROOT / "tests" / "golden" / "cisco_asa" / "fw_policy.cfg").read_text()
    path = tmp_path / "configs" / "base" / "firewall" / "YM-BASE-FW-13.cfg"
    path.parent.mkdir(parents=True)
    path.write_text(golden)
    proc = netsteward(
        "audit",
        "firewall",
        "--config",
        "site/nornir_config.yaml",
        "--group",
        "firewall",
        "--intent",
        str(ROOT / "policy" / "firewall_intent.yaml"),
        "--json",
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert {f["device"] for f in json.loads(proc.stdout)["findings"]} == {"YM-BASE-FW-13"}


def check_envelope(doc: dict[str, Any], command: str, exit_code: int) -> None:
    assert list(doc)[:3] == ["command", "exit_code", "counts"], list(doc)
    assert doc["command"] == command and doc["exit_code"] == exit_code
    assert all(isinstance(v, int) for v in doc["counts"].values()), doc["counts"]


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["drift", "accept", "YM-NO-SUCH", "--reason", "x"], "drift accept"),
        (["audit", "firewall", "--fail-on", "severe"], "audit firewall"),
        (["inventory", "check", "--config", "no-such.yaml"], "inventory check"),
        (["topology", "diff", "no-such-1", "no-such-2"], "topology diff"),
    ],
)
def test_a_failing_command_prints_its_error_as_json(args: list[str], command: str) -> None:
    """With --json a failure used to print nothing on stdout: now the envelope with the
    error; stderr still carries the one line for people (the fleet jobs' selection errors:
    test_cli_exit_codes.py)."""
    proc = netsteward(*args, "--json")
    assert proc.returncode == 2, proc.stderr
    doc = json.loads(proc.stdout)
    check_envelope(doc, command, 2)
    assert doc["error"]["kind"] == "bad_input"
    assert doc["error"]["message"] in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_usage_error_with_json_is_json_too() -> None:
    proc = netsteward("backup", "--workers", "0", "--json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    check_envelope(doc, "backup", 2)
    assert "--workers" in doc["error"]["message"]


def test_an_internal_error_with_json() -> None:
    code = (
        "import sys\n"
        "import netsteward.playbooks.backup as backup\n"
        "import netsteward.playbooks.cli as cli\n"
        "def boom(*a, **k):\n"
        "    raise RuntimeError('simulated bug')\n"
        "backup.run_backup = boom\n"
        "sys.argv = ['netsteward', 'backup', '--json']\n"
        "cli.main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 70
    doc = json.loads(proc.stdout)
    check_envelope(doc, "backup", 70)
    assert doc["error"] == {
        "kind": "internal",
        "message": "internal error: RuntimeError: simulated bug",
    }


def test_a_successful_command_uses_the_envelope(tmp_path: Path) -> None:
    proc = netsteward("inventory", "check", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    check_envelope(doc, "inventory check", 0)
    assert doc["counts"] == {"hosts": 739, "problems": 0}
    assert doc["ok"] is True and doc["problems"] == []


def test_the_envelope_keeps_its_own_keys() -> None:
    with pytest.raises(ValueError, match="counts"):
        envelope("x", 0, {}, {"counts": 1})
    doc = envelope("x", 1, {"b": 1, "a": 2}, {"z": {"b": 1, "a": 2}, "y": 0})
    assert json.dumps(doc) == (
        '{"command": "x", "exit_code": 1, "counts": {"a": 2, "b": 1}, '
        '"y": 0, "z": {"a": 2, "b": 1}}'
    )
    assert command_name(None) == ""


def test_the_lab_wrapper_puts_the_labs_json_in_the_envelope(tmp_path: Path) -> None:
    """`netsteward lab ... --json` passes the lab tool's own document on, enveloped."""
    proc = netsteward("lab", "status", "--json", "--state-dir", str(tmp_path / "no-lab"))
    assert proc.returncode == 3  # not running
    doc = json.loads(proc.stdout)
    check_envelope(doc, "lab status", 3)
    assert doc["running"] is False and doc["state_dir"] == str(tmp_path / "no-lab")
    proc = netsteward("lab", "truth", "--json", "--state-dir", str(tmp_path / "no-lab"))
    doc = json.loads(proc.stdout)
    check_envelope(doc, "lab truth", 0)
    assert doc["counts"]["devices"] == len(doc["devices"]) == 739
