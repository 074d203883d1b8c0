"""Over SSH: features the fleet does not run, configured with netmiko's own drivers and
read back parsed by netmiko's ntc-templates integration (`use_textfsm=True`), one per
platform; the offline tests (test_*_realism.py) cover every command, these show the
same code behind real SSH sessions and unchanged clients. Each test removes what it
configured and checks the running configuration is back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from labtest import RUNNING_CONFIG, connect, pick, without_volatile
from test_fortinet_configured_realism import CONFIGURED as FORTI_CONFIGURED

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

SECRET = {"cisco_ios": {"secret": "Lab-Only-Pa55"}, "cisco_asa": {"secret": "Lab-Only-Pa55"}}


def body(conn: Any, platform: str) -> list[str]:
    return without_volatile(platform, conn.send_command(RUNNING_CONFIG[platform], read_timeout=60))


@contextmanager
def session(lab: Any, host: str, platform: str) -> Iterator[Any]:
    conn = connect(lab, host, platform, **SECRET.get(platform, {}))
    try:
        if platform in SECRET:
            conn.enable()
        yield conn
    finally:
        conn.disconnect()


def configured_display(
    lab: Any,
    host: str,
    platform: str,
    add: list[str],
    remove: list[str],
    show: str,
    check: Callable[[list[dict[str, str]]], None],
) -> None:
    with session(lab, host, platform) as conn:
        before = body(conn, platform)
        empty = conn.send_command(show, use_textfsm=True)
        assert not (isinstance(empty, list) and empty), empty  # nothing before
        conn.send_config_set(add)
        try:
            records = conn.send_command(show, use_textfsm=True)
            assert isinstance(records, list) and records, records
            check(records)
        finally:
            conn.send_config_set(remove)
        assert body(conn, platform) == before


def test_vrp_service_set_over_ssh(fresh_lab: Any) -> None:
    host = pick(fresh_lab, "huawei_vrp", "core")

    def check(records: list[dict[str, str]]) -> None:
        assert [(r["name"], r["ssid"]) for r in records] == [("E2E", "E2E-WIFI")]

    configured_display(
        fresh_lab,
        host,
        "huawei_vrp",
        ["wlan", "service-set name E2E id 9", "ssid E2E-WIFI"],
        ["wlan", "undo service-set name E2E"],
        "display service-set all",
        check,
    )


def test_comware_vpn_instance_over_ssh(fresh_lab: Any) -> None:
    host = pick(fresh_lab, "hp_comware", "aggregation")

    def check(records: list[dict[str, str]]) -> None:
        assert [(r["name"], r["rd"]) for r in records] == [("E2E", "65020:9")]

    configured_display(
        fresh_lab,
        host,
        "hp_comware",
        ["ip vpn-instance E2E", "route-distinguisher 65020:9"],
        ["undo ip vpn-instance E2E"],
        "display ip vpn-instance",
        check,
    )


def test_asa_names_over_ssh(fresh_lab: Any) -> None:
    host = pick(fresh_lab, "cisco_asa", "firewall")

    def check(records: list[dict[str, str]]) -> None:
        assert [(r["ip_address"], r["name"]) for r in records] == [("10.20.1.10", "SRV-E2E")]

    configured_display(
        fresh_lab,
        host,
        "cisco_asa",
        ["names", "name 10.20.1.10 SRV-E2E description e2e"],
        ["no name 10.20.1.10 SRV-E2E"],
        "show name",
        check,
    )


def test_fortigate_ospf_over_ssh(fresh_lab: Any) -> None:
    host = pick(fresh_lab, "fortinet", "firewall")
    with session(fresh_lab, host, "fortinet") as conn:
        port2 = conn.send_command('show system interface "port2"')
    m = re.search(r"set ip (\S+) (\S+)", port2)
    assert m, port2

    def check(records: list[dict[str, str]]) -> None:
        assert records[0]["process_id"] == "10.1.255.40"  # the router-id the lines set

    add, remove, _, _ = FORTI_CONFIGURED["get router info ospf status"]
    where = {"fgt_net": f"{m.group(1)} {m.group(2)}"}
    configured_display(
        fresh_lab,
        host,
        "fortinet",
        [line.format(**where) for line in add],
        list(remove),
        "get router info ospf status",
        check,
    )


def test_ios_cdp_neighbour_over_ssh(fresh_lab: Any) -> None:
    """The Comware peer is told to send CDP; the IOS switch lists it."""
    host = pick(fresh_lab, "cisco_ios", "access")
    truth = fresh_lab.truth()
    platform = {d["name"]: d["platform"] for d in truth["devices"]}
    peer, port, mine = next(
        (c["b"], c["b_port"], c["a_port"]) if c["a"] == host else (c["a"], c["a_port"], c["b_port"])
        for c in truth["cables"]
        if host in (c["a"], c["b"])
        and platform[c["b"] if c["a"] == host else c["a"]] == "hp_comware"
    )
    with session(fresh_lab, host, "cisco_ios") as ios, session(fresh_lab, peer, "hp_comware") as cw:
        before = body(cw, "hp_comware")
        empty = ios.send_command("show cdp neighbors", use_textfsm=True)
        assert not (isinstance(empty, list) and empty), empty
        cw.send_config_set(
            ["lldp compliance cdp", f"interface {port}", "lldp compliance admin-status cdp txrx"]
        )
        try:
            records = ios.send_command("show cdp neighbors", use_textfsm=True)
        finally:
            cw.send_config_set(
                [
                    f"interface {port}",
                    "undo lldp compliance admin-status cdp txrx",
                    "quit",
                    "undo lldp compliance cdp",
                ]
            )
        assert body(cw, "hp_comware") == before
    assert isinstance(records, list) and len(records) == 1, records
    assert records[0]["neighbor_name"] == peer
    assert records[0]["local_interface"].replace(" ", "") == mine.replace(
        "TenGigabitEthernet", "Ten"
    ).replace("GigabitEthernet", "Gig")
