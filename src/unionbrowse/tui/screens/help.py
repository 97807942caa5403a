"""The ``?`` screen: every key, where it works and what it does, read from the live bindings.

The table is built from the bindings the app and the screen below declare, with the reader's key map applied,
so it can never fall out of date with the keys (or the remapping in settings.json, by binding id).
"""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

QUERY_HELP = (
    "Queries: 户外劳动者 or 戶外勞動者 · pinyin yizhan / jqzx / 安全shengchan · English legal aid · "
    "typos 技能人材 · numbers 3.24万 3143 · 'exact !not a | b · topic: source: year: scope: metric:"
)
# Where each pane's keys work, by the id of the widget on the main screen.
PANES = {"tree": "tree", "search": "search box", "results": "results", "source": "source"}


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings a node's own classes declare (not those of the Textual widgets they build on)."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("unionbrowse.") and "BINDINGS" in vars(cls):
            found += [b for b in vars(cls)["BINDINGS"] if isinstance(b, Binding) and b not in found]
    return found


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 120; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(keys, where, what it does, binding id) for every key of the app and of the screen below."""
        keymap: dict[str, str] = getattr(getattr(self.app, "settings", None), "keymap", {})
        places: list[tuple[str, DOMNode]] = [("anywhere", self.app), ("main screen", self.below)]
        places += [(name, node) for pane, name in PANES.items() for node in self.below.query(f"#{pane}")]
        rows = []
        for where, node in places:
            for binding in own_bindings(node):
                keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
                shown = " / ".join(self.app.get_key_display(replace(binding, key=key.strip()))
                                   for key in keys.split(","))  # fmt: skip
                rows.append((shown, where, binding.tooltip or binding.description, binding.id or ""))
        return rows

    def compose(self) -> ComposeResult:
        table = Table(title="unionbrowse keys", expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("where", style="dim", no_wrap=True)
        table.add_column("does", ratio=1)
        table.add_column("id (settings.json keymap)", style="dim", no_wrap=True)
        for keys, where, does, binding_id in self.rows():
            table.add_row(Text(keys), Text(where), Text(does), Text(binding_id))
        with VerticalScroll():
            yield Static(table)
            yield Static(QUERY_HELP, markup=False)
