"""``m``: the selected fact's metric across sources: figures, periods, scopes, a chart, and the conflicts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from unionbrowse.reports.chart import bar_chart
from unionbrowse.reports.compare import Comparison, Difference
from unionbrowse.tui.text import safe_line, safe_text

EVERY_PAIR_UP_TO = 60  # reports; beyond, only the conflicts are explained here (every pair is in `c`'s table)


class CompareScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,m", "dismiss", "Close", tooltip="back to the results"),
        Binding("c", "copy_table", "Copy Markdown table", id="compare-copy",
                tooltip="copy the comparison as a Markdown table with citations"),
    ]  # fmt: skip
    COMPONENT_CLASSES = {"compare--heading", "compare--latest", "compare--conflict", "compare--kind"}
    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen > VerticalScroll { width: 94%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    CompareScreen > .compare--heading { text-style: bold; }
    CompareScreen > .compare--latest { text-style: bold; }
    CompareScreen > .compare--conflict { color: $text-error; text-style: bold; }
    CompareScreen > .compare--kind { color: $text-muted; }
    """

    @dataclass
    class TableCopyRequested(Message):
        comparison: Comparison

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="comparison")
        yield Footer()

    def on_mount(self) -> None:
        style = self.get_component_rich_style
        comparison = self.comparison
        metric = comparison.metric
        table = Table(expand=True)
        for column in ("published", "source", "as written", "value", "period", "years", "scope"):
            table.add_column(column, no_wrap=column in ("published", "value", "years"))
        for r in comparison.reports:
            latest = style("compare--latest", partial=True) if r is comparison.latest else ""
            table.add_row(safe_text(r.fact.source.date, latest), safe_text(r.fact.source.outlet_label),
                          safe_text(r.quantity.text), f"{r.quantity.value:,.0f}", safe_text(r.fact.period or "-"),
                          r.window.describe() if r.window else "?", safe_text(r.fact.scope or "-"))  # fmt: skip
        chart = safe_text("\n".join(bar_chart(comparison, width=36)))
        heading = Text.assemble(safe_line(f"{metric.zh}  ", style("compare--heading", partial=True)),
                                safe_line(f"{metric.key} · {metric.unit} · {metric.en}"))  # fmt: skip
        self.query_one("#comparison", Static).update(Group(heading, table, chart, Text(""), *self._reasons()))

    def _reasons(self) -> list[Text]:
        style = self.get_component_rich_style
        comparison = self.comparison
        shown: list[Difference] = (comparison.differences if len(comparison.reports) <= EVERY_PAIR_UP_TO
                                   else comparison.conflicts)  # fmt: skip
        lines = []
        for difference in shown:
            if difference.kind == "agree":
                continue
            label = (Text("CONFLICT  ", style=style("compare--conflict", partial=True)) if difference.is_conflict
                     else Text(f"{difference.kind}  ", style=style("compare--kind", partial=True)))  # fmt: skip
            lines.append(Text.assemble(label, safe_text(difference.reason)))
        if len(comparison.reports) > EVERY_PAIR_UP_TO:
            lines.append(Text(f"{len(comparison.reports)} reports: only the conflicts are explained here.",
                              style=style("compare--kind", partial=True)))  # fmt: skip
        return lines

    def action_copy_table(self) -> None:
        self.post_message(self.TableCopyRequested(self.comparison))
