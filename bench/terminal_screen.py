"""A small terminal emulator for the benchmarks: enough of VT100 to read what a Textual app drew.

Textual writes absolute cursor moves (CSI row;col H), SGR styles, private modes and text; this keeps a grid of
cells (a double-width character takes two) and ignores every other sequence (modes, OSC/DCS/APC strings, queries).
Bytes may be fed in any pieces: an escape sequence or a UTF-8 character cut between two reads waits for the rest.
"""

from __future__ import annotations

import codecs
import re

from rich.cells import cell_len

# CSI ... final byte | OSC/DCS/APC/PM/SOS string up to BEL or ST | any other two-byte escape
_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)|[^\[\]P_^X])")
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|[\]P_^X][^\x07\x1b]*\x1b?)?$")


class Screen:
    """`feed(bytes)` as they come from the pty; `lines()` is the screen as text, one string per row."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.grid = [[" "] * columns for _ in range(rows)]
        self.x = self.y = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        cut = _INCOMPLETE.search(text)
        self._pending, text = (text[cut.start():], text[:cut.start()]) if cut and cut.group() else ("", text)
        at = 0
        for match in _SEQUENCE.finditer(text):
            self._write(text[at:match.start()])
            self._control(match.group())
            at = match.end()
        self._write(text[at:])

    def _control(self, sequence: str) -> None:
        if sequence.startswith("\x1b[") and sequence[-1] in "Hf" and "?" not in sequence:
            row, _, column = sequence[2:-1].partition(";")
            self.y = min(max(int(row or 1) - 1, 0), self.rows - 1)
            self.x = min(max(int(column or 1) - 1, 0), self.columns - 1)
        elif sequence == "\x1b[2J":
            self.grid = [[" "] * self.columns for _ in range(self.rows)]

    def _write(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif char >= " ":
                width = cell_len(char)
                if self.x + width <= self.columns:
                    self.grid[self.y][self.x] = char
                    if width == 2:
                        self.grid[self.y][self.x + 1] = ""
                self.x = min(self.x + width, self.columns)

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())
