"""Check-in at a gate lane: one scan in, one durable verdict out.

The order of work is the promise: look up, decide, write the event (and, for
an admission, the `admissions` row whose primary key forbids a second one) in
one transaction, and only then say what happened. A lost race on that key is
a `duplicate`; a failed write is `not_recorded` and leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from examops.adapters.store import IntegrityError, ServerUnreachable, StoreLocked, WriteFailed, scan_path
from examops.domain import idnumber, windows
from examops.domain.event_payloads import (
    PAYLOAD_TYPES,
    Arrived,
    ExceptionRecorded,
    GateOutcome,
    OutsideWindowScan,
    ReentryRefused,
    Returned,
    SessionClosed,
    UnknownScan,
    WrongSessionScan,
)
from examops.domain.events import Event, Kind, format_utc
from examops.domain.field_limits import check_field
from examops.domain.plan import Session
from examops.domain.policy import PolicyError
from examops.domain.scan import classify
from examops.domain.state import CandidateDay
from examops.domain.verdict import CandidateCard, Verdict, decide
from examops.services import ledger, lookup
from examops.services.compiled_admission import duplicate_scan, lane_event, plan_scan
from examops.services.site import Site

ROOM_KIND_OF_ACTION = {"isolation_room": "isolation", "backup_room": "backup"}

KIND_OF_ACTION = {"admit": Kind.ADMITTED, "deny": Kind.DENIED}


@dataclass
class Lane:
    """One gate lane: who scans, where; every scan goes through `check`."""

    site: Site
    lane: str
    staff: str
    device: str | None = None

    def __post_init__(self) -> None:
        check_field("lane", self.lane)
        check_field("staff", self.staff)
        self.device = self.device or self.site.device(self.lane)
        check_field("device", self.device)
        # The compiled scan path (issue 15): three statements in one transaction on SQLite, two round trips on PostgreSQL.
        self.scan_path = None if self.site.override else scan_path.for_lane(self.site.store, self.device)

    def warm(self) -> None:
        """Load what the first scan's write would, writing nothing: this laptop's key, the signing code, the witness, so the
        first candidate at the gate waits no longer than the next (the gate calls it once the lane is ready)."""
        with self.site.store.read() as conn:
            self.site.store.load_writer(conn)

    def session(self, session_id: str | None = None) -> Session:
        if session_id:
            return self.site.plan.session(session_id)
        current = self.site.plan.current_session(self.site.clock.local())
        if current is None:
            raise KeyError("the plan has no sessions")
        return current

    def check_burst(self, scans: list[tuple[str, str | None, Mapping[str, str]]], *,
                    session_id: str | None = None, read_at: Sequence[dt.datetime | None] = ()) -> list[Verdict]:
        """Check (code, outcome, evidence) scans in order and commit them together: a wedge scanner's burst, one fsync.

        `read_at`: when each scan was read (in the same order; missing or None: now), so a burst read before the
        cutoff is judged before it however late its commit. On SQLite the scans share one transaction (each a
        savepoint, so one failing leaves the others); the verdicts are returned only after it committed. If the
        commit fails, none of them was recorded: each says so, and the lane forgets the chain head it had moved on
        in memory.
        """
        reads = [*read_at[:len(scans)], *[None] * (len(scans) - len(read_at))]
        verdicts: list[Verdict] = []
        try:
            with self.site.store.group():
                for (code, outcome, evidence), read in zip(scans, reads):
                    verdicts.append(self.check(code, session_id=session_id, outcome=outcome, evidence=evidence,
                                               scanned_at=read))
        except WriteFailed as exc:
            if self.scan_path is not None:
                self.scan_path.head = None
            done = [_unrecorded(verdict, exc) if verdict.recorded else verdict for verdict in verdicts]
            rest = list(zip(scans[len(verdicts):], reads[len(verdicts):]))
            if isinstance(exc, StoreLocked) and rest:
                # Another process holds the write lock: each scan alone would wait the whole busy timeout again to
                # be told the same (a burst of six stalled the lane for 35 s). All of them NOT RECORDED, now.
                session = self.session(session_id).id
                return done + [Verdict("not_recorded", session, reason=str(exc), failure=exc.said, scanned=code[:80])
                               if classify(code).kind != "invalid" else self.check(code, session_id=session_id)
                               for (code, _outcome, _evidence), _read in rest]
            # The group could not begin (the store file gone, say) or stopped early: the rest, one by one, each
            # answered for itself as a lone scan would be.
            return done + [self.check(code, session_id=session_id, outcome=outcome, evidence=evidence, scanned_at=read)
                           for (code, outcome, evidence), read in rest]
        except BaseException:
            # Anything else rolled the whole group back: the head moved on in memory names an event not on disk.
            if self.scan_path is not None:
                self.scan_path.head = None
            raise
        return verdicts

    def check(
        self,
        code: str,
        *,
        session_id: str | None = None,
        outcome: str | None = None,
        evidence: Mapping[str, str] | None = None,
        hold_admission: bool = False,
        scanned_at: dt.datetime | None = None,
    ) -> Verdict:
        """Check one scanned or typed code; the verdict is recorded before it is returned.

        With `hold_admission` a clean admission is not written: the verdict is `to_confirm` (recorded False) for
        the staffer to compare the face with the photo; checking the same code again without it admits.
        `scanned_at` (aware): when the candidate's code was read, if earlier than now — a card that waited for the
        face, or a scan queued behind it, is judged against the entry window at the moment the candidate stood
        at the gate, not when the staffer pressed Enter. The event's `at` stays the moment it is written; a
        screening (admission, exception, denial) read in an earlier minute also says when (`read_at`), which the
        report counts.
        """
        local_now = self._moment(scanned_at)
        session = self.session(session_id)
        evidence = {k: str(v) for k, v in (evidence or {}).items()}
        scan = classify(code)
        if scan.kind == "invalid":
            return Verdict("invalid", session.id, reason=scan.reason, scanned=scan.raw[:80])
        window = windows.window(session, local_now)
        if window.outside:
            with self.site.store.read() as conn:  # a closed session says who closed it, even after its end
                closed = ledger.closure(conn, session.id)
            if closed is not None and not (self.site.override or "").strip():
                return self._closed(session, closed)
            return self._outside_window(window, scan)
        if self.scan_path is not None and scan.kind == "ticket" and outcome in (None, "", "admit") and not hold_admission:
            admitted = self._admit_compiled(session, scan.value, outcome, evidence, local_now, scanned_at)
            if admitted is not None:
                return admitted
        try:
            with self.site.store.read() as conn:
                closed = ledger.closure(conn, session.id)
                if closed is not None and not (self.site.override or "").strip():
                    return self._closed(session, closed)
                card = self._find(conn, scan.kind, scan.value, session.id)
                if card is None:
                    suggestions = tuple(lookup.near_matches(conn, scan.value, session=session.id))
                    return self._record_simple(Kind.UNKNOWN, session, None, UnknownScan(scanned=_safe_scanned(scan)).to_payload(),
                                               Verdict("unknown", session.id, suggestions=suggestions, scanned=scan.value))
                if card.room is None:
                    return self._record_simple(Kind.WRONG_SESSION, session, card, WrongSessionScan().to_payload(),
                                               Verdict("wrong_session", session.id, card=card, reason=f"not seated in session {session.id}"))
                day = lookup.candidate_day(conn, session.id, card.ticket)
                card = replace(card, placement=lookup.placement_of(day), state=day.state)
                rooms = {row.kind: row.id for row in reversed(lookup.room_list(conn))}
        except WriteFailed as exc:
            return Verdict("not_recorded", session.id, reason=str(exc), failure=exc.said)
        if day.admitted and outcome not in (None, "", "admit"):
            return self._after_admission(session, card, scan.kind, outcome, evidence)
        if day.admitted:
            return self._admitted_again(session, card, day, hold=hold_admission)
        if outcome in (None, "", "admit") and (day.open_exception or day.denial):
            standing = day.open_exception or day.denial
            said = standing.data  # the gate's screening, or the chief's rejection
            code, action = (said.code, said.action) if isinstance(said, GateOutcome) else (None, None)
            return Verdict(
                "exception" if day.open_exception else "denied", session.id, card=card,
                code=code, action=action, reason="already recorded: " + str(said.reason or code),
                event_id=standing.id, recorded=True, at=standing.at, standing=True,
            )
        try:
            decision = decide(self.site.policy, session, local_now, outcome, evidence)
        except PolicyError as exc:
            return Verdict("invalid", session.id, card=card, reason=str(exc), scanned=code[:80])
        kind = KIND_OF_ACTION.get(decision.action, Kind.EXCEPTION)
        written = self.site.clock.now()
        read_at = self._read_at(scanned_at, written)
        outcome_payload = PAYLOAD_TYPES[kind](
            code=decision.code, action=decision.action, reason=decision.reason, evidence=evidence,
            room=card.room, seat=card.seat, via=scan.kind, missing=decision.missing or None, read_at=read_at)
        event = self._event(kind, session.id, card.ticket, outcome_payload.to_payload(), now=written)
        go_kind = ROOM_KIND_OF_ACTION.get(decision.action, "regular" if decision.action == "admit" else None)
        go_room = rooms.get(go_kind) if go_kind in ("isolation", "backup") else card.current_room if go_kind else None
        base = Verdict(decision.verdict, session.id, card=card, code=decision.code or None,
                       action=decision.action, reason=decision.reason, evidence=evidence,
                       go_room=go_room, go_seat=card.current_seat if go_kind == "regular" else None,
                       go_kind=go_kind if go_room else None)
        if hold_admission and decision.action == "admit" and outcome in (None, "", "admit"):
            return replace(base, verdict="to_confirm")
        try:
            stored = self._write(event)
        except IntegrityError:
            return self._duplicate(session, card)
        except ledger.SessionClosed:
            return self._closed_meanwhile(session)
        except WriteFailed as exc:
            return replace(base, verdict="not_recorded", reason=str(exc), failure=exc.said)
        return replace(base, event_id=stored.id, recorded=True, at=stored.at)

    def _moment(self, scanned_at: dt.datetime | None) -> dt.datetime:
        """The local time a scan is judged at: when it was read, never later than now (a clock cannot run ahead)."""
        now = self.site.clock.now()
        return self.site.clock.local(min(scanned_at, now) if scanned_at is not None else now)

    @staticmethod
    def _read_at(scanned_at: dt.datetime | None, written: dt.datetime) -> str | None:
        """When the scan was read, as the log writes times, where that was in an earlier minute than the event's `at`
        (`written`): the entry window, the start and the report's arrival slots all turn on whole minutes, so a read
        in the same minute says nothing the write's own time does not (and the report reads no extra field for it)."""
        if scanned_at is None or scanned_at >= written:
            return None
        read, wrote = scanned_at.astimezone(dt.timezone.utc), written.astimezone(dt.timezone.utc)
        return format_utc(read) if read.replace(second=0, microsecond=0) < wrote.replace(second=0, microsecond=0) else None

    def _admit_compiled(self, session: Session, ticket: str, outcome: str | None, evidence: dict,
                        local_now: dt.datetime, scanned_at: dt.datetime | None = None) -> Verdict | None:
        """A plain admission or duplicate: one look-up and one write (see scan_path); None: the general path answers."""
        base: Verdict | None = None
        duplicate = False
        for _attempt in range(ledger.DEVICE_SEQ_RETRIES):
            event = None
            try:
                with self.scan_path.scan() as conn:
                    written = self.site.clock.now()
                    planned = plan_scan(self.scan_path.lookup(conn, session.id, ticket), session, ticket, self.site.policy,
                                        local_now, outcome, evidence, self._read_at(scanned_at, written))
                    if planned is None:
                        return None
                    base, duplicate = planned.verdict, planned.duplicate
                    event = self._event(planned.kind, session.id, ticket, planned.payload, now=written)
                    stored = self.scan_path.append(conn, event, guard_slot=planned.guard_slot)
            except IntegrityError as exc:
                self.scan_path.head = None
                if "device" in str(exc.orig).lower():
                    continue  # another process moved this device's chain on: read its head and run the scan again
                return None if base is None or duplicate else self._duplicate(session, base.card)  # another lane took the guard row
            except PolicyError:
                return None
            except ledger.SessionClosed:
                return self._closed_meanwhile(session)  # the chief closed it between look-up and write (PostgreSQL)
            except WriteFailed as exc:
                self.scan_path.head = None
                if event is None or not isinstance(exc, ServerUnreachable):
                    return self._not_recorded(session, base, duplicate, exc)
                try:  # the server never answered the write: a shared lane records the same event on this laptop
                    fallen_back = self._unanswered(event, exc)
                except IntegrityError:
                    return self._duplicate(session, base.card)
                except WriteFailed as failed:
                    return self._not_recorded(session, base, duplicate, failed)
                return replace(base, event_id=fallen_back.id, recorded=True, at=fallen_back.at)
            self.scan_path.committed(stored)
            self._stored(stored)
            return replace(base, event_id=stored.id, recorded=True, at=stored.at)
        return None

    @staticmethod
    def _not_recorded(session: Session, base: Verdict | None, duplicate: bool, exc: WriteFailed) -> Verdict:
        if base is None:
            return Verdict("not_recorded", session.id, reason=str(exc), failure=exc.said)
        if duplicate:
            return replace(base, reason=f"{base.reason} (NOT RECORDED: {exc})")
        return replace(base, verdict="not_recorded", reason=str(exc), failure=exc.said)

    def _closed(self, session: Session, closed: Event) -> Verdict:
        """The chief signed the session off: nothing more is recorded here, and a rescan cannot change that."""
        by = SessionClosed.from_event(closed).by
        closed_at = self.site.clock.local(dt.datetime.fromisoformat(closed.at.replace("Z", "+00:00")))
        at = f"{closed_at:%H:%M}"
        return Verdict("session_closed", session.id, reason=f"session {session.id} was closed by {by} at {at}: "
                       "nothing more is recorded; call the chief proctor (总监考)", closed_by=by, closed_at=at)

    def _closed_meanwhile(self, session: Session) -> Verdict:
        """The chief closed the session between this scan's look-up and its write: the same answer as after the close."""
        with self.site.store.read() as conn:
            closed = ledger.closure(conn, session.id)
        if closed is None:  # cannot happen (the write was refused for it); say so rather than guess
            return Verdict("not_recorded", session.id, reason=f"session {session.id} closed")
        return self._closed(session, closed)

    # -- writing -----------------------------------------------------------
    def _event(self, kind: str, session: str, ticket: str | None, payload: dict, now: dt.datetime | None = None) -> Event:
        return lane_event(kind, session, ticket, payload, now=now or self.site.clock.now(), device=self.device, lane=self.lane,
                          staff=self.staff)

    def _write(self, event: Event) -> Event:
        try:
            stored = ledger.record(self.site.store, event, override=self.site.override)[0]
        except (IntegrityError, WriteFailed):
            if self.scan_path is not None:
                self.scan_path.head = None
            raise
        if self.scan_path is not None:
            self.scan_path.committed(stored)
        self._stored(stored)
        return stored

    def _stored(self, event: Event) -> None:
        """`event` was committed by this lane (a shared lane remembers it for going offline)."""

    def _unanswered(self, event: Event, failure: ServerUnreachable) -> Event:
        """A write the server never answered: nothing to fall back on here (a shared lane records it on this laptop)."""
        raise failure

    def _record_simple(self, kind: str, session: Session, card: CandidateCard | None, payload: dict, verdict: Verdict) -> Verdict:
        event = self._event(kind, session.id, card.ticket if card else None, payload)
        try:
            stored = self._write(event)
        except ledger.SessionClosed:
            return self._closed_meanwhile(session)
        except WriteFailed as exc:
            return replace(verdict, reason=f"{verdict.reason} (NOT RECORDED: {exc})".strip())
        return replace(verdict, event_id=stored.id, recorded=True, at=stored.at)

    def _outside_window(self, window: windows.Window, scan) -> Verdict:  # noqa: ANN001
        """Doors not open for this session: say what and when, admit no one, deny no one; log the attempt."""
        session = window.session
        try:
            with self.site.store.read() as conn:
                card = self._find(conn, scan.kind, scan.value, session.id)
        except WriteFailed as exc:
            return Verdict("not_recorded", session.id, reason=f"{window.reason()} ({exc})")
        payload = OutsideWindowScan(window=window.status, opens_at=window.opens_at.isoformat(timespec="minutes"),
                                    closes_at=window.closes_at.isoformat(timespec="minutes"),
                                    scanned="" if card else _safe_scanned(scan))
        verdict = Verdict("outside_window", session.id, card=card, reason=window.reason(), scanned=scan.value[:80],
                          window=window.status, opens_at=payload.opens_at, closes_at=payload.closes_at)
        return self._record_simple(Kind.OUTSIDE_WINDOW, session, card, payload.to_payload(), verdict)

    def _after_admission(self, session: Session, card: CandidateCard, via: str, outcome: str, evidence: dict) -> Verdict:
        """An exception about someone already admitted: to the chief's review; the admission stands until decided."""
        try:
            code = self.site.policy.code(outcome)
        except PolicyError as exc:
            return Verdict("invalid", session.id, card=card, reason=str(exc))
        reason = "admitted; raised after admission, for the chief proctor's review"
        payload = ExceptionRecorded(code=code.code, action=code.action, reason=reason, evidence=evidence,
                                    room=card.current_room, seat=card.current_seat, via=via, after_admission=True)
        verdict = Verdict("exception", session.id, card=card, code=code.code, action=code.action, reason=reason,
                          evidence=evidence, go_room=card.current_room, go_seat=card.current_seat, go_kind="regular")
        return self._record_simple(Kind.EXCEPTION, session, card, payload.to_payload(), verdict)

    def _admitted_again(self, session: Session, card: CandidateCard, day: CandidateDay, *, hold: bool = False) -> Verdict:
        """Already admitted: back from a leave, on the way to a seat the chief gave, gone for good, or a duplicate.

        With `hold` a return or an arrival is not written either: the face is compared first, as on the first entry
        (whoever comes back from a leave is who the gate must check again)."""
        go = dict(go_room=card.current_room, go_seat=card.current_seat, go_kind="regular")
        if hold and day.left_for_good is None and (day.out is not None or day.awaiting_arrival):
            reason = "back from a temporary leave" if day.out is not None else "seated by the chief"
            return Verdict("to_confirm", session.id, card=card, reason=reason, **go)
        if day.left_for_good is not None:
            return self._record_simple(Kind.REENTRY_REFUSED, session, card,
                                       ReentryRefused(left_event=day.left_for_good.id).to_payload(),
                                       Verdict("no_reentry", session.id, card=card, at=day.left_for_good.at,
                                               reason="left the exam for good: no re-entry"))
        if day.out is not None:
            payload = Returned(left_event=day.out.id, room=card.current_room, seat=card.current_seat)
            return self._record_simple(Kind.RETURNED, session, card, payload.to_payload(),
                                       Verdict("returned", session.id, card=card, reason="back from a temporary leave", **go))
        if day.awaiting_arrival:
            payload = Arrived(room=card.current_room, seat=card.current_seat, placement=day.placement.id)
            said = card.placement.describe() if card.placement else f"{card.current_room}-{card.current_seat}"
            return self._record_simple(Kind.ARRIVED, session, card, payload.to_payload(),
                                       Verdict("arrived", session.id, card=card, reason=f"seated by the chief: {said}", **go))
        return self._duplicate(session, card, day)

    def _duplicate(self, session: Session, card: CandidateCard, day: CandidateDay | None = None) -> Verdict:
        """Already admitted: say where, when and by whom, and log the attempt as a possible impersonation."""
        if day is None:
            with self.site.store.read() as conn:
                day = lookup.candidate_day(conn, session.id, card.ticket)
            card = replace(card, placement=lookup.placement_of(day), state=day.state)
        payload, verdict = duplicate_scan(session, card, day)
        return self._record_simple(Kind.DUPLICATE, session, card, payload, verdict)

    def _find(self, conn, kind: str, value: str, session: str) -> CandidateCard | None:  # noqa: ANN001
        if kind == "id_number":
            return lookup.card_by(conn, id_number=value, session=session) or lookup.card_by(conn, ticket=value, session=session)
        return lookup.card_by(conn, ticket=value, session=session)


def _unrecorded(verdict: Verdict, exc: Exception) -> Verdict:
    """A verdict whose group commit failed: nothing of it is on disk (as a failed write of its own would say)."""
    if verdict.verdict in ("admitted", "exception", "denied"):
        return replace(verdict, verdict="not_recorded", recorded=False, event_id=None, at=None, reason=str(exc),
                       failure=getattr(exc, "said", None))
    return replace(verdict, recorded=False, event_id=None, at=None, reason=f"{verdict.reason or ''} (NOT RECORDED: {exc})".strip())


def _safe_scanned(scan) -> str:  # noqa: ANN001
    """An unknown scan as logged: an ID-shaped value is masked (personal data)."""
    return idnumber.mask(scan.value) if scan.kind == "id_number" else scan.value[:40]

