"""Writing events: one transaction per fact, admissions guarded by the primary key.

Shared by the gate lane and the chief proctor's actions so that every
admission, wherever it comes from, goes through the same uniqueness guard.
The storage itself is `examops.adapters.store.events`; callers reach it
through this module's names (`ledger.record`), which a test may replace.
"""

from __future__ import annotations

from examops.adapters.store.events import (
    DEVICE_SEQ_RETRIES,
    SessionClosed,
    admission_slot,
    append_in,
    closure,
    record,
)

__all__ = ["DEVICE_SEQ_RETRIES", "SessionClosed", "admission_slot", "append_in", "closure",
           "record", "record_tables"]


def record_tables(site, conn, reason: str, *, loaded=None) -> None:  # noqa: ANN001
    """Inside the transaction that changed the plan, PIN or roster: log digests of what the tables now hold.

    `loaded`: `digests.loaded_digests` of the roster rows this transaction loaded into empty tables, when it did.
    """
    from examops.adapters.store.digests import live_digests
    from examops.domain.event_payloads import PlanSet
    from examops.domain.events import Kind

    site.store.append(conn, site.system_event(Kind.PLAN_SET, PlanSet(digests=live_digests(conn, loaded=loaded), reason=reason).to_payload()))
