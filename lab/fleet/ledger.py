"""The fleet's asset ledger (资产台账), as the operations team keeps it: in English or Chinese.

`write_ledger(fleet, base_port, path, lang, encoding)` writes one row per device (CSV or
XLSX by the file's suffix) with the columns a ledger has: name, management address and
SSH port (the lab's 127.0.0.1 and port, so an imported inventory reaches the lab),
vendor, model, role, network, location and serial number. The Chinese ledger writes
headings, vendors, roles and networks the way people do, and not always the same way
(华为 / 华为技术有限公司, 新华三 / 华三 / H3C, 接入交换机 / 接入): `netsteward inventory
import` must read them all into the same inventory as the English ledger. The choice of
spelling per row is a pure function of the device name (same file on every run).

A CSV is written in `encoding` (default UTF-8 with the BOM Excel writes; `gbk` is what
Excel saves as "CSV" on a Chinese Windows).
"""

from __future__ import annotations

import csv
import io
import zlib
from pathlib import Path

from netsteward.lab.model import DeviceSpec, Fleet

HEADINGS = {
    "en": [
        "No.",
        "Device Name",
        "Management Address",
        "SSH Port",
        "Vendor",
        "Model",
        "Role",
        "Network",
        "Location",
        "Serial Number",
    ],
    "zh": [
        "序号",
        "设备名称",
        "管理地址",
        "管理端口",
        "厂商",
        "型号",
        "设备类型",
        "所属网络",
        "机房位置",
        "序列号",
    ],
}
VENDORS = {
    "en": {
        "huawei": ["Huawei"],
        "h3c": ["H3C"],
        "cisco": ["Cisco"],
        "hillstone": ["Hillstone"],
        "fortinet": ["Fortinet"],
        "brocade": ["Brocade"],
    },
    "zh": {
        "huawei": ["华为", "华为技术有限公司", "华为"],
        "h3c": ["新华三", "华三", "H3C"],
        "cisco": ["思科", "Cisco"],
        "hillstone": ["山石网科"],
        "fortinet": ["飞塔", "Fortinet"],
        "brocade": ["博科"],
    },
}
ROLES = {
    "en": {
        "router": ["router"],
        "core": ["core"],
        "aggregation": ["aggregation"],
        "access": ["access"],
        "firewall": ["firewall"],
        "ips": ["IPS"],
        "fc_switch": ["FC switch"],
    },
    "zh": {
        "router": ["路由器"],
        "core": ["核心交换机", "核心"],
        "aggregation": ["汇聚交换机", "汇聚"],
        "access": ["接入交换机", "接入", "接入层交换机"],
        "firewall": ["防火墙"],
        "ips": ["入侵防御", "入侵防御系统"],
        "fc_switch": ["光纤交换机", "SAN交换机"],
    },
}
NETWORKS = {
    "en": {
        "base": ["base"],
        "egov_intranet": ["egov intranet"],
        "egov_extranet": ["egov extranet"],
        "device_net": ["device net"],
        "san": ["SAN"],
    },
    "zh": {
        "base": ["基础网", "基础网络"],
        "egov_intranet": ["电子政务内网", "政务内网"],
        "egov_extranet": ["电子政务外网", "政务外网"],
        "device_net": ["设备网", "设备专网"],
        "san": ["存储网"],
    },
}


def _pick(options: list[str], spec: DeviceSpec, what: str) -> str:
    return options[zlib.crc32(f"{spec.name}:{what}".encode()) % len(options)]


def ledger_rows(fleet: Fleet, base_port: int, lang: str) -> list[list[str]]:
    """Heading row and one row per device, in fleet order."""
    if lang not in HEADINGS:
        raise ValueError(f"unknown ledger language {lang!r} (en or zh)")
    rows = [HEADINGS[lang]]
    for n, d in enumerate(sorted(fleet.devices, key=lambda d: d.index), 1):
        rows.append(
            [
                str(n),
                d.name,
                "127.0.0.1",
                str(base_port + d.index - 1),
                _pick(VENDORS[lang][d.vendor], d, "vendor"),
                d.model,
                _pick(ROLES[lang][d.role], d, "role"),
                _pick(NETWORKS[lang][d.network], d, "network"),
                d.location,
                d.serial,
            ]
        )
    return rows


def write_ledger(
    fleet: Fleet, base_port: int, path: str | Path, lang: str = "en", encoding: str = "utf-8-sig"
) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ledger_rows(fleet, base_port, lang)
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "网络设备台账" if lang == "zh" else "Network devices"
        for row in rows:
            ws.append(row)
        wb.save(out)
        return out
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    out.write_bytes(buffer.getvalue().encode(encoding))
    return out
