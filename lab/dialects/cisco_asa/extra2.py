"""Cisco ASA 9.x interface detail, module, flash, xlate, ACL hashes, CPU, resources, licence (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from netsteward.lab.dialects.cisco_asa.extra import named_interfaces, nat_objects, nat_source
from netsteward.lab.dialects.render_common import (
    mac_dotted,
    mac_offset,
    sections,
    stable_int,
)
from netsteward.lab.model import DeviceSpec


def _counter(*parts: object, modulo: int = 10**9) -> int:
    return stable_int(*parts, modulo=modulo)


def show_interface_detail(
    spec: DeviceSpec,
    config: str,
    up: set[str],
    detail: bool = True,
    only: str = "",
    errors: Callable[[str], tuple[int, int]] | None = None,
) -> str:
    """`show interface detail` (or, with detail=False, plain `show interface [NAME]`);
    `errors(port)` gives a port's (input errors, CRC) counters."""
    conf = {s.header.split(None, 1)[1]: s.children for s in sections(config, "interface ")}
    names = [p.name for p in spec.ports] or list(conf)
    out: list[str] = []
    for number, name in enumerate(names, start=1):
        if only and name.lower() != only.lower():
            continue
        children = conf.get(name)
        nameif = next((c.split()[1] for c in children or [] if c.startswith("nameif ")), "")
        addr = next((c.split()[2:4] for c in children or [] if c.startswith("ip address ")), [])
        desc = next(
            (c[len("description ") :] for c in children or [] if c.startswith("description ")), ""
        )
        shut = children is None or "shutdown" in children
        link = not shut and name in up
        state = "administratively down" if shut else ("up" if link else "down")
        proto = "up" if link else "down"
        mgmt = name.startswith("Management")
        pin = _counter(spec.name, name, "pin") if link else 0
        pout = _counter(spec.name, name, "pout") if link else 0
        in_err, crc = errors(name) if errors else (0, 0)
        out += [
            f'Interface {name} "{nameif}", is {state}, line protocol is {proto}',
            f"  Hardware is {'i82574L' if mgmt else 'i211'} rev 00, BW 1000 Mbps, DLY 10 usec",
            "\tAuto-Duplex(Full-duplex), Auto-Speed(1000 Mbps)"
            if link
            else "\tAuto-Duplex, Auto-Speed",
            "\tInput flow control is unsupported, output flow control is off",
        ]
        if desc:
            out.append(f"\tDescription: {desc}")
        out.append(
            f"\tMAC address {mac_dotted(mac_offset(spec.mac, number))}, MTU {'1500' if nameif else 'not set'}"
        )
        out.append(
            f"\tIP address {addr[0]}, subnet mask {addr[1]}"
            if len(addr) == 2
            else "\tIP address unassigned"
        )
        out += [
            f"\t{pin} packets input, {pin * 412} bytes, 0 no buffer",
            f"\tReceived {pin // 3000} broadcasts, 0 runts, 0 giants",
            f"\t{in_err} input errors, {crc} CRC, 0 frame, 0 overrun, 0 ignored, 0 abort",
            "\t0 pause/resume input",
            "\t0 L2 decode drops",
            f"\t{pout} packets output, {pout * 389} bytes, 0 underruns",
            "\t0 pause/resume output",
            "\t0 output errors, 0 collisions, 0 interface resets",
            "\t0 late collisions, 0 deferred",
            "\t0 input reset drops, 0 output reset drops",
        ]
        if detail:
            out += [
                "  Control Point Interface States:",
                f"\tInterface number is {number}",
                f"\tInterface config status is {'active' if nameif else 'not active'}",
                f"\tInterface state is {'active' if link and nameif else 'not active'}",
            ]
            continue
        out += [
            "\tinput queue (blocks free curr/low): hardware (511/481)",
            "\toutput queue (blocks free curr/low): hardware (511/467)",
        ]
        if nameif:
            rate_in = pin % 900 if link else 0
            rate_out = pout % 700 if link else 0
            out += [
                f'  Traffic Statistics for "{nameif}":',
                f"\t{pin} packets input, {pin * 401} bytes",
                f"\t{pout} packets output, {pout * 377} bytes",
                f"\t{pin // 5000} packets dropped",
                f"      1 minute input rate {rate_in} pkts/sec,  {rate_in * 401} bytes/sec",
                f"      1 minute output rate {rate_out} pkts/sec,  {rate_out * 377} bytes/sec",
                "      1 minute drop rate, 0 pkts/sec",
                f"      5 minute input rate {rate_in} pkts/sec,  {rate_in * 399} bytes/sec",
                f"      5 minute output rate {rate_out} pkts/sec,  {rate_out * 380} bytes/sec",
                "      5 minute drop rate, 0 pkts/sec",
            ]
    return "\n".join(out) + "\n"


def _model(spec: DeviceSpec) -> str:
    return spec.model.replace("-X", "").replace("ASA ", "ASA")


def show_module(spec: DeviceSpec, version: str) -> str:
    model = _model(spec)
    first, last = mac_dotted(mac_offset(spec.mac, 0)), mac_dotted(mac_offset(spec.mac, 11))
    sfr_first, sfr_last = mac_dotted(mac_offset(spec.mac, 12)), mac_dotted(mac_offset(spec.mac, 12))
    card = f"{model[:3]} {model[3:]}-X with FirePOWER services, 8GE, AC, "
    return "\n".join(
        [
            "",
            "Mod  Card Type                                    Model              Serial No.",
            "---- -------------------------------------------- ------------------ -----------",
            f"   1 {card:<44} {model:<18} {spec.serial}",
            f" sfr FirePOWER Services Software Module           {model:<18} {spec.serial}",
            "",
            "Mod  MAC Address Range                 Hw Version   Fw Version   Sw Version",
            "---- --------------------------------- ------------ ------------ ---------------",
            f"   1 {first} to {last}  1.0          1.1.8        {version}",
            f" sfr {sfr_first} to {sfr_last}  N/A          N/A          6.6.5-81",
            "",
            "Mod  SSM Application Name           Status           SSM Application Version",
            "---- ------------------------------ ---------------- --------------------------",
            " sfr FirePOWER                      Up               6.6.5-81",
            "",
            "Mod  Status             Data Plane Status     Compatibility",
            "---- ------------------ --------------------- -------------",
            "   1 Up Sys             Not Applicable",
            " sfr Up                 Up",
            "",
            "Mod  License Name   License Status  Time Remaining",
            "---- -------------- --------------- ---------------",
            " sfr FirePOWER      Enabled         perpetual",
            "",
        ]
    )


def dir_disk0(spec: DeviceSpec, image: str, booted: datetime) -> str:
    day = booted - timedelta(days=1)
    files = [
        ("-rwx", 112358400 + _counter(spec.name, "img", modulo=4096), day, image.split("/")[-1]),
        ("-rwx", 27951724, day, "asdm-7122.bin"),
        ("drwx", 4096, booted, "log"),
        ("drwx", 4096, booted, "crypto_archive"),
        ("drwx", 4096, booted, "coredumpinfo"),
        ("-rwx", 4096, booted, "FSCK0000.REC"),
    ]
    lines = ["", "Directory of disk0:/", ""]
    for n, (perm, size, when, name) in enumerate(files, start=11):
        lines.append(f"{n:<6} {perm}  {size:<12} {when:%H:%M:%S %b %d %Y}  {name}")
    used = sum(f[1] for f in files)
    lines += [
        "",
        f"8000000000 bytes total ({8000000000 - used} bytes free)",
        "",
    ]
    return "\n".join(lines)


def show_xlate(spec: DeviceSpec, config: str) -> str:
    """The PAT translations of the networks `show nat` lists (one per network)."""
    outside = next((i for i in named_interfaces(config) if i.nameif == "outside"), None)
    nets = nat_objects(config)
    if outside is None or not nets:
        return "0 in use, 0 most used\n"
    src = nat_source(config)
    lines = [
        f"{len(nets)} in use, {len(nets) + 2} most used",
        "Flags: D - DNS, e - extended, I - identity, i - dynamic, r - portmap,",
        "s - static, T - twice, N - net-to-net",
    ]
    for k, (_name, net, mask) in enumerate(nets):
        bits = sum(bin(int(o)).count("1") for o in mask.split("."))
        idle = _counter(spec.name, k, "idle", modulo=59)
        lines.append(
            f"NAT from {src}:{net}/{bits} to outside:{outside.ip} "
            f"flags i idle 0:00:{idle:02d} timeout 0:00:00"
        )
    return "\n".join(lines) + "\n"


def show_access_list_brief(spec: DeviceSpec, config: str) -> str:
    acls: dict[str, list[str]] = {}
    for line in config.splitlines():
        words = line.split()
        if words[:1] == ["access-list"] and len(words) > 2 and words[2] != "remark":
            acls.setdefault(words[1], []).append(line)
    out: list[str] = []
    for name, lines in acls.items():
        name_hash = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:8]
        out.append(f"access-list {name}; {len(lines)} elements; name hash: 0x{name_hash}")
        for line in lines:
            hits = _counter(spec.name, line, "hits", modulo=3)
            if not hits:
                continue  # only entries with hits are listed
            line_hash = hashlib.md5(line.encode(), usedforsecurity=False).hexdigest()[:8]
            counter = _counter(spec.name, line, "count", modulo=0xFFFF) + 1
            last = 0x6A000000 + _counter(spec.name, line, "last", modulo=0xFFFFFF)
            out.append(f"{line_hash} 00000000 {counter:08x} {last:08x}")
        out.append("")
    return "\n".join(out) + "\n"


def show_cpu_usage_detailed(spec: DeviceSpec, cores: int = 8) -> str:
    lines = [
        "Break down of per-core data path versus control point cpu usage:",
        "Core         5 sec               1 min               5 min",
    ]
    totals = [0.0, 0.0, 0.0]
    for core in range(cores):
        cells = []
        for window in ("5s", "1m", "5m"):
            dp = 10 + _counter(spec.name, core, window, "dp", modulo=150) / 10
            cp = _counter(spec.name, core, window, "cp", modulo=60) / 10 if core == 0 else 0.0
            cells.append(f"{dp + cp:.1f} ({dp:4.1f} + {cp:4.1f})")
            totals[len(cells) - 1] += (dp + cp) / cores
        lines.append(f"{'Core ' + str(core):<12} {cells[0]:<19} {cells[1]:<19} {cells[2]}")
    lines += [
        "",
        "Current control point elapsed versus the maximum control point elapsed for:",
        "      5 seconds = 3.2%; 1 minute: 3.0%; 5 minutes: 2.9%",
        "",
        "CPU utilization of external processes for:",
        "      5 seconds = 0.0%; 1 minute: 0.0%; 5 minutes: 0.0%",
        "",
        "Total CPU utilization for:",
        f"      5 seconds = {totals[0]:.1f}%; 1 minute: {totals[1]:.1f}%; 5 minutes: {totals[2]:.1f}%",
        "",
    ]
    return "\n".join(lines)


def show_resource_usage(spec: DeviceSpec, config: str) -> str:
    routes = len(named_interfaces(config)) * 2 + 3
    conns = _counter(spec.name, "conns", modulo=5000) + 100
    rows = [
        ("SSH Server", 1, 3, "5"),
        ("Syslogs [rate]", _counter(spec.name, "sys", modulo=40), 900, "unlimited"),
        ("Conns", conns, conns * 3, "unlimited"),
        ("Xlates", conns // 4, conns, "unlimited"),
        ("Hosts", conns // 7, conns // 2, "unlimited"),
        ("Conns [rate]", conns // 50, conns // 5, "unlimited"),
        ("Inspects [rate]", conns // 90, conns // 9, "unlimited"),
        ("Routes", routes, routes, "unlimited"),
    ]
    lines = ["Resource                 Current        Peak      Limit        Denied Context"]
    for name, cur, peak, limit in rows:
        lines.append(f"{name:<24} {cur:>8} {peak:>11} {limit:>10} {0:>13} System")
    return "\n".join(lines) + "\n"


def show_license_all(spec: DeviceSpec, now: datetime) -> str:
    booted = now - timedelta(days=200 + _counter(spec.name, "lic", modulo=100))
    reg = booted.replace(microsecond=0)
    renew = now.replace(microsecond=0) - timedelta(days=_counter(spec.name, "ren", modulo=20) + 1)

    def ts(when: datetime) -> str:
        return f"{when:%b %d %H:%M:%S %Y} UTC"

    model = _model(spec)
    return "\n".join(
        [
            "",
            "Smart Licensing Status",
            "======================",
            "",
            "Smart Licensing is ENABLED",
            "",
            "Registration:",
            "  Status: REGISTERED",
            "  Smart Account: GOVERNMENT IT SERVICES",
            "  Virtual Account: Building Network",
            "  Export-Controlled Functionality: Allowed",
            f"  Initial Registration: SUCCEEDED on {ts(reg)}",
            f"  Last Renewal Attempt: SUCCEEDED on {ts(renew)}",
            f"  Next Renewal Attempt: {ts(renew + timedelta(days=180))}",
            f"  Registration Expires: {ts(renew + timedelta(days=365))}",
            "",
            "License Authorization: ",
            f"  Status: AUTHORIZED on {ts(renew)}",
            f"  Last Communication Attempt: SUCCESS on {ts(renew)}",
            f"  Next Communication Attempt: {ts(renew + timedelta(days=30))}",
            f"  Communication Deadline: {ts(renew + timedelta(days=90))}",
            "",
            "License Usage",
            "==============",
            "",
            f"{model} Security Plus ({model}-SEC-PL):",
            f"  Description: {model} Security Plus",
            "  Count: 1",
            "  Version: 1.0",
            "  Status: AUTHORIZED",
            "",
            "Product Information",
            "===================",
            f"UDI: PID:{model}-X,SN:{spec.serial}",
            "",
            "Agent Version",
            "=============",
            "Smart Agent for Licensing: 4.9.6_rel/45",
            "",
        ]
    )


_FRAME_DROPS = (
    ("Invalid IP header (invalid-ip-header)", 40),
    ("No route to host (no-route)", 900),
    ("Reverse-path verify failed (rpf-violated)", 3000),
    ("Flow is denied by configured rule (acl-drop)", 900000),
    ("First TCP packet not SYN (tcp-not-syn)", 250000),
    ("TCP failed 3 way handshake (tcp-3whs-failed)", 9000),
    ("TCP RST/FIN out of order (tcp-rstfin-ooo)", 60000),
    ("TCP SEQ in SYN/SYNACK invalid (tcp-seq-syn-diff)", 800),
    ("Slowpath security checks failed (sp-security-failed)", 5000),
    ("Expired flow (flow-expired)", 2000),
    ("Interface is down (interface-down)", 300),
    ("Dropped pending packets in a closed socket (np-socket-closed)", 7000),
)
_FLOW_DROPS = (
    ("NAT reverse path failed (nat-rpf-failed)", 400),
    ("Flow is denied by access rule (acl-drop)", 400000),
    ("Inspection failure (inspect-fail)", 700),
    ("Flow shunned (shunned)", 10),
)


def show_asp_drop(spec: DeviceSpec) -> str:
    """`show asp drop`: accelerated security path drop counters since boot."""

    def block(title: str, rows: tuple[tuple[str, int], ...]) -> list[str]:
        out = [f"{title}:"]
        for label, scale in rows:
            count = stable_int(spec.name, label, "asp", modulo=scale) + 1
            out.append(f"  {label:<66} {count:>10}")
        return [*out, "", "Last clearing: Never", ""]

    return "\n".join(["", *block("Frame drop", _FRAME_DROPS), *block("Flow drop", _FLOW_DROPS)])


def ping(target: str, answers: bool) -> str:
    """`ping A.B.C.D`: five 100-byte echoes, answered by the lab itself (no packet is sent)."""
    rtts = [1 + stable_int(target, k, "rtt", modulo=4) for k in range(5)]
    head = [
        "Type escape sequence to abort.",
        f"Sending 5, 100-byte ICMP Echos to {target}, timeout is 2 seconds:",
    ]
    if not answers:
        return "\n".join([*head, "?????", "Success rate is 0 percent (0/5)", ""])
    return "\n".join(
        [
            *head,
            "!!!!!",
            f"Success rate is 100 percent (5/5), round-trip min/avg/max = "
            f"{min(rtts)}/{sum(rtts) // 5}/{max(rtts)} ms",
            "",
        ]
    )
