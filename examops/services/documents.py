"""Room paperwork for one session: door list, sign-in sheet and seat labels, from the store as it stands now.

Who sits where is `seating.occupancy`, so a backup room filled by reallocation
gets its papers and a candidate moved out leaves the original room's. ID
numbers are masked here: the writer never sees a full number. Running it again
after a reallocation rewrites the same files.
"""

from __future__ import annotations

from pathlib import Path

from examops.adapters.store import report_queries as q
from examops.domain import idnumber
from examops.domain.papers import RoomPaper, SeatLine, room_kind_rank
from examops.locations import private_dir
from examops.services.seating import occupancy
from examops.services.site import Site


FORMATS = ("xlsx", "pdf", "both")


class DocumentsRefused(Exception):
    """A request the documents cannot be made for (unknown session or room), in words."""


def room_papers(site: Site, session_id: str, *, room: str | None = None) -> list[RoomPaper]:
    """Each room's seat list: rooms the roster seats anyone in, and any room someone sits in now (or just `room`)."""
    try:
        session = site.plan.session(session_id)
    except KeyError:
        known = ", ".join(s.id for s in site.plan.sessions)
        raise DocumentsRefused(f"no session {session_id!r}; this plan has {known}") from None
    with site.store.read() as conn:
        room_rows = q.room_rows(conn)
        if room is not None:
            if room not in room_rows:
                raise DocumentsRefused(f"no room {room!r}; rooms: {', '.join(sorted(room_rows))}")
            wanted = [room]
        else:
            rostered = q.rostered_rooms(conn, session_id)
            wanted = sorted(rostered | set(room_rows))
        seated = {room_id: occupancy(conn, session_id, room_id) for room_id in wanted}
        if room is None:
            wanted = [r for r in wanted if r in rostered or seated[r]]
        tickets = sorted({t for by_seat in seated.values() for t in by_seat.values()})
        people = q.people(conn, tickets)
    papers = []
    for room_id in wanted:
        row = room_rows.get(room_id)
        lines = tuple(SeatLine(seat, ticket, people[ticket].name if ticket in people else "",
                               idnumber.mask(people[ticket].id_number) if ticket in people else "")
                      for seat, ticket in sorted(seated[room_id].items()))
        papers.append(RoomPaper(
            exam=site.plan.exam_name, site=site.plan.site, session_id=session.id, session_name=session.name,
            date=session.date.isoformat(), start=session.start.strftime("%H:%M"), end=session.end.strftime("%H:%M"),
            room=room_id, room_name=row.name if row is not None else room_id,
            kind=row.kind if row is not None else "regular", seats=lines,
        ))
    papers.sort(key=lambda p: (room_kind_rank(p.kind), p.room))
    return papers


def write_room_documents(site: Site, session_id: str, out: str | Path, *, room: str | None = None, lang: str = "zh",
                         fmt: str = "xlsx") -> dict:
    """Write one workbook per room (门贴, 签到表, 座位贴) into `out`; a rerun overwrites the same files."""
    from examops.adapters.excel_out.room_docs import write_room_workbook

    if fmt not in FORMATS:
        raise DocumentsRefused(f"no format {fmt!r}; use one of {', '.join(FORMATS)}")
    formats = ("xlsx", "pdf") if fmt == "both" else (fmt,)
    papers = room_papers(site, session_id, room=room)
    out_dir = Path(out)
    private_dir(out_dir)
    rooms = []
    for paper in papers:
        paths = write_room_workbook(paper, out_dir, lang=lang, formats=formats)
        rooms.append({"room": paper.room, "name": paper.room_name, "kind": paper.kind,
                      "candidates": len(paper.seats), "files": [str(p) for p in paths]})
    return {"session": session_id, "out": str(out_dir), "rooms": rooms}

