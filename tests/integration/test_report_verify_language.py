"""`report verify` says what it found in the site's language: on a zh-CN screen no English is left but data.

Each case edits a freshly signed report with openpyxl, as a person with Excel would (a Summary figure changed, a
sheet added or removed, a row hidden), or gives no trust list. Under `--lang zh-CN` every problem must hold no
ASCII word of three letters or more once the data is taken out (file names, sheet titles, cell addresses, the
figure's key, fingerprints and digests, option names, a few names: Ed25519, examops). Under `--lang en` the words
are today's English, and `--json` stays English under either language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from examops.cli import main
from examops.services.report import verify_report
from tests.support.signed_report import signed_report

DATA = [r"\S+\.xlsx\b", r"/\S*", r"'[^']*'", r"--[a-z][a-z-]*", r"\bEd25519\b", r"\bexamops\b", r"\b[A-Z]{1,3}\d+\b",
        r"\b[0-9a-f]{4}(?::[0-9a-f]{4}){7}\b", r"\b[0-9a-f]{64}\b", r"\b[a-z]+_sha256\b"]
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _english_left(text: str, *literals: str) -> list[str]:
    for literal in literals:
        text = text.replace(literal, " ")
    for pattern in DATA:
        text = re.sub(pattern, " ", text)
    return ENGLISH_WORD.findall(text)


@pytest.fixture
def signed(tmp_path) -> Path:
    """A signed S1 report of a SQLite site."""
    return signed_report(tmp_path)


def _verify(path: Path, lang: str, *args: str):
    return CliRunner().invoke(main, ["--lang", lang, "report", "verify", str(path), *args], catch_exceptions=False)


def _problems(done) -> list[str]:
    assert done.exit_code == 1, done.output
    lines = done.output.splitlines()
    return [line.removeprefix("  - ") for line in lines[1:]]


def _figure_edited(path: Path) -> tuple[str, str, int]:
    """Add one to the Summary's first figure: its key, its cell and the signed value."""
    book = load_workbook(path)
    ws = book.worksheets[0]
    rows = list(ws.iter_rows())
    header = next(row for row in rows if any(c.value == "key" for c in row))
    key_column = next(c.column for c in header if c.value == "key")
    cell = next(c for row in rows[header[0].row:] for c in row if isinstance(c.value, int) and c.value > 0 and c.column >= 2)
    key, signed = ws.cell(cell.row, key_column).value, cell.value
    cell.value = signed + 1
    book.save(path)
    return key, cell.coordinate, signed


def _assert_chinese(problems: list[str], *literals: str) -> None:
    assert problems
    for problem in problems:
        assert re.search(r"[\u4e00-\u9fff]", problem) and not _english_left(problem, *literals), problem


def test_an_untrusted_report_is_said_in_chinese(signed):
    fingerprint = verify_report(signed, any_key=True).fingerprint
    chinese = _problems(_verify(signed, "zh-CN"))
    _assert_chinese(chinese)
    assert chinese == [f"签名有效，但密钥 {fingerprint} 未获信任：未给出信任列表（用 --trust 文件 指定考试机构的考点公钥列表，"
                       "或用 --any-key 接受任何密钥）"]
    english = _problems(_verify(signed, "en"))
    assert english == [f"the signature is valid but the key {fingerprint} is not trusted: no trust list was given "
                       "(--trust FILE with the bureau's list of site keys, or --any-key to accept any key)"]


def test_an_edited_summary_figure_is_said_in_chinese_and_json_stays_english(signed):
    key, coordinate, value = _figure_edited(signed)
    summary = load_workbook(signed, read_only=True).worksheets[0].title
    chinese = _problems(_verify(signed, "zh-CN", "--any-key"))
    _assert_chinese(chinese, key, summary)
    assert any(f"场次 S1 的 {key}（{coordinate}）现为 {value + 1}，签名时为 {value}" in p for p in chinese), chinese
    english = _problems(_verify(signed, "en", "--any-key"))
    assert english[0] == f"the Summary figures differ from the signed figures: {key} of S1 at {coordinate} reads {value + 1}, signed {value}"
    assert english[1].startswith(f"the workbook's cells differ from the signed ones: sheet {summary!r} changed: row ")
    assert english[2] == "the signature does not match the report's contents: it was changed after signing"
    as_json = _verify(signed, "zh-CN", "--any-key", "--json")
    assert json.loads(as_json.stdout)["problems"] == english


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_sheet_added_or_removed_is_said_in_chinese(signed, change):
    book = load_workbook(signed)
    if change == "added":
        title = "备注"
        book.create_sheet(title, 0).append(["实到 360"])
    else:
        title = book.worksheets[2].title
        book.remove(book.worksheets[2])
    book.save(signed)
    chinese = _problems(_verify(signed, "zh-CN", "--any-key"))
    _assert_chinese(chinese, title)
    assert any(f"工作表 {title!r} {'是后加的' if change == 'added' else '被删除'}" in p for p in chinese), chinese
    english = _problems(_verify(signed, "en", "--any-key"))
    assert any(f"the workbook's cells differ from the signed ones: sheet {title!r} was {change}" in p for p in english), english


def test_a_hidden_row_is_said_in_chinese(signed):
    book = load_workbook(signed)
    ws = book.worksheets[0]
    ws.row_dimensions[3].hidden = True
    book.worksheets[1].sheet_state = "hidden"
    hidden = book.worksheets[1].title
    book.save(signed)
    chinese = _problems(_verify(signed, "zh-CN", "--any-key"))
    _assert_chinese(chinese, ws.title, hidden)
    assert f"{ws.title}!3:3：第 3 行被隐藏" in chinese and f"{hidden}：工作表被设为隐藏：报告的每个工作表都是显示的" in chinese
    english = _problems(_verify(signed, "en", "--any-key"))
    assert f"{ws.title}!3:3: row 3 is hidden" in english
    assert f"{hidden}: the sheet is hidden: every sheet of the report is shown" in english


def test_a_merge_refused_for_an_edited_report_is_said_in_chinese(signed, tmp_path):
    key, coordinate, value = _figure_edited(signed)
    summary = load_workbook(signed, read_only=True).worksheets[0].title

    def merge(lang: str):
        done = CliRunner().invoke(main, ["--lang", lang, "report", "merge", str(signed), "--out", str(tmp_path / "region.xlsx"),
                                         "--any-key"], catch_exceptions=False)
        assert done.exit_code == 1 and not (tmp_path / "region.xlsx").exists(), done.output
        return done.output

    chinese = merge("zh-CN")
    assert f"{signed}：拒绝合并：汇总表中的数据与签名时的数据不同：场次 S1 的 {key}" in chinese and "未写入任何文件" in chinese
    assert not _english_left(chinese, key, summary, str(signed)), chinese
    english = merge("en")
    assert f"{signed}: refused: the Summary figures differ from the signed figures: {key} of S1 at {coordinate} reads " \
           f"{value + 1}, signed {value}; the workbook's cells differ" in english and english.rstrip().endswith("nothing was written")


def test_a_font_given_only_a_colour_is_said_without_none(signed):
    """Found by hand: white text set with openpyxl's `Font(color=…)` read "字体为 None None，颜色 FFFFFFFF" — a font
    with no name and no size is said so, in the site's language."""
    from openpyxl.styles import Font

    book = load_workbook(signed)
    ws = book.worksheets[0]
    ws["A7"].font = Font(color="FFFFFFFF")
    book.save(signed)
    chinese = [p for p in _problems(_verify(signed, "zh-CN", "--any-key")) if "A7" in p]
    assert len(chinese) == 1 and "颜色 FFFFFFFF" in chinese[0] and "None" not in chinese[0], chinese
    english = [p for p in _problems(_verify(signed, "en", "--any-key")) if "A7" in p]
    assert "None" not in english[0] and "FFFFFFFF" in english[0], english
