"""Faults, cabling changes, saved state across restarts and the control plane, end to end."""

from __future__ import annotations

import json
import os
import re
import select
import socket
from pathlib import Path

import pytest
from labtest import SMALL_FLEET, connect, pick, ssh_client
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

pytestmark = [pytest.mark.e2e]


def refused(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def faulty(fresh_lab):
    """Yields a function setting a fault; clears every fault it set afterwards."""
    hosts: list[str] = []

    def set_fault(host: str, kind: str) -> None:
        proc = fresh_lab.cli("fault", host, kind)
        assert proc.returncode == 0, proc.stderr
        hosts.append(host)

    yield set_fault
    for host in hosts:
        fresh_lab.cli("fault", host, "clear")


def test_down_closes_the_port_and_clear_reopens_it(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=1)
    port = fresh_lab.port_of(host)
    faulty(host, "down")
    assert refused(port)
    assert fresh_lab.truth()["faults"] == {host: "down"}
    fresh_lab.cli("fault", host, "clear")
    assert not refused(port)
    conn = connect(fresh_lab, host)
    conn.disconnect()


def test_auth_rejects_the_credentials(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=2)
    faulty(host, "auth")
    with pytest.raises(NetmikoAuthenticationException):
        connect(fresh_lab, host)


def test_hang_stops_in_the_middle_of_the_running_config(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=3)
    conn = connect(fresh_lab, host)
    faulty(host, "hang")
    try:
        with pytest.raises(ReadTimeout):
            conn.send_command("display current-configuration", read_timeout=4)
    finally:
        conn.remote_conn.close()


def test_truncate_drops_the_connection_mid_output(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=4)
    conn = connect(fresh_lab, host)
    full = conn.send_command("display current-configuration")
    faulty(host, "truncate")
    with pytest.raises((OSError, EOFError, ReadTimeout)):
        conn.send_command("display current-configuration", read_timeout=6)
    conn.remote_conn.close()
    assert full.rstrip().endswith("return")


def test_slow_answers_but_slowly(fresh_lab, faulty) -> None:
    """No answer within the first second (the fault delays it 1.5 s), then the whole one."""
    host = pick(fresh_lab, nth=5)
    conn = connect(fresh_lab, host)
    try:
        assert "+08:00" in conn.send_command("display clock")
        faulty(host, "slow")
        conn.write_channel("display clock\n")
        with pytest.raises(ReadTimeout):
            conn.read_until_pattern(pattern=rf"<{host}>", read_timeout=1)
        out = conn.read_until_pattern(pattern=rf"<{host}>", read_timeout=30)
        assert "+08:00" in out
    finally:
        conn.disconnect()


def test_paging_fault_ignores_the_paging_off_command(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=6)
    faulty(host, "paging")
    conn = connect(fresh_lab, host)
    try:
        conn.write_channel("display current-configuration\n")
        out = conn.read_until_pattern(pattern=r"---- More ----", read_timeout=30)
        assert out.count("\n") < 40
        conn.write_channel("q")
        assert (
            conn.read_until_pattern(pattern=rf"<{host}>", read_timeout=30)
            .rstrip()
            .endswith(f"<{host}>")
        )
    finally:
        conn.disconnect()


def lldp_peers(lab, host: str) -> set[tuple[str, str, str]]:
    conn = connect(lab, host)
    try:
        text = conn.send_command("display lldp neighbor brief")
    finally:
        conn.disconnect()
    rows = set()
    for line in text.splitlines()[1:]:
        local, peer, peer_port, _exp = line.split()
        rows.add((local, peer, peer_port))
    return rows


def test_relink_moves_the_cable_on_both_ends(fresh_lab) -> None:
    truth = fresh_lab.truth()
    host = pick(fresh_lab, nth=7)
    cable = next(c for c in truth["cables"] if host in (c["a"], c["b"]))
    if cable["a"] == host:
        port, old_peer, old_port = cable["a_port"], cable["b"], cable["b_port"]
    else:
        port, old_peer, old_port = cable["b_port"], cable["a"], cable["a_port"]
    other = pick(fresh_lab, nth=8)
    other_port = "GigabitEthernet0/0/20"
    before = lldp_peers(fresh_lab, host)
    assert any(p == old_peer for _, p, _ in before)
    proc = fresh_lab.cli("relink", f"{host}:{port}", f"{other}:{other_port}")
    assert proc.returncode == 0, proc.stderr
    try:
        after = lldp_peers(fresh_lab, host)
        short = port.replace("XGigabitEthernet", "XGE").replace("GigabitEthernet", "GE")
        assert (short, other, other_port) in after
        assert (short, old_peer, old_port) not in after
        assert (other_port.replace("GigabitEthernet", "GE"), host, port) in lldp_peers(
            fresh_lab, other
        )
        cables = fresh_lab.truth()["cables"]
        assert any(
            {(c["a"], c["a_port"]), (c["b"], c["b_port"])} == {(host, port), (other, other_port)}
            for c in cables
        )
    finally:
        fresh_lab.cli("relink", f"{host}:{port}", f"{old_peer}:{old_port}")
    assert lldp_peers(fresh_lab, host) == before


def test_unplug_removes_the_device_from_its_neighbours(fresh_lab) -> None:
    host = pick(fresh_lab, nth=9)
    peers = {p for _, p, _ in lldp_peers(fresh_lab, host)}
    peer = sorted(peers)[0]
    peer_platform = next(d["platform"] for d in fresh_lab.truth()["devices"] if d["name"] == peer)
    command = (
        "display lldp neighbor-information list"
        if peer_platform == "hp_comware"
        else "display lldp neighbor brief"
    )

    def peer_table() -> str:
        conn = connect(fresh_lab, peer, peer_platform)
        try:
            return str(conn.send_command(command))
        finally:
            conn.disconnect()

    assert re.search(rf"\b{host}\b", peer_table())
    assert fresh_lab.cli("unplug", host).returncode == 0
    try:
        assert fresh_lab.truth()["unplugged"] == [host]
        assert refused(fresh_lab.port_of(host))
        assert not re.search(rf"\b{host}\b", peer_table())
    finally:
        assert fresh_lab.cli("plug", host).returncode == 0
    assert re.search(rf"\b{host}\b", peer_table())
    assert fresh_lab.truth()["unplugged"] == []


def test_saved_config_survives_a_restart_and_unsaved_does_not(fresh_lab) -> None:
    saved_host, unsaved_host = pick(fresh_lab, nth=10), pick(fresh_lab, nth=11)
    for host, save in ((saved_host, True), (unsaved_host, False)):
        conn = connect(fresh_lab, host)
        conn.send_config_set(["interface LoopBack 9", f"description KEEP-{host}"])
        if save:
            conn.save_config()
        conn.disconnect()
    assert fresh_lab.cli("stop").returncode == 0
    proc = fresh_lab.cli("start", "--base-port", str(fresh_lab.base_port))
    assert proc.returncode == 0, proc.stderr
    for host, kept in ((saved_host, True), (unsaved_host, False)):
        conn = connect(fresh_lab, host)
        text = conn.send_command("display current-configuration interface LoopBack9")
        conn.disconnect()
        assert (f"description KEEP-{host}" in text) is kept


def test_faults_and_cabling_persist_across_a_restart(fresh_lab) -> None:
    host = pick(fresh_lab, nth=12)
    fresh_lab.cli("fault", host, "auth")
    fresh_lab.cli("unplug", pick(fresh_lab, nth=13))
    try:
        fresh_lab.cli("stop")
        assert fresh_lab.cli("start", "--base-port", str(fresh_lab.base_port)).returncode == 0
        truth = fresh_lab.truth()
        assert truth["faults"] == {host: "auth"}
        assert truth["unplugged"] == [pick(fresh_lab, nth=13)]
    finally:
        fresh_lab.cli("fault", host, "clear")
        fresh_lab.cli("plug", pick(fresh_lab, nth=13))


def test_the_lab_binds_only_loopback(fresh_lab) -> None:
    status = json.loads(fresh_lab.cli("status", "--json").stdout)
    pid = status["pid"]
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes and fields[3] == "0A":  # LISTEN
                listening.append(fields[1])
    assert len(listening) == status["listening"] > 0
    assert all(addr.startswith("0100007F:") for addr in listening), listening


def test_status_and_start_report_the_ports(fresh_lab) -> None:
    status = fresh_lab.cli("status")
    assert status.returncode == 0
    n = len(fresh_lab.truth()["devices"])
    first, last = fresh_lab.base_port, fresh_lab.base_port + n - 1
    assert f"lab: {n} devices on 127.0.0.1:{first}-{last}" in status.stdout


def test_ports_taken_exit_2_with_one_line(fresh_lab, tmp_path) -> None:
    from conftest import LabHandle

    other = LabHandle(tmp_path / "state", tmp_path / "cfg.yaml", fresh_lab.base_port, SMALL_FLEET)
    proc = other.cli("start", "--base-port", str(fresh_lab.base_port), "--fleet", SMALL_FLEET)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "already in use" in lines[0], proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("fault", "NO-SUCH-HOST", "down"),
        ("fault", "{host}", "melt"),
        ("relink", "{host}", "X:Y"),
        ("relink", "{host}:NoSuchPort9/9", "{host}:GigabitEthernet0/0/1"),
        ("unplug", "NO-SUCH-HOST"),
    ],
)
def test_bad_input_exits_2_with_one_line(fresh_lab, args) -> None:
    host = pick(fresh_lab, nth=0)
    proc = fresh_lab.cli(*(a.format(host=host) for a in args))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("lab: ")


def test_stop_is_clean(fresh_lab, tmp_path) -> None:
    from conftest import start_lab

    other = start_lab(tmp_path, SMALL_FLEET)
    pid = json.loads(other.cli("status", "--json").stdout)["pid"]
    assert other.cli("stop").stdout.strip() == "lab: stopped"
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert other.cli("status").returncode == 3
    assert not (other.state_dir / "control.sock").exists()


def test_netmiko_timeout_when_down(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=14)
    faulty(host, "down")
    with pytest.raises(NetmikoTimeoutException):
        connect(fresh_lab, host, conn_timeout=3)


def exec_command(lab, host: str, command: str, timeout: float = 10.0) -> tuple[str, int | None]:
    client = ssh_client(lab.port_of(host))
    try:
        _, stdout, _ = client.exec_command(command, timeout=timeout)
        chunks = []
        try:
            while True:
                data = stdout.channel.recv(65536)
                if not data:
                    break
                chunks.append(data.decode())
        except TimeoutError:
            return "".join(chunks), None
        status = stdout.channel.recv_exit_status() if stdout.channel.exit_status_ready() else None
        return "".join(chunks), status
    finally:
        client.close()


def test_faults_strike_exec_channels_too(fresh_lab, faulty) -> None:
    host = pick(fresh_lab, nth=15)
    full, status = exec_command(fresh_lab, host, "display current-configuration")
    assert status == 0 and full.rstrip().endswith("return")
    faulty(host, "truncate")
    cut, status = exec_command(fresh_lab, host, "display current-configuration")
    assert status != 0 and 0 < len(cut) < len(full)  # paramiko: -1, no exit status sent
    faulty(host, "hang")
    stuck, status = exec_command(fresh_lab, host, "display current-configuration", timeout=2)
    assert status is None and 0 < len(stuck) < len(full)  # the read timed out, mid-output


def test_a_long_state_dir_still_gets_a_control_socket(fresh_lab, tmp_path) -> None:
    from conftest import start_lab

    deep = tmp_path / ("x" * 60) / ("y" * 60)
    other = start_lab(deep, SMALL_FLEET)
    try:
        assert json.loads(other.cli("status", "--json").stdout)["running"] is True
    finally:
        assert other.cli("stop").stdout.strip() == "lab: stopped"


def test_changes_apply_offline_to_a_stopped_lab(fresh_lab, tmp_path) -> None:
    from conftest import LabHandle

    idle = LabHandle(tmp_path / "idle", tmp_path / "cfg.yaml", 15001, SMALL_FLEET)
    host = "LAB-ACC-001"
    assert idle.cli("status").returncode == 3
    # record the fleet source the way `start` does, without starting
    (idle.state_dir).mkdir(parents=True)
    (idle.state_dir / "lab.json").write_text(json.dumps({"fleet_source": SMALL_FLEET}))
    assert idle.cli("fault", host, "truncate").returncode == 0
    assert idle.cli("unplug", host).returncode == 0
    truth = json.loads(idle.cli("truth", "--json", "--fleet", SMALL_FLEET).stdout)
    assert truth["faults"] == {host: "truncate"} and truth["unplugged"] == [host]
    assert json.loads((idle.state_dir / "live.json").read_text())["faults"] == {host: "truncate"}


def test_a_test_lab_dies_with_the_process_that_started_it(fresh_lab, tmp_path) -> None:
    import subprocess
    import sys

    from conftest import LabHandle, random_base_port

    # the owner lives until its stdin closes
    owner = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    other = LabHandle(tmp_path / "state", tmp_path / "cfg.yaml", 0, SMALL_FLEET)
    for attempt in range(10):
        base = random_base_port(anywhere=attempt >= 5)
        args = ["start", "--base-port", str(base), "--exit-with", str(owner.pid)]
        proc = other.cli(*args, "--fleet", SMALL_FLEET)
        if proc.returncode == 0:
            break
    assert proc.returncode == 0, proc.stderr
    status = json.loads(other.cli("status", "--json").stdout)
    assert status["running"]
    lab_pid = os.pidfd_open(status["pid"])  # readable once the lab process has exited
    try:
        assert owner.stdin is not None
        owner.stdin.close()
        owner.wait()
        assert select.select([lab_pid], [], [], 60)[0], "the lab outlived its owner"
    finally:
        os.close(lab_pid)
    assert other.cli("status").returncode == 3
    assert "is gone, stopping" in (other.state_dir / "lab.log").read_text()
