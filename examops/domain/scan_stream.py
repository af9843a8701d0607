"""A scanner's stream of reads: which reads are scans.

A keyboard-wedge scanner sometimes reads the same code twice in a row (the
beam passes the barcode twice). The same code again within `DOUBLE_READ_S` of
the previous read is that double read, not a second scan; the same code later,
or any other code, is a scan of its own. After a read that was not recorded
("rescan"), the next read of it is a scan however soon it comes. Times are the moments the reads
arrived (monotonic seconds), so a busy lane that handles them late still
judges them by when they were scanned.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_READ_S = 1.0


@dataclass
class DoubleReadFilter:
    """Remembers the last read; `is_scan` says whether the next read counts."""

    window_s: float = DOUBLE_READ_S
    _last_code: str | None = None
    _last_at: float | None = None

    def is_scan(self, code: str, at: float) -> bool:
        key = code.strip()
        repeat = (key == self._last_code and self._last_at is not None and 0 <= at - self._last_at < self.window_s)
        self._last_code, self._last_at = key, at
        return not repeat

    def forget(self) -> None:
        """The last read was not recorded: a rescan of it counts."""
        self._last_code = self._last_at = None
