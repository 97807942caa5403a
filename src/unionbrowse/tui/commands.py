"""The command palette (ctrl+p): go to a topic, a source or a metric; change the citation style; toggle the theme.

Names come from the corpus, so each is made visible on one line first (``visible_line``), shown as literal text
(``Content``, never parsed as markup) with the matched characters highlighted on it, and its help, which Textual
reads as markup, has every bracket escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from unionbrowse.reports.cite import STYLE_NAMES
from unionbrowse.tui.state import Filter
from unionbrowse.tui.text import literal_markup, visible_line

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library

Command = tuple[str, Callable[[], object], str]  # name (made visible), what it does, help (from the corpus)


class Reading(Protocol):
    """The screen the palette opened on, as far as the palette needs it."""

    library: Library | None
    filter: Filter | None


class Styling(Protocol):
    citation_style: str

    def action_toggle_theme(self) -> None: ...


def highlighted(matcher: Matcher, name: str) -> Content:
    """``name`` (already visible) as literal text with the characters the query matched styled, like
    ``Matcher.highlight`` but never reading ``name`` as markup."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class UnionBrowseCommands(Provider):
    def _commands(self) -> Iterator[Command]:
        for name, callback, help_text in self._corpus_commands():
            yield visible_line(name), callback, help_text
        app = cast(Styling, self.app)
        for key, name in STYLE_NAMES.items():
            yield f"Citation style: {name}", partial(setattr, app, "citation_style", key), "cite"
        yield "Toggle light / dark theme", app.action_toggle_theme, "theme"

    def _corpus_commands(self) -> Iterator[Command]:
        """Go to a topic, a source or a metric: names and help straight from the corpus."""
        reading = cast(Reading, self.screen)
        library = getattr(reading, "library", None)
        if library is None:
            return
        corpus = library.corpus
        choose = partial(setattr, reading, "filter")
        for topic in corpus.topics.values():
            yield (f"Topic: {topic.zh} {topic.en}", partial(choose, Filter(f"topic:{topic.id}", topic.zh)),
                   topic.id)  # fmt: skip
        for source in corpus.sources.values():
            yield (f"Source: {source.outlet_label} {source.date} {source.title}",
                   partial(choose, Filter(f"source:{source.id}", source.title)), source.id)  # fmt: skip
        for metric in corpus.metrics.values():
            yield (f"Metric: {metric.zh} ({metric.key})", partial(choose, Filter(f"metric:{metric.key}", metric.zh)),
                   metric.en)  # fmt: skip

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if not name.startswith(("Topic:", "Metric:", "Source:")):
                yield DiscoveryHit(Content(name), callback, text=name, help=literal_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlighted(matcher, name), callback, text=name, help=literal_markup(help_text))
