"""``b``: the marked facts, in the reader's order: reorder, remove, copy all as a cited list, export Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from unionbrowse.corpus.model import Fact
from unionbrowse.tui.text import safe_line


class MarkedScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,b", "dismiss", "Close", tooltip="back to the results"),
        Binding("shift+up,K", "move(-1)", "Move up", id="marked-up", tooltip="move the fact up the list"),
        Binding("shift+down,J", "move(1)", "Move down", id="marked-down", tooltip="move the fact down the list"),
        Binding("d,delete", "remove", "Remove", id="marked-remove", tooltip="remove the fact from the list"),
        Binding("c", "copy_all", "Copy all cited", id="marked-copy",
                tooltip="copy every marked fact as a numbered list with citations"),
        Binding("e", "export", "Export Markdown", id="marked-export", tooltip="write the list as a Markdown file"),
    ]  # fmt: skip
    COMPONENT_CLASSES = {"marked--meta"}
    DEFAULT_CSS = """
    MarkedScreen { align: center middle; }
    MarkedScreen > Vertical { width: 90%; height: 90%; border: thick $primary; background: $surface; }
    MarkedScreen OptionList { height: 1fr; }
    MarkedScreen #marked-help { height: 1; color: $text-muted; }
    MarkedScreen > .marked--meta { color: $text-muted; }
    """

    @dataclass
    class Reordered(Message):
        """The reader moved or removed a fact: the marks, in their new order."""

        marks: tuple[str, ...]

    @dataclass
    class CopyAllRequested(Message):
        facts: list[Fact]

    @dataclass
    class ExportRequested(Message):
        facts: list[Fact]

    def __init__(self, facts: list[Fact], others: tuple[str, ...] = ()) -> None:
        """``facts``: the marked facts of this data folder; ``others``: marked ids it lacks, kept as they are."""
        super().__init__()
        self.facts = facts
        self.others = others

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
        kept = [Option(Text(f"(and {len(self.others)} marked fact(s) of another data folder, kept for when it is "
                            "open)"), disabled=True)] if self.others else []  # fmt: skip
        if not self.facts:
            items.set_options([Option(Text("No marked facts: press space on a result to mark it."), disabled=True),
                               *kept])  # fmt: skip
            return
        meta = self.get_component_rich_style("marked--meta", partial=True)
        items.set_options([
            *(Option(Text.assemble(f"{n}. ", safe_line(fact.statement),
                                   safe_line(f"  {fact.source.outlet_label} {fact.source.date}", meta)), id=fact.id)
              for n, fact in enumerate(self.facts, start=1)),
            *kept,
        ])  # fmt: skip
        items.highlighted = max(0, min(highlight, len(self.facts) - 1))

    def _index(self) -> int | None:
        highlighted = self.query_one(OptionList).highlighted
        return highlighted if highlighted is not None and highlighted < len(self.facts) else None

    def action_move(self, step: int) -> None:
        index = self._index()
        if index is None or not 0 <= index + step < len(self.facts):
            return
        self.facts[index], self.facts[index + step] = self.facts[index + step], self.facts[index]
        self._refill(index + step)
        self.post_message(self.Reordered(self._marks()))

    def action_remove(self) -> None:
        index = self._index()
        if index is None:
            return
        del self.facts[index]
        self._refill(index)
        self.post_message(self.Reordered(self._marks()))

    def _marks(self) -> tuple[str, ...]:
        return (*(fact.id for fact in self.facts), *self.others)

    def action_copy_all(self) -> None:
        if self.facts:
            self.post_message(self.CopyAllRequested(list(self.facts)))

    def action_export(self) -> None:
        if self.facts:
            self.post_message(self.ExportRequested(list(self.facts)))
