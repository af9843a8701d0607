"""The review's filter bar: code, status, lane and room, each a Select whose blank means "all"."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from examops.domain.policy import Policy
from examops.i18n import _, word
from examops.services.review import REVIEW_STATUSES
from examops.tui.i18n import code_label
from examops.tui.messages import FiltersChanged
from examops.tui.words import REVIEW_STATUS

FILTERS = ("code", "status", "lane", "room")


class FilterBar(Horizontal):
    """Posts `FiltersChanged` with every chosen filter; lanes and rooms are set from the cases seen."""

    def __init__(self, policy: Policy, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.policy = policy
        self.filters: dict[str, str] = {}
        self._choices: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Select([(code_label(c), c.code) for c in self.policy.codes.values()], prompt=_("Code: all"),
                     id="filter-code")
        yield Select([(word(REVIEW_STATUS, s), s) for s in REVIEW_STATUSES], prompt=_("Status: all"),
                     id="filter-status")
        yield Select([], prompt=_("Lane: all"), id="filter-lane")
        yield Select([], prompt=_("Room: all"), id="filter-room")

    def on_mount(self) -> None:
        # Textual's own "Dismiss menu" key of an open list, in the catalog's words
        for overlay in self.query(SelectOverlay):
            table = overlay._bindings.key_to_bindings
            for key, bindings in table.items():
                table[key] = [replace(b, description=_("Close the list")) if b.action == "dismiss" else b for b in bindings]

    def show_choices(self, name: str, values: list[str]) -> None:
        """Offer `values` for the lane or room filter, keeping the current choice."""
        select = self.query_one(f"#filter-{name}", Select)
        if self._choices.get(name) == values or select.expanded:
            return  # an open list is not rebuilt under the chief's cursor; a refresh after it closes offers them
        self._choices[name] = values
        with select.prevent(Select.Changed):
            select.set_options([(value, value) for value in values])
            if self.filters.get(name) in values:
                select.value = self.filters[name]

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        chosen = {name: str(self.query_one(f"#filter-{name}", Select).value) for name in FILTERS
                  if self.query_one(f"#filter-{name}", Select).value is not Select.NULL}
        if chosen != self.filters:
            self.filters = chosen
            self.post_message(FiltersChanged(dict(chosen)))

    def clear(self) -> None:
        for name in FILTERS:
            self.query_one(f"#filter-{name}", Select).clear()

    def focus_first(self) -> None:
        self.query_one("#filter-code", Select).focus()
