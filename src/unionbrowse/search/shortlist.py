"""Stage one of a search: from the index alone, which documents may match, and which to score first.

Everything here is numpy over arrays one slot per document (0: not a candidate, higher: more of the query's
character pairs, words, figures or readings present), so the cost is that of the postings the query touches.
A lookup uses at most ``POSTINGS_BUDGET`` postings (one letter, one very common character, on a corpus of
millions); the count of matches is then a lower bound, and says so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from unionbrowse.corpus.numbers import parse_number
from unionbrowse.corpus.script import fold
from unionbrowse.search.index import DocArray, Index, query_grams
from unionbrowse.search.query import Query, Term

Scores = npt.NDArray[np.int32]
POSTINGS_BUDGET = 200_000  # postings one lookup may use: beyond that a query is broad, and its count a lower bound
FEW = 200  # fewer exact hits than this and a term is also looked up as a possible typo
# Rough worth of each way a term can hit a document, for choosing whom to score first: an English word typed
# in full or begun, then a near spelling; a pinyin reading is worth its number of initials (gonghui: 2).
WORD_WEIGHT = 8
TYPO_WEIGHT = 4
_LATIN = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Shortlist:
    docs: DocArray  # the candidates chosen for scoring, likeliest first, then in reading order
    total: int  # every candidate that passed
    capped: bool = False  # a lookup was cut at POSTINGS_BUDGET: total is a lower bound


class Shortlister:
    def __init__(self, index: Index, source_labels: dict[str, str], topic_labels: dict[str, str]) -> None:
        self.index = index
        self.source_labels = source_labels
        self.topic_labels = topic_labels
        self.syllables = frozenset(s for s in index.syllables if s)
        self._capped = False  # set by a lookup cut at POSTINGS_BUDGET during the current shortlist

    def shortlist(self, query: Query, budget: int | None) -> Shortlist:
        self._capped = False
        groups = [scores for group in query.groups if (scores := self._group(group)) is not None]
        if groups:
            # AND: start from the group with the fewest candidates, then keep those every other group holds.
            groups.sort(key=lambda scores: int(np.count_nonzero(scores)))
            candidates = np.flatnonzero(groups[0]).astype(np.uint32)
            prescore = groups[0][candidates].astype(np.int64)
            for scores in groups[1:]:
                values = scores[candidates]
                keep = values > 0
                candidates, prescore = candidates[keep], prescore[keep] + values[keep]
        else:  # only filters, exclusions or terms the index cannot narrow: everything, for the scorer to check
            candidates = np.arange(self.index.size, dtype=np.uint32)
            prescore = np.ones(len(candidates), dtype=np.int64)
        keep = self._filter(query, candidates) & self._keep_after_exclusions(query, candidates)
        candidates, prescore = candidates[keep], prescore[keep]
        if budget is None or len(candidates) <= budget:
            chosen, chosen_score = candidates, prescore
        else:
            picked = _best(prescore, budget)
            chosen, chosen_score = candidates[picked], prescore[picked]
        order = np.lexsort((chosen, -chosen_score))  # likeliest first, then reading order
        return Shortlist(chosen[order], len(candidates), self._capped)

    # --- terms --------------------------------------------------------------------------------------------

    def _group(self, group: tuple[Term, ...]) -> Scores | None:
        combined: Scores | None = None
        for term in group:
            scores = self._term(term)
            if scores is None:
                return None
            combined = scores if combined is None else np.maximum(combined, scores)
        return combined

    def _term(self, term: Term) -> Scores | None:
        index = self.index
        needle = fold(term.text)
        grams = query_grams(needle)
        letters = re.findall(r"[a-z]+", needle)
        if not grams and not letters:
            return None  # punctuation, emoji: nothing indexed to look up
        scores = np.zeros(index.size, dtype=np.int32)
        exact_weight = len(grams) + 1
        if grams:
            if min(index.gram_count(gram) for gram in grams) > POSTINGS_BUDGET:
                self._capped = True
            exact = index.docs_with_all(grams, POSTINGS_BUDGET)
            if not term.exact and len(grams) >= 2 and len(exact) < FEW:
                # Few exact hits: the reader may have a typo or a missing character; most pairs still match.
                hits, counts = index.gram_hits(grams, POSTINGS_BUDGET)
                enough = counts >= max(2, math.ceil(len(grams) / 2))
                scores[hits[enough]] = counts[enough]
            scores[exact] = exact_weight
        if any(ch.isdigit() for ch in needle) and (number := parse_number(needle)) is not None:
            scores[index.docs_with_value(number)] = exact_weight
        for word in letters:
            found = 0
            for number_ in index.words_with_prefix(word):
                if found > POSTINGS_BUDGET:
                    self._capped = True
                    break
                postings = index.word_docs(number_)
                found += len(postings)
                _mark(scores, postings, WORD_WEIGHT)
            if len(word) >= 4 and not term.exact and found < FEW:  # a typo: legl for legal
                for near, _, _ in process.extract(word, index.spelled_words, scorer=fuzz.ratio, score_cutoff=80,
                                                  limit=8):  # fmt: skip
                    _mark(scores, index.word_postings(near), TYPO_WEIGHT)
        if not term.exact and _LATIN.match(needle):
            self._pinyin(needle, scores)
        return scores

    def _pinyin(self, letters: str, scores: Scores) -> None:
        """Mark documents whose characters' initials spell the letters' initials (gonghui, gh: g-h), for each
        way of reading the letters; the longer the spelling, the better the candidate."""
        index = self.index
        readings = dict.fromkeys("".join(p[0] for p, _ in pieces) for pieces in segmentations(letters, self.syllables))
        for rank, initials in enumerate(list(readings)[:3]):
            if len(initials) == 1:
                postings = index.initials(initials)
                self._capped |= len(postings) > POSTINGS_BUDGET
                _mark(scores, postings[:POSTINGS_BUDGET], 1)
            else:  # the likeliest reading of the letters first: whole syllables before stray initials
                found = index.docs_with_initials(initials, POSTINGS_BUDGET)
                _mark(scores, found, max(1, len(initials) - 2 * rank))

    # --- filters and exclusions ------------------------------------------------------------------------

    def _filter(self, query: Query, docs: DocArray) -> npt.NDArray[np.bool_]:
        index = self.index
        keep = np.ones(len(docs), dtype=bool)
        for name, values in query.filters.items():
            if name == "year":
                keep &= _member(index.doc_year[docs], [int(v) for v in values if _is_year(v)])
            elif name == "source":
                keep &= _member(index.doc_source[docs], _matching(index.sources, values, self.source_labels))
            elif name == "topic":
                keep &= _member(index.doc_topic[docs], _matching(index.topics, values, self.topic_labels))
            elif name == "metric":
                wanted = [n for n, key in enumerate(index.metrics) if key and any(key.startswith(fold(v)) for v in values)]
                keep &= _member(index.doc_metric[docs], wanted)
            else:
                wanted = [n for n, scope in enumerate(index.scopes) if scope and any(fold(v) in fold(scope) for v in values)]
                keep &= _member(index.doc_scope[docs], wanted)
        return keep

    def _keep_after_exclusions(self, query: Query, docs: DocArray) -> npt.NDArray[np.bool_]:
        keep = np.ones(len(docs), dtype=bool)
        for term in query.excluded:
            needle = fold(term.text)
            grams = query_grams(needle)
            if not grams and not re.search(r"[a-z]", needle):
                continue
            if grams:
                holding = np.zeros(self.index.size, dtype=bool)
                holding[self.index.docs_with_all(grams)] = True
                suspects = np.flatnonzero(holding[docs] & keep)
            else:
                suspects = np.flatnonzero(keep)
            if len(suspects) > 5000 and grams:
                keep[suspects] = False  # holding every character pair of the term is close enough
                continue
            for position in suspects.tolist():
                if any(needle in text for text in self.index.fields(int(docs[position]))):
                    keep[position] = False
        return keep


def _is_year(value: str) -> bool:
    """ASCII digits only: ``isdigit`` holds for ² and ①, which ``int`` refuses."""
    return value.isascii() and value.isdecimal()


def _member(categories: npt.NDArray[np.int32], wanted: list[int]) -> npt.NDArray[np.bool_]:
    """Which documents fall in one of the wanted categories (a lookup table: no sorting, no set routines)."""
    table = np.zeros(int(categories.max(initial=0)) + 2, dtype=bool)
    chosen = [number for number in wanted if 0 <= number < len(table)]
    table[chosen] = True
    return table[np.clip(categories, 0, len(table) - 1)]


def _mark(scores: Scores, docs: DocArray, value: int) -> None:
    current = scores[docs]
    scores[docs] = np.maximum(current, value)


def _best(prescore: npt.NDArray[np.int64], budget: int) -> npt.NDArray[np.int64]:
    """Positions of the ``budget`` highest prescores; among equals, the earliest (reading order)."""
    # Prescores are small whole numbers: count them rather than partition (a sort-like pass).
    counts = np.bincount(prescore)
    from_top = np.cumsum(counts[::-1])
    cut = len(counts) - 1 - int(np.searchsorted(from_top, budget))
    above = np.flatnonzero(prescore > cut)
    level = np.flatnonzero(prescore == cut)[: budget - len(above)]
    return np.sort(np.concatenate([above, level]))


def _matching(names: list[str], values: tuple[str, ...], labels: dict[str, str]) -> list[int]:
    found = []
    for number, name in enumerate(names):
        for value in values:
            folded = fold(value)
            if name.startswith(folded) or folded in fold(name) or folded in fold(labels.get(name, "")):
                found.append(number)
                break
    return found


@lru_cache(maxsize=4096)
def segmentations(letters: str, syllables: frozenset[str], limit: int = 6) -> tuple[tuple[tuple[str, bool], ...], ...]:
    """Ways to read letters as syllables (gong|hui), initials (g|h) or, last, a half-typed syllable.

    Each piece is (text, is_prefix). The shortlist looks at the first few pieces; the scorer checks all.
    """
    results: list[tuple[tuple[str, bool], ...]] = []

    def walk(position: int, pieces: tuple[tuple[str, bool], ...]) -> None:
        if len(results) >= limit:
            return
        if position == len(letters) or len(pieces) == 6:
            results.append(pieces)
            return
        rest = letters[position:]
        for size in range(min(6, len(rest)), 0, -1):
            if rest[:size] in syllables:
                walk(position + size, (*pieces, (rest[:size], False)))
        if len(rest) <= 6 and any(s.startswith(rest) for s in syllables):
            results.append((*pieces, (rest, True)))
        initial = rest[:2] if rest[:2] in ("zh", "ch", "sh") else rest[:1]
        walk(position + len(initial), (*pieces, (initial, True)))
        if len(initial) == 2:
            walk(position + 1, (*pieces, (rest[:1], True)))

    walk(0, ())
    return tuple(dict.fromkeys(results))[:limit]
