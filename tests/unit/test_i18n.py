"""The catalog of words: every msgid translated, the .po current with the source, the .mo current with the .po."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import examops
from examops import i18n
from examops.domain.plan import PlanError, parse_plan
from examops.i18n import CHINESE, ENGLISH, normalise_language, resolve_language, translator

PACKAGE = Path(examops.__file__).parent
MESSAGES = PACKAGE / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}


def _ids(messages) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in messages if m.id}


def _source_ids() -> set[tuple[str | None, str]]:
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


@pytest.fixture(scope="module")
def catalog():
    return read_po(io.BytesIO((MESSAGES / "examops.po").read_bytes()))


def test_every_msgid_has_a_chinese_translation(catalog):
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_the_catalog_is_current_with_the_source(catalog):
    source, committed = _source_ids(), _ids(catalog)
    assert sorted(source - committed, key=str) == [], "new words: pybabel extract + update (examops/i18n/README.md)"
    assert sorted(committed - source, key=str) == [], "words no longer in the source: pybabel update"


def test_the_compiled_catalog_is_current_with_the_po(catalog):
    compiled = read_mo(io.BytesIO((MESSAGES / "examops.mo").read_bytes()))
    text = lambda value: str(value if isinstance(value, str) else tuple(value))  # noqa: E731 - .mo plurals read as lists
    pairs = lambda cat: {(m.context, text(m.id), text(m.string)) for m in cat if m.id}  # noqa: E731
    assert pairs(compiled) == pairs(catalog), "run pybabel compile (examops/i18n/README.md)"


# What may stay Latin inside Chinese: placeholders, commands, options, codes and keys of files (with _ or in brackets,
# backticks or quotes), file names, keys of the keyboard, product names and short acronyms (ID, PDF, WPS, JPEG).
_NOT_ENGLISH = re.compile(r"\{[^}]*\}|`[^`]*`|--[\w-]+|\bexamops(?: [a-z]+)*|\w*_\w*|\[\[?\w+\]\]?|\S+\.\w+|\"[^\"]*\"|<[^>]*>")
_NAMES = {"Ctrl", "Enter", "Esc", "Tab", "End", "Excel", "WPS", "Office", "Word", "PowerPoint", "Apple", "Numbers",
          "Gnumeric", "LibreOffice", "OpenDocument", "SQLite", "PostgreSQL", "File", "KiB", "MiB"}
_PHRASE = re.compile(r"\b[A-Za-z]+(?:[ ,]+[A-Za-z]+)+\b")


def _english_phrases(text: str) -> list[str]:
    phrases = _PHRASE.findall(_NOT_ENGLISH.sub(" ", text))
    return [p for p in phrases if any(w not in _NAMES and not (w.isupper() and len(w) <= 4) for w in re.findall(r"[A-Za-z]+", p))]


def test_no_chinese_translation_carries_an_english_phrase(catalog):
    """A Chinese screen says it in Chinese: the gate's banners once read 未记录 NOT RECORDED and 离线 OFFLINE — recorded
    on this laptop… to a Chinese lane (the English belongs to an English site, which has its own msgid)."""
    english = {m.id if isinstance(m.id, str) else m.id[0]: found for m in catalog if m.id
               for found in [[p for s in (m.string if isinstance(m.string, tuple) else (m.string,))
                              for p in _english_phrases(s)]] if found}
    assert english == {}
    assert _english_phrases("未记录 NOT RECORDED — 请重扫") == ["NOT RECORDED"]  # the rule itself still bites


def test_no_word_is_marked_inside_an_f_string():
    """Extraction cannot see a call inside an f-string, so its word would never reach the catalog."""
    import ast
    hidden = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{node.lineno}" for sub in ast.walk(node)
                           if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in KEYWORDS]
    assert hidden == []


@pytest.mark.parametrize(("raw", "expected"), [
    ("zh", CHINESE), ("zh-CN", CHINESE), ("zh_CN", CHINESE), ("zh_CN.UTF-8", CHINESE), ("zh-Hans", CHINESE), ("ZH-cn", CHINESE),
    ("en", ENGLISH), ("en_US.UTF-8", ENGLISH), ("en-GB", ENGLISH), ("C", ENGLISH), ("C.UTF-8", ENGLISH), ("POSIX", ENGLISH),
    ("fr_FR.UTF-8", ENGLISH), ("", ENGLISH), (None, ENGLISH),
])
def test_one_normaliser_for_every_spelling(raw, expected):
    assert normalise_language(raw) == expected


def test_unknown_languages_fall_to_the_default_given():
    assert normalise_language("klingon", default=CHINESE) == CHINESE


def test_translators_speak_their_language():
    assert translator("zh-CN").gettext("Admitted") == "已入场"
    assert translator("en").gettext("Admitted") == "Admitted"
    assert translator("zh").pgettext("card.name", "Name") == "姓名"


def test_the_process_language_is_set_once(monkeypatch):
    monkeypatch.setattr(i18n, "_active_language", CHINESE)
    assert i18n._("Ticket") == "准考证号"
    assert i18n.set_language("C.UTF-8") == ENGLISH
    assert i18n._("Ticket") == "Ticket"


def test_the_site_language_beats_the_locale_and_the_option_beats_the_site(monkeypatch):
    for var in ("EXAMOPS_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert resolve_language(None, site_language="zh-CN") == CHINESE
    assert resolve_language("en", site_language="zh-CN") == ENGLISH
    monkeypatch.setenv("EXAMOPS_LANG", "en")
    assert resolve_language(None, site_language="zh-CN") == ENGLISH
    monkeypatch.delenv("EXAMOPS_LANG")
    assert resolve_language(None, site_language=None) == ENGLISH


PLAN = '''
[exam]
name = "n"
site = "s"
{language}
[[sessions]]
id = "S1"
date = "2021-10-16"
start = "08:30"
end = "11:30"
'''


def test_the_plan_may_name_the_site_language():
    assert parse_plan(PLAN.format(language='language = "zh-CN"')).language == "zh-CN"
    assert parse_plan(PLAN.format(language="")).language is None
    with pytest.raises(PlanError, match="exam.language"):
        parse_plan(PLAN.format(language='language = "fr"'))


def test_the_sample_plan_speaks_chinese():
    root = PACKAGE.parent
    assert parse_plan((root / "rosters" / "sample_plan.toml").read_text(encoding="utf-8")).language == "zh-CN"
