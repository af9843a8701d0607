"""Byte-mutated real workbooks: every reader failure is a clerk-grade refusal, never a traceback or a crash.

CI runs a bounded number of examples; a longer run by hand:

    EXAMOPS_FUZZ_EXAMPLES=3000 python -m pytest -q tests/integration/test_reader_fuzz.py --hypothesis-seed=1
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examops.adapters.excel_in import UnreadableFile, read_workbook
from examops.domain.roster import parse_rosters
from tests.support.real_files import CORPUS, FIXTURES, clerk_grade

EXAMPLES = int(os.environ.get("EXAMOPS_FUZZ_EXAMPLES", "40"))
# Small real-producer rosters, plus a few small corpus files of other producers where the corpus is present.
_CORPUS_SEEDS = [
    "SheetJS+test_files/5ab330e5_write.xls",
    "SheetJS+test_files/d1cffc4d_write.xlsx",
    "roo-rb+roo/4c425fe9_dreimalvier.ods",
    "PHPOffice+PhpSpreadsheet/bb5acede_rootZipFiles.xlsx",
]
SEEDS = sorted(p for p in FIXTURES.iterdir() if p.suffix != ".md") + [CORPUS / n for n in _CORPUS_SEEDS if (CORPUS / n).exists()]
SEED_BYTES = [path.read_bytes() for path in SEEDS]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "zero-run"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "zero-run":
            data[at : at + draw(st.integers(1, 512))] = b"\x00" * draw(st.integers(1, 512))
    return bytes(data)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=mutated(), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv", ".et"]))
def test_mutated_workbook_is_read_or_refused_clearly(tmp_path_factory, data, suffix):
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"名单{suffix}"
    path.write_bytes(data)
    try:
        content = read_workbook(path)
    except UnreadableFile as refusal:
        assert clerk_grade(str(refusal)) == [], str(refusal)
        return
    parse_rosters([(path.name, content.sheets)], today=dt.date(2021, 10, 16))
