"""Importing a roster from the app: file paths in, a progress bar, the result or the problems out.

The import itself is the service's (all or nothing); this modal only runs it
in a worker, shows its progress and lets Esc cancel before anything is written.
A refused roster keeps the dialog open with every problem in a scrollable list
(where, what, what to do, in the screen's language), so the file can be fixed
and the same paths tried again.
"""

from __future__ import annotations

import shlex
import threading
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar

from examops.i18n import _, language, word
from examops.i18n.roster_words import on_screen, problem_fix, problem_message, problem_place, severity_word
from examops.services.site import Site
from examops.tui.i18n import failure_words, localize_bindings
from examops.tui.messages import RosterImported, RosterImportFailed, RosterImportProgressed
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.plain import Label, Static
from examops.tui.words import IMPORT_STAGE

STAGES = ("read", "check", "write")
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "dim"}
PROBLEMS_SHOWN = 200  # a roster with thousands of bad cells needs the marked copy, not a list to scroll


class RosterImportModal(WholeGlyphs, ModalScreen["object | None"]):
    """Returns the ImportReport once the service has answered (imported or refused), None if cancelled."""

    CSS_PATH = "../roster.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import.cancel")]

    def __init__(self, site: Site) -> None:
        super().__init__()
        localize_bindings(self)
        self.site = site
        self.cancel_requested = threading.Event()
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box", classes="modal-box"):
            yield Label(_("Import a candidate roster (.xlsx / .xls / .csv)"), id="import-title")
            yield Input(placeholder=_("File paths, separated by spaces; Enter starts"), id="import-paths")
            yield ProgressBar(total=len(STAGES), show_eta=False, id="import-progress")
            yield Static("", id="import-status")
            yield VerticalScroll(id="import-problems")
            yield Label(_("Any error imports nothing · Esc cancels"), id="import-hint", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#import-paths", Input).focus()

    def action_cancel(self) -> None:
        if self.running:
            self.cancel_requested.set()
            self.query_one("#import-status", Static).update(_("Cancelling… (not possible once writing started)"))
        else:
            self.dismiss(None)

    @on(Input.Submitted, "#import-paths")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            paths = [str(Path(p).expanduser()) for p in shlex.split(event.value)]
        except ValueError as exc:
            self._show_error(str(exc))
            return
        missing = [p for p in paths if not Path(p).is_file()]
        if not paths or missing:
            self._show_error(_("No such file: {path}").format(path=", ".join(missing) or "-"))
            return
        self.running = True
        self.query_one("#import-paths", Input).disabled = True
        progress = self.query_one("#import-progress", ProgressBar)
        progress.display = True
        progress.update(progress=0)
        self.query_one("#import-problems", VerticalScroll).display = False
        self._import(paths)

    @work(thread=True, exclusive=True, group="roster-import", exit_on_error=False)
    def _import(self, paths: list[str]) -> None:
        from examops.services.roster import ImportCancelled, import_roster

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(RosterImportProgressed(stage, done, total))

        try:
            report = import_roster(self.site, paths, progress=progress, cancel=self.cancel_requested)
        except ImportCancelled:
            self.post_message(RosterImportFailed(_("Cancelled: nothing was imported")))
            return
        except Exception as exc:  # noqa: BLE001 - shown on screen, never swallowed
            self.post_message(RosterImportFailed(failure_words(exc)))
            return
        self.post_message(RosterImported(report))

    def on_roster_import_progressed(self, message: RosterImportProgressed) -> None:
        stage_index = STAGES.index(message.stage) if message.stage in STAGES else 0
        fraction = message.done / message.total if message.total else 1.0
        self.query_one("#import-progress", ProgressBar).update(progress=stage_index + fraction)
        self.query_one("#import-status", Static).update(word(IMPORT_STAGE, message.stage))

    def on_roster_import_failed(self, message: RosterImportFailed) -> None:
        self.running = False
        self.query_one("#import-paths", Input).disabled = False
        self._show_error(message.error)

    def on_roster_imported(self, message: RosterImported) -> None:
        self.running = False
        report = message.report
        if report.imported:
            self.dismiss(report)
            return
        self._show_problems(report.problems)

    def _show_problems(self, problems: list) -> None:
        """Every problem of the refused roster, errors first; the paths stay editable for another try."""
        self.query_one("#import-paths", Input).disabled = False
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-hint", Label).update(_("↑↓ scroll the problems · Tab back to the paths · Esc closes"))
        errors = sum(1 for p in problems if p.severity == "error")
        self._show_error(_("{count} error(s) in the roster: nothing was imported. Fix the file and press Enter to try "
                           "again.").format(count=errors))
        listing = self.query_one("#import-problems", VerticalScroll)
        listing.remove_children()
        ordered = sorted(problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 3))
        lang = language()
        entries = []
        for number, problem in enumerate(map(on_screen, ordered[:PROBLEMS_SHOWN]), start=1):  # ID numbers masked
            text = Text()
            text.append(f"{number}. [{severity_word(problem.severity, lang)}] ", style=SEVERITY_STYLE.get(problem.severity, ""))
            text.append(problem_place(problem, lang), style="bold")
            text.append("\n" + problem_message(problem, lang))
            fix = problem_fix(problem, lang)
            if fix:
                text.append("\n" + _("What to do: {fix}").format(fix=fix), style="italic")
            entries.append(Static(text, classes="import-problem"))
        if len(ordered) > PROBLEMS_SHOWN:
            entries.append(Static(_("… and {count} more: `examops roster import FILE --errors-out COPY.xlsx` marks every one "
                                    "in a copy of the file").format(count=len(ordered) - PROBLEMS_SHOWN),
                                  classes="import-problem"))
        listing.mount_all(entries)
        listing.display = bool(entries)
        listing.can_focus = True
        listing.scroll_home(animate=False)
        listing.focus()

    def _show_error(self, text: str) -> None:
        self.query_one("#import-status", Static).update(Text(text, style="bold red"))
