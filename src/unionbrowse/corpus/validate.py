"""Load a data folder into a :class:`Corpus`, validating as it goes.

Loading never raises on bad data: every problem becomes a :class:`Problem` (file, line, what, fix) and whatever
is valid is still loaded, so ``unionbrowse check`` reports everything at once and the app can open with the
good part of a damaged folder.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unionbrowse.corpus.clean import clean
from unionbrowse.corpus.model import Corpus, Fact, Metric, Quantity, Source, Span, Topic
from unionbrowse.corpus.numbers import parse_quantity, same_unit, split_qualifier
from unionbrowse.corpus.problems import Problem
from unionbrowse.corpus.yaml_lines import Mapping, guess_encoding, read_yaml

SOURCE_FIELDS = {
    "id", "title", "subtitle", "column", "kicker", "outlet", "outlet_note", "medium", "found_at",
    "found_at_evidence", "authors", "author_note", "signoff", "editors", "published", "precision",
    "published_evidence", "script", "raw", "sha256", "url", "url_note", "notes",
}  # fmt: skip
FACT_FIELDS = {
    "id", "topic", "statement", "en", "quantities", "period", "scope", "actor", "metric", "quote", "occurrence",
}  # fmt: skip
QUANTITY_FIELDS = {"value", "unit", "qualifier", "text"}
MEDIA = ("newspaper", "web")
PRECISIONS = ("year", "month", "day", "minute", "second")
SCRIPTS = ("zh-Hans", "zh-Hant")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SAFE_FILE_NAME = re.compile(r"^[\w.-]+$")


@dataclass
class LoadResult:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]


def load(data_dir: Path, progress: Callable[[str], None] | None = None) -> LoadResult:
    """Read sources, topics, metrics and facts from ``data_dir``, telling ``progress`` what it is reading."""
    loader = _Loader(data_dir, progress or (lambda _: None))
    loader.load_topics()
    loader.load_metrics()
    loader.load_sources()
    loader.load_facts()
    loader.corpus.facts.sort(key=lambda fact: (loader.source_order[fact.source.id], fact.span.start, fact.id))
    return LoadResult(loader.corpus, loader.problems)


class _Loader:
    def __init__(self, data_dir: Path, progress: Callable[[str], None]) -> None:
        self.root = data_dir
        self.progress = progress
        self.corpus = Corpus()
        self.problems: list[Problem] = []
        self.source_order: dict[str, int] = {}

    # --- helpers ------------------------------------------------------------------------------------------

    def problem(self, file: str, line: int, message: str, fix: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(file, line, message, fix, severity))

    def read(self, name: str, key: str) -> list[Any] | None:
        """The list under ``key`` in the top-level mapping of ``name``."""
        data, problems = read_yaml(self.root / name, name)
        self.problems.extend(problems)
        if data is None:
            return None
        if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
            self.problem(name, 1, f"expected a top-level `{key}:` list", f"start the file with `{key}:`")
            return None
        return data[key]  # type: ignore[no-any-return]

    def check_fields(self, file: str, record: Mapping, allowed: set[str], required: tuple[str, ...]) -> bool:
        ok = True
        for key in record:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                fix = f"did you mean `{close[0]}`?" if close else f"remove it (known: {', '.join(sorted(allowed))})"
                self.problem(file, record.line_of(key), f"unknown field `{key}`", fix)
        for key in required:
            value = record.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.problem(file, record.line, f"missing `{key}`", f"add `{key}:` to this record")
                ok = False
        return ok

    def text_field(self, file: str, record: Mapping, key: str) -> str | None:
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(file, record.line_of(key), f"`{key}` must be text", "write it as a string")
            return None
        return str(value)

    def text_list(self, file: str, record: Mapping, key: str) -> tuple[str, ...]:
        value = record.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(file, record.line_of(key), f"`{key}` must be a list of text", "write it as [a, b]")
            return ()
        return tuple(value)

    # --- topics -------------------------------------------------------------------------------------------

    def load_topics(self) -> None:
        records = self.read("topics.yaml", "topics")
        if records is not None:
            self.add_topics("topics.yaml", records, parent=None)

    def add_topics(self, file: str, records: list[Any], parent: str | None) -> None:
        for record in records:
            if not isinstance(record, Mapping):
                self.problem(file, 0, "a topic must be a mapping", "write `- {id: ..., zh: ..., en: ...}`")
                continue
            if not self.check_fields(file, record, {"id", "zh", "en", "children"}, ("id", "zh", "en")):
                continue
            local = str(record["id"])
            if not _ID.match(local):
                self.problem(file, record.line_of("id"), f"topic id `{local}` is not lowercase-with-hyphens",
                             "use letters, digits and hyphens")
                continue
            topic_id = f"{parent}.{local}" if parent else local
            if topic_id in self.corpus.topics:
                self.problem(file, record.line_of("id"), f"duplicate topic `{topic_id}`", "give it another id")
                continue
            self.corpus.topics[topic_id] = Topic(topic_id, str(record["zh"]), str(record["en"]), parent)
            children = record.get("children") or []
            if not isinstance(children, list):
                self.problem(file, record.line_of("children"), "`children` must be a list", "write `- {...}` items")
                continue
            self.add_topics(file, children, topic_id)

    # --- metrics ------------------------------------------------------------------------------------------

    def load_metrics(self) -> None:
        records = self.read("metrics.yaml", "metrics")
        for record in records or []:
            file = "metrics.yaml"
            if not isinstance(record, Mapping):
                self.problem(file, 0, "a metric must be a mapping", "write `- {key: ..., zh: ..., en: ..., unit: ...}`")
                continue
            if not self.check_fields(file, record, {"key", "zh", "en", "unit", "distinct_from"},
                                     ("key", "zh", "en", "unit")):  # fmt: skip
                continue
            key = str(record["key"])
            if key in self.corpus.metrics:
                self.problem(file, record.line_of("key"), f"duplicate metric `{key}`", "merge the two entries")
                continue
            distinct = self.text_list(file, record, "distinct_from")
            self.corpus.metrics[key] = Metric(key, str(record["zh"]), str(record["en"]), str(record["unit"]),
                                              distinct, record.line_of("key"))  # fmt: skip
        for metric in self.corpus.metrics.values():
            for other in metric.distinct_from:
                if other not in self.corpus.metrics:
                    self.problem("metrics.yaml", metric.line, f"`distinct_from` names unknown metric `{other}`",
                                 "use a key defined in metrics.yaml")

    # --- sources ------------------------------------------------------------------------------------------

    def load_sources(self) -> None:
        records = self.read("sources.yaml", "sources")
        for index, record in enumerate(records or []):
            self.progress(f"cleaning source {index + 1} of {len(records or [])}")
            if not isinstance(record, Mapping):
                self.problem("sources.yaml", 0, f"source #{index + 1} is not a mapping", "write `- id: ...`")
                continue
            source = self.build_source(record)
            if source is None:
                continue
            if source.id in self.corpus.sources:
                self.problem("sources.yaml", record.line_of("id"), f"duplicate source id `{source.id}`",
                             "give each article its own id")
                continue
            self.source_order[source.id] = len(self.source_order)
            self.corpus.sources[source.id] = source

    def build_source(self, record: Mapping) -> Source | None:
        file = "sources.yaml"
        required = ("id", "title", "medium", "published", "precision", "script", "raw", "sha256")
        if not self.check_fields(file, record, SOURCE_FIELDS, required):
            return None
        source_id = str(record["id"])
        if not _ID.match(source_id):
            self.problem(file, record.line_of("id"), f"source id `{source_id}` is not lowercase-with-hyphens",
                         "use letters, digits and hyphens")
            return None
        for key, allowed in (("medium", MEDIA), ("precision", PRECISIONS), ("script", SCRIPTS)):
            if record[key] not in allowed:
                self.problem(file, record.line_of(key), f"`{key}` is `{record[key]}`", f"use one of {', '.join(allowed)}")
                return None
        published = str(record["published"])  # an unquoted date arrives as a date object; str() restores it
        if not re.match(r"^\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2}(:\d{2})?)?)?)?$", published):
            self.problem(file, record.line_of("published"), f"`published` is `{published}`",
                         'write "YYYY", "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]" in quotes')
            return None
        text = self.clean_text(record)
        if text is None:
            return None
        return Source(
            id=source_id,
            title=str(record["title"]),
            outlet=self.text_field(file, record, "outlet"),
            medium=str(record["medium"]),
            published=published,
            precision=str(record["precision"]),
            script=str(record["script"]),
            raw=str(record["raw"]),
            sha256=str(record["sha256"]),
            text=text,
            authors=self.text_list(file, record, "authors"),
            editors=self.text_list(file, record, "editors"),
            subtitle=self.text_field(file, record, "subtitle"),
            column=self.text_field(file, record, "column"),
            found_at=self.text_field(file, record, "found_at"),
            url=self.text_field(file, record, "url"),
            notes=self.text_list(file, record, "notes"),
            published_evidence=self.text_field(file, record, "published_evidence"),
        )

    def clean_text(self, record: Mapping) -> str | None:
        """Read the raw file the record names (inside raw/ only), verify its hash, clean it."""
        file, line = "sources.yaml", record.line_of("raw")
        name = str(record["raw"])
        if not _SAFE_FILE_NAME.match(name) or name in {".", ".."}:
            self.problem(file, line, f"raw file `{name}` is not a plain file name",
                         "name a file directly inside raw/ (no folders, no ..)")
            return None
        path = self.root / "raw" / name
        if not path.is_file():
            self.problem(file, line, f"raw file raw/{name} does not exist", "copy the article into raw/ or fix the name")
            return None
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != str(record["sha256"]).lower():
            self.problem(file, record.line_of("sha256"), f"raw/{name} has changed: its SHA-256 is {digest}",
                         "restore the file as received, or, if the new bytes are the article as received, "
                         "update sha256")
            return None
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as error:
            at = data[: error.start].count(b"\n") + 1
            self.problem(f"raw/{name}", at, "not UTF-8 text", f"convert it to UTF-8{guess_encoding(data)}")
            return None
        text = clean(raw).text
        if not text.strip():
            self.problem(f"raw/{name}", 1, "no article body left after cleaning", "check that the file is an article")
            return None
        return text

    # --- facts --------------------------------------------------------------------------------------------

    def load_facts(self) -> None:
        folder = self.root / "facts"
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            self.problem("facts/", 0, "no fact files", "add facts/<source-id>.yaml")
        seen: dict[str, str] = {}
        for number, path in enumerate(files, start=1):
            self.progress(f"loading facts/{path.name} ({number} of {len(files)} fact files)")
            self.load_fact_file(path, seen)
        covered = {fact.source.id for fact in self.corpus.facts}
        for source_id in self.corpus.sources:
            if source_id not in covered:
                self.problem("facts/", 0, f"source `{source_id}` has no facts", f"add facts/{source_id}.yaml",
                             severity="warning")

    def load_fact_file(self, path: Path, seen: dict[str, str]) -> None:
        file = f"facts/{path.name}"
        data, problems = read_yaml(path, file)
        self.problems.extend(problems)
        if data is None:
            return
        if not isinstance(data, Mapping) or not isinstance(data.get("facts"), list):
            self.problem(file, 1, "expected `source:` and a `facts:` list", "see the README's data format")
            return
        source_id = str(data.get("source", ""))
        source = self.corpus.sources.get(source_id)
        if source is None:
            known = ", ".join(self.corpus.sources) or "none loaded"
            self.problem(file, data.line_of("source"), f"unknown source `{source_id}`",
                         f"use an id from sources.yaml ({known})")
            return
        if path.stem != source_id:
            self.problem(file, 1, f"file is named {path.name} but holds source `{source_id}`",
                         f"rename it to {source_id}.yaml", severity="warning")
        for record in data["facts"]:
            if not isinstance(record, Mapping):
                self.problem(file, data.line_of("facts"), "a fact must be a mapping", "write `- id: ...`")
                continue
            fact_id = str(record.get("id", ""))
            if fact_id in seen:
                self.problem(file, record.line_of("id"), f"duplicate fact id `{fact_id}` (also in {seen[fact_id]})",
                             "give each fact its own id")
                continue
            if fact_id:
                seen[fact_id] = f"{file}:{record.line}"
            fact = self.build_fact(file, record, source)
            if fact is not None:
                self.corpus.facts.append(fact)
        self.load_not_figures(file, data.get("not_figures") or [], source)

    def build_fact(self, file: str, record: Mapping, source: Source) -> Fact | None:
        if not self.check_fields(file, record, FACT_FIELDS, ("id", "topic", "statement", "en", "quote")):
            return None
        fact_id = str(record["id"])
        ok = True
        if not _ID.match(fact_id):
            self.problem(file, record.line_of("id"), f"fact id `{fact_id}` is not lowercase-with-hyphens",
                         "use letters, digits and hyphens")
            ok = False
        topic = self.corpus.topics.get(str(record["topic"]))
        if topic is None:
            close = difflib.get_close_matches(str(record["topic"]), list(self.corpus.topics), n=1)
            self.problem(file, record.line_of("topic"), f"unknown topic `{record['topic']}`",
                         f"did you mean `{close[0]}`?" if close else "use a dotted id from topics.yaml")
            ok = False
        quote = str(record["quote"])
        span = self.locate_quote(file, record, source, quote)
        quantities = self.build_quantities(file, record, quote)
        metric = self.text_field(file, record, "metric")
        if metric is not None:
            ok = self.check_metric(file, record, metric, quantities) and ok
        if not ok or span is None or quantities is None or topic is None:
            return None
        return Fact(
            id=fact_id,
            source=source,
            topic=topic,
            statement=str(record["statement"]),
            en=str(record["en"]),
            quote=quote,
            span=span,
            quantities=quantities,
            period=self.text_field(file, record, "period"),
            scope=self.text_field(file, record, "scope"),
            actor=self.text_field(file, record, "actor"),
            metric=metric,
            file=file,
            line=record.line,
        )

    def locate_quote(self, file: str, record: Mapping, source: Source, quote: str) -> Span | None:
        line = record.line_of("quote")
        starts = [match.start() for match in re.finditer(re.escape(quote), source.text)]
        occurrence = record.get("occurrence")
        if not starts:
            self.problem(file, line, f"quote not found in the clean text of `{source.id}`: {quote[:40]}",
                         nearest_passage(source.text, quote))
            return None
        if occurrence is None:
            if len(starts) > 1:
                self.problem(file, line, f"quote occurs {len(starts)} times in `{source.id}`",
                             f"add `occurrence: N` (1 to {len(starts)}) or lengthen the quote")
                return None
            occurrence = 1
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or not 1 <= occurrence <= len(starts):
            self.problem(file, record.line_of("occurrence"), f"`occurrence` is {occurrence!r}",
                         f"use a whole number from 1 to {len(starts)}")
            return None
        start = starts[occurrence - 1]
        return Span(start, start + len(quote))

    def build_quantities(self, file: str, record: Mapping, quote: str) -> tuple[Quantity, ...] | None:
        items = record.get("quantities") or []
        if not isinstance(items, list):
            self.problem(file, record.line_of("quantities"), "`quantities` must be a list", "write `- value: ...`")
            return None
        built: list[Quantity] = []
        ok = True
        for item in items:
            quantity = self.build_quantity(file, item, quote) if isinstance(item, Mapping) else None
            if quantity is None:
                if not isinstance(item, Mapping):
                    self.problem(file, record.line_of("quantities"), "a quantity must be a mapping",
                                 "write `- {value: ..., unit: ..., text: ...}`")
                ok = False
                continue
            built.append(quantity)
        return tuple(built) if ok else None

    def build_quantity(self, file: str, item: Mapping, quote: str) -> Quantity | None:
        if not self.check_fields(file, item, QUANTITY_FIELDS, ("value", "unit", "text")):
            return None
        value, text, unit = item["value"], str(item["text"]), str(item["unit"])
        qualifier = item.get("qualifier")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(file, item.line_of("value"), f"`value` is {value!r}", "write a plain number: 3508000")
            return None
        if text not in quote:
            self.problem(file, item.line_of("text"), f"quantity text `{text}` is not in the quote",
                         "copy the figure exactly as the quote writes it")
            return None
        if qualifier is not None and split_qualifier(str(qualifier)) is None:
            self.problem(file, item.line_of("qualifier"), f"unknown qualifier `{qualifier}`",
                         "use 余 多 近 超过 累计 约 以上 达 上万 最高 第 共, alone or in text order")
            return None
        parsed = parse_quantity(text)
        if parsed is not None and not math.isclose(parsed.value, float(value), rel_tol=1e-9):
            self.problem(file, item.line_of("value"), f"`{text}` reads as {parsed.value:.10g} but value is {value}",
                         f"set value: {parsed.value:.10g}")
            return None
        return Quantity(float(value), unit, text, str(qualifier) if qualifier is not None else None)

    def check_metric(self, file: str, record: Mapping, key: str, quantities: tuple[Quantity, ...] | None) -> bool:
        line = record.line_of("metric")
        metric = self.corpus.metrics.get(key)
        if metric is None:
            close = difflib.get_close_matches(key, list(self.corpus.metrics), n=1)
            self.problem(file, line, f"unknown metric `{key}`",
                         f"did you mean `{close[0]}`? otherwise add it to metrics.yaml" if close
                         else "add it to metrics.yaml with zh, en and unit")
            return False
        if not quantities:
            self.problem(file, line, f"metric `{key}` on a fact with no quantities",
                         "add the figure under `quantities`, or remove the metric")
            return False
        if not same_unit(quantities[0].unit, metric.unit):
            self.problem(file, line, f"metric `{key}` is counted in {metric.unit}, this fact's figure in "
                         f"{quantities[0].unit}", "use the metric's unit, or a different metric")
            return False
        return True

    def load_not_figures(self, file: str, items: Any, source: Source) -> None:
        spans = self.corpus.not_figures.setdefault(source.id, [])
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, Mapping) or not item.get("text") or not item.get("why"):
                self.problem(file, getattr(item, "line", 0), "a not_figures entry needs `text` and `why`",
                             "write `- {text: ..., why: ...}`")
                continue
            text = str(item["text"])
            starts = [match.start() for match in re.finditer(re.escape(text), source.text)]
            if not starts:
                self.problem(file, item.line_of("text"), f"not_figures text not found: {text[:40]}",
                             nearest_passage(source.text, text))
                continue
            spans.extend(Span(start, start + len(text)) for start in starts)


def nearest_passage(text: str, quote: str) -> str:
    """A fix hint: the passage of ``text`` closest to a quote that is not in it."""
    from rapidfuzz import fuzz

    if not quote:
        return "the quote is empty"
    alignment = fuzz.partial_ratio_alignment(quote, text)
    if alignment is None or alignment.score < 50:
        return "copy the quote verbatim from `unionbrowse source ID --text`"
    passage = text[alignment.dest_start : alignment.dest_end]
    return f"closest passage ({alignment.score:.0f}%): {passage[:60]}"
