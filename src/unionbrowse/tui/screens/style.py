"""``s``: choose the citation style; the choice is remembered between runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from unionbrowse.reports.cite import STYLE_NAMES


class StyleScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    StyleScreen { align: center middle; }
    StyleScreen > OptionList { width: 44; height: auto; border: thick $primary; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(("● " if key == self.current else "  ") + name, id=key) for key, name in STYLE_NAMES.items()]
        choices = OptionList(*options)
        choices.border_title = "Citation style"
        yield choices

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = list(STYLE_NAMES).index(self.current) if self.current in STYLE_NAMES else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
