"""Checks across all rows of a roster: one ticket, one ID number, one seat each (pure Python)."""

from __future__ import annotations

from examops.domain.roster_model import (
    N_,
    Phrase,
    Problem,
    RosterEntry,
    _Partial,
    _where,
    said,
)


class _UniquenessChecks:
    """The cross-row part of ``roster._Parser``."""

    def check_uniqueness(self) -> None:
        """Roster-wide rules, each in one linear pass so a wrong column cannot make it quadratic.

        Each pass can only find a problem where a value repeats: when none does (the usual roster), it is skipped.
        """
        keyed = self.keyed
        if _repeats([r.id_number for r in keyed if r.id_number is not None and r.ticket is not None]):
            self.check_ids()
        if _repeats([r.ticket for r in keyed if r.ticket is not None]):
            self.check_tickets()
        if _repeats([(r.room, r.seat) for r in keyed if r.room is not None and r.seat is not None and r.ticket is not None]):
            self.check_seats()

    def check_ids(self) -> None:
        keyed = self.keyed
        first_by_id: dict[str, int] = {}
        for index, row in enumerate(keyed):
            if row.id_number is None or row.ticket is None:
                continue
            other = keyed[first_by_id.setdefault(row.id_number, index)]
            if other.ticket != row.ticket:
                self.pair_problem("duplicate-id", "id_number", row, other,
                                  said(N_("ID number {id} is already used by ticket {ticket} on {where}; an ID number "
                                          "belongs to exactly one ticket."),
                                       id=row.id_number, ticket=other.ticket, where=_where(other, row)),
                                  N_("Check both rows against the candidates' ID cards and correct or delete the wrong one."))

    def check_tickets(self) -> None:
        keyed = self.keyed
        first_of: dict[str, int] = {}
        sessions_of: dict[str, dict[str | None, int]] = {}
        for index, row in enumerate(keyed):
            ticket = row.ticket
            if ticket is None:
                continue
            first_index = first_of.setdefault(ticket, index)
            if first_index == index:
                continue
            first = keyed[first_index]
            seen = sessions_of.get(ticket)
            if seen is None:
                seen = sessions_of[ticket] = {first.session: first_index}
            if row.session is None:
                clash_index = min(seen.values())
            else:
                clash_index = min((i for i in (seen.get(row.session), seen.get(None)) if i is not None), default=None)
            seen.setdefault(row.session, index)
            if clash_index is not None:
                clash = keyed[clash_index]
                self.pair_problem("duplicate-ticket", "ticket", row, clash,
                                  said(N_("Ticket {ticket} is already on {where}{sessions}; a ticket appears once per "
                                          "session."), ticket=ticket, where=_where(clash, row),
                                       sessions=_session_words(row.session, clash.session)),
                                  N_("Delete the extra row, or give each row its own session."))
            if first.name is not None and row.name is not None and row.name != first.name:
                self.pair_problem("ticket-name-mismatch", "name", row, first,
                                  said(N_("Ticket {ticket} has the name {name} here but {other} on {where}."),
                                       ticket=ticket, name=row.name, other=first.name, where=_where(first, row)),
                                  N_("Check the admission ticket and correct the wrong name."))
            if first.id_number is not None and row.id_number is not None and row.id_number != first.id_number:
                self.pair_problem("ticket-id-mismatch", "id_number", row, first,
                                  said(N_("Ticket {ticket} has the ID number {id} here but {other} on {where}."),
                                       ticket=ticket, id=row.id_number, other=first.id_number, where=_where(first, row)),
                                  N_("Check the candidate's ID card and correct the wrong ID number."))

    def check_seats(self) -> None:
        """One candidate per room, seat and session; each session keeps its first two distinct tickets."""
        keyed = self.keyed
        first_at: dict[tuple[str, int], int] = {}
        taken: dict[tuple[str, int], dict[str | None, list[int]]] = {}
        for index, row in enumerate(keyed):
            if row.room is None or row.seat is None or row.ticket is None:
                continue
            key = (row.room, row.seat)
            first_index = first_at.setdefault(key, index)
            if first_index == index:
                continue
            by_session = taken.get(key)
            if by_session is None:
                by_session = taken[key] = {keyed[first_index].session: [first_index]}
            pools = by_session.values() if row.session is None else (by_session.get(row.session, ()), by_session.get(None, ()))
            clash_index = min((i for pool in pools for i in pool if keyed[i].ticket != row.ticket), default=None)
            pool = by_session.setdefault(row.session, [])
            if len(pool) < 2 and all(keyed[i].ticket != row.ticket for i in pool):
                pool.append(index)
            if clash_index is not None:
                clash = keyed[clash_index]
                self.pair_problem("seat-taken", "seat", row, clash,
                                  said(N_("Room {room} seat {seat}{sessions} is already taken by ticket {ticket} on "
                                          "{where}."), room=key[0], seat=key[1],
                                       sessions=_session_words(row.session, clash.session), ticket=clash.ticket,
                                       where=_where(clash, row)),
                                  N_("Give one of the two candidates another seat."))

    def pair_problem(self, code: str, field_name: str, row: RosterEntry | _Partial, other: RosterEntry | _Partial,
                     message: Phrase, fix: str) -> None:
        value = {"ticket": row.ticket, "name": row.name, "id_number": row.id_number, "seat": None if row.seat is None else str(row.seat)}[field_name]
        self.problems.append(
            Problem("error", row.file, row.sheet, row.row, row.columns.get(field_name),
                    self.headers.get((row.file, row.sheet), {}).get(field_name), value, message, fix, code)
        )


def _repeats(values: list) -> bool:
    return len(set(values)) != len(values)


def _session_words(a: str | None, b: str | None) -> Phrase:
    if a is None and b is None:
        return said(N_(" (both rows are for every session)"))
    if a == b:
        return said(N_(" (session {session})"), session=a)
    return said(N_(" (one of the rows is for every session, the other for {session})"), session=a or b)
