"""The sheet (workbook read back with openpyxl), Markdown, HTML, JSON and the month."""

from __future__ import annotations

import html.parser
from pathlib import Path

from openpyxl import load_workbook

from netsteward.tasks.inspect import history, month, report
from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead, judge
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.policy import Rules
from netsteward.tasks.inspect.summary import summarise
from netsteward.tasks.inspect.workbook import write_workbook

RULES = Rules()


def _device(host: str, room: str, at: str, *facts: Fact, ok: bool = True) -> object:
    d = DisplayRead("inspect.hardware", "display device", facts)
    r = DeviceReading(
        host,
        "huawei_vrp",
        "access",
        room,
        ok=ok,
        reason="" if ok else "connection refused",
        displays=(d,),
        read_at=at,
    )
    return judge(r, RULES)


def _inspection(at: str = "2026-12-07T09:00:00") -> history.Inspection:
    bad = Fact(
        "fan",
        item="FAN1",
        value="Present/Abnormal",
        state="failed",
        line=5,
        evidence="FAN1 - FAN-023A-B Present On Registered Abnormal NA | <b>",
    )
    good = Fact("fan", item="FAN1", value="Present/Normal", state="ok")
    devices = [
        _device("SW1", "F01-IDF-1", at, bad),
        _device("SW2", "F01-IDF-1", at, good),
        _device("SW3", "F02-IDF-2", at, good, ok=False),
    ]
    history.mark(devices, None)  # type: ignore[arg-type]
    return history.Inspection(at, 2.0, devices)  # type: ignore[arg-type]


def test_workbook_opens_with_its_pages_and_values(tmp_path: Path) -> None:
    ins = _inspection()
    path = write_workbook(ins, tmp_path / "sheet.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Devices", "Anomalies", "Cleared"]
    summary = {
        row[0].value: row[1].value
        for row in wb["Summary"].iter_rows(min_row=3, max_row=16)
        if row[0].value
    }
    assert summary["Devices inspected"] == 3 and summary["Devices unreachable"] == 1
    assert summary["Anomalies: major"] == 2  # the fan and the unreachable device
    devices = {row[0].value: [c.value for c in row] for row in wb["Devices"].iter_rows(min_row=2)}
    header = [c.value for c in wb["Devices"][1]]
    fan = header.index("Fans")
    assert devices["SW1"][fan].startswith("major") and devices["SW2"][fan] == "Present/Normal"
    anomalies = [[c.value for c in row] for row in wb["Anomalies"].iter_rows(min_row=2)]
    assert {(a[2], a[3]) for a in anomalies} == {("SW1", "Fans"), ("SW3", "Reachable")}
    assert all(a[1] == "new" for a in anomalies)
    by_room = [
        [c.value for c in row] for row in wb["Summary"].iter_rows() if row[0].value == "F01-IDF-1"
    ]
    assert by_room and by_room[0][1] == 2 and by_room[0][3] == 1


class _Checker(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_markdown_html_and_json_carry_every_finding_with_value_threshold_evidence() -> None:
    ins = _inspection()
    s = summarise(ins)
    md = report.markdown(ins, s)
    assert "| major | new | SW1 | Fans | FAN1 |" in md and "\\| <b>" in md  # device text escaped
    page = report.html_report(ins, s)
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == ["html"] or checker.stack == []
    assert "&lt;b&gt;" in page and "<b>" not in page.split("<body>")[1].replace("<b>", "", 0)
    doc = report.as_json(ins, s, {})
    assert doc["counts"]["findings"] == 2 and doc["unreachable"] == [
        {"host": "SW3", "reason": "connection refused"}
    ]
    fan = next(f for f in doc["findings"] if f["check"] == "fan")
    assert (
        fan["value"] == "Present/Abnormal"
        and fan["threshold"]
        and fan["evidence"].startswith("FAN1")
    )


def test_month_counts_days_open_and_what_is_open_at_the_end(tmp_path: Path) -> None:
    runs = [_inspection(f"2026-11-{day:02d}T09:00:00") for day in (3, 4, 5)]
    runs[-1].devices[0].findings = []  # the fan was fixed on the 5th
    r = month.build("2026-11", runs)
    fan = next(a for a in r.anomalies if a.finding.check == "fan")
    assert (fan.first, fan.last, fan.days, fan.open_at_end) == (
        "2026-11-03",
        "2026-11-04",
        2,
        False,
    )
    assert r.counts()["unreachable_device_days"] == 3 and r.counts()["open_at_end"] == 1
    wb = load_workbook(month.write_workbook(r, tmp_path / "m.xlsx"))
    assert wb.sheetnames == ["Summary", "Anomalies"]
    assert "2026-11-03" in month.markdown(r) and month.as_json(r, {})["counts"]["days"] == 3


def test_the_sheet_in_chinese(tmp_path: Path) -> None:
    from netsteward.tasks.core.i18n import set_language

    set_language("zh")
    try:
        ins = _inspection()
        wb = load_workbook(write_workbook(ins, tmp_path / "巡检表.xlsx"))
        md = report.markdown(ins, summarise(ins))
    finally:
        set_language(None)
    assert wb.sheetnames == ["汇总", "设备", "异常", "已恢复"]
    assert wb["汇总"]["A1"].value == "日常巡检 2026-12-07"
    assert "| 主要 | 新增 | SW1 | 风扇 | FAN1 |" in md
