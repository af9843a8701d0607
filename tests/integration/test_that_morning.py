"""That morning, end to end through the services.

Dozens of rooms; a score of candidates without a 48-hour certificate held at
the gate, approved by the chief, the deputy and the supervision group, seated
in a 30-seat backup room (one too many: a room is opened on the spot); fever
cases in the isolation room with every other seat empty; a rejection, a
resolution and a manual move.
"""

from __future__ import annotations

import pytest

from examops.domain.reallocation import RoomSpace, SeatRequest, allocate
from examops.services.audit import verify
from examops.services.counters import session_counters
from examops.services.gate import Lane
from examops.services.review import ReviewRefused, approve, list_cases, pending_ids, reject, resolve
from examops.services.seating import Shortage, add_room, move, occupancy, plan_reallocation, reallocate
from tests.conftest import TEST_PIN, seed_roster

LEVELS = ("chief", "deputy", "supervisor")


@pytest.fixture
def big_site(site):
    site.people = seed_roster(site, n_rooms=36, seats=30)  # 1,080 candidates
    return site


def test_that_morning(big_site):
    site, people = big_site, big_site.people
    gate = Lane(site, "A", "安检员1")
    uncertified = people[:31]  # one more than backup room B01 holds
    for person in uncertified:
        verdict = gate.check(person.ticket, session_id="S1", outcome="no_test_cert")
        assert (verdict.verdict, verdict.action) == ("exception", "backup_room")
    feverish = people[100:118]  # 18 > 15 usable seats of the 30-seat isolation room
    for person in feverish:
        gate.check(person.ticket, session_id="S1", outcome="fever", evidence={"temp1": "38.2", "temp2": "37.9"})
    rejected, resolved = people[200], people[201]
    rejected_case = gate.check(rejected.ticket, session_id="S1", outcome="id_mismatch")
    resolved_case = gate.check(resolved.ticket, session_id="S1", outcome="no_test_cert")
    for person in people[300:400]:
        assert gate.check(person.ticket, session_id="S1").verdict == "admitted"

    # Nothing moves before the chain is complete.
    assert plan_reallocation(site, "S1").moves == []

    # The certificate arrives for one; one ID mismatch is rejected at the chief's level.
    resolve(site, resolved_case.event_id[:8], by="王总监", note="e-certificate shown, sampled 2021-10-15 10:00", pin=TEST_PIN)
    reject(site, rejected_case.event_id, by="王总监", reason="photo does not match: impersonation suspected", pin=TEST_PIN)

    # Approvals level by level, in order; the supervision group approves by phone, recorded by the chief.
    with pytest.raises(ReviewRefused, match="needs chief first"):
        approve(site, pending_ids(site, session="S1", level="chief")[:1], level="deputy", by="李副总", pin=TEST_PIN)
    for level, by in zip(LEVELS, ("王总监", "李副总", "省督导组 赵组长")):
        ids = pending_ids(site, session="S1", level=level)
        assert len(ids) == 31 + 18
        approve(site, ids, level=level, by=by, recorded_by="王总监", note="phone" if level == "supervisor" else "", pin=TEST_PIN)
    statuses = {v.card.ticket: v.status for v in list_cases(site, session="S1")}
    assert statuses[rejected.ticket] == "rejected" and statuses[resolved.ticket] == "resolved"
    assert sum(s == "approved" for s in statuses.values()) == 49

    # One seat short in the backup rooms and three in isolation: say exactly how many, move nobody.
    with pytest.raises(Shortage) as shortage:
        reallocate(site, "S1", by="王总监", pin=TEST_PIN)
    assert shortage.value.missing == {"backup": 1, "isolation": 3}
    assert "examops room add" in str(shortage.value)
    with site.store.read() as conn:
        assert session_counters(conn, "S1").admitted == 100 + 1

    add_room(site, "B02", name="备用考场二", capacity=30, kind="backup", by="王总监", pin=TEST_PIN)
    add_room(site, "G02", name="隔离考场二", capacity=10, kind="isolation", by="王总监", pin=TEST_PIN)
    plan = reallocate(site, "S1", by="王总监", pin=TEST_PIN)
    assert len(plan.moves) == 49 and not plan.unplaced
    by_ticket = {m.ticket: m for m in plan.moves}
    # Held first, seated first; never mixed; isolation every other seat.
    assert [by_ticket[p.ticket].room for p in uncertified] == ["B01"] * 30 + ["B02"]
    assert [by_ticket[p.ticket].seat for p in uncertified[:30]] == list(range(1, 31))
    assert {by_ticket[p.ticket].room for p in feverish} == {"G01", "G02"}
    assert all(by_ticket[p.ticket].seat % 2 == 1 for p in feverish)
    assert (by_ticket[uncertified[0].ticket].from_room, by_ticket[uncertified[0].ticket].from_seat) == ("001", 1)

    # Reallocated candidates count as present; at a gate they are told the new seat and recorded as arrived.
    with site.store.read() as conn:
        counters = session_counters(conn, "S1")
        b01 = occupancy(conn, "S1", "B01")
        home_room = occupancy(conn, "S1", "001")
    assert counters.admitted == 100 + 1 + 49
    assert (counters.rooms["B01"]["admitted"], counters.rooms["B02"]["admitted"]) == (30, 1)
    assert counters.rooms["001"]["admitted"] == 0  # its first 30 seats went to B01 (certificates)
    assert counters.held == 0 and counters.denied == 1
    assert len(b01) == 30 and 1 not in home_room  # the original seat is vacated, not absent
    rescan = Lane(site, "B01-door", "监考员").check(uncertified[0].ticket, session_id="S1")
    assert (rescan.verdict, rescan.card.current_room, rescan.card.current_seat) == ("arrived", "B01", 1)
    assert (rescan.go_room, rescan.go_seat) == ("B01", 1)

    # A manual move, by hand, to a named seat.
    with pytest.raises(ReviewRefused, match="full"):
        move(site, uncertified[30].ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN, reason="test move")
    moved = move(site, uncertified[30].ticket, session="S1", room="B02", seat=7, by="王总监", pin=TEST_PIN, reason="test move")
    assert (moved["from_room"], moved["from_seat"], moved["room"], moved["seat"]) == ("B02", 1, "B02", 7)
    assert Lane(site, "A", "s").check(uncertified[30].ticket, session_id="S1").card.current_seat == 7
    assert verify(site).ok


def test_wrong_pin_cannot_approve(big_site):
    Lane(big_site, "A", "s").check(big_site.people[0].ticket, session_id="S1", outcome="no_test_cert")
    ids = pending_ids(big_site, session="S1", level="chief")
    with pytest.raises(ReviewRefused, match="wrong PIN"):
        approve(big_site, ids, level="chief", by="someone", pin="0000")
    assert pending_ids(big_site, session="S1", level="chief") == ids


def test_hold_case_approved_to_the_end_admits_to_the_original_seat(big_site):
    person = big_site.people[0]
    case = Lane(big_site, "A", "s").check(person.ticket, session_id="S1", outcome="id_mismatch")
    for level in LEVELS:
        approve(big_site, [case.event_id], level=level, by=level, pin=TEST_PIN)
    rescan = Lane(big_site, "A", "s").check(person.ticket, session_id="S1")
    assert (rescan.verdict, rescan.card.current_room, rescan.card.current_seat) == ("arrived", "001", 1)
    again = Lane(big_site, "B", "t").check(person.ticket, session_id="S1")
    assert (again.verdict, again.first_via) == ("duplicate", "approval")


def test_move_refuses_a_taken_seat(big_site):
    people = big_site.people
    Lane(big_site, "A", "s").check(people[0].ticket, session_id="S1")
    with pytest.raises(ReviewRefused, match="taken"):
        move(big_site, people[0].ticket, session="S1", room="002", seat=1, by="王总监", pin=TEST_PIN, reason="test move")
    result = move(big_site, people[0].ticket, session="S1", room="B01", seat=5, by="王总监", pin=TEST_PIN, reason="test move")
    assert (result["room"], result["seat"], result["admitted"]) == ("B01", 5, False)
    rescan = Lane(big_site, "A", "s").check(people[0].ticket, session_id="S1")
    assert (rescan.verdict, rescan.card.current_room, rescan.card.current_seat) == ("arrived", "B01", 5)


@pytest.mark.parametrize("spacing,expected", [(1, [1, 2, 3]), (2, [1, 3, 5])])
def test_allocate_respects_spacing_and_kind(spacing, expected):
    requests = [SeatRequest(f"c{i}", f"t{i}", "n", "isolation", "001", i, f"2021-10-16T00:00:0{i}") for i in range(3)]
    backup = [SeatRequest("b", "tb", "n", "backup", "001", 9, "2021-10-16T00:00:00")]
    rooms = [RoomSpace("G01", "g", "isolation", 10, frozenset(), spacing), RoomSpace("B01", "b", "backup", 1, frozenset({1}))]
    plan = allocate(requests + backup, rooms)
    assert [m.seat for m in plan.moves] == expected
    assert plan.missing_seats() == {"backup": 1}
