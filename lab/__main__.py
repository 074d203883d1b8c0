"""`python -m netsteward.lab`: operate the simulated network (see docs/DESIGN.md, Lab contract).

Exit codes: 0 done, 2 bad input (ports taken, unknown host...), 3 lab not running
(status, stop when nothing runs is 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
import time
from pathlib import Path

from netsteward.lab.engine import control
from netsteward.lab.engine.state import LabInputError, load_fleet

_HOST_PORT = re.compile(r"^([^:\s]+):(\S+)$")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="lab state directory (default $NETSTEWARD_LAB_DIR or .lab/)",
    )
    fleet = argparse.ArgumentParser(add_help=False)
    fleet.add_argument(
        "--base-port", type=int, default=None, help="port of device 1 (default 10001)"
    )
    fleet.add_argument("--seed", type=int, default=None, help="fleet seed (default 2026)")
    fleet.add_argument(
        "--buildings",
        type=int,
        default=None,
        metavar="N",
        help="copies of the building, 739 devices each, generated from the seed (default 1; "
        "building k >= 2: seed 'SEED:building-k', host names Bkk-..., ports after building k-1)",
    )
    fleet.add_argument("--fleet", default=None, help=argparse.SUPPRESS)  # tests: 'file.py:func'
    # tests: stop the lab when this process (the test run) is gone, even if it was killed
    fleet.add_argument("--exit-with", type=int, default=None, help=argparse.SUPPRESS)

    p = argparse.ArgumentParser(
        prog="python -m netsteward.lab", description="The simulated network on 127.0.0.1."
    )
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    sub.add_parser("start", parents=[common, fleet], help="start the lab in the background")
    sub.add_parser("serve", parents=[common, fleet], help="run the lab in the foreground")
    sub.add_parser("stop", parents=[common], help="stop the lab")
    st = sub.add_parser("status", parents=[common], help="is the lab running, on which ports")
    st.add_argument("--json", action="store_true")
    f = sub.add_parser(
        "fault",
        parents=[common],
        help="inject a fault: down auth authslow notssh hang slow truncate paging; health: fan "
        "psu temperature optic crc cpu memory reboot unsaved ntp sessions alarm; or clear (all of the "
        "host's faults)",
    )
    f.add_argument("host")
    f.add_argument("kind")
    r = sub.add_parser(
        "relink", parents=[common], help="move the cable at HOST:PORT to PEER:PEER_PORT"
    )
    r.add_argument("end", metavar="HOST:PORT")
    r.add_argument("peer_end", metavar="PEER:PEER_PORT")
    for name, what in (("unplug", "take a device off the network"), ("plug", "bring it back")):
        sub.add_parser(name, parents=[common], help=what).add_argument("host")
    t = sub.add_parser("truth", parents=[common, fleet], help="ground truth for tests")
    t.add_argument("--json", action="store_true", help="JSON output (the only format)")
    i = sub.add_parser("inventory", parents=[common, fleet], help="write hosts.yaml for the fleet")
    i.add_argument("--out", type=Path, required=True)
    i.add_argument(
        "--groups-out",
        type=Path,
        default=None,
        help="with --buildings N > 1: also write the building-network groups (ym_base, "
        "b02_base, ...) to add to inventory/groups.yaml",
    )
    led = sub.add_parser(
        "ledger",
        parents=[common, fleet],
        help="write the fleet's asset ledger (CSV or XLSX by suffix), in English or Chinese",
    )
    led.add_argument("--out", type=Path, required=True)
    led.add_argument("--lang", choices=("en", "zh"), default="en")
    led.add_argument(
        "--encoding",
        default="utf-8-sig",
        help="CSV encoding: utf-8-sig (default, as Excel writes), utf-8, gbk, gb18030",
    )
    return p


def _split(value: str) -> tuple[str, str]:
    m = _HOST_PORT.match(value)
    if not m:
        raise LabInputError(f"{value}: expected HOST:PORT")
    return m.group(1), m.group(2)


def _buildings(args: argparse.Namespace) -> int:
    return int(args.buildings) if args.buildings is not None else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    state_dir: Path = args.state_dir or control.default_state_dir()
    try:
        return _run(args, state_dir)
    except LabInputError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, state_dir: Path) -> int:
    cmd = args.cmd
    if cmd in ("start", "serve"):
        base_port = args.base_port if args.base_port is not None else control.DEFAULT_BASE_PORT
        seed = args.seed if args.seed is not None else control.DEFAULT_SEED
        buildings = _buildings(args)
        if cmd == "start":
            info = control.start(
                state_dir.resolve(), base_port, seed, args.fleet, args.exit_with, buildings
            )
            print(control.port_range_line(info))
            return 0
        from netsteward.lab.engine.server import LabStartError, serve

        t0 = time.monotonic()
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        try:
            fleet = load_fleet(seed, args.fleet, buildings)
            asyncio.run(
                serve(fleet, state_dir.resolve(), base_port, args.fleet, t0, args.exit_with)
            )
        except LabStartError as exc:
            print(f"lab: {exc}", file=sys.stderr)
            return 2
        return 0
    if cmd == "stop":
        print("lab: stopped" if control.stop(state_dir) else "lab: not running")
        return 0
    if cmd == "status":
        info = control.status(state_dir)
        if args.json:
            print(json.dumps(info, indent=1))
        elif info["running"]:
            print(
                f"{control.port_range_line(info)}, pid {info['pid']}, {info['sessions']} sessions, "
                f"{len(info['faults'])} faults, {len(info['unplugged'])} unplugged"
            )
        else:
            print(f"lab: not running ({state_dir})")
        return 0 if info["running"] else 3
    if cmd == "fault":
        result = control.change(state_dir, {"op": "fault", "host": args.host, "kind": args.kind})
        active = [k for k in [result.get("fault"), *result.get("health", [])] if k]
        print(f"lab: {args.host}: fault {', '.join(active) if active else 'cleared'}")
        return 0
    if cmd == "relink":
        host, port = _split(args.end)
        peer, peer_port = _split(args.peer_end)
        control.change(
            state_dir,
            {"op": "relink", "host": host, "port": port, "peer": peer, "peer_port": peer_port},
        )
        print(f"lab: cable {host}:{port} <-> {peer}:{peer_port}")
        return 0
    if cmd in ("unplug", "plug"):
        control.change(state_dir, {"op": cmd, "host": args.host})
        print(f"lab: {args.host} {cmd}ged")
        return 0
    if cmd == "truth":
        found = control.truth(state_dir, args.base_port, args.seed, args.fleet, args.buildings)
        print(json.dumps(found, indent=1))
        return 0
    if cmd == "inventory":
        from netsteward.lab.fleet.inventory import write_hosts, write_site_groups

        seed = args.seed if args.seed is not None else control.DEFAULT_SEED
        base_port = args.base_port if args.base_port is not None else control.DEFAULT_BASE_PORT
        if args.groups_out and (_buildings(args)) < 2:
            raise LabInputError("--groups-out: needs --buildings N with N > 1")
        fleet = load_fleet(seed, args.fleet, _buildings(args))
        from netsteward.lab.engine.server import port_range_problem

        problem = port_range_problem(base_port, len(fleet.devices))
        if problem:  # the inventory of a lab that could not start
            raise LabInputError(problem)
        write_hosts(fleet, base_port, args.out)
        print(f"lab: wrote {args.out} ({len(fleet.devices)} hosts, base port {base_port})")
        if args.groups_out:
            write_site_groups(fleet, args.groups_out)
            print(f"lab: wrote {args.groups_out} (one group per building and network)")
        return 0
    if cmd == "ledger":
        from netsteward.lab.fleet.ledger import write_ledger

        seed = args.seed if args.seed is not None else control.DEFAULT_SEED
        base_port = args.base_port if args.base_port is not None else control.DEFAULT_BASE_PORT
        fleet = load_fleet(seed, args.fleet, _buildings(args))
        try:
            write_ledger(fleet, base_port, args.out, args.lang, args.encoding)
        except LookupError as exc:
            raise LabInputError(f"--encoding: {exc}") from None
        print(f"lab: wrote {args.out} ({len(fleet.devices)} devices, {args.lang})")
        return 0
    raise LabInputError(f"{cmd}: unknown command")


if __name__ == "__main__":
    sys.exit(main())
