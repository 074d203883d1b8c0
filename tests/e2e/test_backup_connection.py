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
