"""Room papers: door list, sign-in sheet and seat labels, written as A4 workbooks and read back."""

from __future__ import annotations

import json
import shutil
from io import BytesIO

import openpyxl
import pytest
from click.testing import CliRunner

from examops.adapters.excel_out.room_docs import qr_png
from examops.domain.idnumber import mask
from examops.domain.qr_style import QR_BORDER
from examops.domain.scan import classify, ticket_qr_payload
from examops.services.documents import DocumentsRefused, write_room_documents
from examops.services.gate import Lane
from examops.services.review import approve, pending_ids
from examops.services.seating import reallocate
from tests.conftest import TEST_PIN

SHEETS = ["门贴", "签到表", "座位贴"]


def _rooms(result: dict) -> dict[str, dict]:
    return {r["room"]: r for r in result["rooms"]}


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True)]


def _listed(ws) -> dict[str, tuple]:
    """Ticket → (seat, ticket, name, masked ID) for the table rows of a door list or sign-in sheet."""
    return {row[1]: tuple(row[:4]) for row in _rows(ws) if isinstance(row[0], int)}


def _workbook(result: dict, room: str):
    return openpyxl.load_workbook(_rooms(result)[room]["files"][0])


def _all_text(workbook) -> str:
    return "\n".join(str(value) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
                     for value in row if value is not None)


def _expected_matrix(ticket: str) -> list[list[bool]]:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(ticket_qr_payload(ticket))
    code.make(fit=True)
    return code.get_matrix()


def _qr_modules(png: bytes, size: int) -> list[list[bool]]:
    """The dark/light modules of a QR PNG of `size` modules, sampled at each module's centre."""
    from PIL import Image

    image = Image.open(BytesIO(png)).convert("L")
    box = image.width // (size + 2 * QR_BORDER)
    return [[image.getpixel(((QR_BORDER + c) * box + box // 2, (QR_BORDER + r) * box + box // 2)) < 128
             for c in range(size)] for r in range(size)]


def test_room_papers_list_everyone_masked_and_print_on_a4(seeded_site, tmp_path):
    site, people = seeded_site, seeded_site.people
    result = write_room_documents(site, "S1", tmp_path)
    assert [(r["room"], r["kind"], r["candidates"]) for r in result["rooms"]] == [(f"00{i}", "regular", 30) for i in range(1, 5)]
    assert result["rooms"][0]["files"] == [str(tmp_path / "S1_001_考场门贴_签到表_座位贴.xlsx")]

    workbook = _workbook(result, "001")
    assert workbook.sheetnames == SHEETS
    door, signin, labels = (workbook[name] for name in SHEETS)
    room_001 = people[:30]
    expected = {p.ticket: (seat, p.ticket, p.name, mask(p.id_number)) for seat, p in enumerate(room_001, start=1)}
    assert _listed(door) == expected
    assert _listed(signin) == expected
    assert mask(room_001[0].id_number)[6:14] == "********"

    door_text = "\n".join(str(v) for row in _rows(door) for v in row if v)
    assert site.plan.exam_name in door_text and site.plan.site in door_text
    assert "第001考场" in door_text and "试卷一" in door_text and "08:30" in door_text
    signin_text = "\n".join(str(v) for row in _rows(signin) for v in row if v)
    assert "签名" in signin_text and "监考员签名" in signin_text and "应到" in signin_text and "实到" in signin_text

    for room in ("001", "002", "003", "004"):
        text = _all_text(_workbook(result, room))
        assert not [p.ticket for p in people if p.id_number in text], f"a full ID number is printed in room {room}"

    assert len(labels._images) == 30
    pngs = [(image.anchor._from, image._data()) for image in labels._images]  # _data() can be read once
    assert {png for _, png in pngs} == {qr_png(p.ticket) for p in room_001}
    for anchor, png in pngs:  # each QR sits beside its own label: seat number, then ticket, in the column to its left
        seat_number = labels.cell(row=anchor.row + 1, column=anchor.col).value
        ticket = labels.cell(row=anchor.row + 2, column=anchor.col).value
        assert png == qr_png(ticket)
        assert int(seat_number) == expected[ticket][0]
        modules = _expected_matrix(ticket)
        assert _qr_modules(png, len(modules)) == modules
        assert classify(ticket_qr_payload(ticket)).value == ticket

    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4 (openpyxl: ws.PAPERSIZE_A4 == "9")
        assert ws.page_setup.orientation == "portrait"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:")
        assert ws.print_options.horizontalCentered
        assert "&P" in ws.oddFooter.center.text


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbarimg not installed: the QR is checked module by module instead")
def test_seat_label_qr_codes_scan_as_their_tickets(seeded_site, tmp_path):
    import subprocess

    result = write_room_documents(seeded_site, "S1", tmp_path / "out", room="002")
    labels = _workbook(result, "002")["座位贴"]
    for index, image in enumerate(labels._images):
        ticket = labels.cell(row=image.anchor._from.row + 2, column=image.anchor._from.col).value
        png = tmp_path / f"qr{index}.png"
        png.write_bytes(image._data())
        scanned = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True).stdout
        assert scanned.strip() == ticket_qr_payload(ticket)
        assert classify(scanned.strip()).value == ticket


def test_reallocated_candidates_move_to_the_backup_rooms_papers(seeded_site, tmp_path):
    site, people = seeded_site, seeded_site.people
    moved = people[2:5]  # seats 3, 4, 5 of room 001
    lane = Lane(site, "A", "s")
    for person in moved:
        lane.check(person.ticket, session_id="S1", outcome="no_test_cert")
    for level in site.plan.approval_levels:
        approve(site, pending_ids(site, session="S1", level=level), level=level, by=level, pin=TEST_PIN)
    before = write_room_documents(site, "S1", tmp_path)
    assert "B01" not in _rooms(before)

    plan = reallocate(site, "S1", by="x", pin=TEST_PIN)
    assert {m.ticket for m in plan.moves} == {p.ticket for p in moved}
    after = write_room_documents(site, "S1", tmp_path)
    rooms = _rooms(after)
    assert (rooms["B01"]["kind"], rooms["B01"]["candidates"], rooms["001"]["candidates"]) == ("backup", 3, 27)
    assert "G01" not in rooms
    assert rooms["001"]["files"] == _rooms(before)["001"]["files"]  # rewritten in place
    assert len(list(tmp_path.glob("*.xlsx"))) == 5

    backup = _workbook(after, "B01")
    listed = _listed(backup["门贴"])
    assert set(listed) == {p.ticket for p in moved}
    assert {listed[p.ticket][2:] for p in moved} == {(p.name, mask(p.id_number)) for p in moved}
    assert set(_listed(backup["签到表"])) == {p.ticket for p in moved}
    assert len(backup["座位贴"]._images) == 3
    assert "备用考场一" in str(backup["门贴"]["A3"].value)

    home = _workbook(after, "001")
    assert not {p.ticket for p in moved} & set(_listed(home["门贴"]))
    assert sorted(v[0] for v in _listed(home["门贴"]).values()) == [s for s in range(1, 31) if s not in (3, 4, 5)]
    assert len(home["座位贴"]._images) == 27


def _signed_rows(ws) -> dict[str, tuple]:
    """Ticket → the whole table row of a sign-in sheet."""
    return {row[1]: row for row in _rows(ws) if isinstance(row[0], int)}


def _count_line(ws) -> str:
    return next(str(row[0]) for row in _rows(ws) if row[0] and "应到" in str(row[0]))


def test_sign_in_sheets_say_who_was_moved_where_and_count_as_the_room_record(seeded_site, tmp_path):
    """Found running the afternoon story: B01's sign-in sheet listed 23 names with no word of where they came from, and
    the rooms they left dropped the seats silently under a blank 应到. Now the seat a candidate left keeps its row with
    where they went in the signature column, the backup room's rows say where each came from, and 应到 is printed
    with the moves it comes from: the figures of the room record (考场情况记录表)."""
    site, people = seeded_site, seeded_site.people
    moved = people[2:5]  # seats 3, 4, 5 of room 001
    lane = Lane(site, "A", "s")
    for person in moved:
        lane.check(person.ticket, session_id="S1", outcome="no_test_cert")
    for level in site.plan.approval_levels:
        approve(site, pending_ids(site, session="S1", level=level), level=level, by=level, pin=TEST_PIN)
    plan = reallocate(site, "S1", by="x", pin=TEST_PIN)
    seat_in_b01 = {m.ticket: m.seat for m in plan.moves}
    after = write_room_documents(site, "S1", tmp_path)

    home = _signed_rows(_workbook(after, "001")["签到表"])
    assert sorted(row[0] for row in home.values()) == list(range(1, 31))
    for person in moved:
        assert home[person.ticket][-1] == f"已调至 B01 考场 {seat_in_b01[person.ticket]} 号座", home[person.ticket]
    assert all(row[-1] is None for ticket, row in home.items() if ticket not in seat_in_b01)
    assert _count_line(_workbook(after, "001")["签到表"]).startswith("原编排：30 人　调出：3 人　调入：0 人　应到：27 人")

    backup = _workbook(after, "B01")["签到表"]
    assert [cell for cell in _rows(backup)[3] if cell] == ["座号", "准考证号", "姓名", "身份证号", "原座位", "签名"]
    came = {ticket: row[4] for ticket, row in _signed_rows(backup).items()}
    assert came == {p.ticket: f"001-{seat}" for p, seat in zip(moved, (3, 4, 5))}
    assert _count_line(backup).startswith("原编排：0 人　调出：0 人　调入：3 人　应到：3 人")
    untouched = _workbook(after, "002")["签到表"]
    assert _count_line(untouched).startswith("应到：30 人")
    assert len(untouched[4]) == 5  # no 原座位 column where nobody came from elsewhere


def test_one_room_in_english(seeded_site, tmp_path):
    result = write_room_documents(seeded_site, "S2", tmp_path, room="003", lang="en")
    assert [r["room"] for r in result["rooms"]] == ["003"]
    workbook = _workbook(result, "003")
    assert workbook.sheetnames == ["Door list", "Sign-in", "Seat labels"]
    assert workbook["Door list"]["A3"].value == "Room 003"
    assert workbook["Door list"]["A5"].value == "Seat"
    assert len(_listed(workbook["Sign-in"])) == 30


@pytest.mark.parametrize("session,room,message", [("S9", None, "no session"), ("S1", "999", "no room")])
def test_unknown_session_or_room_is_refused(seeded_site, tmp_path, session, room, message):
    with pytest.raises(DocumentsRefused, match=message):
        write_room_documents(seeded_site, session, tmp_path, room=room)


def test_docs_command(seeded_site, tmp_path):
    from examops.cli import main

    out = tmp_path / "papers"
    url = seeded_site.store.url
    run = CliRunner().invoke(main, ["--db", url, "docs", "--session", "S1", "--out", str(out), "--json"])
    assert run.exit_code == 0, run.output
    result = json.loads(run.output)
    assert (result["session"], result["out"]) == ("S1", str(out))
    assert [(r["room"], r["candidates"]) for r in result["rooms"]] == [(f"00{i}", 30) for i in range(1, 5)]
    assert all(len(r["files"]) == 1 and (out / r["files"][0].rsplit("/", 1)[-1]).exists() for r in result["rooms"])

    refused = CliRunner().invoke(main, ["--db", url, "docs", "--session", "S1", "--room", "X9", "--out", str(out)])
    assert refused.exit_code == 2 and "no room" in refused.output
