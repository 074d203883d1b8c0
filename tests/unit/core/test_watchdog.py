"""The watchdog ends a session at its deadline by shutting its socket; the guarded socket
names what a port said first when it is not SSH."""

from __future__ import annotations

import socket
import time

from netsteward.tasks.core.watchdog import Guard


def test_a_blocked_read_ends_when_the_deadline_shuts_the_socket() -> None:
    ours, device = socket.socketpair()
    try:
        guard = Guard(ours, time.monotonic() + 0.2)
        ours.settimeout(30)  # the read waits for the event, not for a time-out
        assert guard.sock.recv(100) == b""  # the device never answers; the watchdog ends it
        assert guard.expired and guard.sock.eof
    finally:
        ours.close()
        device.close()


def test_a_released_guard_is_left_alone() -> None:
    ours, device = socket.socketpair()
    other, other_device = socket.socketpair()
    try:
        guard = Guard(ours, time.monotonic() + 0.1)
        guard.release()
        later = Guard(other, time.monotonic() + 0.3)  # a later deadline
        later.sock.settimeout(30)
        assert later.sock.recv(10) == b""  # it fired, so the earlier one was due too
        device.sendall(b"still open\n")
        assert ours.recv(100) == b"still open\n"
        assert not guard.expired and later.expired
    finally:
        for s in (ours, device, other, other_device):
            s.close()


def test_the_first_line_a_port_sends_is_kept_then_reads_go_straight_through() -> None:
    ours, device = socket.socketpair()
    try:
        guard = Guard(ours, time.monotonic() + 60)
        device.sendall(b"\r\nUser Access Verification\r\n\r\nUsername: ")
        guard.sock.recv(4096)
        assert guard.first_line() == "User Access Verification"
        assert guard.sock.recv == ours.recv  # no wrapper left on the path of every packet
        guard.release()
    finally:
        ours.close()
        device.close()


def test_an_ssh_greeting_is_not_a_foreign_first_line() -> None:
    ours, device = socket.socketpair()
    try:
        guard = Guard(ours, time.monotonic() + 60)
        device.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
        guard.sock.recv(4096)
        assert guard.first_line() is None and not guard.closed_early
        guard.release()
    finally:
        ours.close()
        device.close()
