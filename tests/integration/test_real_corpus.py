"""Every file of the shared real-world corpus imports or is refused in words a clerk can act on (skips without it)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examops.adapters.excel_in import UnreadableFile, read_workbook
from examops.domain.roster import parse_rosters
from tests.support.real_files import CORPUS, clerk_grade, corpus_manifest

MANIFEST = corpus_manifest()
pytestmark = pytest.mark.skipif(not MANIFEST, reason=f"the real-file corpus is not at {CORPUS}")
# Files a mainstream reader opens and that must therefore be read, never refused (the iso-8859-1 CSV is refused on purpose).
READABLE = [row["file"] for row in MANIFEST if row["expect"] == "ok" and not row["file"].endswith("iso88591.csv")]


@pytest.mark.parametrize("name", [row["file"] for row in MANIFEST] or ["-"])
def test_corpus_file_imports_or_is_refused_clearly(name):
    path = CORPUS / name
    try:
        content = read_workbook(path)
    except UnreadableFile as refusal:
        assert clerk_grade(str(refusal)) == [], str(refusal)
        assert str(refusal).startswith(f"“{path.name}”")
        return
    parse_rosters([(path.name, content.sheets)], today=dt.date(2021, 10, 16))  # rows refused or imported, never raised


@pytest.mark.parametrize("name", READABLE or ["-"])
def test_files_a_mainstream_reader_opens_are_read(name):
    read_workbook(CORPUS / name)


def test_encrypted_corpus_files_are_refused_as_password_protected():
    encrypted = [row["file"] for row in MANIFEST if row["expect"] == "encrypted"]
    assert len(encrypted) >= 8
    for name in encrypted:
        with pytest.raises(UnreadableFile) as caught:
            read_workbook(CORPUS / name)
        assert caught.value.reason == "encrypted", name


def test_the_file_that_panicked_calamine_is_refused_as_damaged():
    """Before: pyo3_runtime.PanicException ("index out of bounds: the len is 0 but the index is 0") escaped as a traceback."""
    name = "ExcelDataReader+ExcelDataReader/c04bb9cf_Test_git_issue_467_empty_continue_leftoverbytes.xls"
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(CORPUS / name)
    assert caught.value.reason == "damaged"
    assert "legacy Excel workbook (.xls)" in str(caught.value)


def _peak_of_reading(path: Path) -> dict:
    """Read ``path`` in a fresh interpreter; its peak RSS and its reader child's, in MB."""
    code = (
        "import json, resource, sys\n"
        "from examops.adapters.excel_in import UnreadableFile, read_workbook\n"
        "try:\n    outcome = read_workbook(sys.argv[1]).kind\n"
        "except UnreadableFile as refusal:\n    outcome = refusal.reason\n"
        # VmHWM, not ru_maxrss: the latter keeps the RSS this process had as a fork of pytest, before exec.
        "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(json.dumps({'outcome': outcome,"
        " 'self_mb': hwm / 1024,"
        " 'child_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_42_kb_xls_that_took_1_3_gb_stays_bounded():
    """Before: calamine took 1.3 GB of memory for 6 s on this 41,984-byte file."""
    path = CORPUS / "apache+poi/e8b99584_51535.xls"
    measured = _peak_of_reading(path)
    assert measured["self_mb"] < 200 and measured["child_mb"] < 600, measured
