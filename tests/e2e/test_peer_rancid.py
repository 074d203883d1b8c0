"""RANCID 3.13 (Debian's package, unchanged) backs up the lab.

`rancid-run` with PAR_COUNT 50 and no retry rounds collects every variant of device the
lab has on the platforms RANCID has a type for (`peers.variants`: every role, model,
software version and network, in GBK and with Chinese text, at least 100 devices so that
all 50 run at once): Huawei VRP (`vrp`: switches, routers, USG, NIP), Cisco IOS and ASA
(`cisco`) and FortiGate (`fortigate`).  RANCID's own log must show no error (no "End of
run not found", no missed command, no login failure), every device must have its
configuration committed, and what RANCID keeps must be the device's configuration and
the inventory displays it asks for.  RANCID talks to 127.0.0.1 only (an ssh_config maps
the names to the lab's ports); its configuration lives in the test's temp directory.

Left out on purpose: the few VRP devices the fleet gives an initial password, which ask
"Change now? [Y/N]" at login as a real VRP does; RANCID 3.13's xilogin has no answer for
that question and waits until its timeout on real devices too.  Comware, StoneOS and FOS
have no RANCID 3.13 type.

`make peers` (run by `make test` and CI) installs RANCID with apt-get.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peers import RANCID_TYPES, rancid_installed, run_rancid, variants

from netsteward.lab.engine.state import load_fleet

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1500)]

PAR_COUNT = 50  # as in the report: 50 devices in parallel
AT_LEAST = 2 * PAR_COUNT


def rancid_devices(lab: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """(devices RANCID can collect, names left out for the initial-password question)."""
    truth = lab.truth()
    fleet = load_fleet(truth["seed"], lab.fleet_source)
    asks = {d.name for d in fleet.devices if d.change_password_prompt}
    return variants(truth, RANCID_TYPES, leave_out=asks, at_least=AT_LEAST), sorted(asks)


def expected_marks(device: dict[str, Any]) -> list[str]:
    """Lines a faithful collection of this device holds (RANCID's own rendering)."""
    name = device["name"]
    return {
        "huawei_vrp": ["#RANCID-CONTENT-TYPE: vrp", f"sysname {name}", "\nreturn"],
        "cisco_ios": ["!RANCID-CONTENT-TYPE: cisco", f"hostname {name}", "!Flash: nvram:"],
        "cisco_asa": ["!RANCID-CONTENT-TYPE: cisco", f"hostname {name}", "!Serial Number:"],
        "fortinet": ["#RANCID-CONTENT-TYPE: fortigate", f'set hostname "{name}"'],
    }[device["platform"]]


def test_rancid_backs_up_every_variant_of_its_types_at_par_count_50(
    lab: Any, tmp_path: Path
) -> None:
    assert rancid_installed(), "RANCID is not installed: run `make peers` (apt-get install rancid)"
    devices, left_out = rancid_devices(lab)
    assert {d["platform"] for d in devices} == set(RANCID_TYPES)
    assert len(devices) >= AT_LEAST
    assert {d["role"] for d in devices} == {
        d["role"] for d in lab.truth()["devices"] if d["platform"] in RANCID_TYPES
    }
    assert len(left_out) < 10  # a handful, not a share of the fleet

    run = run_rancid(tmp_path, devices, par_count=PAR_COUNT)

    assert run.returncode == 0, run.log[-3000:]
    assert run.errors() == [], "\n".join(run.errors()[:40])
    assert "All routers successfully completed." in run.log or "Trying to get all" in run.log
    configs = run.configs()
    missing = sorted(d["name"].lower() for d in devices if not configs.get(d["name"].lower()))
    assert missing == [], f"{len(missing)} devices without a configuration: {missing[:20]}"
    for device in devices:
        text = configs[device["name"].lower()]
        for mark in expected_marks(device):
            assert mark in text, f"{device['name']}: {mark!r} missing from RANCID's file"
    core = next(d for d in devices if d["platform"] == "huawei_vrp" and d["role"] == "core")
    assert "#  Transceiver Type" in configs[core["name"].lower()]  # display transceiver verbose
    assert "updates" in run.git_log()
