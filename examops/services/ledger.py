"""Writing events: one transaction per fact, admissions guarded by the primary key.

Shared by the gate lane and the chief proctor's actions so that every
admission, wherever it comes from, goes through the same uniqueness guard.
The storage itself is `examops.adapters.store.events`; callers reach it
through this module's names (`ledger.record`), which a test may replace.
"""

from __future__ import annotations

from examops.adapters.store.events import (
    DEVICE_SEQ_RETRIES,
    EVENTS_CHANNEL,
    SessionClosed,
    admission_slot,
    announce,
    append_in,
    closure,
    record,
)

__all__ = ["DEVICE_SEQ_RETRIES", "EVENTS_CHANNEL", "SessionClosed", "admission_slot", "announce", "append_in", "closure",
           "record"]
