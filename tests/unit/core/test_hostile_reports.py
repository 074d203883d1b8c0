"""Hostile device text through every report netsteward writes.

Names, ports, descriptions, rule names and configuration lines that a device controls are
fed into a topology snapshot, a port plan, a drift report, a firewall audit, a baseline
audit and an inspection. Every output must parse in its own format (an XML parser for
draw.io, SVG, GraphML and JUnit; an HTML parser for the HTML reports; a CommonMark
renderer with raw HTML enabled, as GitHub renders it, for the Markdown) and carry nothing
that acts: no element or attribute from device text, no control character.
"""

from __future__ import annotations

import html.parser
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from netsteward.tasks.baseline import report as bl_report
from netsteward.tasks.baseline.check import Device as BlDevice
from netsteward.tasks.baseline.check import audit_device
from netsteward.tasks.baseline.report import AuditRun
from netsteward.tasks.baseline.rules import load_rules
from netsteward.tasks.core.escape import md, md_code, md_fenced, visible, xml
from netsteward.tasks.drift.model import DeviceInfo, DriftReport, config_result
from netsteward.tasks.drift.render import render_junit, render_markdown
from netsteward.tasks.firewall import report as fw_report
from netsteward.tasks.firewall.audit import Exposure, audit_config
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.inspect import history
from netsteward.tasks.inspect import report as in_report
from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead, judge
from netsteward.tasks.inspect.model import Fact
from netsteward.tasks.inspect.policy import Rules as InRules
from netsteward.tasks.inspect.summary import summarise
from netsteward.tasks.ports.plan import Device, Link, PeerIndex, new_plan, plan_device
from netsteward.tasks.ports.policy import load_policy
from netsteward.tasks.ports.report import plan_markdown
from netsteward.tasks.topology.model import DeviceDiscovery, InventoryNode, build_snapshot
from netsteward.tasks.topology.neighbor import Neighbor
from netsteward.tasks.topology.report import report_pages, write_outputs
from netsteward.tasks.topology.store import write_snapshot

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"

EVIL = "<svg onload=alert(1)><script>alert(2)</script><img src=x onerror=alert(3)>"
HOSTILE = [
    "SW\x1b[2J\x00\x08\x1a\x7f",
    "X\nreturn\nreboot",
    EVIL,
    "[click](javascript:alert(4)) | **bold** `tick` ```",
    "财务科" * 40,
    "L" * 300,
    "RLO\u202eevil\u2028sep\ufeff",
]
ACTIVE_TAGS = {
    "svg",
    "script",
    "img",
    "iframe",
    "a",
    "object",
    "embed",
    "form",
}  # (reports have a <style>)
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert_html(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    tags = {t for t, _a in parser.tags}
    assert not tags & ACTIVE_TAGS, tags & ACTIVE_TAGS
    handlers = [(t, k) for t, attrs in parser.tags for k, _v in attrs if k.startswith("on")]
    assert not handlers
    assert_no_controls(page)


def assert_inert_markdown(text: str) -> None:
    assert_no_controls(text)
    assert_inert_html(MARKDOWN.render(text))


def assert_no_controls(text: str) -> None:
    bad = {ch for ch in text if not ch.isprintable() and ch not in "\n\t"}
    bad -= {"\u3000"}  # printable? no; a space, harmless
    assert not bad, sorted(map(repr, bad))


def assert_xml(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    for elem in root.iter():
        local = elem.tag.rsplit("}", 1)[-1]
        assert local not in ("script", "img", "iframe") or local == "svg"
        assert not [k for k in elem.attrib if k.lower().startswith("on")], elem.attrib
    return root


# ------------------------------------------------------------------ the escape functions


@pytest.mark.parametrize("text", HOSTILE)
def test_escapes_leave_nothing_active(text: str) -> None:
    assert_inert_markdown(f"| a | {md(text)} |\n|---|---|\n| `{md_code(text)}` | x |\n")
    assert_inert_markdown(f"- {md(text)}\n\n```\n{md_fenced(text)}\n```\n")
    assert_xml(f'<r a="{xml(text)}">{xml(text)}</r>')
    assert visible(text).isprintable()


# ------------------------------------------------------------------ topology


def _snapshot(date_: str, hostile: bool):
    inv = [
        InventoryNode("CORE-01", "huawei_vrp", "core", "base", "huawei", "S12700E"),
        InventoryNode("ACC-001", "huawei_vrp", "access", "base", "huawei", "S5735"),
    ]
    core = [
        Neighbor(
            "XGigabitEthernet1/0/1", "ACC-001", "", "XGigabitEthernet0/0/1", "", "Interface name"
        )
    ]
    acc = [
        Neighbor(
            "XGigabitEthernet0/0/1", "CORE-01", "", "XGigabitEthernet1/0/1", "", "Interface name"
        )
    ]
    if hostile:
        for i, name in enumerate(HOSTILE):
            acc.append(
                Neighbor(
                    f"GigabitEthernet0/0/{i + 1}",
                    name,
                    "",
                    "port" + name[:20],
                    name,
                    "Locally assigned",
                    name,
                    "B",
                )
            )
    found = [DeviceDiscovery("CORE-01", tuple(core)), DeviceDiscovery("ACC-001", tuple(acc))]
    return build_snapshot(found, inv, date_)


def test_topology_outputs_parse_and_carry_no_markup(tmp_path: Path) -> None:
    first, last = _snapshot("2026-01-05", False), _snapshot("2026-12-01", True)
    assert len(last.nodes) > len(first.nodes)
    pages, diff = report_pages(first, last)
    files = write_outputs(pages, tmp_path, "year", diff, png=True, graph=(last, {}))
    kinds = {f.suffix for f in files}
    assert {".drawio", ".svg", ".md", ".csv", ".graphml"} <= kinds
    for f in files:
        if f.suffix in (".drawio", ".svg", ".graphml"):
            text = f.read_text(encoding="utf-8")
            root = assert_xml(text)
            assert_no_controls(text)
            if f.suffix == ".drawio":  # labels are HTML inside the XML
                for elem in root.iter():
                    for key in ("label", "value"):
                        if elem.get(key):
                            assert_inert_html(elem.get(key, ""))
        elif f.suffix == ".md":
            text = f.read_text(encoding="utf-8")
            assert_inert_markdown(text)
            assert "javascript" in text  # the name is shown, as text
        elif f.suffix == ".png":
            assert f.read_bytes().startswith(b"\x89PNG")


# ------------------------------------------------------------------ normalize plan


def test_port_plan_markdown_is_inert() -> None:
    policy = load_policy(ROOT / "policy" / "ports.yaml")
    device = Device("ACC-014", "huawei_vrp", "access", "base", "S5735")
    config = "\n".join(
        ["sysname ACC-014", "stp bpdu-protection", "#"]
        + [
            f"interface GigabitEthernet0/0/{i + 1}\n description old\n#"
            for i in range(len(HOSTILE))
        ]
    )
    links = [
        Link(f"GigabitEthernet0/0/{i + 1}", name, "GE0/0/1" + name[:10])
        for i, name in enumerate(HOSTILE)
    ]
    # the neighbours as inventory devices (only links to those are uplinks and described)
    peers = PeerIndex(platforms={name: "huawei_vrp" for name in HOSTILE})
    dp = plan_device(device, config, links, policy, peers)
    assert len(dp.changes) >= len(HOSTILE)
    plan = new_plan(
        [dp], source="offline", policy=policy, created_by="t", unreadable={EVIL: EVIL + "\x1b"}
    )
    assert_inert_markdown(plan_markdown(plan))


# ------------------------------------------------------------------ drift


def test_drift_markdown_and_junit_are_inert() -> None:
    approved = "sysname A\n#\ninterface GE0/0/1\n description ok\n#\n"
    live = approved.replace("description ok", "description " + " ".join(HOSTILE).replace("\n", " "))
    live += "".join(f"{h}\n" for h in HOSTILE)
    results = [config_result(EVIL, approved, live), config_result("B\x1b", approved, live)]
    devices = tuple(DeviceInfo(r.host, "huawei_vrp", "access", "base") for r in results)
    report = DriftReport(tuple(results), devices, False, "backup x", "devices", "t", notes=(EVIL,))
    assert_inert_markdown(render_markdown(report))
    junit = render_junit(report)
    assert_xml(junit)
    assert_no_controls(junit)


# ------------------------------------------------------------------ firewall audit


def test_firewall_markdown_and_html_are_inert() -> None:
    asa = GOLDEN / "cisco_asa" / "fw_policy.cfg"
    intent = load_intent(GOLDEN / "firewall" / "intent.yaml")
    result = audit_config("cisco_asa", asa.read_text(), intent, date(2026, 6, 1), EVIL)
    assert result.findings
    result = replace(
        result,
        findings=[
            replace(f, rule=HOSTILE[i % len(HOSTILE)]) for i, f in enumerate(result.findings)
        ],
        exposure=[Exposure(EVIL, EVIL, EVIL, h, 1, h, "tcp", "80", False) for h in HOSTILE],
    )
    assert_inert_markdown(fw_report.markdown(result, 1, "2026-06-01"))
    assert_inert_html(fw_report.html_report(result, 1, "2026-06-01"))


# ------------------------------------------------------------------ baseline audit


def test_baseline_markdown_and_html_are_inert() -> None:
    rules = load_rules(ROOT / "policy" / "baseline")
    raw = GOLDEN / "cisco_ios" / "c9200l_17_09.raw"
    found = audit_device(
        BlDevice("SW", "cisco_ios", "access", path=str(raw)), raw.read_text(), rules
    )
    assert found.findings
    findings = [
        replace(f, device=HOSTILE[i % len(HOSTILE)], evidence=EVIL + "`\x1b", section=EVIL)
        for i, f in enumerate(found.findings)
    ]
    run = AuditRun("2026-12-07", "sha256:x", 1, 10, findings, problems={EVIL: EVIL})
    for group_by in ("device", "check"):
        assert_inert_markdown(bl_report.markdown(run, rules, group_by))
        assert_inert_html(bl_report.html_report(run, rules, group_by))


# ------------------------------------------------------------------ inspection


def test_inspection_markdown_and_html_are_inert() -> None:
    devices = []
    for i, name in enumerate(HOSTILE):
        fact = Fact("fan", item=name, value=name, state="failed", line=5, evidence=EVIL + name)
        reading = DeviceReading(
            name,
            "huawei_vrp",
            "access",
            EVIL,
            ok=bool(i % 2),
            reason=EVIL,
            displays=(DisplayRead("inspect.hardware", "display device", (fact,)),),
            read_at="2026-12-07T09:00:00",
        )
        devices.append(judge(reading, InRules()))
    history.mark(devices, None)  # type: ignore[arg-type]
    ins = history.Inspection("2026-12-07T09:00:00", 2.0, devices)  # type: ignore[arg-type]
    s = summarise(ins)
    assert_inert_markdown(in_report.markdown(ins, s))
    assert_inert_html(in_report.html_report(ins, s))


def test_topology_cli_with_hostile_snapshots_exits_cleanly(tmp_path: Path) -> None:
    """The CLI as people run it: report and diff over hostile snapshots, no exit 70."""
    repo, out = tmp_path / "configs", tmp_path / "out"
    write_snapshot(repo, _snapshot("2026-01-05", False))
    write_snapshot(repo, _snapshot("2026-12-01", True))
    cli = [sys.executable, "-m", "netsteward.playbooks.cli", "topology"]
    run = subprocess.run(
        [*cli, "report", "--year", "2026", "--repo", str(repo), "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["exit_code"] == 0 and doc["counts"]
    for f in out.iterdir():
        if f.suffix in (".drawio", ".svg", ".graphml"):
            assert_xml(f.read_text(encoding="utf-8"))
        elif f.suffix == ".md":
            assert_inert_markdown(f.read_text(encoding="utf-8"))
    diff = subprocess.run(
        [*cli, "diff", "--repo", str(repo), "--format", "markdown"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 1, diff.stderr
    assert_inert_markdown(diff.stdout)
