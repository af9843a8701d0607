"""A refused roster's problems on a terminal mask the ID numbers they quote, as the gate does; the marked copy keeps them.

The --errors-out copy is a copy of the clerk's own roster, which holds every number in full already, and the clerk
needs the full value to find and fix the cell: it is neither a screen nor a bureau report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from examops.domain import idnumber
from examops.domain.roster import PROBLEMS_SHEET
from tests.conftest import SAMPLE_PLAN, TEST_PIN
from tests.support.id_rosters import bad_id_roster, headerless_roster

EXAMOPS = str(Path(sys.executable).parent / "examops")


def _cli(home: Path, *args: str, lang: str = "zh-CN") -> subprocess.CompletedProcess:
    env = {**os.environ, "EXAMOPS_HOME": str(home), "EXAMOPS_PIN": TEST_PIN, "EXAMOPS_LANG": lang}
    return subprocess.run([EXAMOPS, *args], capture_output=True, text=True, env=env, timeout=120)


def test_the_cli_masks_the_id_numbers_of_a_refused_roster_in_words_and_json(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "init", "--plan", str(SAMPLE_PLAN)).returncode == 0
    path, secrets = bad_id_roster(tmp_path / "roster.xlsx")
    for lang in ("zh-CN", "en"):
        done = _cli(home, "roster", "import", str(path), lang=lang)
        assert done.returncode == 2, done.stderr
        said = done.stdout + done.stderr
        assert said.count("\n") >= 5, said
        for secret in secrets:
            assert secret not in said, (lang, secret, said)
        assert idnumber.mask(secrets[0]) in said and idnumber.mask(secrets[1]) in said
    done = _cli(home, "roster", "import", str(path), "--json", "--errors-out", str(tmp_path / "marked.xlsx"))
    problems = json.loads(done.stdout)["problems"]
    for secret in secrets:
        assert secret not in done.stdout, secret
    assert all("*" in p["value"] for p in problems if p["header"] == "身份证号"), problems  # every ID cell's problem
    codes = {p["code"] for p in problems}
    assert {"id-checksum", "duplicate-id", "number-cell", "id-birth-date", "id-format"} <= codes
    assert any("校验码" in p["message"] for p in problems)  # still the site's language

    marked = openpyxl.load_workbook(tmp_path / "marked.xlsx")[PROBLEMS_SHEET]
    values = {str(c.value) for row in marked.iter_rows() for c in row if c.value is not None}
    assert secrets[0] in values and secrets[1] in values  # the clerk's own file keeps the numbers to fix


def test_a_sheet_without_a_header_is_refused_without_showing_the_numbers_it_quotes(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "init", "--plan", str(SAMPLE_PLAN)).returncode == 0
    path, secrets = headerless_roster(tmp_path / "roster.xlsx")
    done = _cli(home, "roster", "import", str(path))
    assert done.returncode == 2 and "表头" in done.stderr, done.stderr
    for secret in secrets:
        assert secret not in done.stdout + done.stderr, (secret, done.stderr)
    assert idnumber.mask(secrets[0]) in done.stderr
