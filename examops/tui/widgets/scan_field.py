"""The gate's scan field: every Enter ends exactly one scan, however fast the keys come.

A wedge scanner types a code and Enter faster than any handler runs. Input's
own Enter is a binding, run only after the key has bubbled up to the app, by
when the next code's digits are already in the field; so here Enter is taken
in the field's own key handler, in the order the keys arrived: the text typed
so far becomes a `Scanned` message and the field is emptied before the next
key is read. A paste of several lines is one scan per finished line.

A newline (ctrl+j) ends a scan too: keys typed while the app is still starting reach the terminal in
its cooked mode, which turns the scanner's Enter into a newline, and some scanners end a code with
CR LF or LF. A newline straight after a line end is the second half of that one (CR LF), not an Enter of
its own (an empty Enter admits a waiting card).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

ENTER_KEYS = ("enter", "ctrl+m")
NEWLINE = "ctrl+j"


class ScanField(Input):
    """An Input that turns each Enter into one `Scanned(code, at)`."""

    # Input sets its scroll width on every key, and Widget's `virtual_size` asks for a layout pass of the whole
    # screen when it changes: 15 of them for a scan, and one more when Enter empties the field, on the path to the
    # card. The field's own size never follows its text (gate.tcss), so a repaint is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    @dataclass
    class Scanned(Message):
        """One Enter-terminated code; `at` is when its Enter arrived (monotonic seconds)."""

        field: "ScanField"
        code: str
        at: float

        @property
        def control(self) -> "ScanField":
            return self.field

    # Textual runs each class's handler along the MRO until one prevents the default,
    # so other keys fall through to Input's own handler.
    _after_enter = False  # the last key ended a line: a newline now ends nothing more

    async def _on_key(self, event: events.Key) -> None:
        line_end = event.key in ENTER_KEYS or event.key == NEWLINE
        if line_end:
            event.stop()
            event.prevent_default()
            if not (event.key == NEWLINE and self._after_enter):
                self._scan(self.value, event.time)
        self._after_enter = line_end

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        lines = event.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        *finished, rest = lines
        for index, line in enumerate(finished):
            self._scan((self.value if index == 0 else "") + line, event.time)
        if rest:
            self.insert_text_at_cursor(rest)

    def _scan(self, code: str, at: float) -> None:
        self.value = ""
        self.post_message(self.Scanned(self, code, at))
