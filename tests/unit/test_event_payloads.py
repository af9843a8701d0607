"""Typed event payloads: every kind round-trips, stored JSON keeps its shape, nothing stored is lost."""

from __future__ import annotations

import pytest

from examops.domain.event_payloads import (
    PAYLOAD_TYPES,
    AdmissionConflict,
    Admitted,
    AlarmResolved,
    Approved,
    Arrived,
    Denied,
    DeviceEnrolled,
    DeviceRevoked,
    DuplicateScan,
    ExceptionRecorded,
    IncidentRecorded,
    Left,
    Moved,
    Origin,
    OutsideWindowScan,
    OverrideGranted,
    PhotosImported,
    PhotosPurged,
    PinChanged,
    PinRefused,
    PlanChanged,
    PlanSet,
    ReentryRefused,
    Rejected,
    Resolved,
    Returned,
    RoomOpened,
    RosterImported,
    SessionClosed,
    UnknownScan,
    Unrecognised,
    Voided,
    WrongSessionScan,
    payload_of,
    with_override,
)
from examops.domain.events import Event, Kind, canonical_json

# One payload per kind, as today's writers store it.
STORED = [
    (Admitted(code="", action="admit", reason="", evidence={}, room="001", seat=1, via="ticket"),
     {"code": "", "action": "admit", "reason": "", "evidence": {}, "room": "001", "seat": 1, "via": "ticket"}),
    (Admitted(exception_id="e1", code="fever", action="hold", room="001", seat=4, origin=Origin("001", 4), via="approval"),
     {"exception_id": "e1", "code": "fever", "action": "hold", "room": "001", "seat": 4, "from_room": "001",
      "from_seat": 4, "via": "approval"}),
    (Admitted(room="B02", seat=7, origin=Origin(None, None), via="move", by="王总监"),
     {"room": "B02", "seat": 7, "from_room": None, "from_seat": None, "via": "move", "by": "王总监"}),
    (ExceptionRecorded(code="fever", action="hold", reason="rest", evidence={"temp1": "38.4"}, room="001", seat=4,
                       via="ticket", missing=("temp2",)),
     {"code": "fever", "action": "hold", "reason": "rest", "evidence": {"temp1": "38.4"}, "room": "001", "seat": 4,
      "via": "ticket", "missing": ["temp2"]}),
    (Denied(code="wrong_site", action="deny", evidence={"note": "x"}, room="001", seat=7, via="id_number"),
     {"code": "wrong_site", "action": "deny", "reason": "", "evidence": {"note": "x"}, "room": "001", "seat": 7,
      "via": "id_number"}),
    (DuplicateScan(first_event=None, first_lane=None, first_at=None),
     {"first_event": None, "first_lane": None, "first_at": None}),
    (UnknownScan(scanned="2115****1234"), {"scanned": "2115****1234"}),
    (WrongSessionScan(), {}),
    (Voided(target="t1", target_kind=Kind.ADMITTED, reason="wrong person", by="王"),
     {"target": "t1", "target_kind": "admitted", "reason": "wrong person", "by": "王"}),
    (Approved(exception_id="e1", level="chief", by="王", note="", recorded_by="王"),
     {"exception_id": "e1", "level": "chief", "by": "王", "note": "", "recorded_by": "王"}),
    (Rejected(exception_id="e1", by="王", reason="photo", level=None),
     {"exception_id": "e1", "by": "王", "reason": "photo", "level": None}),
    (Resolved(exception_id="e1", by="王", note="shown"), {"exception_id": "e1", "by": "王", "note": "shown"}),
    (Moved(room="B02", seat=5, origin=Origin("001", 1), by="王"),
     {"room": "B02", "seat": 5, "from_room": "001", "from_seat": 1, "via": "move", "by": "王"}),
    (RoomOpened(room="B02", name="备用", capacity=10, kind="backup", by="王"),
     {"room": "B02", "name": "备用", "capacity": 10, "kind": "backup", "by": "王"}),
    (IncidentRecorded(room="001", kind="misconduct", note="phone", severity="high", by="甲", override="late"),
     {"room": "001", "kind": "misconduct", "note": "phone", "severity": "high", "by": "甲", "override": "late"}),
    (SessionClosed(by="王"), {"by": "王"}),
    (AdmissionConflict(kept="k", conflicting="c", kept_lane="A", kept_at="t1", conflicting_lane="B", conflicting_at="t2"),
     {"kept": "k", "conflicting": "c", "kept_lane": "A", "kept_at": "t1", "conflicting_lane": "B", "conflicting_at": "t2"}),
    (RosterImported(files={"r.xlsx": "ab"}, candidates=2, added=2, updated=0, dropped=0),
     {"files": {"r.xlsx": "ab"}, "candidates": 2, "added": 2, "updated": 0, "dropped": 0}),
    (PinRefused(who="某人", purpose="approve"), {"who": "某人", "purpose": "approve"}),
    (DeviceEnrolled(public_key="k", laptop="desk", role="desk", by="王"),
     {"public_key": "k", "laptop": "desk", "role": "desk", "by": "王"}),
    (DeviceRevoked(public_key="k", reason="lost", by="王"), {"public_key": "k", "reason": "lost", "by": "王"}),
    (PlanSet(digests={"plan": "ab"}, reason="init"), {"digests": {"plan": "ab"}, "reason": "init"}),
    (PlanChanged(old_digest="a" * 64, new_digest="b" * 64, by="王总监"), {"old_digest": "a" * 64, "new_digest": "b" * 64, "by": "王总监"}),
    (PinChanged(by="王总监"), {"by": "王总监"}),
    (OverrideGranted(reason="公交延误", by="王总监"), {"reason": "公交延误", "by": "王总监"}),
    (AlarmResolved(target="d1", target_kind="duplicate_scan", resolution="double_read", note="scanner read twice", by="王"),
     {"target": "d1", "target_kind": "duplicate_scan", "resolution": "double_read", "note": "scanner read twice", "by": "王"}),
    (OutsideWindowScan(window="other_day", opens_at="2021-10-16T07:45", closes_at="2021-10-16T09:00"),
     {"window": "other_day", "opens_at": "2021-10-16T07:45", "closes_at": "2021-10-16T09:00", "scanned": ""}),
    (Arrived(room="B01", seat=1, placement="p1"), {"room": "B01", "seat": 1, "placement": "p1"}),
    (Left(reason="toilet", final=False, room="001", seat=4, by="李"),
     {"reason": "toilet", "final": False, "room": "001", "seat": 4, "by": "李"}),
    (Returned(left_event="l1", room="001", seat=4), {"left_event": "l1", "room": "001", "seat": 4}),
    (ReentryRefused(left_event="l1"), {"left_event": "l1"}),
    (PhotosImported(digests={"T1": "ab"}, replaced=("T1",), packs={"p.zip": "cd"}, by="王"),
     {"digests": {"T1": "ab"}, "replaced": ["T1"], "packs": {"p.zip": "cd"}, "by": "王"}),
    (PhotosPurged(removed=3, by="王", reason="after the exam"), {"removed": 3, "by": "王", "reason": "after the exam"}),
    (DuplicateScan(first_event="e1", first_lane=None, first_at="t", first_staff="root", first_via="reallocation",
                   first_by="王总监"),
     {"first_event": "e1", "first_lane": None, "first_at": "t", "first_staff": "root", "first_via": "reallocation",
      "first_by": "王总监"}),
    (ExceptionRecorded(code="prohibited_item", action="admit", evidence={"item": "phone"}, room="001", seat=4,
                       via="ticket", after_admission=True),
     {"code": "prohibited_item", "action": "admit", "reason": "", "evidence": {"item": "phone"}, "room": "001",
      "seat": 4, "via": "ticket", "after_admission": True}),
]
IDS = [f"{type(p).__name__}-{i}" for i, (p, _) in enumerate(STORED)]


def _event(kind: str, payload: dict) -> Event:
    return Event("id", kind, "2021-10-16T00:10:00.000000Z", "dev", 1, "S1", "T", "A", "s", payload)


def test_every_kind_in_use_has_a_payload_type():
    kinds = {value for name, value in vars(Kind).items() if name.isupper()}
    assert set(PAYLOAD_TYPES) == kinds
    assert {type(p).event_kind for p, _ in STORED} == kinds


@pytest.mark.parametrize(("payload", "stored"), STORED, ids=IDS)
def test_writes_exactly_what_is_stored_and_reads_it_back(payload, stored):
    assert canonical_json(payload.to_payload()) == canonical_json(stored)
    assert type(payload).from_payload(payload.to_payload()) == payload
    event = _event(type(payload).event_kind, stored)
    assert payload_of(event) == event.data == type(payload).from_event(event) == payload


@pytest.mark.parametrize(("payload", "stored"), STORED, ids=IDS)
def test_keys_this_code_does_not_know_are_kept(payload, stored):
    newer = {**stored, "signed_by_deputy": "李", "tags": ["a", "b"]}
    read = type(payload).from_payload(newer)
    assert read.extra == {"signed_by_deputy": "李", "tags": ["a", "b"]}
    assert read.to_payload() == newer


@pytest.mark.parametrize(("cls", "attribute", "default"), [
    (Approved, "recorded_by", None), (Approved, "note", ""), (ExceptionRecorded, "evidence", {}),
    (ExceptionRecorded, "missing", None), (IncidentRecorded, "severity", ""), (Admitted, "origin", None),
    (Admitted, "by", None), (Voided, "target_kind", ""), (Rejected, "level", None),
])
def test_a_key_an_older_writer_left_out_reads_as_the_default(cls, attribute, default):
    assert getattr(cls.from_payload({}), attribute) == default


def test_an_unknown_kind_keeps_its_payload_whole():
    event = _event("a_newer_kind", {"what": "entry closes 09:15"})
    assert isinstance(event.data, Unrecognised)
    assert event.data.to_payload() == {"what": "entry closes 09:15"}


def test_from_event_refuses_another_kind():
    with pytest.raises(ValueError, match="not 'approved'"):
        Approved.from_event(_event(Kind.REJECTED, {"by": "王"}))


def test_an_override_keeps_every_stored_key():
    assert with_override({"by": "王", "x": 1}, "late") == {"by": "王", "x": 1, "override": "late"}


def test_a_payload_is_frozen_and_copies_and_pickles_as_itself():
    import copy
    import pickle

    payload = Admitted(room="B02", seat=7, origin=Origin("001", 4), via="move", by="王总监", missing=["temp2"])
    assert payload.missing == ("temp2",)  # a JSON array is held as a tuple
    for change in (lambda: setattr(payload, "room", "X"), lambda: delattr(payload, "room")):
        with pytest.raises(AttributeError):
            change()
    assert copy.deepcopy(payload) == pickle.loads(pickle.dumps(payload)) == payload
    with pytest.raises(TypeError):
        Admitted("B02")  # keyword-only
    with pytest.raises(TypeError):
        Admitted(rooom="B02")
