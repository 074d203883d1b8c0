"""Build `hosts.yaml` from the asset ledger an operations team keeps (CSV or XLSX).

Columns are matched by name, case and spacing ignored, with common aliases
(`name`/`hostname`/`sysname`, `management address`/`mgmt_ip`/`ip`, ...). Every
bad row gives one `Problem` naming the file, the row and the column; nothing is
written unless the whole ledger is clean.
"""

from __future__ import annotations

import csv
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netsteward.tasks.inventory.check import NETWORKS, ROLES, Problem
from netsteward.tasks.platforms import PLATFORMS

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "hostname", "sysname", "device", "device name", "host"),
    "address": (
        "management address",
        "mgmt address",
        "management ip",
        "mgmt ip",
        "mgmt_ip",
        "address",
        "ip",
        "ip address",
    ),
    "port": ("port", "ssh port"),
    "platform": ("platform", "os", "device type"),
    "vendor": ("vendor", "manufacturer", "make"),
    "model": ("model", "type"),
    "role": ("role", "function"),
    "network": ("network", "zone", "segment"),
    "location": ("location", "site", "rack", "room"),
}
REQUIRED = ("name", "address", "role", "network")
VENDOR_PLATFORM = {
    "huawei": "huawei_vrp",
    "h3c": "hp_comware",
    "hpe": "hp_comware",
    "hp": "hp_comware",
    "cisco": "cisco_ios",
    "hillstone": "hillstone_stoneos",
    "fortinet": "fortinet",
    "fortigate": "fortinet",
    "brocade": "brocade_fos",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class LedgerRow:
    name: str
    address: str
    port: int
    platform: str
    role: str
    network: str
    vendor: str
    model: str
    location: str


def _key(text: Any) -> str:
    return re.sub(r"[\s_-]+", " ", str(text or "").strip().lower())


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, cells) of the first sheet / the CSV."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            rows = [
                (i, ["" if c is None else str(c).strip() for c in row])
                for i, row in enumerate(ws.iter_rows(values_only=True), 1)
            ]
        finally:
            wb.close()
    elif suffix in (".csv", ".txt"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            rows = [
                (i, [c.strip() for c in row]) for i, row in enumerate(csv.reader(fh, dialect), 1)
            ]
    else:
        raise ValueError(f"unsupported ledger type {path.suffix!r} (CSV or XLSX)")
    rows = [(i, cells) for i, cells in rows if any(cells)]
    if not rows:
        return [], []
    return rows[0][1], rows[1:]


def _platform(vendor: str, model: str, platform: str) -> str | None:
    if platform:
        return platform if platform in PLATFORMS else None
    p = VENDOR_PLATFORM.get(_key(vendor).split(" ")[0]) if vendor else None
    if p == "cisco_ios" and _key(model).startswith(("asa", "firepower")):
        return "cisco_asa"
    return p


def read_ledger(path: Path) -> tuple[list[LedgerRow], list[Problem]]:
    """Rows of the ledger and the problems found (one per bad cell or row)."""
    problems: list[Problem] = []
    f = str(path)
    try:
        header, rows = _read_rows(path)
    except FileNotFoundError:
        return [], [Problem(f, None, "ledger", "file not found")]
    except ValueError as exc:
        return [], [Problem(f, None, "ledger", str(exc))]
    except Exception as exc:  # a corrupt workbook and the like: one line, no traceback
        return [], [Problem(f, None, "ledger", f"cannot read: {type(exc).__name__}: {exc}")]
    if not header:
        return [], [Problem(f, None, "ledger", "empty: no header row")]
    index: dict[str, int] = {}
    for col, aliases in COLUMNS.items():
        for i, heading in enumerate(header):
            if _key(heading) in aliases and col not in index:
                index[col] = i
    missing = [c for c in REQUIRED if c not in index]
    if "platform" not in index and "vendor" not in index:
        missing.append("vendor (or platform)")
    if missing:
        return [], [
            Problem(
                f,
                1,
                "header",
                f"missing column(s): {', '.join(missing)} (found: {', '.join(h for h in header if h)})",
            )
        ]

    out: list[LedgerRow] = []
    names: dict[str, int] = {}
    where: dict[tuple[str, int], int] = {}
    for rowno, cells in rows:

        def cell(col: str, cells: list[str] = cells) -> str:
            i = index.get(col)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        bad = len(problems)
        name = cell("name")
        if not name:
            problems.append(Problem(f, rowno, "name", "empty"))
        elif not _NAME.match(name):
            problems.append(Problem(f, rowno, "name", f"not a valid device name: {name!r}"))
        elif name in names:
            problems.append(Problem(f, rowno, "name", f"duplicate of row {names[name]}"))
        address = cell("address")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            problems.append(
                Problem(f, rowno, "management address", f"not an IP address: {address!r}")
            )
        port_text = cell("port") or "22"
        try:
            port = int(float(port_text))
            if not 1 <= port <= 65535:
                raise ValueError
        except ValueError:
            problems.append(Problem(f, rowno, "port", f"not a TCP port: {port_text!r}"))
            port = 0
        vendor, model = cell("vendor"), cell("model")
        platform = _platform(vendor, model, cell("platform"))
        if platform is None:
            what = f"platform {cell('platform')!r}" if cell("platform") else f"vendor {vendor!r}"
            problems.append(
                Problem(
                    f,
                    rowno,
                    "platform" if cell("platform") else "vendor",
                    f"unknown {what} (platforms: {', '.join(PLATFORMS)})",
                )
            )
        role = _key(cell("role")).replace(" ", "_")
        if role not in ROLES:
            problems.append(
                Problem(
                    f, rowno, "role", f"unknown role {cell('role')!r} (known: {', '.join(ROLES)})"
                )
            )
        network = _key(cell("network")).replace(" ", "_")
        if network not in NETWORKS:
            problems.append(
                Problem(
                    f,
                    rowno,
                    "network",
                    f"unknown network {cell('network')!r} (known: {', '.join(NETWORKS)})",
                )
            )
        if address and port and (address, port) in where:
            problems.append(
                Problem(
                    f,
                    rowno,
                    "management address",
                    f"same address and port {address}:{port} as row {where[(address, port)]}",
                )
            )
        if len(problems) == bad and platform is not None:
            names[name] = rowno
            where[(address, port)] = rowno
            out.append(
                LedgerRow(
                    name,
                    address,
                    port,
                    platform,
                    role,
                    network,
                    _key(vendor),
                    model,
                    cell("location"),
                )
            )
        elif name and name not in names:
            names[name] = rowno
    if not rows:
        problems.append(Problem(f, None, "ledger", "no device rows"))
    return out, problems


def hosts_document(rows: list[LedgerRow]) -> dict[str, Any]:
    """The hosts.yaml content (DESIGN.md inventory contract) for ledger rows."""
    doc: dict[str, Any] = {}
    for r in rows:
        data: dict[str, Any] = {"role": r.role, "network": r.network}
        if r.model:
            data["model"] = r.model
        if r.vendor:
            data["vendor"] = r.vendor
        if r.location:
            data["location"] = r.location
        doc[r.name] = {
            "hostname": r.address,
            "port": r.port,
            "platform": r.platform,
            "groups": [r.platform, r.role, r.network],
            "data": data,
        }
    return doc
