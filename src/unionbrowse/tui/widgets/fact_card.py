"""The fact card: what the fact says, its figures, and where it comes from."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from unionbrowse.corpus.model import Corpus, Fact
from unionbrowse.reports.compare import Difference
from unionbrowse.tui.text import safe_text


class FactCard(Static):
    DEFAULT_CSS = """
    FactCard { height: auto; max-height: 50%; padding: 0 1; border-bottom: solid $primary-background; }
    """

    def show_fact(self, fact: Fact, corpus: Corpus, others: list[Difference] | None = None) -> None:
        source = fact.source
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        rows: list[tuple[str, str | None]] = [
            ("", None),  # the statement, above the grid
            ("figures", "; ".join(
                q.describe()
                for q in fact.quantities) or None),
            ("period", fact.period), ("scope", fact.scope), ("actor", fact.actor),
            ("topic", " › ".join(topic.zh for topic in corpus.topic_path(fact.topic.id))),
            ("source", source.title),
            ("outlet", f"{source.outlet or '报纸名不详 (paper not named)'} · {source.published}"
                       f" ({source.precision})"),
            ("author", source.author), ("script", "繁体 traditional" if source.is_traditional else "简体 simplified"),
            ("fact", fact.id),
        ]  # fmt: skip
        for label, value in rows[1:]:
            if value:
                table.add_row(Text(label, style="dim"), safe_text(value))
        also = []
        for difference in others or []:
            other = difference.second if difference.first.fact is fact else difference.first
            mark = ("⚠ conflict  ", "bold red") if difference.is_conflict else (f"{difference.kind}  ", "dim")
            also.append(Text.assemble(("also reported as ", "dim"), (other.quantity.text, "bold"),
                                      f" ({other.label}, {other.fact.period or '?'}, {other.fact.scope or '?'})  ", mark))
        if also:
            also.append(Text("m: compare across sources", style="dim italic"))
        self.update(Group(safe_text(fact.statement, "bold"), table, *also))

    def show_message(self, message: str) -> None:
        self.update(safe_text(message))
