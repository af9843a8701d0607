"""A cell's signed line is what it always was: reports signed before keep verifying."""

import datetime as dt
import json

from examops.domain.figures import ZeroIncidentReason
from examops.domain.report_digest import cell_line


def test_cell_lines_encode_values_as_json_dumps_did():
    values = ["", "a\nb", '引号"\\', "\x00\x1f\u2028😀", "　　缩进", 0, -5, 10 ** 30, True, None, 1.5,
              dt.datetime(2021, 10, 16, 8, 5), ZeroIncidentReason("incidents", 2)]
    for value in values:
        said = json.dumps(value, ensure_ascii=False, default=str)
        assert cell_line("汇总", 3, 28, value) == f"汇总!AB3={type(value).__name__}:{said}"


def _digests_a_line_at_a_time(sheets):
    """digest_cells as it was written first: each cell's line hashed on its own."""
    import hashlib

    overall, result = hashlib.sha256(), {}
    for title, cells in sheets:
        own, rows = hashlib.sha256(), {}
        for row, column, value in cells:
            line = (cell_line(title, row, column, value) + "\n").encode("utf-8")
            overall.update(line)
            own.update(line)
            rows.setdefault(row, hashlib.sha256()).update(line)
        hashes = "".join(rows[r].hexdigest()[:6] if r in rows else "......" for r in range(1, max(rows, default=0) + 1))
        result[title] = (own.hexdigest(), len(cells), hashes)
    return overall.hexdigest(), result


def test_digests_of_whole_rows_are_those_of_a_line_at_a_time():
    from examops.domain.report_digest import digest_cells

    sheets = [("汇总", [(1, 1, "标题"), (1, 3, 7), (3, 28, "line\nbreak"), (3, 29, -2), (4, 1, 'q"\\')]),
              ("空", []),
              ("乱序", [(5, 1, "a"), (2, 2, 1), (5, 2, "b"), (2, 1, "c")])]  # rows out of order, a row split in two
    found = digest_cells(sheets)
    overall, sheets_expected = _digests_a_line_at_a_time(sheets)
    assert found.digest == overall
    assert {t: (d.digest, d.cells, d.row_hashes) for t, d in found.sheets.items()} == sheets_expected
