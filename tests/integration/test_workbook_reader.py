"""Reading roster files by content: typed cells, hidden parts, and a clear refusal for everything else."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import openpyxl.xml
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examops.adapters.excel_in import UnreadableFile, read_workbook, xml_stream
from tests.support.messy_workbooks import (
    Sheet,
    docx_like_bytes,
    encrypted_xls_bytes,
    encrypted_xlsx_bytes,
    html_disguised_as_xls,
    messy_rooms_sheets,
    ole2_bytes,
    plain_zip_bytes,
    synthetic_id,
    write_csv,
    write_xls,
    write_xlsx,
    zip_bomb_bytes,
)

ID = synthetic_id("19900101", 123)


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


# ---------------------------------------------------------------- xlsx


def test_xlsx_cells_keep_their_types_and_excel_row_numbers(tmp_path):
    sheet = Sheet(
        "第1考场",
        [
            [],
            [],
            [None, None, "准考证号", "身份证号"],
            [None, None, "211500000001", 150203199001011234, 1, 2.5, dt.datetime(2021, 10, 16, 8, 30), True],
            [],
            [],
        ],
    )
    content = read_workbook(write_xlsx(tmp_path / "rooms.xlsx", [sheet]))
    assert content.kind == "xlsx" and content.notes == []
    (table,) = content.sheets
    assert table.name == "第1考场" and table.hidden is False
    assert table.rows[0] == [None] * 8 and table.rows[1] == [None] * 8
    assert table.rows[2][2:4] == ["准考证号", "身份证号"]
    row = table.rows[3]
    assert row[:2] == [None, None]
    assert row[2] == "211500000001"
    assert isinstance(row[3], float) and row[3] == pytest.approx(1.50203199001011e17)
    assert row[4] == 1 and isinstance(row[4], (int, float))
    assert row[5] == 2.5
    assert row[6] == dt.datetime(2021, 10, 16, 8, 30)
    assert row[7] is True
    assert len(table.rows) == 4, "trailing empty rows are dropped"


def test_xlsx_hidden_and_very_hidden_sheets_rows_and_merges(tmp_path):
    sheets = [
        Sheet("visible", [["a"], ["b"], ["c"], ["d"]], hidden_rows=(2, 4), merged=("A1:C1", "B3:B4")),
        Sheet("hidden", [["x"]], hidden="hidden"),
        Sheet("very hidden", [["y"]], hidden="veryHidden"),
    ]
    content = read_workbook(write_xlsx(tmp_path / "r.xlsx", sheets))
    visible, hidden, very_hidden = content.sheets
    assert (visible.hidden, hidden.hidden, very_hidden.hidden) == (False, True, True)
    assert visible.hidden_rows == frozenset({2, 4})
    assert sorted(visible.merged) == [(1, 1, 1, 3), (3, 2, 4, 2)]
    assert hidden.hidden_rows == frozenset()


def test_xlsx_extension_does_not_matter_content_does(tmp_path):
    path = write_xlsx(tmp_path / "export.xls", [Sheet("s", [["准考证号"]])])
    assert read_workbook(path).kind == "xlsx"


def test_hidden_rows_found_across_chunk_boundaries(tmp_path):
    hidden = (3, 17, 18, 40)
    rows = [[f"row {n}", n] for n in range(1, 45)]
    path = write_xlsx(tmp_path / "r.xlsx", [Sheet("s", rows, hidden_rows=hidden)])
    with zipfile.ZipFile(path) as archive:
        for chunk in (5, 7, 64, 1000):
            assert xml_stream.hidden_xlsx_rows(archive, "xl/worksheets/sheet1.xml", chunk) == frozenset(hidden)


def test_hidden_rows_without_row_numbers_are_counted(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [Sheet("s", [["a"], ["b"], ["c"]], hidden_rows=(2,))])
    rewritten = tmp_path / "no_r.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<row[^>]*?) r="\d+"', rb"\1", data)
                assert b'<row r="' not in data
            target.writestr(info, data)
    with zipfile.ZipFile(rewritten) as archive:
        assert xml_stream.hidden_xlsx_rows(archive, "xl/worksheets/sheet1.xml") == frozenset({2})


def test_messy_rooms_workbook_reads_every_sheet(tmp_path):
    content = read_workbook(write_xlsx(tmp_path / "messy.xlsx", messy_rooms_sheets()))
    assert [s.name for s in content.sheets] == ["填表说明", "第1考场", "第2考场", "Sheet3", "旧名单"]
    by_name = {s.name: s for s in content.sheets}
    assert by_name["第1考场"].hidden_rows == frozenset({9})
    assert by_name["第1考场"].merged == [(1, 1, 1, 7)]
    assert by_name["旧名单"].hidden is True
    assert by_name["Sheet3"].rows == []
    assert by_name["第1考场"].rows[2][4] == "身份\u00a0证号"


# ---------------------------------------------------------------- xls


def test_xls_read_with_types_hidden_rows_and_hidden_sheets(tmp_path):
    sheets = [
        Sheet("第1考场", [["考生名单"], ["准考证号", "身份证号", "座位号"], ["211500000001", ID, 1], ["211500000002", 150203199001011234, 2]], hidden_rows=(4,)),
        Sheet("旧", [["x"]], hidden="hidden"),
    ]
    content = read_workbook(write_xls(tmp_path / "rooms.xls", sheets))
    assert content.kind == "xls"
    room, old = content.sheets
    assert room.rows[2] == ["211500000001", ID, 1]
    assert isinstance(room.rows[3][1], float)
    assert room.hidden_rows == frozenset({4})
    assert old.hidden is True and old.rows == [["x"]]
    assert content.notes == []


def test_xls_renamed_xlsx_is_still_read_as_xls(tmp_path):
    path = write_xls(tmp_path / "rooms.xlsx", [Sheet("s", [["准考证号"]])])
    assert read_workbook(path).kind == "xls"


# ---------------------------------------------------------------- CSV

ROWS = [["准考证号", "姓名", "身份证号", "考场号", "座位号"], ["211500000001", "王安", ID, "001", "1"], ["211500000002", "李宁", "", "001", "2"]]


@pytest.mark.parametrize(
    ("encoding", "notes"),
    [("utf-8", []), ("utf-8-sig", []), ("gb18030", ["read as GB18030"]), ("utf-16", ["read as UTF-16"])],
)
def test_csv_in_the_encodings_excel_writes(tmp_path, encoding, notes):
    content = read_workbook(write_csv(tmp_path / "名单.csv", ROWS, encoding=encoding))
    assert content.kind == "csv"
    assert content.notes == notes
    (table,) = content.sheets
    assert table.name == "名单"
    assert table.rows[0] == ROWS[0]
    assert table.rows[1] == ["211500000001", "王安", ID, "001", "1"], "CSV values stay text"
    assert table.rows[2][2] is None


@pytest.mark.parametrize(("delimiter", "note"), [("\t", "separated by tabs"), (";", "separated by ';'")])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter, note):
    rows = [*ROWS, ["211500000003", "赵敏", ID, "北京市,海淀区", "3"]]
    content = read_workbook(write_csv(tmp_path / "r.txt", rows, delimiter=delimiter))
    assert content.notes == [note]
    assert content.sheets[0].rows[3] == ["211500000003", "赵敏", ID, "北京市,海淀区", "3"]


def test_csv_quoted_newline_keeps_one_record(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('准考证号,姓名,备注\r\n211500000001,王安,"两行\r\n备注"\r\n211500000002,李宁,\r\n', encoding="utf-8")
    rows = read_workbook(path).sheets[0].rows
    assert rows == [["准考证号", "姓名", "备注"], ["211500000001", "王安", "两行\r\n备注"], ["211500000002", "李宁", None]]


# ---------------------------------------------------------------- refusals


def _refusal(tmp_path, name: str, data: bytes, **kwargs) -> UnreadableFile:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(path, **kwargs)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"“{name}”")
    return caught.value


def test_encrypted_xlsx_is_refused_with_password_advice(tmp_path):
    error = _refusal(tmp_path, "rooms.xlsx", encrypted_xlsx_bytes())
    assert error.reason == "encrypted"
    assert str(error) == (
        "“rooms.xlsx” is protected with a password; open it in Excel, remove the password "
        "(File ▸ Info ▸ Protect Workbook ▸ Encrypt with Password, clear it), save and import again."
    )


def test_encrypted_legacy_xls_is_refused_with_password_advice(tmp_path):
    error = _refusal(tmp_path, "rooms.xls", encrypted_xls_bytes())
    assert error.reason == "encrypted"
    assert "is protected with a password; open it in Excel, remove the password" in str(error)


def test_hand_built_ole2_without_encryption_is_a_plain_xls(tmp_path):
    import xlwt

    workbook = xlwt.Workbook()
    workbook.add_sheet("s").write(0, 0, "准考证号")
    path = tmp_path / "hand.xls"
    path.write_bytes(ole2_bytes({"Workbook": workbook.get_biff_data()}))
    content = read_workbook(path)
    assert content.kind == "xls" and content.sheets[0].rows == [["准考证号"]]


def test_small_xls_in_the_mini_stream_still_gives_hidden_rows(tmp_path):
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet("第1考场")
    for r, value in enumerate(["准考证号", "211500000001", "211500000002"]):
        worksheet.write(r, 0, value)
    worksheet.row(2).hidden = True
    stream = workbook.get_biff_data()
    assert len(stream) < 4096
    path = tmp_path / "mini.xls"
    path.write_bytes(ole2_bytes({"Workbook": stream}, mini=True))
    content = read_workbook(path)
    assert content.sheets[0].rows == [["准考证号"], ["211500000001"], ["211500000002"]]
    assert content.sheets[0].hidden_rows == frozenset({3})
    assert content.notes == []


def test_ole2_word_document_is_named(tmp_path):
    error = _refusal(tmp_path, "名单.xls", ole2_bytes({"WordDocument": b"\x00" * 100}))
    assert error.reason == "not-a-workbook"
    assert "is a Word document (.doc), not a workbook" in str(error)


def test_html_saved_as_xls_is_read_as_its_table(tmp_path):
    path = tmp_path / "考生名单.xls"
    path.write_bytes(html_disguised_as_xls())
    content = read_workbook(path)
    assert content.kind == "html"
    (table,) = content.sheets
    assert table.rows == [["准考证号", "姓名"], ["211500000001", "王安"]]


def test_bare_html_table_is_read_with_spans_and_entities(tmp_path):
    path = tmp_path / "r.xls"
    page = (
        "\r\n\r\n<table border=1><tr><td colspan=2>考生&nbsp;名单</td><td rowspan=2>备注</td></tr>"
        "<tr><td>a&amp;b</td><td><b>1</b><br>2</td></tr><tr><td>x</td><td>y</td><td>z</td></tr></table>"
    )
    path.write_text(page, encoding="gb18030")
    (table,) = read_workbook(path).sheets
    assert table.rows == [["考生 名单", None, "备注"], ["a&b", "1 2", None], ["x", "y", "z"]]


def test_web_page_without_a_table_is_refused(tmp_path):
    error = _refusal(tmp_path, "r.xls", b"<html><body><p>Session expired</p></body></html>")
    assert error.reason == "html"
    assert "a web page with no table in it" in str(error)


def test_excel_2003_xml_is_refused_with_save_as_advice(tmp_path):
    data = b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    assert _refusal(tmp_path, "r.xls", data).reason == "xml-2003"


def test_truncated_xlsx_is_damaged(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", messy_rooms_sheets()).read_bytes()
    error = _refusal(tmp_path, "rooms.xlsx", good[: len(good) // 2])
    assert error.reason == "damaged"
    assert str(error) == (
        "“rooms.xlsx” looks like an Excel workbook (.xlsx) but is damaged or incomplete (cut short in a download?); "
        "ask the exam office to send it again."
    )


def test_truncated_xls_is_damaged(tmp_path):
    good = write_xls(tmp_path / "good.xls", messy_rooms_sheets()[1:3]).read_bytes()
    error = _refusal(tmp_path, "rooms.xls", good[:1500])
    assert error.reason == "damaged"


def test_zip_bomb_is_refused_before_reading(tmp_path):
    data = zip_bomb_bytes()
    assert len(data) < 20_000
    error = _refusal(tmp_path, "rooms.xlsx", data)
    assert error.reason == "zip-bomb"
    assert "would unpack to 4 MiB from 4 KiB" in str(error)
    assert "refused before reading" in str(error)


def test_total_uncompressed_size_limit(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", messy_rooms_sheets()).read_bytes()
    assert _refusal(tmp_path, "rooms.xlsx", good, max_uncompressed=10_000).reason == "zip-bomb"


def test_docx_is_named_as_word_document(tmp_path):
    error = _refusal(tmp_path, "rooms.xlsx", docx_like_bytes())
    assert error.reason == "not-a-workbook"
    assert str(error).startswith("“rooms.xlsx” is a Word document, not a workbook")


def test_plain_zip_lists_its_files(tmp_path):
    error = _refusal(tmp_path, "rooms.zip", plain_zip_bytes())
    assert error.reason == "zip-archive"
    assert "is a ZIP archive (2 files: 名单/readme.txt, 名单/rooms.xlsx), not a workbook" in str(error)


def test_empty_file(tmp_path):
    error = _refusal(tmp_path, "rooms.xlsx", b"")
    assert error.reason == "empty"
    assert str(error) == "“rooms.xlsx” is empty (0 bytes); ask the exam office to send it again."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF document"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "is a PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "is a JPEG image"),
        (b"\x00\x01\x02\x03binary", "is neither a workbook nor a text file"),
    ],
)
def test_other_files_are_named(tmp_path, data, words):
    error = _refusal(tmp_path, "rooms.xlsx", data)
    assert error.reason == "not-a-workbook"
    assert words in str(error)


def test_text_in_an_unknown_encoding(tmp_path):
    error = _refusal(tmp_path, "r.csv", "准考证号,姓名\n".encode("utf-8") + b"\x81\x20\xff\xfe")
    assert error.reason == "encoding"


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(tmp_path / "nowhere.xlsx")
    assert caught.value.reason == "missing"
    assert str(caught.value) == "“nowhere.xlsx” was not found; check the folder and the file name."


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=10_000), flip=st.integers(min_value=0, max_value=10_000))
def test_damaged_bytes_never_escape_as_a_traceback(tmp_path, cut, flip):
    good = _good_bytes(tmp_path)
    for kind, data in good.items():
        broken = bytearray(data[: max(1, len(data) * cut // 10_000)])
        position = flip % len(broken)
        broken[position] ^= 0x5A
        path = tmp_path / f"broken.{kind}"
        path.write_bytes(bytes(broken))
        try:
            read_workbook(path)
        except UnreadableFile as error:
            assert str(error).startswith("“broken.")


_GOOD: dict[str, bytes] = {}


def _good_bytes(tmp_path) -> dict[str, bytes]:
    if not _GOOD:
        _GOOD["xlsx"] = write_xlsx(tmp_path / "g.xlsx", messy_rooms_sheets()).read_bytes()
        _GOOD["xls"] = write_xls(tmp_path / "g.xls", messy_rooms_sheets()[1:3]).read_bytes()
    return _GOOD


def test_a_reader_failing_part_way_still_names_the_kind(tmp_path):
    """Found by the fuzz test: an .ods whose directory points a member past the end fell back to a refusal naming no kind."""
    import struct
    from pathlib import Path

    good = (Path(__file__).parents[1] / "fixtures" / "real_producers" / "libreoffice.ods").read_bytes()
    broken = bytearray(good)
    entry = good.index(b"PK\x01\x02")  # the central directory entry of the first member, "mimetype"
    assert good[entry + 46 : entry + 54] == b"mimetype"
    struct.pack_into("<I", broken, entry + 42, 0xFFFFFF00)  # its local header offset, now beyond the file
    error = _refusal(tmp_path, "rooms.ods", bytes(broken))
    assert error.reason == "damaged"
    assert "looks like an OpenDocument spreadsheet (.ods) but is damaged" in str(error)


def test_refusals_speak_the_site_language(tmp_path, monkeypatch):
    from examops import i18n

    monkeypatch.setattr(i18n, "_active_language", i18n.CHINESE)
    error = _refusal(tmp_path, "名单.xls", b"%PDF-1.7\n")
    assert str(error) == "“名单.xls”是PDF 文档，无法从 PDF 读取名单；请向考试机构索要 Excel 文件。"
    damaged = _refusal(tmp_path, "坏.xlsx", b"PK\x03\x04" + b"\x00" * 40)
    assert "看起来是Excel 工作簿（.xlsx），但文件已损坏或不完整" in str(damaged)


def test_the_reader_child_answers_in_marshal_unless_a_cell_is_a_date():
    """The child's answer: marshal for plain cells (the parent loads it faster than pickle), pickle when a cell is a
    date or time (marshal refuses those); either way the parent reads back the same cells, types and all."""
    import io

    from examops.adapters.excel_in.calamine_cells import MARSHAL, PICKLE, read_outcome, write_outcome

    plain = ("ok", ([("名单", False, [["准考证号", 1, 1.0, True, None]], [(1, 1, 1, 5)], frozenset({3}))], True))
    dated = ("ok", ([("名单", False, [["准考证号", dt.date(2021, 10, 16), dt.time(8, 30)]], [], frozenset())], True))
    for outcome, kind in ((plain, MARSHAL), (dated, PICKLE)):
        out = io.BytesIO()
        write_outcome(outcome, out)
        assert out.getvalue()[:1] == kind
        back = read_outcome(out.getvalue())
        assert back == outcome
        assert [type(v) for v in back[1][0][0][2][0]] == [type(v) for v in outcome[1][0][0][2][0]]


def test_a_date_cell_comes_back_from_the_reader_child(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["准考证号", "考试日期"])
    book.active.append(["2021001", dt.datetime(2021, 10, 16, 8, 30)])
    book.save(tmp_path / "dated.xlsx")
    rows = read_workbook(tmp_path / "dated.xlsx").sheets[0].rows
    assert rows[1] == ["2021001", dt.datetime(2021, 10, 16, 8, 30)]


def test_the_reader_child_runs_this_examops_not_a_folder_where_the_clerk_stands(tmp_path, monkeypatch):
    """The calamine child was `python -m examops…`: Python puts the working directory first on its path, so a folder
    named `examops` there (a copy of an old version, a planted one) was imported in place of the installed code."""
    planted = tmp_path / "here" / "examops"
    planted.mkdir(parents=True)
    (planted / "__init__.py").write_text("raise SystemExit('the planted examops ran')\n", encoding="utf-8")
    book = write_xlsx(tmp_path / "rooms.xlsx", [Sheet("第1考场", [["准考证号", "身份证号"], ["211500000001", ID]])])
    monkeypatch.chdir(planted.parent)
    (table,) = read_workbook(book).sheets
    assert table.rows[1][0] == "211500000001"
