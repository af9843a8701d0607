"""`roster import --errors-out X.xlsx` with several files: one marked copy each, the names it prints, nothing overwritten."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from examops import sample
from tests.conftest import SAMPLE_PLAN, TEST_PIN

EXAMOPS = str(Path(sys.executable).parent / "examops")
PRINTED = re.compile(r"^marked copy of (?P<source>.+): (?P<copy>.+)$")


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXAMOPS_HOME": str(home), "EXAMOPS_PIN": TEST_PIN, "EXAMOPS_LANG": "en"}  # parses the English lines
    return subprocess.run([EXAMOPS, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def home(tmp_path) -> Path:
    home = tmp_path / "home"
    assert _cli(home, "init", "--plan", str(SAMPLE_PLAN)).returncode == 0
    return home


def _bad_roster(path: Path, people, row: int, room: int = 1) -> Path:
    """A one-room roster whose ticket in `row` is typed as a number (refused, never guessed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sample.write_roster_xlsx(path, people, rooms=1)
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[0]]
    for number in range(3, 3 + len(people)):
        sheet.cell(number, 6).value = f"{room:03d}"  # 考场号: each file its own room
    sheet.cell(row, 2).value = int(people[row - 3].ticket)
    book.save(path)
    return path


def _commented(path: Path) -> set[str]:
    """The cells carrying a comment in the roster sheets of a marked copy (the problem list sheet aside)."""
    book = openpyxl.load_workbook(path)
    return {c.coordinate for ws in book.worksheets[1:] for row in ws.iter_rows() for c in row if c.comment}


def _printed(stderr: str) -> dict[str, str]:
    return {m["source"]: m["copy"] for m in map(PRINTED.match, stderr.splitlines()) if m}


def test_several_files_each_get_their_own_copy_under_the_printed_name(home, tmp_path):
    people = sample.synthetic_people(90)
    inputs = {str(_bad_roster(tmp_path / "east" / "roster.xlsx", people[0:30], 3)): "B3",
              str(_bad_roster(tmp_path / "west" / "roster.xlsx", people[30:60], 5, room=2)): "B5",  # same name, same stem
              str(_bad_roster(tmp_path / "other.xlsx", people[60:90], 7, room=3)): "B7"}
    out = tmp_path / "out"
    out.mkdir()
    taken = out / "X-other.xlsx"
    taken.write_bytes(b"the office's own file")

    done = _cli(home, "roster", "import", *inputs, "--errors-out", str(out / "X.xlsx"))
    assert done.returncode == 2, done.stderr
    printed = _printed(done.stderr)
    assert set(printed) == set(inputs)
    written = {p for p in out.iterdir() if p != taken}
    assert written == {Path(c) for c in printed.values()} and len(written) == 3
    assert taken.read_bytes() == b"the office's own file"
    for source, cell in inputs.items():
        assert _commented(Path(printed[source])) == {cell}, source

    again = _cli(home, "roster", "import", *inputs, "--errors-out", str(out / "X.xlsx"), "--json")
    assert again.returncode == 2
    report = json.loads(again.stdout)
    assert len(report["errors_out"]) == 3 and not set(report["errors_out"]) & {str(p) for p in written}
    assert {c["file"]: c["copy"] for c in report["marked_copies"]}.keys() == inputs.keys()
    assert {p for p in out.iterdir()} == written | {taken} | {Path(c) for c in report["errors_out"]}
    for source, copy in ((c["file"], c["copy"]) for c in report["marked_copies"]):
        assert _commented(Path(copy)) == {inputs[source]}


def test_one_file_never_overwrites_an_existing_copy(home, tmp_path):
    path = _bad_roster(tmp_path / "roster.xlsx", sample.synthetic_people(30), 4)
    wished = tmp_path / "marked.xlsx"
    wished.write_bytes(b"yesterday's marked copy")
    done = _cli(home, "roster", "import", str(path), "--errors-out", str(wished))
    assert done.returncode == 2
    [(source, copy)] = _printed(done.stderr).items()
    assert source == str(path) and Path(copy).exists() and Path(copy) != wished
    assert wished.read_bytes() == b"yesterday's marked copy"
    assert _commented(Path(copy)) == {"B4"}


def test_an_unreadable_file_gets_no_copy_and_says_so(home, tmp_path):
    good = _bad_roster(tmp_path / "a.xlsx", sample.synthetic_people(30), 3)
    junk = tmp_path / "b.xlsx"
    junk.write_bytes(b"\x00not a workbook at all")
    out = tmp_path / "out"
    out.mkdir()
    done = _cli(home, "roster", "import", str(good), str(junk), "--errors-out", str(out / "X.xlsx"))
    assert done.returncode == 2
    assert _printed(done.stderr) == {str(good): str(out / "X-a.xlsx")}
    assert f"no marked copy of {junk}: it could not be read" in done.stderr
    assert list(out.iterdir()) == [out / "X-a.xlsx"]
