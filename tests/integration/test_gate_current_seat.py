"""Where the candidate sits now: search, the gate card and the duplicate alarm follow the chief's reallocations and moves."""

from __future__ import annotations

from examops.domain.events import Kind
from examops.services import gate_view, lookup
from examops.services.gate import Lane
from examops.services.review import approve, duplicate_alarms
from examops.services.seating import move, reallocate
from tests.conftest import TEST_PIN


def reallocated(site):
    """One candidate screened to the backup room at lane A, approved up the chain, reallocated by the chief."""
    person = site.people[3]
    held = Lane(site, "A", "安检甲").check(person.ticket, outcome="no_test_cert")
    assert held.verdict == "exception"
    for level in site.plan.approval_levels:
        approve(site, [held.event_id], level=level, by="王总监", pin=TEST_PIN)
    moves = reallocate(site, "S1", by="王总监", pin=TEST_PIN).moves
    assert [m.ticket for m in moves] == [person.ticket]
    return person, moves[0], held


def test_search_shows_the_seat_now_and_where_it_came_from(seeded_site):
    person, where, _ = reallocated(seeded_site)
    [card] = gate_view.find_candidates(seeded_site, person.ticket, "S1")
    assert (card.current_room, card.current_seat) == (where.room, where.seat) == ("B01", 1)
    assert card.placement.describe() == f"B01-1, moved from {card.room}-{card.seat} by reallocation"
    assert card.state == "admitted"


def test_search_says_each_candidates_state_in_the_session(seeded_site):
    lane = Lane(seeded_site, "A", "s")
    people = seeded_site.people
    lane.check(people[0].ticket)
    lane.check(people[1].ticket, outcome="id_mismatch")
    lane.check(people[2].ticket, outcome="wrong_site")
    states = {}
    for person in people[:4]:
        [card] = gate_view.find_candidates(seeded_site, person.ticket, "S1")
        states[person.ticket] = card.state
    assert list(states.values()) == ["admitted", "held", "denied", "expected"]


def test_a_reallocated_candidate_at_the_gate_is_told_where_to_go_and_recorded_arrived(seeded_site):
    person, where, held = reallocated(seeded_site)
    verdict = Lane(seeded_site, "B", "安检乙").check(person.ticket)
    assert verdict.verdict == "arrived" and verdict.recorded
    assert (verdict.go_room, verdict.go_seat) == ("B01", 1)
    assert "moved from" in verdict.reason
    again = Lane(seeded_site, "C", "安检丙").check(person.ticket)  # a second pass now is a duplicate: it names the desk
    assert again.verdict == "duplicate"
    assert (again.first_lane, again.first_via, again.first_by) == (None, "reallocation", "王总监")
    with seeded_site.store.read() as conn:
        day_kinds = [e.kind for e in lookup.day_events(conn, "S1", person.ticket)]
    assert day_kinds.count(Kind.ARRIVED) == 1 and day_kinds.count(Kind.DUPLICATE) == 1
    [alarm] = duplicate_alarms(seeded_site, "S1")  # the chief's list names the desk too
    assert (alarm["first_lane"], alarm["first_via"], alarm["first_by"]) == (None, "reallocation", "王总监")


def test_a_candidate_moved_by_the_chief_after_admission_is_an_arrival_not_an_alarm(seeded_site):
    person = seeded_site.people[8]
    assert Lane(seeded_site, "A", "安检甲").check(person.ticket).verdict == "admitted"
    move(seeded_site, person.ticket, session="S1", room="B01", seat=5, by="王总监", pin=TEST_PIN, reason="换到靠门的座位")
    verdict = Lane(seeded_site, "B", "安检乙").check(person.ticket)
    assert (verdict.verdict, verdict.go_room, verdict.go_seat) == ("arrived", "B01", 5)
    again = Lane(seeded_site, "B", "安检乙").check(person.ticket)
    assert (again.verdict, again.first_lane, again.first_staff) == ("duplicate", "A", "安检甲")


def test_a_fever_verdict_sends_to_the_isolation_room_not_the_regular_seat(seeded_site):
    person = seeded_site.people[9]
    verdict = Lane(seeded_site, "A", "s").check(person.ticket, outcome="fever", evidence={"temp1": "38.2", "temp2": "38.1"})
    assert (verdict.verdict, verdict.action) == ("exception", "isolation_room")
    assert (verdict.go_kind, verdict.go_room) == ("isolation", "G01")
    assert verdict.go_room != verdict.card.room
    backup = Lane(seeded_site, "A", "s").check(seeded_site.people[10].ticket, outcome="no_test_cert")
    assert (backup.go_kind, backup.go_room) == ("backup", "B01")
    clean = Lane(seeded_site, "A", "s").check(seeded_site.people[11].ticket)
    assert (clean.go_room, clean.go_seat) == (clean.card.room, clean.card.seat)
