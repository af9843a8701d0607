"""A room's papers with the registration photos: the photo seat plan for the door (考场座次表) and photo seat labels (桌贴).

Photos arrive as print copies (small upright JPEGs) keyed by ticket; a seated candidate without
one gets the words "no photo" in the picture's place, never someone else's picture. The sheets
are laid out for A4 like the rest of the room's workbook, and the PDF writer draws the images
at their anchors.
"""

from __future__ import annotations

from io import BytesIO
from typing import Mapping

from openpyxl.drawing.image import Image
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils.units import pixels_to_EMU
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from examops.adapters.excel_out import room_docs as rd
from examops.domain.papers import RoomPaper, SeatLine
from examops.i18n.document_words import room_words

# The seat plan: 6 seats across, 5 down (a 30-seat room on one A4 page); each seat a photo over name and ticket.
PLAN_ACROSS = 6
PLAN_BANDS_PER_PAGE = 5
PLAN_COLUMN = 16  # Excel width units: 117 px, 88 pt
PLAN_ROW_HEIGHTS = (86, 18, 14)  # photo, seat and name, ticket (points)
PLAN_GAP = 6
PLAN_PHOTO_PX = (80, 107)  # 60 × 80 pt, ≈ 21 × 28 mm: a registration photo's 3:4

# Photo seat labels: 2 across, 6 down; each label a photo, the seat/ticket/name text and the gate's QR code.
LABELS_ACROSS = 2
LABEL_COLUMNS = (13, 18, 14)  # photo, text, QR (units)
LABEL_PHOTO_PX = (84, 112)  # 63 × 84 pt

GREY = "FF808080"


def _px(units: float) -> int:
    return int(units * 7 + 5)


def _picture(ws: Worksheet, data: bytes, *, col: int, row: int, size_px: tuple[int, int], col_px: int, row_pt: float) -> None:
    """`data` centred in the cell at 0-based (`col`, `row`), `size_px` big."""
    width, height = size_px
    image = Image(BytesIO(data))
    image.width, image.height = width, height
    col_off = max(0, (col_px - width) // 2)
    row_off = max(0, int((row_pt * 4 / 3 - height) / 2))
    image.anchor = OneCellAnchor(_from=AnchorMarker(col=col, colOff=pixels_to_EMU(col_off), row=row, rowOff=pixels_to_EMU(row_off)),
                                 ext=XDRPositiveSize2D(pixels_to_EMU(width), pixels_to_EMU(height)))
    ws.add_image(image)


def _no_photo(ws: Worksheet, row: int, column: int, text: str) -> None:
    cell = ws.cell(row=row, column=column, value=text)
    cell.font = Font(name=rd.BODY_FONT, size=9, color=GREY)
    cell.alignment = rd.CENTER


def photo_seat_plan(ws: Worksheet, paper: RoomPaper, photos: Mapping[str, bytes], lang: str) -> None:
    """考场座次表: every seat of the room with its candidate's photo, seat number, name and ticket."""
    words = room_words(lang)
    rd._columns(ws, [PLAN_COLUMN] * PLAN_ACROSS)
    rd._title(ws, 1, f"{paper.exam}　{paper.site}", PLAN_ACROSS, size=11, height=18, font=rd.BODY_FONT, bold=False)
    rd._title(ws, 2, f"{rd.room_title(paper, lang)}　{words['photo_plan_doc']}", PLAN_ACROSS, size=22, height=34)
    rd._title(ws, 3, rd.session_line(paper, lang), PLAN_ACROSS, size=11, height=20, font=rd.BODY_FONT, bold=False)
    pitch = len(PLAN_ROW_HEIGHTS) + 1
    for index, line in enumerate(paper.seats):
        band, across = divmod(index, PLAN_ACROSS)
        top = 4 + band * pitch
        if across == 0:
            for offset, height in enumerate((*PLAN_ROW_HEIGHTS, PLAN_GAP)):
                ws.row_dimensions[top + offset].height = height
            if band and band % PLAN_BANDS_PER_PAGE == 0:
                ws.row_breaks.append(Break(id=top - 1))
        _plan_seat(ws, top, across + 1, line, photos.get(line.ticket), words["no_photo"])
    if not paper.seats:
        rd._title(ws, 4, words["empty"], PLAN_ACROSS, size=12, height=24, font=rd.BODY_FONT, bold=False)
    rd._a4(ws, paper, lang, words["photo_plan_doc"], title_rows=3)


def _plan_seat(ws: Worksheet, top: int, column: int, line: SeatLine, photo: bytes | None, no_photo: str) -> None:
    if photo is None:
        _no_photo(ws, top, column, no_photo)
    else:
        _picture(ws, photo, col=column - 1, row=top - 1, size_px=PLAN_PHOTO_PX, col_px=_px(PLAN_COLUMN),
                 row_pt=PLAN_ROW_HEIGHTS[0])
    seat_name = ws.cell(row=top + 1, column=column, value=f"{line.seat:02d}  {line.name}")
    seat_name.font = Font(name=rd.TITLE_FONT, size=11, bold=True)
    ticket = ws.cell(row=top + 2, column=column, value=line.ticket)
    ticket.font = Font(name=rd.BODY_FONT, size=9)
    for cell in (seat_name, ticket):
        cell.alignment = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
        cell.number_format = "@"
    rows = len(PLAN_ROW_HEIGHTS)
    for offset in range(rows):
        ws.cell(row=top + offset, column=column).border = Border(
            left=rd.THIN, right=rd.THIN, top=rd.THIN if offset == 0 else None, bottom=rd.THIN if offset == rows - 1 else None)


def photo_seat_labels(ws: Worksheet, paper: RoomPaper, photos: Mapping[str, bytes], lang: str) -> None:
    """桌贴 with the photo: the seat labels' text and QR code, the candidate's photo on the left."""
    words = room_words(lang)
    widths: list[float] = []
    for index in range(LABELS_ACROSS):
        widths += list(LABEL_COLUMNS) + ([2] if index < LABELS_ACROSS - 1 else [])
    rd._columns(ws, widths)
    rd._title(ws, 1, f"{rd.room_title(paper, lang)}　{words['labels_doc']}　{rd.session_line(paper, lang)}", len(widths),
              size=12, height=22)
    pitch = len(rd.LABEL_ROW_HEIGHTS) + 1
    footer = f"{rd.room_title(paper, lang)} · {paper.session_name}"
    stride = len(LABEL_COLUMNS) + 1
    for index, line in enumerate(paper.seats):
        band, across = divmod(index, LABELS_ACROSS)
        top = 2 + band * pitch
        photo_col = 1 + across * stride
        rd._label(ws, top, photo_col + 1, line, footer)
        _label_photo(ws, top, photo_col, photos.get(line.ticket), words["no_photo"])
        if across == 0:
            for offset, height in enumerate(rd.LABEL_ROW_HEIGHTS):
                ws.row_dimensions[top + offset].height = height
            ws.row_dimensions[top + len(rd.LABEL_ROW_HEIGHTS)].height = rd.LABEL_GAP_HEIGHT
            if band and band % rd.LABEL_ROWS_PER_PAGE == 0:
                ws.row_breaks.append(Break(id=top - 1))
    if not paper.seats:
        rd._title(ws, 2, words["empty"], len(widths), size=12, height=24, font=rd.BODY_FONT, bold=False)
    rd._a4(ws, paper, lang, words["labels_doc"], title_rows=1)


def _label_photo(ws: Worksheet, top: int, column: int, photo: bytes | None, no_photo: str) -> None:
    """The photo column of a label: inside the label's dashed outline (the text column loses its left edge)."""
    rows = len(rd.LABEL_ROW_HEIGHTS)
    ws.merge_cells(start_row=top, start_column=column, end_row=top + rows - 1, end_column=column)
    if photo is None:
        _no_photo(ws, top, column, no_photo)
    else:
        _picture(ws, photo, col=column - 1, row=top - 1, size_px=LABEL_PHOTO_PX, col_px=_px(LABEL_COLUMNS[0]),
                 row_pt=sum(rd.LABEL_ROW_HEIGHTS))
    for offset in range(rows):  # the merge's first cell draws the whole outline in the PDF, its last the bottom in Excel
        ws.cell(row=top + offset, column=column).border = Border(
            left=rd.DASHED, top=rd.DASHED if offset == 0 else None, bottom=rd.DASHED if offset in (0, rows - 1) else None)
        text = ws.cell(row=top + offset, column=column + 1)
        text.border = Border(top=text.border.top, bottom=text.border.bottom)
