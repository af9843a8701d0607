"""After admission: exceptions go to the chief with the admission standing; temporary and final exits."""

from __future__ import annotations

import pytest

from examops.domain.events import Kind
from examops.services import lookup
from examops.services.exits import ExitRefused, record_exit
from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.review import approve, list_cases
from tests.conftest import TEST_PIN, at_local


def day(site, ticket):
    with site.store.read() as conn:
        return lookup.candidate_day(conn, "S1", ticket)


def test_an_item_found_after_admission_goes_to_review_and_the_admission_stands(seeded_site):
    person = seeded_site.people[0]
    lane = Lane(seeded_site, "A", "s")
    assert lane.check(person.ticket).verdict == "admitted"
    found = Lane(seeded_site, "M", "金属探测").check(person.ticket, outcome="prohibited_item", evidence={"item": "手机"})
    assert (found.verdict, found.code, found.recorded) == ("exception", "prohibited_item", True)
    assert found.verdict != "duplicate"
    standing = day(seeded_site, person.ticket)
    assert standing.admitted and standing.status == "admitted"
    [case] = [v for v in list_cases(seeded_site, session="S1") if v.card.ticket == person.ticket]
    assert case.status == "pending" and case.case.id == found.event_id
    for level in seeded_site.plan.approval_levels:
        approve(seeded_site, [case.case.id], level=level, by="王总监", pin=TEST_PIN)
    assert day(seeded_site, person.ticket).admitted  # approving it admits no one twice
    assert session_figures(seeded_site, "S1").present == 1


def test_a_temporary_leave_is_rechecked_at_the_gate_not_an_alarm(seeded_site):
    person = seeded_site.people[1]
    Lane(seeded_site, "A", "s").check(person.ticket)
    record_exit(seeded_site, person.ticket, session="S1", reason="如厕", final=False, by="监考员甲")
    assert day(seeded_site, person.ticket).state == "out"
    back = Lane(seeded_site, "B", "t").check(person.ticket)
    assert (back.verdict, back.go_room, back.go_seat) == ("returned", back.card.room, back.card.seat)
    assert day(seeded_site, person.ticket).state == "admitted"
    assert Lane(seeded_site, "B", "t").check(person.ticket).verdict == "duplicate"  # back in: a further scan is a duplicate


def test_an_early_leave_is_final_and_counted(seeded_site):
    person = seeded_site.people[2]
    Lane(seeded_site, "A", "s").check(person.ticket)
    at_local(seeded_site, "2021-10-16T09:00")  # when S1 allows an early leave
    record_exit(seeded_site, person.ticket, session="S1", reason="提前交卷", final=True, by="监考员甲")
    again = Lane(seeded_site, "A", "s").check(person.ticket)
    assert again.verdict == "no_reentry" and again.recorded
    assert day(seeded_site, person.ticket).state == "left"
    figures = session_figures(seeded_site, "S1")
    assert (figures.left_early, figures.present) == (1, 1)
    with pytest.raises(ExitRefused, match="already left"):
        record_exit(seeded_site, person.ticket, session="S1", reason="x", final=True, by="y")


@pytest.mark.parametrize(("admit", "reason", "message"), [
    (False, "如厕", "not admitted"),
    (True, "  ", "--reason"),
])
def test_an_exit_that_cannot_be_is_refused_and_writes_nothing(seeded_site, admit, reason, message):
    person = seeded_site.people[3]
    if admit:
        Lane(seeded_site, "A", "s").check(person.ticket)
    before = [e.kind for e in day(seeded_site, person.ticket).timeline]
    with pytest.raises(ExitRefused, match=message):
        record_exit(seeded_site, person.ticket, session="S1", reason=reason, final=False, by="监考员甲")
    assert [e.kind for e in day(seeded_site, person.ticket).timeline] == before
    assert Kind.LEFT not in before
