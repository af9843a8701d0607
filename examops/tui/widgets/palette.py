"""Textual's command palette, its words from the catalog.

The palette takes its search box's placeholder as an argument; its "No matches found" line has no hook: it is
English text added by `CommandPalette._start_no_matches_countdown` (Textual 8.2.8, pinned). This subclass adds the
same disabled option, under the same id the palette removes on the next search, in the catalog's words.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from examops.i18n import _


class Palette(CommandPalette):
    """Ctrl+P with every word in the screen's language."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - CommandPalette's own arguments
        super().__init__(placeholder=_("Type to find a command…"), **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # an empty search lists what there is: nothing to say when that is nothing
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(_("No command matches"), style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
