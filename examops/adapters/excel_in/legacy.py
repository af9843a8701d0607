"""OLE2 compound files: legacy Excel .xls (BIFF5/BIFF8), WPS .et, and password-protected workbooks.

olefile lists the streams and msoffcrypto-tool says whether the workbook is
encrypted; the cells are read in a limited child (``guard``): xlrd
(``formatting_info=True``) for cells, hidden rows and hidden sheets, calamine
where xlrd cannot, with a note that hidden rows could not be checked.
"""

from __future__ import annotations

import io
from pathlib import Path

from examops.adapters.excel_in import guard
from examops.adapters.excel_in.content import (
    ASK_FOR_EXCEL,
    N_,
    PASSWORD_ADVICE,
    UnreadableFile,
    WorkbookContent,
    _,
    damaged,
    label_of,
    too_large,
)
from examops.adapters.excel_in.package import child_sheets

XLS_WHAT = N_("a legacy Excel workbook (.xls)")
HIDDEN_ROWS_UNCHECKED = N_("hidden rows could not be checked in this legacy .xls file; unhide all rows in Excel to be sure")


def read_ole(path: Path, size: int, max_uncompressed: int) -> WorkbookContent:
    import olefile

    if size > max_uncompressed:
        raise too_large(path, size, max_uncompressed)
    data = path.read_bytes()
    try:
        ole = olefile.OleFileIO(data)
        streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # noqa: BLE001 - olefile's many errors all mean a broken container
        raise damaged(path, N_("an Office file (.xls, .et or a password-protected .xlsx)")) from exc
    label = label_of(path)
    if {"EncryptedPackage", "EncryptionInfo"} & streams or _encrypted(data):
        raise UnreadableFile(path, _("{label} is protected with a password; {advice}.").format(label=label, advice=_(PASSWORD_ADVICE)), "encrypted")
    book = "Workbook" if "Workbook" in streams else ("Book" if "Book" in streams else None)
    if book is None:
        book = next((s for s in streams if s.lower() in ("workbook", "book")), None)
    if book is None:
        what = (_("a Word document (.doc), not a workbook") if "WordDocument" in streams
                else _("a PowerPoint presentation (.ppt), not a workbook") if "PowerPoint Document" in streams
                else _("an Office file with no Excel worksheet in it (saved by another program?)"))
        raise UnreadableFile(path, _("{label} is {what}; {advice}.").format(label=label, what=what, advice=_(ASK_FOR_EXCEL)), "not-a-workbook")
    sheets, hidden_checked = child_sheets(path, XLS_WHAT, guard.ChildRead(path, size, mode="xls"))
    return WorkbookContent(str(path), "xls", sheets, [] if hidden_checked else [_(HIDDEN_ROWS_UNCHECKED)])


def read_raw_biff(path: Path, size: int, max_uncompressed: int) -> WorkbookContent:
    """An Excel 2.x-4.0 worksheet (BIFF records without an OLE2 container), read by xlrd."""
    if size > max_uncompressed:
        raise too_large(path, size, max_uncompressed)
    what = N_("a worksheet from Excel 4.0 or older")
    sheets, hidden_checked = child_sheets(path, what, guard.ChildRead(path, size, mode="xls"))
    return WorkbookContent(str(path), "xls", sheets, [] if hidden_checked else [_(HIDDEN_ROWS_UNCHECKED)])


def _encrypted(data: bytes) -> bool:
    """msoffcrypto-tool's verdict (FILEPASS record, RC4/XOR); an unreadable verdict is left to the readers."""
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001
        return False
