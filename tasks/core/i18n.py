"""Human-facing text in the user's language (English by default, Chinese `zh`).

Every string a person reads (console summaries, Markdown/HTML reports, workbook
headings, error lines) goes through `_()` with named placeholders filled *after*
translation, so a translator can reorder them:

    _("{done} of {total} devices backed up").format(done=n, total=total)
    ngettext("{n} finding", "{n} findings", n).format(n=n)

Never an f-string inside `_()`. A string defined before the language is known (a
module-level table heading) is marked with `N_()` and translated where it is shown:
`_(HEADING)`. Machine-facing output (`--json` keys, SARIF/JUnit ids, check ids) is not
translated.

The language, first that is set: `set_language()` (the CLI's `--lang`), the
environment variable `NETSTEWARD_LANG`, the site setting (`set_site_language()`, from
`user_defined: {language: zh}` in `nornir_config.yaml`), else English.

Catalogs: gettext, managed with Babel. `tasks/locale/netsteward.pot` is extracted
from `tasks/` and `playbooks/` (`make catalogs`: `pybabel extract` + `pybabel update`),
and `tasks/locale/<lang>/LC_MESSAGES/netsteward.po` is the translation, kept in git.
No compiled `.mo` is committed or built: the `.po` is read with Babel at run time
(once per process, only when a language other than English is used) and compiled in
memory into a standard `gettext.GNUTranslations`. So an editable install, a fresh
clone and a wheel all show the translation that is in the `.po`, with no build step
that could leave a stale `.mo` behind. Fuzzy entries are not used. A message without a
translation is shown in English, and `tests/unit/core/test_i18n_catalog.py` fails on it.
"""

from __future__ import annotations

import gettext
import io
import os
import threading
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh")
DOMAIN = "netsteward"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENV = "NETSTEWARD_LANG"

_language: str | None = None
_site_language: str | None = None
_lock = threading.Lock()


def normalise_language(value: str | None) -> str | None:
    """`zh`, `zh_CN`, `zh-CN.UTF-8`, `ZH` -> `zh`; `en_US` -> `en`; empty -> None;
    anything else -> ValueError naming the known languages."""
    if value is None or not value.strip():
        return None
    lang = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; known: {', '.join(LANGUAGES)}")
    return lang


def set_language(lang: str | None) -> None:
    """Use `lang` (`en` or `zh`) for everything shown from now on; None: back to the default."""
    global _language
    _language = normalise_language(lang)


def set_site_language(lang: str | None) -> None:
    """The site's language (the `language` site setting); weaker than `--lang` and the
    environment."""
    global _site_language
    _site_language = normalise_language(lang)


def current_language() -> str:
    if _language:
        return _language
    try:
        env = normalise_language(os.environ.get(ENV))
    except ValueError:
        env = None  # a bad value in the environment is reported by the CLI, not here
    return env or _site_language or "en"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`, compiled in memory from its `.po` (English: none)."""
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with _lock, po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for `n`, in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, where the same English word needs another
    translation in another context (`pgettext("role", "access")`)."""
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now (translate with `_()`
    where it is shown)."""
    return message
