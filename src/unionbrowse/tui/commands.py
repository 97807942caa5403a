"""The command palette (ctrl+p): go to a topic, a source or a metric; change the citation style; toggle the theme.

Names come from the corpus, so they are shown as literal text (``Content``), never parsed as markup, and the
matched characters are highlighted on that literal text.
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
from unionbrowse.tui.text import visible

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library

Command = tuple[str, Callable[[], object], str]  # name, what it does, help


class Reading(Protocol):
    """The screen the palette opened on, as far as the palette needs it."""

    library: Library | None
    filter: Filter | None


class Styling(Protocol):
    citation_style: str

    def action_toggle_theme(self) -> None: ...


def highlighted(matcher: Matcher, name: str) -> Content:
    """``name`` as literal text with the characters the query matched styled, like ``Matcher.highlight`` but
    never reading ``name`` as markup."""
    content = Content(visible(name))
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class UnionBrowseCommands(Provider):
    def _commands(self) -> Iterator[Command]:
        reading = cast(Reading, self.screen)
        app = cast(Styling, self.app)
        library = getattr(reading, "library", None)
        if library is not None:
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
        for key, name in STYLE_NAMES.items():
            yield f"Citation style: {name}", partial(setattr, app, "citation_style", key), "cite"
        yield "Toggle light / dark theme", app.action_toggle_theme, "theme"

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if not name.startswith(("Topic:", "Metric:", "Source:")):
                yield DiscoveryHit(Content(name), callback, text=name, help=visible(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlighted(matcher, name), callback, text=name, help=visible(help_text))
