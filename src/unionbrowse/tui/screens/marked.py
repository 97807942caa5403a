"""``b``: the marked facts, in the reader's order: reorder, remove, copy all as a cited list, export Markdown."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from unionbrowse.corpus.model import Fact
from unionbrowse.tui.text import safe_text


class MarkedScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,b", "dismiss", "Close"),
        Binding("shift+up,K", "move(-1)", "Move up"),
        Binding("shift+down,J", "move(1)", "Move down"),
        Binding("d,delete", "remove", "Remove"),
        Binding("c", "copy_all", "Copy all cited"),
        Binding("e", "export", "Export Markdown"),
    ]
    DEFAULT_CSS = """
    MarkedScreen { align: center middle; }
    MarkedScreen > Vertical { width: 90%; height: 90%; border: thick $primary; background: $surface; }
    MarkedScreen OptionList { height: 1fr; }
    MarkedScreen #marked-help { height: 1; color: $text-muted; }
    """

    class Changed(Message):
        """The list was reordered or shortened."""

        def __init__(self, marked: list[str]) -> None:
            super().__init__()
            self.marked = marked

    class CopyAll(Message):
        def __init__(self, facts: list[Fact]) -> None:
            super().__init__()
            self.facts = facts

    class Export(Message):
        def __init__(self, facts: list[Fact]) -> None:
            super().__init__()
            self.facts = facts

    def __init__(self, facts: list[Fact]) -> None:
        super().__init__()
        self.facts = facts

    def compose(self) -> ComposeResult:
        with Vertical():
            items = OptionList(id="marked-list")
            items.border_title = "Marked facts"
            yield items
            yield Static("shift+up/down move · d remove · c copy all cited · e export Markdown · escape close",
                         id="marked-help", markup=False)  # fmt: skip
        yield Footer()

    def on_mount(self) -> None:
        self._refill(0)

    def _refill(self, highlight: int) -> None:
        items = self.query_one(OptionList)
        if not self.facts:
            items.set_options([Option(Text("No marked facts: press space on a result to mark it."), disabled=True)])
            return
        items.set_options(
            Option(Text.assemble(f"{n}. ", safe_text(fact.statement), (f"  {fact.source.outlet or ''} {fact.source.date}", "dim")),
                   id=fact.id)
            for n, fact in enumerate(self.facts, start=1)
        )  # fmt: skip
        items.highlighted = max(0, min(highlight, len(self.facts) - 1))

    def _index(self) -> int | None:
        highlighted = self.query_one(OptionList).highlighted
        return highlighted if self.facts and highlighted is not None else None

    def action_move(self, step: int) -> None:
        index = self._index()
        if index is None or not 0 <= index + step < len(self.facts):
            return
        self.facts[index], self.facts[index + step] = self.facts[index + step], self.facts[index]
        self._refill(index + step)
        self.post_message(self.Changed([fact.id for fact in self.facts]))

    def action_remove(self) -> None:
        index = self._index()
        if index is None:
            return
        del self.facts[index]
        self._refill(index)
        self.post_message(self.Changed([fact.id for fact in self.facts]))

    def action_copy_all(self) -> None:
        if self.facts:
            self.post_message(self.CopyAll(list(self.facts)))

    def action_export(self) -> None:
        if self.facts:
            self.post_message(self.Export(list(self.facts)))
