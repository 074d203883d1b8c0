"""Drive RANCID (Debian's package) and Ansible (`network_cli`) against the lab, unchanged.

Both get their configuration in a temp directory written here: RANCID a `rancid.conf`
(BASEDIR, git, PAR_COUNT), one group's `router.db`, a `.cloginrc` and an ssh_config
that sends every device name to 127.0.0.1 and its lab port; Ansible an inventory and a
playbook.  Credentials are the lab's documented defaults from the environment
(NETSTEWARD_USERNAME / NETSTEWARD_PASSWORD) and go only into files under the temp
directory (mode 0600), never into the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RANCID_BIN = Path("/usr/lib/rancid/bin")
# netsteward platform -> RANCID 3.13 device type (rancid.types.base)
RANCID_TYPES = {
    "huawei_vrp": "vrp",
    "cisco_ios": "cisco",
    "cisco_asa": "cisco",
    "fortinet": "fortigate",
}


def variants(
    truth: dict[str, Any],
    platforms: Iterable[str],
    leave_out: Iterable[str] = (),
    at_least: int = 0,
) -> list[dict[str, Any]]:
    """The lab devices of `platforms` a peer tool backs up: the first device of every variant
    the fleet generator makes (platform, role, model, software version, network, and whether
    the device answers in GBK or carries Chinese text), then more devices in fleet order
    until there are `at_least` (so the tool's parallelism is used whole); never those in
    `leave_out`.  The other devices of a variant come from the same generator and templates:
    they differ in names, addresses, cabling, port descriptions and planted deviations,
    configuration lines that a backup tool reads like any other."""
    wanted, skip = set(platforms), set(leave_out)
    gbk = set(truth["chinese"]["gbk_devices"])
    chinese = {t["host"] for t in truth["chinese"]["texts"]}
    candidates = [d for d in truth["devices"] if d["platform"] in wanted and d["name"] not in skip]
    chosen, seen = [], set()
    for d in candidates:
        key = (d["platform"], d["role"], d["model"], d["version"], d["network"])
        key += (d["name"] in gbk, d["name"] in chinese)
        if key not in seen:
            seen.add(key)
            chosen.append(d)
    names = {d["name"] for d in chosen}
    for d in candidates:
        if len(chosen) >= at_least:
            break
        if d["name"] not in names:
            chosen.append(d)
    return chosen


def credentials() -> tuple[str, str]:
    return os.environ["NETSTEWARD_USERNAME"], os.environ["NETSTEWARD_PASSWORD"]


def ssh_config(path: Path, devices: list[dict[str, Any]]) -> Path:
    """Every device name (lower case, as RANCID writes them) -> 127.0.0.1:port."""
    blocks = [
        f"Host {d['name'].lower()}\n  HostName 127.0.0.1\n  Port {d['port']}\n" for d in devices
    ]
    blocks.append(
        "Host *\n"
        f"  UserKnownHostsFile {path.parent / 'known_hosts'}\n"
        "  StrictHostKeyChecking no\n"
        "  PubkeyAuthentication no\n"
        "  KexAlgorithms +diffie-hellman-group14-sha1\n"
    )
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


@dataclass
class RancidRun:
    base: Path  # BASEDIR
    group: str
    returncode: int
    log: str  # the group's run log (rancid-run writes it under LOGDIR)

    def configs(self) -> dict[str, str]:
        folder = self.base / self.group / "configs"
        return {
            p.name: p.read_text(errors="replace") for p in sorted(folder.iterdir()) if p.is_file()
        }

    def git_log(self) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.base / self.group), "log", "--format=%s"],
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout

    def errors(self) -> list[str]:
        """RANCID's per-device complaints in the run log (missed commands, no end of run, ...)."""
        wanted = re.compile(
            r"(End of run not found|missed cmd|clogin error|login failed|TIMEOUT|"
            r"Error:|found unexpected command|unexpected|failed)",
            re.I,
        )
        return [ln for ln in self.log.splitlines() if wanted.search(ln)]


def run_rancid(work: Path, devices: list[dict[str, Any]], par_count: int = 50) -> RancidRun:
    """Set up one RANCID group for `devices` under `work` and run `rancid-run` once."""
    user, password = credentials()
    base = work / "rancid"
    home = work / "home"
    for folder in (base, home):
        folder.mkdir(parents=True, exist_ok=True)
    group = "lab"
    conf = work / "rancid.conf"
    conf.write_text(
        # Debian's /etc/rancid/rancid.conf without its "not as root" check (CI runs as root)
        "TERM=network;export TERM\n"
        'LC_COLLATE="POSIX"; export LC_COLLATE\n'
        "umask 027\n"
        'PERL5LIB="/usr/share/perl5/rancid"; export PERL5LIB\n'
        f"TMPDIR={work}; export TMPDIR\n"
        f"BASEDIR={base}; export BASEDIR\n"
        f"PATH={RANCID_BIN}:/usr/bin:/usr/sbin:/bin; export PATH\n"
        f"CVSROOT=$BASEDIR/CVS; export CVSROOT\n"
        "LOGDIR=$BASEDIR/logs; export LOGDIR\n"
        "RCSSYS=git; export RCSSYS\n"
        f"PAR_COUNT={par_count}; export PAR_COUNT\n"
        "MAX_ROUNDS=0; export MAX_ROUNDS\n"  # no retry rounds: the first pass must succeed
        f"LIST_OF_GROUPS={group}; export LIST_OF_GROUPS\n"
        f"SENDMAIL={work / 'sendmail'}\n",
        encoding="utf-8",
    )
    mail = work / "sendmail"
    mail.write_text(f"#!/bin/sh\ncat >> {work / 'mail.txt'}\n", encoding="utf-8")
    mail.chmod(0o755)
    cfg = ssh_config(home / "ssh_config", devices)
    cloginrc = home / ".cloginrc"
    cloginrc.write_text(
        f"add user * {{{user}}}\n"
        f"add password * {{{password}}} {{{password}}}\n"
        "add method * ssh\n"
        f"add sshcmd * {{{{ssh -F {cfg}}}}}\n",
        encoding="utf-8",
    )
    cloginrc.chmod(0o600)
    env = {
        "HOME": str(home),
        "PATH": f"{RANCID_BIN}:/usr/bin:/bin",
        "LANG": "C",
        "GIT_AUTHOR_NAME": "rancid",
        "GIT_AUTHOR_EMAIL": "rancid@localhost",
        "GIT_COMMITTER_NAME": "rancid",
        "GIT_COMMITTER_EMAIL": "rancid@localhost",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(
        [str(RANCID_BIN / "rancid-cvs"), "-f", str(conf), group],
        env=env,
        cwd=work,
        check=True,
        capture_output=True,
        timeout=120,
    )
    lines = [f"{d['name'].lower()};{RANCID_TYPES[d['platform']]};up" for d in devices]
    (base / group / "router.db").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [str(RANCID_BIN / "rancid-run"), "-f", str(conf), group],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    logs = sorted((base / "logs").glob(f"{group}.*"))
    log = logs[-1].read_text(errors="replace") if logs else proc.stdout + proc.stderr
    return RancidRun(base, group, proc.returncode, log)


def rancid_installed() -> bool:
    return (RANCID_BIN / "rancid-run").exists() and shutil.which("expect") is not None


# -- Ansible ------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = ROOT / ".venv-peers" / "bin" / "ansible-playbook"
# netsteward platform -> (inventory group, ansible_network_os, enable needed)
ANSIBLE_OS = {
    "huawei_vrp": ("vrp", "community.network.ce", False),
    "cisco_ios": ("ios", "cisco.ios.ios", True),
    "cisco_asa": ("asa", "cisco.asa.asa", True),
}
PLAYBOOK = """\
- name: Back up the running configuration with cli_backup (the cliconf's get_config)
  hosts: ios:asa
  gather_facts: false
  tasks:
    - name: Back up
      ansible.netcommon.cli_backup:
        dir_path: "{{ backup_dir }}"
        filename: "{{ inventory_hostname }}.cfg"

# community.network.ce's cliconf cannot report its capabilities on Python 3 (an invalid
# regex escape in get_device_info), which cli_backup needs: VRP shops use cli_command
- name: Back up the running configuration with cli_command
  hosts: vrp
  gather_facts: false
  tasks:
    - name: Display the running configuration
      ansible.netcommon.cli_command:
        command: display current-configuration
      register: running
    - name: Write it
      ansible.builtin.copy:
        content: "{{ running.stdout }}\\n"
        dest: "{{ backup_dir }}/{{ inventory_hostname }}.cfg"
        mode: "0600"
      delegate_to: localhost
"""


@dataclass
class AnsibleRun:
    returncode: int
    output: str
    backups: dict[str, str]

    def recap(self) -> dict[str, dict[str, int]]:
        """PLAY RECAP per host: {"HOST": {"ok": 2, "failed": 0, "unreachable": 0, ...}}."""
        out: dict[str, dict[str, int]] = {}
        for line in self.output.split("PLAY RECAP", 1)[-1].splitlines():
            m = re.match(r"^(\S+)\s+:\s+(.*)$", line)
            if m:
                out[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
        return out


def run_ansible(work: Path, devices: list[dict[str, Any]], forks: int = 50) -> AnsibleRun:
    """One `ansible-playbook` run over `devices` with network_cli (paramiko), `forks` at once.
    The credentials stay in the environment: the inventory looks them up."""
    groups: dict[str, Any] = {}
    for d in devices:
        group, network_os, enable = ANSIBLE_OS[d["platform"]]
        entry = groups.setdefault(group, {"hosts": {}, "vars": {"ansible_network_os": network_os}})
        if enable:
            entry["vars"].update(
                ansible_become=True,
                ansible_become_method="enable",
                ansible_become_password="{{ lookup('env', 'NETSTEWARD_PASSWORD') }}",
            )
        entry["hosts"][d["name"]] = {"ansible_host": "127.0.0.1", "ansible_port": d["port"]}
    inventory = {
        "all": {
            "vars": {
                "ansible_connection": "ansible.netcommon.network_cli",
                "ansible_network_cli_ssh_type": "paramiko",
                "ansible_user": "{{ lookup('env', 'NETSTEWARD_USERNAME') }}",
                "ansible_password": "{{ lookup('env', 'NETSTEWARD_PASSWORD') }}",
            },
            "children": groups,
        }
    }
    inv = work / "inventory.yml"
    inv.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    book = work / "backup.yml"
    book.write_text(PLAYBOOK, encoding="utf-8")
    out = work / "backups"
    out.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        HOME=str(work),
        ANSIBLE_HOST_KEY_CHECKING="False",
        ANSIBLE_FORKS=str(forks),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(work / "tmp"),
        ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(work / "pc"),
        ANSIBLE_PERSISTENT_COMMAND_TIMEOUT="120",
        ANSIBLE_PERSISTENT_CONNECT_TIMEOUT="120",
        ANSIBLE_DEPRECATION_WARNINGS="False",
    )
    proc = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(inv), str(book), "-e", f"backup_dir={out}"],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    backups = {p.stem: p.read_text(errors="replace") for p in sorted(out.glob("*.cfg"))}
    return AnsibleRun(proc.returncode, proc.stdout + proc.stderr, backups)


def ansible_installed() -> bool:
    return ANSIBLE_PLAYBOOK.exists()
