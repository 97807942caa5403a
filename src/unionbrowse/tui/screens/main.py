"""The main screen: the tree, the search box and results, the fact card above its source.

It holds the reading state as reactives (the library, the filter, the script, the fact being read, the counts),
pushes it down to the widgets with ``data_bind``, and reacts to what they say happened. Loading, searching and
finding conflicts run in workers that only post messages.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import Worker

from unionbrowse.corpus.model import Fact
from unionbrowse.corpus.script import to_simplified
from unionbrowse.reports.cite import STYLE_NAMES, cite_passage
from unionbrowse.search.query import parse as parse_query
from unionbrowse.tui.messages import (
    ConflictsFound,
    LibraryOpened,
    LibraryUnavailable,
    LoadProgressed,
    ResultsFound,
)
from unionbrowse.tui.state import Counts, Filter, SharedState
from unionbrowse.tui.widgets.fact_card import FactCard
from unionbrowse.tui.widgets.results import ResultList
from unionbrowse.tui.widgets.search_box import SearchBox
from unionbrowse.tui.widgets.source_view import SourceView
from unionbrowse.tui.widgets.status_line import StatusLine
from unionbrowse.tui.widgets.topic_tree import TopicTree
from unionbrowse.tui.workers import report_failure

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library

    LibraryLoader = Callable[[Callable[[str], None]], Library]  # opens the library, telling what it is doing

RESULTS = 30  # results shown for a query: enough to scroll, few enough to redraw within a frame
PREVIEW_DELAY = 0.06  # seconds the highlight rests before the card and source follow it
PLACEHOLDER = "Search: 户外劳动者 · yizhan · legal aid · 3.24万 · topic:… (? for help)"
START_HINT = "Type to search; ↓ or enter for the results; ? for every key."


class MainScreen(Screen[None]):
    AUTO_FOCUS = "#search"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search", tooltip="type a query (from anywhere)"),
        Binding("b", "marked", "Marked", id="marked",
                tooltip="the marked list: reorder, remove, copy all as a cited list, export"),
        Binding("t", "toggle_script", "繁→简", id="script",
                tooltip="show a traditional-script source in simplified (citations say so)"),
        Binding("m", "compare", "Compare", id="compare",
                tooltip="the fact's figure across sources: periods, scopes, chart, conflicts"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="next-pane", tooltip="the next pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="previous-pane",
                tooltip="the previous pane"),
        Binding("ctrl+j", "result_down", "Next result", show=False, priority=True, id="next-result",
                tooltip="the next result, from anywhere"),
        Binding("ctrl+k", "result_up", "Previous result", show=False, priority=True, id="previous-result",
                tooltip="the previous result, from anywhere"),
    ]  # fmt: skip

    library: reactive[Library | None] = reactive(None)
    progress: reactive[str] = reactive("loading…")
    filter: reactive[Filter | None] = reactive(None)
    simplified: reactive[bool] = reactive(False)
    reading: reactive[Fact | None] = reactive(None)  # the fact in the card, its quote selected in the source
    counts: reactive[Counts | None] = reactive(None)
    conflicts: reactive[frozenset[str] | None] = reactive(None)  # None: not looked for yet
    marks: reactive[tuple[str, ...]] = reactive(())  # mirrors the app's, for the widgets to bind
    citation_style: reactive[str] = reactive("gbt7714")

    def __init__(self, open_library: LibraryLoader, *, blink: bool = True,
                 preview_delay: float = PREVIEW_DELAY) -> None:  # fmt: skip
        super().__init__()
        self.open_library = open_library
        self.blink = blink  # off for snapshots: a blinking cursor makes two screenshots differ
        self.preview_delay = preview_delay  # 0 for tests: the card follows the highlight at once
        self.startup_ms: dict[str, float] = {}
        self._preview: Timer | None = None

    @property
    def shared(self) -> SharedState:
        return cast(SharedState, self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield TopicTree(id="tree").data_bind(MainScreen.library, MainScreen.conflicts)
            with Vertical(id="middle"):
                yield SearchBox(placeholder=PLACEHOLDER, id="search")
                yield StatusLine(id="status").data_bind(
                    MainScreen.progress, MainScreen.counts, MainScreen.filter, MainScreen.citation_style,
                    MainScreen.marks, MainScreen.simplified)  # fmt: skip
                yield ResultList(id="results").data_bind(MainScreen.marks)
            with Vertical(id="detail"):
                yield FactCard(id="card").data_bind(MainScreen.library, fact=MainScreen.reading)
                yield SourceView(id="source").data_bind(MainScreen.simplified)
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "marks", partial(setattr, self, "marks"))
        self.watch(self.app, "citation_style", partial(setattr, self, "citation_style"))
        if not self.blink:
            self.query_one(SearchBox).cursor_blink = False
            self.query_one(SourceView).cursor_blink = False
        self.query_one(FactCard).message = START_HINT
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        # Focus again now the first layout is done: a pane hidden by a breakpoint on the way gives focus away.
        self.query_one(SearchBox).focus()
        self.startup_ms["first_frame"] = (time.perf_counter() - self.shared.started) * 1000
        self.log.info(f"start-up: first frame after {self.startup_ms['first_frame']:.0f} ms")
        self.load_library()  # only now: importing and loading must not hold up the first frame

    # --- loading ------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Opening the library")
    def load_library(self) -> None:
        from unionbrowse.library import LibraryError

        def progress(step: str) -> None:
            self.post_message(LoadProgressed(step))

        try:
            library = self.open_library(progress)
        except LibraryError as error:
            self.post_message(LibraryUnavailable(str(error)))
            return
        self.post_message(LoadProgressed(f"opening the search index for {len(library.corpus.facts):,} facts"))
        library.fact_finder  # noqa: B018 - opened (or built) here, in the worker, not on the first keystroke
        self.post_message(LibraryOpened(library))

    def on_load_progressed(self, message: LoadProgressed) -> None:
        if self.library is None:
            self.progress = message.step + "…"

    def on_library_unavailable(self, message: LibraryUnavailable) -> None:
        self.progress = message.reason
        self.query_one(FactCard).message = (f"{message.reason}. Pass --data DIR or set UNIONBROWSE_DATA to a folder "
                                            "in the unionbrowse format.")  # fmt: skip

    def on_library_opened(self, message: LibraryOpened) -> None:
        library = message.library
        self.library = library
        self.progress = ""
        self.startup_ms["ready"] = (time.perf_counter() - self.shared.started) * 1000
        self.startup_ms.update({f"library.{k}": v * 1000 for k, v in library.timings.items()})
        self.log.info("start-up (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in self.startup_ms.items()))
        # The library lives as long as the app: keep the garbage collector from rescanning it mid-keystroke.
        gc.collect()
        gc.freeze()
        if library.errors:
            self.notify(f"{len(library.errors)} problem(s) in the data folder {library.data_dir}: showing what is "
                        "valid. Run `unionbrowse check` for each file and line.", severity="warning", timeout=10,
                        markup=False)  # fmt: skip
        self.start_search()

    @work(thread=True, exclusive=True, group="conflicts", exit_on_error=False, description="Finding conflicts")
    def find_conflicts(self, library: Library) -> None:
        self.post_message(ConflictsFound(library.conflicted_metrics()))

    def on_conflicts_found(self, message: ConflictsFound) -> None:
        self.conflicts = message.metrics

    @on(TopicTree.MetricsOpened)
    def _metrics_opened(self) -> None:
        if self.library is not None and self.conflicts is None:
            self.find_conflicts(self.library)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    # --- searching ----------------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self) -> None:
        self.start_search()

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        if (fact := self.query_one(ResultList).current) is not None:
            self._open(fact)

    def watch_filter(self) -> None:
        self.start_search()

    def start_search(self) -> None:
        if self.library is not None:
            query = self.query_one(SearchBox).value
            self.run_search(self.library, query, f"{query} {self.filter.query if self.filter else ''}".strip())

    @work(exclusive=True, group="search", exit_on_error=False, description="Searching")
    async def run_search(self, library: Library, typed: str, query: str) -> None:
        # An async worker on the app's own loop, not a thread: the engine answers in milliseconds, while a
        # thread would wait on the interpreter lock behind every redraw. Yielding first lets a newer
        # keystroke cancel this search before it starts (exclusive workers replace one another).
        await asyncio.sleep(0)
        self.post_message(ResultsFound(typed, library.fact_finder.results(query, limit=RESULTS)))

    def on_results_found(self, message: ResultsFound) -> None:
        if message.query != self.query_one(SearchBox).value:
            return  # typed on since: a newer search is coming
        found = message.results
        self.query_one(ResultList).hits = found.hits
        typed = parse_query(message.query)
        ignored = typed.ignored if typed.has_nothing_to_search else ()
        self.counts = Counts(len(found.hits), found.total, found.at_least, ignored)
        if not found.hits:
            self.reading = None
            self.query_one(FactCard).message = "No fact matches. Try fewer characters, pinyin, or --text in the CLI."

    @on(TopicTree.FilterChosen)
    def _filter_chosen(self, message: TopicTree.FilterChosen) -> None:
        self.filter = message.filter

    # --- reading ------------------------------------------------------------------------------------------

    @on(ResultList.Highlighted)
    def _highlighted(self, message: ResultList.Highlighted) -> None:
        # The list redraws at once; the card and the source follow when the highlight rests (a long article
        # takes longer to lay out than a keystroke should).
        if self._preview is not None:
            self._preview.stop()
        if self.preview_delay <= 0:
            self.reading = message.fact
        else:
            self._preview = self.set_timer(self.preview_delay, partial(setattr, self, "reading", message.fact))

    @on(ResultList.Opened)
    def _opened(self, message: ResultList.Opened) -> None:
        self._open(message.fact)

    def watch_reading(self, fact: Fact | None) -> None:
        if fact is not None:
            self.query_one(SourceView).passage = fact.passage

    def _open(self, fact: Fact) -> None:
        if self._preview is not None:
            self._preview.stop()
        self.reading = fact
        self.add_class("-reading")
        source = self.query_one(SourceView)
        source.focus()
        self.call_after_refresh(source.reveal)  # on a narrow screen the pane has only now been given a size

    @on(SourceView.Left)
    def _left_source(self) -> None:
        self.remove_class("-reading")
        self.query_one(ResultList).focus()

    @on(ResultList.Left)
    def _left_results(self) -> None:
        self.query_one(SearchBox).focus()

    # --- copying and marking ------------------------------------------------------------------------------

    @on(ResultList.CopyRequested)
    def _copy_fact(self, message: ResultList.CopyRequested) -> None:
        fact = message.fact
        converted = self.simplified and fact.source.is_traditional
        quote = to_simplified(fact.quote) if converted else fact.quote
        if message.cited:
            text = cite_passage(quote, fact.source, self.citation_style, fact_id=fact.id, converted=converted)
            self.shared.copy(text, f"quote with {STYLE_NAMES[self.citation_style]} citation")
        else:
            self.shared.copy(quote, "quote")

    @on(SourceView.PassageCopyRequested)
    def _copy_passage(self, message: SourceView.PassageCopyRequested) -> None:
        text = cite_passage(message.text, message.source, self.citation_style, converted=message.converted)
        self.shared.copy(text, f"passage with {STYLE_NAMES[self.citation_style]} citation")

    @on(ResultList.MarkToggled)
    def _mark_toggled(self, message: ResultList.MarkToggled) -> None:
        fact_id = message.fact.id
        marks = self.marks
        self.shared.marks = tuple(m for m in marks if m != fact_id) if fact_id in marks else (*marks, fact_id)

    # --- actions ------------------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.remove_class("-reading")
        self.query_one(SearchBox).focus()

    def action_focus_results(self) -> None:
        results = self.query_one(ResultList)
        results.focus()
        if results.highlighted is None and results.hits:
            results.highlighted = 0

    def action_result_down(self) -> None:
        self.query_one(ResultList).action_cursor_down()

    def action_result_up(self) -> None:
        self.query_one(ResultList).action_cursor_up()

    def action_toggle_script(self) -> None:
        self.simplified = not self.simplified

    def action_marked(self) -> None:
        from unionbrowse.tui.screens.marked import MarkedScreen

        if self.library is not None:
            library = self.library
            facts = [fact for fact_id in self.marks if (fact := library.fact(fact_id)) is not None]
            # Marks of facts this folder lacks (made on another data folder, or in a fact file that does not load
            # now) are kept, never dropped: the reader gets them back when that folder opens again.
            others = tuple(fact_id for fact_id in self.marks if library.fact(fact_id) is None)
            self.app.push_screen(MarkedScreen(facts, others))

    def action_compare(self) -> None:
        from unionbrowse.tui.screens.compare import CompareScreen

        fact = self.reading if self.focused is self.query_one(SourceView) else self.query_one(ResultList).current
        fact = fact or self.query_one(ResultList).current
        comparison = self.library.comparison(fact.metric) if self.library is not None and fact else None
        if comparison is None or not comparison.is_shared:
            self.notify("This fact's figure is reported by no other source.", markup=False)
            return
        self.app.push_screen(CompareScreen(comparison))
