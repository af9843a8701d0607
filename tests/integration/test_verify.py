"""`examops verify` finds every kind of tampering and says where."""

from __future__ import annotations

from sqlalchemy import delete, update

from examops.adapters.store import schema
from examops.services.audit import verify
from examops.services.gate import Lane
from tests.conftest import TEST_PIN
from tests.support.tamper import drop_append_only


def _scan_some(site, n=5):
    lane = Lane(site, "A", "s", device="dev-A")
    return [lane.check(p.ticket, session_id="S1") for p in site.people[:n]]


def test_untouched_log_verifies(seeded_site):
    _scan_some(seeded_site)
    report = verify(seeded_site)
    assert report.ok, report.problems
    assert report.devices["dev-A"] == 5


def test_edited_payload_is_found(seeded_site):
    verdicts = _scan_some(seeded_site)
    with seeded_site.store.write() as conn:
        drop_append_only(conn)
        conn.execute(update(schema.events).where(schema.events.c.id == verdicts[2].event_id).values(payload='{"room": "999"}'))
    report = verify(seeded_site)
    assert not report.ok
    assert any("seq 3" in p and "changed" in p for p in report.problems)


def test_removed_event_is_found(seeded_site):
    verdicts = _scan_some(seeded_site)
    with seeded_site.store.write() as conn:
        drop_append_only(conn)
        conn.execute(delete(schema.admissions).where(schema.admissions.c.event_id == verdicts[1].event_id))
        conn.execute(delete(schema.events).where(schema.events.c.id == verdicts[1].event_id))
    report = verify(seeded_site)
    assert any("missing" in p for p in report.problems)


def test_admission_without_guard_row_is_found(seeded_site):
    verdicts = _scan_some(seeded_site)
    with seeded_site.store.write() as conn:
        conn.execute(delete(schema.admissions).where(schema.admissions.c.event_id == verdicts[0].event_id))
    report = verify(seeded_site)
    assert any("guard was bypassed" in p for p in report.problems)


def test_the_events_table_refuses_update_and_delete(seeded_site):
    """The seatbelt: without dropping the triggers first, an edit or a delete of the log is refused."""
    import pytest
    from sqlalchemy.exc import DBAPIError

    verdicts = _scan_some(seeded_site, 2)
    for statement in (update(schema.events).where(schema.events.c.id == verdicts[0].event_id).values(payload="{}"),
                      delete(schema.events).where(schema.events.c.id == verdicts[0].event_id)):
        with pytest.raises(DBAPIError, match="append-only"):
            with seeded_site.store.engine.begin() as conn:
                conn.execute(statement)
    assert verify(seeded_site).ok


def test_a_signed_report_witnesses_the_chains_it_was_built_on(seeded_site, tmp_path):
    """Delete a chain's end and this laptop's witness file: the report signed earlier still names the cut."""
    import os

    from examops import locations
    from examops.services.report import build_report

    verdicts = _scan_some(seeded_site, 4)
    report_path = tmp_path / "S1.xlsx"
    build_report(seeded_site, session_ids=["S1"], out=report_path, pin=TEST_PIN)
    assert verify(seeded_site, [report_path]).ok
    with seeded_site.store.write() as conn:
        drop_append_only(conn)
        for verdict in verdicts[-2:]:
            conn.execute(delete(schema.admissions).where(schema.admissions.c.event_id == verdict.event_id))
            conn.execute(delete(schema.events).where(schema.events.c.id == verdict.event_id))
    os.remove(locations.witness_path(seeded_site.store_id))  # the laptop's own witness is gone too
    assert verify(seeded_site).ok  # with no witness left, a cut tail cannot be seen
    problems = verify(seeded_site, [report_path]).problems
    assert any("dev-A" in p and "S1.xlsx" in p and "removed" in p for p in problems), problems
