"""ExamopsApp: the one Textual app; `mode="gate"` opens a lane, `mode="roster"` the overview.

Imports only Textual and the lane's services (no pandas, no openpyxl), so a
lane laptop is ready to scan well under a second after `examops gate`.
"""

from __future__ import annotations

import getpass
import sys
from functools import partial
from typing import TYPE_CHECKING, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from examops.domain.literal import shown
from examops.domain.plan import UnknownSession
from examops.i18n import _, resolve_language, set_language
from examops.services.bulk_work import collection_after_start
from examops.tui.i18n import localize_bindings
from examops.tui.photo_terminal import PhotoTerminal
from examops.tui.screens.gate import GateScreen
from examops.tui.widgets.palette import Palette

if TYPE_CHECKING:
    from examops.services.site import Site
    from examops.services.site_head import SiteHead

MODES = ("gate", "roster", "review", "report")


class ExamopsApp(App):
    """Exam-day operations on screen."""

    # The other screens bring their own CSS when first opened (their CSS_PATH): Textual parses every file given here
    # before the first frame, and restyles every widget with each file's rules.
    CSS_PATH = ["app.tcss", "gate.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+t", "review", "Review", id="app.review"),
        Binding("ctrl+b", "report", "Report", id="app.report"),
        # Textual's own palette binding says "palette" in English; this one is in the catalog (see localize_bindings)
        Binding("ctrl+p", "command_palette", "More", id="app.palette", show=False, priority=True),
    ]
    # A screen without its own breakpoints (every dialog) is "-short" below 32 lines: app.tcss makes dialogs compact.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, site: Site | SiteHead, *, mode: str = "gate", lane: str | None = None, staff: str | None = None,
                 session_id: str | None = None, lang: str | None = None, pin_checked: bool = False,
                 confirm: str = "photo", photo_terminal: PhotoTerminal | None = None) -> None:
        """`pin_checked`: the caller has already checked the chief's PIN; otherwise review and report open locked.
        `confirm` (always, photo, never): whether a lane waits for Enter before admitting; `photo_terminal` says how
        photos are drawn, found by `photo_terminal.detect()` before the app starts (default half-blocks).
        A `SiteHead` (the gate only): the lane's first frame is drawn from it, and the gate puts the full site in
        `self.site` once its worker opened the store."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "gate" and not lane:
            raise ValueError("the gate needs a lane, e.g. lane='A'")
        if session_id:
            try:
                site.plan.session(session_id)
            except UnknownSession as exc:
                raise ValueError(str(exc)) from None
        self.lang = set_language(resolve_language(lang, site.plan.language))
        super().__init__()
        localize_bindings(self)
        self.site = site
        self.mode = mode
        self.lane_name = lane
        self.staff = staff or getpass.getuser()
        self.session_id = session_id
        self.confirm = confirm
        self.photo_terminal = photo_terminal or PhotoTerminal()
        self.pin_checked = pin_checked
        self._held_toasts: list[tuple] = []
        self.title = _("examops site operations")

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,  # noqa: ANN001
               markup: bool = False) -> None:
        """Toasts carry data (names, errors): never markup, controls written out; held while a dialog wants input."""
        toast = (shown(message, keep="\n"), shown(title), severity, timeout)
        if isinstance(self.screen, ModalScreen):
            self._held_toasts.append(toast)
            return
        self._toast(*toast)

    def _toast(self, message: str, title: str, severity, timeout: float | None) -> None:  # noqa: ANN001
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _screen_changed(self, screen: Screen) -> None:
        """A dialog opening clears the toasts over it; the screen under it, back on top, shows what came meanwhile."""
        if isinstance(screen, ModalScreen):
            self.clear_notifications()
            return
        held, self._held_toasts = self._held_toasts, []
        for toast in held:
            self._toast(*toast)

    # The review, report and roster screens are imported when first opened: a lane's first frame needs only the gate.
    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.mode == "gate":
            self.push_screen(GateScreen(self.site, self.lane_name or "", self.staff, self.session_id,
                                        confirm=self.confirm, photo_terminal=self.photo_terminal))
        elif self.mode == "review":
            from examops.tui.screens.review import ReviewScreen

            self.push_screen(ReviewScreen(self.site, self.staff, self.session_id, locked=not self.pin_checked,
                                          photo_terminal=self.photo_terminal))
        elif self.mode == "report":
            from examops.tui.screens.report import ReportScreen

            self.push_screen(ReportScreen(self.site, self.staff, self.session_id, can_return=False,
                                          locked=not self.pin_checked))
        else:
            from examops.tui.screens.roster import RosterScreen

            self.push_screen(RosterScreen(self.site, can_return=False))
        self.call_after_refresh(collection_after_start)  # paused by the command that started the app, if any

    def action_command_palette(self) -> None:
        """Ctrl+P: the product's own commands, in the UI's language (not Textual's theme/screenshot list in English)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The keys of the screen the palette was opened on (each under its catalog word and key), then Quit."""
        seen = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not enabled or not binding.id or binding.id == "app.palette" or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(binding.description, self.get_key_display(binding), partial(self.run_action, binding.action, node))

    def _working_screen(self) -> Screen:
        """The screen staff work on: the one under the command palette while it is open."""
        screen = self.screen
        if isinstance(screen, CommandPalette) and len(self.screen_stack) > 1:
            return self.screen_stack[-2]
        return screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            screen = self._working_screen()
            return isinstance(screen, GateScreen) and screen.lane_ready
        if action == "report":
            screen = self._working_screen()
            if isinstance(screen, GateScreen):
                return screen.lane_ready
            return _is_screen(screen, "review", "ReviewScreen") or _is_screen(
                screen, "roster", "RosterScreen")
        return True

    def action_review(self) -> None:
        """From a lane: the review opens behind the chief proctor's PIN."""
        if isinstance(self.screen, GateScreen):
            from examops.tui.screens.review import ReviewScreen

            self.push_screen(ReviewScreen(self.site, self.staff, self.session_id, from_lane=self.lane_name or "",
                                          photo_terminal=self.photo_terminal))

    def action_report(self) -> None:
        """The bureau report view, for the session on screen; from a lane it opens behind the chief proctor's PIN."""
        from examops.tui.screens.report import ReportScreen

        screen = self.screen
        lane = (self.lane_name or "") if isinstance(screen, GateScreen) else None
        session_id = getattr(screen, "session_id", None) or self.session_id
        self.push_screen(ReportScreen(self.site, self.staff, session_id, from_lane=lane))


def _is_screen(screen: object, module: str, name: str) -> bool:
    """`screen` is an instance of `examops.tui.screens.<module>.<name>` (never true before that module is imported)."""
    loaded = sys.modules.get(f"examops.tui.screens.{module}")
    return loaded is not None and isinstance(screen, getattr(loaded, name))
