"""The CLI's one line per session of `examops report`: its verdict in the site's language, whichever it is.

The zero-incident verdict was the literal 零事故、零失误、零差错 on an English site too (the English line around it)."""

from __future__ import annotations

import re

import pytest

from examops.cli.report import _figures_line
from examops.i18n import language, set_language

SUMMARY = {"session": "S1", "expected": 360, "present": 355, "absent": 5, "exceptions": 23, "reallocated": 23,
           "denied": 0, "incidents": 0, "duplicates": 0, "zero_incident": True, "reasons": []}


@pytest.fixture
def speaking():
    before = language()

    def speak(lang: str) -> None:
        set_language(lang)

    yield speak
    set_language(before)


def test_an_english_site_reads_the_verdict_in_english(speaking):
    speaking("en")
    line = _figures_line(SUMMARY)
    assert line.endswith("— Zero incidents, zero mistakes, zero errors"), line
    assert not re.search(r"[\u4e00-\u9fff]", line), line


def test_a_chinese_site_reads_the_words_of_the_day(speaking):
    speaking("zh_CN")
    line = _figures_line(SUMMARY)
    assert line.endswith("零事故、零失误、零差错"), line
    assert "Zero" not in line
