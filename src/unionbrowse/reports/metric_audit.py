"""The metric audit: a metric only one source reports while a near-identical one is reported by another.

Such a pair is either one thing under two keys (merge them, so the sources can be compared) or two things the
audit told apart (say so with ``distinct_from`` in metrics.yaml, and the warning goes).
"""

from __future__ import annotations

from unionbrowse.corpus.model import Corpus
from unionbrowse.corpus.numbers import same_unit
from unionbrowse.corpus.problems import Problem

NAMED = 5  # sources named in a warning before "and N more"


def near_identical_metrics(corpus: Corpus) -> list[Problem]:
    from rapidfuzz import fuzz

    counts = corpus.facts.sources_by_metric()
    lone = {key: corpus.facts.sources_reporting(key)[0] for key, count in counts.items() if count == 1}
    warnings = []
    for key in sorted(lone):
        metric = corpus.metrics[key]
        for other in sorted(counts):
            near = corpus.metrics[other]
            if other == key or lone.get(other) == lone[key] or key in near.distinct_from or other in metric.distinct_from:
                continue
            if not same_unit(metric.unit, near.unit):
                continue
            if fuzz.token_set_ratio(key.replace("-", " "), other.replace("-", " ")) >= 85 or fuzz.ratio(metric.zh, near.zh) >= 75:
                warnings.append(Problem(
                    "metrics.yaml", metric.line,
                    f"metric `{key}` ({metric.zh}) is reported only by {lone[key]}, and near-identical `{other}` "
                    f"({near.zh}) by {_named(corpus.facts.sources_reporting(other))}",
                    f"if they measure the same thing use one key; if not, add `distinct_from: [{other}]`",
                    severity="warning",
                ))  # fmt: skip
    return warnings


def _named(source_ids: list[str]) -> str:
    ordered = sorted(source_ids)
    more = len(ordered) - NAMED
    return ", ".join(ordered[:NAMED]) + (f" and {more} more" if more > 0 else "")
