"""Build `hosts.yaml` from the asset ledger (资产台账) an operations team keeps (CSV or XLSX).

Which headings, vendor names, roles and networks a ledger may use, in English and in
Chinese, is data: `ledger.yaml` beside this module (`LedgerMap`, a strict model).
Headings and values are matched after `key()` (case, spaces, punctuation and
full-width forms ignored), so `管理IP`, `管理 IP`, `Management IP` and `ＭＧＭＴ_ＩＰ` are
the same column.

A CSV may be UTF-8 (with or without the BOM Excel writes), GBK / GB18030 (what Excel
and WPS save as "CSV" on a Chinese Windows), or UTF-16 with a BOM (Excel's "Unicode
text"): `decode_ledger()` tries them in that order, strictly, so a file is never read
with replaced characters. XLSX is read with openpyxl.

Every bad row gives one `Problem` (one line): the file, the row number, the column as
the ledger heads it, and what is wrong, in the user's language; when a row has several
bad cells they follow on the same line. Nothing is written unless the whole ledger is
clean (the CLI exits 2).
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from netsteward.tasks.core.i18n import N_, _, current_language
from netsteward.tasks.inventory.check import NETWORKS, ROLES, Problem
from netsteward.tasks.platforms import PLATFORMS

DATA = Path(__file__).with_name("ledger.yaml")
# how a column is named in a message when the ledger has no heading for it
LABELS = {
    "name": N_("device name"),
    "address": N_("management address"),
    "port": N_("port"),
    "platform": N_("platform"),
    "vendor": N_("vendor"),
    "model": N_("model"),
    "role": N_("role"),
    "network": N_("network"),
    "location": N_("location"),
    "serial": N_("serial number"),
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_IGNORED = re.compile(r"[\s_\-/.:·]+")


class Vendor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    platform: str
    names: list[str]
    models: dict[str, str] = {}


class LedgerMap(BaseModel):
    """`ledger.yaml`: headings, vendors, roles and networks, validated on load."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    columns: dict[str, list[str]]
    required: list[str]
    vendors: dict[str, Vendor]
    roles: dict[str, list[str]]
    networks: dict[str, list[str]]

    def model_post_init(self, _context: Any) -> None:
        unknown = set(self.columns) - set(LABELS)
        bad_platforms = {
            p for v in self.vendors.values() for p in (v.platform, *v.models.values())
        } - set(PLATFORMS)
        if (
            unknown
            or bad_platforms
            or set(self.roles) != set(ROLES)
            or (set(self.networks) != set(NETWORKS))
        ):
            raise ValueError(
                f"ledger.yaml: unknown columns {sorted(unknown)}, platforms {sorted(bad_platforms)},"
                f" or roles/networks other than {ROLES} / {NETWORKS}"
            )


def key(text: Any) -> str:
    """What two spellings of a heading or value have in common."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(text or "")).strip().lower())


@cache
def ledger_map() -> LedgerMap:
    return LedgerMap.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))


@cache
def _lookup(section: str) -> dict[str, str]:
    """key(alias) -> canonical name, for `columns`, `roles`, `networks` or `vendors`."""
    m = ledger_map()
    table: dict[str, list[str]] = (
        {k: [k, *v.names] for k, v in m.vendors.items()}
        if section == "vendors"
        else {k: [k, *v] for k, v in getattr(m, section).items()}
    )
    return {key(alias): name for name, aliases in table.items() for alias in aliases}


def shown(section: str) -> str:
    """The known values of a section as the user reads them: Chinese names in Chinese."""
    m = ledger_map()
    table: dict[str, list[str]] = (
        {k: v.names for k, v in m.vendors.items()} if section == "vendors" else getattr(m, section)
    )
    if current_language() == "zh":
        return "、".join(next((a for a in v if not a.isascii()), k) for k, v in table.items())
    return ", ".join(table)


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
    serial: str = ""


def decode_ledger(data: bytes) -> str:
    """The text of a CSV ledger: UTF-8 (BOM or not), else GB18030 (covers GBK), or UTF-16
    with a BOM. Strict: a file none of them reads is refused, never read with U+FFFD."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("not UTF-8, GBK or GB18030 text: save the ledger as CSV UTF-8 or XLSX"))


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
        text = decode_ledger(path.read_bytes())
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        rows = [(i, [c.strip() for c in row]) for i, row in enumerate(reader, 1)]
    else:
        raise ValueError(
            _("unsupported ledger type {suffix!r} (CSV or XLSX)").format(suffix=path.suffix)
        )
    rows = [(i, cells) for i, cells in rows if any(cells)]
    if not rows:
        return [], []
    return rows[0][1], rows[1:]


def _platform(vendor: str, model: str, platform: str) -> tuple[str | None, str]:
    """(platform, canonical vendor name) of a row; platform None when unknown."""
    if platform:
        return (platform if platform in PLATFORMS else None), _lookup("vendors").get(
            key(vendor), key(vendor)
        )
    name = _lookup("vendors").get(key(vendor))
    if name is None:
        return None, vendor
    spec = ledger_map().vendors[name]
    for prefix, special in spec.models.items():
        if key(model).startswith(key(prefix)):
            return special, name
    return spec.platform, name


class _Row:
    """The cells of one ledger row by column, and the problems found in it."""

    def __init__(self, header: list[str], index: dict[str, int], cells: list[str]) -> None:
        self.header, self.index, self.cells = header, index, cells
        self.problems: list[tuple[str, str]] = []

    def __call__(self, col: str) -> str:
        i = self.index.get(col)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def bad(self, col: str, message: str) -> None:
        i = self.index.get(col)
        heading = self.header[i] if i is not None and self.header[i] else _(LABELS[col])
        self.problems.append((heading, message))

    def problem(self, file: str, rowno: int) -> Problem:
        (heading, message), *more = self.problems
        return Problem(file, rowno, heading, message + "".join(f"; {h}: {m}" for h, m in more))


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column -> index of its heading, and the required columns that are missing."""
    lookup = _lookup("columns")
    index: dict[str, int] = {}
    for i, heading in enumerate(header):
        col = lookup.get(key(heading))
        if col and col not in index:
            index[col] = i
    missing = [_(LABELS[c]) for c in ledger_map().required if c not in index]
    if "platform" not in index and "vendor" not in index:
        missing.append(_("vendor (or platform)"))
    return index, missing


def read_ledger(path: Path) -> tuple[list[LedgerRow], list[Problem]]:
    """Rows of the ledger and the problems found (one per bad row)."""
    f = str(path)
    try:
        header, rows = _read_rows(path)
    except FileNotFoundError:
        return [], [Problem(f, None, _("ledger"), _("file not found"))]
    except ValueError as exc:
        return [], [Problem(f, None, _("ledger"), str(exc))]
    except Exception as exc:  # a corrupt workbook and the like: one line, no traceback
        return [], [
            Problem(
                f,
                None,
                _("ledger"),
                _("cannot read: {error}").format(error=f"{type(exc).__name__}: {exc}"),
            )
        ]
    if not header:
        return [], [Problem(f, None, _("ledger"), _("empty: no header row"))]
    index, missing = _columns(header)
    if missing:
        sep = "、" if current_language() == "zh" else ", "
        return [], [
            Problem(
                f,
                1,
                _("header"),
                _("missing column(s): {missing} (found: {found})").format(
                    missing=sep.join(missing), found=sep.join(h for h in header if h)
                ),
            )
        ]
    out: list[LedgerRow] = []
    problems: list[Problem] = []
    names: dict[str, int] = {}
    where: dict[tuple[str, int], int] = {}
    for rowno, cells in rows:
        row = _Row(header, index, cells)
        parsed = _parse_row(row, names, where)
        if row.problems:
            problems.append(row.problem(f, rowno))
        elif parsed is not None:
            where[(parsed.address, parsed.port)] = rowno
            out.append(parsed)
        if row("name") and row("name") not in names:
            names[row("name")] = rowno
    if not rows:
        problems.append(Problem(f, None, _("ledger"), _("no device rows")))
    return out, problems


def _parse_row(
    row: _Row, names: dict[str, int], where: dict[tuple[str, int], int]
) -> LedgerRow | None:
    """One row as a LedgerRow; the problems go to `row.bad()`."""
    name = row("name")
    if not name:
        row.bad("name", _("empty"))
    elif not _NAME.match(name):
        row.bad("name", _("not a valid device name: {name!r}").format(name=name))
    elif name in names:
        row.bad("name", _("duplicate of row {row}").format(row=names[name]))
    address = row("address")
    try:
        ipaddress.ip_address(address)
    except ValueError:
        row.bad("address", _("not an IP address: {value!r}").format(value=address))
    port_text = row("port") or "22"
    try:
        number = float(port_text)  # a spreadsheet cell may say 22.0; never inf, nan or 22.5
        if not number.is_integer() or not 1 <= number <= 65535:
            raise ValueError
        port = int(number)
    except ValueError:
        row.bad("port", _("not a TCP port: {value!r}").format(value=port_text))
        port = 0
    platform, vendor = _platform(row("vendor"), row("model"), row("platform"))
    if platform is None and row("platform"):
        row.bad(
            "platform",
            _("unknown platform {platform!r} (known: {known})").format(
                platform=row("platform"), known=", ".join(PLATFORMS)
            ),
        )
    elif platform is None:
        row.bad(
            "vendor",
            _("unknown vendor {vendor!r} (known: {known})").format(
                vendor=row("vendor"), known=shown("vendors")
            ),
        )
    role = _lookup("roles").get(key(row("role")))
    if role is None:
        row.bad(
            "role",
            _("unknown role {value!r} (known: {known})").format(
                value=row("role"), known=shown("roles")
            ),
        )
    network = _lookup("networks").get(key(row("network")))
    if network is None:
        row.bad(
            "network",
            _("unknown network {value!r} (known: {known})").format(
                value=row("network"), known=shown("networks")
            ),
        )
    if address and port and (address, port) in where:
        row.bad(
            "address",
            _("same address and port {address}:{port} as row {row}").format(
                address=address, port=port, row=where[(address, port)]
            ),
        )
    if row.problems or platform is None or role is None or network is None:
        return None
    return LedgerRow(
        name,
        address,
        port,
        platform,
        role,
        network,
        vendor,
        row("model"),
        row("location"),
        row("serial"),
    )


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
        if r.serial:
            data["serial"] = r.serial
        doc[r.name] = {
            "hostname": r.address,
            "port": r.port,
            "platform": r.platform,
            "groups": [r.platform, r.role, r.network],
            "data": data,
        }
    return doc
