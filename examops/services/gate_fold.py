"""How one of the lane's own verdicts changes its side panels, without counting the store again.

A recount (`gate_view.lane_panels`) groups the whole session; after the lane's own scan the change is known
from the verdict alone: an admission adds one to the admitted and to the candidate's room, a duplicate to the
duplicates, a hold or a denial to the held or the denied (leaving the state the candidate was in before the
scan, as the card read it), and the event's row goes on top of the recent scans. Anything this cannot say
for certain answers None, and the screen counts again. Pure: no store, no screen.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from examops.domain import idnumber, scan
from examops.domain.verdict import Verdict
from examops.services.gate_view import LanePanels, RecentScan

# The verdicts whose event names the candidate's new state in the session (`fold_day`'s status).
NEW_STATE = {"admitted": "admitted", "exception": "held", "denied": "denied"}
# Verdicts that write an event and change no figure: only a row of the recent scans.
ROW_ONLY = ("duplicate", "unknown", "wrong_session", "outside_window", "arrived", "returned", "no_reentry")
# A state's figure; out and left are still admitted (the admission stands).
FIGURE_OF_STATE = {"admitted": "admitted", "out": "admitted", "left": "admitted", "held": "held", "denied": "denied"}
STATES = ("expected", "admitted", "held", "denied", "out", "left")


def writes_event(verdict: Verdict) -> bool:
    """The verdict stored an event of its own just now (not a repeat of one already in the log, not refused)."""
    return verdict.recorded and not verdict.standing and verdict.event_id is not None


def fold_verdict(panels: LanePanels, verdict: Verdict, local_time: Callable[[str | None], str],
                 limit: int = 12) -> LanePanels | None:
    """`panels` after the lane's own `verdict`, or None when only a recount can say.

    `local_time`: an event's UTC time stamp as the recent scans show it (`gate_view.local_time`).
    A verdict that wrote nothing leaves the panels as they are (the same object).
    """
    if not writes_event(verdict):
        return panels
    figures = panels.counters
    if verdict.session != figures.session or verdict.offline:  # offline: on this laptop's copy, counted there
        return None
    kind = verdict.verdict
    if kind not in NEW_STATE and kind not in ROW_ONLY:
        return None
    card = verdict.card
    # A copy, its rooms shared but the one that changes (a 50k site has some 1,700: a deep copy cost a scan's frame)
    after = dataclasses.replace(figures, rooms=dict(figures.rooms))
    if kind == "duplicate":
        after.duplicates += 1
    elif kind in NEW_STATE:
        if card is None or card.state not in STATES:
            return None
        before_state = card.state
        # An exception raised after admission goes to the chief; the admission stands (the candidate stays admitted).
        new_state = before_state if kind == "exception" and FIGURE_OF_STATE.get(before_state) == "admitted" else NEW_STATE[kind]
        if kind in ("admitted", "denied") and FIGURE_OF_STATE.get(before_state) == "admitted":
            return None  # the gate does not admit or deny an admitted candidate: something this fold does not know
        left, joined = FIGURE_OF_STATE.get(before_state), FIGURE_OF_STATE.get(new_state)
        if left != joined:
            if left is not None:
                setattr(after, left, getattr(after, left) - 1)
            if joined is not None:
                setattr(after, joined, getattr(after, joined) + 1)
            if "admitted" in (left, joined):
                room = card.current_room
                if room is None:
                    return None
                counts = after.rooms.get(room, {"expected": 0, "admitted": 0})
                after.rooms[room] = {**counts, "admitted": counts.get("admitted", 0) + (1 if joined == "admitted" else -1)}
    row = RecentScan(local_time(verdict.at), card.ticket if card else _unknown_scanned(verdict),
                     card.name if card else "", kind, (verdict.code or None) if kind in NEW_STATE else None)
    return LanePanels(after, [row, *panels.recent][:limit], panels.closed, panels.version)


def _unknown_scanned(verdict: Verdict) -> str:
    """The ticket column of a scan that found nobody, as the recount shows its logged (masked) value."""
    if verdict.verdict != "unknown":
        return ""
    found = scan.classify(verdict.scanned)
    logged = idnumber.mask(found.value) if found.kind == "id_number" else found.value[:40]  # as `gate._safe_scanned`
    return scan.masked(logged)
