"""Voiding: needs the PIN, keeps both events, and lets the candidate be admitted again."""

import pytest
from sqlalchemy import select

from examops.adapters.store import schema
from examops.services.audit import verify
from examops.services.corrections import CorrectionRefused, void_event
from examops.services.gate import Lane
from tests.conftest import TEST_PIN


def test_void_an_admission_then_admit_again(seeded_site):
    lane = Lane(seeded_site, "A", "s")
    ticket = seeded_site.people[0].ticket
    first = lane.check(ticket, session_id="S1")
    void_event(seeded_site, first.event_id, reason="scanned the wrong candidate", by="王总", pin=TEST_PIN)
    from examops.services.counters import session_counters

    with seeded_site.store.read() as conn:
        assert session_counters(conn, "S1").admitted == 0  # the voided admission no longer counts
    again = lane.check(ticket, session_id="S1")
    assert again.verdict == "admitted" and again.event_id != first.event_id
    assert lane.check(ticket, session_id="S1").verdict == "duplicate"
    assert verify(seeded_site).ok


def test_wrong_pin_is_refused_and_logged(seeded_site):
    first = Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1")
    with pytest.raises(CorrectionRefused, match="wrong PIN"):
        void_event(seeded_site, first.event_id, reason="x", by="someone", pin="0000")
    with seeded_site.store.read() as conn:
        kinds = [k for (k,) in conn.execute(select(schema.events.c.kind))]
    assert "pin_refused" in kinds and "voided" not in kinds


def test_voiding_twice_is_refused(seeded_site):
    first = Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1")
    void_event(seeded_site, first.event_id, reason="x", by="王总", pin=TEST_PIN)
    with pytest.raises(CorrectionRefused, match="already void"):
        void_event(seeded_site, first.event_id, reason="x", by="王总", pin=TEST_PIN)
