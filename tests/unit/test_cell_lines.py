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
