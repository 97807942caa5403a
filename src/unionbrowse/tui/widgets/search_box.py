"""The search box: the query as the reader types it (letters typed here are text, never keys)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class SearchBox(Input):
    BINDINGS = [
        Binding("down", "screen.focus_results", "Results", show=False, tooltip="go to the results"),
        Binding("escape", "clear", "Clear", show=False, tooltip="clear the search box"),
        Binding("enter", "submit", "Open", show=False, tooltip="open the first result beside its source"),
    ]

    def action_clear(self) -> None:
        self.value = ""
