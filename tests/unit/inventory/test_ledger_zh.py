"""Chinese asset ledgers (资产台账): Chinese headings, vendor, role and network names, the
encodings Chinese Excel and WPS save (UTF-8 with/without BOM, GBK, GB18030, UTF-16), and
one-line Chinese errors with exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from netsteward.tasks.core.i18n import set_language
from netsteward.tasks.inventory.ledger import decode_ledger, hosts_document, key, read_ledger

ROOT = Path(__file__).resolve().parents[3]
HEADER = [
    "序号",
    "设备名称",
    "管理IP",
    "管理端口",
    "品牌",
    "型号",
    "设备类型",
    "所属网络",
    "机房位置",
    "序列号",
]
ROWS = [
    [
        "1",
        "YM-BASE-CORE-01",
        "10.10.0.1",
        "22",
        "华为",
        "S12700E-8",
        "核心交换机",
        "基础网",
        "一号楼B1 主机房 A03机柜",
        "2102351234ABC",
    ],
    [
        "2",
        "YM-DEV-AGG-01",
        "10.20.0.2",
        "",
        "新华三",
        "S6520X-54QC-EI",
        "汇聚",
        "设备网",
        "三层弱电间",
        "219801A1",
    ],
    [
        "3",
        "YM-DEV-ACC-007",
        "10.20.1.7",
        "",
        "华三",
        "S5130S-52S-EI",
        "接入层交换机",
        "设备专网",
        "",
        "",
    ],
    [
        "4",
        "YM-EGE-FW-01",
        "10.30.0.1",
        "",
        "思科",
        "ASA5525",
        "防火墙",
        "电子政务外网",
        "",
        "FCH2201V0AB",
    ],
    [
        "5",
        "YM-EGI-FW-02",
        "10.30.0.2",
        "",
        "山石网科",
        "SG-6000-E5760",
        "防火墙",
        "政务内网",
        "",
        "",
    ],
    [
        "6",
        "YM-EGE-FW-03",
        "10.30.0.3",
        "",
        "飞塔",
        "FortiGate-600E",
        "防火墙",
        "电子政务外网",
        "",
        "",
    ],
    [
        "7",
        "YM-SAN-FC-01",
        "10.40.0.1",
        "",
        "博科",
        "G620",
        "光纤交换机",
        "存储网",
        "一号楼B1 存储机房",
        "",
    ],
    [
        "8",
        "YM-BASE-IPS-01",
        "10.10.0.9",
        "",
        "华为技术有限公司",
        "NIP6620E",
        "入侵防御",
        "基础网络",
        "",
        "",
    ],
    ["9", "YM-BASE-RT-01", "10.10.0.254", "", "ＨＵＡＷＥＩ", "AR6280", "路由器", "基础网", "", ""],
    ["10", "YM-BASE-ACC-001", "10.10.1.1", "", "H3C", "S5130S-52S-EI", "接入", "基础网", "", ""],
    [
        "11",
        "YM-BASE-ACC-002",
        "10.10.1.2",
        "",
        "Cisco",
        "WS-C2960X-48TD-L",
        "接入交换机",
        "基础网",
        "",
        "",
    ],
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    return "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_chinese_csv_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    ledger = tmp_path / "台账.csv"
    ledger.write_bytes(csv_text(ROWS).encode(encoding))
    rows, problems = read_ledger(ledger)
    assert problems == []
    doc = hosts_document(rows)
    assert doc["YM-BASE-CORE-01"] == {
        "hostname": "10.10.0.1",
        "port": 22,
        "platform": "huawei_vrp",
        "groups": ["huawei_vrp", "core", "base"],
        "data": {
            "role": "core",
            "network": "base",
            "model": "S12700E-8",
            "vendor": "huawei",
            "location": "一号楼B1 主机房 A03机柜",
            "serial": "2102351234ABC",
        },
    }
    platforms = {
        name: (h["platform"], h["data"]["role"], h["data"]["network"]) for name, h in doc.items()
    }
    assert platforms == {
        "YM-BASE-CORE-01": ("huawei_vrp", "core", "base"),
        "YM-DEV-AGG-01": ("hp_comware", "aggregation", "device_net"),
        "YM-DEV-ACC-007": ("hp_comware", "access", "device_net"),
        "YM-EGE-FW-01": ("cisco_asa", "firewall", "egov_extranet"),
        "YM-EGI-FW-02": ("hillstone_stoneos", "firewall", "egov_intranet"),
        "YM-EGE-FW-03": ("fortinet", "firewall", "egov_extranet"),
        "YM-SAN-FC-01": ("brocade_fos", "fc_switch", "san"),
        "YM-BASE-IPS-01": ("huawei_vrp", "ips", "base"),
        "YM-BASE-RT-01": ("huawei_vrp", "router", "base"),
        "YM-BASE-ACC-001": ("hp_comware", "access", "base"),
        "YM-BASE-ACC-002": ("cisco_ios", "access", "base"),
    }
    assert {h["data"]["vendor"] for h in doc.values()} == {
        "huawei",
        "h3c",
        "cisco",
        "hillstone",
        "fortinet",
        "brocade",
    }


def test_chinese_xlsx_equals_the_csv(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "网络设备台账"
    ws.append(HEADER)
    for r in ROWS:
        ws.append([int(c) if c.isdigit() and len(c) < 4 else c for c in r])
    wb.save(tmp_path / "台账.xlsx")
    (tmp_path / "台账.csv").write_bytes(csv_text(ROWS).encode("gbk"))
    from_xlsx, p1 = read_ledger(tmp_path / "台账.xlsx")
    from_csv, p2 = read_ledger(tmp_path / "台账.csv")
    assert p1 == p2 == []
    assert hosts_document(from_xlsx) == hosts_document(from_csv)


def test_headings_and_values_ignore_spacing_width_and_case() -> None:
    assert key("管理 IP") == key("管理ＩＰ") == key("管理ip")
    assert key("Management_IP") == key("management ip")
    assert key("（核心）") == "(核心)"


def test_undecodable_csv_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not UTF-8, GBK or GB18030"):
        decode_ledger(b"name\n\x81\x30\xff\xff\n")


BAD = [
    (
        "10.0.0.300",
        "华为",
        "接入",
        "基础网",
        "YM-X-1",
        "",
        "管理IP",
        "不是有效的 IP 地址：'10.0.0.300'",
    ),
    (
        "10.0.0.9",
        "瞻博",
        "接入",
        "基础网",
        "YM-X-1",
        "",
        "品牌",
        "无法识别的厂商 '瞻博'（可用：华为、新华三、思科、山石网科、飞塔、博科）",
    ),
    (
        "10.0.0.9",
        "华为",
        "交换机",
        "基础网",
        "YM-X-1",
        "",
        "设备类型",
        "无法识别的设备角色 '交换机'（可用：路由器、核心、",
    ),
    (
        "10.0.0.9",
        "华为",
        "接入",
        "办公网",
        "YM-X-1",
        "",
        "所属网络",
        "无法识别的所属网络 '办公网'（可用：基础网、",
    ),
    ("10.0.0.9", "华为", "接入", "基础网", "YM-SAN-FC-01", "", "设备名称", "与第 8 行重复"),
    ("10.0.0.9", "华为", "接入", "基础网", "交换机1", "", "设备名称", "设备名称无效：'交换机1'"),
    ("10.0.0.9", "华为", "接入", "基础网", "YM-X-1", "七", "管理端口", "不是有效的 TCP 端口：'七'"),
    (
        "10.40.0.1",
        "华为",
        "接入",
        "基础网",
        "YM-X-1",
        "",
        "管理IP",
        "管理地址和端口 10.40.0.1:22 与第 8 行相同",
    ),
]


def bad_row(case: tuple[str, ...]) -> list[str]:
    address, vendor, role, network, name, port, _column, _message = case
    return ["12", name, address, port, vendor, "m", role, network, "", ""]


@pytest.mark.parametrize("case", BAD, ids=[f"{b[6]}-{i}" for i, b in enumerate(BAD)])
def test_bad_rows_are_one_chinese_line_naming_row_and_column(
    tmp_path: Path, case: tuple[str, ...]
) -> None:
    set_language("zh")
    ledger = tmp_path / "台账.csv"
    ledger.write_bytes(csv_text([*ROWS, bad_row(case)]).encode("gbk"))
    rows, problems = read_ledger(ledger)
    assert len(problems) == 1, problems
    assert str(problems[0]).startswith(f"{ledger}:13: {case[6]}: {case[7]}"), problems[0]
    assert len(rows) == len(ROWS)


def test_a_row_with_two_bad_cells_is_still_one_line(tmp_path: Path) -> None:
    set_language("zh")
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        csv_text([*ROWS, ["12", "YM-X-1", "abc", "", "瞻博", "m", "接入", "基础网", "", ""]]),
        encoding="utf-8-sig",
    )
    _, problems = read_ledger(ledger)
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        f"{ledger}:13: 管理IP: 不是有效的 IP 地址：'abc'; 品牌: 无法识别的厂商 '瞻博'"
    )


def test_missing_columns_named_in_chinese(tmp_path: Path) -> None:
    set_language("zh")
    ledger = tmp_path / "台账.csv"
    ledger.write_text(csv_text([r[:3] for r in ROWS], header=HEADER[:3]), encoding="utf-8")
    _, problems = read_ledger(ledger)
    assert [str(p) for p in problems] == [
        f"{ledger}:1: 表头: 缺少列：设备角色、所属网络、厂商（或平台）（表头中有：序号、设备名称、管理IP）"
    ]


def _cli(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NETSTEWARD_LANG"}
    if lang:
        env["NETSTEWARD_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
    )


def test_cli_chinese_ledger_chinese_errors_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "hosts.yaml"
    good = tmp_path / "台账.csv"
    good.write_bytes(csv_text(ROWS).encode("gb18030"))
    ok = _cli("--lang", "zh", "inventory", "import", str(good), "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"已写入 {out}：从 {good} 导入 11 台设备")
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["YM-SAN-FC-01"]["data"]["location"] == (
        "一号楼B1 存储机房"
    )
    out.unlink()
    bad = tmp_path / "坏台账.csv"
    bad.write_bytes(csv_text([*ROWS, bad_row(BAD[1])]).encode("gbk"))
    for args, lang in (((("--lang", "zh"),), None), (((),), "zh")):
        run = _cli(*args[0], "inventory", "import", str(bad), "--out", str(out), lang=lang)
        assert run.returncode == 2
        (line,) = run.stderr.splitlines()  # one problem, one line
        assert line == f"{bad}:13: 品牌: {BAD[1][7]}（未写入任何文件）"
        assert "Traceback" not in run.stderr and not out.exists()
