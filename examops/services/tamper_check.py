"""The cheap tamper check: was the store edited behind examops since this laptop last verified it?

`examops verify` checks every event's hash and signature (~8 s on a 50k-candidate store): too slow before every
report and every 30 s on the chief's screen. This check proves the same answer from less, using the verified mark
this laptop keeps beside its key (`adapters.verified_mark`):

- the events verified before are still there as they were: one SHA-256 over their rows as stored, every column
  (an edit, a deletion, a reordering of `pos` or an insertion among them changes it), and every device's chain
  still reaches the head it had (cut short, rewritten, deleted);
- the events written since link on from those heads and are verified in full (hash, signature, order);
- the roster and seats are the rows verified against the log's record (one SHA-256 of their rows); the plan,
  policy, PIN hash, rooms and sessions against the record's digests; this laptop's witness file still holds.

Whenever it cannot prove that, it runs the full `verify`, whose findings name the event or table, and says those.
So it never says less than verify would about the event log and the tables; it leaves out what verify alone
checks: SQLite's full integrity check, the photos and the admissions guard rows, and the chief's seals on decisions
(a decision without one is no edit of the log: the report states it in its figures and the chief's record).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from examops import locations
from examops.adapters import signing
from examops.adapters.store import events as event_log
from examops.adapters.store.digests import live_digests
from examops.adapters.store.row_digests import events_digest, roster_digest
from examops.adapters.verified_mark import VerifiedMark, read_mark, write_mark
from examops.domain.event_payloads import PlanSet
from examops.domain.events import GENESIS, Kind, verify_chain
from examops.domain.log_order import order_problems
from examops.domain.said import N_, Said, said
from examops.domain.signatures import signature_problems
from examops.domain.table_digests import ROSTER_PARTS, differing_parts
from examops.services.seat_edits import keep_seats_copy
from examops.services.site import Site

_failed: dict[tuple, "TamperCheck"] = {}
"""Findings of a full verify, by the store's state that made them: a screen rechecking an unchanged tampered store
says them again without verifying everything again."""


@dataclass
class TamperCheck:
    findings: list[Said] = field(default_factory=list)
    full: bool = False
    """The full `verify` ran (no mark yet, or something the cheap proof could not vouch for)."""
    new_events: int = 0
    """Events verified in full because they were written since the mark."""
    table_findings: list[Said] = field(default_factory=list)
    unsigned: list[Said] = field(default_factory=list)
    """Of the findings: those about the tables, and those about unsigned events (see `VerifyReport`)."""

    @property
    def log_findings(self) -> list[Said]:
        """What was done to the event log itself: events edited, removed, reordered, cut, forged with a key."""
        others = [*self.table_findings, *self.unsigned]
        return [f for f in self.findings if f not in others]

    @property
    def ok(self) -> bool:
        return not self.findings


def check_store(site: Site) -> TamperCheck:
    """The store's tamper findings (none on a clean store); cheap while the store only grew since the last check."""
    path = locations.verified_mark_path(site.store_id)
    mark = read_mark(path)
    state: tuple = ()
    files = site.store.file_state()  # before anything is read: a write meanwhile makes the next check read again
    if mark is not None and files is not None and mark.file_state == files:
        return TamperCheck()  # not a byte of the store written since it was proved
    if mark is not None:
        proof = _prove(site, mark, files)
        if isinstance(proof, VerifiedMark):
            if proof.plan_set != mark.plan_set:
                keep_mark(site, proof)
            elif proof != mark:
                write_mark(path, proof)
            return TamperCheck(new_events=proof.rows - mark.rows)
        state = proof
        if state in _failed:
            return _failed[state]
    from examops.services.audit import verify

    report = verify(site)  # writes a new mark when clean
    check = TamperCheck([f for f in report.findings if f not in report.unsealed], full=True, new_events=report.events,
                        table_findings=list(report.table_findings), unsigned=list(report.unsigned))
    if not check.ok and state:
        _failed.clear()
        _failed[state] = check
    return check


def _prove(site: Site, mark: VerifiedMark, files: list | None) -> VerifiedMark | tuple:
    """The mark moved on to the store's last event when nothing is amiss, else the state that could not be proved."""
    with site.store.read(snapshot=True) as conn:
        upto = event_log.last_pos(conn)
        digest = hashlib.sha256()
        rows = events_digest(conn, digest, upto_pos=mark.pos)
        prefix = digest.hexdigest()
        state = (mark.pos, rows, prefix, upto)
        if rows != mark.rows or prefix != mark.events_sha256 or upto < mark.pos:
            return state
        if _witness_fails(site, conn, mark):
            return state
        new = event_log.events_between(conn, mark.pos, upto)
        heads = _new_heads(conn, mark, new)
        if heads is None:
            return state
        rows += events_digest(conn, digest, after_pos=mark.pos, upto_pos=upto)
        record_id, roster_now = _tables(conn, mark)
        if not record_id:
            return state + (roster_now,)
    return VerifiedMark(upto, rows, digest.hexdigest(), heads, record_id, roster_now, files)


def _witness_fails(site: Site, conn, mark: VerifiedMark) -> bool:  # noqa: ANN001
    from examops.services.audit import witness_problems

    witnessed, distrust = site.store.witnessed()
    witness = said(N_("this laptop's witness file"))
    return distrust is not None or bool(witness_problems(conn, witnessed, witness) or witness_problems(conn, mark.heads, witness))


def _new_heads(conn, mark: VerifiedMark, new: list) -> dict | None:  # noqa: ANN001
    """Each device's head after the new events, when every one of them links on, hashes, is signed and in order."""
    heads = dict(mark.heads)
    by_device: dict[str, list] = {}
    for event in new:
        by_device.setdefault(event.device, []).append(event)
    for device, chain in by_device.items():
        seq, prev = heads.get(device, (0, GENESIS))
        if verify_chain(chain, seq + 1, prev):
            return None
        heads[device] = (chain[-1].device_seq, chain[-1].hash)
    enrolments = event_log.enrolment_events(conn)
    new_ids = {e.id for e in new}
    signed_by = {device: event_log.signer_at(conn, device, seq) or "" for device, (seq, _) in mark.heads.items()}
    earlier = [e for e in enrolments if e.id not in new_ids]
    if any(p.event_id in new_ids for p in signature_problems(earlier + new, signing.verify, signed_by)):
        return None
    exceptions = event_log.event_ids_of_kind_upto(conn, Kind.EXCEPTION, mark.pos)
    if order_problems(new, {device: seq for device, (seq, _) in mark.heads.items()}, exceptions):
        return None
    return heads


def _tables(conn, mark: VerifiedMark) -> tuple[str, str]:  # noqa: ANN001
    """(the log's last record of the tables, or "" when they differ from it or none is kept; the roster's row digest)."""
    record = event_log.last_of_kind(conn, Kind.PLAN_SET)
    roster_now = roster_digest(conn)
    if record is None:
        return "", roster_now
    recorded = PlanSet.from_event(record).digests
    if record.id == mark.plan_set and roster_now == mark.roster_sha256:
        live = live_digests(conn, roster={part: recorded[part] for part in ROSTER_PARTS if part in recorded})
    else:
        live = live_digests(conn)  # a new record (a roster imported since), or rows changed: every part read
    return ("" if differing_parts(recorded, live) else record.id), roster_now


def mark_of(conn, heads: dict[str, tuple[int, str]], upto_pos: int, files: list | None) -> VerifiedMark:  # noqa: ANN001
    """The mark `verify` keeps after a clean run: made in the same read of the store as verify's own (`files`: the
    store's `file_state` before that read)."""
    digest = hashlib.sha256()
    rows = events_digest(conn, digest, upto_pos=upto_pos)
    record = event_log.last_of_kind(conn, Kind.PLAN_SET)
    return VerifiedMark(upto_pos, rows, digest.hexdigest(), dict(heads), record.id if record else "", roster_digest(conn),
                        files)


def keep_mark(site: Site, mark: VerifiedMark) -> None:
    """Keep the mark, and the seats as the log records them (to name a seat edited later: `seat_edits`)."""
    write_mark(locations.verified_mark_path(site.store_id), mark)
    with site.store.read() as conn:
        record = event_log.last_of_kind(conn, Kind.PLAN_SET)
        if record is not None and record.id == mark.plan_set:
            keep_seats_copy(site, conn, PlanSet.from_event(record).digests.get("seats"))
