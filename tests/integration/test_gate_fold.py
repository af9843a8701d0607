"""The gate's side panels changed in place by the lane's own verdicts (`gate_fold`) equal, after every step, a
fresh recount of the store (`gate_view.lane_panels`); the store is counted again only when someone else wrote.

`Figures` does what the gate screen does (gate_panels): fold each verdict of its lane, then ask the store
whether it holds an event since the last count that is not one of the lane's own, and count again only then.
"""

from __future__ import annotations

import dataclasses

import pytest

from examops.domain.verdict import CandidateCard, Verdict
from examops.services import gate_fold, gate_view, lookup
from examops.services.corrections import void_event
from examops.services.exits import record_exit
from examops.services.gate import Lane
from examops.services.incidents import close_session
from examops.services.seating import add_room, move
from examops.services.site import Site
from tests.conftest import TEST_PIN, at_local


class Figures:
    """One lane's side panels as its screen keeps them: the last count, the lane's verdicts folded in since."""

    def __init__(self, site: Site, lane: Lane, session: str = "S1"):
        self.site, self.lane, self.session = site, lane, session
        self.recounts = 0
        self._recount()

    def _recount(self) -> None:
        self.panels = gate_view.lane_panels(self.site, self.lane.lane, self.session)
        self.version, self.own = self.panels.version, set()
        self.recounts += 1

    def after(self, *verdicts: Verdict) -> None:
        """The lane's verdicts came back (in order), then the screen's step after them."""
        must_count = False
        for verdict in verdicts:
            folded = gate_fold.fold_verdict(self.panels, verdict, lambda at: gate_view.local_time(self.site, at))
            if folded is None:
                must_count = True
            elif folded is not self.panels:
                self.panels = folded
                self.own.add(verdict.event_id)
        self.step(must_count=must_count)

    def step(self, *, must_count: bool = False) -> None:
        """After a scan, the watcher's news, the periodic safety net: count only if someone else wrote."""
        version = None if must_count or self.version is None else gate_view.own_writes_only(self.site, self.version, self.own)
        if version is None:
            self._recount()
        else:
            self.version, self.own = version, set()

    def assert_counted(self) -> None:
        fresh = gate_view.lane_panels(self.site, self.lane.lane, self.session)
        assert self.panels.counters == fresh.counters
        assert self.panels.recent == fresh.recent
        assert self.panels.closed == fresh.closed


def test_the_lane_s_own_verdicts_fold_into_what_a_recount_says(seeded_site, store_url):
    site, people = seeded_site, seeded_site.people
    at_local(site, "2021-10-16T08:10")
    lane, other = Lane(site, "A", "安检员甲"), Lane(site, "B", "安检员乙")
    figures = Figures(site, lane)
    sqlite = site.store.is_sqlite
    counted = figures.recounts

    def scan(code: str, expect: str, **kwargs) -> Verdict:  # noqa: ANN003
        verdict = lane.check(code, session_id="S1", **kwargs)
        assert verdict.verdict == expect, verdict
        figures.after(verdict)
        figures.assert_counted()
        return verdict

    def own_only() -> None:
        nonlocal counted
        if sqlite:  # PostgreSQL's positions cannot tell: it counts at every step
            assert figures.recounts == counted, "counted again after the lane's own scan"
        counted = figures.recounts

    def recounted() -> None:
        nonlocal counted
        assert figures.recounts > counted
        counted = figures.recounts

    first = scan(people[0].ticket, "admitted")
    own_only()
    scan(people[1].ticket, "admitted")
    scan(people[0].ticket, "duplicate")
    scan(people[2].ticket, "denied", outcome="late")
    scan(people[3].ticket, "exception", outcome="id_mismatch")  # held
    standing = scan(people[3].ticket, "exception")  # the same exception again: nothing written
    assert standing.standing
    scan(people[4].ticket, "exception", outcome="no_test_cert")  # held for a backup room
    scan(people[5].ticket, "admitted", outcome="no_id", evidence={"temp_cert": "T-1"})  # admitted with a code
    scan(people[1].ticket, "exception", outcome="prohibited_item", evidence={"item": "phone"})  # after admission
    scan("99990001", "unknown")
    scan("11010519491231002X", "unknown")  # an ID number nobody on the roster has: masked in the row
    scan("110105194912310021", "unknown")  # shaped like one, its check character wrong: masked too
    scan(people[2].ticket, "denied")  # the denial again: nothing written
    own_only()
    # A burst of six, one group commit.
    burst = lane.check_burst([(p.ticket, None, {}) for p in people[40:45]] + [(people[0].ticket, None, {})], session_id="S1")
    assert [v.verdict for v in burst] == ["admitted"] * 5 + ["duplicate"]
    figures.after(*burst)
    figures.assert_counted()
    own_only()

    # Another lane admits a candidate; this lane's scan of the same ticket is a duplicate, and the figures count again.
    assert other.check(people[6].ticket, session_id="S1").verdict == "admitted"
    scan(people[6].ticket, "duplicate")
    recounted()
    scan(people[7].ticket, "admitted")
    own_only()

    # The chief, on a connection of their own, voids an admission of this lane: the next step counts again.
    chief = Site.open(store_url)
    try:
        void_event(chief, first.event_id, reason="scanned the wrong card", by="chief", pin=TEST_PIN)
        scan(people[8].ticket, "admitted")
        recounted()
        scan(people[0].ticket, "admitted")  # in again after the void
        own_only()
        # The chief seats a candidate in a backup room at the desk; the lane's scan is their arrival.
        add_room(chief, "B02", name="备用考场二", capacity=30, kind="backup", by="chief", pin=TEST_PIN)
        move(chief, people[9].ticket, session="S1", room="B02", seat=None, by="chief", pin=TEST_PIN, reason="desk broken")
        figures.step()
        figures.assert_counted()
        recounted()
        scan(people[9].ticket, "arrived")
        scan(people[9].ticket, "duplicate")
        own_only()
        # A leave at this lane (the screen counts again after one), and the return.
        record_exit(site, people[5].ticket, session="S1", reason="toilet", final=False, by="安检员甲", lane="A")
        figures.step(must_count=True)
        figures.assert_counted()
        counted = figures.recounts
        scan(people[5].ticket, "returned")
        own_only()
        # Another lane's hold, then the periodic safety net with no scan of this lane.
        other.check(people[10].ticket, session_id="S1", outcome="id_mismatch")
        figures.step()
        figures.assert_counted()
        recounted()
        close_session(chief, session="S1", by="chief", pin=TEST_PIN, reason="cases decided on paper")
        figures.step()
        figures.assert_counted()
        assert figures.panels.closed is not None
    finally:
        chief.close()


def test_a_verdict_that_wrote_nothing_leaves_the_figures_as_they_are(seeded_site):
    site = seeded_site
    figures = gate_view.lane_panels(site, "A", "S1")
    card = lookup_card(site, site.people[0].ticket)
    for verdict in (Verdict("to_confirm", "S1", card=card), Verdict("not_recorded", "S1", card=card),
                    Verdict("invalid", "S1"), Verdict("admitted", "S1", card=card, recorded=False),
                    Verdict("exception", "S1", card=card, recorded=True, event_id="e1", standing=True)):
        assert gate_fold.fold_verdict(figures, verdict, str) is figures


@pytest.mark.parametrize("verdict", [
    Verdict("admitted", "S2", recorded=True, event_id="e1"),  # another session than the figures'
    Verdict("admitted", "S1", recorded=True, event_id="e1", offline=True),  # on this laptop's copy
    Verdict("admitted", "S1", recorded=True, event_id="e1"),  # no card: no room, no state
    Verdict("session_closed", "S1", recorded=True, event_id="e1"),  # not a verdict the fold knows
])
def test_what_the_fold_cannot_say_is_counted_again(seeded_site, verdict):
    figures = gate_view.lane_panels(seeded_site, "A", "S1")
    assert gate_fold.fold_verdict(figures, verdict, str) is None


def test_an_admission_of_someone_the_card_says_is_in_is_counted_again(seeded_site):
    """The gate never admits an admitted candidate: if a verdict says so, the fold does not guess."""
    figures = gate_view.lane_panels(seeded_site, "A", "S1")
    card = dataclasses.replace(lookup_card(seeded_site, seeded_site.people[0].ticket), state="admitted")
    assert gate_fold.fold_verdict(figures, Verdict("admitted", "S1", card=card, recorded=True, event_id="e1"), str) is None


def lookup_card(site: Site, ticket: str) -> CandidateCard:
    with site.store.read() as conn:
        card = lookup.card_by(conn, ticket=ticket, session="S1")
    return dataclasses.replace(card, state="expected")


def test_the_fold_leaves_the_figures_it_was_given_as_they_were(seeded_site):
    """The screen's tables compare the figures they show with the next: a fold that changed them in place would
    leave the rooms table showing the old count."""
    site = seeded_site
    figures = gate_view.lane_panels(site, "A", "S1")
    before = dataclasses.replace(figures.counters, rooms={room: dict(n) for room, n in figures.counters.rooms.items()})
    verdict = Lane(site, "A", "staff").check(site.people[0].ticket, session_id="S1")
    folded = gate_fold.fold_verdict(figures, verdict, str)
    assert figures.counters == before and folded.counters != before
    room = verdict.card.room
    assert folded.counters.rooms[room]["admitted"] == before.rooms[room]["admitted"] + 1
    assert all(folded.counters.rooms[r] is figures.counters.rooms[r] for r in figures.counters.rooms if r != room)
