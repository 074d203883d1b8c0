"""Keyed fingerprints of secrets: a changed password shows as a changed line, never the value.

With `NETSTEWARD_SECRET_KEY` set, every masked secret becomes `<removed:hmac-<12 hex>>`
(HMAC-SHA256 of the value under the key); without it, plain `<removed>` as before. Run over
every platform's golden scrub case (tests/golden/<platform>/*.secrets.yaml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from netsteward.tasks.core.scrub import (
    KEY_ENV,
    normalise_config,
    secret_key_notice,
    without_fingerprints,
)
from netsteward.tasks.drift.model import config_diff

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
CASES = sorted(GOLDEN.glob("*/*.secrets.yaml"))
FP = re.compile(r"<removed:hmac-[0-9a-f]{12}>")
MASKED = re.compile(r"<removed(:default|:hmac-[0-9a-f]{12})?>")


def _case(spec_path: Path) -> tuple[str, str, list[str]]:
    stem = spec_path.name.removesuffix(".secrets.yaml")
    with (spec_path.parent / f"{stem}.raw").open(encoding="utf-8", newline="") as fh:
        raw = fh.read()
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return spec_path.parent.name, raw, [str(v) for v in spec.get("absent") or []]


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, "test-only-fingerprint-key")
    return "test-only-fingerprint-key"


@pytest.mark.parametrize("spec", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_a_changed_secret_is_a_changed_line_without_its_value(
    spec: Path, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform, raw, absent = _case(spec)
    keyed = normalise_config(platform, raw)
    assert normalise_config(platform, keyed) == keyed  # idempotent with fingerprints
    monkeypatch.delenv(KEY_ENV)
    plain = normalise_config(platform, raw)
    assert without_fingerprints(keyed) == plain  # the same text, fingerprints aside
    monkeypatch.setenv(KEY_ENV, key)
    seen = 0
    for value in absent:
        if value not in raw:
            continue
        changed_raw = raw.replace(value, value + "Z9")
        monkeypatch.delenv(KEY_ENV)
        if normalise_config(platform, changed_raw) != plain:
            monkeypatch.setenv(KEY_ENV, key)
            continue  # not a secret: a word the scrub drops with its line (a banner, a time)
        monkeypatch.setenv(KEY_ENV, key)
        changed = normalise_config(platform, changed_raw)
        for text in (keyed, changed):
            assert value not in text and value + "Z9" not in text
        if changed == keyed:  # a volatile line (a time stamp), dropped either way
            continue
        seen += 1
        before, after = keyed.splitlines(), changed.splitlines()
        assert len(before) == len(after)
        differing = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
        assert differing and all(MASKED.search(a) and FP.search(b) for a, b in differing)
    if "<removed>" in plain and absent:  # a case with secrets: their changes are seen
        assert seen


def test_fingerprints_depend_on_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    line = "snmp-agent community read cipher Sup3rS3cret\n"
    monkeypatch.delenv(KEY_ENV, raising=False)
    assert normalise_config("huawei_vrp", line) == "snmp-agent community read cipher <removed>\n"
    assert secret_key_notice() and KEY_ENV in (secret_key_notice() or "")
    monkeypatch.setenv(KEY_ENV, "one")
    one = normalise_config("huawei_vrp", line)
    assert secret_key_notice() is None
    monkeypatch.setenv(KEY_ENV, "two")
    two = normalise_config("huawei_vrp", line)
    assert FP.search(one) and FP.search(two) and one != two


def test_drift_sees_a_password_change_and_ignores_a_missing_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = "sysname A\n#\naaa\n local-user admin password irreversible-cipher {pw}\n#\nreturn\n"
    monkeypatch.setenv(KEY_ENV, "k")
    stored = normalise_config("huawei_vrp", config.format(pw="Old-Pa55word"))
    live = normalise_config("huawei_vrp", config.format(pw="New-Pa55word"))
    d = config_diff("A", stored, live)
    assert d.changed and d.added == 1 and d.removed == 1
    assert "Pa55word" not in d.diff and FP.search(d.diff)
    assert not config_diff("A", stored, stored).changed
    monkeypatch.delenv(KEY_ENV)
    # a drift check run without the key (a CI clone) compares without fingerprints: no
    # false drift on every secret line, and no password change seen either
    live_plain = normalise_config("huawei_vrp", config.format(pw="New-Pa55word"))
    assert not config_diff("A", stored, live_plain).changed
