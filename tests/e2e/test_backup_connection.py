"""Our netmiko drivers (tasks/core/connection.py) against the lab: same behaviour, no fixed waits."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from netmiko import ConnectHandler

from netsteward.tasks.core.connection import drivers, install
from netsteward.tasks.core.failures import PAGING, DeviceFailure
from netsteward.tasks.core.session import Session
from netsteward.tasks.platforms import PLATFORMS, load_platform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def devices(lab) -> dict[str, dict[str, Any]]:
    install()
    out: dict[str, dict[str, Any]] = {}
    for d in lab.truth()["devices"]:
        out.setdefault(d["platform"], d)
    return out


def connect(dev: dict[str, Any]) -> Any:
    return ConnectHandler(
        device_type=dev["platform"], host="127.0.0.1", port=dev["port"],
        username=os.environ["NETSTEWARD_USERNAME"], password=os.environ["NETSTEWARD_PASSWORD"],
        secret=os.environ["NETSTEWARD_PASSWORD"],
    )  # fmt: skip


def test_every_platform_uses_our_driver() -> None:
    install()
    for name, cls in drivers().items():
        assert cls.__name__.startswith("Fast"), name
    assert set(drivers()) == set(PLATFORMS)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_socket_has_tcp_nodelay_and_config_is_read(devices, platform: str) -> None:
    dev = devices[platform]
    conn = connect(dev)
    try:
        sock = conn.remote_conn.get_transport().sock
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        p = load_platform(platform)
        if p.privileged:
            conn.enable()
        out = Session.attach(conn, p).read(p.collect[0].command, 30)
        assert dev["name"] in out
    finally:
        conn.disconnect()


def test_huawei_config_mode_check_is_pattern_based(devices) -> None:
    conn = connect(devices["huawei_vrp"])
    try:
        assert conn.check_config_mode() is False
        conn.config_mode()
        assert conn.check_config_mode() is True
        conn.exit_config_mode()
        assert conn.check_config_mode() is False
        # a push through the fast check still works and reads back
        conn.send_config_set(["interface LoopBack99", "description NETSTEWARD-CONN-TEST"])
        out = conn.send_command("display current-configuration interface LoopBack99")
        assert "description NETSTEWARD-CONN-TEST" in out
        conn.send_config_set(["undo interface LoopBack99"])
    finally:
        conn.disconnect()


def test_fortios_pager_is_paged_through_and_the_output_is_whole(lab, devices) -> None:
    """FortiOS paging (`config system console / set output`) is one setting for the whole
    device: a concurrent netmiko session restores `more` when it logs out, and our session
    then meets `--More--` mid-read (seen with two topology snapshots at once). The reader
    answers the pager with a space on FortiOS, so a FortiGate whose paging stays on (the
    lab's `paging` fault) gives the same configuration as one with paging off."""
    dev = devices["fortinet"]
    p = load_platform("fortinet")
    assert p.page_through

    def read(platform: Any = p) -> str:
        conn = connect(dev)
        try:
            return Session.attach(conn, platform).read(platform.collect[0].command, 30)
        finally:
            conn.disconnect()

    normal = read()
    lab.cli("fault", dev["name"], "paging", check=True)
    try:
        paged = read()
        # the same read without paging through stops at the pager: the fault did page
        with pytest.raises(DeviceFailure) as failure:
            read(p.model_copy(update={"page_through": False}))
        assert failure.value.kind == PAGING
    finally:
        lab.cli("fault", dev["name"], "clear", check=True)
    assert "More" not in paged and "\r  " not in paged
    assert paged == normal
    assert len(normal.splitlines()) > 100  # many pages, not one


def test_a_pager_on_other_platforms_still_fails_fast(lab, devices) -> None:
    """Elsewhere paging is per session: a pager means our paging-off did not work, and the
    read stops at once with PAGING (the backup keeps the previous file)."""
    dev = devices["hillstone_stoneos"]
    p = load_platform("hillstone_stoneos")
    assert not p.page_through
    lab.cli("fault", dev["name"], "paging", check=True)
    try:
        conn = connect(dev)
        try:
            with pytest.raises(DeviceFailure) as failure:
                Session.attach(conn, p).read(p.collect[0].command, 30)
        finally:
            conn.disconnect()
    finally:
        lab.cli("fault", dev["name"], "clear", check=True)
    assert failure.value.kind == PAGING


LOGIN_PLATFORMS = [n for n in PLATFORMS if load_platform(n).login is not None]


def stock_connect(dev: dict[str, Any]) -> Any:
    """The same device through netmiko's own driver (no fixes, its own preparation)."""
    from netmiko.ssh_dispatcher import CLASS_MAPPER_BASE

    return CLASS_MAPPER_BASE[load_platform(dev["platform"]).netmiko_device_type](
        device_type=dev["platform"], host="127.0.0.1", port=dev["port"],
        username=os.environ["NETSTEWARD_USERNAME"], password=os.environ["NETSTEWARD_PASSWORD"],
        secret=os.environ["NETSTEWARD_PASSWORD"],
    )  # fmt: skip


def test_the_log_in_is_data_for_the_fleets_main_platforms() -> None:
    assert LOGIN_PLATFORMS == ["huawei_vrp", "hp_comware", "cisco_ios"]


@pytest.mark.parametrize("platform", LOGIN_PLATFORMS)
def test_the_platform_log_in_prepares_the_session_as_netmikos_driver_does(
    devices, platform: str
) -> None:
    """Our preparation (the platform file's `login:`) and netmiko's driver give the same
    device name, and the session's read of the configuration is the same over both (as the
    backup stores it: IOS's `ntp clock-period` moves between two reads)."""
    from netsteward.tasks.core.scrub import normalise_config

    dev = devices[platform]
    p = load_platform(platform)
    outputs, names = [], []
    for open_ in (connect, stock_connect):
        conn = open_(dev)
        try:
            if p.privileged:
                conn.enable()
            names.append(conn.base_prompt)
            read = Session.attach(conn, p).read(p.collect[0].command, 30)
            outputs.append(normalise_config(p, read))
        finally:
            conn.disconnect()
    assert names[0] == names[1]
    assert dev["name"].startswith(names[0])
    assert outputs[0] == outputs[1]
    assert dev["name"] in outputs[0]


def test_the_initial_password_question_is_answered_no(lab, devices) -> None:
    """A VRP user with the initial password is asked to change it before the first prompt
    (the lab's devices with `change_password_prompt`); the platform file answers N."""
    from netsteward.lab.engine.state import load_fleet

    truth = lab.truth()
    fleet = load_fleet(truth["seed"], lab.fleet_source)
    asks = {d.name for d in fleet.devices if d.change_password_prompt}
    dev = next(d for d in truth["devices"] if d["name"] in asks)
    conn = connect(dev)
    try:
        assert conn.base_prompt == dev["name"]
        out = Session.attach(conn, load_platform("huawei_vrp")).read("display version", 30)
        assert "VRP" in out
    finally:
        conn.disconnect()


def test_netmikos_reads_wait_for_the_data_and_still_time_out(devices) -> None:
    """`read_until_pattern` (netmiko's, used by its enable, configuration-mode checks and
    napalm) waits on the channel instead of polling: the answer is read whole, what follows
    the pattern is kept for the next read, and a pattern that never comes still ends in
    netmiko's ReadTimeout."""
    import re

    from netmiko.exceptions import ReadTimeout

    conn = connect(devices["cisco_ios"])
    try:
        conn.enable()
        conn.write_channel("show version" + conn.RETURN)
        out = conn.read_until_pattern(pattern=r"show version")
        assert out.endswith("show version")
        out = conn.read_until_pattern(pattern=re.escape(conn.base_prompt) + r"[>#]")
        assert "Cisco IOS" in out and "uptime is" in out
        with pytest.raises(ReadTimeout):
            conn.read_until_pattern(pattern="NEVER-PRINTED", read_timeout=0.5)
    finally:
        conn.disconnect()
