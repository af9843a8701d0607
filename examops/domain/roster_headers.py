"""Finding a sheet's header row under title rows, and the sheets that have none (pure Python)."""

from __future__ import annotations

from examops.domain.roster_model import (
    HEADER_SEARCH_ROWS,
    HEADER_SYNONYMS,
    MIN_HEADER_FIELDS,
    N_,
    REQUIRED_FIELDS,
    Problem,
    SheetInput,
    _header_key,
    _Layout,
    _rows,
    field_label,
    said,
)
from examops.domain.roster_near_header import WANTED, NearHeader
from examops.domain.roster_values import (
    _BLANKS,
    _column_letter,
    _is_blank,
    clean_name,
    clean_text,
    value_text,
)

_INSERT_HEADER = N_("Insert a row above the candidates holding the headers {wanted}, one per column, then import again.")


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
        near = self.near_headers.closest(sheet.name, sheet.rows, None if id_like is None else id_like[0])
        if near is not None and (self.closest is None or near.score > self.closest.score or (near.data and not self.closest.data)):
            self.closest = near
        if id_like is None:
            self.note(file, sheet.name, "instruction-sheet",
                      N_("The hidden sheet has text but no header row, so it was taken for instructions and skipped.")
                      if sheet.hidden else
                      N_("The sheet has text but no header row, so it was taken for instructions and skipped."),
                      said(N_("If it holds candidates, give it a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) within "
                              "the first {rows} rows."), rows=HEADER_SEARCH_ROWS))
            return
        row_no, col = id_like
        self.headerless_data = True
        first = N_("The hidden sheet holds what looks like an ID number in row {id_row} but has no header row naming the columns {wanted} in its first {limit} rows; it was not read.") if sheet.hidden else N_(
            "The sheet holds what looks like an ID number in row {id_row} but has no header row naming the columns {wanted} in its first {limit} rows; it was not read.")
        self.problems.append(self.near_header_problem(
            file, sheet.name, row_no, first, "hidden-sheet" if sheet.hidden else "no-header", near,
            column=_column_letter(col), value=value_text(sheet.rows[row_no - 1][col]), id_row=row_no,
        ))

    def no_header_anywhere(self, file: str, sheet_names: list[str], searched: list[str]) -> Problem:
        """The file-level refusal: which headers were looked for, on which sheets, and the closest row found."""
        if not sheet_names:
            return Problem.worded(
                "error", file, None, None, N_("The file holds no sheet at all, so no candidate was read."),
                N_("Ask the exam office to send the roster again as an Excel workbook (.xlsx)."), "no-data")
        if not searched:
            return Problem.worded(
                "error", file, None, None,
                N_("No sheet of the file holds a table to read (its sheets, {sheets}, are empty or instructions), so no candidate was read."),
                N_("Check that this is the candidate roster: a sheet must hold a header row ({wanted}) within its first {limit} rows, with one candidate per row under it."),
                "no-data", sheets=tuple(sheet_names), wanted=WANTED, limit=HEADER_SEARCH_ROWS,
            )
        first = N_("No sheet has a header row naming the columns {wanted} in its first {limit} rows (sheets searched: {sheets}), so no candidate was read.")
        return self.near_header_problem(file, None, None, first, "no-data", self.closest, sheets=tuple(searched))

    def near_header_problem(self, file: str, sheet: str | None, row: int | None, first: str, code: str, near: NearHeader | None,
                            **params: object) -> Problem:
        """``first`` sentence, then the closest row found and the one edit that fixes it."""
        params.update(wanted=WANTED, limit=HEADER_SEARCH_ROWS)
        if near is None:
            return Problem.worded("error", file, sheet, row, first, _INSERT_HEADER, code, **params)
        params.update(near_sheet=near.sheet, near_row=near.row, held=near.held or ("-",), lacking=near.lacking)
        if near.data:
            sentences = (first, N_("No row names any of these headers; the candidates seem to start in row {near_row} of sheet {near_sheet}, which holds: {held}."))
            fix = N_("Insert a row above row {near_row} of sheet {near_sheet} holding the headers {wanted}, one per column, then import again.")
            return Problem.worded("error", file, sheet, row, sentences, fix, code, **params)
        if near.score == 0:
            sentences = (first, N_("No row names any of these headers; the first filled row, row {near_row} of sheet {near_sheet}, holds: {held}."))
            return Problem.worded("error", file, sheet, row, sentences, _INSERT_HEADER, code, **params)
        sentences = (first, N_("The closest is row {near_row} of sheet {near_sheet}: it holds {held}, and lacks {lacking}."))
        if near.misspelt:
            sentences += (N_("Probably misspelt: {misspelt}."),)
            params["misspelt"] = tuple(f"{text} → {meant}" for text, meant in near.misspelt)
        fix = N_("In row {near_row} of sheet {near_sheet}, write the missing headers {lacking} above their columns, then import again.")
        return Problem.worded("error", file, sheet, row, sentences, fix, code, **params)

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
        seen = tuple(clean_name(v) for v in cells if v.__class__ is str and v.strip(_BLANKS)) or ("-",)
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
                sentences: tuple[str, ...] = (N_("The header in row {header_row} has no column for the {label}; it has: {seen}."),)
                fix = N_("Add a column headed {header} (accepted: {accepted}, …) or rename the existing one, then import again.")
                misspelt = self.misspelt_header(cells, field_name)
                column = None
                if misspelt is not None:
                    column = _column_letter(misspelt)
                    sentences += (N_("{cell} in column {letter} is probably this header misspelt."),)
                    fix = N_("Correct {cell} in cell {letter}{header_row} to {header}, then import again.")
                self.problems.append(Problem.worded(
                    "error", file, sheet.name, header_row, sentences, fix, "missing-header",
                    header_row=header_row, label=field_label(field_name), header=HEADER_SYNONYMS[field_name][0],
                    accepted=HEADER_SYNONYMS[field_name][:4], seen=seen, column=column, letter=column,
                    cell=None if misspelt is None else clean_name(cells[misspelt]),
                ))
        if failed:
            return None
        columns = {f: cols[0] for f, cols in found.items()}
        return _Layout(
            header_row,
            columns,
            {f: str(cells[c]).strip(_BLANKS) for f, c in columns.items()},
            {f: _column_letter(c) for f, c in columns.items()},
        )

    def misspelt_header(self, cells: list[object], field_name: str) -> int | None:
        """The column of a header cell that names no field but looks like ``field_name``'s header misspelt."""
        best, best_ratio = None, 0.0
        for col, value in enumerate(cells):
            if value.__class__ is str:
                key = _header_key(value)
                if key not in self.synonyms:
                    meant, ratio = self.near_headers.nearness(key)
                    if meant == field_name and ratio > best_ratio:
                        best, best_ratio = col, ratio
        return best

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
