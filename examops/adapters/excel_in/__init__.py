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

__all__ = ["MIB", "PendingRead", "SheetTable", "UnreadableFile", "WorkbookContent", "read_workbook", "start_read"]
MAX_UNCOMPRESSED = 512 * MIB
MAX_RATIO = 200


def read_workbook(path: str | Path, *, max_uncompressed: int = MAX_UNCOMPRESSED, max_ratio: int = MAX_RATIO) -> WorkbookContent:
    """Read an xlsx/xlsm/ods, a legacy xls/et, a web page saved as .xls, or CSV/TSV text, deciding by content."""
    path = Path(path)
    try:
        return _read(path, max_uncompressed, max_ratio)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - worded by _refusal
        raise _refusal(path, exc) from exc


class PendingRead:
    """A read started ahead of need: a workbook's cell reader already runs in its child while this process starts up.

    ``result()`` gives what ``read_workbook`` gives (or raises its refusal), worded in the language set by then;
    ``close()`` stops a reader that is no longer wanted.
    """

    def __init__(self, path: Path, max_uncompressed: int, max_ratio: int) -> None:
        self.path, self._limits, self._started = path, (max_uncompressed, max_ratio), None
        try:
            _size, head = sniff.head_of(path)
            if head.startswith(sniff.ZIP_MAGICS):
                from examops.adapters.excel_in.package import start_package

                self._started = start_package(path, max_uncompressed, max_ratio)
        except Exception:  # noqa: BLE001 - a refusal is made again by result(), in the language of that moment
            self._started = None

    def result(self) -> WorkbookContent:
        started, self._started = self._started, None
        try:
            if started is None:
                return _read(self.path, *self._limits)
            try:
                return started.finish()
            finally:
                started.close()
        except UnreadableFile:
            raise
        except Exception as exc:  # noqa: BLE001 - worded by _refusal
            raise _refusal(self.path, exc) from exc

    def close(self) -> None:
        if self._started is not None:
            self._started.close()
            self._started = None


def start_read(path: str | Path, *, max_uncompressed: int = MAX_UNCOMPRESSED, max_ratio: int = MAX_RATIO) -> PendingRead:
    """Start reading ``path`` (an .xlsx's cells are read by a child meanwhile); ``result()`` finishes the read."""
    return PendingRead(Path(path), max_uncompressed, max_ratio)


def _refusal(path: Path, exc: Exception) -> UnreadableFile:
    """What a reader's failure tells the clerk: memory, else "damaged" as the file's head says."""
    if isinstance(exc, MemoryError):
        return UnreadableFile(path, _("{label} needs more memory to read than this computer can give; split the roster into smaller files.").format(
            label=label_of(path)), "memory")
    return damaged(path, _kind_named_by_head(path))  # any reader failure on a broken file is the clerk's "damaged" case


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
