"""The digests a report's signature covers: every value cell of every sheet, the event-log chain heads, the figures.

A cell becomes one line of text, `sheet!coordinate=type:value`; a sheet's
digest is SHA-256 over its lines in row-major order, and each row keeps a
short hash of its own so a verifier can say which rows changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from itertools import groupby
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Iterable, Sequence

from examops.domain.events import canonical_json

SheetCells = tuple[str, list[tuple[int, int, object]]]
"""A sheet's title and its non-empty cells (row, column, value) in row-major order."""

ROW_HASH_CHARS = 6
ROW_HASHES_PER_CELL = 5000


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


cached_letter = functools.lru_cache(maxsize=None)(column_letter)


def cell_line(title: str, row: int, column: int, value: object) -> str:
    """`sheet!coordinate=type:value`, the value JSON-encoded so a line break inside it cannot fake a cell."""
    return f"{title}!{column_letter(column)}{row}={type(value).__name__}:{_json(value)}"


def _json(value: object) -> str:
    """`json.dumps(value, ensure_ascii=False, default=str)`; text and whole numbers (every cell the report writes)
    encoded by the function json.dumps uses for them, without its per-call set-up."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, default=str)


@dataclass
class SheetDigest:
    digest: str
    cells: int
    row_hashes: str  # ROW_HASH_CHARS per row from row 1 to the last, "." for an empty row

    def row_hash_chunks(self) -> list[str]:
        """The row hashes cut to fit one cell each (ROW_HASHES_PER_CELL rows a cell)."""
        size = ROW_HASH_CHARS * ROW_HASHES_PER_CELL
        return [self.row_hashes[i:i + size] for i in range(0, len(self.row_hashes), size)]


@dataclass
class CellsDigest:
    digest: str
    sheets: dict[str, SheetDigest]


class CellsDigester:
    """`digest_cells`'s digests fed a row's lines at a time: for a writer that makes each row's lines as it goes
    over the row for its own purpose (rows of a sheet in order, each once)."""

    def __init__(self) -> None:
        self._overall = hashlib.sha256()
        self.sheets: dict[str, SheetDigest] = {}

    def sheet(self, title: str) -> "SheetDigester":
        return SheetDigester(self, title)

    def result(self) -> CellsDigest:
        return CellsDigest(self._overall.hexdigest(), self.sheets)


class SheetDigester:
    def __init__(self, owner: CellsDigester, title: str) -> None:
        self.owner, self.title = owner, title
        self._own = hashlib.sha256()
        self._rows: dict[int, str] = {}
        self.cells = 0

    def row(self, row: int, text: str, cells: int) -> None:
        """One row's lines (`row_lines`), `cells` of them."""
        data = text.encode("utf-8")
        self.owner._overall.update(data)
        self._own.update(data)
        self._rows[row] = hashlib.sha256(data).hexdigest()[:ROW_HASH_CHARS]
        self.cells += cells

    def done(self) -> SheetDigest:
        rows = self._rows
        hashes = "".join([rows.get(r) or "." * ROW_HASH_CHARS for r in range(1, max(rows, default=0) + 1)])
        found = self.owner.sheets[self.title] = SheetDigest(self._own.hexdigest(), self.cells, hashes)
        return found


def row_lines(title: str, row: int, cells: Iterable[tuple[int, object]]) -> str:
    """The lines of a row's cells ((column, value), in column order), each `cell_line` and a line break."""
    return "".join([f"{title}!{cached_letter(column)}{row}={type(value).__name__}:{_json(value)}\n" for column, value in cells])


def digest_cells(sheets: Iterable[tuple[str, Sequence[tuple[int, int, object]]]]) -> CellsDigest:
    """One SHA-256 over every value cell of every sheet (in order, row-major), and each sheet's own."""
    overall = hashlib.sha256()
    result: dict[str, SheetDigest] = {}
    for title, cells in sheets:
        own = hashlib.sha256()
        rows: dict[int, hashlib._Hash] = {}
        # The lines of a run of cells in one row (a whole row, cells being row-major) hashed as one update: the
        # same digests as a line at a time, a third of the calls.
        for row, run in groupby(cells, key=itemgetter(0)):
            text = "".join([f"{title}!{cached_letter(column)}{row}={type(value).__name__}:{_json(value)}\n"
                            for _, column, value in run]).encode("utf-8")
            overall.update(text)
            own.update(text)
            rows.setdefault(row, hashlib.sha256()).update(text)
        last = max(rows, default=0)
        hashes = "".join(rows[r].hexdigest()[:ROW_HASH_CHARS] if r in rows else "." * ROW_HASH_CHARS for r in range(1, last + 1))
        result[title] = SheetDigest(own.hexdigest(), len(cells), hashes)
    return CellsDigest(overall.hexdigest(), result)


def chains_digest(heads: Iterable[Sequence[object]]) -> str:
    """SHA-256 of each device's (device, sequence number, hash) of its last event, in the order given."""
    return hashlib.sha256(canonical_json([list(h) for h in heads]).encode("utf-8")).hexdigest()


def figures_digest(columns: dict[str, dict]) -> tuple[str, str]:
    """(SHA-256, canonical JSON) of the Summary figures, session by session in report order."""
    text = canonical_json([{"session": session, "figures": column} for session, column in columns.items()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), text
