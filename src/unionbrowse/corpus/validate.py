"""Validate the records of a data folder, one file at a time, collecting every problem instead of raising.

Each reader takes parsed YAML (with line numbers) and returns what is valid plus a :class:`Problem` (file, line,
what, fix) for everything else, so ``unionbrowse check`` reports all problems at once and the app opens with the
good part of a damaged folder. A fact file is validated against only what it refers to (its source's clean text,
the topics and metrics it names), which is what lets the compiled corpus rebuild just the files that changed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from typing import Any

from unionbrowse.corpus.folder import SOURCES, is_plain_name
from unionbrowse.corpus.model import Metric, Quantity, Span, Topic
from unionbrowse.corpus.numbers import parse_quantity, same_unit, split_qualifier
from unionbrowse.corpus.problems import Problem, shown
from unionbrowse.corpus.schema import (
    FACT,
    FACT_FILE,
    METRIC,
    NOT_FIGURE,
    QUANTITY,
    SOURCE,
    TOPIC,
    Record,
    Schema,
    read_record,
)
from unionbrowse.corpus.script import occurrences, to_simplified
from unionbrowse.corpus.yaml_lines import Mapping

MEDIA = ("newspaper", "web")
PRECISIONS = ("year", "month", "day", "minute", "second")
SCRIPTS = ("zh-Hans", "zh-Hant")
# Matched whole (fullmatch): `$` would let a final line break through.
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_TOPIC_ID = re.compile(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_PUBLISHED_PRECISION = {4: "year", 7: "month", 10: "day", 16: "minute", 19: "second"}  # by the length of the text
_COPY_VERBATIM = "copy the quote verbatim from `unionbrowse source ID --text`"
HINTS = 20  # quotes not found in one file that get the closest passage as a hint (each costs a fuzzy search)


MAX_PROBLEMS = 1_000  # listed per file: a file of a million broken records says so without a million messages


class Problems(list[Problem]):
    """The problems of a file, the first ``MAX_PROBLEMS`` of each file kept and the rest counted, so what a
    hostile file costs in memory and output does not grow with its records."""

    def __init__(self) -> None:
        super().__init__()
        self.unlisted: dict[str, int] = {}
        self._listed: dict[str, int] = {}

    def append(self, problem: Problem) -> None:
        listed = self._listed.get(problem.file, 0)
        if listed < MAX_PROBLEMS:
            self._listed[problem.file] = listed + 1
            super().append(problem)
        else:
            self.unlisted[problem.file] = self.unlisted.get(problem.file, 0) + 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def reported(self) -> list[Problem]:
        """Every problem kept, and for a file with more, one saying how many more there are."""
        more = [Problem(file, 0, f"{count:,} more problems not listed", "fix the ones above first: the same "
                        "mistake is likely repeated") for file, count in self.unlisted.items()]  # fmt: skip
        return [*self, *more]


class Checker:
    """Collects problems, and reads the top of each file and each record through the schema."""

    def __init__(self) -> None:
        self.problems = Problems()
        self.hints = HINTS

    def closest(self, text: str, quote: str) -> str:
        """The fix for a quote not found: the closest passage, for the first ``HINTS`` of a file (a file of
        thousands of made-up quotes would otherwise cost a fuzzy search of the article each)."""
        self.hints -= 1
        return nearest_passage(text, quote) if self.hints >= 0 else _COPY_VERBATIM

    def problem(self, file: str, line: int, message: str, fix: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(file, line, message, fix, severity))

    def top_list(self, data: Any, file: str, key: str) -> list[Any] | None:
        """The list under ``key`` in the top-level mapping of a parsed file; None if the file has none (it could
        not be read, or it is of another shape: said once, here)."""
        if data is None:
            return None
        if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
            self.problem(file, 1, f"expected a top-level `{key}:` list", f"start the file with `{key}:`")
            return None
        return data[key]  # type: ignore[no-any-return]

    def record(self, value: Any, schema: Schema, file: str, line: int) -> Record | None:
        """A record read through its schema; None if it is not a mapping or misses a required field."""
        record = read_record(value, schema, file, line, self.problems)
        return record if record is not None and record.ok else None

    def identifier(self, file: str, record: Record, key: str, what: str) -> str | None:
        value = str(record[key])
        if _ID.fullmatch(value):
            return value
        self.problem(file, record.line_of(key), f"{what} `{shown(value)}` is not lowercase-with-hyphens",
                     "use letters, digits and hyphens")  # fmt: skip
        return None


# --- topics and metrics -------------------------------------------------------------------------------------


def read_topics(data: Any, checker: Checker, file: str = "topics.yaml") -> dict[str, Topic] | None:
    """The topic tree; None if the file could not be read at all (then facts keep their topic ids unchecked)."""
    records = checker.top_list(data, file, "topics")
    if records is None:
        return None
    topics: dict[str, Topic] = {}
    # Depth first without recursion: the loader bounds nesting, and this never depends on it.
    pending: list[tuple[Any, str | None, int]] = [(record, None, data.line_of("topics")) for record in reversed(records)]
    while pending:
        value, parent, line = pending.pop()
        # A topic with a bad label is kept, labelled by its id: its facts and children stay filed under it.
        record = read_record(value, TOPIC, file, line, checker.problems)
        if record is None or "id" not in record.values:
            continue
        local = checker.identifier(file, record, "id", "topic id")
        if local is None:
            continue
        topic_id = f"{parent}.{local}" if parent else local
        if topic_id in topics:
            checker.problem(file, record.line_of("id"), f"duplicate topic `{topic_id}`", "give it another id")
            continue
        topics[topic_id] = Topic(topic_id, record.get("zh", topic_id), record.get("en", topic_id), parent)
        children = record.get("children") or []
        pending.extend((child, topic_id, record.line_of("children")) for child in reversed(children))
    return topics


def read_metrics(data: Any, checker: Checker, file: str = "metrics.yaml") -> dict[str, Metric] | None:
    """The metrics; None if the file could not be read at all (then facts keep their metric keys unchecked)."""
    records = checker.top_list(data, file, "metrics")
    if records is None:
        return None
    metrics: dict[str, Metric] = {}
    line = data.line_of("metrics")
    for value in records:
        # A metric with a bad label is kept, labelled by its key; without a unit its figures cannot be checked.
        record = read_record(value, METRIC, file, line, checker.problems)
        if record is None or "key" not in record.values or "unit" not in record.values:
            continue
        key = record["key"]
        if key in metrics:
            checker.problem(file, record.line_of("key"), f"duplicate metric `{shown(key)}`", "merge the two entries")
            continue
        metrics[key] = Metric(key, record.get("zh", key), record.get("en", key), record["unit"],
                              tuple(record.get("distinct_from", [])), record.line_of("key"))  # fmt: skip
    for metric in metrics.values():
        for other in metric.distinct_from:
            if other not in metrics:
                checker.problem(file, metric.line, f"`distinct_from` names unknown metric `{shown(other)}`",
                                "use a key defined in metrics.yaml")
    return metrics


# --- sources ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceEntry:
    """A valid record of sources.yaml, before its raw file is read: the fields of a Source, as JSON."""

    fields: dict[str, Any]  # the keyword arguments of Source, lists for tuples
    line_of_raw: int
    line_of_sha256: int

    @property
    def id(self) -> str:
        return str(self.fields["id"])

    @property
    def raw(self) -> str:
        return str(self.fields["raw"])


def read_sources(data: Any, checker: Checker) -> tuple[list[SourceEntry], list[str]] | None:
    """The valid source records, and the id of every record (valid or not), so a fact file of a rejected source
    is not also told its source is unknown; None if sources.yaml could not be read at all."""
    records = checker.top_list(data, SOURCES, "sources")
    if records is None:
        return None
    entries: list[SourceEntry] = []
    named: list[str] = []
    seen: set[str] = set()
    for value in records:
        if isinstance(value, Mapping) and isinstance(value.get("id"), str):
            named.append(value["id"])
        record = checker.record(value, SOURCE, SOURCES, data.line_of("sources"))
        entry = _source_entry(record, checker) if record is not None else None
        if entry is None:
            continue
        if entry.id in seen:
            checker.problem(SOURCES, record.line_of("id"), f"duplicate source id `{entry.id}`",  # type: ignore[union-attr]
                            "give each article its own id")
            continue
        seen.add(entry.id)
        entries.append(entry)
    return entries, named


def _source_entry(record: Record, checker: Checker) -> SourceEntry | None:
    file = SOURCES
    source_id = checker.identifier(file, record, "id", "source id")
    if source_id is None:
        return None
    name = record["raw"]
    if not is_plain_name(name):
        checker.problem(file, record.line_of("raw"), f"raw file `{shown(name)}` is not a plain file name",
                        "name a file directly inside raw/ (no folders, no ..)")
        return None
    if not _SHA256.fullmatch(record["sha256"]):
        checker.problem(file, record.line_of("sha256"), f"`sha256` is `{shown(record['sha256'])}`",
                        f"write the 64 hex digits `sha256sum raw/{name}` prints")  # fmt: skip
        return None
    published = record["published"]
    fields = {
        "id": source_id, "title": record["title"], "outlet": record.get("outlet"), "medium": record.get("medium", "web"),
        "published": published, "precision": record.get("precision") or _PUBLISHED_PRECISION.get(len(published), "day"),
        "script": record.get("script") or _script_of(record["title"]),
        "raw": name, "sha256": record["sha256"].lower(), "authors": record.get("authors", []),
        "editors": record.get("editors", []), "subtitle": record.get("subtitle"), "column": record.get("column"),
        "found_at": record.get("found_at"), "url": record.get("url"), "notes": record.get("notes", []),
        "published_evidence": record.get("published_evidence"),
    }  # fmt: skip
    return SourceEntry(fields, record.line_of("raw"), record.line_of("sha256"))


def _script_of(title: str) -> str:
    """The script a title is written in, for a source whose `script` is missing or wrong."""
    return "zh-Hant" if to_simplified(title) != title else "zh-Hans"


# --- facts ------------------------------------------------------------------------------------------------


@dataclass
class FactFile:
    """One fact file, validated: its valid facts as records in reading order, and what it depends on."""

    source: str | None  # the source the file names, when it is known
    records: list[list[Any]] = field(default_factory=list)  # see fact_record_fields
    not_figures: list[Span] = field(default_factory=list)
    seen: list[tuple[str, int]] = field(default_factory=list)  # every fact id with its line, valid or not
    topics: set[str] = field(default_factory=set)  # every topic and metric named, for the cache to re-check
    metrics: set[str] = field(default_factory=set)


# A fact as stored: a JSON list, in this order. Topic, metric and source are ids; quantities are lists.
FACT_RECORD_FIELDS = ("id", "statement", "en", "quote", "start", "end", "quantities", "period", "scope", "actor",
                      "metric", "topic", "source", "file", "line")  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What a fact file is checked against: the topics, the metrics, and the clean text of each source.

    ``topics`` or ``metrics`` is None when its file could not be read at all: facts then keep the ids they name,
    unchecked, rather than each be rejected for the one fault in another file. ``named`` holds the id of every
    record of sources.yaml, so a fact file whose source is there but did not load says so, not "unknown"."""

    topics: AnyMapping[str, Topic] | None
    metrics: AnyMapping[str, Metric] | None
    texts: AnyMapping[str, str]  # source id -> clean text, for the sources that loaded
    named: frozenset[str] = frozenset()


def read_fact_file(data: Any, file: str, stem: str, context: Context, checker: Checker) -> FactFile:
    if data is None:
        return FactFile(None)
    top = checker.record(data, FACT_FILE, file, 1)
    if top is None:
        return FactFile(None)
    source_id = top["source"]
    text = context.texts.get(source_id)
    if text is None:
        if source_id in context.named:
            checker.problem(file, top.line_of("source"), f"facts not checked: source `{shown(source_id)}` did not load",
                            "fix its record in sources.yaml or its raw file (the problem above)", "warning")  # fmt: skip
        else:
            known = ", ".join(context.texts) or "none loaded"
            checker.problem(file, top.line_of("source"), f"unknown source `{shown(source_id)}`",
                            f"use an id from sources.yaml ({shown(known, 200)})")  # fmt: skip
        return FactFile(None)
    if stem != source_id:
        checker.problem(file, 1, f"file is named {stem}.yaml but holds source `{source_id}`",
                        f"rename it to {source_id}.yaml", severity="warning")
    result = FactFile(source_id)
    seen: dict[str, int] = {}
    for value in top["facts"]:
        fact_id = value.get("id") if isinstance(value, Mapping) else None
        if isinstance(fact_id, str) and fact_id:
            if fact_id in seen:
                checker.problem(file, value.line_of("id"),
                                f"duplicate fact id `{shown(fact_id)}` (also in {file}:{seen[fact_id]})",
                                "give each fact its own id")
                continue
            seen[fact_id] = value.line
            result.seen.append((fact_id, value.line))
        record = checker.record(value, FACT, file, top.line_of("facts"))
        built = _fact_record(file, record, source_id, text, context, checker, result) if record is not None else None
        if built is not None:
            result.records.append(built)
    result.records.sort(key=lambda fact: (fact[4], fact[0]))  # reading order: place in the text, then id
    result.not_figures = _not_figures(file, top.get("not_figures", []), top.line_of("not_figures"), text, checker)
    return result


def _fact_record(file: str, record: Record, source_id: str, text: str, context: Context, checker: Checker,
                 result: FactFile) -> list[Any] | None:  # fmt: skip
    fact_id = checker.identifier(file, record, "id", "fact id")
    ok = fact_id is not None
    topic_id = record["topic"]
    result.topics.add(topic_id)
    ok = _check_topic(file, record, topic_id, context, checker) and ok
    quote = record["quote"]
    span = _locate_quote(file, record, source_id, text, quote, checker)
    quantities = _quantities(file, record, quote, checker)
    metric = record.get("metric")
    if metric is not None:
        result.metrics.add(metric)
        if quantities is not None:  # a fact with a bad quantity is already rejected, and said so once
            ok = _check_metric(file, record, metric, quantities, context, checker) and ok
    if not ok or span is None or quantities is None:
        return None
    return [fact_id, record["statement"], record["en"], quote, span.start, span.end,
            [[q.value, q.unit, q.text, q.qualifier] for q in quantities], record.get("period"),
            record.get("scope"), record.get("actor"), metric, topic_id, source_id, file, record.line]  # fmt: skip


def _check_topic(file: str, record: Record, topic_id: str, context: Context, checker: Checker) -> bool:
    if context.topics is None:  # topics.yaml could not be read: keep the id, if it is one
        if _TOPIC_ID.fullmatch(topic_id):
            return True
        checker.problem(file, record.line_of("topic"), f"topic `{shown(topic_id)}` is not a dotted id",
                        "write the topic's dotted id: services.stations")  # fmt: skip
        return False
    if topic_id in context.topics:
        return True
    close = difflib.get_close_matches(topic_id, list(context.topics), n=1)
    checker.problem(file, record.line_of("topic"), f"unknown topic `{shown(topic_id)}`",
                    f"did you mean `{close[0]}`?" if close else "use a dotted id from topics.yaml")
    return False


def _locate_quote(file: str, record: Record, source_id: str, text: str, quote: str, checker: Checker) -> Span | None:
    line = record.line_of("quote")
    starts = occurrences(quote, text)
    occurrence = record.get("occurrence")
    if not starts:
        checker.problem(file, line, f"quote not found in the clean text of `{source_id}`: {shown(quote, 40)}",
                        checker.closest(text, quote))
        return None
    if occurrence is None:
        if len(starts) > 1:
            checker.problem(file, line, f"quote occurs {len(starts)} times in `{source_id}`",
                            f"add `occurrence: N` (1 to {len(starts)}) or lengthen the quote")
            return None
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        checker.problem(file, record.line_of("occurrence"), f"`occurrence` is {occurrence}",
                        f"use a whole number from 1 to {len(starts)}")
        return None
    start = starts[occurrence - 1]
    return Span(start, start + len(quote))


def _quantities(file: str, record: Record, quote: str, checker: Checker) -> tuple[Quantity, ...] | None:
    built: list[Quantity] = []
    ok = True
    for item in record.get("quantities", []):
        quantity = checker.record(item, QUANTITY, file, record.line_of("quantities"))
        checked = _quantity(file, quantity, quote, checker) if quantity is not None else None
        if checked is None:
            ok = False
            continue
        built.append(checked)
    return tuple(built) if ok else None


def _quantity(file: str, item: Record, quote: str, checker: Checker) -> Quantity | None:
    value, text, unit = item["value"], item["text"], item["unit"]
    qualifier = item.get("qualifier")
    if text not in quote:
        checker.problem(file, item.line_of("text"), f"quantity text `{shown(text)}` is not in the quote",
                        "copy the figure exactly as the quote writes it")
        return None
    if qualifier is not None and split_qualifier(qualifier) is None:
        checker.problem(file, item.line_of("qualifier"), f"unknown qualifier `{shown(qualifier)}`",
                        "use 余 多 近 超过 累计 约 以上 达 上万 最高 第 共, alone or in text order")
        return None
    parsed = parse_quantity(text)
    if parsed is not None and math.isfinite(parsed.value) and not math.isclose(parsed.value, value, rel_tol=1e-9):
        checker.problem(file, item.line_of("value"), f"`{shown(text)}` reads as {parsed.value:.10g} but value is {value}",
                        f"set value: {parsed.value:.10g}")
        return None
    return Quantity(float(value), unit, text, qualifier)


def _check_metric(file: str, record: Record, key: str, quantities: tuple[Quantity, ...] | None, context: Context,
                  checker: Checker) -> bool:  # fmt: skip
    line = record.line_of("metric")
    if not quantities:
        checker.problem(file, line, f"metric `{shown(key)}` on a fact with no quantities",
                        "add the figure under `quantities`, or remove the metric")
        return False
    if context.metrics is None:  # metrics.yaml could not be read: keep the key, unchecked
        return True
    metric = context.metrics.get(key)
    if metric is None:
        close = difflib.get_close_matches(key, list(context.metrics), n=1)
        checker.problem(file, line, f"unknown metric `{shown(key)}`",
                        f"did you mean `{close[0]}`? otherwise add it to metrics.yaml" if close
                        else "add it to metrics.yaml with zh, en and unit")  # fmt: skip
        return False
    if not same_unit(quantities[0].unit, metric.unit):
        checker.problem(file, line, f"metric `{key}` is counted in {shown(metric.unit)}, this fact's figure in "
                        f"{shown(quantities[0].unit)}", "use the metric's unit, or a different metric")  # fmt: skip
        return False
    return True


def _not_figures(file: str, items: list[Any], line: int, text: str, checker: Checker) -> list[Span]:
    spans: list[Span] = []
    done: set[str] = set()  # a text listed twice adds no span (and a file of one text repeated costs nothing)
    for item in items:
        record = checker.record(item, NOT_FIGURE, file, line)
        if record is None or record["text"] in done:
            continue
        wanted = record["text"]
        done.add(wanted)
        starts = occurrences(wanted, text)
        if not starts:
            checker.problem(file, record.line_of("text"), f"not_figures text not found: {shown(wanted, 40)}",
                            checker.closest(text, wanted))
            continue
        spans.extend(Span(start, start + len(wanted)) for start in starts)
    return spans


def nearest_passage(text: str, quote: str) -> str:
    """A fix hint: the passage of ``text`` closest to a quote that is not in it."""
    from rapidfuzz import fuzz

    if not quote:
        return "the quote is empty"
    alignment = fuzz.partial_ratio_alignment(quote, text)
    if alignment is None or alignment.score < 50:
        return _COPY_VERBATIM
    passage = text[alignment.dest_start : alignment.dest_end]
    return f"closest passage ({alignment.score:.0f}%): {shown(passage)}"
