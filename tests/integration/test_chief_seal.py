"""The chief's seal: every decision the chief makes at the desk is sealed by the site key and verifies clean; a lane
laptop (no site key) is refused and records nothing; a decision written without the seal is named, not a crash."""

from __future__ import annotations

import pytest

from examops.domain.chief_seal import SEAL_KEY, is_chief_decision
from examops.domain.event_payloads import Approved
from examops.domain.events import Event, format_utc, new_event_id
from examops.services import ledger
from examops.services.audit import verify
from examops.services.chief_record import UNSEALED, chief_record
from examops.services.corrections import CorrectionRefused, void_event
from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.incidents import close_session, resolve_alarm
from examops.services.review import CHIEF_DEVICE, ReviewRefused, approve, find_case, reject, resolve
from examops.services.seating import add_room, move, reallocate
from examops.services.site import Site
from tests.conftest import TEST_PIN, at_local


def _case(site, lane, ticket, outcome, **evidence) -> str:
    lane.check(ticket, session_id="S1", outcome=outcome, evidence=evidence or None)
    return next(v.case.id for v in _cases(site) if v.card.ticket == ticket)


def _cases(site):
    from examops.services.review import list_cases

    return list_cases(site, session="S1")


def _all_events(site) -> list[Event]:
    from examops.adapters.store import events as event_log

    with site.store.read() as conn:
        return event_log.all_in_pos_order(conn)


def test_every_chief_decision_is_sealed_and_verifies_clean(seeded_site):
    site, people = seeded_site, seeded_site.people
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "甲")
    lane.check(people[0].ticket, session_id="S1")
    lane.check(people[0].ticket, session_id="S1")  # a duplicate scan: an alarm for the chief
    held = _case(site, lane, people[1].ticket, "id_mismatch")
    backup = _case(site, lane, people[2].ticket, "no_test_cert")
    refused = _case(site, lane, people[3].ticket, "id_mismatch")
    resolved = _case(site, lane, people[4].ticket, "id_mismatch")
    for level in site.plan.approval_levels:
        approve(site, [held, backup], level=level, by="王总监", pin=TEST_PIN)
    reallocate(site, "S1", by="王总监", pin=TEST_PIN)
    reject(site, refused, by="王总监", reason="人证不符", pin=TEST_PIN)
    resolve(site, resolved, by="王总监", note="核实无误", pin=TEST_PIN)
    add_room(site, "B9", name="备用九", capacity=10, kind="backup", by="王总监", pin=TEST_PIN)
    move(site, people[0].ticket, session="S1", room="B9", seat=None, by="王总监", pin=TEST_PIN, reason="座位损坏")
    lane.check(people[5].ticket, session_id="S1")
    admission = next(e for e in _all_events(site) if e.ticket == people[5].ticket)
    void_event(site, admission.id, reason="误扫", by="王总监", pin=TEST_PIN)
    [alarm] = [e for e in _all_events(site) if e.kind == "duplicate_scan"]
    resolve_alarm(site, alarm.id, resolution="double_read", note="扫码枪重复读取", by="王总监", pin=TEST_PIN)
    at_local(site, "2021-10-16T11:40")
    close_session(site, session="S1", by="王总监", pin=TEST_PIN)

    decisions = [e for e in _all_events(site) if is_chief_decision(e)]
    kinds = {e.kind for e in decisions}
    assert {"approved", "rejected", "resolved", "moved", "admitted", "voided", "session_closed", "alarm_resolved",
            "room_opened"} <= kinds, kinds
    assert all(e.payload.get(SEAL_KEY) for e in decisions)
    report = verify(site)
    assert report.ok, report.problems
    assert session_figures(site, "S1").unsealed_decisions == 0
    assert not [e for e in chief_record(site).entries if e.kind == UNSEALED]


@pytest.fixture
def lane_laptop(seeded_site, tmp_path, monkeypatch):
    """The same store opened from a lane laptop: its own EXAMOPS_HOME, so its own device key and no site key."""
    monkeypatch.setenv("EXAMOPS_HOME", str(tmp_path / "lane-laptop"))
    lane_site = Site.open(seeded_site.store.url)
    at_local(lane_site, "2021-10-16T08:10")
    yield lane_site
    lane_site.close()


def _count(site) -> int:
    return len(_all_events(site))


def test_a_lane_laptop_is_refused_every_chief_decision_and_records_nothing(seeded_site, lane_laptop):
    site, people = seeded_site, seeded_site.people
    at_local(site, "2021-10-16T08:10")
    lane = Lane(site, "A", "甲")
    lane.check(people[0].ticket, session_id="S1")
    case = _case(site, lane, people[1].ticket, "id_mismatch")
    before = _count(site)
    attempts = [
        lambda: approve(lane_laptop, [case], level="chief", by="王总监", pin=TEST_PIN),
        lambda: reject(lane_laptop, case, by="王总监", reason="x", pin=TEST_PIN),
        lambda: resolve(lane_laptop, case, by="王总监", note="x", pin=TEST_PIN),
        lambda: reallocate(lane_laptop, "S1", by="王总监", pin=TEST_PIN),
        lambda: move(lane_laptop, people[0].ticket, session="S1", room="001", seat=29, by="王总监", pin=TEST_PIN, reason="x"),
        lambda: add_room(lane_laptop, "B9", name="x", capacity=5, kind="backup", by="王总监", pin=TEST_PIN),
        lambda: close_session(lane_laptop, session="S1", by="王总监", pin=TEST_PIN, reason="x"),
    ]
    for attempt in attempts:
        with pytest.raises(ReviewRefused, match="only there can a chief decision be recorded; nothing was recorded"):
            attempt()
    with pytest.raises(CorrectionRefused, match="chief's desk"):
        void_event(lane_laptop, _all_events(site)[-1].id, reason="x", by="王总监", pin=TEST_PIN)
    assert _count(site) == before  # not even a refused PIN: the PIN is not asked where it could not seal
    assert find_case(site, case).status == "pending"


def test_a_wrong_pin_at_the_desk_is_refused_and_logged_as_before(seeded_site):
    site = seeded_site
    lane = Lane(site, "A", "甲")
    case = _case(site, lane, site.people[1].ticket, "id_mismatch")
    with pytest.raises(ReviewRefused, match="wrong PIN"):
        approve(site, [case], level="chief", by="王总监", pin="0000")
    assert [e.kind for e in _all_events(site)][-1] == "pin_refused"


def test_a_decision_without_a_seal_is_named_as_such_not_a_crash(seeded_site):
    """What an older version wrote (or anyone without the key): named in verify, counted in the figures, listed in the
    chief's record; the report is still built and says it."""
    site = seeded_site
    lane = Lane(site, "A", "甲")
    case = _case(site, lane, site.people[1].ticket, "id_mismatch")
    view = find_case(site, case)
    old = Event(new_event_id(), "approved", format_utc(site.clock.now()), site.device(CHIEF_DEVICE), 0, "S1",
                view.card.ticket, None, "chief", Approved(exception_id=case, level="chief", by="王总监").to_payload())
    ledger.record(site.store, old)
    problems = verify(site).problems
    assert [p for p in problems if f"the approval about ticket {view.card.ticket}" in p and "has no chief's seal" in p
            and "by a version before decisions were sealed" in p], problems
    assert session_figures(site, "S1").unsealed_decisions == 1
    [entry] = [e for e in chief_record(site).entries if e.kind == UNSEALED]
    assert entry.detail.startswith(view.card.ticket) and case[:8] in entry.detail


def test_a_store_without_a_site_key_refuses_chief_decisions_saying_how_to_make_one(seeded_site):
    from examops.adapters.store import Store
    from examops.services.site_key import PUBLIC_KEY

    site = seeded_site
    case = _case(site, Lane(site, "A", "甲"), site.people[1].ticket, "id_mismatch")
    with site.store.write() as conn:
        Store.delete_setting(conn, PUBLIC_KEY)  # as a store from before keys left the database
    with pytest.raises(ReviewRefused, match="no site key yet.*examops init --plan PLAN.toml"):
        approve(site, [case], level="chief", by="王总监", pin=TEST_PIN)
    assert find_case(site, case).status == "pending"
