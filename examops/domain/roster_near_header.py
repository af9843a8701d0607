"""The row of a sheet that comes closest to a roster header, for the refusal of a file that has none (pure Python).

A clerk whose header is misspelt (准考政号) or missing (the candidates start in row 1) is told which row was
nearly it, what it held and which of the required headers it lacks, so the fix is one edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from examops.domain.roster_model import HEADER_SEARCH_ROWS, HEADER_SYNONYMS, REQUIRED_FIELDS, _header_key
from examops.domain.roster_values import _is_blank, clean_name, value_text

WANTED = tuple(HEADER_SYNONYMS[f][0] for f in REQUIRED_FIELDS)  # the headers a refusal asks for: 准考证号, 姓名, …
_CELLS_LOOKED_AT = 40  # a header is at the left; wide rows of data are not searched to their end
_CELLS_SHOWN = 8
_CELL_SHOWN_CHARS = 20
_NEAR_RATIO = 0.6  # 准考政号 against 准考证号 is 0.75; 考场 against 场次 is 0.5
_NEAR_RATIO_LATIN = 0.8  # "ticket numbr" against "ticket number" is 0.96; MID_NM against "id no" 0.67
# Headers rosters often have besides the roster's own; one character away from 考号 or 座号, but no misspelling of them.
_OTHER_HEADERS = frozenset({"序号", "编号", "学号", "工号", "型号", "代号", "备注", "照片", "电话", "手机", "年龄", "民族", "学历", "单位"})


@dataclass(frozen=True, slots=True)
class NearHeader:
    """Row ``row`` (1-based) of ``sheet``: what it held, the required headers it names, and cells that look misspelt."""

    sheet: str
    row: int
    held: tuple[str, ...]
    named: frozenset[str]
    misspelt: tuple[tuple[str, str], ...]  # (the cell's text, the header it probably means)
    data: bool = False  # no row resembles a header, and this one is the first that holds a candidate

    @property
    def score(self) -> int:
        return 2 * len(self.named) + len(self.misspelt)

    @property
    def lacking(self) -> tuple[str, ...]:
        return tuple(HEADER_SYNONYMS[f][0] for f in REQUIRED_FIELDS if f not in self.named)


class NearHeaderSearch:
    """Scores the first rows of headerless sheets; one instance per parser, so near-miss spellings are cached."""

    def __init__(self, synonyms: dict[str, str]) -> None:
        self.synonyms = synonyms
        self.required_keys = [(key, field) for key, field in synonyms.items() if field in REQUIRED_FIELDS]
        self.near_cache: dict[str, tuple[str | None, float]] = {}

    def closest(self, sheet_name: str, rows: list[list[object]], data_row: int | None = None) -> NearHeader | None:
        """The best-scoring row among the first rows; when none names or resembles a header, ``data_row`` (where the
        candidates seem to start), else the first filled row."""
        best: NearHeader | None = None
        for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
            row = rows[index][:_CELLS_LOOKED_AT]
            if all(_is_blank(v) for v in row):
                continue
            candidate = self.score_row(sheet_name, index + 1, row)
            if best is None or candidate.score > best.score:
                best = candidate
        if (best is None or best.score == 0) and data_row is not None:
            row = self.score_row(sheet_name, data_row, rows[data_row - 1][:_CELLS_LOOKED_AT])
            return NearHeader(row.sheet, row.row, row.held, row.named, row.misspelt, data=True)
        return best

    def score_row(self, sheet_name: str, row_no: int, row: list[object]) -> NearHeader:
        named: set[str] = set()
        misspelt: dict[str, str] = {}
        for value in row:
            if value.__class__ is not str:
                continue
            key = _header_key(value)
            field_name = self.synonyms.get(key)
            if field_name is not None:
                named.add(field_name)
                continue
            meant = self.near_field(key)
            if meant is not None and meant not in misspelt:
                misspelt[meant] = clean_name(value)
        misspelt_pairs = tuple((text, HEADER_SYNONYMS[f][0]) for f, text in misspelt.items() if f not in named)
        return NearHeader(sheet_name, row_no, _held(row), frozenset(named & set(REQUIRED_FIELDS)), misspelt_pairs)

    def near_field(self, key: str) -> str | None:
        """The required field whose header ``key`` probably misspells, if any."""
        return self.nearness(key)[0]

    def nearness(self, key: str) -> tuple[str | None, float]:
        """The required field ``key`` looks most like a misspelling of, and how alike they are (0 to 1)."""
        if not 2 <= len(key) <= 24 or key in _OTHER_HEADERS:
            return None, 0.0
        if key in self.near_cache:
            return self.near_cache[key]
        best: tuple[str | None, float] = (None, 0.0)
        for synonym, field_name in self.required_keys:
            matcher = _matcher(key, synonym)
            if matcher.real_quick_ratio() > best[1] and matcher.quick_ratio() > best[1]:  # cheap upper bounds first
                ratio = matcher.ratio()
                one_typo = len(synonym) == len(key) and sum(a != b for a, b in zip(key, synonym)) == 1  # 坐位 for 座位
                close_length = abs(len(synonym) - len(key)) <= 2  # "formatted number" is no misspelt "id number"
                enough = _NEAR_RATIO_LATIN if key.isascii() else _NEAR_RATIO  # Latin abbreviations (MID_NM) share letters
                if ratio > best[1] and close_length and (ratio >= enough or one_typo and not key.isascii()):
                    best = (field_name, ratio)
        self.near_cache[key] = best
        return best


def _held(row: list[object]) -> tuple[str, ...]:
    """The row's filled cells as the clerk sees them, the first few and each cut short."""
    shown = []
    for value in row:
        if _is_blank(value):
            continue
        if len(shown) == _CELLS_SHOWN:
            shown.append("…")
            break
        text = clean_name(value_text(value) or "")
        shown.append(text if len(text) <= _CELL_SHOWN_CHARS else text[: _CELL_SHOWN_CHARS - 1] + "…")
    return tuple(shown)


def _matcher(a: str, b: str):  # noqa: ANN202 - a difflib.SequenceMatcher
    """difflib's matcher, imported only when a header is not found as written (a plain roster never needs it)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b)
