"""Tab and Shift+Tab in a form move the focus in the order the keys came, however fast they come.

An input method hands the terminal a whole Chinese word at once, and a quick hand
presses Tab right after; the terminal delivers the word, the Tab and the next word
in one read. Textual sends each key to the focused field, and Tab's own binding
runs only once the key has bubbled back up to the app, by when the next word has
already been sent to the same field ("省督导组 赵组长电话批准"). As priority bindings,
Tab and Shift+Tab are taken by the app as each arrives, before the next key is
sent on: the keys before the Tab still reach the field they were typed into, the
ones after it reach the next field. Enter needs nothing: it ends the form, and
the keys before it are in their fields by the time its binding runs.
"""

from __future__ import annotations

from textual.binding import Binding

from examops.domain.scan import classify, masked
from examops.i18n import _

FOCUS_KEYS = [
    Binding("tab", "app.focus_next", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", show=False, priority=True),
]


def scan_in_text(field: str, value: str) -> str | None:
    """A ticket or ID scan that landed in a form's free-text field (the scanner read the next candidate while the
    form was open): the refusal to show, else None. Recorded as a reason, it would say nothing and lose that scan."""
    scan = classify(value)
    if scan.kind not in ("ticket", "id_number"):
        return None
    return _("{field}: {code} is a scan, not text: that scan was NOT RECORDED. Fill in the {field}, then scan that "
             "candidate again").format(field=field, code=masked(value.strip()))


def scans_refused(codes: list[str]) -> str:
    """The line a form shows for scans that came while it was open (a burst past its ticket): each by code, masked."""
    return _("NOT RECORDED: {codes} — scanned while this form was open: scan again after it").format(
        codes="  ".join(masked(code) for code in codes))
