"""The search engine: a query, an index, ranked hits with scores 0-100 and match spans.

Two stages keep a keystroke cheap at any corpus size. The index shortlists candidates (n-gram, word, figure and
pinyin postings, filters), costing what the matches cost; then only a bounded number of candidates are scored
in Python with rapidfuzz and the pinyin matcher. Ranking: an exact phrase outranks a fuzzy one, a match in the
statement or quote one in the English, topic or metadata, a figure equal to a typed number a mention of it;
ties keep reading order.
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from unionbrowse.corpus.numbers import parse_number
from unionbrowse.corpus.script import fold, is_cjk, occurrences
from unionbrowse.search import pinyin as pinyin_match
from unionbrowse.search.documents import FIELD_NAMES
from unionbrowse.search.index import Index
from unionbrowse.search.query import Query, Term, parse
from unionbrowse.search.shortlist import Shortlister

# What an exact match is worth in each field: what the fact says first, where it is filed last.
FIELD_SCORE = {"statement": 100.0, "quote": 100.0, "en": 96.0, "topic": 88.0, "meta": 84.0}
FUZZY_WEIGHT = 0.9
FUZZY_CUTOFF = 70.0
MENTION_SCORE = 96.0  # a number that is only written in the text, not a recorded figure
PARTIAL_NUMBER_SCORE = 90.0  # the beginning of a number written in the text
SCORED = 40  # candidates scored in full for one query (at least twice the results shown)
SLOW_SCORED = 40  # candidates tried with every reading of every character when none matched otherwise
VIEW_CACHE = 4096  # documents kept decoded between keystrokes
_LATIN = re.compile(r"^[a-z]+$")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Hit:
    doc: int
    score: float
    field: str
    highlights: dict[str, list[tuple[int, int]]] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # documents that passed the shortlist and filters
    at_least: bool = False  # a very broad query: total is a lower bound


@dataclass(frozen=True)
class _TermScore:
    score: float
    field: str
    spans: dict[str, list[tuple[int, int]]]


class _DocView:
    """One document as the scorer needs it, computed on first use and kept while the reader types."""

    def __init__(self, index: Index, doc: int) -> None:
        self.doc = doc
        self.folded = index.fields(doc)
        self._index = index

    @cached_property
    def readings(self) -> list[list[str]]:
        both = self._index.doc_readings(self.doc)
        split = len(self.folded[0])
        return [both[:split], both[split + 1 :]]

    @cached_property
    def en_words(self) -> list[str]:
        return re.findall(r"[a-z]+", self.folded[2])

    @cached_property
    def spellings(self) -> list[pinyin_match.Spelling]:
        return [pinyin_match.spell(self.folded[i], self.readings[i]) for i in range(2)]


class Engine:
    def __init__(self, index: Index, source_labels: dict[str, str] | None = None,
                 topic_labels: dict[str, str] | None = None) -> None:  # fmt: skip
        self.index = index
        self.shortlister = Shortlister(index, source_labels or {}, topic_labels or {})
        self._views: OrderedDict[int, _DocView] = OrderedDict()

    def _alternatives(self, char: str) -> tuple[str, ...]:
        """Every reading of a character, from the index: pypinyin is never loaded to search."""
        return tuple(self.index.readings.get(char, ()))

    def search(self, text: str, limit: int | None = 20) -> Results:
        query = parse(text)
        if not query.groups:
            found = self.shortlister.shortlist(query, budget=None)
            chosen = np.sort(found.docs) if limit is None else np.sort(found.docs)[:limit]
            return Results([Hit(int(doc), 100.0, "") for doc in chosen.tolist()], found.total, found.capped)
        budget = None if limit is None else max(SCORED, limit * 2)
        found = self.shortlister.shortlist(query, budget)
        docs = found.docs.tolist()
        hits = [hit for doc in docs if (hit := self._score(query, doc, slow=False)) is not None]
        if not hits and any(pinyin_match.has_letters(fold(t.text)) for t in query.terms):
            # Nothing by in-word readings and initials: try every reading of every character, which is slower.
            hits = [hit for doc in docs[:SLOW_SCORED] if (hit := self._score(query, doc, slow=True))]
        hits.sort(key=lambda hit: (-hit.score, hit.doc))
        shown = hits if limit is None else hits[:limit]
        # When every candidate was scored, those it turned down are no matches and the count is exact.
        total = len(hits) if len(found.docs) == found.total else found.total
        return Results(shown, max(total, len(shown)), found.capped)

    # --- stage 2: scoring ---------------------------------------------------------------------------------

    def _view(self, doc: int) -> _DocView:
        view = self._views.get(doc)
        if view is None:
            view = _DocView(self.index, doc)
            self._views[doc] = view
            if len(self._views) > VIEW_CACHE:
                self._views.popitem(last=False)
        else:
            self._views.move_to_end(doc)
        return view

    def _score(self, query: Query, doc: int, slow: bool) -> Hit | None:
        view = self._view(doc)
        total = 0.0
        best_field = ""
        best_field_score = -1.0
        highlights: dict[str, list[tuple[int, int]]] = {}
        for group in query.groups:
            options = [self._score_term(term, view, slow) for term in group]
            chosen = max((o for o in options if o is not None), key=lambda o: o.score, default=None)
            if chosen is None:
                return None
            total += chosen.score
            if chosen.score > best_field_score:
                best_field, best_field_score = chosen.field, chosen.score
            for name, spans in chosen.spans.items():
                highlights.setdefault(name, []).extend(spans)
        score = round(total / len(query.groups), 1)
        return Hit(doc, score, best_field, {k: _merge_spans(v) for k, v in highlights.items()})

    def _score_term(self, term: Term, view: _DocView, slow: bool) -> _TermScore | None:
        needle = fold(term.text)
        folded = view.folded
        best: _TermScore | None = None

        def offer(candidate: _TermScore | None) -> None:
            nonlocal best
            if candidate is not None and (best is None or candidate.score > best.score):
                best = candidate

        number = parse_number(needle) if any(ch.isdigit() for ch in needle) else None
        if number is not None:
            return self._number(number, needle, folded, view.doc)
        offer(_exact(needle, folded))
        if term.exact:
            return best
        if best is not None and best.score >= FIELD_SCORE["quote"]:
            return best
        if pinyin_match.has_letters(needle):
            offer(_pinyin(needle, folded, view.spellings, view.readings, self._alternatives if slow else None))
            offer(_english(needle, view.en_words))
        if any(is_cjk(ch) for ch in needle) and len(needle) >= 2:
            offer(_fuzzy(needle, folded))
        return best

    def _number(self, value: float, needle: str, folded: list[str], doc: int) -> _TermScore | None:
        """A typed number: a recorded figure equal to it, else the number written in the text, else the year."""
        index = self.index
        is_figure = doc in index.figure_docs(value).tolist()
        digits = re.sub(r"[万萬亿億]$", "", needle)
        shown = [(name, folded[i]) for i, name in enumerate(FIELD_NAMES[:2]) if digits in folded[i]]
        whole = {name: found for name, text in shown if (found := _number_spans(digits, text))}
        if is_figure:
            return _TermScore(100.0, "statement", whole)
        if whole:
            return _TermScore(MENTION_SCORE, next(iter(whole)), whole)
        begun = {name: found for name, text in shown if (found := _number_spans(digits, text, whole=False))}
        if begun:  # the reader is still typing the number: 3.2 for 3.24万
            return _TermScore(PARTIAL_NUMBER_SCORE, next(iter(begun)), begun)
        for i, name in enumerate(FIELD_NAMES[2:], start=2):
            if needle in folded[i] and _number_spans(needle, folded[i]):
                return _TermScore(FIELD_SCORE[name] - 4, name, {})
        if _YEAR.match(needle) and int(needle) == int(index.doc_year[doc]):
            return _TermScore(FIELD_SCORE["meta"] - 4, "meta", {})
        return None


# --- scoring helpers -------------------------------------------------------------------------------------------


def _exact(needle: str, folded: list[str]) -> _TermScore | None:
    best: _TermScore | None = None
    spans: dict[str, list[tuple[int, int]]] = {}
    for i, name in enumerate(FIELD_NAMES):
        found = [(start, start + len(needle)) for start in occurrences(needle, folded[i])]
        if not found:
            continue
        score = FIELD_SCORE[name]
        if name == "en" and not re.search(rf"(?<![a-z]){re.escape(needle)}(?![a-z])", folded[i]):
            score = score - 4 if len(needle) >= 4 else 70.0  # inside a longer word: "gh" in "through"
        if i < 2:
            spans[name] = found
        if best is None or score > best.score:
            best = _TermScore(score, name, spans)
    return best


def _pinyin(needle: str, folded: list[str], spellings: list[pinyin_match.Spelling], readings: list[list[str]],
            alternatives: Callable[[str], tuple[str, ...]] | None) -> _TermScore | None:  # fmt: skip
    """Whole readings or initials first (string search); the character-by-character matcher only if asked."""
    pattern = needle.replace(" ", "")
    if _LATIN.match(pattern):
        for i, name in enumerate(FIELD_NAMES[:2]):
            found = pinyin_match.find_spelt(pattern, spellings[i])
            if found:
                return _TermScore(found.score, name, {name: [(found.start, found.end)]})
        if alternatives is None:
            return None
    best: _TermScore | None = None
    for i, name in enumerate(FIELD_NAMES[:2]):
        found = pinyin_match.find(pattern, folded[i], readings[i], alternatives or _no_alternatives)
        if found and (best is None or found.score > best.score):
            best = _TermScore(found.score, name, {name: [(found.start, found.end)]})
    return best


def _no_alternatives(char: str) -> tuple[str, ...]:
    return ()


def _english(needle: str, words: list[str]) -> _TermScore | None:
    if not _LATIN.match(needle) or len(needle) < 4:
        return None
    if not words:
        return None
    match = process.extractOne(needle, words, scorer=fuzz.ratio, score_cutoff=80)
    return _TermScore(match[1] * FUZZY_WEIGHT * FIELD_SCORE["en"] / 100, "en", {}) if match else None


def _fuzzy(needle: str, folded: list[str]) -> _TermScore | None:
    best: _TermScore | None = None
    for i, name in enumerate(FIELD_NAMES[:2]):
        if not folded[i]:
            continue
        alignment = fuzz.partial_ratio_alignment(needle, folded[i], score_cutoff=FUZZY_CUTOFF)
        if alignment is None:
            continue
        score = alignment.score * FUZZY_WEIGHT
        if best is None or score > best.score:
            best = _TermScore(score, name, {name: [(alignment.dest_start, alignment.dest_end)]})
    return best


def _number_spans(number: str, text: str, whole: bool = True) -> list[tuple[int, int]]:
    """Where a number is written as a whole (109 in 109项, not in 1090 or 2109), or begun (whole=False)."""
    return [(match.start(), match.end()) for match in _number_pattern(number, whole).finditer(text)]


@lru_cache(maxsize=256)
def _number_pattern(number: str, whole: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<![\d.]){re.escape(number)}" + (r"(?![\d]|\.\d)" if whole else ""))


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
