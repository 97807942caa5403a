"""The fact card: what the fact says, its figures, where it comes from, and how other sources report it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from unionbrowse.corpus.model import Fact
from unionbrowse.tui.text import safe_text

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library
    from unionbrowse.reports.compare import Difference


class FactCard(Static):
    COMPONENT_CLASSES = {"fact-card--statement", "fact-card--label", "fact-card--figure", "fact-card--kind",
                         "fact-card--conflict", "fact-card--hint"}  # fmt: skip
    DEFAULT_CSS = """
    FactCard { height: auto; max-height: 50%; padding: 0 1; border-bottom: solid $primary-background; }
    FactCard > .fact-card--statement { text-style: bold; }
    FactCard > .fact-card--label { color: $text-muted; }
    FactCard > .fact-card--figure { text-style: bold; }
    FactCard > .fact-card--kind { color: $text-muted; }
    FactCard > .fact-card--conflict { color: $text-error; text-style: bold; }
    FactCard > .fact-card--hint { color: $text-muted; text-style: italic; }
    """

    # Each changes what the card holds, so its height: layout=True lays it out again.
    library: reactive[Library | None] = reactive(None, layout=True)  # bound from the screen: "also reported as"
    fact: reactive[Fact | None] = reactive(None, layout=True)
    message: reactive[str] = reactive("", layout=True)  # shown when there is no fact

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._others: list[Difference] = []  # how other sources report the fact: worked out when it changes

    def watch_fact(self) -> None:
        self._others = self._differences()

    def watch_library(self) -> None:
        self._others = self._differences()

    def _differences(self) -> list[Difference]:
        # Explaining each other report takes a while on a large corpus: once per fact, never once per redraw.
        if self.fact is None or self.library is None:
            return []
        return self.library.also_reported(self.fact)

    def render(self) -> RenderableType:
        fact = self.fact
        if fact is None:
            return safe_text(self.message)
        style = self.get_component_rich_style
        source = fact.source
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        topics = self.library.corpus.topic_path(fact.topic.id) if self.library is not None else [fact.topic]
        rows: list[tuple[str, str | None]] = [
            ("figures", "; ".join(q.describe() for q in fact.quantities) or None),
            ("period", fact.period), ("scope", fact.scope), ("actor", fact.actor),
            ("topic", " › ".join(topic.zh for topic in topics)),
            ("source", source.title),
            ("outlet", f"{source.outlet_label} · {source.published} ({source.precision})"),
            ("author", source.author), ("script", "繁体 traditional" if source.is_traditional else "简体 simplified"),
            ("fact", fact.id),
        ]  # fmt: skip
        for label, value in rows:
            if value:
                table.add_row(Text(label, style=style("fact-card--label", partial=True)), safe_text(value))
        return Group(safe_text(fact.statement, style("fact-card--statement", partial=True)), table, *self._also(fact))

    def _also(self, fact: Fact) -> list[Text]:
        """One line for each other source's report of the fact's metric, and how it differs."""
        style = self.get_component_rich_style
        lines = []
        for difference in self._others:
            other = difference.second if difference.first.fact.id == fact.id else difference.first
            kind = (Text("⚠ conflict", style=style("fact-card--conflict", partial=True)) if difference.is_conflict
                    else Text(difference.kind, style=style("fact-card--kind", partial=True)))  # fmt: skip
            lines.append(Text.assemble(
                Text("also reported as ", style=style("fact-card--label", partial=True)),
                safe_text(other.quantity.text, style("fact-card--figure", partial=True)),
                safe_text(f" ({other.label}, {other.fact.period or '?'}, {other.fact.scope or '?'})  "), kind))  # fmt: skip
        if lines:
            lines.append(Text("m: compare across sources", style=style("fact-card--hint", partial=True)))
        return lines
