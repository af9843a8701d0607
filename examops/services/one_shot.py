"""A one-shot `examops check CODE` on a SQLite store without SQLAlchemy: the plain admission and the duplicate.

`examops check CODE` runs a process per scan, and importing SQLAlchemy alone costs more than the scan. Here the
compiled scan path runs on SQLite's own connection (`adapters.one_shot_store`), decides as the lane does
(`compiled_admission.plan_scan`, the plan, policy and shared drill clock read as `Site.open` reads them) and
writes the same event, sealed on the device's chain and signed, with its guard row, in one durable transaction
before it answers. Every other scan (an outcome, an unknown ticket, no seat, a closed session, outside the entry
window, a drill not begun yet, a store to migrate, a damaged store, any error) gets None with nothing written:
the caller runs the full lane, which answers it (and words its refusals) as it always has. A store locked past
the busy timeout is answered here, NOT RECORDED, nothing written: the full lane would only wait as long again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from examops import locations
from examops.adapters import sqlite_statements
from examops.adapters.failure_words import describe_failure
from examops.adapters.one_shot_store import NotHere, OneShotStore, StoreBusy
from examops.adapters.scan_rows import ANCHOR_PREFIX, event_to_row, later_head, lookup_from_rows
from examops.domain import windows
from examops.domain.events import seal, signing_message
from examops.domain.field_limits import check_field
from examops.domain.plan import PlanError
from examops.domain.policy import PolicyError
from examops.domain.scan import classify
from examops.domain.verdict import Verdict
from examops.services.compiled_admission import lane_event, plan_scan
from examops.services.lane_device import device_id
from examops.services.plain_site import OneShotSite, read_site
from examops.services.site_settings import STORE_ID_KEY

_NOT_HERE = (NotHere, PlanError, PolicyError, KeyError, ValueError)
"""What sends a scan to the full path before anything is written (a refusal there says it in the lane's words)."""


def check_once(db: str | None, code: str, *, lane: str, staff: str, device: str | None, session_id: str | None,
               outcome: str | None, evidence: Mapping[str, str]) -> tuple[OneShotSite, Verdict] | None:
    """The recorded verdict of one plain admission or duplicate scan, or None (nothing written: the full path)."""
    if outcome not in (None, "", "admit"):
        return None
    store = OneShotStore.open(locations.store_url(db))
    if store is None:
        return None
    try:
        try:
            site = read_site(store)
            if site is None:
                return None
            written = _scan(store, site, code, lane, staff, device, session_id, outcome,
                            {k: str(v) for k, v in evidence.items()})
        except _NOT_HERE:
            return None
        if written is None:
            return None
        verdict, stored, store_id = written
        if stored is None:
            return site, verdict  # not recorded: the store stayed locked; nothing was written
        # committed: from here on nothing goes back to the full path
        store.witness(store_id, {stored.device: (stored.device_seq, stored.hash)})
        return site, replace(verdict, event_id=stored.id, recorded=True, at=stored.at)
    finally:
        store.close()


def _scan(store: OneShotStore, site: OneShotSite, code: str, lane: str, staff: str, device: str | None,  # noqa: PLR0913
          session_id: str | None, outcome: str | None, evidence: dict):  # noqa: ANN202 - (Verdict, Event) or None
    """`Lane.check`'s compiled path: look up under the write lock, decide, seal, sign, insert, commit."""
    session = site.plan.session(session_id) if session_id else site.plan.current_session(site.clock.local())
    scan = classify(code)
    if session is None or scan.kind != "ticket" or windows.window(session, site.clock.local()).outside:
        return None
    store_id = store.setting(STORE_ID_KEY)
    if store_id is None:
        return None
    device = device or device_id(store_id, lane)
    check_field("device", device)
    signer = store.device_key(store_id)
    ticket = scan.value
    try:
        return _write(store, site, session, ticket, lane, staff, device, signer, outcome, evidence, store_id)
    except StoreBusy as busy:
        failure = describe_failure(busy.error)
        return Verdict("not_recorded", session.id, reason=str(failure), failure=failure, scanned=ticket), None, store_id


def _write(store: OneShotStore, site: OneShotSite, session, ticket: str, lane: str, staff: str,  # noqa: ANN001, PLR0913
           device: str, signer, outcome: str | None, evidence: dict, store_id: str):  # noqa: ANN001, ANN202
    with store.write():
        rows = store.run(sqlite_statements.LOOKUP, {"session": session.id, "ticket": ticket})
        planned = plan_scan(lookup_from_rows(rows, session.id, ticket), session, ticket, site.policy, site.clock.local(),
                            outcome, evidence)
        if planned is None:
            return None
        event = lane_event(planned.kind, session.id, ticket, planned.payload, now=site.clock.now(), device=device,
                           lane=lane, staff=staff)
        seq, prev = later_head(next(iter(store.run(sqlite_statements.HEAD, {"device": device})), None),
                               store.setting(ANCHOR_PREFIX + device))
        sealed = seal(replace(event, device_seq=seq + 1), prev)
        sealed = replace(sealed, signer=signer.public_b64, signature=signer.sign(signing_message(sealed.hash)))
        store.run(sqlite_statements.INSERT_EVENT, event_to_row(sealed))
        if planned.guard_slot is not None:
            store.run(sqlite_statements.INSERT_GUARD, {"session_id": session.id, "ticket": ticket,
                                                       "slot": planned.guard_slot, "event_id": sealed.id})
    return planned.verdict, sealed, store_id
