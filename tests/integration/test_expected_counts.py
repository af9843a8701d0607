"""The expected counts a gate's recount keeps (`counters.ExpectedCounts`): counted again only after a roster
import, per store, and the figures with them are the figures counted afresh."""

from __future__ import annotations

from examops.services.counters import ExpectedCounts, session_counters
from examops.services.gate import Lane
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster
from tests.support.roster_counts import counted_seats, import_people


def figures(site, expected: ExpectedCounts | None, session: str = "S1"):  # noqa: ANN001, ANN201
    with site.store.read() as conn:
        return session_counters(conn, session, expected).to_json()


def test_the_seats_are_counted_again_only_after_a_roster_import(site, tmp_path, monkeypatch):
    people = import_people(site, tmp_path, 60)
    seats = counted_seats(monkeypatch)
    expected = ExpectedCounts()
    assert figures(site, expected)["expected"] == 60
    lane = Lane(site, "A", "s")
    for person in people[:3]:
        lane.check(person.ticket, session_id="S1")
        assert figures(site, expected) == figures(site, None)
    assert figures(site, expected, "S2")["expected"] == 60  # each session its own count
    assert seats.count("S1") == 1 + 3 and seats.count("S2") == 1  # the cache's once; the rest are the fresh figures'
    import_people(site, tmp_path, 90)
    seats.clear()
    after = figures(site, expected)
    assert after["expected"] == 90 and after["admitted"] == 3 and after["rooms"]["003"] == {"expected": 30, "admitted": 0}
    assert seats == ["S1"]
    assert figures(site, expected) == figures(site, None)


def test_another_store_has_counts_of_its_own(seeded_site, tmp_path, monkeypatch):
    """A lane offline reads its copy on this laptop: not the shared store's counts, whatever the log says."""
    other = init_site(SAMPLE_PLAN, url=f"sqlite:///{tmp_path / 'copy.sqlite3'}", chief_pin=TEST_PIN)
    try:
        seed_roster(other, n_rooms=2, record=False)  # a copy writes its roster with no import of its own
        expected = ExpectedCounts()
        assert figures(seeded_site, expected)["expected"] == 120
        assert figures(other, expected)["expected"] == 60
        assert figures(seeded_site, expected)["expected"] == 120
    finally:
        other.close()
