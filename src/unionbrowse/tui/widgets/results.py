"""The middle pane: the facts matching the query, the matched characters highlighted, marks shown.

| key | does |
|---|---|
| `up`/`down` | move through the results; the card and the source follow |
| `enter` | open the fact beside its source |
| `c` | copy the quote with its citation |
| `y` | copy the quote alone |
| `space` | mark or unmark the fact |
| `escape` | back to the search box |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from unionbrowse.corpus.model import Fact
from unionbrowse.tui.text import safe_line

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.search.finder import FactHit


class ResultList(OptionList):
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, tooltip="the previous result; the card and source follow"),
        Binding("down", "cursor_down", "Down", show=False, tooltip="the next result; the card and source follow"),
        Binding("enter", "select", "Open", show=False, id="open", tooltip="open the fact beside its source"),
        Binding("c", "copy(True)", "Copy cited", id="copy-cited", tooltip="copy the quote with its citation"),
        Binding("y", "copy(False)", "Copy quote", id="copy-quote", tooltip="copy the quote alone"),
        Binding("space", "mark", "Mark", id="mark", tooltip="mark or unmark the fact (b: the marked list)"),
        Binding("escape", "leave", "Search", show=False, tooltip="back to the search box"),
    ]
    COMPONENT_CLASSES = {"result-list--match", "result-list--figure", "result-list--meta", "result-list--mark"}
    DEFAULT_CSS = """
    ResultList, ResultList:focus { height: 1fr; border: none; }
    ResultList > .result-list--match { text-style: bold reverse; }
    ResultList > .result-list--figure { text-style: bold; }
    ResultList > .result-list--meta { color: $text-muted; }
    ResultList > .result-list--mark { color: $accent; text-style: bold; }
    """

    hits: reactive[list[FactHit]] = reactive(list, always_update=True)
    marks: reactive[tuple[str, ...]] = reactive(())  # the marked fact ids, bound from the screen

    @dataclass
    class FactMessage(Message):
        """Something happened to one fact of the list."""

        result_list: ResultList
        fact: Fact

        @property
        def control(self) -> ResultList:
            return self.result_list

    @dataclass
    class Highlighted(FactMessage):
        """The highlight moved to a fact."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ResultList.Highlighted)

    @dataclass
    class Opened(FactMessage):
        """Enter on a fact: the reader wants it beside its source."""

    @dataclass
    class CopyRequested(FactMessage):
        """The reader asked for the fact's quote, with its citation when ``cited``."""

        cited: bool = True

    @dataclass
    class MarkToggled(FactMessage):
        """The reader marked the fact, or unmarked it."""

    @dataclass
    class Left(Message):
        """Escape: the reader went back to the search box."""

    @property
    def current(self) -> Fact | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.hits):
            return None
        return self.hits[self.highlighted].fact

    def watch_hits(self, hits: list[FactHit]) -> None:
        self.set_options(Option(self._prompt(hit), id=hit.fact.id) for hit in hits)
        if hits:
            self.highlighted = 0

    def watch_marks(self) -> None:
        for index, hit in enumerate(self.hits):
            self.replace_option_prompt_at_index(index, self._prompt(hit))

    def _prompt(self, hit: FactHit) -> Text:
        fact = hit.fact
        statement = safe_line(fact.statement)
        match = self.get_component_rich_style("result-list--match", partial=True)
        for start, end in hit.matches.get("statement", []):
            statement.stylize(match, start, end)
        mark = Text("● ", style=self.get_component_rich_style("result-list--mark", partial=True))
        figure = safe_line(f"{fact.figure_text}  " if fact.figure_text else "",
                           self.get_component_rich_style("result-list--figure", partial=True))  # fmt: skip
        meta = safe_line(f"{fact.source.outlet_label} {fact.source.date}",
                         self.get_component_rich_style("result-list--meta", partial=True))  # fmt: skip
        return Text.assemble(mark if fact.id in self.marks else "", statement, "\n", figure, meta)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if (fact := self.current) is not None:
            self.post_message(self.Highlighted(self, fact))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (fact := self.current) is not None:
            self.post_message(self.Opened(self, fact))

    def action_copy(self, cited: bool) -> None:
        if (fact := self.current) is not None:
            self.post_message(self.CopyRequested(self, fact, cited))

    def action_mark(self) -> None:
        if (fact := self.current) is not None:
            self.post_message(self.MarkToggled(self, fact))

    def action_leave(self) -> None:
        self.post_message(self.Left())
