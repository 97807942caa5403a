"""The left pane: topics with their fact counts, the sources by outlet and date, and the metrics to compare.

Counts come from the corpus's columns, and an outlet's sources are added when it is opened, so the tree is
ready at once however many sources the corpus holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from unionbrowse.corpus.model import Corpus
from unionbrowse.tui.state import Filter
from unionbrowse.tui.text import safe_line

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library


@dataclass(frozen=True)
class _Outlet:
    """An outlet's node before it is opened: the sources to add then, newest first."""

    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Metrics:
    """The metrics' node: opening it asks for the conflicts, found once per compiled corpus (on a large one, in
    a minute of background work that nobody should pay who never opens it)."""


Entry = Filter | _Outlet | _Metrics | None  # the filter a node applies, what opening it does, or nothing


class TopicTree(Tree[Entry]):
    BINDINGS = [
        Binding("enter", "select_cursor", "Filter", show=False, id="filter",
                tooltip="filter the results by this topic, source or metric (全部 All: no filter)"),
        Binding("space", "toggle_node", "Open", show=False, tooltip="open or close the node"),
    ]
    DEFAULT_CSS = """
    TopicTree { width: 34; border-right: solid $primary-background; }
    """

    library: reactive[Library | None] = reactive(None)  # bound from the screen
    conflicts: reactive[frozenset[str] | None] = reactive(None)  # metrics with a conflict, marked ⚠ (None: not known)

    @dataclass
    class MetricsOpened(Message):
        """The reader opened the metrics: the tree needs to know which have a conflict."""

    @dataclass
    class FilterChosen(Message):
        """The reader chose a node: its filter, or None for everything."""

        tree: TopicTree
        filter: Filter | None

        @property
        def control(self) -> TopicTree:
            return self.tree

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("全部 All"), data=None, id=id)
        self.show_root = True
        self._metric_nodes: dict[str, TreeNode[Entry]] = {}

    def watch_library(self, library: Library | None) -> None:
        self.clear()
        self._metric_nodes = {}
        if library is None:
            return
        corpus = library.corpus
        self.root.set_label(Text(f"全部 All ({len(corpus.facts):,})"))
        self._add_topics(corpus)
        self._add_sources(corpus)
        self._add_metrics(corpus)
        self.root.expand()

    def watch_conflicts(self) -> None:
        if self.library is None or not self._metric_nodes:
            return
        counts = self.library.corpus.facts.sources_by_metric()
        for key, node in self._metric_nodes.items():
            node.set_label(self._metric_label(key, counts[key]))
        parent = next(iter(self._metric_nodes.values())).parent
        if parent is not None:
            parent.set_label(self._metrics_label())

    def _add_topics(self, corpus: Corpus) -> None:
        per_topic = corpus.facts.count_by_topic()
        children: dict[str | None, list[str]] = {}
        for topic in corpus.topics.values():
            children.setdefault(topic.parent, []).append(topic.id)

        def count(topic_id: str) -> int:
            return per_topic.get(topic_id, 0) + sum(count(child) for child in children.get(topic_id, []))

        def add(parent: TreeNode[Entry], topic_id: str) -> None:
            topic = corpus.topics[topic_id]
            label = safe_line(f"{topic.zh} {topic.en} ({count(topic_id):,})")
            entry = Filter(f"topic:{topic_id}", topic.zh)
            if children.get(topic_id):
                node = parent.add(label, data=entry)
                for child in children[topic_id]:
                    add(node, child)
            else:
                parent.add_leaf(label, data=entry)

        topics = self.root.add(Text("主题 Topics"), data=None, expand=True)
        for root_id in children.get(None, []):
            add(topics, root_id)

    def _add_sources(self, corpus: Corpus) -> None:
        sources = self.root.add(Text(f"来源 Sources ({len(corpus.sources):,})"), data=None)
        by_outlet: dict[str, list[str]] = {}
        for source in sorted(corpus.sources.values(), key=lambda s: s.published, reverse=True):
            by_outlet.setdefault(source.outlet_label, []).append(source.id)
        for outlet, ids in by_outlet.items():
            sources.add(safe_line(f"{outlet} ({len(ids):,})"), data=_Outlet(tuple(ids)))

    def _add_metrics(self, corpus: Corpus) -> None:
        counts = corpus.facts.sources_by_metric()
        shared = self.root.add(self._metrics_label(), data=_Metrics())
        for key in corpus.shared_metrics():
            self._metric_nodes[key] = shared.add_leaf(self._metric_label(key, counts[key]),
                                                      data=Filter(f"metric:{key}", corpus.metrics[key].zh))  # fmt: skip

    def _metrics_label(self) -> Text:
        finding = " · finding conflicts…" if self.conflicts is None and self._metric_nodes else ""
        return Text(f"指标 Metrics (2+ sources){finding}")

    def _metric_label(self, key: str, sources: int) -> Text:
        assert self.library is not None
        warn = "⚠ " if self.conflicts and key in self.conflicts else ""
        return safe_line(f"{warn}{self.library.corpus.metrics[key].zh} ({sources:,} sources)")

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        node = event.node
        if isinstance(node.data, _Metrics):
            if self.conflicts is None:
                node.set_label(self._metrics_label())
                self.post_message(self.MetricsOpened())
            return
        if isinstance(node.data, _Outlet) and self.library is not None:
            counts = self.library.corpus.facts.count_by_source()
            for source_id in node.data.source_ids:
                source = self.library.corpus.sources[source_id]
                node.add_leaf(safe_line(f"{source.date} {source.title[:18]} ({counts.get(source_id, 0):,})"),
                              data=Filter(f"source:{source_id}", source.title))  # fmt: skip
            node.data = None

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        event.stop()
        entry = event.node.data
        if isinstance(entry, _Outlet | _Metrics):
            return  # a branch opens to show what it holds; it filters nothing
        if entry is None and event.node is not self.root:
            return
        self.post_message(self.FilterChosen(self, entry if isinstance(entry, Filter) else None))
