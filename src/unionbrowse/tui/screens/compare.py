"""``m``: the selected fact's metric across sources: figures, periods, scopes, a chart, and the conflicts."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from unionbrowse.reports.compare import Comparison, bar_chart
from unionbrowse.tui.text import safe_text


class CompareScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,m", "dismiss", "Close"),
        Binding("c", "copy_table", "Copy Markdown table"),
    ]
    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen > VerticalScroll { width: 94%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """

    class CopyTable(Message):
        def __init__(self, comparison: Comparison) -> None:
            super().__init__()
            self.comparison = comparison

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        comparison = self.comparison
        metric = comparison.metric
        table = Table(expand=True)
        for column in ("published", "source", "as written", "value", "period", "years", "scope"):
            table.add_column(column, no_wrap=column in ("published", "value", "years"))
        for r in comparison.reports:
            latest = r is comparison.latest
            table.add_row(safe_text(r.fact.source.date, "bold" if latest else ""), safe_text(r.fact.source.outlet or "报纸名不详"),
                          safe_text(r.quantity.text), f"{r.quantity.value:,.0f}", safe_text(r.fact.period or "-"),
                          r.window.describe() if r.window else "?", safe_text(r.fact.scope or "-"))  # fmt: skip
        notes = []
        for difference in comparison.differences:
            if difference.kind == "agree":
                continue
            label = ("CONFLICT  ", "bold red") if difference.is_conflict else (f"{difference.kind}  ", "dim")
            notes.append(Text.assemble(label, safe_text(difference.reason)))
        chart = Text("\n".join(bar_chart(comparison, width=36)))
        heading = Text.assemble((f"{metric.zh}  ", "bold"), f"{metric.key} · {metric.unit} · {metric.en}")
        with VerticalScroll():
            yield Static(Group(heading, table, chart, Text(""), *notes))
        yield Footer()

    def action_copy_table(self) -> None:
        self.post_message(self.CopyTable(self.comparison))
