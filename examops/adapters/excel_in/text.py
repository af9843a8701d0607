"""Text rosters: CSV/TSV in UTF-8, GB18030 or UTF-16 (Excel's "Unicode text"), with or without a byte-order mark."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from examops.adapters.excel_in.content import SheetTable, UnreadableFile, WorkbookContent, _, label_of, trim_empty_tail
from examops.adapters.excel_in.sniff import UTF16_BOMS, _utf16_without_bom


def read_csv(path: Path) -> WorkbookContent:
    text, encoding = decode_text(path, path.read_bytes())
    notes = [] if encoding == "UTF-8" else [_("read as {encoding}").format(encoding=encoding)]
    delimiter = _sniff_delimiter(text)
    if delimiter != ",":
        notes.append(_("separated by tabs") if delimiter == "\t" else _("separated by '{delimiter}'").format(delimiter=delimiter))
    rows: list[list[object]] = [
        [value if value else None for value in record]
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return WorkbookContent(str(path), "csv", [SheetTable(path.stem, False, trim_empty_tail(rows), frozenset(), [])], notes)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding, trying what Excel and WPS write."""
    if data.startswith(UTF16_BOMS):
        attempts = (("utf-16", "UTF-16"),)
    elif data.startswith(b"\xef\xbb\xbf"):
        data, attempts = data[3:], (("utf-8", "UTF-8"),)
    elif _utf16_without_bom(data[:8192]):
        attempts = (("utf-16-le", "UTF-16"),)
    else:
        attempts = (("utf-8", "UTF-8"), ("gb18030", "GB18030"))
    for encoding, name in attempts:
        try:
            return data.decode(encoding), name
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        path,
        _("{label} is text in an encoding that is neither UTF-8, GB18030 nor UTF-16; "
          "open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8.").format(label=label_of(path)),
        "encoding",
    )


def _sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most, most regular fields."""
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]
    if len(lines) > 1 and len(text) > 65536:
        lines = lines[:-1]
    best, best_score = ",", (1, 0.0)
    for delimiter in (",", "\t", ";"):
        widths = [len(record) for record in csv.reader(lines, delimiter=delimiter)]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = (modal, widths.count(modal) / len(widths))
        if modal > 1 and score > best_score:
            best, best_score = delimiter, score
    return best
