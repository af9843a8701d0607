"""What a roster file reads into, and the refusal a clerk sees when it cannot be read.

Message texts are English msgids of the gettext catalog (``examops.i18n``), translated when the refusal is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from examops.i18n import N_, _

MIB = 2**20


PASSWORD_ADVICE = N_(
    "open it in Excel, remove the password (File ▸ Info ▸ Protect Workbook ▸ "
    "Encrypt with Password, clear it), save and import again"
)
DAMAGED_ADVICE = N_("ask the exam office to send it again")
SAVE_AS_ADVICE = N_("open it in Excel or WPS, choose File ▸ Save As ▸ Excel Workbook (.xlsx) and import the .xlsx")
ASK_FOR_EXCEL = N_("ask the exam office for the roster as an Excel workbook (.xlsx)")


class UnreadableFile(Exception):
    """A file that cannot be read as a roster; ``str(e)`` is one sentence for a clerk."""

    def __init__(self, path: str | Path, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.path = str(path)
        self.reason = reason


@dataclass
class SheetTable:
    """One sheet's cells: ``rows[i][j]`` is Excel row i+1, column j+1 (None when empty)."""

    name: str
    hidden: bool
    rows: list[list[object]]
    hidden_rows: frozenset[int] = frozenset()
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class WorkbookContent:
    """Everything read from one file; ``kind`` is "xlsx", "xls", "ods", "csv" or "html"."""

    path: str
    kind: str
    sheets: list[SheetTable]
    notes: list[str] = field(default_factory=list)


def label_of(path: Path) -> str:
    return f"“{path.name}”"


def damaged(path: Path, what: str) -> UnreadableFile:
    """A file of a known kind that no reader can open: say which kind, and ask for it again."""
    return UnreadableFile(
        path,
        _("{label} looks like {what} but is damaged or incomplete (cut short in a download?); {advice}.").format(
            label=label_of(path), what=_(what), advice=_(DAMAGED_ADVICE)
        ),
        "damaged",
    )


def too_large(path: Path, size: int, limit: int) -> UnreadableFile:
    return UnreadableFile(
        path,
        _("{label} is {size:.0f} MiB, more than the {limit:.0f} MiB a roster may be; split the roster into smaller files.").format(
            label=label_of(path), size=size / MIB, limit=limit / MIB
        ),
        "too-large",
    )


def trim_empty_tail(rows: list[list[object]]) -> list[list[object]]:
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    return rows
