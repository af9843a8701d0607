"""`Lane.check(hold_admission=True)`: a clean admission is shown, not written; checking again admits once."""

from __future__ import annotations

from sqlalchemy import select

from examops.adapters.store import schema
from examops.services.gate import Lane


def lane_events(site) -> list[tuple[str, str]]:
    with site.store.read() as conn:
        return [(row.kind, row.ticket) for row in conn.execute(
            select(schema.events.c.kind, schema.events.c.ticket).where(schema.events.c.lane.is_not(None)))]


def test_a_held_admission_writes_nothing_and_the_confirmed_check_admits_once(seeded_site):
    person = seeded_site.people[0]
    lane = Lane(seeded_site, "A", "安检员1")
    held = lane.check(person.ticket, session_id="S1", hold_admission=True)
    assert (held.verdict, held.recorded, held.event_id) == ("to_confirm", False, None)
    assert held.card.ticket == person.ticket and held.go_room == held.card.current_room
    assert lane_events(seeded_site) == []
    assert lane.check(person.ticket, session_id="S1").verdict == "admitted"
    again = lane.check(person.ticket, session_id="S1", hold_admission=True)
    assert again.verdict == "duplicate" and again.recorded  # an alarm is never held back
    assert lane_events(seeded_site) == [("admitted", person.ticket), ("duplicate_scan", person.ticket)]


def test_only_clean_admissions_are_held(seeded_site):
    fever, unknown = seeded_site.people[1], "99999999999999"
    lane = Lane(seeded_site, "A", "安检员1")
    assert lane.check(fever.ticket, session_id="S1", outcome="fever", evidence={"temp1": "38.5", "temp2": "38.4"},
                      hold_admission=True).recorded
    assert lane.check(unknown, session_id="S1", hold_admission=True).verdict == "unknown"
    assert [kind for kind, _ in lane_events(seeded_site)] == ["exception", "unknown_scan"]


def test_a_return_from_a_leave_is_held_for_the_face_like_the_first_entry(seeded_site):
    from examops.services.exits import record_exit

    person = seeded_site.people[2]
    lane = Lane(seeded_site, "A", "安检员1")
    assert lane.check(person.ticket, session_id="S1").verdict == "admitted"
    record_exit(seeded_site, person.ticket, session="S1", reason="如厕", final=False, by="监考员甲")
    held = lane.check(person.ticket, session_id="S1", hold_admission=True)
    assert (held.verdict, held.recorded) == ("to_confirm", False)
    assert held.card.state == "out" and held.go_room == held.card.current_room
    assert [kind for kind, _ in lane_events(seeded_site)] == ["admitted"]  # the leave is the desk's, not a lane's
    assert lane.check(person.ticket, session_id="S1").verdict == "returned"
    assert [kind for kind, _ in lane_events(seeded_site)] == ["admitted", "returned"]


def test_an_arrival_at_a_seat_the_chief_gave_is_held_for_the_face(seeded_site):
    from examops.services.seating import move
    from tests.conftest import TEST_PIN

    person = seeded_site.people[3]
    move(seeded_site, person.ticket, session="S1", room="B01", seat=1, by="王总监", pin=TEST_PIN, reason="desk broken")
    lane = Lane(seeded_site, "A", "安检员1")
    held = lane.check(person.ticket, session_id="S1", hold_admission=True)
    assert (held.verdict, held.recorded, held.go_room, held.go_seat) == ("to_confirm", False, "B01", 1)
    assert lane_events(seeded_site) == []
    assert lane.check(person.ticket, session_id="S1").verdict == "arrived"
