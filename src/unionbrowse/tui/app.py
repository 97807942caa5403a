"""The app: wires the panes, the keys, the workers that load and search, and the user's saved state."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, Label

from unionbrowse.corpus.model import Corpus, Fact
from unionbrowse.corpus.script import to_simplified
from unionbrowse.files import write_atomically
from unionbrowse.reports.cite import STYLE_NAMES, cite_list, cite_passage
from unionbrowse.tui.clipboard import copy_text
from unionbrowse.tui.commands import UnionBrowseCommands
from unionbrowse.tui.screens.compare import CompareScreen
from unionbrowse.tui.screens.help import HelpScreen
from unionbrowse.tui.screens.marked import MarkedScreen
from unionbrowse.tui.screens.style import StyleScreen
from unionbrowse.tui.widgets.fact_card import FactCard
from unionbrowse.tui.widgets.results import ResultList
from unionbrowse.tui.widgets.source_view import SourceView
from unionbrowse.tui.widgets.topic_tree import TopicTree
from unionbrowse.userstate import Settings, data_home, load_state, save_marked, save_settings

if TYPE_CHECKING:  # the loader and the engine (numpy, rapidfuzz) load in the worker, after the first frame
    from unionbrowse.corpus.validate import LoadResult
    from unionbrowse.reports.compare import Comparison
    from unionbrowse.search.finder import FactFinder, FactHit

RESULTS = 30  # results shown for a query: enough to scroll, few enough to redraw within a frame
PREVIEW_DELAY = 0.06  # seconds the highlight rests before the card and source follow it


class SearchBox(Input):
    BINDINGS = [
        Binding("down", "app.focus_results", "Results", show=False),
        Binding("escape", "clear", "Clear", show=False),
    ]

    def action_clear(self) -> None:
        self.value = ""


class UnionBrowseApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere still find it
    TITLE = "unionbrowse"
    COMMANDS = App.COMMANDS | {UnionBrowseCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("q", "quit", "Quit", show=False),
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("s", "choose_style", "Style", id="style"),
        Binding("b", "marked", "Marked", id="marked"),
        Binding("t", "toggle_script", "繁→简", id="script"),
        Binding("m", "compare", "Compare", id="compare"),
        Binding("ctrl+j", "result_down", show=False, priority=True),
        Binding("ctrl+k", "result_up", show=False, priority=True),
    ]

    class Loaded(Message):
        def __init__(self, result: LoadResult | None, finder: FactFinder | None, error: str | None,
                     timings: dict[str, float], comparisons: dict[str, Comparison] | None = None) -> None:  # fmt: skip
            super().__init__()
            self.comparisons = comparisons or {}
            self.result = result
            self.finder = finder
            self.error = error
            self.timings = timings

    class Progress(Message):
        """What the loading worker is doing, for the status line while a large corpus loads."""

        def __init__(self, step: str) -> None:
            super().__init__()
            self.step = step

    class ResultsReady(Message):
        def __init__(self, query: str, hits: list[FactHit], total: int, at_least: bool) -> None:
            super().__init__()
            self.query = query
            self.hits = hits
            self.total = total
            self.at_least = at_least

    def __init__(self, data_dir: Path | None, cache: Path | None = None, blink: bool = True,
                 preview_delay: float = PREVIEW_DELAY) -> None:  # fmt: skip
        self.started = time.perf_counter()
        super().__init__()
        self.blink = blink  # off for snapshots: a blinking cursor makes two screenshots differ
        self.preview_delay = preview_delay  # 0 for tests: the card follows the highlight at once
        self.data_dir = data_dir
        self.cache = cache
        self.corpus: Corpus | None = None
        self.comparisons: dict[str, Comparison] = {}
        self.finder: FactFinder | None = None
        self.filter_query = ""
        self.filter_label = ""
        self.simplified = False
        self.startup_ms: dict[str, float] = {}
        self.refill_ms: list[float] = []  # time to redraw the result list, per search (for bench/)
        state = load_state()
        self.settings: Settings = state.settings
        self.marked: list[str] = state.marked
        self._state_warnings = state.warnings
        self._shown: tuple[int, int] = (0, 0)
        self._at_least = False
        self._preview: Timer | None = None

    # --- layout -------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield TopicTree(id="tree")
            with Vertical(id="middle"):
                yield SearchBox(placeholder="Search: 户外劳动者 · yizhan · legal aid · 3.24万 · topic:… (? for help)",
                                id="search")  # fmt: skip
                yield Label("loading…", id="status", markup=False)
                yield ResultList(id="results")
            with Vertical(id="detail"):
                yield FactCard(id="card")
                yield SourceView(id="source")
        yield Footer()

    def on_mount(self) -> None:
        # The panes of the main screen, kept: a query would search whichever screen (help, marked) is on top.
        self.search_box = self.query_one(SearchBox)
        self.results = self.query_one(ResultList)
        self.card = self.query_one(FactCard)
        self.source_view = self.query_one(SourceView)
        self.status = self.query_one("#status", Label)
        self.topic_tree = self.query_one(TopicTree)
        if not self.blink:
            self.search_box.cursor_blink = False
            self.source_view.cursor_blink = False
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.card.show_message("Type to search; ↓ or enter for the results; ? for every key.")
        self.search_box.focus()
        for warning in self._state_warnings:
            self.notify(warning, severity="warning", markup=False)
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        self.startup_ms["first_frame"] = (time.perf_counter() - self.started) * 1000
        self.log.info(f"start-up: first frame after {self.startup_ms['first_frame']:.0f} ms")
        self.load_corpus()  # only now: importing and loading must not hold up the first frame

    # --- loading ------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self) -> None:
        from unionbrowse.corpus.validate import load
        from unionbrowse.reports.compare import compare_all
        from unionbrowse.search.finder import FactFinder

        timings: dict[str, float] = {}
        begin = time.perf_counter()
        if self.data_dir is None or not self.data_dir.is_dir():
            self.post_message(self.Loaded(None, None, f"no data folder at {self.data_dir}", timings))
            return
        result = load(self.data_dir, self._report_progress)
        timings["corpus"] = (time.perf_counter() - begin) * 1000
        middle = time.perf_counter()
        self.post_message(self.Progress(f"opening the search index for {len(result.corpus.facts):,} facts "
                                        "(built once, then cached)"))  # fmt: skip
        finder = FactFinder(result.corpus, root=self.cache)
        timings["index"] = (time.perf_counter() - middle) * 1000
        comparisons = {c.metric.key: c for c in compare_all(result.corpus)}
        self.post_message(self.Loaded(result, finder, None, timings, comparisons))

    def _report_progress(self, step: str) -> None:
        self.post_message(self.Progress(step))  # from the worker thread: post_message is thread-safe

    def on_union_browse_app_progress(self, message: Progress) -> None:
        if self.finder is None:
            self.status.update(Text(message.step + "…"))

    def on_union_browse_app_loaded(self, message: Loaded) -> None:
        self.startup_ms.update(message.timings)
        if message.result is None or message.finder is None:
            self.status.update(Text(message.error or "nothing to show"))
            self.card.show_message(
                f"{message.error}. Pass --data DIR or set UNIONBROWSE_DATA to a folder in the unionbrowse format."
            )
            return
        self.corpus = message.result.corpus
        self.finder = message.finder
        self.comparisons = message.comparisons
        known = {fact.id for fact in self.corpus.facts}
        self.marked = [fact_id for fact_id in self.marked if fact_id in known]
        self.topic_tree.populate(self.corpus, {key for key, c in self.comparisons.items() if c.conflicts})
        self.startup_ms["ready"] = (time.perf_counter() - self.started) * 1000
        # The corpus and index live as long as the app: keep the garbage collector from rescanning them
        # mid-keystroke (a full collection over them costs tens of milliseconds).
        gc.collect()
        gc.freeze()
        self.log.info("start-up (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in self.startup_ms.items()))
        if message.result.errors:
            self.notify(f"{len(message.result.errors)} problem(s) in the data folder {self.data_dir}: showing "
                        "what is valid. Run `unionbrowse check` for each file and line.",
                        severity="warning", timeout=10, markup=False)  # fmt: skip
        self.start_search(self.search_box.value)

    # --- searching ----------------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.start_search(event.value)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        results = self.results
        if results.current is not None:
            self._open(results.current)

    def start_search(self, text: str) -> None:
        if self.finder is not None:
            self.run_search(text, self.filter_query)

    @work(exclusive=True, group="search")
    async def run_search(self, text: str, filters: str) -> None:
        # An async worker on the app's own loop, not a thread: the engine answers in milliseconds, while a
        # thread would wait on the interpreter lock behind every redraw. Yielding first lets a newer
        # keystroke cancel this search before it starts (exclusive workers replace one another).
        await asyncio.sleep(0)
        assert self.finder is not None
        found = self.finder.results(f"{text} {filters}".strip(), limit=RESULTS)
        self.post_message(self.ResultsReady(text, found.hits, found.total, found.at_least))

    def on_union_browse_app_results_ready(self, message: ResultsReady) -> None:
        if message.query != self.search_box.value:
            return  # typed on since: a newer search is coming
        results = self.results
        begin = time.perf_counter()
        results.show_hits(message.hits, set(self.marked))
        self.refill_ms.append((time.perf_counter() - begin) * 1000)
        self._shown = (len(message.hits), message.total)
        self._at_least = message.at_least
        self._update_status()
        if not message.hits:
            self.card.show_message("No fact matches. Try fewer characters, pinyin, or --text in the CLI.")

    def _update_status(self) -> None:
        shown, total = self._shown
        parts = [f"{shown} of {total}{'+' if self._at_least else ''} facts" if total > shown else f"{total} facts"]
        if self.filter_label:
            parts.append(f"filter: {self.filter_label} ({self.filter_query})")
        parts.append(f"cite: {STYLE_NAMES.get(self.settings.style, self.settings.style)}")
        if self.marked:
            parts.append(f"marked: {len(self.marked)}")
        if self.simplified:
            parts.append("繁→简")
        self.status.update(Text(" · ".join(parts)))

    def apply_filter(self, query: str, label: str) -> None:
        self.filter_query, self.filter_label = (query, label) if query else ("", "")
        self.start_search(self.search_box.value)
        self._update_status()

    @on(TopicTree.FilterChosen)
    def _filter_chosen(self, message: TopicTree.FilterChosen) -> None:
        self.apply_filter(message.query, message.label)

    # --- reading ------------------------------------------------------------------------------------------

    @on(ResultList.Show)
    def _show(self, message: ResultList.Show) -> None:
        # The list redraws at once; the card and the source follow when the highlight rests (a long article
        # takes longer to lay out than a keystroke should).
        if self._preview is not None:
            self._preview.stop()
        if self.preview_delay <= 0:
            self._show_fact(message.fact)
        else:
            self._preview = self.set_timer(self.preview_delay, partial(self._show_fact, message.fact))

    @on(ResultList.Open)
    def _open_message(self, message: ResultList.Open) -> None:
        self._open(message.fact)

    def _show_fact(self, fact: Fact) -> None:
        if self.corpus is None or not self.card.is_attached:
            return  # a preview due as the app closes
        comparison = self.comparisons.get(fact.metric or "")
        others = [d for d in comparison.differences if fact in (d.first.fact, d.second.fact)] if comparison else []
        self.card.show_fact(fact, self.corpus, others)
        self.source_view.show_source(fact.source, fact.span)
        self.source_view.fact = fact

    def _open(self, fact: Fact) -> None:
        if self._preview is not None:
            self._preview.stop()
        self._show_fact(fact)
        self.screen.add_class("-reading")
        source = self.source_view
        source.focus()
        self.call_after_refresh(source.reveal)  # on a narrow screen the pane has only now been given a size

    @on(SourceView.Leave)
    def _leave_source(self) -> None:
        self.screen.remove_class("-reading")
        self.results.focus()

    @on(ResultList.Leave)
    def _leave_results(self) -> None:
        self.search_box.focus()

    # --- copying ------------------------------------------------------------------------------------------

    @on(ResultList.Copy)
    def _copy_fact(self, message: ResultList.Copy) -> None:
        fact = message.fact
        converted = self.simplified and fact.source.is_traditional
        quote = to_simplified(fact.quote) if converted else fact.quote
        if message.cited:
            text = cite_passage(quote, fact.source, self.settings.style, fact_id=fact.id, converted=converted)
            what = f"quote with {STYLE_NAMES[self.settings.style]} citation"
        else:
            text, what = quote, "quote"
        self._copy(text, what)

    @on(SourceView.CopyPassage)
    def _copy_passage(self, message: SourceView.CopyPassage) -> None:
        text = cite_passage(message.text, message.source, self.settings.style, converted=message.converted)
        self._copy(text, f"passage with {STYLE_NAMES[self.settings.style]} citation")

    def _copy(self, text: str, what: str) -> None:
        copied = copy_text(self, text)
        self.notify(f"Copied {what} ({len(text)} characters): {copied.describe()}", title="Copied", markup=False)

    # --- marks ----------------------------------------------------------------------------------------------

    @on(ResultList.ToggleMark)
    def _toggle_mark(self, message: ResultList.ToggleMark) -> None:
        fact_id = message.fact.id
        if fact_id in self.marked:
            self.marked.remove(fact_id)
        else:
            self.marked.append(fact_id)
        self._marks_changed()

    def _marks_changed(self) -> None:
        self._save("the marked list", partial(save_marked, self.marked))
        self.results.refresh_marks(set(self.marked))
        self._update_status()

    def _save(self, what: str, write: Callable[[], None]) -> None:
        """Save a user file; a full or read-only disk is reported, never fatal."""
        try:
            write()
        except OSError as error:
            self.notify(f"Could not save {what}: {error}", severity="error", markup=False)

    def action_marked(self) -> None:
        if self.corpus is None:
            return
        facts = [fact for fact_id in self.marked if (fact := self.corpus.fact(fact_id)) is not None]
        self.push_screen(MarkedScreen(facts))

    @on(MarkedScreen.Changed)
    def _marked_changed(self, message: MarkedScreen.Changed) -> None:
        self.marked = list(message.marked)
        self._marks_changed()

    @on(MarkedScreen.CopyAll)
    def _copy_marked(self, message: MarkedScreen.CopyAll) -> None:
        self._copy(self._cited_list(message.facts, self.settings.style),
                   f"{len(message.facts)} marked facts as a numbered {STYLE_NAMES[self.settings.style]} list")

    @on(MarkedScreen.Export)
    def _export_marked(self, message: MarkedScreen.Export) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = data_home() / "exports" / f"marked-{stamp}.md"
        content = f"# Marked facts ({len(message.facts)})\n\n" + self._cited_list(message.facts, "markdown") + "\n"
        try:
            write_atomically(path, content)
        except OSError as error:
            self.notify(f"Could not export: {error}", severity="error", markup=False)
            return
        self.notify(f"Exported {len(message.facts)} facts to {path}", title="Exported", markup=False)

    def _cited_list(self, facts: list[Fact], style: str) -> str:
        return cite_list([(fact.quote, fact.source) for fact in facts], style)

    # --- actions --------------------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.screen.remove_class("-reading")
        self.search_box.focus()

    def action_focus_results(self) -> None:
        results = self.results
        results.focus()
        if results.highlighted is None and results.hits:
            results.highlighted = 0

    def action_result_down(self) -> None:
        self.results.action_cursor_down()

    def action_result_up(self) -> None:
        self.results.action_cursor_up()

    def action_compare(self) -> None:
        fact = self.source_view.fact if self.focused is self.source_view else self.results.current
        fact = fact or self.results.current
        comparison = self.comparisons.get(fact.metric or "") if fact else None
        if comparison is None:
            self.notify("This fact's figure is reported by no other source.", markup=False)
            return
        self.push_screen(CompareScreen(comparison))

    @on(CompareScreen.CopyTable)
    def _copy_comparison(self, message: CompareScreen.CopyTable) -> None:
        from unionbrowse.reports.export import comparison_markdown

        self._copy(comparison_markdown(message.comparison, self.settings.style),
                   f"comparison table for {message.comparison.metric.key} (Markdown, with citations)")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_choose_style(self) -> None:
        self.push_screen(StyleScreen(self.settings.style), self._style_chosen)

    def _style_chosen(self, style: str | None) -> None:
        if style:
            self.set_style(style)

    def set_style(self, style: str) -> None:
        self.settings.style = style
        self._save_settings()
        self._update_status()
        self.notify(f"Citation style: {STYLE_NAMES[style]}", markup=False)

    def action_toggle_script(self) -> None:
        self.simplified = not self.simplified
        self.source_view.set_simplified(self.simplified)
        self._update_status()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"
        self.settings.theme = self.theme
        self._save_settings()

    def _save_settings(self) -> None:
        self._save("settings", partial(save_settings, self.settings))
