"""The app: the main screen, the keys that work everywhere, and what the reader keeps between runs.

It owns the reader's state that outlives a screen (the marks and the citation style, as reactives saved when
they change; the theme and the key map, from the settings file) and the one way to copy. Everything about the
corpus lives on the main screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.theme import Theme
from textual.worker import Worker

from unionbrowse.corpus.model import Fact
from unionbrowse.reports.cite import STYLE_NAMES, cite_list
from unionbrowse.tui.clipboard import Copied, to_system, to_terminal
from unionbrowse.tui.commands import UnionBrowseCommands
from unionbrowse.tui.screens.main import PREVIEW_DELAY, MainScreen
from unionbrowse.tui.workers import report_failure
from unionbrowse.untrusted import for_clipboard, for_terminal, for_terminal_line
from unionbrowse.userstate import load_state, save_export, save_marked, save_settings

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library
    from unionbrowse.tui.screens.compare import CompareScreen
    from unionbrowse.tui.screens.main import LibraryLoader
    from unionbrowse.tui.screens.marked import MarkedScreen


class UnionBrowseApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere still find it
    TITLE = "unionbrowse"
    COMMANDS = App.COMMANDS | {UnionBrowseCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", tooltip="quit"),
        Binding("q", "quit", "Quit", show=False, id="quit-q", tooltip="quit (not while typing)"),
        Binding("question_mark", "help", "Help", id="help", tooltip="every key"),
        Binding("s", "choose_style", "Style", id="style", tooltip="choose the citation style (remembered)"),
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True, id="palette",
                tooltip="command palette: go to a topic, source or metric; citation style; theme"),
    ]

    marks: reactive[tuple[str, ...]] = reactive(())  # marked fact ids, in the reader's order; saved on change
    citation_style: reactive[str] = reactive("gbt7714")  # saved on change

    def __init__(self, library: Library | LibraryLoader | Path | None, *, blink: bool = True,
                 preview_delay: float = PREVIEW_DELAY) -> None:  # fmt: skip
        """``library``: an open library (tests share one), a loader, or the data folder to open."""
        self.started = time.perf_counter()
        super().__init__()
        self.open_library: LibraryLoader
        if library is None or isinstance(library, Path):
            self.open_library = partial(_open_folder, library)
        elif callable(library):
            self.open_library = library
        else:
            self.open_library = lambda progress, opened=library: opened  # type: ignore[misc]
        self.blink = blink
        self.preview_delay = preview_delay
        state = load_state()
        self.settings = state.settings
        self._warnings = state.warnings
        self._marks_seen = tuple(state.marked)  # the list as last read or written: saving merges from it
        self.set_reactive(UnionBrowseApp.marks, tuple(state.marked))
        self.set_reactive(UnionBrowseApp.citation_style, state.settings.style)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.open_library, blink=self.blink, preview_delay=self.preview_delay)

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for warning in self._warnings:
            self.notify(warning, severity="warning", markup=False)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:  # fmt: skip
        """Every notification, from any screen or widget, as literal visible text: messages quote file names,
        paths and errors that may hold escape sequences or markup (``markup`` is accepted and ignored)."""
        super().notify(for_terminal(message), title=for_terminal_line(title), severity=severity, timeout=timeout,
                       markup=False)  # fmt: skip

    # --- the reader's state, saved as it changes ------------------------------------------------------------

    def watch_marks(self, marks: tuple[str, ...]) -> None:
        self._save("the marked list", partial(self._save_marks, marks))

    def _save_marks(self, marks: tuple[str, ...]) -> None:
        """Save this instance's changes to the marks; another instance's, found in the file, join them."""
        saved = tuple(save_marked(marks, seen=self._marks_seen))
        self._marks_seen = saved
        if saved != marks:
            self.marks = saved  # saved again at once: an unchanged list writes nothing

    def watch_citation_style(self, style: str) -> None:
        if style != self.settings.style:
            self.settings.style = style
            self._save("settings", partial(save_settings, self.settings, changed=("style",)))
            self.notify(f"Citation style: {STYLE_NAMES[style]}", markup=False)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:
            self.settings.theme = theme.name
            self._save("settings", partial(save_settings, self.settings, changed=("theme",)))

    def _save(self, what: str, write: partial[None]) -> None:
        """Save a user file; a full or read-only disk (or another instance holding the lock) is reported, never
        fatal."""
        try:
            write()
        except OSError as error:
            self.notify(f"Could not save {what}: {error}", severity="error", markup=False)

    # --- copying ------------------------------------------------------------------------------------------

    def copy(self, text: str, what: str) -> None:
        """Copy through the terminal at once, then the system clipboard (or a file) in a worker thread. The text
        comes from the corpus: its controls are removed (a pasted ESC or bidi override would act wherever it is
        pasted), and ``what`` is told in a notification, so it is made visible."""
        text = for_clipboard(text)
        self._copy_to_system(text, for_terminal_line(what), to_terminal(self, text))

    @work(thread=True, group="clipboard", exit_on_error=False, description="Copying")
    def _copy_to_system(self, text: str, what: str, copied: Copied) -> None:
        done = to_system(text, copied)
        if done.failure:
            self.call_from_thread(self.notify, f"Could not copy {what}: {done.describe()}", title="Not copied",
                                  severity="error", markup=False)  # fmt: skip
            return
        self.call_from_thread(self.notify, f"Copied {what} ({len(text)} characters): {done.describe()}",
                              title="Copied", markup=False)  # fmt: skip

    def cited_list(self, facts: list[Fact], style: str) -> str:
        return cite_list([(fact.quote, fact.source) for fact in facts], style)

    # The screens that send these are imported when first shown, so their messages are handled by name.

    def on_marked_screen_copy_all_requested(self, message: MarkedScreen.CopyAllRequested) -> None:
        self.copy(self.cited_list(message.facts, self.citation_style),
                  f"{len(message.facts)} marked facts as a numbered {STYLE_NAMES[self.citation_style]} list")

    def on_marked_screen_export_requested(self, message: MarkedScreen.ExportRequested) -> None:
        content = f"# Marked facts ({len(message.facts)})\n\n" + self.cited_list(message.facts, "markdown") + "\n"
        try:
            path = save_export("marked", content)
        except OSError as error:
            self.notify(f"Could not export: {error}", severity="error", markup=False)
            return
        self.notify(f"Exported {len(message.facts)} facts to {path}", title="Exported", markup=False)

    def on_marked_screen_reordered(self, message: MarkedScreen.Reordered) -> None:
        self.marks = message.marks

    def on_compare_screen_table_copy_requested(self, message: CompareScreen.TableCopyRequested) -> None:
        from unionbrowse.reports.export import comparison_markdown

        self.copy(comparison_markdown(message.comparison, self.citation_style),
                  f"comparison table for {message.comparison.metric.key} (Markdown, with citations)")

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    # --- actions ------------------------------------------------------------------------------------------

    def action_help(self) -> None:
        from unionbrowse.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_choose_style(self) -> None:
        from unionbrowse.tui.screens.style import StyleScreen

        self.push_screen(StyleScreen(self.citation_style), self._style_chosen)

    def _style_chosen(self, style: str | None) -> None:
        if style:
            self.citation_style = style

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def _open_folder(data_dir: Path | None, progress: Callable[[str], None]) -> Library:
    from unionbrowse.library import Library

    return Library.open(data_dir, progress=progress)
