"""An insider edits the SQLite file with sqlite3 itself; the report then signs nothing, and the cheap check says so.

Each tampering test fails on main: there `examops report` signed whatever the store held.
"""

from __future__ import annotations

import sqlite3

import pytest

from examops.adapters import signing
from examops.services.audit import verify
from examops.services.gate import Lane
from examops.services.report import ReportRefused, build_report
from examops.services.site import init_site
from examops.services.tamper_check import check_store
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster


@pytest.fixture
def sqlite_site(tmp_path):
    """A site on a real SQLite file, 120 candidates, a few admissions through lane A."""
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{tmp_path / 'store.sqlite3'}", chief_pin=TEST_PIN)
    site.people = seed_roster(site)
    site.lane = Lane(site, "A", "s", device="dev-A")
    for person in site.people[:6]:
        site.lane.check(person.ticket, session_id="S1")
    yield site
    site.close()


def insider(site, *statements: str, params: tuple = ()) -> None:
    """Run SQL on the store file as anyone who can write it does: sqlite3, the append-only triggers dropped first."""
    db = sqlite3.connect(site.store.path)
    try:
        db.execute("DROP TRIGGER IF EXISTS events_no_update")
        db.execute("DROP TRIGGER IF EXISTS events_no_delete")
        for statement in statements:
            db.execute(statement, params if "?" in statement else ())
        db.commit()
    finally:
        db.close()


def _dev_a_positions(site) -> list[int]:
    db = sqlite3.connect(site.store.path)
    try:
        return [pos for (pos,) in db.execute("SELECT pos FROM events WHERE device = 'dev-A' ORDER BY device_seq")]
    finally:
        db.close()


def _refused(site, out) -> str:
    with pytest.raises(ReportRefused) as refused:
        build_report(site, session_ids=["S1"], out=out, pin=TEST_PIN)
    assert not out.exists()
    return str(refused.value)


def test_a_clean_store_signs_and_its_check_stays_cheap(sqlite_site, tmp_path, monkeypatch):
    assert verify(sqlite_site).ok
    checked = []
    real_verify = signing.verify
    monkeypatch.setattr(signing, "verify", lambda *a: checked.append(a) or real_verify(*a))
    for person in sqlite_site.people[6:9]:
        sqlite_site.lane.check(person.ticket, session_id="S1")
    check = check_store(sqlite_site)
    assert check.ok and not check.full and check.new_events == 3
    assert len(checked) < 10  # the three new events and the enrolments, not the whole log
    result = build_report(sqlite_site, session_ids=["S1"], out=tmp_path / "S1.xlsx", pin=TEST_PIN)
    assert (tmp_path / "S1.xlsx").exists() and result["present"] == 9


def test_a_first_check_without_a_mark_verifies_everything(sqlite_site):
    check = check_store(sqlite_site)
    assert check.ok and check.full
    assert not check_store(sqlite_site).full  # the clean run left a mark


@pytest.mark.parametrize("edit", ["delete", "payload", "reorder", "truncate"])
def test_a_report_over_an_edited_log_is_refused(sqlite_site, tmp_path, edit):
    assert check_store(sqlite_site).ok  # a mark: what this laptop verified
    positions = _dev_a_positions(sqlite_site)
    statements = {
        "delete": [f"DELETE FROM admissions WHERE event_id = (SELECT id FROM events WHERE pos = {positions[2]})",
                   f"DELETE FROM events WHERE pos = {positions[2]}"],
        "payload": [f"UPDATE events SET payload = json_set(payload, '$.seat', 30) WHERE pos = {positions[2]}"],
        "reorder": [f"UPDATE events SET pos = -1 WHERE pos = {positions[1]}",
                    f"UPDATE events SET pos = {positions[1]} WHERE pos = {positions[3]}",
                    f"UPDATE events SET pos = {positions[3]} WHERE pos = -1"],
        "truncate": [f"DELETE FROM admissions WHERE event_id IN (SELECT id FROM events WHERE pos >= {positions[-2]})",
                     f"DELETE FROM events WHERE pos >= {positions[-2]}"],
    }[edit]
    insider(sqlite_site, *statements)
    words = _refused(sqlite_site, tmp_path / "S1.xlsx")
    assert "examops verify" in words and "no report was signed" in words
    check = check_store(sqlite_site)
    assert not check.ok
    assert any("dev-A" in str(finding) for finding in check.findings), check.findings


def test_a_report_over_an_edited_seat_is_refused_and_names_the_seat(sqlite_site, tmp_path):
    assert check_store(sqlite_site).ok
    person = sqlite_site.people[40]
    insider(sqlite_site, "UPDATE seats SET seat = 99 WHERE ticket = ? AND session_id = 'S2'", params=(person.ticket,))
    words = _refused(sqlite_site, tmp_path / "S1.xlsx")
    assert person.ticket in words and "session S2" in words


def test_verify_names_the_candidate_and_session_of_an_edited_seat(sqlite_site):
    """Fails on main, which said only "a candidate's room or seat differs"."""
    from examops.domain.idnumber import mask

    assert verify(sqlite_site).ok  # a clean verify keeps the seats as the log records them
    person = sqlite_site.people[40]
    insider(sqlite_site, "UPDATE seats SET seat = 99 WHERE ticket = ? AND session_id = 'S2'", params=(person.ticket,))
    [finding] = verify(sqlite_site).problems
    assert person.ticket in finding and mask(person.id_number) in finding and "session S2" in finding
    assert "seat 99" in finding and person.id_number not in finding


def test_without_a_kept_copy_an_edited_seat_is_still_found(sqlite_site):
    person = sqlite_site.people[40]
    insider(sqlite_site, "UPDATE seats SET seat = 99 WHERE ticket = ? AND session_id = 'S2'", params=(person.ticket,))
    [finding] = verify(sqlite_site).problems
    assert "room or seat" in finding


def test_an_edit_between_checks_is_found_although_nothing_was_written_since(sqlite_site):
    """The cheap check reads the rows verified before: no new event is needed to see an old one edited."""
    assert check_store(sqlite_site).ok
    insider(sqlite_site, "UPDATE events SET staff = 'x' WHERE device = 'dev-A' AND device_seq = 1")
    assert not check_store(sqlite_site).ok


def test_init_refuses_to_change_the_plan_over_a_deleted_event(sqlite_site, tmp_path):
    """Fails on main: init changed the plan and logged its record, the admin chain going on over the cut."""
    from examops.services.site import SiteError

    insider(sqlite_site, "DELETE FROM admissions WHERE event_id = (SELECT id FROM events WHERE device = 'dev-A' "
                         "AND device_seq = 2)", "DELETE FROM events WHERE device = 'dev-A' AND device_seq = 2")
    later = tmp_path / "plan.toml"
    later.write_text(SAMPLE_PLAN.read_text(encoding="utf-8").replace("late_entry_minutes = 30", "late_entry_minutes = 45", 1),
                     encoding="utf-8")
    db = sqlite3.connect(sqlite_site.store.path)
    before = db.execute("SELECT value FROM settings WHERE key = 'plan_toml'").fetchone()
    events_before = db.execute("SELECT count(*) FROM events").fetchone()
    db.close()
    with pytest.raises(SiteError) as refused:
        init_site(later, url=sqlite_site.store.url, chief_pin=TEST_PIN, over_edits=True)
    words = str(refused.value)
    assert "event log was changed" in words and "dev-A" in words and "examops verify" in words
    db = sqlite3.connect(sqlite_site.store.path)
    assert db.execute("SELECT value FROM settings WHERE key = 'plan_toml'").fetchone() == before
    assert db.execute("SELECT count(*) FROM events").fetchone() == events_before
    db.close()


def test_the_cheap_check_on_either_store(site):
    """SQLite and PostgreSQL alike: a clean log grows and stays proved cheaply; an edit is found."""
    from sqlalchemy import update

    from examops.adapters.store import schema
    from tests.support.tamper import drop_append_only

    site.people = seed_roster(site, n_rooms=2)
    lane = Lane(site, "A", "s", device="dev-A")
    for person in site.people[:4]:
        lane.check(person.ticket, session_id="S1")
    assert check_store(site).full
    lane.check(site.people[4].ticket, session_id="S1")
    again = check_store(site)
    assert again.ok and not again.full and again.new_events == 1
    with site.store.write() as conn:
        drop_append_only(conn)
        conn.execute(update(schema.events).where(schema.events.c.device == "dev-A", schema.events.c.device_seq == 2)
                     .values(staff="someone else"))
    found = check_store(site)
    assert not found.ok and any("seq 2" in str(f) for f in found.findings), found.findings


def test_a_store_not_written_since_its_check_is_not_read_again(sqlite_site, monkeypatch):
    """The file system's times and sizes say whether a byte was written: a quiet store's check reads nothing."""
    from examops.adapters.store import engine
    from examops.services import tamper_check

    monkeypatch.setattr(engine, "FRESH_NS", 0)  # the store counts as quiet at once (else: 2 s after its last write)
    assert check_store(sqlite_site).ok  # the mark, with the file's state
    reads = []
    real_digest = tamper_check.events_digest
    monkeypatch.setattr(tamper_check, "events_digest", lambda *a, **k: reads.append(1) or real_digest(*a, **k))
    assert check_store(sqlite_site).ok and not reads
    insider(sqlite_site, "UPDATE events SET staff = 'x' WHERE device = 'dev-A' AND device_seq = 1")
    assert not check_store(sqlite_site).ok
