"""A rehearsal the day before: the chief's `move` admits whoever is not in yet, so on an earlier day than the paper's
it would plant an admission (the real morning's scan a duplicate, a possible impersonation alarm; the report's
实到 counted one). Found as a user: `EXAMOPS_CLOCK=2021-10-15T08:05 examops move …` admitted, and S1 counted 实到 1."""

from __future__ import annotations

import pytest

from examops.domain.events import Kind
from examops.i18n import spoken
from examops.services.gate import Lane
from examops.services.review import ReviewRefused
from examops.services.seating import move
from tests.conftest import TEST_PIN, at_local


def _admissions(site) -> int:  # noqa: ANN001
    from examops.adapters.store import events as event_log

    with site.store.read() as conn:
        return len(event_log.events_of_kind(conn, Kind.ADMITTED))


def test_a_move_the_day_before_admits_no_one_and_says_why_in_the_sites_words(seeded_site):
    at_local(seeded_site, "2021-10-15T08:05")
    person = seeded_site.people[0]
    with pytest.raises(ReviewRefused) as refused:
        move(seeded_site, person.ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN, reason="演练")
    assert "2021-10-16" in str(refused.value) and "2021-10-15" in str(refused.value)
    assert "未记录任何内容" in spoken(refused.value.said, "zh_CN"), spoken(refused.value.said, "zh_CN")
    assert _admissions(seeded_site) == 0
    at_local(seeded_site, "2021-10-16T08:10")  # the real morning: the gate admits them, no alarm
    assert Lane(seeded_site, "A", "安检员甲").check(person.ticket, session_id="S1").verdict == "admitted"


def test_on_the_day_a_move_still_admits_and_an_admitted_candidate_still_moves(seeded_site):
    at_local(seeded_site, "2021-10-16T08:10")
    first, second = seeded_site.people[:2]
    assert move(seeded_site, first.ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN,
                reason="desk broken")["admitted"]
    Lane(seeded_site, "A", "安检员甲").check(second.ticket, session_id="S1")
    assert not move(seeded_site, second.ticket, session="S1", room="B01", seat=None, by="王总监", pin=TEST_PIN,
                    reason="desk broken")["admitted"]
