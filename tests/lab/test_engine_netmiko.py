"""End to end: netmiko's huawei_vrp and hp_comware drivers, and Nornir, against the lab over SSH."""

from __future__ import annotations

import os

import pytest
from labtest import connect, pick, ssh_client

pytestmark = [pytest.mark.e2e]


# an edge port of each stand-in / real access switch; resolved from the running config
EDGE = {"huawei_vrp": "GigabitEthernet0/0/3", "hp_comware": "GigabitEthernet1/0/3"}
SHORT = {"huawei_vrp": "GE0/0/3", "hp_comware": "gi1/0/3"}


@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware"])
def test_show_commands_over_netmiko(fresh_lab, platform: str) -> None:
    host = pick(fresh_lab, platform)
    conn = connect(fresh_lab, host, platform)
    try:
        assert conn.base_prompt == host
        running = conn.send_command("display current-configuration")
        assert f"sysname {host}" in running
        assert running.rstrip().endswith("return")
        assert "---- More ----" not in running
        model = next(d["model"] for d in fresh_lab.truth()["devices"] if d["name"] == host)
        version = conn.send_command("display version")
        assert f" {model} " in version
        banner = (
            "Huawei Versatile Routing Platform"
            if platform == "huawei_vrp"
            else "H3C Comware Software"
        )
        assert banner in version
        error = conn.send_command("display no-such-thing")
        assert "Unrecognized command found at '^' position." in error
    finally:
        conn.disconnect()


@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware"])
def test_config_set_save_and_read_back(fresh_lab, platform: str) -> None:
    host = pick(fresh_lab, platform)
    port = EDGE[platform]
    conn = connect(fresh_lab, host, platform)
    try:
        out = conn.send_config_set(
            [f"interface {SHORT[platform]}", "description NETMIKO-E2E", "quit"]
        )
        assert f"[{host}-{port}]" in out
        conn.save_config()
        readback = conn.send_command(f"display current-configuration interface {port}")
        assert " description NETMIKO-E2E" in readback.splitlines()
        saved = conn.send_command("display saved-configuration")
        assert "description NETMIKO-E2E" in saved
        conn.send_config_set([f"interface {port}", "undo description"])
        assert "NETMIKO-E2E" not in conn.send_command(
            f"display current-configuration interface {port}"
        )
    finally:
        conn.disconnect()


def test_exec_channel_runs_one_command(fresh_lab) -> None:
    host = pick(fresh_lab, "huawei_vrp")
    client = ssh_client(fresh_lab.port_of(host))
    try:
        _, stdout, _ = client.exec_command("display version")
        text = stdout.read().decode()
        assert text.startswith("Huawei Versatile Routing Platform Software")
        assert stdout.channel.recv_exit_status() == 0
    finally:
        client.close()


def test_nornir_runs_on_a_handful_of_hosts(fresh_lab) -> None:
    from nornir import InitNornir
    from nornir_netmiko.tasks import netmiko_send_command, netmiko_send_config

    nr = InitNornir(config_file=str(fresh_lab.config))
    names = []
    for platform in ("huawei_vrp", "hp_comware"):
        names += [h for h, obj in nr.inventory.hosts.items() if obj.platform == platform][:3]
    for name in names:
        nr.inventory.hosts[name].username = os.environ["NETSTEWARD_USERNAME"]
        nr.inventory.hosts[name].password = os.environ["NETSTEWARD_PASSWORD"]
    small = nr.filter(filter_func=lambda h: h.name in names)
    try:
        result = small.run(
            task=netmiko_send_command, command_string="display current-configuration"
        )
        assert not result.failed, {h: r.exception for h, r in result.failed_hosts.items()}
        for name in names:
            assert f"sysname {name}" in result[name].result
        pushed = small.run(
            task=netmiko_send_config,
            config_commands=["interface LoopBack 77", "description NORNIR-E2E"],
        )
        assert not pushed.failed, {h: r.exception for h, r in pushed.failed_hosts.items()}
        check = small.run(
            task=netmiko_send_command,
            command_string="display current-configuration | include NORNIR-E2E",
        )
        for name in names:
            assert "description NORNIR-E2E" in check[name].result
    finally:
        small.close_connections()
