"""A first roster import on a SQLite store runs without SQLAlchemy (`services.plain_roster`) and writes what the
full path writes; every other store goes to the full path with nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from examops import sample
from examops.adapters.plain_roster_store import NotHere, PlainRosterStore
from examops.adapters.store import Store, schema
from examops.services.roster import import_roster
from examops.services.site import Site, init_site
from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN

SAMPLE_ROSTER = ROOT / "rosters" / "sample_roster.xlsx"
ENV = {"EXAMOPS_PIN": TEST_PIN, "PATH": "/usr/bin:/bin", "EXAMOPS_CLOCK": "2021-10-16T08:10", "EXAMOPS_LANG": "en"}
# The CLI in a fresh interpreter that says, after the command, whether SQLAlchemy was ever imported.
CLI = ("import sys\nfrom examops.cli import main\ntry:\n    sys.exit(main(sys.argv[1:], standalone_mode=False))\nfinally:\n"
       "    print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr)\n")


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True,
                          env={**ENV, "EXAMOPS_HOME": str(home)})


def _init(home: Path) -> str:
    assert _cli(home, "init", "--plan", str(SAMPLE_PLAN)).returncode == 0
    return f"sqlite:///{home / 'examops.sqlite3'}"


def _tables(url: str) -> dict:
    """The roster tables' rows and the log's events after `init`'s (kind, sequence, payload, signed, linked)."""
    store = Store.open(url)
    try:
        with store.read() as conn:
            tables = {t.name: sorted(map(tuple, conn.execute(select(t)).all()))
                      for t in (schema.candidates, schema.seats, schema.rooms, schema.sessions)}
            E = schema.events.c
            events = conn.execute(select(E.kind, E.device_seq, E.payload, E.signature, E.prev_hash, E.hash)
                                  .order_by(E.pos)).all()
    finally:
        store.close()
    tables["events"] = [(e.kind, e.device_seq, json.loads(e.payload), bool(e.signature)) for e in events]
    tables["linked"] = all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:]))
    return tables


def _full_path_import(url: str, path: Path) -> None:
    site = Site.open(url)
    try:
        assert import_roster(site, [path]).imported
    finally:
        site.close()


@pytest.mark.parametrize("rows", [360, 5_100])  # below and above the bulk load's threshold (indexes rebuilt after)
def test_a_first_import_without_sqlalchemy_writes_what_the_full_path_writes(tmp_path, rows):
    path = SAMPLE_ROSTER if rows == 360 else sample.write_roster_xlsx(
        tmp_path / "big.xlsx", sample.synthetic_people(rows), seats_per_room=30, per_room_sheets=False)
    plain_url, full_url = _init(tmp_path / "plain"), _init(tmp_path / "full")
    done = _cli(tmp_path / "plain", "roster", "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert "SQLALCHEMY False" in done.stderr
    assert json.loads(done.stdout)["added"] == rows
    _full_path_import(full_url, path)
    plain, full = _tables(plain_url), _tables(full_url)
    assert [kind for kind, *_ in plain["events"]][-2:] == ["roster_imported", "plan_set"]
    assert plain["linked"] and all(signed for *_, signed in plain["events"])
    for tables in (plain, full):  # each store's own key and PIN hash: as its init logged them
        own = {"site_key", "chief_pin"}
        first, last = (next(p for kind, _seq, p, _ in order if kind == "plan_set") for order in
                       (tables["events"], reversed(tables["events"])))
        assert {k: last["digests"][k] for k in own} == {k: first["digests"][k] for k in own}
        for *_, payload, _signed in tables["events"][-1:]:
            payload["digests"] = {k: v for k, v in payload["digests"].items() if k not in own}
        tables["events"] = tables["events"][-2:]  # init's events differ: each store has its own keys
    assert plain == full  # same rows; same events, payloads (files' and tables' digests), sequence numbers
    verified = _cli(tmp_path / "plain", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_reimport_goes_to_the_full_path_and_changes_nothing(tmp_path):
    home = tmp_path / "h"
    url = _init(home)
    assert _cli(home, "roster", "import", str(SAMPLE_ROSTER)).returncode == 0
    before = _tables(url)
    again = _cli(home, "roster", "import", str(SAMPLE_ROSTER), "--json")
    assert again.returncode == 0, again.stderr
    assert "SQLALCHEMY True" in again.stderr  # a roster in the store: checked against it on the full path
    assert json.loads(again.stdout)["unchanged"] == 360
    after = _tables(url)
    assert {k: v for k, v in after.items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}


def test_a_bad_file_and_a_dry_run_write_nothing_without_sqlalchemy(tmp_path):
    home = tmp_path / "h"
    url = _init(home)
    before = _tables(url)
    people = sample.synthetic_people(40)
    bad = sample.write_roster_xlsx(tmp_path / "bad.xlsx", people, rooms=2)
    book = openpyxl.load_workbook(bad)
    sheet = book.worksheets[0]
    header = next(row for row in sheet.iter_rows() if any("身份证" in str(c.value or "") for c in row))
    id_column = next(c.column_letter for c in header if "身份证" in str(c.value or ""))
    sheet[f"{id_column}{header[0].row + 3}"] = "110105194912310021"  # a wrong check digit
    book.save(bad)
    refused = _cli(home, "roster", "import", str(bad), "--json")
    assert refused.returncode != 0 and "SQLALCHEMY False" in refused.stderr
    problems = json.loads(refused.stdout)["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors and all(p["file"] == "bad.xlsx" and p["sheet"] and p["row"] and p["column"] for p in errors)
    dry = _cli(home, "roster", "import", str(SAMPLE_ROSTER), "--dry-run", "--json")
    assert dry.returncode == 0 and "SQLALCHEMY False" in dry.stderr
    assert json.loads(dry.stdout)["candidates"] == 360
    assert _tables(url) == before


def test_the_plain_store_refuses_a_load_over_a_roster_and_rolls_back(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN).close()
    _full_path_import(url, SAMPLE_ROSTER)
    before = _tables(url)
    store = PlainRosterStore.open(url)
    try:
        assert not store.roster_empty()
        with pytest.raises(NotHere), store.load():
            pytest.fail("a load over a stored roster must not begin")
    finally:
        store.close()
    assert _tables(url) == before


def test_a_store_the_quick_check_finds_damaged_goes_to_the_full_path_untouched(tmp_path, monkeypatch):
    """The full path refuses a damaged store in its words (dry run or not); the plain path never writes into one."""
    from examops.adapters import quick_check
    from examops.services.plain_roster import import_plain
    from examops.services.roster_files import RosterFiles

    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN).close()
    before = _tables(url)
    with RosterFiles([SAMPLE_ROSTER]) as files:  # a sound store: the dry run is answered here
        answered = import_plain(url, [SAMPLE_ROSTER], files, dry_run=True, replace=False, errors_out=None, progress=None,
                                opened=lambda site: None)
    assert answered is not None and answered[1].candidates == 360
    monkeypatch.setattr(quick_check.QuickCheck, "_run", lambda self: setattr(self, "_result", ["*** page 7 is damaged"]))
    opened = []
    for dry_run in (True, False):
        with RosterFiles([SAMPLE_ROSTER]) as files:
            assert import_plain(url, [SAMPLE_ROSTER], files, dry_run=dry_run, replace=False,
                                errors_out=None, progress=None, opened=opened.append) is None
    assert _tables(url) == before
