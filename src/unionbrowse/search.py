"""The search engine: a query, an index, ranked hits with scores 0-100 and match spans.

Two stages keep a keystroke cheap at any corpus size. The index shortlists candidates (n-gram, word, figure and
pinyin postings, filters), costing what the matches cost; then only a bounded number of candidates are scored
in Python with rapidfuzz and the pinyin matcher. Ranking: an exact phrase outranks a fuzzy one, a match in the
statement or quote one in the English, topic or metadata, a figure equal to a typed number a mention of it;
ties keep reading order.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from . import pinyin_match
from .documents import FIELD_NAMES
from .index import DocArray, Index, query_grams
from .query import Query, Term, parse
from .zh import char_readings, fold, is_cjk, parse_number

# What an exact match is worth in each field: what the fact says first, where it is filed last.
FIELD_SCORE = {"statement": 100.0, "quote": 100.0, "en": 96.0, "topic": 88.0, "meta": 84.0}
FUZZY_WEIGHT = 0.9
FUZZY_CUTOFF = 70.0
MENTION_SCORE = 96.0  # a number that is only written in the text, not a recorded figure
SCORED = 200  # candidates scored in full for one query
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


@dataclass(frozen=True)
class _TermScore:
    score: float
    field: str
    spans: dict[str, list[tuple[int, int]]]


class Engine:
    def __init__(self, index: Index, source_labels: dict[str, str] | None = None,
                 topic_labels: dict[str, str] | None = None) -> None:  # fmt: skip
        self.index = index
        self.source_labels = source_labels or {}
        self.topic_labels = topic_labels or {}

    # --- public ------------------------------------------------------------------------------------------

    def search(self, text: str, limit: int | None = 20) -> Results:
        query = parse(text)
        candidates, prescore = self._shortlist(query)
        candidates, prescore = self._apply_filters(query, candidates, prescore)
        candidates, prescore = self._exclude(query, candidates, prescore)
        total = len(candidates)
        if not query.groups:
            chosen = candidates if limit is None else candidates[:limit]
            return Results([Hit(int(doc), 100.0, "") for doc in chosen], total)
        budget = max(SCORED, (limit or 0) * 2) if limit is not None else len(candidates)
        if len(candidates) > budget:
            order = np.lexsort((candidates, -prescore))[:budget]
            candidates = candidates[np.sort(order)]
        hits = [hit for doc in candidates.tolist() if (hit := self._score(query, doc)) is not None]
        hits.sort(key=lambda hit: (-hit.score, hit.doc))
        return Results(hits if limit is None else hits[:limit], total)

    # --- stage 1: shortlist -------------------------------------------------------------------------------

    def _shortlist(self, query: Query) -> tuple[DocArray, npt.NDArray[np.int64]]:
        everything = np.arange(self.index.size, dtype=np.uint32)
        if not query.groups:
            return everything, np.zeros(len(everything), dtype=np.int64)
        result: DocArray | None = None
        prescore: npt.NDArray[np.int64] | None = None
        for group in sorted(query.groups, key=self._group_cost):
            docs, scores = self._group_candidates(group)
            if docs is None:  # the index cannot narrow this term: the scorer checks it
                continue
            if result is None:
                result, prescore = docs, scores
            else:
                keep = np.isin(result, docs, assume_unique=True)
                result = result[keep]
                prescore = prescore[keep] if prescore is not None else None
        if result is None:
            return everything, np.zeros(len(everything), dtype=np.int64)
        return result, prescore if prescore is not None else np.zeros(len(result), dtype=np.int64)

    def _group_cost(self, group: tuple[Term, ...]) -> int:
        cost = 0
        for term in group:
            grams = query_grams(fold(term.text))
            cost += min((self.index.gram_count(gram) for gram in grams), default=self.index.size)
        return cost

    def _group_candidates(self, group: tuple[Term, ...]) -> tuple[DocArray | None, npt.NDArray[np.int64]]:
        parts = [self._term_candidates(term) for term in group]
        if any(docs is None for docs, _ in parts):
            return None, np.empty(0, dtype=np.int64)
        docs = np.concatenate([d for d, _ in parts if d is not None])
        scores = np.concatenate([s for _, s in parts])
        if not len(docs):
            return docs.astype(np.uint32), scores
        order = np.lexsort((-scores, docs))
        docs, scores = docs[order], scores[order]
        first = np.r_[True, docs[1:] != docs[:-1]]
        return docs[first].astype(np.uint32), scores[first]

    def _term_candidates(self, term: Term) -> tuple[DocArray | None, npt.NDArray[np.int64]]:
        """Documents that may match one term, each with a rough score for choosing whom to score in full."""
        index = self.index
        needle = fold(term.text)
        grams = query_grams(needle)
        docs: list[DocArray] = []
        scores: list[npt.NDArray[np.int64]] = []

        def add(found: DocArray, score: int | npt.NDArray[np.int64]) -> None:
            docs.append(found.astype(np.uint32))
            scores.append(np.broadcast_to(np.asarray(score, dtype=np.int64), (len(found),)))

        if grams:
            add(index.docs_with_all(grams), len(grams) + 1)
            if not term.exact and len(grams) >= 2:  # a typo or a missing character: most pairs still match
                hits, counts = index.gram_hits(grams)
                enough = counts >= max(2, math.ceil(len(grams) / 2))
                add(hits[enough], counts[enough])
        number = parse_number(needle) if any(ch.isdigit() for ch in needle) else None
        if number is not None:
            add(index.docs_with_value(number), len(grams) + 1)
        for word in re.findall(r"[a-z]+", needle):
            for number_ in index.words_with_prefix(word):
                add(index.word_docs(number_), 1)
            if len(word) >= 4 and not term.exact:
                for _, _, number_ in process.extract(word, index.words, scorer=fuzz.ratio, score_cutoff=80, limit=8):
                    add(index.word_docs(number_), 1)
        if not term.exact and _LATIN.match(needle):
            add(self._pinyin_candidates(needle), 1)
        if not grams and not re.search(r"[a-z]", needle):
            return None, np.empty(0, dtype=np.int64)  # nothing indexable (punctuation, emoji): the scorer decides
        if not docs:
            return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
        return np.concatenate(docs), np.concatenate(scores)

    def _pinyin_candidates(self, letters: str) -> DocArray:
        """Documents holding characters that can spell the letters, pair by pair (gonghui: 工会, 公会 ...)."""
        index = self.index
        found: list[DocArray] = []
        for pieces in _segmentations(letters, _syllables(tuple(index.syllables))):
            char_sets = [index.chars_reading(piece, prefix) for piece, prefix in pieces]
            if any(not chars for chars in char_sets):
                continue
            if len(char_sets) == 1:
                grams = char_sets[0]
                lists = [index.gram(gram) for gram in grams[:400]]
            else:
                lists = []
                first, second = char_sets[0], set(char_sets[1])
                for a in first:
                    for b in second:
                        postings = index.gram(a + b)
                        if len(postings):
                            lists.append(postings)
                    if len(lists) > 2000:
                        break
            if lists:
                found.append(np.unique(np.concatenate(lists)))
        if not found:
            return np.empty(0, dtype=np.uint32)
        return np.unique(np.concatenate(found)).astype(np.uint32)

    # --- filters and exclusions ------------------------------------------------------------------------

    def _apply_filters(
        self, query: Query, docs: DocArray, prescore: npt.NDArray[np.int64]
    ) -> tuple[DocArray, npt.NDArray[np.int64]]:
        index = self.index
        keep = np.ones(len(docs), dtype=bool)
        for name, values in query.filters.items():
            if name == "year":
                years = [int(v) for v in values if v.isdigit()]
                keep &= np.isin(index.doc_year[docs], years)
            elif name == "source":
                wanted = [i for i, sid in enumerate(index.sources)
                          if any(_label_matches(v, sid, self.source_labels.get(sid, "")) for v in values)]
                keep &= np.isin(index.doc_source[docs], wanted)
            elif name == "topic":
                wanted = [i for i, tid in enumerate(index.topics)
                          if any(_label_matches(v, tid, self.topic_labels.get(tid, "")) for v in values)]
                keep &= np.isin(index.doc_topic[docs], wanted)
            elif name == "scope":
                wanted = [i for i, scope in enumerate(index.scopes)
                          if scope and any(fold(v) in fold(scope) for v in values)]
                keep &= np.isin(index.doc_scope[docs], wanted)
        return docs[keep], prescore[keep]

    def _exclude(
        self, query: Query, docs: DocArray, prescore: npt.NDArray[np.int64]
    ) -> tuple[DocArray, npt.NDArray[np.int64]]:
        for term in query.excluded:
            needle = fold(term.text)
            grams = query_grams(needle)
            if grams:
                suspects = docs[np.isin(docs, self.index.docs_with_all(grams), assume_unique=True)]
            else:
                suspects = docs
            if len(suspects) > 5000 and grams:
                drop = set(suspects.tolist())  # holding every character pair of the term is close enough
            else:
                drop = {doc for doc in suspects.tolist() if any(needle in fold(f) for f in self.index.fields(doc))}
            if drop:
                keep = ~np.isin(docs, np.fromiter(drop, dtype=np.uint32, count=len(drop)))
                docs, prescore = docs[keep], prescore[keep]
        return docs, prescore

    # --- stage 2: scoring ---------------------------------------------------------------------------------

    def _score(self, query: Query, doc: int) -> Hit | None:
        fields = self.index.fields(doc)
        folded = [fold(text) for text in fields]
        readings = self.index.doc_readings(doc)
        total = 0.0
        best_field = ""
        best_field_score = -1.0
        highlights: dict[str, list[tuple[int, int]]] = {}
        for group in query.groups:
            options = [self._score_term(term, fields, folded, readings, doc) for term in group]
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

    def _score_term(
        self, term: Term, fields: list[str], folded: list[str], readings: list[str], doc: int
    ) -> _TermScore | None:
        needle = fold(term.text)
        best: _TermScore | None = None

        def offer(candidate: _TermScore | None) -> None:
            nonlocal best
            if candidate is not None and (best is None or candidate.score > best.score):
                best = candidate

        number = parse_number(needle) if any(ch.isdigit() for ch in needle) else None
        if number is not None:
            return self._number(number, needle, folded, doc)
        offer(_exact(needle, folded))
        if term.exact:
            return best
        if best is not None and best.score >= FIELD_SCORE["quote"]:
            return best
        if pinyin_match.has_letters(needle):
            offer(_pinyin(needle, folded, readings))
            offer(_english(needle, folded[2]))
        if any(is_cjk(ch) for ch in needle) and len(needle) >= 2:
            offer(_fuzzy(needle, folded))
        return best

    def _number(self, value: float, needle: str, folded: list[str], doc: int) -> _TermScore | None:
        """A typed number: a recorded figure equal to it, else the number written in the text, else the year."""
        index = self.index
        low = np.searchsorted(index.values, value * (1 - 1e-9), side="left")
        high = np.searchsorted(index.values, value * (1 + 1e-9), side="right")
        is_figure = doc in index.value_docs[low:high]
        digits = re.sub(r"[万萬亿億]$", "", needle)
        spans = {name: _number_spans(digits, folded[i]) for i, name in enumerate(FIELD_NAMES[:2])}
        spans = {name: found for name, found in spans.items() if found}
        if is_figure:
            return _TermScore(100.0, "statement", spans)
        if spans:
            return _TermScore(MENTION_SCORE, next(iter(spans)), spans)
        for i, name in enumerate(FIELD_NAMES[2:], start=2):
            if _number_spans(needle, folded[i]):
                return _TermScore(FIELD_SCORE[name] - 4, name, {})
        if _YEAR.match(needle) and int(needle) == int(index.doc_year[doc]):
            return _TermScore(FIELD_SCORE["meta"] - 4, "meta", {})
        return None


# --- scoring helpers -------------------------------------------------------------------------------------------


def _exact(needle: str, folded: list[str]) -> _TermScore | None:
    best: _TermScore | None = None
    spans: dict[str, list[tuple[int, int]]] = {}
    for i, name in enumerate(FIELD_NAMES):
        found = _all_spans(needle, folded[i])
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


def _pinyin(needle: str, folded: list[str], readings: list[str]) -> _TermScore | None:
    pattern = needle.replace(" ", "")
    statement_end = len(folded[0])
    texts = (folded[0], folded[1])
    offsets = (0, statement_end + 1)
    best: _TermScore | None = None
    for i, name in enumerate(FIELD_NAMES[:2]):
        own = readings[offsets[i] : offsets[i] + len(texts[i])]
        found = pinyin_match.find(pattern, texts[i], own, char_readings)
        if found and (best is None or found.score > best.score):
            best = _TermScore(found.score, name, {name: [(found.start, found.end)]})
    return best


def _english(needle: str, en: str) -> _TermScore | None:
    if not _LATIN.match(needle) or len(needle) < 4:
        return None
    words = re.findall(r"[a-z]+", en)
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


def _all_spans(needle: str, text: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(needle) if needle else -1
    while start != -1:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + len(needle))
    return spans


def _number_spans(number: str, text: str) -> list[tuple[int, int]]:
    """Where a number is written as a whole: 109 in 109项, not in 1090 or 2109."""
    pattern = rf"(?<![\d.]){re.escape(number)}(?![\d]|\.\d)"
    return [(match.start(), match.end()) for match in re.finditer(pattern, text)]


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _label_matches(value: str, identifier: str, label: str) -> bool:
    folded = fold(value)
    return identifier.startswith(folded) or folded in fold(identifier) or (bool(label) and folded in fold(label))


@lru_cache(maxsize=8)
def _syllables(known: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s for s in known if s)


@lru_cache(maxsize=4096)
def _segmentations(letters: str, syllables: frozenset[str], limit: int = 6) -> tuple[tuple[tuple[str, bool], ...], ...]:
    """Ways to read letters as syllables (gong|hui), initials (g|h) or, last, a half-typed syllable."""
    results: list[tuple[tuple[str, bool], ...]] = []

    def walk(position: int, pieces: tuple[tuple[str, bool], ...]) -> None:
        if len(results) >= limit:
            return
        if position == len(letters):
            results.append(pieces)
            return
        rest = letters[position:]
        for size in range(min(6, len(rest)), 0, -1):
            piece = rest[:size]
            if piece in syllables:
                walk(position + size, (*pieces, (piece, False)))
        if len(rest) <= 6 and any(s.startswith(rest) for s in syllables):
            results.append((*pieces, (rest, True)))
        initial = rest[:2] if rest[:2] in ("zh", "ch", "sh") else rest[:1]
        if len(pieces) < 8:
            walk(position + len(initial), (*pieces, (initial, True)))

    walk(0, ())
    return tuple(dict.fromkeys(results))[:limit]
