"""Incidents and the close-out: after the chief signs a session off, later records need an override."""

import pytest

from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.incidents import close_session, record_incident
from examops.services.review import ReviewRefused
from tests.conftest import TEST_PIN


def test_incident_kinds_accept_chinese_labels_and_refuse_others(seeded_site):
    event = record_incident(seeded_site, session="S1", room="001", kind="作弊", note="phone under the desk",
                            by="监考员甲", ticket=seeded_site.people[0].ticket, severity="high")
    assert event.payload["kind"] == "cheating"
    with pytest.raises(ReviewRefused, match="违纪"):
        record_incident(seeded_site, session="S1", room="001", kind="shouting", note="x", by="y")
    with pytest.raises(ReviewRefused, match="no room"):
        record_incident(seeded_site, session="S1", room="999", kind="other", note="x", by="y")


def test_closed_session_refuses_records_without_override(seeded_site):
    lane = Lane(seeded_site, "A", "s")
    assert lane.check(seeded_site.people[0].ticket, session_id="S1").verdict == "admitted"
    close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="drill")
    late = lane.check(seeded_site.people[1].ticket, session_id="S1")
    assert late.verdict == "session_closed" and not late.recorded and late.closed_by == "王总监"
    assert "call the chief" in late.reason and "rescan" not in late.reason
    with pytest.raises(Exception, match="override"):
        record_incident(seeded_site, session="S1", room="001", kind="other", note="found later", by="王总监")
    seeded_site.override = "room record corrected after close-out"
    event = record_incident(seeded_site, session="S1", room="001", kind="other", note="found later", by="王总监")
    assert event.payload["override"] == "room record corrected after close-out"
    # The other session is not affected.
    seeded_site.override = None
    from tests.conftest import at_local
    at_local(seeded_site, "2021-10-16T13:50")
    assert lane.check(seeded_site.people[1].ticket, session_id="S2").verdict == "admitted"


def test_close_needs_the_pin_and_happens_once(seeded_site):
    with pytest.raises(ReviewRefused, match="wrong PIN"):
        close_session(seeded_site, session="S1", by="x", pin="0000", reason="drill")
    close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="drill")
    with pytest.raises(ReviewRefused, match="already closed"):
        close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="drill")


def test_figures_count_an_incident_against_zero_incident(seeded_site):
    Lane(seeded_site, "A", "s").check(seeded_site.people[0].ticket, session_id="S1")
    clean = session_figures(seeded_site, "S1")
    # 08:10: entry still open, nothing against the record but that the paper is not over
    assert [r.code for r in clean.reasons] == ["not_over"]
    assert (clean.expected, clean.present, clean.absent, clean.not_arrived) == (120, 1, 0, 119)
    record_incident(seeded_site, session="S1", room="002", kind="违纪", note="notes on the desk", by="监考员乙")
    figures = session_figures(seeded_site, "S1")
    assert not figures.zero_incident
    assert figures.incidents_by_kind == {"misconduct": 1}
    assert any("incident" in r for r in figures.reasons)
