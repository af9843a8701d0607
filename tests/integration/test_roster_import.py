"""Roster import through the service and the CLI: all or nothing, precise reports, re-imports."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from examops import sample
from examops.adapters.store import schema
from examops.services.gate import Lane
from examops.services.roster import import_roster
from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN

SAMPLE_ROSTER = ROOT / "rosters" / "sample_roster.xlsx"
EXAMOPS = str(Path(sys.executable).parent / "examops")


def snapshot(site) -> dict:
    """Everything the roster tables and the log hold, to prove an import changed nothing."""
    with site.store.read() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all())) for t in
                (schema.candidates, schema.seats, schema.rooms, schema.events)}


def roster_file(tmp_path, people, name="roster.xlsx", **kw) -> Path:
    return sample.write_roster_xlsx(tmp_path / name, people, **kw)


def test_sample_roster_imports_every_candidate_into_both_sessions(site):
    report = import_roster(site, [SAMPLE_ROSTER])
    assert report.imported and not report.errors
    assert (report.candidates, len(report.rooms)) == (360, 12)
    with site.store.read() as conn:
        seats = conn.execute(select(schema.seats)).all()
        kinds = [row.kind for row in conn.execute(select(schema.events.c.kind))]
    assert len(seats) == 720
    # init enrolled the desk and logged the plan's digests; the import logs itself and the tables it set
    assert sorted(kinds) == ["device_enrolled", "plan_set", "plan_set", "roster_imported"]


def test_an_import_on_postgresql_leaves_fresh_planner_statistics(site):
    if site.store.is_sqlite:
        pytest.skip("planner statistics: PostgreSQL only")
    assert import_roster(site, [SAMPLE_ROSTER]).imported
    with site.store.read() as conn:
        counted = {name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar() for name in ("candidates", "seats")}
        planned = {name: conn.execute(text(f"SELECT reltuples FROM pg_class WHERE oid = '{name}'::regclass")).scalar()
                   for name in ("candidates", "seats")}
    assert planned == {name: float(rows) for name, rows in counted.items()}  # never analyzed: -1


def test_dry_run_checks_and_writes_nothing(site):
    before = snapshot(site)
    report = import_roster(site, [SAMPLE_ROSTER], dry_run=True)
    assert report.candidates == 360 and not report.imported
    assert snapshot(site) == before


def test_one_bad_cell_imports_nothing_and_names_the_cell(site, tmp_path):
    people = sample.synthetic_people(60)
    path = roster_file(tmp_path, people, rooms=2)
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[1]]
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 2).value == "准考证号")
    sheet.cell(header_row + 3, 5).value = people[32].id_number[:-1] + ("0" if people[32].id_number[-1] != "0" else "1")
    book.save(path)
    before = snapshot(site)
    report = import_roster(site, [path])
    assert not report.imported
    assert snapshot(site) == before
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == (sheet.title, header_row + 3, "E")


def test_errors_out_marks_the_bad_cells(site, tmp_path):
    people = sample.synthetic_people(30)
    path = roster_file(tmp_path, people, rooms=1)
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[0]]
    sheet.cell(3, 2).value = int(people[0].ticket)  # a ticket typed as a number
    book.save(path)
    out = tmp_path / "errors.xlsx"
    report = import_roster(site, [path], errors_out=out)
    assert report.errors and report.errors_out == [str(out)]
    marked = openpyxl.load_workbook(out)
    commented = [c for ws in marked.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert any(c.coordinate == "B3" for c in commented)


def test_reimport_updates_details_and_adds_candidates(site, tmp_path):
    people = sample.synthetic_people(40)
    import_roster(site, [roster_file(tmp_path, people[:30], name="a.xlsx", rooms=1)])
    renamed = [sample.Person(p.ticket, p.name + "华" if i == 0 else p.name, p.id_number, p.sex) for i, p in enumerate(people)]
    report = import_roster(site, [roster_file(tmp_path, renamed, name="b.xlsx", rooms=2)])
    assert report.imported and (report.added, report.updated) == (10, 1)
    with site.store.read() as conn:
        name = conn.execute(select(schema.candidates.c.name).where(schema.candidates.c.ticket == people[0].ticket)).scalar_one()
    assert name == people[0].name + "华"


def test_replace_refuses_to_drop_a_candidate_the_log_mentions(site, tmp_path):
    people = sample.synthetic_people(60)
    import_roster(site, [roster_file(tmp_path, people, name="a.xlsx", rooms=2)])
    Lane(site, "A", "s").check(people[-1].ticket, session_id="S1")
    before = snapshot(site)
    report = import_roster(site, [roster_file(tmp_path, people[:30], name="b.xlsx", rooms=1)], replace=True)
    assert not report.imported
    assert [p.code for p in report.errors] == ["drop-mentioned"]
    assert people[-1].ticket in report.errors[0].message
    assert snapshot(site) == before


def test_an_id_already_in_the_store_under_another_ticket_is_refused(site, tmp_path):
    people = sample.synthetic_people(31)
    import_roster(site, [roster_file(tmp_path, people[:30], name="a.xlsx", rooms=1)])
    stolen = [sample.Person(people[30].ticket, people[30].name, people[0].id_number, people[0].sex)]
    report = import_roster(site, [roster_file(tmp_path, stolen, name="b.xlsx", rooms=1)])
    assert "id-in-store" in {p.code for p in report.errors}
    assert not report.imported


def test_a_seat_taken_in_the_store_is_refused(site, tmp_path):
    people = sample.synthetic_people(31)
    import_roster(site, [roster_file(tmp_path, people[:30], name="a.xlsx", rooms=1)])
    newcomer = roster_file(tmp_path, people[30:], name="b.xlsx", rooms=1)  # seat 1 of room 001 again
    report = import_roster(site, [newcomer])
    assert {p.code for p in report.errors} == {"seat-in-store"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=1, max_value=70), seed=st.integers(min_value=0, max_value=10_000),
       per_room=st.booleans(), seats=st.integers(min_value=5, max_value=40))
def test_a_valid_roster_round_trips_exactly(tmp_path_factory, n, seed, per_room, seats):
    from examops.services.site import init_site

    folder = tmp_path_factory.mktemp("rt")
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{folder / 's.sqlite3'}", chief_pin=TEST_PIN)
    people = sample.synthetic_people(n, seed=seed)
    path = sample.write_roster_xlsx(folder / "r.xlsx", people, seats_per_room=seats, per_room_sheets=per_room)
    report = import_roster(site, [path])
    assert report.imported, [str(p) for p in report.errors]
    with site.store.read() as conn:
        stored = {r.ticket: (r.name, r.id_number, r.sex) for r in conn.execute(select(schema.candidates))}
        placed = {(r.ticket, r.room_id, r.seat) for r in conn.execute(select(schema.seats).where(schema.seats.c.session_id == "S1"))}
    assert stored == {p.ticket: (p.name, p.id_number, p.sex) for p in people}
    expected = {(s.person.ticket, f"{s.room:03d}", s.seat) for s in sample.seat_people(people, seats_per_room=seats)}
    assert placed == expected
    site.close()


def _cli(*args, env_home: Path, check=False):
    env = {"EXAMOPS_HOME": str(env_home), "EXAMOPS_PIN": TEST_PIN, "PATH": "/usr/bin:/bin", "EXAMOPS_CLOCK": "2021-10-16T08:10",
           "EXAMOPS_LANG": "en"}  # the sample plan speaks zh-CN; these tests read the English
    return subprocess.run([EXAMOPS, *args], capture_output=True, text=True, env=env, check=check)


def test_cli_import_json_status_and_find(tmp_path):
    home = tmp_path / "h"
    _cli("init", "--plan", str(SAMPLE_PLAN), env_home=home, check=True)
    result = _cli("roster", "import", str(SAMPLE_ROSTER), "--json", env_home=home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["candidates"] == 360
    status = json.loads(_cli("status", "--json", env_home=home, check=True).stdout)
    assert status["candidates"] == 360 and isinstance(status["candidates"], int)
    assert {"exam", "site", "sessions", "rooms", "events", "store"} <= status.keys()
    ticket = _first_ticket(home)
    found = json.loads(_cli("candidates", "find", "--json", ticket, env_home=home, check=True).stdout)
    assert found[0]["ticket"] == ticket and "*" in found[0]["id_number"]


def _first_ticket(home: Path) -> str:
    from examops.adapters.store import Store

    store = Store.open(f"sqlite:///{home / 'examops.sqlite3'}")
    with store.read() as conn:
        return conn.execute(select(schema.candidates.c.ticket).order_by(schema.candidates.c.ticket).limit(1)).scalar_one()


def test_cli_bad_file_exits_non_zero_and_leaves_store(tmp_path):
    home = tmp_path / "h"
    _cli("init", "--plan", str(SAMPLE_PLAN), env_home=home, check=True)
    pdf = tmp_path / "roster.xls"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = _cli("roster", "import", str(pdf), "--json", env_home=home)
    assert result.returncode != 0
    assert "is a PDF document" in result.stdout
    assert "Traceback" not in result.stderr
    assert json.loads(_cli("status", "--json", env_home=home, check=True).stdout)["candidates"] == 0


def test_cli_missing_file_is_a_clear_error(tmp_path):
    home = tmp_path / "h"
    _cli("init", "--plan", str(SAMPLE_PLAN), env_home=home, check=True)
    result = _cli("roster", "import", str(tmp_path / "nope.xlsx"), env_home=home)
    assert result.returncode == 2 and "nope.xlsx" in result.stderr and "Traceback" not in result.stderr


def test_init_with_a_malformed_plan_names_key_and_line(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(SAMPLE_PLAN.read_text(encoding="utf-8").replace('start = "08:30"', 'start = "half past eight"'), encoding="utf-8")
    result = _cli("init", "--plan", str(plan), env_home=tmp_path / "h")
    assert result.returncode == 2
    assert "sessions[0].start" in result.stderr and "line" in result.stderr


def test_rooms_listed_in_the_plan_are_the_only_rooms(tmp_path):
    from examops.services.site import init_site

    plan = tmp_path / "plan.toml"
    plan.write_text(SAMPLE_PLAN.read_text(encoding="utf-8") + '\n[[rooms]]\nid = "1"\nname = "第一考场"\n', encoding="utf-8")
    site = init_site(plan, url=f"sqlite:///{tmp_path / 's.sqlite3'}", chief_pin=TEST_PIN)
    people = sample.synthetic_people(40)
    report = import_roster(site, [roster_file(tmp_path, people, rooms=2)])
    assert not report.imported
    assert {p.code for p in report.errors} == {"room-not-in-plan"}
    assert {p.value for p in report.errors} == {"002"}
    assert import_roster(site, [roster_file(tmp_path, people[:30], name="one.xlsx", rooms=1)]).imported


def _plain_digests(conn) -> dict[str, str]:
    """The roster tables' digests read the plain way (SQLAlchemy rows), as the log's older entries were computed."""
    import hashlib

    from examops.domain.events import canonical_json

    def digest(value) -> str:
        return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()

    C, S = schema.candidates, schema.seats
    people = conn.execute(select(C.c.ticket, C.c.name, C.c.id_number, C.c.sex, C.c.site).order_by(C.c.ticket)).all()
    return {
        "candidates.tickets": digest([p.ticket for p in people]),
        "candidates.names": digest([[p.ticket, p.name] for p in people]),
        "candidates.id_numbers": digest([[p.ticket, p.id_number] for p in people]),
        "candidates.other": digest([[p.ticket, p.sex, p.site] for p in people]),
        "seats": digest([list(r) for r in conn.execute(select(S.c.session_id, S.c.ticket, S.c.room_id, S.c.seat)
                                                         .order_by(S.c.session_id, S.c.ticket))]),
    }


def test_the_logged_table_digests_equal_a_plain_reading_of_the_tables(site, tmp_path):
    """The import digests its own rows (into empty tables) or reads them straight from the driver (over a roster):
    either way they must be what `verify` and older logs computed from the tables."""
    from examops.adapters.store.digests import live_digests

    def logged_and_live() -> tuple[dict, dict, dict]:
        with site.store.read() as conn:
            payload = conn.execute(select(schema.events.c.payload).where(schema.events.c.kind == "plan_set")
                                   .order_by(schema.events.c.pos.desc())).scalars().first()
            return json.loads(payload)["digests"], live_digests(conn), _plain_digests(conn)

    people = sample.synthetic_people(40)
    people[3] = dataclasses.replace(people[3], name="Anna Müller")  # non-ASCII text, as json must write it
    assert import_roster(site, [roster_file(tmp_path, people, rooms=2)]).imported  # into empty tables
    for round_ in range(2):
        logged, live, plain = logged_and_live()
        assert {part: logged[part] for part in plain} == plain
        assert {part: live[part] for part in plain} == plain
        if round_ == 0:  # over the stored roster: one name changed, one candidate more
            people[5] = dataclasses.replace(people[5], name="王小明")
            people.append(sample.synthetic_people(41)[-1])
            assert import_roster(site, [roster_file(tmp_path, people, name="again.xlsx", rooms=2)]).imported


def test_a_path_given_as_dot_slash_imports(site, tmp_path, monkeypatch):
    """`roster import ./roster.xlsx` failed with a KeyError: the reader normalised the path the labels were keyed by."""
    roster_file(tmp_path, sample.synthetic_people(30), name="roster.xlsx", rooms=1)
    monkeypatch.chdir(tmp_path)
    report = import_roster(site, ["./roster.xlsx", "./roster.xlsx"])  # the same file twice: every ticket twice
    assert not report.imported and {p.code for p in report.errors} >= {"duplicate-ticket"}
    assert import_roster(site, ["./roster.xlsx"]).imported


def test_cli_refusal_of_a_file_read_ahead_speaks_the_site_language(tmp_path):
    """The CLI starts reading before it opens the site: a refusal must still come in the plan's language (zh-CN)."""
    import zipfile

    home = tmp_path / "h"
    _cli("init", "--plan", str(SAMPLE_PLAN), env_home=home, check=True)
    document = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"/>')
        archive.writestr("word/document.xml", "<document/>")
    env = {"EXAMOPS_HOME": str(home), "EXAMOPS_PIN": TEST_PIN, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([EXAMOPS, "roster", "import", f"./{document.name}"], capture_output=True, text=True, env=env,
                            cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "是 Word 文档" in result.stdout + result.stderr


def test_a_candidate_seated_in_a_backup_or_isolation_room_is_refused_once_at_the_cell(site, tmp_path):
    """Once per row: the check ran once per session, so a two-session plan said each refusal twice."""
    people = sample.synthetic_people(4)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["准考证号", "姓名", "身份证号", "考场号", "座位号"])
    for index, (person, room) in enumerate(zip(people, ["001", "B01", "001", "G01"])):
        sheet.append([person.ticket, person.name, person.id_number, room, index + 1])
    book.save(tmp_path / "rooms.xlsx")
    report = import_roster(site, [tmp_path / "rooms.xlsx"])
    assert not report.imported
    assert [(p.code, p.row, p.column, p.value) for p in report.errors] == [
        ("room-is-backup", 3, "D", "B01"), ("room-is-backup", 5, "D", "G01")]
    assert {p.message.split(",")[0] for p in report.errors} == {"room B01 is a backup room of the plan",
                                                                "room G01 is an isolation room of the plan"}
