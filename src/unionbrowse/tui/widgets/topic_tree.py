"""The left pane: topics with their fact counts, the sources by outlet and date, and shared metrics."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from unionbrowse.corpus.model import Corpus


class TopicTree(Tree[str]):
    """Each node's data is the filter it applies (``topic:services``, ``source:grrb-20230918``; "" for all)."""

    DEFAULT_CSS = """
    TopicTree { width: 34; border-right: solid $primary-background; }
    """

    class FilterChosen(Message):
        def __init__(self, query: str, label: str) -> None:
            super().__init__()
            self.query = query
            self.label = label

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("全部 All"), data="", id=id)
        self.show_root = True

    def populate(self, corpus: Corpus, conflicted: set[str] | None = None) -> None:
        self.clear()
        self.root.set_label(Text(f"全部 All ({len(corpus.facts)})"))
        per_topic = Counter(fact.topic.id for fact in corpus.facts)
        topics = self.root.add(Text("主题 Topics"), data="", expand=True)
        children: dict[str | None, list[str]] = {}
        for topic in corpus.topics.values():
            children.setdefault(topic.parent, []).append(topic.id)

        def count(topic_id: str) -> int:
            return per_topic[topic_id] + sum(count(child) for child in children.get(topic_id, []))

        def add(parent: TreeNode[str], topic_id: str) -> None:
            topic = corpus.topics[topic_id]
            label = Text(f"{topic.zh} {topic.en} ({count(topic_id)})")
            if children.get(topic_id):
                node = parent.add(label, data=f"topic:{topic_id}")
                for child in children[topic_id]:
                    add(node, child)
            else:
                parent.add_leaf(label, data=f"topic:{topic_id}")

        for root_id in children.get(None, []):
            add(topics, root_id)

        sources = self.root.add(Text("来源 Sources"), data="")
        by_outlet: dict[str, list[str]] = {}
        for source in sorted(corpus.sources.values(), key=lambda s: s.published, reverse=True):
            by_outlet.setdefault(source.outlet or "报纸名不详", []).append(source.id)
        per_source = Counter(fact.source.id for fact in corpus.facts)
        for outlet, ids in by_outlet.items():
            node = sources.add(Text(outlet), data="", expand=True)
            for source_id in ids:
                source = corpus.sources[source_id]
                node.add_leaf(Text(f"{source.date} {source.title[:18]} ({per_source[source_id]})"),
                              data=f"source:{source_id}")  # fmt: skip

        shared = self.root.add(Text("指标 Metrics (2+ sources)"), data="")
        reporters: dict[str, set[str]] = {}
        for fact in corpus.facts:
            if fact.metric:
                reporters.setdefault(fact.metric, set()).add(fact.source.id)
        for key in sorted(k for k, ids in reporters.items() if len(ids) > 1):
            metric = corpus.metrics[key]
            warn = "⚠ " if key in (conflicted or set()) else ""
            shared.add_leaf(Text(f"{warn}{metric.zh} ({len(reporters[key])} sources)"), data=f"metric:{key}")
        self.root.expand()

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        label = event.node.label.plain if isinstance(event.node.label, Text) else str(event.node.label)
        self.post_message(self.FilterChosen(event.node.data or "", label))
