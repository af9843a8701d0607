"""Data shown as text: controls and direction overrides written out, everything else untouched."""

from examops.domain.literal import shown


def test_markup_and_plain_names_are_untouched():
    assert shown("[/]") == "[/]"
    assert shown("Wang[/b]") == "Wang[/b]"
    assert shown("王五") == "王五"
    assert shown(None) == ""


def test_controls_newlines_and_overrides_are_escaped():
    assert shown("\x1b[2J李四") == "\\x1b[2J李四"
    assert shown("\u202e张三") == "\\u202e张三"
    assert shown("赵\n六") == "赵\\n六"
    assert shown("a\x9bb") == "a\\x9bb"


def test_keep_lets_a_screen_keep_its_own_line_breaks():
    assert shown("第一行\n第二行\x07", keep="\n") == "第一行\n第二行\\x07"
