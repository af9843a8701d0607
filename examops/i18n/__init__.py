"""The product's words: English msgids in the source, a zh_CN gettext catalog, one language normaliser.

Mark words with `_()` (or `N_()` in tables translated later, `ngettext` where a count picks the form,
`pgettext` where one English word has two Chinese ones). `_` speaks the process's language, set once
by the entry point with `set_language`; `translator(lang)` speaks a chosen one, for a document built
in a language other than the screen's.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

from examops.domain.said import NP_, ContextMessage  # noqa: F401 - the catalog's words with a context live beside `Said`

DOMAIN = "examops"
LOCALE_DIR = Path(__file__).parent / "locale"
CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
_ENGLISH_LOCALES = {"c", "posix"}


def normalise_language(raw: str | None, default: str = ENGLISH) -> str:
    """`zh`, `zh-CN`, `zh_CN.UTF-8`, `zh-Hans` → zh_CN; `en*`, `C`, `C.UTF-8`, `POSIX` → en; else `default`."""
    if not raw or not raw.strip():
        return default
    value = raw.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if value == "zh" or value.startswith("zh_"):
        return CHINESE
    if value == "en" or value.startswith("en_") or value in _ENGLISH_LOCALES:
        return ENGLISH
    return default


def resolve_language(requested: str | None = None, site_language: str | None = None) -> str:
    """`--lang` or EXAMOPS_LANG, else the site plan's language, else the locale (LC_ALL, LC_MESSAGES, LANG)."""
    for raw in (requested, os.environ.get("EXAMOPS_LANG"), site_language):
        if raw and raw.strip():
            return normalise_language(raw)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return normalise_language(value)
    return ENGLISH


@cache
def translator(lang: str | None) -> gettext.NullTranslations:
    """The catalog of `lang` (any spelling the normaliser knows); English is the msgids themselves."""
    if normalise_language(lang) == CHINESE:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[CHINESE])
    return gettext.NullTranslations()


_active_language = CHINESE  # the staff's language until an entry point says otherwise


def set_language(lang: str | None) -> str:
    """Make `lang` the process's language (once, by the entry point); returns its normal form."""
    global _active_language
    _active_language = normalise_language(lang)
    return _active_language


def language() -> str:
    """The process's language: zh_CN or en."""
    return _active_language


def is_chinese(lang: str | None = None) -> bool:
    return normalise_language(_active_language if lang is None else lang) == CHINESE


def _(message: str) -> str:
    return translator(_active_language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translator(_active_language).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return translator(_active_language).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a word for the catalog without translating it yet (tables translated at display time)."""
    return message


def spoken(message: object, lang: str | None = None) -> str:
    """A `Said` (or an exception carrying one as `.said`) in the process's language, or `lang`; anything else as str()."""
    from examops.domain.said import Said

    message = getattr(message, "said", message)
    if not isinstance(message, Said):
        return str(message)
    catalog = translator(_active_language if lang is None else lang)
    fields = {key: spoken(value, lang) for key, value in message.fields}
    template = message.template
    if isinstance(template, ContextMessage):
        return catalog.pgettext(template.context, template.message).format(**fields)
    return catalog.gettext(template).format(**fields)


def word(table: dict, key: object, lang: str | None = None) -> str:
    """The translated label of `key` in a table of `N_`/`NP_` msgids; the key itself when the table lacks it."""
    entry = table.get(key)
    if entry is None:
        return "" if key is None else str(key)
    catalog = translator(_active_language if lang is None else lang)
    if isinstance(entry, ContextMessage):
        return catalog.pgettext(entry.context, entry.message)
    return catalog.gettext(entry)
