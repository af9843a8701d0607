"""Tables edited outside examops since the log last recorded their digests: found before anything records them anew.

`init` and a roster import end by logging digests of the plan, PIN and roster tables (`ledger.record_tables`). Run
over tables an insider edited with sqlite3 (a session's late-entry minutes, a seat, the PIN hash), that record would
make the edit the truth and `examops verify` would find nothing: so they look first, in the same transaction, and
refuse; the chief may go on over the edit only with the PIN, and the log's new record then names what was edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from examops.adapters.store import Connection
from examops.adapters.store import events as event_log
from examops.adapters.store.digests import live_digests
from examops.domain.event_payloads import PlanSet
from examops.domain.events import Event, Kind
from examops.domain.said import N_, Said, joined, said
from examops.domain.table_digests import PART_NAMES, differing_parts


@dataclass(frozen=True)
class TableEdits:
    """What differs from the last record (`recorded`, the PLAN_SET event) of the tables."""

    recorded: Event
    keys: list[str]  # of `PART_NAMES`

    @property
    def parts(self) -> list[Said]:
        return [said(PART_NAMES.get(key, key)) for key in self.keys]

    @property
    def pin_hash(self) -> bool:
        """The PIN hash itself was edited: a PIN checked against it proves nothing."""
        return "chief_pin" in self.keys

    def refusal(self, clock, *, init: bool = True) -> Said:  # noqa: ANN001 - the site's Clock
        """Why nothing was changed and what to do: for `init` itself, or for another change (a roster import)."""
        template = (N_("{parts} differ from what the log recorded at {at} (event {event}): edited outside examops. "
                       "Nothing was changed, so that the evidence stays: run `examops verify`, keep what it says for "
                       "the bureau, then run this again with --over-edits and the chief proctor's PIN") if init else
                    N_("{parts} differ from what the log recorded at {at} (event {event}): edited outside examops. "
                       "Nothing was imported, so that the evidence stays: run `examops verify`, keep what it says for "
                       "the bureau; the chief proctor may go on with `examops init --plan PLAN --over-edits`"))
        return said(template, parts=joined(self.parts), at=clock.shown(self.recorded.at, date=True),
                    event=self.recorded.id)

    def papers_refusal(self, clock) -> Said:  # noqa: ANN001 - the site's Clock
        """Why no room paper was printed: a seat or name edited behind the log would be put on the door and the desks."""
        return said(N_("{parts} differ from what the log recorded at {at} (event {event}): edited outside examops. No "
                       "papers were printed from them: run `examops verify`, keep what it says for the bureau; the chief "
                       "proctor may go on with `examops init --plan PLAN --over-edits`"),
                    parts=joined(self.parts), at=clock.shown(self.recorded.at, date=True), event=self.recorded.id)

    def reason(self, doing: str) -> str:
        """The new record's reason (stored English, as event reasons are): what was edited, for the log to keep."""
        return f"{doing} over edits made outside examops: " + "; ".join(str(part) for part in self.parts)


def edits_since_record(conn: Connection) -> TableEdits | None:
    """The tables' parts that differ from the log's last record of them; None where they match or none is recorded."""
    records = event_log.events_of_kind(conn, Kind.PLAN_SET)
    if not records:
        return None  # a new store, or one from before digests (verify says so)
    keys = differing_parts(PlanSet.from_event(records[-1]).digests, live_digests(conn))
    return TableEdits(records[-1], keys) if keys else None
