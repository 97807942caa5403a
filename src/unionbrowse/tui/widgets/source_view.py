"""The source beside the fact: the clean text, scrolled to the quote, the passage to copy selected.

``[`` and ``]`` shrink and grow the passage by a sentence at its end, ``{`` and ``}`` at its start, so a reader
can cite more (or less) than the curated quote. Offsets are character offsets into the clean text; the text
shown is the clean text itself (or, with ``t``, its character-for-character simplified form), so they hold.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from unionbrowse.corpus.model import Passage, Source, Span
from unionbrowse.corpus.script import to_simplified
from unionbrowse.search.documents import passages
from unionbrowse.tui.text import visible


class SourceView(TextArea):
    BINDINGS = [
        Binding("right_square_bracket", "grow", "Grow passage", id="grow", tooltip="take in the next sentence"),
        Binding("left_square_bracket", "shrink", "Shrink passage", id="shrink", tooltip="drop the last sentence"),
        Binding("right_curly_bracket", "grow_back", "Grow back", show=False, id="grow-back",
                tooltip="take in the sentence before"),
        Binding("left_curly_bracket", "shrink_front", "Shrink front", show=False, id="shrink-front",
                tooltip="drop the first sentence"),
        Binding("c", "copy_passage", "Copy cited", id="copy-passage", tooltip="copy the passage with its citation"),
        Binding("escape", "leave", "Results", show=False, tooltip="back to the results"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    SourceView, SourceView:focus { height: 1fr; border: none; }
    """

    passage: reactive[Passage | None] = reactive(None)  # the stretch of a source that is selected, to copy
    simplified: reactive[bool] = reactive(False)  # bound from the screen: show a traditional source simplified

    @dataclass
    class PassageCopyRequested(Message):
        """The reader asked for the selected passage with its citation."""

        source_view: SourceView
        text: str  # as shown: in simplified script when ``converted``
        source: Source
        converted: bool

        @property
        def control(self) -> SourceView:
            return self.source_view

    @dataclass
    class Left(Message):
        """Escape: the reader went back to the results."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False, id=id)
        self._shown: tuple[Source, bool] | None = None  # the text loaded now: which source, in which script
        self._sentences: list[Span] = []
        self._line_starts: list[int] = [0]

    @property
    def source(self) -> Source | None:
        """The source shown."""
        return self.passage.source if self.passage is not None else None

    @property
    def converted(self) -> bool:
        """The passage is shown (and copied) in simplified script though the source is traditional."""
        return self.simplified and self.passage is not None and self.passage.source.is_traditional

    @property
    def passage_text(self) -> str:
        if self.passage is None:
            return ""
        return to_simplified(self.passage.text) if self.converted else self.passage.text

    def watch_passage(self, passage: Passage | None) -> None:
        if passage is not None:
            self._show(passage.source, center=True)

    def watch_simplified(self) -> None:
        if self.passage is not None:
            self._show(self.passage.source, center=True)

    def _show(self, source: Source, center: bool) -> None:
        if self._shown != (source, self.converted):
            self._shown = (source, self.converted)
            self._sentences = [passage.span for passage in passages(source)]
            self.load_text(visible(to_simplified(source.text) if self.converted else source.text))
            self._line_starts = [0]
            for line in source.text.split("\n")[:-1]:
                self._line_starts.append(self._line_starts[-1] + len(line) + 1)
        self._select(center)

    def _location(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def _select(self, center: bool = False) -> None:
        # The cursor sits at the passage's start, so scrolling centres where the passage begins: context above.
        assert self.passage is not None
        span = self.passage.span
        self.selection = Selection(self._location(span.end), self._location(span.start))
        self.scroll_cursor_visible(center=center)

    def reveal(self) -> None:
        """Scroll the passage into the middle of the view (after a layout change has given the pane its size)."""
        self.scroll_cursor_visible(center=True)

    def on_resize(self) -> None:
        # Shown for the first time (a narrow screen opening a fact): the text has only now been wrapped to a
        # width, so the place of the passage is only now known.
        if self.passage is not None and self.size.width:
            self.call_after_refresh(self.reveal)

    # --- the passage ------------------------------------------------------------------------------------

    def _resize_passage(self, start: int | None = None, end: int | None = None) -> None:
        if self.passage is None:
            return
        span = self.passage.span
        new = Span(span.start if start is None else start, span.end if end is None else end)
        self.set_reactive(SourceView.passage, Passage(self.passage.source, new, self.passage.section))
        self._select()

    def action_grow(self) -> None:
        if self.passage is not None:
            following = [s.end for s in self._sentences if s.end > self.passage.span.end]
            if following:
                self._resize_passage(end=following[0])

    def action_shrink(self) -> None:
        if self.passage is not None:
            span = self.passage.span
            earlier = [s.end for s in self._sentences if span.start < s.end < span.end]
            if earlier:
                self._resize_passage(end=earlier[-1])

    def action_grow_back(self) -> None:
        if self.passage is not None:
            preceding = [s.start for s in self._sentences if s.start < self.passage.span.start]
            if preceding:
                self._resize_passage(start=preceding[-1])

    def action_shrink_front(self) -> None:
        if self.passage is not None:
            span = self.passage.span
            later = [s.start for s in self._sentences if span.start < s.start < span.end]
            if later:
                self._resize_passage(start=later[0])

    def action_copy_passage(self) -> None:
        if self.passage is not None and self.passage.span.end > self.passage.span.start:
            self.post_message(self.PassageCopyRequested(self, self.passage_text, self.passage.source, self.converted))

    def action_leave(self) -> None:
        self.post_message(self.Left())
