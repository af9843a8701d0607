"""A readable roster with no usable header row: the refusal names the headers looked for, the sheets searched and
the closest row (sheet, row, what it held, what it lacked), in the site's language, with the fix in one sentence."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from examops.adapters.excel_in import read_workbook
from examops.domain.roster import parse_rosters
from examops.i18n.roster_words import localised
from examops.services.roster import import_roster
from tests.conftest import ROOT
from tests.integration.test_roster_import import snapshot
from tests.support.messy_workbooks import Sheet, people, write_xlsx

# Made by LibreOffice from an examops roster (tools/make_real_producer_fixtures.py): 准考政号/身份正号/坐位 typed
# for 准考证号/身份证号/座位号 (.xls), and the header row deleted, the candidates under the title (.xlsx).
FAULTS = ROOT / "tests" / "fixtures" / "header_faults"
TODAY = dt.date(2021, 10, 16)
EXAMOPS = str(Path(sys.executable).parent / "examops")


def parsed_errors(path: Path):
    content = read_workbook(path)
    return [p for p in parse_rosters([(path.name, content.sheets)], today=TODAY).problems if p.severity == "error"]


def one_sentence_fix(fix: str) -> bool:
    body = fix.rstrip("。.")
    return fix.endswith(("。", ".")) and "。" not in body and ". " not in body


def test_misspelt_headers_of_a_libreoffice_xls_each_name_the_cell_to_correct():
    errors = parsed_errors(FAULTS / "misspelt-header.xls")
    assert [(p.code, p.sheet, p.row, p.column) for p in errors] == [
        ("missing-header", "考生名单", 2, "B"), ("missing-header", "考生名单", 2, "E"), ("missing-header", "考生名单", 2, "G")]
    assert [p.fix for p in errors] == [
        "Correct 准考政号 in cell B2 to 准考证号, then import again.",
        "Correct 身份正号 in cell E2 to 身份证号, then import again.",
        "Correct 坐位 in cell G2 to 座位号, then import again.",
    ]
    chinese = localised(errors[0], "zh_CN")
    assert chinese.message == ("第 2 行的表头中没有“准考证号”列；现有的表头为：序号、准考政号、姓名、性别、身份正号、考场号、坐位。"
                               "B 列的“准考政号”可能就是这个表头，只是写错了。")
    assert chinese.fix == "请把单元格 B2 的“准考政号”改为“准考证号”，然后重新导入。"


def test_a_libreoffice_xlsx_without_its_header_row_says_where_the_candidates_start():
    (error,) = parsed_errors(FAULTS / "no-header.xlsx")  # one refusal, not a second file-level one saying the same
    assert (error.code, error.sheet, error.row) == ("no-header", "考生名单", 2)
    assert "naming the columns 准考证号, 姓名, 身份证号, 考场号, 座位号 in its first 30 rows" in error.message
    assert "the candidates seem to start in row 2 of sheet 考生名单, which holds: 1, 21150054251571, 石婷, 女," in error.message
    assert error.fix == "Insert a row above row 2 of sheet 考生名单 holding the headers 准考证号, 姓名, 身份证号, 考场号, 座位号, one per column, then import again."
    chinese = localised(error, "zh_CN")
    assert "考生数据似乎从工作表“考生名单”第 2 行开始，该行内容为：1、21150054251571、石婷、女、" in chinese.message
    assert chinese.fix == "请在工作表“考生名单”第 2 行上方插入一行表头，每列一个：准考证号、姓名、身份证号、考场号、座位号，然后重新导入。"
    assert one_sentence_fix(chinese.fix) and one_sentence_fix(error.fix)


def test_no_header_anywhere_names_the_sheets_searched_and_the_closest_row(tmp_path):
    """Too few headers spelt right to count as a header row: the refusal points at the row that nearly was one."""
    folks = people(3)
    path = write_xlsx(tmp_path / "名单.xlsx", [
        Sheet("封面", [["2021年考生名单"], ["制表：考务办"]]),
        Sheet("第1考场", [["第1考场"], [], ["序号", "准考政号", "姓各", "考场号", "坐位"],
                    *[[i + 1, f.ticket, f.name, "001", i + 1] for i, f in enumerate(folks)]]),
    ])
    (error,) = parsed_errors(path)
    assert (error.code, error.sheet, error.row) == ("no-data", None, None)
    assert error.message == (
        "No sheet has a header row naming the columns 准考证号, 姓名, 身份证号, 考场号, 座位号 in its first 30 rows "
        "(sheets searched: 封面, 第1考场), so no candidate was read. The closest is row 3 of sheet 第1考场: it holds "
        "序号, 准考政号, 姓各, 考场号, 坐位, and lacks 准考证号, 姓名, 身份证号, 座位号. "
        "Probably misspelt: 准考政号 → 准考证号, 姓各 → 姓名, 坐位 → 座位号.")
    assert error.fix == "In row 3 of sheet 第1考场, write the missing headers 准考证号, 姓名, 身份证号, 座位号 above their columns, then import again."
    chinese = localised(error, "zh_CN")
    assert chinese.message == (
        "在各工作表的前 30 行内都没有找到写有 准考证号、姓名、身份证号、考场号、座位号 的表头行（查找过的工作表：封面、第1考场），"
        "因此没有读入任何考生。最接近表头的是工作表“第1考场”第 3 行：内容为 序号、准考政号、姓各、考场号、坐位，"
        "缺少 准考证号、姓名、身份证号、座位号。可能写错的表头：准考政号 → 准考证号、姓各 → 姓名、坐位 → 座位号。")
    assert one_sentence_fix(chinese.fix)


def test_a_file_of_empty_and_instruction_sheets_says_so(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [Sheet("填表说明", [["准考证号", "姓名", "身份证号"]]), Sheet("Sheet2", [])])
    (error,) = parsed_errors(path)
    assert error.message == ("No sheet of the file holds a table to read (its sheets, 填表说明, Sheet2, are empty or "
                             "instructions), so no candidate was read.")


def test_the_cli_refuses_in_the_site_language_and_changes_nothing(site, store_url):
    """No EXAMOPS_LANG: the sample plan's language (zh-CN) speaks, every word of the refusal included."""
    before = snapshot(site)
    env = {**os.environ, "EXAMOPS_DB": store_url}
    env.pop("EXAMOPS_LANG", None)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    done = subprocess.run([EXAMOPS, "roster", "import", str(FAULTS / "no-header.xlsx")], capture_output=True, text=True, env=env)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("错误：no-header.xlsx · 工作表 考生名单 · 第 2 行 · E 列 · 值“150122********0362”：这个工作表第 2 行有像身份证号的内容")
    assert lines[0].endswith("— 请在工作表“考生名单”第 2 行上方插入一行表头，每列一个：准考证号、姓名、身份证号、考场号、座位号，然后重新导入。")
    assert lines[1].startswith("1 个错误：未导入任何内容。")
    assert snapshot(site) == before


def test_the_import_service_reports_the_refusal_in_the_process_language(site, monkeypatch):
    from examops import i18n

    monkeypatch.setattr(i18n, "_active_language", i18n.CHINESE)
    report = import_roster(site, [FAULTS / "misspelt-header.xls"])
    assert not report.imported
    assert [p.fix for p in report.errors][2] == "请把单元格 G2 的“坐位”改为“座位号”，然后重新导入。"
