"""A room's papers as one A4 workbook: door list (门贴), sign-in sheet (签到表) and seat labels (座位贴).

Takes the plain seat lists the documents service gathered (ID numbers already
masked); knows nothing of the store. Seat labels carry a QR code of the ticket
in the payload the gate scanner reads.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Mapping

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.units import pixels_to_EMU
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from examops.adapters.excel_out.atomic import save_workbook
from examops.adapters.excel_out.qr import qr_png as qr_image
from examops.domain.papers import RoomPaper, SeatLine
from examops.domain.qr_style import LABEL_QR_BOX
from examops.domain.scan import ticket_qr_payload
from examops.i18n.document_words import room_words

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
THIN = Side(style="thin", color="000000")
DASHED = Side(style="dashed", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")

# Seat labels: 3 across an A4 page, 6 down; each label is a text column and a QR column.
LABELS_ACROSS = 3
LABEL_ROWS_PER_PAGE = 6
LABEL_ROW_HEIGHTS = (40, 18, 24, 16)  # seat number, ticket, name, room · session (points)
LABEL_GAP_HEIGHT = 12
QR_PX = 96  # shown size, ≈25 mm at 100 %; the PNG itself (LABEL_QR_BOX a module) is finer so it prints sharp

_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')


def _words(lang: str) -> dict[str, str]:
    return room_words(lang)


def workbook_name(paper: RoomPaper, lang: str = "zh") -> str:
    """The file name for a room's workbook: stable, so a rerun overwrites it."""
    safe = lambda text: _UNSAFE_FILE_CHARS.sub("_", text).strip("_") or "_"  # noqa: E731
    return _words(lang)["file"].format(session=safe(paper.session_id), room=safe(paper.room)) + ".xlsx"


def qr_png(ticket: str) -> bytes:
    """The PNG of a ticket's QR code, byte-for-byte the same for the same ticket."""
    # A fixed mask skips qrcode's trial of all eight (8x faster); any mask scans fine on paper.
    return qr_image(ticket_qr_payload(ticket), box_size=LABEL_QR_BOX, mask_pattern=0)


def room_title(paper: RoomPaper, lang: str = "zh") -> str:
    """第001考场 for a numbered room, else its name; the id follows when it differs from the name."""
    if paper.room_name.isdigit():
        return _words(lang)["room_numbered"].format(name=paper.room_name)
    if paper.room_name != paper.room:
        return _words(lang)["room_named"].format(name=paper.room_name, room=paper.room)
    return paper.room_name


def session_line(paper: RoomPaper, lang: str = "zh") -> str:
    words = _words(lang)
    year, month, day = (int(part) for part in paper.date.split("-"))
    date = words["date"].format(year=year, month=month, day=day)
    return words["session_line"].format(name=paper.session_name, id=paper.session_id, date=date, start=paper.start, end=paper.end)


def room_workbook(paper: RoomPaper, *, lang: str = "zh", photos: Mapping[str, bytes] | None = None) -> Workbook:
    """The room's workbook laid out for A4: door list, sign-in sheet, seat labels.

    With `photos` (ticket → print copy; the site has photos) a photo seat plan follows the door list and
    the seat labels carry each candidate's photo.
    """
    words = _words(lang)
    workbook = Workbook()
    door = workbook.active
    door.title = words["door"]
    _door_list(door, paper, lang)
    if photos is not None:
        from examops.adapters.excel_out.photo_docs import photo_seat_labels, photo_seat_plan

        photo_seat_plan(workbook.create_sheet(words["photo_plan"]), paper, photos, lang)
    _sign_in_sheet(workbook.create_sheet(words["signin"]), paper, lang)
    if photos is not None:
        photo_seat_labels(workbook.create_sheet(words["labels"]), paper, photos, lang)
    else:
        _seat_labels(workbook.create_sheet(words["labels"]), paper, lang)
    return workbook


def write_room_workbook(paper: RoomPaper, out_dir: Path, *, lang: str = "zh", formats: tuple[str, ...] = ("xlsx",),
                        photos: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write the room's papers into `out_dir` as xlsx and/or PDF (atomically replacing earlier ones); their paths."""
    workbook = room_workbook(paper, lang=lang, photos=photos)
    path = Path(out_dir) / workbook_name(paper, lang)
    written = []
    if "pdf" in formats:  # first: saving the workbook closes the images' buffers
        from examops.adapters.pdf.sheet_pdf import write_pdf

        written.append(write_pdf(workbook.worksheets, path.with_suffix(".pdf"), title=room_title(paper, lang)))
    if "xlsx" in formats:
        written.insert(0, save_workbook(workbook, path))
    return written


def _a4(ws: Worksheet, paper: RoomPaper, lang: str, document: str, title_rows: int, *, landscape: bool = False) -> None:
    """A4, fit to one page wide, title rows repeated, centred, with a header and page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{title_rows}"
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.25, footer=0.25)
    ws.print_options.horizontalCentered = True
    header_footer = ((ws.oddHeader.left, _literal(paper.site)),
                     (ws.oddHeader.right, _literal(f"{room_title(paper, lang)} · {document}")),
                     (ws.oddFooter.left, _literal(f"{paper.session_name} {paper.date}")),
                     (ws.oddFooter.center, _words(lang)["page"]))
    for part, text in header_footer:
        part.text = text
        part.size = 9
    ws.sheet_view.showGridLines = False


def _literal(text: str) -> str:
    """Text for a print header or footer, where & starts a code."""
    return text.replace("&", "&&")


def _title(ws: Worksheet, row: int, text: str, width: int, *, size: int, height: float, font: str = TITLE_FONT,
           bold: bool = True) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(name=font, size=size, bold=bold)
    cell.alignment = CENTER
    ws.row_dimensions[row].height = height


def _table(ws: Worksheet, first_row: int, headers: list[str], rows: list[list], *, size: int, height: float) -> int:
    """A bordered table with a bold header row; returns the row after it."""
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(row=first_row, column=column, value=header)
        cell.font = Font(name=TITLE_FONT, size=size, bold=True)
        cell.alignment = CENTER
        cell.border = GRID
    ws.row_dimensions[first_row].height = height
    for offset, values in enumerate(rows, start=1):
        row = first_row + offset
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            cell.font = Font(name=BODY_FONT, size=size)
            cell.alignment = CENTER
            cell.border = GRID
            if isinstance(value, str):
                cell.number_format = "@"
        ws.row_dimensions[row].height = height
    return first_row + len(rows) + 1


def _columns(ws: Worksheet, widths: list[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _seat_rows(seats: tuple[SeatLine, ...]) -> list[list]:
    return [[line.seat, line.ticket, line.name, line.id_masked] for line in seats]


def _door_list(ws: Worksheet, paper: RoomPaper, lang: str) -> None:
    words = _words(lang)
    widths = [12, 28, 22, 32]
    _columns(ws, widths)
    _title(ws, 1, paper.exam, len(widths), size=14, height=24)
    _title(ws, 2, paper.site, len(widths), size=12, height=20, font=BODY_FONT, bold=False)
    _title(ws, 3, room_title(paper, lang), len(widths), size=36, height=54)
    _title(ws, 4, session_line(paper, lang), len(widths), size=13, height=22, font=BODY_FONT, bold=False)
    headers = [words["seat"], words["ticket"], words["name"], words["id"]]
    end = _table(ws, 5, headers, _seat_rows(paper.seats), size=13, height=20)
    if not paper.seats:
        _title(ws, end, words["empty"], len(widths), size=12, height=24, font=BODY_FONT, bold=False)
    _a4(ws, paper, lang, words["door_doc"], title_rows=5)


def _sign_in_sheet(ws: Worksheet, paper: RoomPaper, lang: str) -> None:
    """Every roster seat and every candidate seated here: one moved out keeps the row, its signature cell saying where
    they went; one moved in says where from. The counts under it are the room record's: 应到 = 原编排 − 调出 + 调入."""
    words = _words(lang)
    came = paper.moved_in > 0
    widths = [7, 20, 12, 23, 12, 23] if came else [8, 22, 14, 25, 26]
    _columns(ws, widths)
    _title(ws, 1, f"{paper.exam}　{paper.site}", len(widths), size=12, height=20, font=BODY_FONT, bold=False)
    _title(ws, 2, f"{room_title(paper, lang)}　{words['signin_doc']}", len(widths), size=20, height=32)
    _title(ws, 3, session_line(paper, lang), len(widths), size=12, height=20, font=BODY_FONT, bold=False)
    headers = [words["seat"], words["ticket"], words["name"], words["id"]] + [words["from"]] * came + [words["signature"]]
    rows = [(line.seat, 1, [line.seat, line.ticket, line.name, line.id_masked]
             + [f"{line.from_room}-{line.from_seat}" if line.from_room else None] * came + [None])
            for line in paper.seats]
    rows += [(gone.seat, 0, [gone.seat, gone.ticket, gone.name, gone.id_masked] + [None] * came
              + [words["moved_to"].format(room=gone.to_room, seat=gone.to_seat)]) for gone in paper.moved_out]
    rows.sort(key=lambda row: row[:2])
    end = _table(ws, 4, headers, [values for _, _, values in rows], size=12, height=30)
    for offset, (_, here, _values) in enumerate(rows, start=1):
        if not here:  # the seat stays empty: its note in grey, never taken for a signature
            ws.cell(row=4 + offset, column=len(widths)).font = Font(name=BODY_FONT, size=10, color="555555")
    counts = [words["expected_n"].format(count=paper.expected), words["present"]]
    if paper.moved_out or came:
        counts[:0] = [words["rostered_n"].format(count=paper.rostered), words["moved_out_n"].format(count=len(paper.moved_out)),
                      words["moved_in_n"].format(count=paper.moved_in)]
    count_line = ws.cell(row=end + 1, column=1, value="　".join(counts))
    proctors = ws.cell(row=end + 3, column=1, value=words["proctors"])
    for cell in (count_line, proctors):
        ws.merge_cells(start_row=cell.row, start_column=1, end_row=cell.row, end_column=len(widths))
        cell.font = Font(name=BODY_FONT, size=13)
        cell.alignment = LEFT
        ws.row_dimensions[cell.row].height = 30
    _a4(ws, paper, lang, words["signin_doc"], title_rows=4)


def _seat_labels(ws: Worksheet, paper: RoomPaper, lang: str) -> None:
    """A grid of labels, LABELS_ACROSS wide: seat number, ticket, name, room; QR code on the right."""
    words = _words(lang)
    widths: list[float] = []
    for index in range(LABELS_ACROSS):
        widths += [18, 14] + ([1.5] if index < LABELS_ACROSS - 1 else [])
    _columns(ws, widths)
    _title(ws, 1, f"{room_title(paper, lang)}　{words['labels_doc']}　{session_line(paper, lang)}", len(widths),
           size=12, height=22)
    pitch = len(LABEL_ROW_HEIGHTS) + 1
    footer = f"{room_title(paper, lang)} · {paper.session_name}"
    for index, line in enumerate(paper.seats):
        band, across = divmod(index, LABELS_ACROSS)
        top = 2 + band * pitch
        text_col = 1 + across * 3
        _label(ws, top, text_col, line, footer)
        if across == 0:
            for offset, height in enumerate(LABEL_ROW_HEIGHTS):
                ws.row_dimensions[top + offset].height = height
            ws.row_dimensions[top + len(LABEL_ROW_HEIGHTS)].height = LABEL_GAP_HEIGHT
            if band and band % LABEL_ROWS_PER_PAGE == 0:
                ws.row_breaks.append(Break(id=top - 1))
    if not paper.seats:
        _title(ws, 2, words["empty"], len(widths), size=12, height=24, font=BODY_FONT, bold=False)
    _a4(ws, paper, lang, words["labels_doc"], title_rows=1)


def _label(ws: Worksheet, top: int, text_col: int, line: SeatLine, footer: str) -> None:
    rows = len(LABEL_ROW_HEIGHTS)
    values = ((f"{line.seat:02d}", Font(name=TITLE_FONT, size=32, bold=True)),
              (line.ticket, Font(name=BODY_FONT, size=11)),
              (line.name, Font(name=TITLE_FONT, size=16, bold=True)),
              (footer, Font(name=BODY_FONT, size=8)))
    for offset, (value, font) in enumerate(values):
        cell = ws.cell(row=top + offset, column=text_col, value=value)
        cell.font = font
        cell.alignment = Alignment(horizontal="left", vertical="center", indent=1, shrink_to_fit=True)
        if isinstance(value, str):
            cell.number_format = "@"
    for offset in range(rows):
        for column in (text_col, text_col + 1):
            ws.cell(row=top + offset, column=column).border = Border(
                left=DASHED if column == text_col else None, right=DASHED if column == text_col + 1 else None,
                top=DASHED if offset == 0 else None, bottom=DASHED if offset == rows - 1 else None)
    image = Image(BytesIO(qr_png(line.ticket)))
    image.width = image.height = QR_PX
    size = XDRPositiveSize2D(pixels_to_EMU(QR_PX), pixels_to_EMU(QR_PX))
    image.anchor = OneCellAnchor(_from=AnchorMarker(col=text_col, colOff=pixels_to_EMU(2), row=top - 1,
                                                    rowOff=pixels_to_EMU(6)), ext=size)
    ws.add_image(image)
