"""The reader child's answer comes in frames through a pipe (the parent loads one while the child writes the next);
whatever comes down the pipe, the parent reads the rows it was sent or refuses the file, and stays up."""

from __future__ import annotations

import io
import sys

import openpyxl
import pytest

from examops.adapters.excel_in import UnreadableFile, guard, read_workbook
from examops.adapters.excel_in.calamine_cells import ROWS_PER_FRAME, read_frames, read_outcome, write_outcome


def _workbook(path, rows: int):
    book = openpyxl.Workbook()
    book.active.append(["准考证号", "姓名"])
    for index in range(rows):
        book.active.append([f"2021{index:08d}", f"考生{index}"])
    book.create_sheet("第二页").append(["准考证号", "姓名"])
    book.save(path)
    return path


def test_rows_of_several_frames_and_sheets_come_back_whole(tmp_path):
    rows = ROWS_PER_FRAME * 2 + 5
    sheets = read_workbook(_workbook(tmp_path / "名单.xlsx", rows)).sheets
    assert [s.name for s in sheets] == ["Sheet", "第二页"]
    assert len(sheets[0].rows) == rows + 1 and sheets[0].rows[-1] == [f"2021{rows - 1:08d}", f"考生{rows - 1}"]
    assert sheets[1].rows == [["准考证号", "姓名"]]


def test_frames_round_trip_and_a_failure_carries_no_rows():
    sheets = [("一", False, [[str(i), i] for i in range(ROWS_PER_FRAME + 1)], [], frozenset()), ("二", True, [], [(1, 1, 1, 2)], frozenset())]
    out = io.BytesIO()
    write_outcome(("ok", (sheets, True)), out)
    assert read_outcome(out.getvalue()) == ("ok", (sheets, True))
    out = io.BytesIO()
    write_outcome(("error", "XmlError: bad"), out)
    assert read_outcome(out.getvalue()) == ("error", "XmlError: bad")


@pytest.mark.parametrize("answer", [
    b"M" + (2**62).to_bytes(8, "little"),  # a frame longer than the child could hold: not allocated
    b"Z" + (4).to_bytes(8, "little") + b"abcd",  # not a tag the child writes
    b"M" + (100).to_bytes(8, "little") + b"short",  # cut inside a frame
    b"",  # nothing at all
])
def test_an_answer_that_is_not_one_is_refused(answer):
    with pytest.raises((ValueError, EOFError)):
        read_frames(io.BytesIO(answer).read, 1 << 20)


@pytest.mark.parametrize("code, reason", [
    ("import sys; sys.stdout.buffer.write(b'M' + (2**62).to_bytes(8, 'little')); sys.stdout.flush(); import time; time.sleep(30)",
     "damaged"),  # the parent does not wait for a child whose answer it cannot read
    ("import os, sys; sys.stdout.buffer.write(b'M' + (10**6).to_bytes(8, 'little') + b'x' * 1000); sys.stdout.flush(); os.abort()",
     "memory"),  # died part-way through its answer, as on a failed allocation
])
def test_a_child_with_a_bad_answer_is_refused_and_the_parent_lives(tmp_path, monkeypatch, code, reason):
    path = _workbook(tmp_path / "r.xlsx", 1)
    monkeypatch.setattr(guard, "child_command", lambda path, limit, mode: [sys.executable, "-c", code])
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(path)
    assert caught.value.reason == reason
