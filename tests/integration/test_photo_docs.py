"""Room papers with photos: the photo seat plan (考场座次表) and photo seat labels, one photo per seated candidate,
each beside its own candidate's name and ticket, in xlsx and in PDF, for original and backup rooms."""

from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner
from pypdf import PdfReader

from examops.adapters.photo_files import print_copy
from examops.services.documents import write_room_documents
from examops.services.gate import Lane
from examops.services.photos import photo_for
from examops.services.review import approve, pending_ids
from examops.services.seating import reallocate
from tests.conftest import TEST_PIN
from tests.support.photos import give_photos

JPEG = b"\xff\xd8\xff"


def _room(result: dict, room: str) -> dict:
    return next(r for r in result["rooms"] if r["room"] == room)


def _photos_on(ws) -> list:
    """(picture, bytes) of the sheet's pictures that are photos (JPEG print copies; the QR codes are PNG)."""
    pictures = [(image, image._data()) for image in ws._images]  # _data() closes the picture's buffer: read once
    return [(image, data) for image, data in pictures if data.startswith(JPEG)]


def _pdf_images(path, title: str) -> tuple[int, int]:
    """(JPEG images, other images) on the PDF's pages whose text has `title`."""
    jpeg = other = 0
    for page in PdfReader(path).pages:
        if title not in page.extract_text():
            continue
        for image in page.images:
            if image.name.lower().endswith((".jpg", ".jpeg")):
                jpeg += 1
            else:
                other += 1
    return jpeg, other


def test_one_photo_per_seated_candidate_beside_their_own_name(seeded_site, tmp_path):
    site = seeded_site
    room_001 = site.people[:30]
    give_photos(site, [p.ticket for p in room_001 if p is not room_001[7]])  # seat 8 has none
    result = write_room_documents(site, "S1", tmp_path, room="001", fmt="both")
    xlsx, pdf = _room(result, "001")["files"]
    assert (_room(result, "001")["photos"], _room(result, "001")["without_photo"]) == (29, 1)

    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["门贴", "考场座次表", "签到表", "座位贴"]
    plan = book["考场座次表"]
    photos = _photos_on(plan)
    assert len(photos) == 29 == len(plan._images)
    by_ticket = {p.ticket: p for p in room_001}
    for image, data in photos:
        start = image.anchor._from
        ticket = plan.cell(row=start.row + 3, column=start.col + 1).value
        assert plan.cell(row=start.row + 2, column=start.col + 1).value.endswith(by_ticket[ticket].name)
        assert data == print_copy(photo_for(site, ticket))  # this candidate's photo, at this seat
    no_photo = [c for row in plan.iter_rows() for c in row if c.value == "无照片"]
    assert len(no_photo) == 1 and plan.cell(row=no_photo[0].row + 2, column=no_photo[0].column).value == room_001[7].ticket

    labels = book["座位贴"]
    assert (len(_photos_on(labels)), len(labels._images)) == (29, 29 + 30)  # a photo and a QR code per label

    assert _pdf_images(pdf, "考场座次表") == (29, 0)
    assert _pdf_images(pdf, "座位贴") == (29, 30)


def test_backup_room_papers_carry_the_moved_candidates_photos(seeded_site, tmp_path):
    site, people = seeded_site, seeded_site.people
    give_photos(site, [p.ticket for p in people[:30]])
    moved = people[2:5]
    lane = Lane(site, "A", "s")
    for person in moved:
        lane.check(person.ticket, session_id="S1", outcome="no_test_cert")
    for level in site.plan.approval_levels:
        approve(site, pending_ids(site, session="S1", level=level), level=level, by=level, pin=TEST_PIN)
    reallocate(site, "S1", by="x", pin=TEST_PIN)
    result = write_room_documents(site, "S1", tmp_path, fmt="both")
    backup, home = _room(result, "B01"), _room(result, "001")
    assert (backup["kind"], backup["photos"], home["photos"]) == ("backup", 3, 27)
    plan = openpyxl.load_workbook(backup["files"][0])["考场座次表"]
    shown = {plan.cell(row=i.anchor._from.row + 3, column=i.anchor._from.col + 1).value for i, _ in _photos_on(plan)}
    assert shown == {p.ticket for p in moved}
    assert _pdf_images(backup["files"][1], "考场座次表") == (3, 0)
    assert _room(result, "002")["photos"] == 0 and _room(result, "002")["without_photo"] == 30


def test_docs_without_photos_are_as_before_and_the_option_says_which(seeded_site, tmp_path):
    site = seeded_site
    plain = write_room_documents(site, "S1", tmp_path / "plain", room="001")
    assert plain["photos"] is False and "photos" not in plain["rooms"][0]
    assert openpyxl.load_workbook(plain["rooms"][0]["files"][0]).sheetnames == ["门贴", "签到表", "座位贴"]
    give_photos(site, [site.people[0].ticket])
    run = CliRunner().invoke(main_cli(), ["--db", site.store.url, "docs", "--session", "S1", "--room", "001",
                                          "--out", str(tmp_path / "cli"), "--no-photos", "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output)["photos"] is False
    run = CliRunner().invoke(main_cli(), ["--db", site.store.url, "docs", "--session", "S1", "--room", "001",
                                          "--out", str(tmp_path / "cli"), "--lang", "en", "--json"])
    result = json.loads(run.output)
    assert result["photos"] is True and result["rooms"][0]["photos"] == 1
    assert openpyxl.load_workbook(result["rooms"][0]["files"][0]).sheetnames == [
        "Door list", "Photo seat plan", "Sign-in", "Seat labels"]


def main_cli():
    from examops.cli import main

    return main


def test_a_room_of_40_seats_continues_its_photo_seat_plan_on_a_second_page(tmp_path):
    from examops.adapters.excel_out.room_docs import write_room_workbook
    from examops.domain.papers import RoomPaper, SeatLine
    from examops.sample_photos import synthetic_photo

    seats = tuple(SeatLine(n, f"2115{n:010d}", f"考生{n}", "150203********0000") for n in range(1, 41))
    paper = RoomPaper("考试", "考点", "S1", "试卷一", "2021-10-16", "08:30", "11:30", "B01", "备用考场一", "backup", seats)
    photos = {line.ticket: print_copy(synthetic_photo(line.ticket)) for line in seats}
    xlsx, pdf = write_room_workbook(paper, tmp_path, formats=("xlsx", "pdf"), photos=photos)
    pages = [page for page in PdfReader(pdf).pages if "考场座次表" in page.extract_text()]
    assert [len(page.images) for page in pages] == [30, 10]  # 6 × 5 a page, the title repeated on the next
    assert len(openpyxl.load_workbook(xlsx)["考场座次表"].row_breaks.brk) == 1
