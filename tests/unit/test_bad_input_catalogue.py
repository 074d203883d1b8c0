"""Every bad input is exit 2, one line on stderr, nothing written, no device touched.

A catalogue of bad inputs per file type (inventory hosts/groups/defaults, Nornir
configuration, port policy, firewall intent, inspection policy, baseline rules and
waivers, normalize plans, ledgers, paths given on the command line), each fed to the
command that reads it, run as people run it (a subprocess of the CLI). The inventory's
devices point at a closed port of 127.0.0.1: a command that got as far as a device would
exit 3, not 2. The site folder is compared before and after: nothing may be written.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from netsteward.tasks.core.scrub import normalise_config
from netsteward.tasks.core.store import BackupStore
from netsteward.tasks.topology.model import DeviceDiscovery, InventoryNode, build_snapshot
from netsteward.tasks.topology.store import write_snapshot

ROOT = Path(__file__).resolve().parents[2]
BINARY = b"\x00\x01\x02\x03binary\xff\xfe"
LATIN1 = "# caf\xe9\nversion: 1\n".encode("latin-1")
COMMENTS = b"# only a comment\n\n# and another\n"
HOSTS = """\
SW-01:
  hostname: 127.0.0.1
  port: 9
  platform: huawei_vrp
  groups: [huawei_vrp, access, base]
  data: {role: access, network: base, model: S5735}
FW-01:
  hostname: 127.0.0.1
  port: 7
  platform: cisco_asa
  groups: [cisco_asa, firewall, base]
  data: {role: firewall, network: base, model: ASA5525-X}
"""
LEDGER_HEAD = "Device Name,Management Address,Port,Vendor,Model,Role,Network,Location\n"
LEDGER_ROW = "SW-01,127.0.0.1,{port},Huawei,S5735,access,base,F03\n"
PLAN = ROOT / "tests" / "golden" / "huawei_vrp" / "normalize_access.raw"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    shutil.copy(ROOT / "nornir_config.yaml", site / "nornir_config.yaml")
    (site / "inventory").mkdir()
    (site / "inventory" / "hosts.yaml").write_text(HOSTS)
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy(ROOT / "inventory" / name, site / "inventory" / name)
    shutil.copytree(ROOT / "policy", site / "policy")
    (site / "fw.cfg").write_text((ROOT / "tests/golden/cisco_asa/fw_policy.cfg").read_text())
    (site / "sw.cfg").write_text(PLAN.read_text())
    (site / "ledger.csv").write_text(LEDGER_HEAD + LEDGER_ROW.format(port=22))
    BackupStore.open(site / "configs").commit_backups(
        [("base/access/SW-01.cfg", normalise_config("huawei_vrp", PLAN.read_text()))], "backup t"
    )
    inv = [InventoryNode("SW-01", "huawei_vrp", "access", "base", "huawei", "S5735")]
    write_snapshot(
        site / "configs", build_snapshot([DeviceDiscovery("SW-01", ())], inv, "2026-12-01")
    )
    made = _run(site, _plan(site))
    assert made.returncode == 1 and (site / "plan.json").exists(), made.stderr
    return site


def _run(site: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=site,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "NETSTEWARD_USERNAME": "u",
            "NETSTEWARD_PASSWORD": "p",
            "HOME": str(site),
        },
    )


def _state(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
        for p in sorted(site.rglob("*"))
    }


# (id, file to replace relative to the site or None, its new content, the command)
Case = tuple[str, str | None, bytes | None, Callable[[Path], list[str]]]


def _backup(s: Path) -> list[str]:
    return ["backup", "--config", str(s / "nornir_config.yaml"), "--repo", str(s / "configs")]


def _check(s: Path) -> list[str]:
    return ["inventory", "check", "--config", str(s / "nornir_config.yaml")]


def _plan(s: Path) -> list[str]:
    return [
        "normalize", "plan", "--config", str(s / "nornir_config.yaml"), "--offline",
        "--repo", str(s / "configs"), "--policy", str(s / "policy" / "ports.yaml"),
        "--out", str(s / "plan.json"),
    ]  # fmt: skip


def _apply(s: Path) -> list[str]:
    return [
        "normalize", "apply", str(s / "plan.json"), "--config", str(s / "nornir_config.yaml"),
        "--repo", str(s / "configs"),
    ]  # fmt: skip


def _firewall(s: Path) -> list[str]:
    return [
        "audit", "firewall", "--config-file", str(s / "fw.cfg"), "--platform", "cisco_asa",
        "--intent", str(s / "policy" / "firewall_intent.yaml"),
    ]  # fmt: skip


def _baseline(s: Path) -> list[str]:
    return [
        "audit", "baseline", "--config-file", str(s / "sw.cfg"), "--platform", "huawei_vrp",
        "--role", "access", "--rules", str(s / "policy" / "baseline"),
        "--waivers", str(s / "policy" / "baseline" / "waivers.yaml"),
    ]  # fmt: skip


def _inspect(s: Path) -> list[str]:
    return [
        "inspect", "--config", str(s / "nornir_config.yaml"), "--repo", str(s / "configs"),
        "--policy", str(s / "policy" / "inspection.yaml"), "--out", str(s / "out"),
    ]  # fmt: skip


def _ledger(s: Path) -> list[str]:
    return [
        "inventory", "import", str(s / "ledger.csv"), "--config", str(s / "nornir_config.yaml"),
        "--out", str(s / "new-hosts.yaml"),
    ]  # fmt: skip


def _with_repo_file(command: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    """The command with its --repo pointing at a file."""

    def changed(s: Path) -> list[str]:
        args = command(s)
        return [str(s / "fw.cfg") if a == str(s / "configs") else a for a in args]

    return changed


def _bad_kinds(
    path: str, command: Callable[[Path], list[str]], *, empty: bool = True
) -> list[Case]:
    name = path.rsplit("/", 1)[-1]
    cases: list[Case] = [
        (f"{name}-binary", path, BINARY, command),
        (f"{name}-latin1", path, LATIN1, command),
    ]
    if empty:
        cases += [
            (f"{name}-empty", path, b"", command),
            (f"{name}-comments-only", path, COMMENTS, command),
        ]
    return cases


def _text(s: str) -> bytes:
    return s.encode("utf-8")


INTENT_HOST_BITS = """\
version: 1
servers:
  - name: WEB
    addresses: [10.20.1.10/24]
    services:
      - {protocol: tcp, ports: "443", sources: [any]}
"""
INTENT_EMPTY = "version: 1\nservers: []\n"

CATALOGUE: list[Case] = [
    *_bad_kinds("inventory/hosts.yaml", _backup),
    *_bad_kinds("inventory/groups.yaml", _backup, empty=False),
    *_bad_kinds("inventory/defaults.yaml", _backup, empty=False),
    ("hosts-empty-inventory", "inventory/hosts.yaml", b"{}\n", _backup),
    ("hosts-check-empty", "inventory/hosts.yaml", b"", _check),
    ("hosts-impossible-address", "inventory/hosts.yaml",
     _text(HOSTS.replace("hostname: 127.0.0.1", "hostname: 999.1.1.1", 1)), _backup),
    ("hosts-check-impossible-address", "inventory/hosts.yaml",
     _text(HOSTS.replace("hostname: 127.0.0.1", "hostname: 999.1.1.1", 1)), _check),
    *_bad_kinds("nornir_config.yaml", _backup),
    ("config-is-a-folder", None, None,
     lambda s: ["backup", "--config", str(s / "inventory"), "--repo", str(s / "configs")]),
    ("repo-is-a-file", None, None,
     lambda s: ["backup", "--config", str(s / "nornir_config.yaml"), "--repo", str(s / "fw.cfg")]),
    *[
        (f"{name}-repo-is-a-file", None, None, _with_repo_file(command))
        for name, command in (
            ("plan", _plan), ("inspect", _inspect), ("apply", _apply),
            ("firewall", lambda s: ["audit", "firewall", "--config", str(s / "nornir_config.yaml"),
                                    "--intent", str(s / "policy" / "firewall_intent.yaml"),
                                    "--repo", str(s / "configs")]),
            ("baseline", lambda s: ["audit", "baseline", "--config", str(s / "nornir_config.yaml"),
                                    "--rules", str(s / "policy" / "baseline"),
                                    "--repo", str(s / "configs")]),
            ("topology-snapshot", lambda s: ["topology", "snapshot", "--config",
                                             str(s / "nornir_config.yaml"), "--repo", str(s / "configs")]),
        )
    ],
    ("drift-repo-is-a-file", None, None,
     lambda s: ["drift", "--config", str(s / "nornir_config.yaml"), "--repo", str(s / "fw.cfg")]),
    *_bad_kinds("policy/ports.yaml", _plan),
    ("ports-unknown-host", "policy/ports.yaml",
     _text((ROOT / "policy/ports.yaml").read_text().replace(
         "hosts: {}", "hosts:\n  NO-SUCH-HOST: {loop_protection: false}")), _plan),
    *_bad_kinds("policy/firewall_intent.yaml", _firewall),
    ("intent-empty-servers", "policy/firewall_intent.yaml", _text(INTENT_EMPTY), _firewall),
    ("intent-host-bits", "policy/firewall_intent.yaml", _text(INTENT_HOST_BITS), _firewall),
    ("intent-impossible-address", "policy/firewall_intent.yaml",
     _text(INTENT_HOST_BITS.replace("10.20.1.10/24", "999.1.1.1/32")), _firewall),
    ("firewall-config-file-is-a-folder", None, None,
     lambda s: [*_firewall(s)[:2], "--config-file", str(s / "policy"), *_firewall(s)[4:]]),
    ("fw.cfg-binary", "fw.cfg", BINARY, _firewall),
    ("fw.cfg-empty", "fw.cfg", b"", _firewall),
    *_bad_kinds("policy/inspection.yaml", _inspect, empty=False),
    *_bad_kinds("policy/baseline/site.yaml", _baseline, empty=False),
    *_bad_kinds("policy/baseline/huawei_vrp.yaml", _baseline),
    *_bad_kinds("policy/baseline/waivers.yaml", _baseline, empty=False),
    ("baseline-rules-is-a-file", None, None,
     lambda s: [*_baseline(s)[:8], "--rules", str(s / "fw.cfg"), *_baseline(s)[10:]]),
    # a configuration file is device text: GBK/GB18030 is decoded as the device's would be
    # (a Latin-1 byte is not refused) and "#" lines are VRP separators, not comments
    ("sw.cfg-binary", "sw.cfg", BINARY, _baseline),
    ("sw.cfg-empty", "sw.cfg", b"\n  \n", _baseline),
    ("fw.cfg-whitespace", "fw.cfg", b"  \n", _firewall),
    ("baseline-config-file-is-a-folder", None, None,
     lambda s: [*_baseline(s)[:2], "--config-file", str(s / "policy"), *_baseline(s)[4:]]),
    *_bad_kinds("plan.json", _apply),
    ("plan-not-json", "plan.json", b"{not json", _apply),
    ("plan-is-a-folder", None, None,
     lambda s: ["normalize", "apply", str(s / "policy"), "--config", str(s / "nornir_config.yaml")]),
    *_bad_kinds("ledger.csv", _ledger),
    ("ledger-port-inf", "ledger.csv", _text(LEDGER_HEAD + LEDGER_ROW.format(port="inf")), _ledger),
    ("ledger-port-nan", "ledger.csv", _text(LEDGER_HEAD + LEDGER_ROW.format(port="nan")), _ledger),
    ("ledger-port-fraction", "ledger.csv", _text(LEDGER_HEAD + LEDGER_ROW.format(port="22.5")), _ledger),
    ("ledger-port-huge", "ledger.csv", _text(LEDGER_HEAD + LEDGER_ROW.format(port="99999")), _ledger),
    ("ledger-impossible-address", "ledger.csv",
     _text(LEDGER_HEAD + LEDGER_ROW.format(port=22).replace("127.0.0.1", "999.1.1.1")), _ledger),
]  # fmt: skip


@pytest.mark.parametrize("case", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_bad_input_is_one_line_exit_2_nothing_written(
    case: Case, template: Path, tmp_path: Path
) -> None:
    _id, rel, content, command = case
    site = tmp_path / "site"
    shutil.copytree(template, site)
    if rel is not None and content is not None:
        (site / rel).write_bytes(content)
    before = _state(site)
    proc = _run(site, command(site))
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:], proc.stdout[-500:])
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _state(site) == before, "nothing is written"


GOOD = {
    "inventory check": (_check, {0}),
    "backup": (_backup, {3}),  # the devices' port is closed: it got as far as the devices
    "normalize plan": (_plan, {1}),
    "normalize apply": (_apply, {3}),
    "audit firewall": (_firewall, {0, 1}),
    "audit baseline": (_baseline, {0, 1}),
    "inspect": (_inspect, {0, 1, 3}),
    "inventory import": (_ledger, {0}),
}


@pytest.mark.parametrize("name", list(GOOD))
def test_the_unchanged_site_is_good_input(name: str, template: Path, tmp_path: Path) -> None:
    """The control: without the bad part every command gets past its input (not exit 2), so
    each case above is refused for the one thing it changed."""
    site = tmp_path / "site"
    shutil.copytree(template, site)
    command, codes = GOOD[name]
    proc = _run(site, command(site))
    assert proc.returncode in codes, (proc.returncode, proc.stderr[-2000:])
