"""A failure on a screen speaks the screen's language: a damaged photo, the disk, an error nobody foresaw.

Found on a Chinese gate: "照片无法显示：UnidentifiedImageError: cannot identify image file …" and, for a scan that
failed on an unexpected error, the bare "OSError: …" after the Chinese words.
"""

from __future__ import annotations

import errno
import re

import pytest

from examops import i18n
from examops.i18n import CHINESE
from examops.tui.i18n import failure_words
from examops.tui.photo_render import PhotoUnreadable, prepare

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setattr(i18n, "_active_language", CHINESE)


def _damaged() -> PhotoUnreadable:
    with pytest.raises(PhotoUnreadable) as caught:
        prepare(b"\xff\xd8\xff not really a jpeg", "halfblock", 10, 10)
    return caught.value


def test_a_damaged_photo_is_said_in_chinese_with_only_the_decoder_s_name_left(chinese):
    words = failure_words(_damaged())
    assert "损坏" in words, words
    assert LATIN_WORD.findall(words.replace("JPEG", "").replace("PNG", "")) == ["UnidentifiedImageError"], words


def test_a_damaged_photo_is_said_in_english_on_an_english_screen():
    assert failure_words(_damaged()).startswith("the file is damaged or not a JPEG or PNG picture")


def test_the_disk_s_refusal_is_said_in_catalog_words(chinese):
    words = failure_words(OSError(errno.ENOSPC, "No space left on device"))
    assert "磁盘" in words and "space" not in words, words


def test_an_unforeseen_error_is_framed_in_the_screen_s_language_with_its_name(chinese):
    words = failure_words(RuntimeError("boom"))
    assert words.startswith("意外错误") and "RuntimeError" in words and "boom" in words, words
    assert failure_words(KeyError()) .startswith("意外错误"), failure_words(KeyError())
