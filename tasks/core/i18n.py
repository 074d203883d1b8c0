"""Human-facing text in the user's language (English by default, Chinese `zh`).

Every string a person reads (console summaries, Markdown/HTML reports, workbook
headings, error lines) goes through `_()` with named placeholders filled *after*
translation, so a translator can reorder them:

    _("{done} of {total} devices backed up").format(done=n, total=total)
    ngettext("{n} finding", "{n} findings", n).format(n=n)

Never an f-string inside `_()`. Machine-facing output (`--json` keys, SARIF/JUnit ids,
check ids) is not translated. The language is chosen by `set_language()` (the CLI's
`--lang`), else `NETSTEWARD_LANG`, else the site setting, else English.

The message catalogs (gettext `.po`, built with Babel) live in `tasks/locale/`; until a
catalog has an entry, the English text is shown.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
_language: str | None = None


def set_language(lang: str | None) -> None:
    """Use `lang` (`en` or `zh`) for everything shown from now on; None: back to the default."""
    global _language
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    _language = lang


def current_language() -> str:
    if _language:
        return _language
    env = os.environ.get("NETSTEWARD_LANG", "").strip().lower()[:2]
    return env if env in LANGUAGES else "en"


def _(message: str) -> str:
    """`message` in the current language."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for `n`, in the current language."""
    return singular if n == 1 else plural
