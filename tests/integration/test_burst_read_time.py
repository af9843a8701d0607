"""A burst is judged as of when each scan was read, and the record says both moments.

A wedge burst read just before the cutoff (entry closes 09:00 for S1) may be committed just after it. Each scan
is judged at its read time, as a lone scan is; the admission's event keeps its own write time (`at`) and says when
the scan was read (`read_at`, where that was in an earlier minute), and the report counts the read time: not late, not in the 09:00 arrival slot.
"""

from __future__ import annotations

import datetime as dt

import pytest

from examops.adapters.store.events import events_of_kind
from examops.domain.events import Kind
from examops.services import exits
from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.offline import ResilientLane
from tests.conftest import at_local

LANES = pytest.mark.parametrize("make_lane", [Lane, ResilientLane], ids=["Lane", "ResilientLane"])


def events_of(site, ticket: str):  # noqa: ANN001, ANN201
    with site.store.read() as conn:
        return [e for e in events_of_kind(conn, Kind.ADMITTED) if e.ticket == ticket]


@LANES
def test_a_burst_read_before_the_cutoff_is_admitted_and_recorded_as_read(seeded_site, make_lane):
    at_local(seeded_site, "2021-10-16T09:00:00.200000")
    read = seeded_site.clock.now() - dt.timedelta(milliseconds=300)  # 08:59:59.9, before entry closed
    lane = make_lane(seeded_site, "A", "甲")
    people = seeded_site.people[:3]
    verdicts = lane.check_burst([(p.ticket, None, {}) for p in people], session_id="S1", read_at=[read] * 3)
    assert [v.verdict for v in verdicts] == ["admitted"] * 3
    for person in people:
        (event,) = events_of(seeded_site, person.ticket)
        assert event.at == "2021-10-16T01:00:00.200000Z"  # the write, honest
        assert event.payload["read_at"] == "2021-10-16T00:59:59.900000Z"  # the read, as judged
    figures = session_figures(seeded_site, "S1")
    assert figures.arrivals == {"08:55": 3}  # not "09:00": after the cutoff


@LANES
def test_a_burst_without_read_times_is_judged_now(seeded_site, make_lane):
    at_local(seeded_site, "2021-10-16T09:00:00.200000")
    lane = make_lane(seeded_site, "A", "甲")
    verdicts = lane.check_burst([(p.ticket, None, {}) for p in seeded_site.people[:2]], session_id="S1")
    assert [v.verdict for v in verdicts] == ["denied"] * 2


def test_a_scan_read_before_the_start_and_committed_after_it_is_not_late(seeded_site):
    """Both ways the report counts an admission: alone (the fast path) and folded (a day with a leave after it)."""
    at_local(seeded_site, "2021-10-16T08:30:00.200000")
    read = seeded_site.clock.now() - dt.timedelta(milliseconds=300)
    lane = Lane(seeded_site, "A", "甲")
    alone, folded = seeded_site.people[:2]
    verdicts = lane.check_burst([(alone.ticket, None, {}), (folded.ticket, None, {})], session_id="S1",
                                read_at=[read, read])
    assert [v.verdict for v in verdicts] == ["admitted", "admitted"]
    exits.record_exit(seeded_site, folded.ticket, session="S1", reason="如厕", final=False, by="甲", lane="A")
    figures = session_figures(seeded_site, "S1")
    assert figures.present == 2 and figures.admitted_late == 0
    assert figures.arrivals == {"08:25": 2}


def test_a_scan_read_in_the_minute_it_is_written_carries_no_read_time(seeded_site):
    """Windows, starts and arrival slots are whole minutes: the write's own time says all a read then would."""
    at_local(seeded_site, "2021-10-16T08:10:00.400000")
    lane = Lane(seeded_site, "A", "甲")
    alone, in_burst = seeded_site.people[:2]
    assert lane.check(alone.ticket, session_id="S1").verdict == "admitted"
    read = seeded_site.clock.now() - dt.timedelta(milliseconds=300)
    assert lane.check_burst([(in_burst.ticket, None, {})], session_id="S1", read_at=[read])[0].verdict == "admitted"
    for person in (alone, in_burst):
        (event,) = events_of(seeded_site, person.ticket)
        assert "read_at" not in event.payload
