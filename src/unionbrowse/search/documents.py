"""What the search engine indexes: a fact, or a passage (sentence) of a source's clean text.

A document has five text fields; the first two are shown and highlighted (statement and quote for a fact, the
sentence for a passage), the rest only make it findable (English, topic labels, scope, actor, outlet...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from unionbrowse.corpus.model import Corpus, Fact, Passage, Source, Span

FIELD_NAMES = ("statement", "quote", "en", "topic", "meta")
SEPARATOR = "\x1f"  # never in corpus text: control characters are refused by YAML and cleaned out of raw text

_SENTENCE_END = re.compile(r"[。！？!?；;﹔]+[”’」』)）]*|\n+")


@dataclass(frozen=True)
class SearchDoc:
    statement: str
    quote: str
    en: str
    topic: str
    meta: str
    values: tuple[float, ...] = ()
    source: str = ""
    year: int = 0
    topic_id: str = ""
    scope: str = ""
    metric: str = ""

    @property
    def fields(self) -> tuple[str, str, str, str, str]:
        return (self.statement, self.quote, self.en, self.topic, self.meta)


def fact_doc(fact: Fact, corpus: Corpus) -> SearchDoc:
    topics = corpus.topic_path(fact.topic.id)
    source = fact.source
    meta = " ".join(
        part
        for part in (fact.scope, fact.actor, fact.period, fact.metric, source.id, source.outlet, source.title,
                     source.author, fact.id)
        if part
    )  # fmt: skip
    return SearchDoc(
        statement=_clean(fact.statement),
        quote=_clean(fact.quote),
        en=_clean(fact.en),
        topic=_clean(" ".join(f"{topic.zh} {topic.en} {topic.id}" for topic in topics)),
        meta=_clean(meta),
        values=tuple(quantity.value for quantity in fact.quantities),
        source=source.id,
        year=source.year,
        topic_id=fact.topic.id,
        scope=fact.scope or "",
        metric=fact.metric or "",
    )


def passages(source: Source) -> Iterator[Passage]:
    """The sentences of a source in reading order, headings excluded, each with its section."""
    section = ""
    start = 0
    text = source.text
    for match in _SENTENCE_END.finditer(text + "\n"):
        end = min(match.end(), len(text))
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped.startswith("## "):
            section = stripped[3:]
        elif stripped:
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            yield Passage(source, Span(start + lead, end - trail), section)
        start = end


def passage_doc(passage: Passage) -> SearchDoc:
    source = passage.source
    meta = " ".join(part for part in (source.id, source.outlet, source.title, source.author) if part)
    return SearchDoc(
        statement=_clean(passage.text),
        quote="",
        en="",
        topic=_clean(passage.section),
        meta=_clean(meta),
        source=source.id,
        year=source.year,
    )


def _clean(text: str) -> str:
    return text.replace(SEPARATOR, " ")
