"""Finding a sheet's header row under title rows, and the sheets that have none (pure Python)."""

from __future__ import annotations

from examops.domain.roster_model import (
    HEADER_SEARCH_ROWS,
    HEADER_SYNONYMS,
    MIN_HEADER_FIELDS,
    N_,
    REQUIRED_FIELDS,
    Phrase,
    Problem,
    SheetInput,
    _header_key,
    _Layout,
    _rows,
    field_label,
    said,
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
            self.note(file, name, "empty-sheet", said(N_("The hidden sheet has a header in row {row} but no rows and was "
                                                         "skipped."), row=header_row), N_("No action is needed."))
            return
        self.problems.append(
            Problem(
                "error", file, name, None, None, None, None,
                said(N_("The sheet is hidden but holds a roster table ({rows} under the header in row {row}); its rows "
                        "were not read."), rows=_rows(count), row=header_row),
                N_("Unhide the sheet in Excel (right-click a sheet tab ▸ Unhide) and check it: delete it if it must not "
                   "be imported, otherwise make it visible, then import again."),
                "hidden-sheet",
            )
        )

    def headerless(self, file: str, sheet: SheetInput) -> None:
        """A sheet with text but no header: instructions, unless it holds ID-like numbers."""
        id_like = self.first_id_like(sheet.rows)
        if id_like is None:
            self.note(file, sheet.name, "instruction-sheet",
                      N_("The hidden sheet has text but no header row, so it was taken for instructions and skipped.")
                      if sheet.hidden else
                      N_("The sheet has text but no header row, so it was taken for instructions and skipped."),
                      said(N_("If it holds candidates, give it a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) within "
                              "the first {rows} rows."), rows=HEADER_SEARCH_ROWS))
            return
        row_no, col = id_like
        self.problems.append(
            Problem(
                "error", file, sheet.name, row_no, _column_letter(col), None, value_text(sheet.rows[row_no - 1][col]),
                said(N_("The hidden sheet holds what looks like an ID number but has no header row with at least "
                        "{fields} known column names in its first {rows} rows; it was not read.") if sheet.hidden else
                     N_("The sheet holds what looks like an ID number but has no header row with at least {fields} "
                        "known column names in its first {rows} rows; it was not read."),
                     fields=MIN_HEADER_FIELDS, rows=HEADER_SEARCH_ROWS),
                N_("Add a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) above the candidates, or delete the sheet if it "
                   "must not be imported."),
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
        seen = ", ".join(clean_name(v) for v in cells if v.__class__ is str and v.strip(_BLANKS)) or Phrase(N_("nothing"))
        failed = False
        for field_name, cols in found.items():
            if len(cols) > 1:
                failed = True
                letters = ", ".join(_column_letter(c) for c in cols)
                self.problems.append(
                    Problem(
                        "error", file, sheet.name, header_row, _column_letter(cols[1]), str(cells[cols[1]]).strip(), None,
                        said(N_("Columns {letters} all name the {label}; the roster must have one such column."),
                             letters=letters, label=field_label(field_name)),
                        N_("Delete or rename the extra columns so that only one holds this field."),
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
                        said(N_("The header in row {row} has no column for the {label}; it has: {seen}."),
                             row=header_row, label=field_label(field_name), seen=seen),
                        said(N_("Add a column headed {header} (accepted: {accepted}, …) or rename the existing one, then "
                                "import again."), header=HEADER_SYNONYMS[field_name][0], accepted=accepted),
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
                    said(N_("Cells {span} are merged; their value was used for each of rows {first}–{last}."),
                         span=span, first=r1, last=r2),
                    N_("Unmerge the cells and fill in every row (Home ▸ Merge & Center ▸ Unmerge Cells) so the roster "
                       "reads the same everywhere."),
                    "merged-cells",
                )
            )
        return rows

    # -- rows
