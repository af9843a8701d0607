"""Writing a workbook atomically and owner-only: a reader never sees half a file, nobody else reads personal data."""

from __future__ import annotations

import os
from pathlib import Path

from examops.adapters.excel_out import sheet_writer
from examops.locations import make_private


def save_workbook(workbook, path: str | Path) -> Path:  # noqa: ANN001 - an openpyxl Workbook
    """Save to a temporary name beside `path`, make it owner-only, then rename it into place."""
    path = Path(path)
    temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        sheet_writer.save(workbook, temp)
        make_private(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
