"""The gate answers by the session's entry window: outside it, no admission and no denial, only what and when."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.domain.events import Kind
from examops.services import lookup
from examops.services.gate import Lane
from tests.conftest import at_local


def kinds(site, ticket) -> list[str]:
    with site.store.read() as conn:
        return [e.kind for s in ("S1", "S2") for e in lookup.day_events(conn, s, ticket)]


def admissions(site) -> int:
    with site.store.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()


def test_a_check_the_day_before_admits_no_one_and_says_when(seeded_site):
    at_local(seeded_site, "2021-10-15T08:05")
    person = seeded_site.people[0]
    verdict = Lane(seeded_site, "A", "s").check(person.ticket)
    assert verdict.verdict == "outside_window"
    assert verdict.reason == "S1 试卷一 is on 2021-10-16, entry from 07:45"
    assert verdict.recorded and verdict.card.ticket == person.ticket
    assert admissions(seeded_site) == 0
    assert kinds(seeded_site, person.ticket) == [Kind.OUTSIDE_WINDOW]
    at_local(seeded_site, "2021-10-16T08:05")  # on the morning: a plain admission, no duplicate alarm
    assert Lane(seeded_site, "A", "s").check(person.ticket).verdict == "admitted"


def test_a_check_on_a_later_day_denies_no_one(seeded_site):
    at_local(seeded_site, "2021-10-17T08:05")
    person = seeded_site.people[1]
    verdict = Lane(seeded_site, "A", "s").check(person.ticket, session_id="S1")
    assert verdict.verdict == "outside_window"
    assert "entry closed at 09:00" in verdict.reason
    assert Kind.DENIED not in kinds(seeded_site, person.ticket)
    with seeded_site.store.read() as conn:
        assert lookup.candidate_day(conn, "S1", person.ticket).status == "expected"


def test_session_s2_named_at_0805_does_not_open_its_window(seeded_site):
    at_local(seeded_site, "2021-10-16T08:05")
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[2].ticket, session_id="S2")
    assert (verdict.verdict, verdict.reason) == ("outside_window", "S2 试卷二: entry from 13:15")
    assert admissions(seeded_site) == 0


def test_before_the_doors_open_the_lane_says_when(seeded_site):
    at_local(seeded_site, "2021-10-16T07:30")
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[3].ticket)
    assert (verdict.verdict, verdict.session) == ("outside_window", "S1")
    assert verdict.reason == "S1 试卷一: entry from 07:45"


def test_an_unknown_code_outside_the_window_is_also_only_an_attempt(seeded_site):
    at_local(seeded_site, "2021-10-15T08:05")
    verdict = Lane(seeded_site, "A", "s").check("211500000000")
    assert verdict.verdict == "outside_window" and verdict.card is None and verdict.recorded


@pytest.mark.parametrize("now", ["2021-10-16T09:01", "2021-10-16T11:29"])
def test_late_on_the_sessions_day_is_the_late_denial(seeded_site, now):
    at_local(seeded_site, now)
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[4].ticket)
    assert (verdict.verdict, verdict.code, verdict.session) == ("denied", "late", "S1")


def test_between_sessions_the_lane_is_in_the_next_one(seeded_site):
    at_local(seeded_site, "2021-10-16T12:00")
    verdict = Lane(seeded_site, "A", "s").check(seeded_site.people[5].ticket)
    assert (verdict.verdict, verdict.session) == ("outside_window", "S2")
    at_local(seeded_site, "2021-10-16T13:20")
    assert Lane(seeded_site, "A", "s").check(seeded_site.people[5].ticket).verdict == "admitted"
