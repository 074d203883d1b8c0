"""Language choice: `--lang` (set_language) > NETSTEWARD_LANG > site setting > English."""

from __future__ import annotations

import pytest

from netsteward.tasks.core import i18n


@pytest.fixture(autouse=True)
def _reset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.ENV, raising=False)
    i18n.set_language(None)
    i18n.set_site_language(None)


def test_english_by_default() -> None:
    assert i18n.current_language() == "en"


def test_site_setting_then_environment_then_explicit(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_site_language("zh")
    assert i18n.current_language() == "zh"
    monkeypatch.setenv(i18n.ENV, "en_US.UTF-8")
    assert i18n.current_language() == "en"
    i18n.set_language("zh")
    assert i18n.current_language() == "zh"
    i18n.set_language(None)
    assert i18n.current_language() == "en"


@pytest.mark.parametrize(
    ("value", "lang"),
    [("zh", "zh"), ("zh_CN", "zh"), ("zh-CN.UTF-8", "zh"), ("EN", "en"), ("", None)],
)
def test_language_names(value: str, lang: str | None) -> None:
    assert i18n.normalise_language(value) == lang


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="known: en, zh"):
        i18n.set_language("fr")


def test_a_bad_environment_value_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV, "klingon")
    assert i18n.current_language() == "en"


def test_untranslated_text_and_plurals_in_english() -> None:
    assert i18n._("no such message in any catalog") == "no such message in any catalog"
    assert i18n.ngettext("{n} device", "{n} devices", 1) == "{n} device"
    assert i18n.ngettext("{n} device", "{n} devices", 2) == "{n} devices"
    assert i18n.N_("marked") == "marked"
