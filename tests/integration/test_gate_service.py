"""The lane service: verdicts, durability order, duplicates, late entry, evidence rules."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.domain.scan import ticket_qr_payload
from examops.services.gate import Lane
from tests.conftest import at_local


def count(site, table) -> int:
    with site.store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_clean_candidate_is_admitted_to_their_seat(seeded_site):
    person = seeded_site.people[0]
    verdict = Lane(seeded_site, "A", "staff1").check(person.ticket, session_id="S1")
    assert verdict.verdict == "admitted"
    assert verdict.recorded and verdict.event_id
    assert (verdict.card.room, verdict.card.seat) == ("001", 1)
    assert count(seeded_site, schema.admissions) == 1


def test_second_scan_anywhere_is_duplicate_with_first_lane(seeded_site):
    person = seeded_site.people[5]
    first = Lane(seeded_site, "A", "staff1").check(person.ticket, session_id="S1")
    second = Lane(seeded_site, "B", "staff2").check(person.id_number, session_id="S1")
    assert first.verdict == "admitted"
    assert second.verdict == "duplicate"
    assert (second.first_lane, second.first_at, second.first_staff) == ("A", first.at, "staff1")
    assert second.recorded  # the attempt itself is logged as a possible impersonation
    assert count(seeded_site, schema.admissions) == 1


def test_sessions_are_independent(seeded_site):
    person = seeded_site.people[1]
    lane = Lane(seeded_site, "A", "s")
    assert lane.check(person.ticket, session_id="S1").verdict == "admitted"
    at_local(seeded_site, "2021-10-16T13:40")
    assert lane.check(person.ticket, session_id="S2").verdict == "admitted"


def test_qr_payload_and_id_number_find_the_candidate(seeded_site):
    lane = Lane(seeded_site, "A", "s")
    assert lane.check(ticket_qr_payload(seeded_site.people[2].ticket), session_id="S1").card.ticket == seeded_site.people[2].ticket
    assert lane.check(seeded_site.people[3].id_number.lower(), session_id="S1").card.ticket == seeded_site.people[3].ticket


def test_unknown_ticket_suggests_near_matches(seeded_site):
    ticket = seeded_site.people[7].ticket
    typo = ticket[:6] + ticket[7:]  # one digit dropped
    verdict = Lane(seeded_site, "A", "s").check(typo, session_id="S1")
    assert verdict.verdict == "unknown"
    assert ticket in [s.ticket for s in verdict.suggestions]


@pytest.mark.parametrize("garbage", ["", "   ", "\x00\x01\x02", "x" * 10_000, "'; DROP TABLE events; --",
                                     "1 OR 1=1", "\ufffd\ufffd", "abc\x1b[2J", "１２３"])
def test_scanner_garbage_is_invalid_or_unknown_never_a_crash(seeded_site, garbage):
    verdict = Lane(seeded_site, "A", "s").check(garbage, session_id="S1")
    assert verdict.verdict in ("invalid", "unknown")
    assert count(seeded_site, schema.admissions) == 0


def test_scan_after_the_cutoff_is_late_and_denied(seeded_site):
    at_local(seeded_site, "2021-10-16T09:01")
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1")
    assert (verdict.verdict, verdict.code) == ("denied", "late")
    assert count(seeded_site, schema.admissions) == 0


def test_scan_just_before_the_cutoff_is_admitted(seeded_site):
    at_local(seeded_site, "2021-10-16T08:59:59")
    assert Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1").verdict == "admitted"


def test_no_certificate_is_held_for_backup_room_and_blocks_plain_admission(seeded_site):
    lane = Lane(seeded_site, "A", "s")
    ticket = seeded_site.people[0].ticket
    held = lane.check(ticket, session_id="S1", outcome="no_test_cert")
    assert (held.verdict, held.action) == ("exception", "backup_room")
    again = lane.check(ticket, session_id="S1")
    assert again.verdict == "exception"  # a plain scan does not bypass the hold
    assert count(seeded_site, schema.admissions) == 0


def test_certificate_within_48_hours_admits(seeded_site):
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1", outcome="no_test_cert",
                                                evidence={"sampled_at": "2021-10-14 09:00"})
    assert verdict.verdict == "admitted"


def test_certificate_older_than_48_hours_is_held(seeded_site):
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1", outcome="no_test_cert",
                                                evidence={"sampled_at": "2021-10-14 08:29"})
    assert (verdict.verdict, verdict.action) == ("exception", "backup_room")


def test_fever_retest_decides(seeded_site):
    lane = Lane(seeded_site, "A", "s")
    a, b = seeded_site.people[0].ticket, seeded_site.people[1].ticket
    first = lane.check(a, session_id="S1", outcome="fever", evidence={"temp1": "37.6"})
    assert (first.verdict, first.action) == ("exception", "hold")
    normal = lane.check(a, session_id="S1", outcome="fever", evidence={"temp1": "37.6", "temp2": "36.9"})
    assert normal.verdict == "admitted"
    high = lane.check(b, session_id="S1", outcome="fever", evidence={"temp1": "38.1", "temp2": "37.9"})
    assert (high.verdict, high.action) == ("exception", "isolation_room")


def test_wrong_session_when_not_seated(seeded_site):
    from sqlalchemy import delete

    ticket = seeded_site.people[0].ticket
    with seeded_site.store.write() as conn:
        conn.execute(delete(schema.seats).where(schema.seats.c.ticket == ticket, schema.seats.c.session_id == "S2"))
    at_local(seeded_site, "2021-10-16T13:40")
    assert Lane(seeded_site, "A", "s").check(ticket, session_id="S2").verdict == "wrong_session"


def test_unknown_outcome_code_is_invalid_not_recorded(seeded_site):
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1", outcome="teleported")
    assert verdict.verdict == "invalid" and not verdict.recorded
