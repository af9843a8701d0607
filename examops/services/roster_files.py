"""Roster files read ahead: the first file's cell reader starts before the store is opened.

A 50k-row workbook takes its reader child about as long as this process takes to import the store's
libraries and open the site, so the CLI starts the read first and the two overlap. Only the first file
is read ahead: one reader child at a time, as the memory limits assume. This module imports no store library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from examops.adapters.excel_in import PendingRead, UnreadableFile, WorkbookContent, read_workbook, start_read

__all__ = ["RosterFiles", "UnreadableFile", "WorkbookContent"]


class RosterFiles:
    """The files of one import; ``read(i)`` gives file i's content (or raises its refusal), each read once."""

    def __init__(self, paths: Sequence[str | Path], *, ahead: bool = True) -> None:
        self.paths = [Path(p) for p in paths]
        self._ahead: PendingRead | None = start_read(self.paths[0]) if ahead and self.paths else None

    def read(self, index: int) -> WorkbookContent:
        if index == 0 and self._ahead is not None:
            pending, self._ahead = self._ahead, None
            return pending.result()
        return read_workbook(self.paths[index])

    def close(self) -> None:
        """Stop a read ahead that nobody collected (the site could not be opened, say)."""
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    def __enter__(self) -> RosterFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
