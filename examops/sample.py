"""Synthetic candidates and rosters for the sample site, tests and benchmarks.

Every name and ID number here is made up: names are random pairings of common
characters and IDs are random valid GB 11643 numbers, never a real person on
purpose. openpyxl is imported inside the xlsx writers only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from examops.domain import idnumber

EXAM_NAME = "2021年国家统一法律职业资格考试(客观题)"
SITE_NAME = "包头市第一中学考点"
ROSTER_TITLE = "2021年国家统一法律职业资格考试 包头市第一中学考点 考生名单"
TICKET_PREFIX = "21150"

ROSTER_HEADERS = ("序号", "准考证号", "姓名", "性别", "身份证号", "考场号", "座位号")
SESSION_HEADER = "场次"
TEMPLATE_HEADERS = ("准考证号", "姓名", "性别", "身份证号", "考场号", "座位号", "场次")
SEX_LABELS = {"M": "男", "F": "女"}
TEXT_FORMAT = "@"

SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严武戴孔汤云乌包奇敖"
)
_MALE_GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波凯浩亮健俊峰龙彬宇航志建国东海林永成康武胜祥庆兵振博轩睿哲宏毅锋坤栋诚昊旭铭豪巍德山川松岩鹰晖彪勋瀚晔琛骏鸣峻炜"
_FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀英玲燕红梅琳颖婷雪慧莉萍倩琴兰洁晶妍欣怡佳璐蕾薇楠茜月菲丹瑶琪悦岚露凤桂淑珍彤萌婧蓉媛姗菁蕊馨曼诗雅娅婉琼莹璇婕琦妮娴菊雯"
_NEUTRAL_GIVEN = "子一文晓小天鸿立金玉元正光荣家利清晴安乐泽涵远和新春夏秋冬辰星阳泉晗可心如若言思嘉宁晨然瑞蒙雨融书翔晟逸朗欢畅润源韬卓"
GIVEN_CHARS = {
    "M": tuple(dict.fromkeys(_MALE_GIVEN + _NEUTRAL_GIVEN)),
    "F": tuple(dict.fromkeys(_FEMALE_GIVEN + _NEUTRAL_GIVEN)),
}

# Inner Mongolia area codes with the years python-stdnum's table gives them
# (inclusive; None = open): stdnum rejects a code outside its years, so a
# birth year only draws from codes valid in that year.  Baotou comes first
# and is drawn most often, as it is the sample site's city.
AREA_CODES: tuple[tuple[str, int | None, int | None, int], ...] = (
    ("150202", 1983, None, 6),  # 包头 东河区
    ("150203", 1983, None, 10),  # 包头 昆都仑区
    ("150204", 1983, None, 8),  # 包头 青山区
    ("150205", 1983, None, 1),  # 包头 石拐区
    ("150206", 1983, None, 1),  # 包头 白云鄂博矿区
    ("150207", 1983, None, 4),  # 包头 九原区
    ("150221", None, None, 3),  # 包头 土默特右旗
    ("150222", None, None, 2),  # 包头 固阳县
    ("150223", 1996, None, 1),  # 包头 达尔罕茂明安联合旗
    ("150102", 1983, None, 2),  # 呼和浩特 新城区
    ("150103", 1983, None, 1),  # 呼和浩特 回民区
    ("150104", 1983, None, 1),  # 呼和浩特 玉泉区
    ("150105", 1983, None, 2),  # 呼和浩特 赛罕区
    ("150121", None, None, 1),  # 呼和浩特 土默特左旗
    ("150122", None, None, 1),  # 呼和浩特 托克托县
    ("152601", None, 2003, 2),  # 集宁市
    ("152624", None, 2003, 1),  # 卓资县
    ("152501", None, None, 1),  # 二连浩特市
    ("152201", None, None, 1),  # 乌兰浩特市
)
BIRTH_YEARS = (1960, 2003)


@dataclass(frozen=True, slots=True)
class Person:
    """A synthetic candidate; `sex` is "M" or "F" and agrees with the ID."""

    ticket: str
    name: str
    id_number: str
    sex: str


class Seat(NamedTuple):
    """A candidate placed in a room (1-based) and a seat (1-based)."""

    room: int
    seat: int
    person: Person


def _codes_by_year() -> dict[int, tuple[list[str], list[int]]]:
    table = {}
    for year in range(BIRTH_YEARS[0], BIRTH_YEARS[1] + 1):
        usable = [
            (code, weight)
            for code, first, last, weight in AREA_CODES
            if (first is None or year >= first) and (last is None or year <= last)
        ]
        table[year] = ([code for code, _ in usable], [weight for _, weight in usable])
    return table


def _synthetic_id(rng: random.Random, sex: str, codes_by_year: dict) -> str:
    first, last = BIRTH_YEARS
    year = min(last, int(rng.triangular(first, last + 1, 1995)))
    born = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365 + (year % 4 == 0)))
    codes, weights = codes_by_year[year]
    area = rng.choices(codes, weights)[0]
    sequence = rng.randrange(1 if sex == "M" else 2, 1000, 2)
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + idnumber.check_char(body)


def _synthetic_name(rng: random.Random, sex: str) -> str:
    pool = GIVEN_CHARS[sex]
    given_length = 2 if rng.random() < 0.65 else 1
    return rng.choice(SURNAMES) + "".join(rng.choice(pool) for _ in range(given_length))


def synthetic_people(n: int, seed: int = 2021) -> list[Person]:
    """`n` made-up candidates with unique 14-digit tickets and unique valid IDs; same seed, same list."""
    if n < 0:
        raise ValueError(f"n must be at least 0, got {n}")
    rng = random.Random(seed)
    room_for_tickets = 10**9 - n
    if room_for_tickets < 1:
        raise ValueError(f"at most {10**9 - 1} people fit the 9-digit ticket sequence, asked for {n}")
    first_ticket = rng.randrange(min(room_for_tickets, 10**8))
    codes_by_year = _codes_by_year()
    seen_ids: set[str] = set()
    people = []
    for index in range(n):
        sex = "M" if rng.random() < 0.5 else "F"
        id_number = _synthetic_id(rng, sex, codes_by_year)
        while id_number in seen_ids:
            id_number = _synthetic_id(rng, sex, codes_by_year)
        seen_ids.add(id_number)
        people.append(
            Person(
                ticket=f"{TICKET_PREFIX}{first_ticket + index:09d}",
                name=_synthetic_name(rng, sex),
                id_number=id_number,
                sex=sex,
            )
        )
    return people


def seat_people(people: Sequence[Person], seats_per_room: int = 30, rooms: int | None = None) -> list[Seat]:
    """Fill rooms in order, seat 1 to `seats_per_room`; `rooms` caps how many rooms there are."""
    if seats_per_room < 1:
        raise ValueError(f"seats_per_room must be at least 1, got {seats_per_room}")
    if rooms is not None and len(people) > rooms * seats_per_room:
        raise ValueError(
            f"{len(people)} people do not fit {rooms} rooms of {seats_per_room} seats"
        )
    return [
        Seat(index // seats_per_room + 1, index % seats_per_room + 1, person)
        for index, person in enumerate(people)
    ]


def room_sheet_name(room: int) -> str:
    """Sheet name of a room as exam offices write it: 第01考场."""
    return f"第{room:02d}考场"


def _room_label(room: int, room_as_text: bool) -> str | int:
    return f"{room:03d}" if room_as_text else room


def _roster_rows(
    seats: Iterable[Seat], session_column: Sequence[str] | None
) -> Iterator[tuple[str, str, str, str, str | int, int, str | None]]:
    """(ticket, name, sex label, ID, room, seat, session) per row; sessions outermost."""
    seats = list(seats)
    for session in session_column or [None]:
        for room, seat, person in seats:
            yield person.ticket, person.name, SEX_LABELS[person.sex], person.id_number, room, seat, session


def _header(session_column: Sequence[str] | None) -> tuple[str, ...]:
    return ROSTER_HEADERS + ((SESSION_HEADER,) if session_column else ())


def _group_by_room(seats: list[Seat], per_room_sheets: bool) -> list[tuple[str, list[Seat]]]:
    if not per_room_sheets:
        return [("考生名单", seats)]
    groups: dict[int, list[Seat]] = {}
    for seat in seats:
        groups.setdefault(seat.room, []).append(seat)
    return [(room_sheet_name(room), group) for room, group in groups.items()]


_ROSTER_WIDTHS = {"A": 6, "B": 18, "C": 10, "D": 6, "E": 22, "F": 8, "G": 8, "H": 10}


def write_roster_xlsx(
    path: str | Path,
    people: Sequence[Person],
    *,
    rooms: int | None = None,
    seats_per_room: int = 30,
    per_room_sheets: bool = True,
    title: str | None = ROSTER_TITLE,
    session_column: Sequence[str] | None = None,
    room_as_text: bool = True,
    instructions: Sequence[str] | None = None,
) -> Path:
    """Write a roster as an exam office makes it: title row, header, ticket and ID as Text cells.

    One sheet per room (第01考场 …) or one sheet 考生名单; with `session_column`,
    one row per person per session under a 场次 column. Rooms are "001" text or
    int 1 (`room_as_text`). `instructions` adds a 填表说明 sheet first.
    Streams rows (openpyxl write-only mode), so 200k rows fit in memory.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    seats = seat_people(people, seats_per_room, rooms)
    header = _header(session_column)
    last_column = "ABCDEFGH"[len(header) - 1]
    workbook = Workbook(write_only=True)
    if instructions is not None:
        _append_instructions(workbook.create_sheet("填表说明"), instructions)

    for sheet_name, group in _group_by_room(seats, per_room_sheets):
        sheet = workbook.create_sheet(sheet_name)
        for column, width in _ROSTER_WIDTHS.items():
            sheet.column_dimensions[column].width = width
        for column in ("B", "E"):
            sheet.column_dimensions[column].number_format = TEXT_FORMAT
        sheet.freeze_panes = "A3" if title else "A2"
        if title:
            title_cell = WriteOnlyCell(sheet, title)
            title_cell.font = Font(bold=True, size=14)
            title_cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.row_dimensions[1].height = 28
            sheet.append([title_cell])
            sheet.merged_cells.add(f"A1:{last_column}1")
        header_font = Font(bold=True)
        header_cells = []
        for label in header:
            cell = WriteOnlyCell(sheet, label)
            cell.font = header_font
            header_cells.append(cell)
        sheet.append(header_cells)
        for number, (ticket, name, sex, id_number, room, seat, session) in enumerate(
            _roster_rows(group, session_column), 1
        ):
            ticket_cell = WriteOnlyCell(sheet, ticket)
            ticket_cell.number_format = TEXT_FORMAT
            id_cell = WriteOnlyCell(sheet, id_number)
            id_cell.number_format = TEXT_FORMAT
            row = [number, ticket_cell, name, sex, id_cell, _room_label(room, room_as_text), seat]
            if session is not None:
                row.append(session)
            sheet.append(row)

    target = Path(path)
    workbook.save(target)
    return target


def _append_instructions(sheet, lines: Sequence[str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 110
    for index, line in enumerate(lines):
        cell = WriteOnlyCell(sheet, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index == 0:
            cell.font = Font(bold=True, size=14)
        sheet.append([cell])


def write_roster_csv(
    path: str | Path,
    people: Sequence[Person],
    encoding: str = "utf-8-sig",
    *,
    rooms: int | None = None,
    seats_per_room: int = 30,
    title: str | None = None,
    session_column: Sequence[str] | None = None,
    room_as_text: bool = True,
) -> Path:
    """The same roster as one CSV table; `utf-8-sig` so Excel shows the Chinese right.

    Excel opening this CSV will still turn 18-digit IDs into numbers: the
    xlsx roster is the format to hand an office.
    """
    import csv

    seats = seat_people(people, seats_per_room, rooms)
    target = Path(path)
    with target.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if title:
            writer.writerow([title])
        writer.writerow(_header(session_column))
        for number, (ticket, name, sex, id_number, room, seat, session) in enumerate(
            _roster_rows(seats, session_column), 1
        ):
            row = [number, ticket, name, sex, id_number, _room_label(room, room_as_text), seat]
            if session is not None:
                row.append(session)
            writer.writerow(row)
    return target


# The headers the template names, with the synonyms the importer accepts (one table: domain.roster).
TEMPLATE_FIELDS = {"准考证号": "ticket", "姓名": "name", "性别": "sex", "身份证号": "id_number",
                   "考场号": "room", "座位号": "seat", "场次": "session"}


def _synonyms(header: str) -> tuple[str, ...]:
    from examops.domain.roster import HEADER_SYNONYMS

    return tuple(s for s in HEADER_SYNONYMS[TEMPLATE_FIELDS[header]] if s != header and not s.isascii())


INSTRUCTIONS = (
    "考生名单填表说明 / How to fill in the candidate roster",
    "1. 每行一名考生；同一考生参加多个场次时，每个场次一行并填写“场次”列，全部场次都参加可不填“场次”。"
    " / One row per candidate (one row per candidate per session when the 场次 column is used).",
    "2. 准考证号、身份证号两列必须为“文本”格式，切勿按数字输入，否则末位会变成0或显示为1.5E+17。"
    " / The ticket and ID columns are Text: never type them as numbers.",
    "3. 可以每个考场一个工作表（如“第01考场”），也可以全部考生放在一个工作表（如“考生名单”）。"
    " / One sheet per room, or one sheet for all candidates.",
    "4. 表格内不要合并单元格；表头上方可以有一行标题。"
    " / No merged cells inside the table; a title row above the header is fine.",
    "5. 不要隐藏行或列，不要留空行；删除考生请整行删除。"
    " / Do not hide rows or columns; delete a whole row to remove a candidate.",
    "6. 性别填“男”或“女”；考场号填如“001”，座位号填如“01”或“1”。"
    " / Sex is 男 or 女; room like 001, seat like 01 or 1.",
    "7. 可识别的表头及同义词 / Recognised headers and their synonyms:",
    *(
        f"    {header}：{'、'.join(synonyms) if synonyms else '—'}"
        for header, synonyms in ((h, _synonyms(h)) for h in TEMPLATE_FIELDS)
    ),
    "8. 名单含个人信息，请妥善保管，不得外传。"
    " / The roster holds personal information: keep it safe and do not pass it on.",
)

_TEMPLATE_WIDTHS = {"A": 18, "B": 10, "C": 6, "D": 22, "E": 8, "F": 8, "G": 10}


def write_template_xlsx(path: str | Path, *, text_rows: int = 5000) -> Path:
    """The empty roster an exam office fills in: instructions, bold header, Text ID columns, 男/女 list."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    guide = workbook.active
    guide.title = "填表说明"
    guide.column_dimensions["A"].width = 110
    for index, line in enumerate(INSTRUCTIONS, 1):
        cell = guide.cell(index, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index == 1:
            cell.font = Font(bold=True, size=14)

    sheet = workbook.create_sheet("考生名单")
    bold = Font(bold=True)
    for column_index, label in enumerate(TEMPLATE_HEADERS, 1):
        sheet.cell(1, column_index, label).font = bold
    for column, width in _TEMPLATE_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    for column in ("A", "D", "E"):
        sheet.column_dimensions[column].number_format = TEXT_FORMAT
    for row in range(2, text_rows + 1):
        for column_index in (1, 4):
            sheet.cell(row, column_index).number_format = TEXT_FORMAT
    sex_list = DataValidation(
        type="list",
        formula1='"男,女"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="性别",
        error="请填写“男”或“女” / 男 or 女",
    )
    sex_list.add(f"C2:C{text_rows}")
    sheet.add_data_validation(sex_list)
    sheet.freeze_panes = "A2"

    target = Path(path)
    workbook.save(target)
    return target


def sample_plan_toml(exam_name: str = EXAM_NAME, site: str = SITE_NAME) -> str:
    """The sample site's plan: two papers on 2021-10-16, 2021 screening, a backup and an isolation room."""
    return f'''\
# Sample exam plan for the synthetic site (see rosters/README.md).
# [exam]            name and site as printed on reports and door lists;
#                   language: the site's screens and documents (--lang overrides).
# [policy]          preset = "standard" or "covid-2021" (health code, itinerary
#                   card, temperature, nucleic-acid test), or path = "my.toml".
# [approval]        levels: who must approve an exception, in order.
# [[sessions]]      one per paper: id used in rosters (场次), local date and
#                   times, late_entry_minutes = how long after start the gate
#                   still admits (30 for this exam, often 15 elsewhere);
#                   entry_opens_minutes = how long before start the doors
#                   open (default 45). Outside that window a scan admits
#                   and denies no one. early_leave_minutes = from how long
#                   after start a candidate may leave for good (default:
#                   late_entry_minutes, so no one leaves while a late one
#                   may still come in; at most the paper's length); before
#                   that only the chief proctor authorises it, with the PIN
#                   (a sick candidate). Temporary leaves: any time. The
#                   date is past: drills set EXAMOPS_CLOCK="2021-10-16T08:05".
# [[backup_rooms]]  spare rooms; kind = "backup" (risk factor, normal readings)
#                   or "isolation" (fever). The two are never mixed.
[exam]
name = "{exam_name}"
site = "{site}"
language = "zh-CN"
[policy]
preset = "covid-2021"
[approval]
levels = ["chief", "deputy", "supervisor"]
[[sessions]]
id = "S1"
name = "试卷一"
date = "2021-10-16"
start = "08:30"
end = "11:30"
late_entry_minutes = 30
[[sessions]]
id = "S2"
name = "试卷二"
date = "2021-10-16"
start = "14:00"
end = "17:00"
late_entry_minutes = 30
[[backup_rooms]]
id = "B01"
name = "备用考场一"
capacity = 30
kind = "backup"
[[backup_rooms]]
id = "G01"
name = "隔离考场"
capacity = 30
kind = "isolation"
'''
