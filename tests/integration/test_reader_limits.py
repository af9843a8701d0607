"""Readers fail inside a limited child: a panic, an abort or a memory blow-up becomes a refusal, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from examops.adapters.excel_in import UnreadableFile, guard, read_workbook


def _far_cell_workbook(path):
    """5 KB on disk; calamine makes a dense grid up to the far corner (17 billion cells) and aborts."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "准考证号"
    workbook.active["XFD1048576"] = "x"
    workbook.save(path)
    return path


def test_a_far_cell_that_would_exhaust_memory_is_refused_and_the_importer_lives(tmp_path):
    path = _far_cell_workbook(tmp_path / "名单.xlsx")
    assert path.stat().st_size < 10_000
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(path)
    assert caught.value.reason == "memory"
    assert str(caught.value).startswith("“名单.xlsx” is an Excel workbook (.xlsx) that needs far more memory")


def test_the_reading_process_itself_stays_small_on_a_far_cell(tmp_path):
    path = _far_cell_workbook(tmp_path / "far.xlsx")
    code = (
        "import json, resource, sys\n"
        "from examops.adapters.excel_in import UnreadableFile, read_workbook\n"
        "try:\n    read_workbook(sys.argv[1])\nexcept UnreadableFile as e:\n    reason = e.reason\n"
        "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(json.dumps([reason, hwm // 1024,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024]))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    reason, own_mb, child_mb = json.loads(done.stdout)
    assert reason == "memory"
    assert own_mb < 200
    assert child_mb <= guard.address_limit(path.stat().st_size * 50) // 2**20


def test_a_panic_in_the_reader_child_is_a_damaged_refusal(tmp_path, monkeypatch):
    """A BaseException that is not an Exception (pyo3's PanicException) is reported, and worded as damage."""
    from examops.adapters.excel_in import calamine_cells

    class PanicException(BaseException):
        pass

    def panics(path):
        raise PanicException("index out of bounds: the len is 0 but the index is 0")

    monkeypatch.setattr(calamine_cells, "read", panics)
    status, detail = calamine_cells._child(str(tmp_path / "x.xlsx"), 2**31, "calamine")
    assert status == "panic" and "index out of bounds" in detail


def test_keyboard_interrupt_is_not_swallowed_by_the_child(tmp_path, monkeypatch):
    from examops.adapters.excel_in import calamine_cells

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(calamine_cells, "read", interrupted)
    with pytest.raises(KeyboardInterrupt):
        calamine_cells._child(str(tmp_path / "x.xlsx"), 2**31, "calamine")


def test_a_child_that_dies_is_refused_as_too_big_to_read(tmp_path, monkeypatch):
    path = tmp_path / "r.xlsx"
    openpyxl.Workbook().save(path)
    # What a Rust allocation failure does: abort the child (SIGABRT), with no word on stdout.
    monkeypatch.setattr(guard, "child_command", lambda path, limit, mode: [sys.executable, "-c", "import os; os.abort()"])
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(path)
    assert caught.value.reason == "memory"


@pytest.mark.parametrize("entry", ["", "absolute"])
def test_the_reader_child_never_imports_from_the_working_directory(tmp_path, monkeypatch, entry):
    """The child starts without `site` on this process's module path: the working directory (on that path as ""
    or as itself, as `python -m` puts it) is left out, so a folder there named like a package is not imported."""
    book = tmp_path / "book"
    book.mkdir()
    workbook = openpyxl.Workbook()
    workbook.active.append(["准考证号", "姓名"])
    workbook.active.append(["202100000001", "张三"])
    workbook.save(book / "名单.xlsx")
    here = tmp_path / "here"
    for name in ("examops", "python_calamine"):
        (here / name).mkdir(parents=True)
        (here / name / "__init__.py").write_text("raise SystemExit('imported from the working directory')\n")
    monkeypatch.chdir(here)
    monkeypatch.syspath_prepend(str(here) if entry == "absolute" else "")
    sheets = read_workbook(book / "名单.xlsx").sheets
    assert [row[:2] for row in sheets[0].rows[:2]] == [["准考证号", "姓名"], ["202100000001", "张三"]]
