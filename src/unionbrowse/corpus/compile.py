"""Compile a data folder into a store, remaking only what changed.

Each file is compiled into a unit (``units.py``) named by its content and the program: topics and metrics; the
source records; the clean text of each raw article; each fact file, validated against only what it names. A unit
is reused while its inputs are unchanged (a fact file also records what it was checked against: its source's
clean text, the topics and metrics it names), so editing one fact file re-reads that file alone, and adding an
article cleans that article alone. The units are then assembled, in reading order, into one store
(``store.py``), with the checks that span files: a fact id used twice, a source with no facts.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unionbrowse import __version__
from unionbrowse.corpus.clean import clean
from unionbrowse.corpus.folder import FACTS, METRICS, RAW, SOURCES, TOPICS, DataFolder
from unionbrowse.corpus.model import Metric, Topic
from unionbrowse.corpus.problems import Problem
from unionbrowse.corpus.store import (
    StoreContents,
    StoreWriter,
    metrics_as_json,
    metrics_from_json,
    problems_as_json,
    problems_from_json,
    topics_as_json,
    topics_from_json,
)
from unionbrowse.corpus.units import Units, digest
from unionbrowse.corpus.validate import (
    Checker,
    Context,
    SourceEntry,
    read_fact_file,
    read_metrics,
    read_sources,
    read_topics,
)
from unionbrowse.corpus.yaml_lines import guess_encoding, parse_yaml

Progress = Callable[[str], None]


@functools.cache
def build_id() -> str:
    """The program that compiles: its version and the code of this package, so a changed rule remakes the cache."""
    hasher = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def corpus_key(inventory: dict[str, str]) -> str:
    """The key of the compiled corpus: the digest of every data file, and the program."""
    return digest(build_id(), *(f"{name}={sha}" for name, sha in sorted(inventory.items())))


@dataclass
class _FactUnit:
    name: str
    file: str
    header: dict[str, Any]
    data: bytes | None  # kept only when there is no cache to read it back from


def compile_folder(folder: DataFolder, inventory: dict[str, str], units: Units, parent: Path, key: str,
                   progress: Progress) -> Path:  # fmt: skip
    """Compile into a staging folder under ``parent``; return it, ready to be installed as the store."""
    return _Compiler(folder, inventory, units, progress).run(parent, key)


class _Compiler:
    def __init__(self, folder: DataFolder, inventory: dict[str, str], units: Units, progress: Progress) -> None:
        self.folder = folder
        self.inventory = inventory
        self.units = units
        self.progress = progress
        self.problems: list[Problem] = []
        self.used: list[str] = []

    def run(self, parent: Path, key: str) -> Path:
        topics, metrics, meta_key = self.meta()
        entries, sources_key = self.source_entries()
        texts, text_keys, loaded = self.clean_texts(entries)
        self.context = context = Context(topics, metrics, texts)
        facts = self.fact_units(context, text_keys, meta_key, sources_key)
        self.progress("writing the compiled corpus")
        writer = StoreWriter(parent)
        try:
            contents = self.assemble(writer, facts, loaded, topics, metrics)
            return writer.finish(contents, (texts[entry.id] for entry in loaded), key, self.folder.root)
        except BaseException:
            writer.abandon()
            raise

    # --- units --------------------------------------------------------------------------------------------

    def unit_json(self, name: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        cached = self.units.load(name)
        if cached is not None:
            try:
                data: dict[str, Any] = json.loads(cached)
                self.used.append(name)
                return data
            except ValueError:
                pass  # a damaged unit is made again
        data = make()
        self.units.save(name, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        self.used.append(name)
        return data

    def parse(self, name: str, checker: Checker) -> Any:
        data, problems = parse_yaml(self.folder.read(name), name)
        checker.problems.extend(problems)
        return data

    # --- topics, metrics, sources, clean texts ------------------------------------------------------------

    def meta(self) -> tuple[dict[str, Topic], dict[str, Metric], str]:
        key = digest(build_id(), "meta", self.inventory.get(TOPICS, "-"), self.inventory.get(METRICS, "-"))

        def make() -> dict[str, Any]:
            checker = Checker()
            topics = read_topics(self.parse(TOPICS, checker), checker)
            metrics = read_metrics(self.parse(METRICS, checker), checker)
            return {"topics": topics_as_json(topics.values()), "metrics": metrics_as_json(metrics.values()),
                    "problems": problems_as_json(checker.problems)}  # fmt: skip

        data = self.unit_json(f"meta-{key}.json", make)
        self.problems.extend(problems_from_json(data["problems"]))
        topics = {topic.id: topic for topic in topics_from_json(data["topics"])}
        metrics = {metric.key: metric for metric in metrics_from_json(data["metrics"])}
        return topics, metrics, key

    def source_entries(self) -> tuple[list[SourceEntry], str]:
        key = digest(build_id(), "sources", self.inventory.get(SOURCES, "-"))

        def make() -> dict[str, Any]:
            checker = Checker()
            entries = read_sources(self.parse(SOURCES, checker), checker)
            return {"entries": [[e.fields, e.line_of_raw, e.line_of_sha256] for e in entries],
                    "problems": problems_as_json(checker.problems)}  # fmt: skip

        data = self.unit_json(f"sources-{key}.json", make)
        self.problems.extend(problems_from_json(data["problems"]))
        return [SourceEntry(*entry) for entry in data["entries"]], key

    def clean_texts(self, entries: list[SourceEntry]) -> tuple[dict[str, str], dict[str, str], list[SourceEntry]]:
        """The clean text of every source whose raw file is there, unchanged, and readable."""
        texts: dict[str, str] = {}
        keys: dict[str, str] = {}
        loaded: list[SourceEntry] = []
        for number, entry in enumerate(entries, start=1):
            self.progress(f"cleaning source {number:,} of {len(entries):,}")
            name = f"{RAW}/{entry.raw}"
            sha = self.inventory.get(name)
            if sha is None:
                self.problems.append(Problem(SOURCES, entry.line_of_raw, f"raw file {name} does not exist",
                                             "copy the article into raw/ or fix the name"))  # fmt: skip
                continue
            if sha != entry.fields["sha256"]:
                self.problems.append(Problem(
                    SOURCES, entry.line_of_sha256, f"{name} has changed: its SHA-256 is {sha}",
                    "restore the file as received, or, if the new bytes are the article as received, update sha256"))
                continue
            key = digest(build_id(), "clean", sha)
            data = self.unit_json(f"clean-{key}.json", lambda name=name: self.clean_one(name))  # type: ignore[misc]
            if data["problem"] is not None:
                line, message, fix = data["problem"]
                self.problems.append(Problem(name, line, message, fix))
                continue
            texts[entry.id], keys[entry.id] = data["text"], key
            loaded.append(entry)
        return texts, keys, loaded

    def clean_one(self, name: str) -> dict[str, Any]:
        data = self.folder.read(name) or b""
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as error:
            at = data[: error.start].count(b"\n") + 1
            return {"text": None, "problem": [at, "not UTF-8 text", f"convert it to UTF-8{guess_encoding(data)}"]}
        text = clean(raw).text
        if not text.strip():
            return {"text": None, "problem": [1, "no article body left after cleaning", "check that the file is an article"]}
        return {"text": text, "problem": None}

    # --- fact files ---------------------------------------------------------------------------------------

    def fact_units(self, context: Context, text_keys: dict[str, str], meta_key: str, sources_key: str) -> list[_FactUnit]:
        files = self.folder.fact_files()
        if not files:
            self.problems.append(Problem(f"{FACTS}/", 0, "no fact files", "add facts/<source-id>.yaml"))

        def signature(header: dict[str, Any]) -> str:
            """What the unit was checked against; if any of it changed, the file is checked again."""
            source = header["source"] or "-"
            parts = [source, text_keys.get(source, "-")]
            if header["problems"]:  # a problem's hint may name any topic, metric or source: depend on them all
                parts += [meta_key, sources_key, *sorted(text_keys)]
            else:
                parts += [f"t:{t}:{t in context.topics}" for t in sorted(header["needs_topics"])]
                parts += [f"m:{m}:{context.metrics[m].unit if m in context.metrics else '-'}"
                          for m in sorted(header["needs_metrics"])]  # fmt: skip
            return digest(*parts)

        found: list[_FactUnit] = []
        for number, file in enumerate(files, start=1):
            if number % 100 == 1 or number == len(files):
                self.progress(f"checking {file} ({number:,} of {len(files):,} fact files)")
            name = f"facts-{digest(build_id(), file, self.inventory[file])}.jsonl"
            cached = self.units.load(name)
            header = _header(cached) if cached is not None else None
            if header is not None and header.get("signature") == signature(header):
                found.append(_FactUnit(name, file, header, None))
                self.used.append(name)
                continue
            header, data = self.check_fact_file(file, context)
            header["signature"] = signature(header)
            data = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + data
            self.units.save(name, data)
            self.used.append(name)
            found.append(_FactUnit(name, file, header, data if self.units.root is None else None))
        return found

    def check_fact_file(self, file: str, context: Context) -> tuple[dict[str, Any], bytes]:
        checker = Checker()
        checked = read_fact_file(self.parse(file, checker), file, Path(file).stem, context, checker)
        records = [json.dumps(record, ensure_ascii=False).encode("utf-8") for record in checked.records]
        header = {
            "source": checked.source, "problems": problems_as_json(checker.problems), "seen": checked.seen,
            "ids": [r[0] for r in checked.records], "starts": [r[4] for r in checked.records],
            "metrics": [r[10] for r in checked.records], "topics": [r[11] for r in checked.records],
            "not_figures": [span.as_list() for span in checked.not_figures],
            "needs_topics": sorted(checked.topics), "needs_metrics": sorted(checked.metrics),
        }  # fmt: skip
        return header, b"\n".join(records)

    # --- assembly -----------------------------------------------------------------------------------------

    def assemble(self, writer: StoreWriter, facts: list[_FactUnit], loaded: list[SourceEntry],
                 topics: dict[str, Topic], metrics: dict[str, Metric]) -> StoreContents:  # fmt: skip
        dropped, duplicates = self.cross_file_duplicates(facts)
        by_source: dict[str, list[_FactUnit]] = {}
        for unit in facts:
            self.problems.extend(problems_from_json(unit.header["problems"]))
            self.problems.extend(duplicates.get(unit.file, []))
            if unit.header["source"] is not None:
                by_source.setdefault(unit.header["source"], []).append(unit)
        topic_rows = {topic_id: row for row, topic_id in enumerate(topics)}
        metric_rows = {key: row for row, key in enumerate(metrics)}
        not_figures: dict[str, list[list[int]]] = {}
        for row, entry in enumerate(loaded):
            group = by_source.get(entry.id, [])
            not_figures[entry.id] = [span for unit in group for span in unit.header["not_figures"]]
            placed = [(unit.header["starts"][i], unit.header["ids"][i], n, i)
                      for n, unit in enumerate(group) for i in range(len(unit.header["ids"]))
                      if unit.header["ids"][i] not in dropped.get(unit.file, ())]  # fmt: skip
            if len(group) > 1:
                placed.sort()
            lines = [self.records(unit) for unit in group]
            for _, fact_id, n, i in placed:
                header = group[n].header
                writer.add_fact(lines[n][i], fact_id, row, topic_rows[header["topics"][i]],
                                metric_rows.get(header["metrics"][i], -1) if header["metrics"][i] else -1)
            if not placed:
                self.problems.append(Problem(f"{FACTS}/", 0, f"source `{entry.id}` has no facts",
                                             f"add facts/{entry.id}.yaml", "warning"))  # fmt: skip
        return StoreContents(list(topics.values()), list(metrics.values()), [entry.fields for entry in loaded],
                             not_figures, self.problems, self.used)  # fmt: skip

    @staticmethod
    def cross_file_duplicates(facts: list[_FactUnit]) -> tuple[dict[str, set[str]], dict[str, list[Problem]]]:
        """A fact id already used in an earlier file (files in name order): reported, and the later one dropped.
        (A file's own duplicates were found when it was checked.)"""
        first: dict[str, str] = {}
        dropped: dict[str, set[str]] = {}
        problems: dict[str, list[Problem]] = {}
        for unit in facts:
            for fact_id, line in unit.header["seen"]:
                if fact_id in first:
                    problems.setdefault(unit.file, []).append(Problem(
                        unit.file, line, f"duplicate fact id `{fact_id}` (also in {first[fact_id]})",
                        "give each fact its own id"))  # fmt: skip
                    dropped.setdefault(unit.file, set()).add(fact_id)
                else:
                    first[fact_id] = f"{unit.file}:{line}"
        return dropped, problems

    def records(self, unit: _FactUnit) -> list[bytes]:
        data = unit.data if unit.data is not None else self.units.load(unit.name)
        if data is None:  # removed by another process since it was checked: the same file gives the same unit
            header, body = self.check_fact_file(unit.file, self.context)
            data = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body
        body = data.split(b"\n", 1)[1] if b"\n" in data else b""
        return body.split(b"\n") if body else []


def _header(data: bytes) -> dict[str, Any] | None:
    try:
        header = json.loads(data.split(b"\n", 1)[0])
    except ValueError:
        return None
    return header if isinstance(header, dict) else None
