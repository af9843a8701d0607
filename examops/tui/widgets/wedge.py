"""A field that knows a scanner's line from a typed one, for the gate's modals (search, rooms, exit form).

A keyboard-wedge scanner types a code and its Enter within a few milliseconds; a hand on a numeric pad takes
a tenth of a second a key or more. In an ordinary Input a burst of scans joins into one string (Enter is a
binding, run only after the next code's keys have reached the field), so a search or a ticket field would eat
the scans, none checked and nothing said. Here a run of keys that came with no gap and ended with an Enter with
no gap, in the shape of a ticket or ID number, is taken out of the field as it arrives and posted as one
`Scanned` line, in order; the screen checks it as a scan or refuses it on screen. Anything else is typing,
and Enter submits as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input

from examops.domain.scan import classify

WEDGE_GAP_S = 0.05
"""The longest gap between a scanner's keys (and before its Enter); a hand is slower."""
MIN_SCAN = 6  # shorter runs are typing (a fast "3917" is a PIN or an ID tail, not a code)
ENTER_KEYS = ("enter", "ctrl+m", "ctrl+j")


def scan_shaped(text: str) -> bool:
    return classify(text).kind in ("ticket", "id_number")


class WedgeField(Input):
    """An Input that posts `Scanned` for each scanner line and keeps what was typed around it.

    `holds_scan` (a ticket field): a scan into the empty field stays in it as its value; the field decides at once,
    since the next scan's keys are already behind this one's Enter, before any screen's handler has run."""

    def __init__(self, value: str | None = None, *, holds_scan: bool = False, **kwargs) -> None:  # noqa: ANN003
        super().__init__(value, **kwargs)
        self.holds_scan = holds_scan

    @dataclass
    class Scanned(Message):
        """A scanner's code that landed in this field; `kept` is what the field held before it (with `holds_scan`
        and nothing kept, the field now holds the code)."""

        field: "WedgeField"
        code: str
        at: float
        kept: str

        @property
        def control(self) -> "WedgeField":
            return self.field

    _run: str = ""  # the keys of the current run with no gap
    _run_at: float = 0.0  # when its last key came
    _kept: str = ""  # the field's value when the run began

    async def _on_key(self, event: events.Key) -> None:
        gap = event.time - self._run_at
        if event.key in ENTER_KEYS:
            code, kept = self._run, self._kept
            self._run = ""
            if gap <= WEDGE_GAP_S and len(code) >= MIN_SCAN and scan_shaped(code):
                event.stop()
                event.prevent_default()
                self.value = code if self.holds_scan and not kept.strip() else kept
                self.cursor_position = len(self.value)
                self.post_message(self.Scanned(self, code, event.time, kept))
            return
        if event.is_printable and event.character:
            if gap > WEDGE_GAP_S or not self._run:
                self._run, self._kept = "", self.value
            self._run += event.character
            self._run_at = event.time
        else:
            self._run = ""
