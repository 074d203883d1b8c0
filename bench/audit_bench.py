"""Benchmark of the firewall audit (prints figures; no pass/fail).

1. The lab's 34 firewalls (12 USG, 10 StoneOS, 6 FortiOS, 6 ASA) as netsteward.lab.fleet.firewall
   generates them (from netsteward.lab.fleet.build when it exists): parse + audit, goal < 5 s.
2. One synthetic 10,000-entry ASA access-list with shadowed and redundant
   entries, any-destination entries and overlapping subnets: goal < 10 s.
3. A harder 10,000-entry shape: every entry to destination any (figure only).

Run: .venv/bin/python bench/audit_bench.py [--rules N] [--seed S]
Timings are wall-clock on a shared machine: repeat when others are busy.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import time
from pathlib import Path

from netsteward.lab.fleet.firewall import generate_firewall
from netsteward.lab.model import DeviceSpec
from netsteward.tasks.firewall.audit import AuditResult, audit_config, audit_firewall
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.firewall.parsers import parse_firewall

ROOT = Path(__file__).resolve().parents[1]
MIX = [("huawei_vrp", 12), ("hillstone_stoneos", 10), ("fortinet", 6), ("cisco_asa", 6)]


def lab_firewalls(seed: int) -> list[tuple[str, str, str]]:
    """(name, platform, config) of the lab's firewalls."""
    if importlib.util.find_spec("netsteward.lab.fleet.build") is not None:
        from netsteward.lab.fleet import build as fleet_mod

        build = getattr(fleet_mod, "build_fleet", None)
        if build is not None:
            fleet = build(seed)
            found = [(d.name, d.platform, d.config) for d in fleet.devices if d.role == "firewall"]
            if found:
                return found
    out = []
    for platform, count in MIX:
        for i in range(1, count + 1):
            name = f"BENCH-{platform.split('_')[0].upper()}-FW-{i:02d}"
            spec = DeviceSpec(
                name=name,
                platform=platform,
                role="firewall",
                network="base",
                model="bench",
                vendor="bench",
                serial="B",
                version="",
                mac="00e0fc000001",
                index=i,
            )
            out.append(
                (name, platform, generate_firewall(spec, random.Random(f"{seed}-{name}"))[0])
            )
    return out


def synthetic_asa(n: int, seed: int) -> str:
    """n entries: mostly distinct subnet pairs, 8% any-destination denies, 5% nested in an earlier entry."""
    rng = random.Random(seed)
    lines = ["ASA Version 9.12(4)67", "hostname BENCH-10K"]
    earlier: list[tuple[int, int, str, int]] = []  # (a, b, destination /24, port) of plain entries
    for i in range(n):
        lines.append(f"access-list BIG remark entry {i}")
        kind = rng.random()
        a, b = rng.randrange(1, 250), rng.randrange(0, 256)
        if kind < 0.05 and earlier:  # a host pair inside an earlier entry: redundant or shadowed
            ea, eb, edst, eport = rng.choice(earlier)
            src = f"host 10.{ea}.{eb}.{rng.randrange(1, 255)}"
            dst = f"host {edst}.{rng.randrange(1, 255)}"
            port = f"eq {eport}"
            action = rng.choice(["permit", "deny"])
        elif kind < 0.08:  # any destination, one port
            src = f"10.{a}.{b}.0 255.255.255.0"
            dst, port, action = "any", f"eq {rng.randrange(1024, 8000)}", "deny"
        else:
            src = f"10.{a}.{b}.0 255.255.255.0"
            edst = f"172.{16 + i % 16}.{(i // 16) % 256}"
            dst = f"{edst}.0 255.255.255.0"
            eport = 8443 + i % 400
            port, action = f"range {eport} {eport + 10}", "permit"
            earlier.append((a, b, edst, eport))
        lines.append(f"access-list BIG extended {action} tcp {src} {dst} {port} log")
    lines.append("access-group BIG in interface inside")
    return "\n".join(lines) + "\n"


def any_destination_asa(n: int, seed: int) -> str:
    """A harder shape: every entry has destination any (one /24 source, one port)."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        action = rng.choice(["permit", "deny"])
        src = f"10.{rng.randrange(250)}.{rng.randrange(256)}.0 255.255.255.0"
        lines += [
            f"access-list WIDE remark entry {i}",
            f"access-list WIDE extended {action} tcp {src} any eq {rng.randrange(1, 65535)} log",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    intent = load_intent(ROOT / "policy" / "firewall_intent.yaml")

    fws = lab_firewalls(args.seed)
    total = AuditResult()
    t0, c0 = time.perf_counter(), time.process_time()
    for name, platform, text in fws:
        total.extend(audit_config(platform, text, intent, None, name))
    lab_s, lab_cpu = time.perf_counter() - t0, time.process_time() - c0
    rules = sum(len(parse_firewall(p, t, n).rules) for n, p, t in fws)
    print(
        f"lab firewalls: {len(fws)} devices, {rules} rules, {len(total.findings)} findings, "
        f"{len(total.exposure)} exposure rows: {lab_s:.2f} s wall, {lab_cpu:.2f} s CPU (goal < 5 s)"
    )

    text = synthetic_asa(args.rules, args.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    fw = parse_firewall("cisco_asa", text, "BENCH-10K")
    parse_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = audit_firewall(fw, intent)
    audit_s, cpu = time.perf_counter() - t1, time.process_time() - c0
    covered = sum(1 for f in result.findings if f.check in ("SHADOWED_RULE", "REDUNDANT_RULE"))
    print(
        f"synthetic policy: {len(fw.rules)} rules, {covered} shadowed/redundant, {len(result.findings)} findings: "
        f"parse {parse_s:.2f} s + audit {audit_s:.2f} s = {parse_s + audit_s:.2f} s wall, {cpu:.2f} s CPU (goal < 10 s)"
    )
    t0, c0 = time.perf_counter(), time.process_time()
    fw = parse_firewall("cisco_asa", any_destination_asa(args.rules, args.seed), "BENCH-ANY")
    result = audit_firewall(fw, intent)
    print(
        f"any-destination policy: {len(fw.rules)} rules, {len(result.exposure)} exposure rows: "
        f"{time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
