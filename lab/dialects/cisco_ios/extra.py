"""Cisco IOS 15.2 (Catalyst C2960X) process and CPU displays, rendered from device state.

Pure functions like `netsteward.lab.dialects.cisco_ios.render`: the layout follows the real
`show processes cpu` of networktocode/ntc-templates tests/cisco_ios.  Runtime and
invocation counters grow with the uptime; the load figures move with the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from netsteward.lab.dialects.render_common import boot_time, stable_int
from netsteward.lab.model import DeviceSpec

# (process name, invocations per hour, microseconds per invocation) of a C2960X on 15.2(7)
PROCESSES = (
    ("Chunk Manager", 0, 0),
    ("Load Meter", 720, 0),
    ("Connection Mgr", 0, 0),
    ("Check heaps", 30, 21000),
    ("Pool Manager", 1, 0),
    ("Timers", 0, 0),
    ("Net Input", 240, 45),
    ("Crash writer", 0, 0),
    ("ARP Input", 860, 216),
    ("CEF MIB API", 0, 0),
    ("AAA_SERVER_DEADT", 9, 4),
    ("AAA high-capacit", 0, 0),
    ("Policy Manager", 0, 0),
    ("Entity MIB API", 0, 5666),
    ("IFS Agent Manage", 0, 0),
    ("IPC Dynamic Cach", 60, 0),
    ("IPC Zone Manager", 0, 0),
    ("IPC Periodic Tim", 3600, 0),
    ("IPC Managed Time", 0, 0),
    ("IPC Deferred Por", 3600, 0),
    ("IPC Seat Manager", 240, 0),
    ("IPC Session Serv", 0, 0),
    ("PrstVbl", 0, 28000),
    ("Dynamic ARP Insp", 3600, 0),
    ("ARP Snoop", 0, 0),
    ("GraphIt", 3600, 0),
    ("XML Proxy Client", 0, 0),
    ("Critical Bkgnd", 0, 0),
    ("Net Background", 120, 14),
    ("Logger", 2, 0),
    ("TTY Background", 3600, 0),
    ("Per-Second Jobs", 3600, 31),
    ("Hulc LED Process", 18000, 1830),
    ("HL3U bkgrd proce", 1800, 12),
    ("CDP Protocol", 60, 80),
    ("LLDP Protocol", 120, 95),
    ("Spanning Tree", 1800, 52),
    ("HRPC lldp reques", 120, 24),
    ("SNMP ENGINE", 240, 880),
    ("IP Input", 2400, 35),
    ("SSH Process", 12, 3100),
    ("NTP", 240, 58),
)


def show_processes_cpu(spec: DeviceSpec, now: datetime, load: tuple[int, int, int]) -> str:
    """`show processes cpu`; `load` is (five seconds, one minute, five minutes) in percent."""
    hours = max((now - boot_time(spec, now)).total_seconds() / 3600, 1 / 60)
    five_sec, one_min, five_min = load
    interrupt = five_sec // 4
    lines = [
        f"CPU utilization for five seconds: {five_sec}%/{interrupt}%; "
        f"one minute: {one_min}%; five minutes: {five_min}%",
        " PID Runtime(ms)   Invoked      uSecs   5Sec   1Min   5Min TTY Process",
    ]
    for pid, (name, per_hour, usecs) in enumerate(PROCESSES, 1):
        invoked = int(per_hour * hours) + 1 + stable_int(spec.name, name, modulo=3)
        runtime = invoked * usecs // 1000
        busy = usecs * per_hour / 3.6e9 * 100  # share of one CPU, in percent
        sec5 = f"{busy * (1 + (now.second + pid) % 3 / 2):.2f}%"
        lines.append(
            f"{pid:>4}{runtime:>12}{invoked:>10}{usecs:>11}"
            f"{sec5:>7}{busy:>6.2f}%{busy:>6.2f}%{0:>4} {name}"
        )
    return "\n".join(lines) + "\n"


def show_logging(spec: DeviceSpec, now: datetime, alarm: bool) -> str:
    """`show logging` as the real samples of ntc-templates tests/cisco_ios/show_logging
    print it (`logging buffered 64000 informational`, time stamps `datetime msec localtime
    show-timezone`): a healthy switch's buffer holds notices only; with the health kind
    `alarm` a critical entry repeats every minute (a fault that is still there)."""
    logged = stable_int(spec.name, "log", modulo=90000) + 1000
    port = f"GigabitEthernet1/0/{stable_int(spec.name, 'logport', modulo=40) + 1}"
    lines = [
        f"Syslog logging: enabled (0 messages dropped, {logged % 7} messages rate-limited, "
        "0 flushes, 0 overruns, xml disabled, filtering disabled)",
        "",
        "No Active Message Discriminator.",
        "",
        "",
        "",
        "No Inactive Message Discriminator.",
        "",
        "",
        "    Console logging: disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level informational, {logged} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    Persistent logging: disabled",
        "",
        "No active filter modules.",
        "",
        f"    Trap logging: level informational, {logged} message lines logged",
        "        Logging Source-Interface:       VRF Name:",
        "",
        "Log Buffer (64000 bytes):",
        "",
    ]
    entries = [
        (-300, f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {port}, changed state to down"),
        (-298, f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {port}, changed state to up"),
        (-120, "%SYS-5-CONFIG_I: Configured from console by netsteward on vty0 (127.0.0.1)"),
    ]
    if alarm:
        entries += [
            (
                -65,
                "%SYS-2-MALLOCFAIL: Memory allocation of 65536 bytes failed from 0x2A1F3C, "
                "alignment 0",
            ),
            (
                -5,
                "%SYS-2-MALLOCFAIL: Memory allocation of 65536 bytes failed from 0x2A1F3C, "
                "alignment 0",
            ),
        ]
    base = now.replace(microsecond=0)
    for offset, text in sorted(entries):
        when = base + timedelta(seconds=offset)
        ms = stable_int(spec.name, offset, modulo=1000)
        lines.append(f"{when:%b} {when.day:2d} {when:%H:%M:%S}.{ms:03d} CST: {text}")
    return "\n".join(lines) + "\n"
