"""The ``?`` screen: every key, what it does, where it works."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str, str]] = [
    ("typing, /", "search box", "type a query; / returns to it from anywhere"),
    ("escape", "anywhere", "clear the search box, or leave a pane"),
    ("down / enter", "search box", "go to the results (enter opens the first)"),
    ("up/down, ctrl+j/ctrl+k", "results", "move through the results"),
    ("enter", "results", "open the fact beside its source"),
    ("tab / shift+tab", "anywhere", "next / previous pane"),
    ("c", "results, source", "copy the quote (or the selected passage) with its citation"),
    ("y", "results", "copy the quote alone"),
    ("s", "anywhere", "choose the citation style (remembered)"),
    ("] / [", "source", "grow / shrink the passage by a sentence at its end"),
    ("} / {", "source", "grow / shrink the passage by a sentence at its start"),
    ("space", "results", "mark or unmark a fact"),
    ("b", "anywhere", "the marked list: reorder, remove, copy all, export"),
    ("t", "anywhere", "show a traditional-script source in simplified (citations say so)"),
    ("m", "anywhere", "the fact's figure across sources: periods, scopes, chart, conflicts; c copies a Markdown table"),
    ("ctrl+p", "anywhere", "command palette: topics, sources, metrics, style, theme"),
    ("?", "anywhere", "this help"),
    ("q, ctrl+q", "anywhere (q not while typing)", "quit"),
]

QUERY_HELP = (
    "Queries: 户外劳动者 or 戶外勞動者 · pinyin yizhan / jqzx / 安全shengchan · English legal aid · "
    "typos 技能人材 · numbers 3.24万 3143 · 'exact !not a | b · topic: source: year: scope: metric:"
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table = Table(title="unionbrowse keys", expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("where", style="dim")
        table.add_column("does", ratio=1)
        for key, where, does in KEYS:
            table.add_row(key, where, does)
        with VerticalScroll():
            yield Static(table)
            yield Static(QUERY_HELP, markup=False)
