"""A plain sheet checked column by column gives exactly what reading it row by row gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examops.domain import roster, roster_columns
from examops.domain.roster import SheetInput, parse_roster
from tests.support.messy_workbooks import synthetic_id, today, with_wrong_check

TODAY = today()
SESSIONS = {"S1": "S1", "试卷一": "S1", "S2": "S2", "试卷二": "S2"}
_ID = synthetic_id("19900101", 124)  # a woman's
_LEAP = synthetic_id("20000229", 131)  # a man's, born on a 29 February
# Per column: cells the column-wise check takes (first), then cells it must hand to the row-by-row reading.
_PLAIN = {
    "序号": [1, 2.0, "3"],
    "准考证号": ["2110010101", "2110010102", "211001010300"],
    "姓名": ["张三", "Anna", "李四"],
    "性别": [None, "女", "男"],
    "身份证号": [_ID, synthetic_id("19900101", 126), _LEAP],
    "考场号": ["001", 1, "第1考场", "A1", 12],
    "座位号": [1, 2, 3.0],
    "场次": [None, "S1", "试卷二", " ", ""],
    "考点": [None, "一中", "", " ", "Site  A", 3, 2.0, True],
}
_ODD = {
    "序号": ["合计", None, " ", "Total", "备注"],
    "准考证号": ["12345", 2110010103.0, None, " 2110010104", "2110010105x", "１２３４５６７", "2110\n010106", "2.1E+9"],
    "姓名": ["", None, 5, "王\u200b五", "ｱﾝﾅ", " 李 四 ", "Anna Müller", "e\u0301", "\u0301"],
    "性别": ["M", "f", "x", 1, " 女 ", "", True],
    "身份证号": [_ID.lower(), with_wrong_check(_ID), synthetic_id("19900101", 123, area="990203"), synthetic_id("20990101", 126),
                 synthetic_id("19010229", 125), "150203900101123", 150203199001011234.0, None, _ID + "\n" + _ID, _ID[:-1] + "é"],
    "考场号": [-1, None, True, " 2 ", "考场", 2.5, ""],
    "座位号": ["1", 0, 2.5, None, True, float("nan"), float("inf")],
    "场次": ["X", 1, "S3"],
    "考点": [],
}
HEADER = list(_PLAIN)


def _parse(rows):
    return parse_roster("r.xlsx", [SheetInput("考生名单", False, rows)], today=TODAY, sessions=SESSIONS)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.fixed_dictionaries({f: st.sampled_from(v) for f, v in _PLAIN.items()}),
                          st.dictionaries(st.sampled_from([f for f, v in _ODD.items() if v]), st.integers(0, 99), max_size=1)),
                min_size=1, max_size=8),
       st.sampled_from([HEADER, HEADER[1:], HEADER[:7], [HEADER[1], HEADER[4], HEADER[2], HEADER[5], HEADER[6]]]))
def test_the_columns_agree_with_the_rows(specs, header):
    """Plain sheets, and plain sheets with an odd cell or two: entries and problems exactly as parse_row gives them."""
    rows = [header]
    for plain, odd in specs:
        cells = {**plain, **{field: _ODD[field][i % len(_ODD[field])] for field, i in odd.items()}}
        rows.append([cells[h] for h in header])
    by_columns = _parse(rows)
    try:
        roster._Parser.plain_columns = roster._Parser.inline_plain_rows = False
        by_rows = _parse(rows)
    finally:
        roster._Parser.plain_columns = roster._Parser.inline_plain_rows = True
    assert by_columns.entries == by_rows.entries
    assert by_columns.problems == by_rows.problems


@pytest.mark.parametrize("extra", [[], [[None] * 9], [["合计", None, None, None, None, None, None, None, None]]])
def test_a_plain_sheet_is_taken_column_by_column(extra, monkeypatch):
    """The agreement above would hold trivially if the column-wise check never took a sheet; a footer or a blank
    line under the table leaves it to the rows."""
    rows = [HEADER, *[[i, f"21100101{i:02d}", "张三", None, synthetic_id("20000229" if i % 2 else "19900101", i),
                       "001", i, "S1", "一中"] for i in range(1, 21)], *extra]
    taken = []
    original = roster_columns.plain_entries
    monkeypatch.setattr(roster, "plain_entries", lambda *a: taken.append(original(*a)) or taken[-1])
    parsed = _parse(rows)
    assert (taken[0] is not None) == (not extra)
    assert parsed.errors == [] and [e.row for e in parsed.entries] == list(range(2, 22))
