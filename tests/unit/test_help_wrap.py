"""--help's layout in display cells: Chinese wraps inside the terminal, English exactly as click lays it out."""

import click

from examops.cli.help_wrap import CellFormatter, cells, chunks, short_line, wrap

CHINESE = ("这些文件即完整名单：删除不在其中的考生（事件日志中出现过的考生不删），"
           "并为每个工作簿另存一份副本，标出出错的单元格，多个文件时为 X-<文件名>.xlsx；不会覆盖已有文件。")


def test_a_chinese_character_takes_two_columns():
    assert cells("考场") == 4 and cells("A考场，") == 7 and cells("--lane") == 6


def test_chinese_breaks_between_characters_never_before_a_closing_mark_nor_after_an_opening_one():
    assert chunks("考生（事件）。--lane，好") == ["考", "生", "（事", "件）。", "--lane，", "好"]
    assert chunks("放行。  [默认：photo]") == ["放", "行。", "  ", "[默认：photo]"]  # click's extras stay whole
    lines = wrap(CHINESE, 30, "  ", "  ")
    assert all(cells(line) <= 30 for line in lines)
    assert all(cells(line) >= 20 for line in lines[:-1])  # full lines, not a word's worth each
    assert not [line for line in lines if line.strip()[0] in "，。；：）"]
    assert not [line for line in lines if line.rstrip()[-1] in "（"]
    assert "".join(lines).replace(" ", "") == CHINESE.replace(" ", "")


def test_a_piece_wider_than_a_line_is_cut():
    assert wrap("考" * 10, 8) == ["考" * 4, "考" * 4, "考" * 2]
    assert wrap("x" * 10, 4) == ["xxxx", "xxxx", "xx"]


def test_the_listing_line_is_the_first_sentence_cut_to_the_limit():
    assert short_line("查找考生。按准考证号查找。", 40) == "查找考生。"
    cut = short_line("在安检口核验一名考生；不加 --outcome 时，无异常的考生直接放行。", 30)
    assert cut.endswith("...") and cells(cut) <= 30 and cut.startswith("在安检口核验一名考生")


def _formatted(formatter_class, write) -> str:
    formatter = formatter_class(width=60)
    write(formatter)
    return formatter.getvalue()


def test_english_is_laid_out_exactly_as_click_does():
    def write(formatter):  # noqa: ANN001
        formatter.write_usage("examops roster import", "[OPTIONS] FILES... " * 4)
        with formatter.section("Options"):
            formatter.write_dl([("--errors-out FILE", "Write a copy of each workbook with the bad cells highlighted " * 3),
                                ("--a-very-long-option-name-indeed TEXT", "Short."), ("--json", "")])
        formatter.write_text("Import roster workbooks (.xlsx, .xls, .csv); a file with any error imports nothing. " * 3)

    assert _formatted(CellFormatter, write) == _formatted(click.HelpFormatter, write)


def test_chinese_definitions_line_up_and_fit():
    formatter = CellFormatter(width=60)
    formatter.indent()
    formatter.write_dl([("--errors-out 文件", CHINESE), ("--json", ""), ("--dry-run", "只检查，不写入。")])
    lines = formatter.getvalue().splitlines()
    assert all(cells(line) <= 60 for line in lines)
    column = cells(lines[0][:lines[0].index("这")])  # in cells: 文件 takes four
    assert column == 2 + cells("--errors-out 文件") + 2
    assert all(len(line) - len(line.lstrip()) == column for line in lines[1:] if not line.lstrip().startswith("--"))
    assert lines[-1] == "  --dry-run".ljust(column) + "只检查，不写入。"
