"""Finding a sheet's header row under title rows, and the sheets that have none (pure Python)."""

from __future__ import annotations

from examops.domain.roster_model import (
    FIELD_LABELS,
    HEADER_SEARCH_ROWS,
    HEADER_SYNONYMS,
    MIN_HEADER_FIELDS,
    REQUIRED_FIELDS,
    Problem,
    SheetInput,
    _header_key,
    _Layout,
    _rows,
)
from examops.domain.roster_values import (
    _BLANKS,
    _column_letter,
    _is_blank,
    clean_name,
    clean_text,
    value_text,
)


class _HeaderChecks:
    """The header part of ``roster._Parser``: which row names the columns, and what a sheet without one says."""

    def find_header(self, rows: list[list[object]]) -> tuple[int, dict[str, list[int]]] | None:
        """The first row (1-based) within the first rows where enough cells name known fields."""
        synonyms = self.synonyms
        for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
            found: dict[str, list[int]] = {}
            for col, value in enumerate(rows[index]):
                if value.__class__ is str:
                    field_name = synonyms.get(_header_key(value))
                    if field_name:
                        found.setdefault(field_name, []).append(col)
            if len(found) >= MIN_HEADER_FIELDS:
                return index + 1, found
        return None

    def hidden_table(self, file: str, name: str, rows: list[list[object]], header_row: int) -> None:
        count = sum(1 for row in rows[header_row:] if not all(_is_blank(v) for v in row))
        if not count:
            self.note(file, name, "empty-sheet", f"The hidden sheet has a header in row {header_row} but no rows and was skipped.", "No action is needed.")
            return
        self.problems.append(
            Problem(
                "error", file, name, None, None, None, None,
                f"The sheet is hidden but holds a roster table ({_rows(count)} under the header in row {header_row}); its rows were not read.",
                "Unhide the sheet in Excel (right-click a sheet tab ▸ Unhide) and check it: delete it if it must not be imported, otherwise make it visible, then import again.",
                "hidden-sheet",
            )
        )

    def headerless(self, file: str, sheet: SheetInput) -> None:
        """A sheet with text but no header: instructions, unless it holds ID-like numbers."""
        hidden_word = "hidden " if sheet.hidden else ""
        id_like = self.first_id_like(sheet.rows)
        if id_like is None:
            self.note(file, sheet.name, "instruction-sheet", f"The {hidden_word}sheet has text but no header row, so it was taken for instructions and skipped.", f"If it holds candidates, give it a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) within the first {HEADER_SEARCH_ROWS} rows.")
            return
        row_no, col = id_like
        self.problems.append(
            Problem(
                "error", file, sheet.name, row_no, _column_letter(col), None, value_text(sheet.rows[row_no - 1][col]),
                f"The {hidden_word}sheet holds what looks like an ID number but has no header row with at least {MIN_HEADER_FIELDS} known column names in its first {HEADER_SEARCH_ROWS} rows; it was not read.",
                "Add a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) above the candidates, or delete the sheet if it must not be imported.",
                "hidden-sheet" if sheet.hidden else "no-header",
            )
        )

    @staticmethod
    def first_id_like(rows: list[list[object]]) -> tuple[int, int] | None:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value.__class__ is str:
                    text = clean_text(value).upper()
                    if len(text) in (15, 18) and text[:15].isdigit():
                        return r + 1, c
                elif value.__class__ in (int, float) and 1e14 <= abs(value) < 1e18:  # 15 or 18 digits
                    return r + 1, c
        return None

    def check_header(self, file: str, sheet: SheetInput, header_row: int, cells: list[object], found: dict[str, list[int]]) -> _Layout | None:
        """The layout of a header row, or None after reporting a duplicate or missing column."""
        seen = ", ".join(clean_name(v) for v in cells if v.__class__ is str and v.strip(_BLANKS)) or "nothing"
        failed = False
        for field_name, cols in found.items():
            if len(cols) > 1:
                failed = True
                letters = ", ".join(_column_letter(c) for c in cols)
                self.problems.append(
                    Problem(
                        "error", file, sheet.name, header_row, _column_letter(cols[1]), str(cells[cols[1]]).strip(), None,
                        f"Columns {letters} all name the {FIELD_LABELS[field_name]}; the roster must have one such column.",
                        "Delete or rename the extra columns so that only one holds this field.",
                        "duplicate-header",
                    )
                )
        for field_name in REQUIRED_FIELDS:
            if field_name not in found:
                failed = True
                accepted = ", ".join(HEADER_SYNONYMS[field_name][:4])
                self.problems.append(
                    Problem(
                        "error", file, sheet.name, header_row, None, None, None,
                        f"The header in row {header_row} has no column for the {FIELD_LABELS[field_name]}; it has: {seen}.",
                        f"Add a column headed {HEADER_SYNONYMS[field_name][0]} (accepted: {accepted}, …) or rename the existing one, then import again.",
                        "missing-header",
                    )
                )
        if failed:
            return None
        columns = {f: cols[0] for f, cols in found.items()}
        return _Layout(
            header_row,
            columns,
            {f: str(cells[c]).strip(_BLANKS) for f, c in columns.items()},
            {f: _column_letter(c) for f, c in columns.items()},
        )

    def fill_merged(self, file: str, sheet: SheetInput, layout: _Layout) -> list[list[object]]:
        """Copy the value of merged cells in the table to every cell they cover (with a warning)."""
        rows = list(sheet.rows)
        copied: set[int] = set()
        for r1, c1, r2, c2 in sheet.merged:
            if r1 <= layout.header_row or r2 > len(rows) or (r1 == r2 and c1 == c2):
                continue
            top = rows[r1 - 1]
            value = top[c1 - 1] if c1 - 1 < len(top) else None
            if value is None:
                continue
            for r in range(r1, r2 + 1):
                if r - 1 not in copied:
                    rows[r - 1] = list(rows[r - 1])
                    copied.add(r - 1)
                row = rows[r - 1]
                if len(row) < c2:
                    row.extend([None] * (c2 - len(row)))
                for c in range(c1, c2 + 1):
                    row[c - 1] = value
            span = f"{_column_letter(c1 - 1)}{r1}:{_column_letter(c2 - 1)}{r2}"
            self.problems.append(
                Problem(
                    "warning", file, sheet.name, r1, _column_letter(c1 - 1), None, value_text(value),
                    f"Cells {span} are merged; their value was used for each of rows {r1}–{r2}.",
                    "Unmerge the cells and fill in every row (Home ▸ Merge & Center ▸ Unmerge Cells) so the roster reads the same everywhere.",
                    "merged-cells",
                )
            )
        return rows

    # -- rows
