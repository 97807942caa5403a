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
from unionbrowse.corpus.folder import FACTS, METRICS, RAW, REFUSED, SOURCES, TOPICS, DataFolder, Unreadable
from unionbrowse.corpus.model import Metric, Topic
from unionbrowse.corpus.problems import Problem
from unionbrowse.corpus.schema import invisible_warning
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
    FactFile,
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
        self.problems.extend(self.refused(name) for name in self.folder.misnamed())  # each said once, by name
        known_topics, known_metrics, meta_key = self.meta()
        sources, sources_key = self.source_entries()
        entries, named = sources if sources is not None else ([], [])
        texts, text_keys, loaded = self.clean_texts(entries)
        self.context = context = Context(known_topics, known_metrics, texts, frozenset(named))
        facts = self.fact_units(context, text_keys, meta_key, sources_key) if sources is not None else self.unchecked()
        topics = known_topics if known_topics is not None else _stand_in_topics(facts)
        metrics = known_metrics if known_metrics is not None else _stand_in_metrics(facts)
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
        try:
            raw = self.folder.read(name)
        except Unreadable as refusal:
            checker.problem(name, 0, refusal.what, refusal.fix)
            return None
        data, problems = parse_yaml(raw, name)
        checker.problems.extend(problems)
        return data

    def guarded(self, file: str, make: Callable[[], dict[str, Any]], failed: dict[str, Any]) -> dict[str, Any]:
        """``make()``, or ``failed`` with a problem if it raises: one file's fault (or a bug reading it) never
        stops the rest of the folder from loading, and never reaches the user as a traceback."""
        try:
            return make()
        except Exception as error:
            problem = Problem(file, 0, f"could not be read ({type(error).__name__})",
                              "this is a fault in unionbrowse: please report it with the file")  # fmt: skip
            return {**failed, "problems": problems_as_json([problem])}

    # --- topics, metrics, sources, clean texts ------------------------------------------------------------

    def meta(self) -> tuple[dict[str, Topic] | None, dict[str, Metric] | None, str]:
        """The topics and metrics (None for a file that could not be read at all), and the key they are kept by."""
        key = digest(build_id(), "meta", self.inventory.get(TOPICS, "-"), self.inventory.get(METRICS, "-"))

        def make() -> dict[str, Any]:
            checker = Checker()
            topics = read_topics(self.parse(TOPICS, checker), checker)
            metrics = read_metrics(self.parse(METRICS, checker), checker)
            return {"topics": None if topics is None else topics_as_json(topics.values()),
                    "metrics": None if metrics is None else metrics_as_json(metrics.values()),
                    "problems": problems_as_json(checker.problems.reported())}  # fmt: skip

        failed = {"topics": None, "metrics": None}
        data = self.unit_json(f"meta-{key}.json", lambda: self.guarded(TOPICS, make, failed))
        self.problems.extend(problems_from_json(data["problems"]))
        topics = None if data["topics"] is None else {t.id: t for t in topics_from_json(data["topics"])}
        metrics = None if data["metrics"] is None else {m.key: m for m in metrics_from_json(data["metrics"])}
        return topics, metrics, key

    def source_entries(self) -> tuple[tuple[list[SourceEntry], list[str]] | None, str]:
        """The valid source records and the id of every record; None if sources.yaml could not be read at all."""
        key = digest(build_id(), "sources", self.inventory.get(SOURCES, "-"))

        def make() -> dict[str, Any]:
            checker = Checker()
            read = read_sources(self.parse(SOURCES, checker), checker)
            entries, named = read if read is not None else (None, [])
            return {"entries": None if entries is None else [[e.fields, e.line_of_raw, e.line_of_sha256] for e in entries],
                    "named": named, "problems": problems_as_json(checker.problems.reported())}  # fmt: skip

        data = self.unit_json(f"sources-{key}.json", lambda: self.guarded(SOURCES, make, {"entries": None, "named": []}))
        self.problems.extend(problems_from_json(data["problems"]))
        if data["entries"] is None:
            return None, key
        return ([SourceEntry(*entry) for entry in data["entries"]], data["named"]), key

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
                self.problems.append(self.missing_raw(entry, name))
                continue
            if sha.startswith(REFUSED):  # there, but not a file that may be read: said on the file itself
                self.problems.append(self.refused(name))
                continue
            if sha != entry.fields["sha256"]:
                self.problems.append(Problem(
                    SOURCES, entry.line_of_sha256, f"{name} has changed: its SHA-256 is {sha}",
                    "restore the file as received, or, if the new bytes are the article as received, update sha256"))
                continue
            key = digest(build_id(), "clean", sha)
            data = self.unit_json(f"clean-{key}.json", lambda name=name: self.guarded(  # type: ignore[misc]
                name, lambda: self.clean_one(name), {"text": None}))
            self.problems.extend(problems_from_json(data.get("problems", [])))
            if data.get("problem") is not None:
                line, message, fix = data["problem"]
                self.problems.append(Problem(name, line, message, fix))
                continue
            if data["text"] is None:
                continue
            texts[entry.id], keys[entry.id] = data["text"], key
            loaded.append(entry)
        return texts, keys, loaded

    def missing_raw(self, entry: SourceEntry, name: str) -> Problem:
        refusal = self.folder.folder_refusal(RAW)
        if refusal is not None:
            return Problem(SOURCES, entry.line_of_raw, f"{name} is not read: {RAW}/ {refusal.what}", refusal.fix)
        return Problem(SOURCES, entry.line_of_raw, f"raw file {name} does not exist",
                       "copy the article into raw/ or fix the name")  # fmt: skip

    def refused(self, name: str) -> Problem:
        try:
            self.folder.read(name)
        except Unreadable as refusal:
            return Problem(name, 0, refusal.what, refusal.fix)
        return Problem(name, 0, "could not be read when the folder was listed", "open the folder again")

    def clean_one(self, name: str) -> dict[str, Any]:
        try:
            data = self.folder.read(name)
        except Unreadable as refusal:
            return {"text": None, "problem": [0, refusal.what, refusal.fix]}
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as error:
            at = data[: error.start].count(b"\n") + 1
            return {"text": None, "problem": [at, "not UTF-8 text", f"convert it to UTF-8{guess_encoding(data)}"]}
        text = clean(raw).text
        if not text.strip():
            return {"text": None, "problem": [1, "no article body left after cleaning", "check that the file is an article"]}
        return {"text": text, "problem": None, "problems": problems_as_json(_invisible_in_article(name, raw, text))}

    # --- fact files ---------------------------------------------------------------------------------------

    def fact_units(self, context: Context, text_keys: dict[str, str], meta_key: str, sources_key: str) -> list[_FactUnit]:
        files = self.folder.fact_files()
        refusal = self.folder.folder_refusal(FACTS)
        if refusal is not None:
            self.problems.append(Problem(f"{FACTS}/", 0, refusal.what, refusal.fix))
        elif not files:
            self.problems.append(Problem(f"{FACTS}/", 0, "no fact files", "add facts/<source-id>.yaml"))

        def signature(header: dict[str, Any]) -> str:
            """What the unit was checked against; if any of it changed, the file is checked again."""
            source = header["source"] or "-"
            parts = [source, text_keys.get(source, "-")]
            if header["problems"]:  # a problem's hint may name any topic, metric or source: depend on them all
                parts += [meta_key, sources_key, *sorted(text_keys)]
            else:
                topics, metrics = context.topics or {}, context.metrics or {}
                parts += [f"t:{t}:{t in topics}" for t in sorted(header["needs_topics"])]
                parts += [f"m:{m}:{metrics[m].unit if m in metrics else '-'}" for m in sorted(header["needs_metrics"])]
            return digest(*parts, modes)

        found: list[_FactUnit] = []
        modes = f"topics:{context.topics is not None} metrics:{context.metrics is not None}"
        for number, file in enumerate(files, start=1):
            if number % 100 == 1 or number == len(files):
                self.progress(f"checking {file} ({number:,} of {len(files):,} fact files)")
            name = f"facts-{digest(build_id(), file, self.inventory.get(file, '-'))}.jsonl"
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

    def unchecked(self) -> list[_FactUnit]:
        """With sources.yaml unreadable no fact file can be checked: said once, with how many, not once each."""
        files = self.folder.fact_files()
        if files:
            self.problems.append(Problem(f"{FACTS}/", 0, f"{len(files):,} fact file(s) not checked: sources.yaml "
                                         "could not be read", "fix sources.yaml first (above)", "warning"))  # fmt: skip
        return []

    def check_fact_file(self, file: str, context: Context) -> tuple[dict[str, Any], bytes]:
        checker = Checker()
        try:
            checked = read_fact_file(self.parse(file, checker), file, Path(file).stem, context, checker)
        except Exception as error:
            checker.problem(file, 0, f"could not be checked ({type(error).__name__})",
                            "this is a fault in unionbrowse: please report it with the file")  # fmt: skip
            checked = FactFile(None)
        records = [json.dumps(record, ensure_ascii=False).encode("utf-8") for record in checked.records]
        header = {
            "source": checked.source, "problems": problems_as_json(checker.problems.reported()), "seen": checked.seen,
            "ids": [r[0] for r in checked.records], "starts": [r[4] for r in checked.records],
            "metrics": [r[10] for r in checked.records], "topics": [r[11] for r in checked.records],
            "units": [r[6][0][1] if r[6] else None for r in checked.records],
            "not_figures": [span.as_list() for span in checked.not_figures],
            "needs_topics": sorted(checked.topics), "needs_metrics": sorted(checked.metrics),
        }  # fmt: skip
        return header, b"\n".join(records)

    # --- assembly -----------------------------------------------------------------------------------------

    def assemble(self, writer: StoreWriter, facts: list[_FactUnit], loaded: list[SourceEntry],
                 topics: dict[str, Topic], metrics: dict[str, Metric]) -> StoreContents:  # fmt: skip
        dropped, duplicates = self.cross_file_duplicates(facts)
        files = {unit.file for unit in facts}
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
            if not placed and f"{FACTS}/{entry.id}.yaml" not in files:  # (a file that is there said what is wrong)
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


def _invisible_in_article(name: str, raw: str, text: str) -> list[Problem]:
    """A warning when an article's clean text holds control or invisible characters, at the first raw line that
    does (a byte-order mark and CR line ends are how files are written, and cleaning removes them)."""
    if invisible_warning(name, 0, "", text) is None:
        return []
    for number, line in enumerate(raw.lstrip("\ufeff").split("\n"), start=1):
        warning = invisible_warning(name, number, "the article text", line.rstrip("\r"))
        if warning is not None:
            return [warning]
    return [invisible_warning(name, 0, "the article text", text)]  # type: ignore[list-item]


def _stand_in_topics(facts: list[_FactUnit]) -> dict[str, Topic]:
    """With topics.yaml unreadable, each topic the facts name, and its parents, labelled by its id: facts stay
    filed where they were, and the tree shows them."""
    topics: dict[str, Topic] = {}
    for unit in facts:
        for topic_id in unit.header["topics"]:
            parts = topic_id.split(".")
            for depth in range(1, len(parts) + 1):
                path = ".".join(parts[:depth])
                if path not in topics:
                    topics[path] = Topic(path, path, path, ".".join(parts[: depth - 1]) or None)
    return dict(sorted(topics.items()))


def _stand_in_metrics(facts: list[_FactUnit]) -> dict[str, Metric]:
    """With metrics.yaml unreadable, each metric the facts name, labelled by its key, in its first fact's unit."""
    metrics: dict[str, Metric] = {}
    for unit in facts:
        for key, measure in zip(unit.header["metrics"], unit.header.get("units", []), strict=False):
            if key and key not in metrics:
                metrics[key] = Metric(key, key, key, measure or "")
    return dict(sorted(metrics.items()))
