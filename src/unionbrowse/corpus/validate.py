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
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from typing import Any

from unionbrowse.corpus.folder import SOURCES, is_plain_name
from unionbrowse.corpus.model import Metric, Quantity, Span, Topic
from unionbrowse.corpus.numbers import parse_quantity, same_unit, split_qualifier
from unionbrowse.corpus.problems import Problem
from unionbrowse.corpus.script import occurrences
from unionbrowse.corpus.yaml_lines import Mapping

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
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2}(:\d{2})?)?)?)?$")


class Checker:
    """Collects problems, and reads the common kinds of field with a problem for each wrong one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, file: str, line: int, message: str, fix: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(file, line, message, fix, severity))

    def top_list(self, data: Any, file: str, key: str) -> list[Any] | None:
        """The list under ``key`` in the top-level mapping of a parsed file."""
        if data is None:
            return None
        if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
            self.problem(file, 1, f"expected a top-level `{key}:` list", f"start the file with `{key}:`")
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

    def text_list(self, file: str, record: Mapping, key: str) -> list[str]:
        value = record.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(file, record.line_of(key), f"`{key}` must be a list of text", "write it as [a, b]")
            return []
        return list(value)


# --- topics and metrics -------------------------------------------------------------------------------------


def read_topics(data: Any, checker: Checker, file: str = "topics.yaml") -> dict[str, Topic]:
    topics: dict[str, Topic] = {}

    def add(records: list[Any], parent: str | None) -> None:
        for record in records:
            if not isinstance(record, Mapping):
                checker.problem(file, 0, "a topic must be a mapping", "write `- {id: ..., zh: ..., en: ...}`")
                continue
            if not checker.check_fields(file, record, {"id", "zh", "en", "children"}, ("id", "zh", "en")):
                continue
            local = str(record["id"])
            if not _ID.match(local):
                checker.problem(file, record.line_of("id"), f"topic id `{local}` is not lowercase-with-hyphens",
                                "use letters, digits and hyphens")
                continue
            topic_id = f"{parent}.{local}" if parent else local
            if topic_id in topics:
                checker.problem(file, record.line_of("id"), f"duplicate topic `{topic_id}`", "give it another id")
                continue
            topics[topic_id] = Topic(topic_id, str(record["zh"]), str(record["en"]), parent)
            children = record.get("children") or []
            if not isinstance(children, list):
                checker.problem(file, record.line_of("children"), "`children` must be a list", "write `- {...}` items")
                continue
            add(children, topic_id)

    add(checker.top_list(data, file, "topics") or [], None)
    return topics


def read_metrics(data: Any, checker: Checker, file: str = "metrics.yaml") -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for record in checker.top_list(data, file, "metrics") or []:
        if not isinstance(record, Mapping):
            checker.problem(file, 0, "a metric must be a mapping", "write `- {key: ..., zh: ..., en: ..., unit: ...}`")
            continue
        if not checker.check_fields(file, record, {"key", "zh", "en", "unit", "distinct_from"},
                                    ("key", "zh", "en", "unit")):  # fmt: skip
            continue
        key = str(record["key"])
        if key in metrics:
            checker.problem(file, record.line_of("key"), f"duplicate metric `{key}`", "merge the two entries")
            continue
        distinct = tuple(checker.text_list(file, record, "distinct_from"))
        metrics[key] = Metric(key, str(record["zh"]), str(record["en"]), str(record["unit"]), distinct,
                              record.line_of("key"))  # fmt: skip
    for metric in metrics.values():
        for other in metric.distinct_from:
            if other not in metrics:
                checker.problem(file, metric.line, f"`distinct_from` names unknown metric `{other}`",
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


def read_sources(data: Any, checker: Checker) -> list[SourceEntry]:
    records = checker.top_list(data, SOURCES, "sources") or []
    entries: list[SourceEntry] = []
    seen: set[str] = set()
    for number, record in enumerate(records):
        if not isinstance(record, Mapping):
            checker.problem(SOURCES, 0, f"source #{number + 1} is not a mapping", "write `- id: ...`")
            continue
        entry = _source_entry(record, checker)
        if entry is None:
            continue
        if entry.id in seen:
            checker.problem(SOURCES, record.line_of("id"), f"duplicate source id `{entry.id}`",
                            "give each article its own id")
            continue
        seen.add(entry.id)
        entries.append(entry)
    return entries


def _source_entry(record: Mapping, checker: Checker) -> SourceEntry | None:
    file = SOURCES
    required = ("id", "title", "medium", "published", "precision", "script", "raw", "sha256")
    if not checker.check_fields(file, record, SOURCE_FIELDS, required):
        return None
    source_id = str(record["id"])
    if not _ID.match(source_id):
        checker.problem(file, record.line_of("id"), f"source id `{source_id}` is not lowercase-with-hyphens",
                        "use letters, digits and hyphens")
        return None
    for key, allowed in (("medium", MEDIA), ("precision", PRECISIONS), ("script", SCRIPTS)):
        if record[key] not in allowed:
            checker.problem(file, record.line_of(key), f"`{key}` is `{record[key]}`", f"use one of {', '.join(allowed)}")
            return None
    published = str(record["published"])  # an unquoted date arrives as a date object; str() restores it
    if not _PUBLISHED.match(published):
        checker.problem(file, record.line_of("published"), f"`published` is `{published}`",
                        'write "YYYY", "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]" in quotes')
        return None
    name = str(record["raw"])
    if not is_plain_name(name):
        checker.problem(file, record.line_of("raw"), f"raw file `{name}` is not a plain file name",
                        "name a file directly inside raw/ (no folders, no ..)")
        return None
    fields = {
        "id": source_id, "title": str(record["title"]), "outlet": checker.text_field(file, record, "outlet"),
        "medium": str(record["medium"]), "published": published, "precision": str(record["precision"]),
        "script": str(record["script"]), "raw": name, "sha256": str(record["sha256"]).lower(),
        "authors": checker.text_list(file, record, "authors"), "editors": checker.text_list(file, record, "editors"),
        "subtitle": checker.text_field(file, record, "subtitle"), "column": checker.text_field(file, record, "column"),
        "found_at": checker.text_field(file, record, "found_at"), "url": checker.text_field(file, record, "url"),
        "notes": checker.text_list(file, record, "notes"),
        "published_evidence": checker.text_field(file, record, "published_evidence"),
    }  # fmt: skip
    return SourceEntry(fields, record.line_of("raw"), record.line_of("sha256"))


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
    """What a fact file is checked against: the topics, the metrics, and the clean text of each source."""

    topics: AnyMapping[str, Topic]
    metrics: AnyMapping[str, Metric]
    texts: AnyMapping[str, str]  # source id -> clean text, for the sources that loaded


def read_fact_file(data: Any, file: str, stem: str, context: Context, checker: Checker) -> FactFile:
    if data is None:
        return FactFile(None)
    if not isinstance(data, Mapping) or not isinstance(data.get("facts"), list):
        checker.problem(file, 1, "expected `source:` and a `facts:` list", "see the README's data format")
        return FactFile(None)
    source_id = str(data.get("source", ""))
    text = context.texts.get(source_id)
    if text is None:
        known = ", ".join(context.texts) or "none loaded"
        checker.problem(file, data.line_of("source"), f"unknown source `{source_id}`",
                        f"use an id from sources.yaml ({known})")
        return FactFile(None)
    if stem != source_id:
        checker.problem(file, 1, f"file is named {stem}.yaml but holds source `{source_id}`",
                        f"rename it to {source_id}.yaml", severity="warning")
    result = FactFile(source_id)
    seen: dict[str, int] = {}
    for record in data["facts"]:
        if not isinstance(record, Mapping):
            checker.problem(file, data.line_of("facts"), "a fact must be a mapping", "write `- id: ...`")
            continue
        fact_id = str(record.get("id", ""))
        if fact_id in seen:
            checker.problem(file, record.line_of("id"), f"duplicate fact id `{fact_id}` (also in {file}:{seen[fact_id]})",
                            "give each fact its own id")
            continue
        if fact_id:
            seen[fact_id] = record.line
            result.seen.append((fact_id, record.line))
        built = _fact_record(file, record, source_id, text, context, checker, result)
        if built is not None:
            result.records.append(built)
    result.records.sort(key=lambda fact: (fact[4], fact[0]))  # reading order: place in the text, then id
    result.not_figures = _not_figures(file, data.get("not_figures") or [], text, checker)
    return result


def _fact_record(file: str, record: Mapping, source_id: str, text: str, context: Context, checker: Checker,
                 result: FactFile) -> list[Any] | None:  # fmt: skip
    if not checker.check_fields(file, record, FACT_FIELDS, ("id", "topic", "statement", "en", "quote")):
        return None
    fact_id = str(record["id"])
    ok = True
    if not _ID.match(fact_id):
        checker.problem(file, record.line_of("id"), f"fact id `{fact_id}` is not lowercase-with-hyphens",
                        "use letters, digits and hyphens")
        ok = False
    topic_id = str(record["topic"])
    result.topics.add(topic_id)
    if topic_id not in context.topics:
        close = difflib.get_close_matches(topic_id, list(context.topics), n=1)
        checker.problem(file, record.line_of("topic"), f"unknown topic `{record['topic']}`",
                        f"did you mean `{close[0]}`?" if close else "use a dotted id from topics.yaml")
        ok = False
    quote = str(record["quote"])
    span = _locate_quote(file, record, source_id, text, quote, checker)
    quantities = _quantities(file, record, quote, checker)
    metric = checker.text_field(file, record, "metric")
    if metric is not None:
        result.metrics.add(metric)
        ok = _check_metric(file, record, metric, quantities, context, checker) and ok
    if not ok or span is None or quantities is None:
        return None
    return [fact_id, str(record["statement"]), str(record["en"]), quote, span.start, span.end,
            [[q.value, q.unit, q.text, q.qualifier] for q in quantities], checker.text_field(file, record, "period"),
            checker.text_field(file, record, "scope"), checker.text_field(file, record, "actor"), metric, topic_id,
            source_id, file, record.line]  # fmt: skip


def _locate_quote(file: str, record: Mapping, source_id: str, text: str, quote: str, checker: Checker) -> Span | None:
    line = record.line_of("quote")
    starts = occurrences(quote, text)
    occurrence = record.get("occurrence")
    if not starts:
        checker.problem(file, line, f"quote not found in the clean text of `{source_id}`: {quote[:40]}",
                        nearest_passage(text, quote))
        return None
    if occurrence is None:
        if len(starts) > 1:
            checker.problem(file, line, f"quote occurs {len(starts)} times in `{source_id}`",
                            f"add `occurrence: N` (1 to {len(starts)}) or lengthen the quote")
            return None
        occurrence = 1
    if not isinstance(occurrence, int) or isinstance(occurrence, bool) or not 1 <= occurrence <= len(starts):
        checker.problem(file, record.line_of("occurrence"), f"`occurrence` is {occurrence!r}",
                        f"use a whole number from 1 to {len(starts)}")
        return None
    start = starts[occurrence - 1]
    return Span(start, start + len(quote))


def _quantities(file: str, record: Mapping, quote: str, checker: Checker) -> tuple[Quantity, ...] | None:
    items = record.get("quantities") or []
    if not isinstance(items, list):
        checker.problem(file, record.line_of("quantities"), "`quantities` must be a list", "write `- value: ...`")
        return None
    built: list[Quantity] = []
    ok = True
    for item in items:
        quantity = _quantity(file, item, quote, checker) if isinstance(item, Mapping) else None
        if quantity is None:
            if not isinstance(item, Mapping):
                checker.problem(file, record.line_of("quantities"), "a quantity must be a mapping",
                                "write `- {value: ..., unit: ..., text: ...}`")
            ok = False
            continue
        built.append(quantity)
    return tuple(built) if ok else None


def _quantity(file: str, item: Mapping, quote: str, checker: Checker) -> Quantity | None:
    if not checker.check_fields(file, item, QUANTITY_FIELDS, ("value", "unit", "text")):
        return None
    value, text, unit = item["value"], str(item["text"]), str(item["unit"])
    qualifier = item.get("qualifier")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        checker.problem(file, item.line_of("value"), f"`value` is {value!r}", "write a plain number: 3508000")
        return None
    if text not in quote:
        checker.problem(file, item.line_of("text"), f"quantity text `{text}` is not in the quote",
                        "copy the figure exactly as the quote writes it")
        return None
    if qualifier is not None and split_qualifier(str(qualifier)) is None:
        checker.problem(file, item.line_of("qualifier"), f"unknown qualifier `{qualifier}`",
                        "use 余 多 近 超过 累计 约 以上 达 上万 最高 第 共, alone or in text order")
        return None
    parsed = parse_quantity(text)
    if parsed is not None and not math.isclose(parsed.value, float(value), rel_tol=1e-9):
        checker.problem(file, item.line_of("value"), f"`{text}` reads as {parsed.value:.10g} but value is {value}",
                        f"set value: {parsed.value:.10g}")
        return None
    return Quantity(float(value), unit, text, str(qualifier) if qualifier is not None else None)


def _check_metric(file: str, record: Mapping, key: str, quantities: tuple[Quantity, ...] | None, context: Context,
                  checker: Checker) -> bool:  # fmt: skip
    line = record.line_of("metric")
    metric = context.metrics.get(key)
    if metric is None:
        close = difflib.get_close_matches(key, list(context.metrics), n=1)
        checker.problem(file, line, f"unknown metric `{key}`",
                        f"did you mean `{close[0]}`? otherwise add it to metrics.yaml" if close
                        else "add it to metrics.yaml with zh, en and unit")  # fmt: skip
        return False
    if not quantities:
        checker.problem(file, line, f"metric `{key}` on a fact with no quantities",
                        "add the figure under `quantities`, or remove the metric")
        return False
    if not same_unit(quantities[0].unit, metric.unit):
        checker.problem(file, line, f"metric `{key}` is counted in {metric.unit}, this fact's figure in "
                        f"{quantities[0].unit}", "use the metric's unit, or a different metric")  # fmt: skip
        return False
    return True


def _not_figures(file: str, items: Any, text: str, checker: Checker) -> list[Span]:
    spans: list[Span] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, Mapping) or not item.get("text") or not item.get("why"):
            checker.problem(file, getattr(item, "line", 0), "a not_figures entry needs `text` and `why`",
                            "write `- {text: ..., why: ...}`")
            continue
        wanted = str(item["text"])
        starts = occurrences(wanted, text)
        if not starts:
            checker.problem(file, item.line_of("text"), f"not_figures text not found: {wanted[:40]}",
                            nearest_passage(text, wanted))
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
        return "copy the quote verbatim from `unionbrowse source ID --text`"
    passage = text[alignment.dest_start : alignment.dest_end]
    return f"closest passage ({alignment.score:.0f}%): {passage[:60]}"
