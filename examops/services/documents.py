"""Room paperwork for one session: door list, sign-in sheet and seat labels, from the store as it stands now.

Who sits where is `seating.occupancy`, so a backup room filled by reallocation
gets its papers and a candidate moved out leaves the original room's. ID
numbers are masked here: the writer never sees a full number. Running it again
after a reallocation rewrites the same files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from examops.adapters.store import report_queries as q
from examops.adapters.store.review_queries import roster_seats
from examops.domain import idnumber
from examops.domain.papers import (
    MISCONDUCT_KINDS,
    MisconductReport,
    MovedOutLine,
    OpenedRoom,
    PaperHeading,
    RoomPaper,
    SeatLine,
    SiteSummaryPaper,
    room_kind_rank,
)
from examops.domain.said import N_, SaidError, said
from examops.locations import private_dir
from examops.services.figures import session_figures
from examops.services.photos import has_photos, photos_for
from examops.services.placements import placements
from examops.services.seating import occupancy, seated_in
from examops.services.site import Site

FORMATS = ("xlsx", "pdf", "both")


class DocumentsRefused(SaidError):
    """A request the documents cannot be made for (unknown session or room), in words."""


def room_papers(site: Site, session_id: str, *, room: str | None = None) -> list[RoomPaper]:
    """Each room's seat list: rooms the roster seats anyone in, and any room someone sits in now (or just `room`)."""
    try:
        session = site.plan.session(session_id)
    except KeyError:
        known = ", ".join(s.id for s in site.plan.sessions)
        raise DocumentsRefused(said(N_("no session {session}; this plan has {sessions}"), session=repr(session_id),
                                    sessions=known)) from None
    with site.store.read() as conn:
        room_rows = q.room_rows(conn)
        if room is not None:
            if room not in room_rows:
                raise DocumentsRefused(said(N_("no room {room}; rooms: {rooms}"), room=repr(room), rooms=", ".join(sorted(room_rows))))
            wanted = [room]
        else:
            rostered = q.rostered_rooms(conn, session_id)
            wanted = sorted(rostered | set(room_rows))
        placed = placements(conn, session_id)
        roster = {room_id: roster_seats(conn, session_id, room_id) for room_id in wanted}
        seated = {room_id: seated_in(room_id, roster[room_id], placed) for room_id in wanted}
        if room is None:
            wanted = [r for r in wanted if r in rostered or seated[r]]
        homes = q.home_seats(conn, session_id, sorted(placed))
        moved_out = {room_id: [(seat, ticket) for seat, ticket in sorted(by_seat.items())
                               if ticket in placed and placed[ticket] != (room_id, seat)]
                     for room_id, by_seat in roster.items()}
        tickets = sorted({t for by_seat in seated.values() for t in by_seat.values()}
                         | {t for lines in moved_out.values() for _, t in lines})
        people = q.people(conn, tickets)

    def name_of(ticket: str) -> str:
        return people[ticket].name if ticket in people else ""

    def masked(ticket: str) -> str:
        return idnumber.mask(people[ticket].id_number) if ticket in people else ""

    papers = []
    for room_id in wanted:
        row = room_rows.get(room_id)
        lines = []
        for seat, ticket in sorted(seated[room_id].items()):
            home = homes.get(ticket) if ticket in placed else None
            came = home if home is not None and home != (room_id, seat) else ("", None)
            lines.append(SeatLine(seat, ticket, name_of(ticket), masked(ticket), from_room=came[0], from_seat=came[1]))
        gone = tuple(MovedOutLine(seat, ticket, name_of(ticket), masked(ticket), placed[ticket][0],
                                  _room_name(room_rows, placed[ticket][0]), placed[ticket][1])
                     for seat, ticket in moved_out[room_id])
        papers.append(RoomPaper(
            exam=site.plan.exam_name, site=site.plan.site, session_id=session.id, session_name=session.name,
            date=session.date.isoformat(), start=session.start.strftime("%H:%M"), end=session.end.strftime("%H:%M"),
            room=room_id, room_name=_room_name(room_rows, room_id),
            kind=row.kind if row is not None else "regular", seats=tuple(lines),
            rostered=len(roster[room_id]), moved_out=gone,
        ))
    papers.sort(key=lambda p: (room_kind_rank(p.kind), p.room))
    return papers


def _room_name(room_rows: dict, room_id: str) -> str:
    row = room_rows.get(room_id)
    return row.name if row is not None else room_id


def write_room_documents(site: Site, session_id: str, out: str | Path, *, room: str | None = None, lang: str = "zh",
                         fmt: str = "xlsx", photos: bool | None = None) -> dict:
    """Write one workbook per room (门贴, 签到表, 座位贴) into `out`; a rerun overwrites the same files.

    `photos` (default: when the site has photos) adds the photo seat plan (考场座次表) and puts the photos
    on the seat labels.
    """
    from examops.adapters.excel_out.room_docs import write_room_workbook

    if fmt not in FORMATS:
        raise DocumentsRefused(said(N_("no format {format}; use one of {formats}"), format=repr(fmt), formats=", ".join(FORMATS)))
    formats = ("xlsx", "pdf") if fmt == "both" else (fmt,)
    _refuse_over_edits(site)
    papers = room_papers(site, session_id, room=room)
    with_photos = has_photos(site) if photos is None else photos
    out_dir = Path(out)
    private_dir(out_dir)
    rooms = []
    for paper in papers:
        room_photos = _print_copies(site, paper) if with_photos else None
        paths = write_room_workbook(paper, out_dir, lang=lang, formats=formats, photos=room_photos)
        rooms.append({"room": paper.room, "name": paper.room_name, "kind": paper.kind,
                      "candidates": len(paper.seats), "files": [str(p) for p in paths],
                      **({"photos": len(room_photos), "without_photo": len(paper.seats) - len(room_photos)}
                         if room_photos is not None else {})})
    return {"session": session_id, "out": str(out_dir), "photos": with_photos, "rooms": rooms}


def _refuse_over_edits(site: Site) -> None:
    """No door list or seat label from a roster, seat or room edited behind the log."""
    from examops.services.table_edits import edits_since_record

    with site.store.read() as conn:
        edits = edits_since_record(conn)
    if edits is not None:
        raise DocumentsRefused(edits.papers_refusal(site.clock))


def _print_copies(site: Site, paper: RoomPaper) -> dict[str, bytes]:
    """The seated candidates' photos as the papers print them (small, upright JPEGs)."""
    from examops.adapters.photo_files import print_copy

    copies = {}
    for ticket, data in photos_for(site, [line.ticket for line in paper.seats]).items():
        try:
            copies[ticket] = print_copy(data)
        except (OSError, ValueError, SyntaxError):  # bytes edited behind the log (verify names them): "no photo", not a crash
            continue
    return copies



def _heading(site: Site, session_id: str) -> PaperHeading:
    try:
        s = site.plan.session(session_id)
    except KeyError:
        known = ", ".join(x.id for x in site.plan.sessions)
        raise DocumentsRefused(said(N_("no session {session}; this plan has {sessions}"), session=repr(session_id),
                                    sessions=known)) from None
    return PaperHeading(site.plan.exam_name, site.plan.site, s.id, s.name, s.date.isoformat(), s.start.strftime("%H:%M"),
                        s.end.strftime("%H:%M"))


def site_forms(site: Site, session_id: str) -> tuple[SiteSummaryPaper, list[MisconductReport]]:
    """The session's 考点 summary and one 违纪情况报告单 per misconduct or cheating incident, from the log as it stands."""
    heading = _heading(site, session_id)
    figures = session_figures(site, session_id)
    tz = ZoneInfo(site.plan.timezone)
    incidents = sorted(((room, i) for room, numbers in figures.rooms.items() for i in numbers.incidents
                        if i.get("kind") in MISCONDUCT_KINDS), key=lambda pair: pair[1].get("at") or "")
    with site.store.read() as conn:
        room_rows = q.room_rows(conn)
        seats = {room: {t: seat for seat, t in occupancy(conn, session_id, room).items()} for room in room_rows}
        tickets = sorted({i["ticket"] for _, i in incidents if i.get("ticket")})
        people = q.people(conn, tickets) if tickets else {}
    reports = []
    for number, (room, incident) in enumerate(incidents, start=1):
        ticket = incident.get("ticket") or ""
        person = people.get(ticket)
        row = room_rows.get(room)
        reports.append(MisconductReport(
            heading=heading, incident_id=f"{session_id}-{number:03d}", kind=incident["kind"], severity=incident.get("severity", ""),
            at=_local(incident.get("at"), tz), room=room, room_name=row.name if row is not None else room,
            seat=seats.get(room, {}).get(ticket), ticket=ticket, name=person.name if person is not None else "",
            id_masked=idnumber.mask(person.id_number) if person is not None else "", note=incident.get("note", ""),
            recorded_by=incident.get("by", "")))
    opened = tuple(OpenedRoom(room, row.name, row.kind, len(occupancy_of)) for room, row in sorted(room_rows.items())
                   if row.kind in ("backup", "isolation") and (occupancy_of := seats.get(room)))
    moved = sum(len(numbers.moved_out) for numbers in figures.rooms.values())
    summary = SiteSummaryPaper(
        heading=heading, expected=figures.expected, present=figures.present, absent=figures.absent,
        misconduct=len(incidents), moved=moved, exceptions=figures.exceptions, rooms_opened=opened,
        zero_incident=figures.zero_incident, reasons=tuple(figures.reasons), not_arrived=figures.not_arrived)
    return summary, reports


def _local(at: str | None, tz: ZoneInfo) -> str:
    if not at:
        return ""
    return dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def write_site_forms(site: Site, session_id: str, out: str | Path, *, lang: str = "zh", fmt: str = "xlsx") -> dict:
    """Write the 考点 summary and the 违纪情况报告单 of a session into `out` (one workbook, and/or its PDF)."""
    from examops.adapters.excel_out.site_forms import write_site_forms_book

    if fmt not in FORMATS:
        raise DocumentsRefused(said(N_("no format {format}; use one of {formats}"), format=repr(fmt), formats=", ".join(FORMATS)))
    summary, reports = site_forms(site, session_id)
    out_dir = Path(out)
    private_dir(out_dir)
    paths = write_site_forms_book(summary, reports, out_dir, lang=lang,
                                  formats=("xlsx", "pdf") if fmt == "both" else (fmt,))
    return {"session": session_id, "out": str(out_dir), "misconduct_reports": len(reports),
            "files": [str(p) for p in paths]}
