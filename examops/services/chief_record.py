"""What the chief's PIN was used for outside the review (plan and PIN changes, overrides, photos replaced or purged,
early leaves authorised before the allowed time), how often it was refused, and the decisions in the chief's name that
the chief's key did not seal."""

from __future__ import annotations

from examops.adapters.store import review_queries as rq
from examops.domain.event_payloads import Left, OverrideGranted, PhotosImported, PhotosPurged, PinChanged, PlanChanged
from examops.domain.events import Kind
from examops.domain.report_content import ChiefRecord, ChiefRecordEntry
from examops.services.chief_seal import problems_in
from examops.services.site import Site

UNSEALED = "unsealed_decision"
"""The entry kind of a chief decision without the chief's seal (`chief_seal`)."""
EARLY_LEAVE = "early_leave_authorised"
"""The entry kind of a leave for good the chief authorised before the plan's time (`exits`)."""
RECORDED_KINDS = (Kind.PLAN_CHANGED, Kind.PIN_CHANGED, Kind.OVERRIDE_GRANTED, Kind.PHOTOS_IMPORTED, Kind.PHOTOS_PURGED,
                  Kind.LEFT)
SHOWN_TICKETS = 20


def chief_record(site: Site) -> ChiefRecord:
    """Every plan change, PIN change, override, photo replacement and purge, and early leave authorised before its time,
    in log order, the count of refused PINs, then every decision in the chief's name without the chief's seal."""
    with site.store.read() as conn:
        events = sorted((e for kind in RECORDED_KINDS for e in rq.events_of_kind(conn, kind, None) if _needed_pin(e)),
                        key=lambda e: e.at)
        refused = len(rq.events_of_kind(conn, Kind.PIN_REFUSED, None))
        decisions = rq.chief_decisions(conn)
    unsealed = [ChiefRecordEntry(p.event.at, UNSEALED, str(p.event.payload.get("by") or p.event.staff or ""),
                                 f"{p.event.ticket or '-'} · {(p.case or '-')[:8]} · {p.event.id[:8]}")
                for p in problems_in(site, decisions)]
    return ChiefRecord([_entry(e) for e in events] + unsealed, refused)


def _needed_pin(event) -> bool:  # noqa: ANN001 - an Event
    """Only photo imports that replaced photos and exits authorised early took the PIN."""
    if event.kind == Kind.PHOTOS_IMPORTED:
        return bool(event.payload.get("replaced"))
    if event.kind == Kind.LEFT:
        return bool(event.payload.get("authorised_early_by"))
    return True


def _entry(event) -> ChiefRecordEntry:  # noqa: ANN001 - an Event
    data = event.data
    if isinstance(data, Left):
        where = f" ({data.room}/{data.seat})" if data.room else ""
        return ChiefRecordEntry(event.at, EARLY_LEAVE, data.authorised_early_by or "",
                                f"{event.session} {event.ticket}{where}: {data.reason}")
    if isinstance(data, PlanChanged):
        return ChiefRecordEntry(event.at, event.kind, data.by, f"{data.old_digest[:12]} → {data.new_digest[:12]}")
    if isinstance(data, PinChanged):
        return ChiefRecordEntry(event.at, event.kind, data.by, "")
    if isinstance(data, PhotosImported):  # only imports that replaced photos are listed (they needed the PIN)
        shown = ", ".join(data.replaced[:SHOWN_TICKETS]) + (" …" if len(data.replaced) > SHOWN_TICKETS else "")
        return ChiefRecordEntry(event.at, event.kind, data.by, f"{len(data.replaced)}: {shown}")
    if isinstance(data, PhotosPurged):
        return ChiefRecordEntry(event.at, event.kind, data.by, f"{data.removed}" + (f": {data.reason}" if data.reason else ""))
    assert isinstance(data, OverrideGranted)
    return ChiefRecordEntry(event.at, event.kind, data.by, data.reason)


def to_json(record: ChiefRecord) -> dict:
    return {"refused_pins": record.refused_pins,
            "entries": [{"at": e.at, "kind": e.kind, "by": e.by, "detail": e.detail} for e in record.entries]}
