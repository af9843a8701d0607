"""What a saved report states (read back from its cells) and what its verification found, with what changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Sequence

from examops.domain.report_digest import ROW_HASH_CHARS, CellsDigest, column_letter, row_lines
from examops.domain.said import N_, Said, joined, said


@dataclass
class FigureTable:
    """The Summary figures as read from the cells: per session id, key → value, and where each stands."""

    columns: dict[str, dict[str, object]] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    missing_sessions: list[str] = field(default_factory=list)


@dataclass
class SignatureCells:
    """What the signature sheet states."""

    title: str
    fields: dict[str, object] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    chain_heads: list[list[object]] = field(default_factory=list)
    sheets: dict[str, tuple[object, object, str]] = field(default_factory=dict)  # title -> (digest, cells, row hashes)
    language: str = "en"  # the report's own: "zh" where its sheets' titles are the Chinese ones


@dataclass
class Verification:
    """What `report verify` found: ok only if nothing was changed since signing (and the key is trusted)."""

    path: str
    problems: list[Said] = field(default_factory=list)  # str() is the English (JSON), spoken() the site's language
    exam: str = ""
    site: str = ""
    sessions: list[str] = field(default_factory=list)
    generated_at: str = ""
    fingerprint: str = ""
    figures_sha256: str = ""
    signature_valid: bool = False
    trusted: bool | None = None
    figures: list[dict] = field(default_factory=list)
    language: str | None = None
    """The report's own language ("zh", "en"; None: no signature sheet read): what its reader is told in by default."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"ok": self.ok, "file": self.path, "exam": self.exam, "site": self.site, "sessions": self.sessions,
                "generated_at": self.generated_at, "fingerprint": self.fingerprint, "figures_sha256": self.figures_sha256,
                "signature_valid": self.signature_valid, "trusted": self.trusted, "problems": [str(p) for p in self.problems],
                "figures": self.figures}


def _short(value: object) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "…"


def figure_changes(fields: dict, table: FigureTable) -> list[Said]:
    """Which Summary figures differ from the signed copy kept in the signature sheet (if that copy is intact)."""
    text = fields.get("figures_json")
    if not isinstance(text, str) or hashlib.sha256(text.encode("utf-8")).hexdigest() != fields.get("figures_sha256"):
        return []
    changes = []
    for entry in json.loads(text):
        session, signed = entry["session"], entry["figures"]
        now = table.columns.get(session, {})
        for key in sorted(set(signed) | set(now), key=lambda k: table.where.get((session, k), "")):
            if signed.get(key) != now.get(key):
                where = table.where.get((session, key), "?")
                changes.append(said(N_("{key} of {session} at {cell} reads {now}, signed {signed}"), key=key, session=session,
                                    cell=where, now=_short(now.get(key)), signed=_short(signed.get(key))))
    return changes


def sheet_changes(cells: CellsDigest, stated: dict, content: Sequence[tuple[str, Sequence]]) -> Said:
    """Which sheets were added, removed or changed, and in which rows (the first three), from the row hashes."""
    now = dict(content)
    changes = []
    for title in stated.keys() - cells.sheets.keys():
        changes.append(said(N_("sheet {sheet} was removed"), sheet=repr(title)))
    for title in cells.sheets.keys() - stated.keys():
        changes.append(said(N_("sheet {sheet} was added"), sheet=repr(title)))
    for title, digest in cells.sheets.items():
        if title not in stated or stated[title][0] == digest.digest:
            continue
        old_rows, new_rows = stated[title][2], digest.row_hashes
        moved = moved_rows(title, old_rows, new_rows, now[title])
        if moved is not None:
            changes.append(moved)
            continue
        width = ROW_HASH_CHARS
        count = max(len(old_rows), len(new_rows)) // width
        rows = [r + 1 for r in range(count) if old_rows[r * width:(r + 1) * width] != new_rows[r * width:(r + 1) * width]]
        by_row: dict[int, list[str]] = {}
        for row, column, value in now[title]:
            if row in rows[:3]:
                by_row.setdefault(row, []).append(f"{column_letter(column)}{row}={_short(value)}")  # cells: data, not words
        detail = [said(N_("row {row} ({cells})"), row=r, cells=", ".join(by_row[r])) if r in by_row
                  else said(N_("row {row} (emptied)"), row=r) for r in rows[:3]]
        if not detail:
            changes.append(said(N_("sheet {sheet} changed: cells differ"), sheet=repr(title)))
        elif len(rows) > 3:
            changes.append(said(N_("sheet {sheet} changed: {rows} and {more} more row(s)"), sheet=repr(title),
                                rows=joined(detail), more=len(rows) - 3))
        else:
            changes.append(said(N_("sheet {sheet} changed: {rows}"), sheet=repr(title), rows=joined(detail)))
    return joined(changes) if changes else said(N_("cells differ"))


def _hashes(row_hashes: str) -> list[str]:
    return [row_hashes[i:i + ROW_HASH_CHARS] for i in range(0, len(row_hashes), ROW_HASH_CHARS)]


def moved_rows(title: str, old_hashes: str, new_hashes: str, cells: Sequence[tuple]) -> Said | None:
    """Rows deleted (or inserted) whole, the rows below moved up (or down) and otherwise as signed: said as such.

    A row's hash covers its cells' coordinates, so after a deletion every row below differs: each is hashed again
    at the row it was signed at and compared. None when the change is anything else.
    """
    old, new = _hashes(old_hashes), _hashes(new_hashes)
    shift = len(old) - len(new)
    if not shift:
        return None
    first = next((r for r in range(min(len(old), len(new))) if old[r] != new[r]), min(len(old), len(new)))
    by_row: dict[int, list[tuple[int, object]]] = {}
    for row, column, value in cells:
        by_row.setdefault(row, []).append((column, value))
    empty = "." * ROW_HASH_CHARS
    start = first + 1 if shift > 0 else first + 1 - shift  # the first row, 1-based, of those that moved (as now)
    for row in range(start, len(new) + 1):
        signed_at = row + shift
        row_cells = by_row.get(row)
        again = (hashlib.sha256(row_lines(title, signed_at, row_cells).encode("utf-8")).hexdigest()[:ROW_HASH_CHARS]
                 if row_cells else empty)
        if old[signed_at - 1] != again:
            return None
    rows = str(first + 1) if abs(shift) == 1 else f"{first + 1}–{first + abs(shift)}"
    if shift > 0:
        return said(N_("sheet {sheet}: row {rows} was deleted (the rows below it moved up)"), sheet=repr(title), rows=rows)
    return said(N_("sheet {sheet}: row {rows} was inserted (the rows below it moved down)"), sheet=repr(title), rows=rows)
