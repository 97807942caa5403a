"""The source beside the fact: the clean text, scrolled to the quote, the passage to copy selected.

``[`` and ``]`` shrink and grow the passage by a sentence at its end, ``{`` and ``}`` at its start, so a reader
can cite more (or less) than the curated quote. Offsets are character offsets into the clean text; the text
shown is the clean text itself (or, with ``t``, its character-for-character simplified form), so they hold.
"""

from __future__ import annotations

import bisect

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from unionbrowse.corpus.model import Fact, Source, Span
from unionbrowse.corpus.script import to_simplified
from unionbrowse.search.documents import passages
from unionbrowse.tui.text import visible


class SourceView(TextArea):
    BINDINGS = [
        Binding("right_square_bracket", "grow", "Grow passage", id="grow"),
        Binding("left_square_bracket", "shrink", "Shrink passage", id="shrink"),
        Binding("right_curly_bracket", "grow_back", "Grow back", show=False),
        Binding("left_curly_bracket", "shrink_front", "Shrink front", show=False),
        Binding("c", "copy_passage", "Copy cited", id="copy-passage"),
        Binding("escape", "leave", "Results", show=False),
    ]

    class CopyPassage(Message):
        def __init__(self, text: str, source: Source, converted: bool) -> None:
            super().__init__()
            self.text = text
            self.source = source
            self.converted = converted

    class Leave(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False, id=id)
        self.source: Source | None = None
        self.fact: Fact | None = None  # the fact whose quote opened the source
        self.passage = Span(0, 0)
        self.simplified = False
        self._sentences: list[Span] = []
        self._line_starts: list[int] = [0]

    @property
    def converted(self) -> bool:
        """The passage is shown (and copied) in simplified script though the source is traditional."""
        return self.simplified and self.source is not None and self.source.is_traditional

    @property
    def passage_text(self) -> str:
        if self.source is None:
            return ""
        text = self.source.text[self.passage.start : self.passage.end]
        return to_simplified(text) if self.converted else text

    def show_source(self, source: Source, span: Span) -> None:
        if source is not self.source:
            self.source = source
            self._sentences = [passage.span for passage in passages(source)]
            self._reload()
        self.passage = span
        self._select(center=True)

    def set_simplified(self, simplified: bool) -> None:
        self.simplified = simplified
        if self.source is not None:
            self._reload()
            self._select(center=True)

    def _reload(self) -> None:
        assert self.source is not None
        text = self.source.text
        shown = to_simplified(text) if self.converted else text
        self.load_text(visible(shown))
        self._line_starts = [0]
        for line in text.split("\n")[:-1]:
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)

    def _location(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def _select(self, center: bool = False) -> None:
        # The cursor sits at the passage's start, so scrolling centres where the passage begins: context above.
        self.selection = Selection(self._location(self.passage.end), self._location(self.passage.start))
        self.scroll_cursor_visible(center=center)

    def reveal(self) -> None:
        """Scroll the passage into the middle of the view (after a layout change has given the pane its size)."""
        self.scroll_cursor_visible(center=True)

    def on_resize(self) -> None:
        # Shown for the first time (a narrow screen opening a fact): the text has only now been wrapped to a
        # width, so the place of the passage is only now known.
        if self.source is not None and self.size.width:
            self.call_after_refresh(self.reveal)

    # --- passage ----------------------------------------------------------------------------------------

    def action_grow(self) -> None:
        following = [s.end for s in self._sentences if s.end > self.passage.end]
        if following:
            self.passage = Span(self.passage.start, following[0])
            self._select()

    def action_shrink(self) -> None:
        earlier = [s.end for s in self._sentences if self.passage.start < s.end < self.passage.end]
        if earlier:
            self.passage = Span(self.passage.start, earlier[-1])
            self._select()

    def action_grow_back(self) -> None:
        preceding = [s.start for s in self._sentences if s.start < self.passage.start]
        if preceding:
            self.passage = Span(preceding[-1], self.passage.end)
            self._select()

    def action_shrink_front(self) -> None:
        later = [s.start for s in self._sentences if self.passage.start < s.start < self.passage.end]
        if later:
            self.passage = Span(later[0], self.passage.end)
            self._select()

    def action_copy_passage(self) -> None:
        if self.source is not None and self.passage.end > self.passage.start:
            self.post_message(self.CopyPassage(self.passage_text, self.source, self.converted))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
