"""Roster files as exam offices really send them, made in a test's tmp_path.

Every person here is synthetic: names from a short syllable list, IDs built
with the GB 11643 check character around made-up sequence numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import xlwt

from examops.domain import idnumber

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "安宁晓明华丽芳军强伟静敏"


def synthetic_id(born: str = "19900101", sequence: int = 123, area: str = "150203") -> str:
    """A number that passes GB 11643: area + birth date + sequence + check character."""
    body = f"{area}{born}{sequence:03d}"
    return body + idnumber.check_char(body)


def with_wrong_check(number: str) -> str:
    wrong = "0" if number[17] != "0" else "1"
    return number[:17] + wrong


def synthetic_name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index // len(SURNAMES)) % len(GIVEN)] + GIVEN[index % 7]


@dataclass
class Person:
    ticket: str
    name: str
    id_number: str
    sex: str


def people(count: int, start: int = 0) -> list[Person]:
    """Distinct synthetic candidates; even sequence numbers are women."""
    result = []
    for index in range(start, start + count):
        sequence = 100 + index % 900
        year = 1980 + index % 20 - index // 900
        number = synthetic_id(f"{year}{1 + index % 12:02d}{1 + index % 28:02d}", sequence)
        result.append(Person(f"2115{index:010d}", synthetic_name(index), number, "男" if sequence % 2 else "女"))
    return result


@dataclass
class Sheet:
    """A sheet to write: rows of values (None = leave empty), 1-based hidden rows and merges."""

    name: str
    rows: list[list[object]]
    hidden: str | None = None  # "hidden" or "veryHidden"
    hidden_rows: tuple[int, ...] = ()
    merged: tuple[str, ...] = ()
    text_columns: tuple[int, ...] = field(default=())


def write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        worksheet = workbook.create_sheet(spec.name)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    worksheet.cell(r, c, value)
        for number in spec.hidden_rows:
            worksheet.row_dimensions[number].hidden = True
        for span in spec.merged:
            worksheet.merge_cells(span)
        if spec.hidden:
            worksheet.sheet_state = spec.hidden
    workbook.save(path)
    return path


def write_xls(path: Path, sheets: list[Sheet]) -> Path:
    workbook = xlwt.Workbook(encoding="utf-8")
    for spec in sheets:
        worksheet = workbook.add_sheet(spec.name)
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is not None:
                    worksheet.write(r, c, value)
        for number in spec.hidden_rows:
            worksheet.row(number - 1).hidden = True
        if spec.hidden:
            worksheet.visibility = 1 if spec.hidden == "hidden" else 2
    workbook.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


HEADER = ["序号", "准考证号", "姓名", "性别", "身份证号", "考场号", "座位号"]


def room_rows(room: object, folks: list[Person], first_seat: int = 1) -> list[list[object]]:
    return [
        [i + 1, p.ticket, p.name, p.sex, p.id_number, room, first_seat + i]
        for i, p in enumerate(folks)
    ]


# ---------------------------------------------------------------- the messy rooms workbook

MESSY_PEOPLE = people(12)


def messy_rooms_sheets() -> list[Sheet]:
    """Sheets of the realistic messy workbook; tests assert on each planted problem.

    Room 1 (sheet 第1考场): title + merged banner in rows 1-2, header in row 3,
    candidates in rows 4-8, a hidden row 9, footers 合计/制表人 in rows 11-12.
    Row 6 has the ID typed as a number, row 7 full-width digits, row 8 a
    lower-case x ID written as 15 digits... see the comments below.
    """
    p = MESSY_PEOPLE
    x_id = "44011320141005001x"  # valid with lower-case x (vector file)
    room1 = [
        ["2021年国家统一法律职业资格考试 考生名单", None, None, None, None, None, None],
        [None, None, None, None, None, None, None],
        # headers with full-width space, NBSP and zero-width space inside
        ["序号", "准考证号", "姓\u3000名", "性别", "身份\u00a0证号", "考场\u200b号", "座位号"],
        [1, p[0].ticket, p[0].name, p[0].sex, p[0].id_number, 1, 1],  # row 4 room as number 1
        [2, p[1].ticket, p[1].name, p[1].sex, p[1].id_number, "001", 2],  # row 5 room "001"
        [3, p[2].ticket, p[2].name, p[2].sex, float(p[2].id_number[:17] + "0"), "001", 3],  # row 6 ID as number
        [4, "２１１５" + p[3].ticket[4:], " " + p[3].name + " ", p[3].sex, "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in p[3].id_number), "第1考场", "4"],  # row 7 full-width
        [5, p[4].ticket, p[4].name, "女", x_id, "01", 5],  # row 8 lower-case x; the ID is a man's
        [6, p[5].ticket, p[5].name, p[5].sex, p[5].id_number, "001", 6],  # row 9 hidden
        [None, None, None, None, None, None, None],
        ["合计", None, "5人", None, None, None, None],
        ["制表人：测试员", None, None, "审核人：测试员", None, None, None],
    ]
    room2 = [
        ["Candidate roster — room 2", None, None, None, None, None],
        ["Ticket No.", "Name", "Sex", "ID Number", "Room", "Seat"],
        [p[6].ticket, "Anna  Lee", "M", "360426910101007", "002", 1],  # row 3: 15-digit ID
        [p[7].ticket, p[7].name, p[7].sex, with_wrong_check(p[7].id_number), "002", 2],  # row 4 bad checksum
        [p[8].ticket, p[8].name, p[8].sex, synthetic_id("19901301", 9), "002", 3],  # row 5 month 13
        [p[9].ticket, p[9].name, p[9].sex, synthetic_id("19900101", 11, area="990426"), "002", 4],  # row 6 unknown region
        [p[0].ticket, p[0].name, p[0].sex, p[0].id_number, "002", 5],  # row 7 duplicate ticket of sheet 1 row 4
        [p[10].ticket, p[10].name, p[1].sex, p[1].id_number, "002", 6],  # row 8 ID of sheet 1 row 5
        [p[11].ticket, p[11].name, p[11].sex, p[11].id_number, 2, 1],  # row 9 seat 1 of room 002 taken (row 3)
    ]
    instructions = [
        ["填表说明"],
        ["1. 准考证号、身份证号两列必须为文本格式。"],
        ["准考证号", "姓名", "身份证号", "考场号", "座位号"],
    ]
    hidden_copy = [
        HEADER,
        [1, "211500000099", "旧名单", "男", synthetic_id("19850505", 31), "003", 1],
    ]
    return [
        Sheet("填表说明", instructions),
        Sheet("第1考场", room1, hidden_rows=(9,), merged=("A1:G1",)),
        Sheet("第2考场", room2, merged=("A1:F1",)),
        Sheet("Sheet3", []),
        Sheet("旧名单", hidden_copy, hidden="hidden"),
    ]


# ---------------------------------------------------------------- unreadable files


def ole2_bytes(streams: dict[str, bytes], *, mini: bool = False) -> bytes:
    """A minimal compound file (512-byte sectors, one FAT sector, one directory sector).

    With ``mini`` the streams shorter than the 4096-byte cutoff go to the mini
    stream, as the format says; without it they are padded to the cutoff so
    every stream lives in regular sectors.
    """
    sector, mini_sector, cutoff = 512, 64, 4096
    end_of_chain, fat_sector, free = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    ordered = sorted(streams.items(), key=lambda item: (len(item[0]), item[0].upper()))
    if len(ordered) > 3:
        raise ValueError("this writer keeps the directory in one sector: at most 3 streams")
    fat = [fat_sector, end_of_chain]
    body = bytearray()

    def place(data: bytes) -> int:
        count = max(1, -(-len(data) // sector))
        start = len(fat)
        fat.extend(start + i + 1 for i in range(count - 1))
        fat.append(end_of_chain)
        body.extend(data.ljust(count * sector, b"\x00"))
        return start

    entries = []
    mini_data = bytearray()
    minifat: list[int] = []
    for name, data in ordered:
        if mini and len(data) < cutoff:
            count = max(1, -(-len(data) // mini_sector))
            start = len(minifat)
            minifat.extend(start + i + 1 for i in range(count - 1))
            minifat.append(end_of_chain)
            mini_data.extend(data.ljust(count * mini_sector, b"\x00"))
            entries.append((name, start, len(data)))
        else:
            data = data if mini else data.ljust(cutoff, b"\x00")
            entries.append((name, place(data), len(data)))
    root_start, root_size, minifat_start, minifat_count = end_of_chain, 0, end_of_chain, 0
    if mini_data:
        root_start, root_size = place(bytes(mini_data)), len(mini_data)
        minifat_start, minifat_count = place(struct.pack(f"<{len(minifat)}I", *minifat).ljust(sector, b"\xff")), 1
    if len(fat) > sector // 4:
        raise ValueError("streams too large for one FAT sector")
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<III", start, size, 0)
        )

    directory = entry("Root Entry", 5, 1 if entries else free, free, root_start, root_size)
    for index, (name, start, size) in enumerate(entries, start=1):
        right = index + 1 if index < len(entries) else free
        directory += entry(name, 2, free, right, start, size)
    directory = directory.ljust(sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, cutoff, minifat_start, minifat_count, end_of_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    assert len(header) == 512
    return header + fat_bytes + directory + bytes(body)


def encrypted_xlsx_bytes() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with EncryptionInfo/EncryptedPackage."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"  # agile encryption header, body elided
    return ole2_bytes({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 5000) + b"\x5a" * 5000})


def encrypted_xls_bytes() -> bytes:
    """A legacy .xls whose globals carry a FILEPASS record (XOR obfuscation), as Excel 97-2003 writes."""
    workbook = xlwt.Workbook()
    workbook.add_sheet("第1考场").write(0, 0, "准考证号")
    stream = bytearray(workbook.get_biff_data())
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678)
    bof_length = struct.unpack_from("<H", stream, 2)[0]
    insert_at = 4 + bof_length
    pos = insert_at
    while pos + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, pos)
        if record == 0x0085:
            offset = struct.unpack_from("<I", stream, pos + 4)[0]
            struct.pack_into("<I", stream, pos + 4, offset + len(filepass))
        if record == 0x000A:
            break
        pos += 4 + length
    stream[insert_at:insert_at] = filepass
    return ole2_bytes({"Workbook": bytes(stream)})


def html_disguised_as_xls() -> bytes:
    page = (
        "\ufeff\r\n  <html xmlns:o=\"urn:schemas-microsoft-com:office:office\">"
        "<head><meta charset=\"utf-8\"></head><body><table><tr><td>准考证号</td><td>姓名</td></tr>"
        "<tr><td>211500000001</td><td>王安</td></tr></table></body></html>"
    )
    return page.encode("utf-8")


def zip_bomb_bytes(member_size: int = 4 * 2**20) -> bytes:
    """An xlsx-shaped zip whose sheet is megabytes of zeros deflated to a few KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * member_size)
    return buffer.getvalue()


def docx_like_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("名单/readme.txt", "see attachment")
        archive.writestr("名单/rooms.xlsx", b"not really")
    return buffer.getvalue()


def today() -> dt.date:
    return dt.date(2021, 10, 16)
