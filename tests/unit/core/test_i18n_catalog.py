"""The message catalogs are complete: every `_()`, `ngettext()` and `N_()` string in
`tasks/` and `playbooks/` (extracted with Babel, as `make catalogs` does) has a
translation in every language's `.po`, with the same placeholders.

When this fails after you wrapped a new string: `make catalogs`, translate the new
entries in `tasks/locale/zh/LC_MESSAGES/netsteward.po`, run this test again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from netsteward.tasks.core import i18n

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^}]*)?\}")
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != "en"]


def extracted() -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) -> where it is used."""
    out: dict[tuple[str | None, str], list[str]] = {}
    for folder in ("tasks", "playbooks"):
        for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            msgid = message if isinstance(message, str) else message[0]
            out.setdefault((context, msgid), []).append(f"{folder}/{filename}:{lineno}")
    return out


def catalog(lang: str) -> Catalog:
    with i18n.po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def test_extraction_finds_the_wrapped_strings() -> None:
    messages = extracted()
    assert len(messages) > 300  # the jobs' reports, errors and summaries
    assert all(msgid for _context, msgid in messages)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_has_a_translation(lang: str) -> None:
    cat = catalog(lang)
    missing = []
    for (context, msgid), where in sorted(extracted().items(), key=lambda kv: str(kv[0])):
        message = cat.get(msgid, context=context)
        strings = (
            ([message.string] if isinstance(message.string, str) else list(message.string))
            if message is not None
            else []
        )
        if message is None or message.fuzzy or not all(s.strip() for s in strings):
            missing.append(f"{where[0]}: {msgid!r}")
    assert not missing, f"{len(missing)} message(s) without a {lang} translation:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for message in catalog(lang):
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        want = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            got = set(PLACEHOLDER.findall(s))
            # a singular may leave out {n} ("one device") but never add a name
            if got - want or (want - got - {"n"}):
                wrong.append(f"{ids[0]!r}: {sorted(want)} -> {s!r}")
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_loads_and_translates(lang: str) -> None:
    i18n.set_language(lang)
    try:
        cat = catalog(lang)
        sample = next(m for m in cat if m.id and isinstance(m.id, str) and m.string)
        assert i18n._(sample.id) == sample.string
    finally:
        i18n.set_language(None)
