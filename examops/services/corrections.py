"""Corrections: an event is never edited; a `voided` event names it and says why (chief's PIN)."""

from __future__ import annotations

from examops.adapters.store import events as event_log
from examops.adapters.store import review_queries as q
from examops.domain.event_payloads import Voided
from examops.domain.events import Event, Kind
from examops.domain.said import N_, SaidError, said
from examops.domain.state import voided_targets
from examops.services import ledger
from examops.services.chief_seal import ChiefKeyRefused, chief_sealer
from examops.services.site import Site

NOT_VOIDABLE = (Kind.VOIDED, Kind.ROSTER_IMPORTED, Kind.PIN_REFUSED, Kind.PLAN_CHANGED, Kind.PIN_CHANGED,
                Kind.OVERRIDE_GRANTED, Kind.PHOTOS_IMPORTED, Kind.PHOTOS_PURGED)


class CorrectionRefused(SaidError):
    pass


def void_event(site: Site, event_id: str, *, reason: str, by: str, pin: str | None) -> Event:
    """Record that `event_id` is void; the candidate's state is folded without it from now on."""
    if not reason.strip():
        raise CorrectionRefused(said(N_("a reason is required to void an event")))
    try:
        sealer = chief_sealer(site, pin, who=by, purpose=f"void {event_id}",
                              wrong_pin=N_("wrong PIN: only the chief proctor can void an event (the attempt is logged)"))
    except ChiefKeyRefused as exc:
        raise CorrectionRefused(exc.said) from None
    with site.store.write() as conn:
        target = event_log.event_by_id(conn, event_id)
        if target is None:
            raise CorrectionRefused(said(N_("no event {event} in the log"), event=event_id))
        if target.kind in NOT_VOIDABLE:
            raise CorrectionRefused(said(N_("a {kind} event cannot be voided"), kind=target.kind))
        if event_id in voided_targets(q.subject_voids(conn, target.session, target.ticket)):
            raise CorrectionRefused(said(N_("event {event} is already void"), event=event_id))
        event = site.system_event(Kind.VOIDED, Voided(target=event_id, target_kind=target.kind, reason=reason.strip(), by=by).to_payload(),
                                  session=target.session, ticket=target.ticket)
        stored = ledger.append_in(conn, site.store, event, override=site.override, chief_seal=sealer)
    return stored
