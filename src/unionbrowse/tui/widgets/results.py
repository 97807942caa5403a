"""The middle pane: the facts matching the query, the matched characters highlighted, marks shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from unionbrowse.corpus.model import Fact
from unionbrowse.reports.export import figure_text
from unionbrowse.tui.text import safe_text

if TYPE_CHECKING:
    from unionbrowse.search.finder import FactHit


class FactMessage(Message):
    """A message about one fact of the list."""

    def __init__(self, fact: Fact) -> None:
        super().__init__()
        self.fact = fact


class ResultList(OptionList):
    BINDINGS = [
        Binding("c", "copy(True)", "Copy cited", id="copy-cited"),
        Binding("y", "copy(False)", "Copy quote", id="copy-quote"),
        Binding("space", "mark", "Mark", id="mark"),
        Binding("escape", "leave", "Search", show=False),
        Binding("ctrl+j", "cursor_down", show=False),
        Binding("ctrl+k", "cursor_up", show=False),
    ]

    class Show(FactMessage):
        """The highlighted fact changed: show it beside its source."""

    class Open(FactMessage):
        """Enter on a fact: show it and move to the source."""

    class Copy(FactMessage):
        """Copy the fact's quote, with its citation when ``cited``."""

        def __init__(self, fact: Fact, cited: bool) -> None:
            super().__init__(fact)
            self.cited = cited

    class ToggleMark(FactMessage):
        """Mark the fact, or unmark it."""

    class Leave(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[FactHit] = []
        self.marked: set[str] = set()

    def show_hits(self, hits: list[FactHit], marked: set[str]) -> None:
        self.hits = hits
        self.marked = marked
        self.set_options(Option(self._prompt(hit), id=hit.fact.id) for hit in hits)
        if hits:
            self.highlighted = 0

    def refresh_marks(self, marked: set[str]) -> None:
        self.marked = marked
        for index, hit in enumerate(self.hits):
            self.replace_option_prompt_at_index(index, self._prompt(hit))

    @property
    def current(self) -> Fact | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.hits):
            return None
        return self.hits[self.highlighted].fact

    def _prompt(self, hit: FactHit) -> Text:
        fact = hit.fact
        statement = safe_text(fact.statement)
        for start, end in hit.matches.get("statement", []):
            statement.stylize("bold reverse", start, end)
        mark = Text("● ", style="bold") if fact.id in self.marked else Text("")
        figure = figure_text(fact)
        meta = Text.assemble(
            (figure + "  " if figure else "", "bold"),
            (f"{fact.source.outlet or '报纸名不详'} {fact.source.date}", "dim"),
        )
        return Text.assemble(mark, statement, "\n", meta)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if (fact := self.current) is not None:
            self.post_message(self.Show(fact))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (fact := self.current) is not None:
            self.post_message(self.Open(fact))

    def action_copy(self, cited: bool) -> None:
        if (fact := self.current) is not None:
            self.post_message(self.Copy(fact, cited))

    def action_mark(self) -> None:
        if (fact := self.current) is not None:
            self.post_message(self.ToggleMark(fact))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
