"""Ansible's `network_cli` (unchanged, from PyPI) backs up the lab.

One `ansible-playbook` run with 50 forks over Huawei VRP (community.network.ce), Cisco
IOS (cisco.ios) and ASA (cisco.asa) devices of every variant the lab has (`peers.variants`:
every role, model, software version and network, with Chinese text and without, at least
60 devices so that all 50 forks run at once), and the VRP switches that ask to change
their initial password at login, which Ansible's ce terminal answers: `cli_backup` on IOS and ASA,
`cli_command display current-configuration` on VRP (see the playbook in peers.py).  The
play recap must show no failed and no unreachable host, and every backup must be the
device's running configuration.  Ansible talks to 127.0.0.1 only; the inventory and the
playbook live in the test's temp directory and read the credentials from the environment.

Not covered, with the reason: FortiGate (Fortinet's collection speaks the REST API, not
network_cli; the lab serves SSH only), H3C Comware, StoneOS and FOS (no network_cli
plugin in the Ansible package).  `make peers` installs Ansible 11 into .venv-peers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peers import ANSIBLE_OS, ansible_installed, run_ansible, variants

from netsteward.lab.engine.state import load_fleet

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1500)]

FORKS = 50  # 50 in flight, as RANCID's PAR_COUNT
AT_LEAST = FORKS + 10

MARKS = {
    "huawei_vrp": ("sysname {name}", "return"),
    "cisco_ios": ("hostname {name}", "end"),
    "cisco_asa": ("hostname {name}", ": end"),
}


def test_ansible_network_cli_backs_up_every_variant_of_its_platforms(
    lab: Any, tmp_path: Path
) -> None:
    assert ansible_installed(), "Ansible is not installed: run `make peers`"
    truth = lab.truth()
    fleet = load_fleet(truth["seed"], lab.fleet_source)
    # devices that answer in GBK (configured from Chinese Windows terminals) are left out:
    # Ansible's network_cli decodes every answer as UTF-8 and its module fails on them, as
    # it would on such a real device (netsteward decodes them per line: docs/chinese.md)
    gbk = set(truth["chinese"]["gbk_devices"])
    asks = {d.name for d in fleet.devices if d.change_password_prompt and d.name not in gbk}
    devices = variants(truth, ANSIBLE_OS, leave_out=gbk, at_least=AT_LEAST)
    names = {d["name"] for d in devices}
    devices += [d for d in truth["devices"] if d["name"] in asks - names]
    assert len(devices) >= AT_LEAST
    assert {(d["platform"], d["role"]) for d in devices} == {
        (d["platform"], d["role"]) for d in truth["devices"] if d["platform"] in ANSIBLE_OS
    }

    run = run_ansible(tmp_path, devices, forks=FORKS)

    recap = run.recap()
    bad = {h: r for h, r in recap.items() if r.get("failed") or r.get("unreachable")}
    assert bad == {}, "\n".join(ln for ln in run.output.splitlines() if "fatal:" in ln)[:4000]
    assert run.returncode == 0, run.output[-4000:]
    assert set(recap) == {d["name"] for d in devices}
    for device in devices:
        text = run.backups.get(device["name"], "")
        first, last = MARKS[device["platform"]]
        assert first.format(name=device["name"]) in text, device["name"]
        assert text.rstrip().endswith(last), (device["name"], text[-200:])
