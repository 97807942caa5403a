"""The command palette (ctrl+p): go to a topic, a source or a metric; change the citation style; toggle the theme."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from unionbrowse.reports.cite import STYLE_NAMES

if TYPE_CHECKING:
    from unionbrowse.tui.app import UnionBrowseApp


class UnionBrowseCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("UnionBrowseApp", self.app)
        commands: list[tuple[str, Callable[[], object], str]] = []
        corpus = app.corpus
        if corpus is not None:
            for topic in corpus.topics.values():
                commands.append((f"Topic: {topic.zh} {topic.en}", partial(app.apply_filter, f"topic:{topic.id}",
                                                                          topic.zh), topic.id))
            for source in corpus.sources.values():
                commands.append((f"Source: {source.outlet or '?'} {source.date} {source.title}",
                                 partial(app.apply_filter, f"source:{source.id}", source.title), source.id))
            for metric in corpus.metrics.values():
                commands.append((f"Metric: {metric.zh} ({metric.key})",
                                 partial(app.apply_filter, f"metric:{metric.key}", metric.zh), metric.en))
        for key, name in STYLE_NAMES.items():
            commands.append((f"Citation style: {name}", partial(app.set_style, key), "cite"))
        commands.append(("Toggle light / dark theme", app.action_toggle_theme, "theme"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if not name.startswith(("Topic:", "Metric:")):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
