"""Chinese text on devices, end to end over SSH: backups of devices with Chinese
descriptions and locations, sent in UTF-8 and in GBK, keep the right characters and are
byte-stable across runs; drift sees no change; the reports come out in Chinese."""

from __future__ import annotations

import json
import re
from typing import Any

import git
import pytest
from netmiko import ConnectHandler

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HOSTS = "YM-BASE-ACC-0[0-2]*"  # 29 access switches: UTF-8 and GBK ones with Chinese text
ENGLISH_WORDS = re.compile(r"\b(?:devices?|backed|changed|unchanged|failed|commit|drift|no)\b")


@pytest.fixture(scope="module")
def state(lab, tmp_path_factory) -> dict[str, Any]:
    truth = lab.truth()
    selected = {
        d["name"]
        for d in truth["devices"]
        if re.fullmatch(HOSTS.replace("[0-2]*", "[0-2].*"), d["name"])
    }
    chinese = truth["chinese"]
    texts = [t for t in chinese["texts"] if t["host"] in selected]
    gbk = set(chinese["gbk_devices"]) & selected
    # what this test is about: both encodings among the selected devices
    assert gbk and {t["host"] for t in texts} - gbk, (gbk, texts[:3])
    return {
        "lab": lab,
        "repo": tmp_path_factory.mktemp("zh") / "configs",
        "truth": truth,
        "texts": texts,
        "gbk": gbk,
    }


def backup(state: dict[str, Any], *extra: str) -> tuple[int, dict[str, Any]]:
    proc = state["lab"].netsteward(
        "backup", "--repo", str(state["repo"]), "--hosts", HOSTS, "--json", *extra
    )
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def stored(state: dict[str, Any], host: str) -> bytes:
    dev = next(d for d in state["truth"]["devices"] if d["name"] == host)
    return (state["repo"] / dev["network"] / dev["role"] / f"{host}.cfg").read_bytes()


def test_gbk_devices_really_send_gbk(state: dict[str, Any]) -> None:
    host = sorted(state["gbk"])[0]
    text = next(t["text"] for t in state["texts"] if t["host"] == host)
    raw: dict[str, str] = {}
    for encoding in ("gbk", "utf-8"):
        with ConnectHandler(
            device_type="huawei_vrp",
            host="127.0.0.1",
            port=state["lab"].port_of(host),
            username="netsteward",
            password="Lab-Only-Pa55",
            encoding=encoding,
        ) as conn:
            raw[encoding] = conn.send_command("display current-configuration", read_timeout=60)
    assert text in raw["gbk"]
    assert text not in raw["utf-8"]  # (netmiko drops what is not UTF-8)


def test_backup_stores_the_characters_in_utf8(state: dict[str, Any]) -> None:
    code, summary = backup(state, "--date", "2026-11-01")
    assert code == 0, summary["failed"]
    by_host: dict[str, list[dict[str, Any]]] = {}
    for t in state["texts"]:
        by_host.setdefault(t["host"], []).append(t)
    for host, texts in by_host.items():
        config = stored(state, host).decode("utf-8")  # strict: the file is UTF-8
        assert "\ufffd" not in config
        for t in texts:
            if t["kind"] == "location":
                assert re.search(rf"sys-info location {re.escape(t['text'])}$", config, re.M), host
            else:
                block = config.split(f"interface {t['interface']}\n", 1)[1].split("\n#", 1)[0]
                assert f" description {t['text']}\n" in block + "\n", (host, t)


def test_second_backup_is_byte_identical_and_makes_no_commit(state: dict[str, Any]) -> None:
    before = {h: stored(state, h) for h in {t["host"] for t in state["texts"]}}
    head = git.Repo(state["repo"]).head.commit.hexsha
    code, summary = backup(state, "--date", "2026-11-02")
    assert code == 0
    assert summary["commit"] is None and summary["counts"]["changed"] == 0
    assert git.Repo(state["repo"]).head.commit.hexsha == head
    assert {h: stored(state, h) for h in before} == before


def test_drift_sees_no_change_in_chinese_text(state: dict[str, Any]) -> None:
    proc = state["lab"].netsteward(
        "drift", "--repo", str(state["repo"]), "--hosts", HOSTS, "--json"
    )
    report = json.loads(proc.stdout)
    assert report["by_check"]["config"]["drift"] == 0, report
    assert report["by_check"]["config"]["unreadable"] == 0, report
    assert report["by_check"]["config"]["clean"] == report["devices"]


def test_the_backup_summary_in_chinese(state: dict[str, Any]) -> None:
    proc = state["lab"].netsteward(
        "--lang", "zh", "backup", "--repo", str(state["repo"]), "--hosts", HOSTS
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("配置备份 ")
    assert "台备份成功" in out and "未提交" in out
    assert not ENGLISH_WORDS.search(out), out
