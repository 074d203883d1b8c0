"""The IOS, ASA, FortiOS, StoneOS and FOS dialects driven over SSH by their unchanged netmiko drivers.

Each test connects, runs show commands, pushes a change, saves, reads it back;
the lab is a private one (module scope) serving `dialect_fleet.build`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LabHandle, serve_lab
from labtest import ssh_client
from netmiko import ConnectHandler

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

FLEET_SOURCE = f"{Path(__file__).resolve().parent / 'dialect_fleet.py'}:build"
USER, PASSWORD = "netsteward", "Lab-Only-Pa55"


@pytest.fixture(scope="module")
def dlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabHandle]:
    yield from serve_lab(tmp_path_factory.mktemp("dialects"), FLEET_SOURCE)


def connect(dlab: LabHandle, index: int, device_type: str, **extra: object):  # type: ignore[no-untyped-def]
    return ConnectHandler(
        device_type=device_type,
        host="127.0.0.1",
        port=dlab.base_port + index - 1,
        username=USER,
        password=PASSWORD,
        **extra,
    )


def test_cisco_ios_show_push_save_read_back(dlab: LabHandle) -> None:
    conn = connect(dlab, 1, "cisco_ios", secret=PASSWORD)
    try:
        assert conn.find_prompt() == "LAB-IOS-ACC-01>"
        conn.enable()
        assert conn.find_prompt() == "LAB-IOS-ACC-01#"
        version = conn.send_command("show version", use_textfsm=True)
        assert version[0]["hostname"] == "LAB-IOS-ACC-01" and version[0]["hardware"] == [
            "WS-C2960X-48TD-L"
        ]
        lldp = conn.send_command("show lldp neighbors", use_textfsm=True)
        assert {(n["local_interface"], n["neighbor_name"]) for n in lldp} == {
            ("Te1/0/1", "LAB-IOS-ACC-02"),
            ("Te1/0/2", "LAB-IOS-ACC-02"),
        }
        conn.send_config_set(["int gi1/0/3", "description E2E-TEST", "spanning-tree portfast"])
        section = conn.send_command("show running-config interface GigabitEthernet1/0/3")
        assert "interface GigabitEthernet1/0/3\n description E2E-TEST\n" in section
        assert " spanning-tree portfast" in section
        assert "E2E-TEST" not in conn.send_command("show startup-config")
        assert "[OK]" in conn.save_config()
        assert " description E2E-TEST" in conn.send_command("show startup-config")
        bad = conn.send_command("show bogus")
        assert bad.splitlines()[-1] == "% Invalid input detected at '^' marker."
        assert bad.splitlines()[0] == " " * len("LAB-IOS-ACC-01#show ") + "^"
    finally:
        conn.disconnect()


def test_cisco_ios_paging_until_terminal_length_0(dlab: LabHandle) -> None:
    conn = connect(dlab, 2, "cisco_ios", secret=PASSWORD)
    try:
        conn.send_command("terminal length 24")  # paging back on, as at login
        conn.write_channel("show interfaces\n")
        out = conn.read_until_pattern(pattern=r"--More--", read_timeout=30)
        assert out.rstrip().endswith("--More--")
        conn.write_channel("q")
        assert conn.read_until_pattern(pattern=r"LAB-IOS-ACC-02>", read_timeout=30).endswith(
            "LAB-IOS-ACC-02>"
        )
    finally:
        conn.disconnect()


def test_napalm_ios_getters(dlab: LabHandle) -> None:
    from napalm import get_network_driver

    driver = get_network_driver("ios")(
        "127.0.0.1",
        USER,
        PASSWORD,
        optional_args={"port": dlab.base_port, "secret": PASSWORD},
    )
    driver.open()
    try:
        facts = driver.get_facts()
        assert facts["hostname"] == "LAB-IOS-ACC-01" and facts["model"] == "WS-C2960X-48TD-L"
        assert (
            facts["serial_number"] == "FOC2231X001"
            and facts["fqdn"] == "LAB-IOS-ACC-01.ym.gov.example"
        )
        assert "TenGigabitEthernet1/0/1" in facts["interface_list"] and facts["uptime"] > 0
        detail = driver.get_lldp_neighbors_detail()
        assert sorted(detail) == ["TenGigabitEthernet1/0/1", "TenGigabitEthernet1/0/2"]
        peer = detail["TenGigabitEthernet1/0/1"][0]
        assert (peer["remote_system_name"], peer["remote_port"]) == (
            "LAB-IOS-ACC-02",
            "TenGigabitEthernet1/0/1",
        )
        assert peer["remote_chassis_id"] == "70:DB:98:12:77:00"
        assert driver.get_lldp_neighbors()["TenGigabitEthernet1/0/2"] == [
            {"hostname": "LAB-IOS-ACC-02", "port": "TenGigabitEthernet1/0/2"}
        ]
        running = driver.get_config(retrieve="running")["running"]
        assert running.startswith("!") and "hostname LAB-IOS-ACC-01" in running
    finally:
        driver.close()


def test_cisco_asa_show_push_save_read_back(dlab: LabHandle) -> None:
    conn = connect(dlab, 3, "cisco_asa", secret=PASSWORD)
    try:
        assert conn.find_prompt() == "LAB-FW-ASA-01#"
        acl = conn.send_command("show access-list", use_textfsm=True)
        assert {r["acl_name"] for r in acl} == {"OUTSIDE_IN"}
        conn.send_config_set(
            [
                "object network E2E-HOST",
                "host 10.9.9.9",
                "access-list OUTSIDE_IN line 1 extended permit tcp any object E2E-HOST eq ssh",
            ]
        )
        acl = conn.send_command("show access-list OUTSIDE_IN")
        assert "access-list OUTSIDE_IN line 1 extended permit tcp any object E2E-HOST eq ssh" in acl
        assert "  access-list OUTSIDE_IN line 1 extended permit tcp any host 10.9.9.9 eq ssh" in acl
        objects = conn.send_command("show running-config object network", use_textfsm=True)
        assert {"name": "E2E-HOST", "host": "10.9.9.9"}.items() <= next(
            o for o in objects if o["name"] == "E2E-HOST"
        ).items()
        assert "[OK]" in conn.save_config()
        assert "object network E2E-HOST" in conn.send_command("show startup-config")
        running = conn.send_command("show running-config")
        assert running.startswith(": Saved") and "Cryptochecksum:" in running
    finally:
        conn.disconnect()


def test_fortinet_show_push_read_back(dlab: LabHandle) -> None:
    conn = connect(dlab, 4, "fortinet")
    try:
        assert conn.find_prompt() == "LAB-FW-FGT-01 #"
        status = conn.send_command("get system status", use_textfsm=True)
        assert status[0]["hostname"] == "LAB-FW-FGT-01"
        conn.send_multiline(
            [
                "config firewall policy",
                "edit 2",
                "set name e2e",
                'set srcintf "port2"',
                'set dstintf "port1"',
                "set action accept",
                'set srcaddr "all"',
                'set dstaddr "all"',
                "set service PING HTTPS",
                'set schedule "always"',
                "next",
                "end",
            ],
            expect_string=r"#",
        )
        one = conn.send_command("show firewall policy 1")
        assert one.splitlines()[:3] == [
            "config firewall policy",
            "    edit 1",
            '        set name "web-in"',
        ]
        assert one.splitlines()[-2:] == ["    next", "end"] and "edit 2" not in one
        policy = conn.send_command("show firewall policy")
        assert "    edit 2\n        set uuid " in policy  # a new policy gets its UUID
        assert (
            '        set name "e2e"\n' in policy
            and '        set service "PING" "HTTPS"\n' in policy
        )
        # FortiOS saves on `end`: the change is already in the saved configuration
        saved = Path(dlab.state_dir) / "saved" / "LAB-FW-FGT-01.cfg"
        assert 'set name "e2e"' in saved.read_text(encoding="utf-8")
        assert conn.send_command("get system console", use_textfsm=False).count(
            "output              : standard"
        )
    finally:
        conn.disconnect()
    # netmiko's cleanup put the console output mode back to `more`, the default `show` omits
    assert "config system console" not in saved.read_text(encoding="utf-8")


def test_hillstone_show_push_save_read_back(dlab: LabHandle) -> None:
    conn = connect(dlab, 5, "hillstone_stoneos")
    try:
        assert conn.find_prompt() == "LAB-FW-SG-01#"
        assert "Product name: SG-6000-E3960" in conn.send_command("show version")
        conn.send_config_set(
            [
                "rule id 7",
                "action deny",
                'src-zone "trust"',
                'dst-zone "untrust"',
                'src-addr "Any"',
                'dst-addr "Any"',
                'service "Any"',
                'name "e2e"',
            ]
        )
        running = conn.send_command("show configuration running")
        assert "  rule id 7\n    action deny\n" in running and running.rstrip().endswith("end")
        assert "rule id 7" not in conn.send_command("show configuration saved")
        assert "Saving configuration is finished" in conn.save_config()
        assert '    name "e2e"' in conn.send_command("show configuration saved")
    finally:
        conn.disconnect()


def test_brocade_fos_show_push_save_read_back(dlab: LabHandle) -> None:
    conn = connect(dlab, 6, "brocade_fos")
    try:
        prompt = conn.find_prompt()
        assert prompt.endswith(f":FID128:{USER}>")
        assert "switchName:\tYM-SAN-FC-01" in conn.send_command("switchshow")
        assert conn.send_command("bogus") == "rbash: bogus: command not found"
        assert conn.send_command("switch") == "rbash: switch: command not found"  # no abbreviations
        assert conn.send_command("switchShow").startswith("switchName:")  # case does not matter
        conn.send_command('alicreate "E2E_ALIAS", "21:00:00:24:ff:00:00:01"')
        assert " alias:\tE2E_ALIAS\t\n\t\t21:00:00:24:ff:00:00:01" in conn.send_command("alishow")
        out = conn.send_command("cfgsave", expect_string=r"\[no\]")
        assert "Defined zoning configuration" in out
        conn.send_command("y", expect_string=r">")
        assert "alias.E2E_ALIAS:21:00:00:24:ff:00:00:01" in conn.send_command("configshow -all")
    finally:
        conn.disconnect()
    saved = Path(dlab.state_dir) / "saved" / "YM-SAN-FC-01.cfg"
    assert "alias.E2E_ALIAS:" in saved.read_text(encoding="utf-8")


def test_vendor_errors_for_unknown_commands(dlab: LabHandle) -> None:
    asa = connect(dlab, 3, "cisco_asa", secret=PASSWORD)
    try:
        assert (
            asa.send_command("show bogus").splitlines()[-1]
            == "ERROR: % Invalid input detected at '^' marker."
        )
    finally:
        asa.disconnect()
    fgt = connect(dlab, 4, "fortinet")
    try:
        assert fgt.send_command("bogus") == "Unknown action 0\nCommand fail. Return code -1"
        fgt.send_command("config firewall policy", expect_string=r"\(policy\) # $")
        out = fgt.send_command("frobnicate 1", expect_string=r"\(policy\) # $")
        assert out == "command parse error before 'frobnicate'\nCommand fail. Return code -61"
        fgt.send_command("abort", expect_string=r"FGT-01 # $")
    finally:
        fgt.disconnect()
    sg = connect(dlab, 5, "hillstone_stoneos")
    try:
        assert (
            sg.send_command("show bogus")
            .splitlines()[-1]
            .endswith("^-----unrecognized keyword bogus")
        )
    finally:
        sg.disconnect()


def test_ios_section_pipe(dlab: LabHandle) -> None:
    conn = connect(dlab, 2, "cisco_ios", secret=PASSWORD)
    try:
        conn.enable()
        out = conn.send_command("show running-config | section ^line vty")
        assert out.splitlines() == [
            "line vty 0 4",
            " transport input ssh",
            "line vty 5 15",
            " transport input ssh",
        ]
        assert (
            conn.send_command("show running-config | include ^hostname")
            == "hostname LAB-IOS-ACC-02"
        )
    finally:
        conn.disconnect()


def test_brocade_exec_channel_like_oxidized(dlab: LabHandle) -> None:
    outputs = _exec_all(dlab, 6, ("chassisshow", "configshow -all"))
    assert "Factory Serial Num:" in outputs["chassisshow"]
    lines = outputs["configshow -all"].splitlines()
    assert lines[:2] == ["[Configuration upload Information]", "Configuration Format = 2.0"]
    assert lines[2].startswith("date = ")
    assert "FID128" not in outputs["configshow -all"]  # exec output carries no prompt


def test_unsaved_changes_are_lost_on_restart_saved_ones_survive(dlab: LabHandle) -> None:
    conn = connect(dlab, 2, "cisco_ios", secret=PASSWORD)
    try:
        conn.enable()
        conn.send_config_set(["interface GigabitEthernet1/0/4", "description SAVED-ONE"])
        conn.save_config()
        conn.send_config_set(["interface GigabitEthernet1/0/4", "description UNSAVED-ONE"])
        assert "UNSAVED-ONE" in conn.send_command("show running-config interface Gi1/0/4")
    finally:
        conn.disconnect()
    assert dlab.cli("stop").returncode == 0
    started = dlab.cli("start", "--base-port", str(dlab.base_port), "--fleet", FLEET_SOURCE)
    assert started.returncode == 0, started.stderr
    conn = connect(dlab, 2, "cisco_ios", secret=PASSWORD)
    try:
        conn.enable()
        section = conn.send_command("show running-config interface GigabitEthernet1/0/4")
        assert " description SAVED-ONE" in section and "UNSAVED-ONE" not in section
    finally:
        conn.disconnect()


def test_ios_global_line_removed_and_restored_in_place(dlab: LabHandle) -> None:
    conn = connect(dlab, 2, "cisco_ios", secret=PASSWORD)
    try:
        conn.enable()
        before = conn.send_command(
            "show running-config | section ^spanning-tree|^errdisable|^vlan internal"
        )
        conn.send_config_set(["no errdisable recovery cause bpduguard"])
        assert "errdisable recovery cause bpduguard" not in conn.send_command("show running-config")
        conn.send_config_set(["errdisable recovery cause bpduguard"])
        after = conn.send_command(
            "show running-config | section ^spanning-tree|^errdisable|^vlan internal"
        )
        assert after == before
        running = conn.send_command("show running-config").splitlines()
        i = running.index("errdisable recovery cause bpduguard")
        assert running[i - 1] == "spanning-tree extend system-id" and running[i + 1] == "!"
    finally:
        conn.disconnect()


def _exec_all(dlab: LabHandle, index: int, commands: tuple[str, ...]) -> dict[str, str]:
    """Each command on its own exec channel of one SSH connection to device `index`."""
    client = ssh_client(dlab.base_port + index - 1, USER, PASSWORD, timeout=10)
    try:
        outputs = {}
        for command in commands:
            _, stdout, _ = client.exec_command(command, timeout=10)
            outputs[command] = str(stdout.read().decode())
        return outputs
    finally:
        client.close()


def _exec(dlab: LabHandle, index: int, command: str) -> str:
    return _exec_all(dlab, index, (command,))[command]


def test_ios_and_asa_exec_channels_run_at_privilege_15(dlab: LabHandle) -> None:
    ios = _exec_all(dlab, 1, ("show privilege", "show running-config"))
    assert ios["show privilege"].splitlines() == ["Current privilege level is 15"]
    assert "hostname LAB-IOS-ACC-01" in ios["show running-config"].splitlines()
    asa = _exec_all(dlab, 3, ("show curpriv", "show running-config"))
    assert "Current privilege level : 15" in asa["show curpriv"].splitlines()
    assert "hostname LAB-FW-ASA-01" in asa["show running-config"].splitlines()


def test_fortinet_netmiko_session_leaves_no_trace_in_the_configuration(dlab: LabHandle) -> None:
    before = _exec(dlab, 4, "show")
    assert before.startswith("#config-version=") and "config firewall policy" in before
    conn = connect(dlab, 4, "fortinet")  # switches the console to `standard` and back to `more`
    try:
        assert "config system console" in conn.send_command("show full-configuration")
    finally:
        conn.disconnect()
    assert _exec(dlab, 4, "show") == before


def test_ios_state_follows_relink_and_unplug(dlab: LabHandle) -> None:
    a, b = "LAB-IOS-ACC-01", "LAB-IOS-ACC-02"
    conn = connect(dlab, 1, "cisco_ios", secret=PASSWORD)
    try:
        conn.enable()
        moved = dlab.cli("relink", f"{a}:TenGigabitEthernet1/0/2", f"{b}:GigabitEthernet1/0/4")
        assert moved.returncode == 0, moved.stderr
        lldp = conn.send_command("show lldp neighbors", use_textfsm=True)
        assert {(n["local_interface"], n["neighbor_interface"]) for n in lldp} == {
            ("Te1/0/1", "TenGigabitEthernet1/0/1"),
            ("Te1/0/2", "GigabitEthernet1/0/4"),
        }
        assert dlab.cli("unplug", b).returncode == 0
        assert conn.send_command("show lldp neighbors").endswith("Total entries displayed: 0")
        status = {
            r["port"]: r["status"]
            for r in conn.send_command("show interfaces status", use_textfsm=True)
        }
        assert status["Te1/0/1"] == status["Po1"] == "notconnect"
        assert "1      Po1(SD)" in conn.send_command("show etherchannel summary")
    finally:
        dlab.cli("plug", b)
        dlab.cli("relink", f"{a}:TenGigabitEthernet1/0/2", f"{b}:TenGigabitEthernet1/0/2")
        conn.disconnect()
    restored = connect(dlab, 1, "cisco_ios", secret=PASSWORD)
    try:
        assert len(restored.send_command("show lldp neighbors", use_textfsm=True)) == 2
    finally:
        restored.disconnect()


def test_create_then_remove_leaves_the_configuration_as_it_was(dlab: LabHandle) -> None:
    before = _exec(dlab, 5, "show configuration running")
    assert before.startswith("Building configuration..")
    sg = connect(dlab, 5, "hillstone_stoneos")
    try:
        sg.send_config_set(
            ['address "TMP-HOST"', "ip 10.9.9.10/32", "exit", "rule id 90", "action permit"]
        )
        assert 'address "TMP-HOST"' in sg.send_command("show configuration running")
        sg.send_config_set(['no address "TMP-HOST"', "no rule id 90"])
    finally:
        sg.disconnect()
    assert _exec(dlab, 5, "show configuration running") == before
    ios = connect(dlab, 2, "cisco_ios", secret=PASSWORD)
    try:
        ios.enable()
        before = ios.send_command("show running-config")
        ios.send_config_set(["interface Vlan200", "ip address 10.9.200.1 255.255.255.0"])
        assert "interface Vlan200" in ios.send_command("show running-config")
        ios.send_config_set(["no interface Vlan200"])
        after = ios.send_command("show running-config")
    finally:
        ios.disconnect()
    strip = re.compile(
        r"^(! Last configuration change|Current configuration|ntp clock-period).*$", re.M
    )
    assert "hostname LAB-IOS-ACC-02" in before
    assert strip.sub("", after) == strip.sub("", before)


def test_asa_interface_description_goes_first_and_bad_names_fail(dlab: LabHandle) -> None:
    conn = connect(dlab, 3, "cisco_asa", secret=PASSWORD)
    try:
        conn.send_config_set(["interface GigabitEthernet1/1", "description TO-EDGE-ROUTER"])
        section = conn.send_command("show running-config interface GigabitEthernet1/1")
        assert section.splitlines()[:3] == [
            "interface GigabitEthernet1/1",
            " description TO-EDGE-ROUTER",
            " nameif outside",
        ]
        out = conn.send_config_set(["interface GigabitEthernet9/9"])
        assert "ERROR: % Invalid input detected at '^' marker." in out
        conn.send_config_set(["interface GigabitEthernet1/1", "no description"])
        assert "description" not in conn.send_command(
            "show running-config interface GigabitEthernet1/1"
        )
    finally:
        conn.disconnect()
