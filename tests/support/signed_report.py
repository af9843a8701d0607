"""A freshly signed S1 report of a SQLite site, for the tests that edit or verify the workbook."""

from __future__ import annotations

from pathlib import Path

from examops.services.gate import Lane
from examops.services.report import build_report
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster


def signed_report(folder: Path, admitted: int = 10) -> Path:
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{folder / 'store.sqlite3'}", chief_pin=TEST_PIN)
    lane = Lane(site, "A", "张三")
    for person in seed_roster(site)[:admitted]:
        assert lane.check(person.ticket).recorded
    out = folder / "S1.xlsx"
    build_report(site, session_ids=["S1"], out=out, pin=TEST_PIN)
    site.close()
    return out
