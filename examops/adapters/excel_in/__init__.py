"""Roster files as exam offices send them: bytes on disk -> typed cell tables.

The format is decided by content, never by extension; every failure of every
reader becomes an ``UnreadableFile`` whose text names what the file really is
and what the clerk can do. No validation rule lives here: see ``examops.domain.roster``.
"""

from __future__ import annotations

from pathlib import Path

from examops.adapters.excel_in import sniff
from examops.adapters.excel_in.content import (
    MIB,
    N_,
    SheetTable,
    UnreadableFile,
    WorkbookContent,
    _,
    damaged,
    label_of,
    too_large,
)

__all__ = ["MIB", "SheetTable", "UnreadableFile", "WorkbookContent", "read_workbook"]


def read_workbook(path: str | Path, *, max_uncompressed: int = 512 * MIB, max_ratio: int = 200) -> WorkbookContent:
    """Read an xlsx/xlsm/ods, a legacy xls/et, a web page saved as .xls, or CSV/TSV text, deciding by content."""
    path = Path(path)
    try:
        return _read(path, max_uncompressed, max_ratio)
    except UnreadableFile:
        raise
    except MemoryError as exc:
        raise UnreadableFile(path, _("{label} needs more memory to read than this computer can give; split the roster into smaller files.").format(
            label=label_of(path)), "memory") from exc
    except Exception as exc:  # noqa: BLE001 - any reader failure on a broken file is the clerk's "damaged" case
        raise damaged(path, _kind_named_by_head(path)) from exc


def _kind_named_by_head(path: Path) -> str:
    """What the file's first bytes say it is, for a refusal after a reader failed part-way."""
    try:
        with path.open("rb") as handle:
            head = handle.read(sniff.SNIFF_BYTES)
    except OSError:
        head = b""
    if head.startswith(sniff.ZIP_MAGICS):
        return N_("an OpenDocument spreadsheet (.ods)") if b"opendocument.spreadsheet" in head else N_("an Excel workbook (.xlsx)")
    if head.startswith(sniff.OLE_MAGIC):
        return N_("an Office file (.xls, .et or a password-protected .xlsx)")
    return N_("a text or web-page roster")


def _read(path: Path, max_uncompressed: int, max_ratio: int) -> WorkbookContent:
    size, head = sniff.head_of(path)
    if head.startswith(sniff.ZIP_MAGICS):
        from examops.adapters.excel_in.package import read_package

        return read_package(path, max_uncompressed, max_ratio)
    if head.startswith(sniff.OLE_MAGIC):
        from examops.adapters.excel_in.legacy import read_ole

        return read_ole(path, size, max_uncompressed)
    if head.startswith(sniff.RAW_BIFF):
        from examops.adapters.excel_in.legacy import read_raw_biff

        return read_raw_biff(path, size, max_uncompressed)
    sniff.refuse_known_binary(path, head)
    if size > max_uncompressed:
        raise too_large(path, size, max_uncompressed)
    if sniff.markup_kind(path, head) == "html":
        from examops.adapters.excel_in.html_table import read_html

        return read_html(path)
    from examops.adapters.excel_in.text import read_csv

    return read_csv(path)
