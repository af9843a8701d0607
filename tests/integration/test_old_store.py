"""A store written by main's code before typed events (tests/fixtures/make_old_store.py) reads with today's code."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine

from examops.adapters.store import row_to_event
from examops.domain.chief_seal import is_chief_decision
from examops.domain.event_payloads import (
    PAYLOAD_TYPES,
    AdmissionConflict,
    Admitted,
    ExceptionRecorded,
    IncidentRecorded,
    Origin,
    Unrecognised,
)
from examops.domain.events import Kind
from examops.services.audit import verify
from examops.services.site import Site

OLD_STORE = Path(__file__).resolve().parents[1] / "fixtures" / "old_store.sqlite3"


def _events(path: Path):
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        events = [row_to_event(row) for row in conn.exec_driver_sql("SELECT * FROM events ORDER BY pos")]  # its own columns
    engine.dispose()
    return events


def test_the_old_store_verifies_its_chains_and_reports_every_event_unsigned(tmp_path):
    """A store from before device signatures opens and migrates; its chains hold, each event is named unsigned, and each
    chief decision as without the chief's seal (it came before decisions were sealed)."""
    copy = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, copy)
    site = Site.open(f"sqlite:///{copy}")
    try:
        report = verify(site)
        assert not report.ok
        unsigned = [p for p in report.problems if "unsigned event" in p]
        assert len(unsigned) == report.events == len(_events(OLD_STORE))
        unsealed = [p for p in report.problems if "has no chief's seal" in p or "did not seal" in p]
        decisions = [e for e in _events(OLD_STORE) if is_chief_decision(e)]
        assert decisions and len([p for p in unsealed if "has no chief's seal" in p]) == len(decisions)
        [rest] = [p for p in report.problems if p not in unsigned + unsealed]
        assert "no digest of the plan and roster" in rest
    finally:
        site.close()


# The chief's PIN records, alarm resolutions, the gate's windows, arrivals and exits, and photos came after that store.
NEWER_KINDS = {"plan_changed", "pin_changed", "override_granted", "alarm_resolved",
               "outside_window_scan", "arrived", "left", "returned", "reentry_refused", "photos_imported", "photos_purged"}


def test_every_old_event_parses_into_its_typed_payload_and_writes_back_the_same():
    events = _events(OLD_STORE)
    new_kinds = NEWER_KINDS | {Kind.DEVICE_ENROLLED, Kind.DEVICE_REVOKED, Kind.PLAN_SET}  # written only since
    assert set(Counter(e.kind for e in events)) == set(PAYLOAD_TYPES) - new_kinds
    for event in events:
        data = event.data
        assert not isinstance(data, Unrecognised) and type(data) is PAYLOAD_TYPES[event.kind]
        assert data.extra == {}, event.kind
        assert data.to_payload() == dict(event.payload), event.kind


def test_old_payload_values_read_as_attributes():
    events = _events(OLD_STORE)
    by_kind = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event.data)
    held = next(p for p in by_kind[Kind.EXCEPTION] if p.missing)
    assert isinstance(held, ExceptionRecorded)
    assert (held.code, held.action, held.evidence, held.missing) == ("fever", "hold", {"temp1": "38.4"}, ("temp2",))
    reallocated = next(p for p in by_kind[Kind.ADMITTED] if p.via == "reallocation")
    assert isinstance(reallocated, Admitted) and reallocated.by == "王总监" and reallocated.exception_id
    assert reallocated.origin == Origin("001", 2) and (reallocated.room, reallocated.seat) == ("B01", 1)
    gate = next(p for p in by_kind[Kind.ADMITTED] if p.via == "ticket")
    assert (gate.code, gate.evidence, gate.origin, gate.exception_id) == ("", {}, None, None)
    late = by_kind[Kind.INCIDENT][-1]
    assert isinstance(late, IncidentRecorded) and late.override == "late record after close-out" and late.kind == "other"
    conflict = by_kind[Kind.CONFLICT][0]
    assert isinstance(conflict, AdmissionConflict) and (conflict.kept_lane, conflict.conflicting_lane) == ("A", "B")
    assert [p.level for p in by_kind[Kind.APPROVED]][::3] == ["chief", "deputy", "supervisor"]
