"""Search quality on the labelled query set (``tests/quality/*.yaml``): hit@1, hit@5 and MRR@10 per kind of query,
and how many queries got no answer at all, for unionbrowse and, in the same run, for ``fzf --filter`` over one
line per fact (when fzf is on the PATH: Debian's package, 0.38 or later).

Each query lists every fact that counts as a right answer; a query scores at rank r when the first right fact is
the r-th result. Prints a Markdown table (also written to bench/out/quality.md).

    python bench/quality.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "quality"
OUT = ROOT / "bench" / "out"
DEPTH = 10  # results looked at: MRR@10


@dataclass(frozen=True)
class Labelled:
    kind: str
    query: str
    right: frozenset[str]


@dataclass
class Tally:
    """The ranks of the first right answer (None: not in the first ``DEPTH``) and the empty answers of a kind."""

    ranks: list[int | None] = field(default_factory=list)
    empty: int = 0

    def add(self, ranked: list[str], right: frozenset[str]) -> None:
        self.empty += not ranked
        self.ranks.append(next((n for n, fact_id in enumerate(ranked[:DEPTH], 1) if fact_id in right), None))

    def row(self) -> str:
        n = len(self.ranks)
        hit1 = sum(rank == 1 for rank in self.ranks) / n
        hit5 = sum(rank is not None and rank <= 5 for rank in self.ranks) / n
        mrr = sum(1 / rank for rank in self.ranks if rank is not None) / n
        return f"{hit1:.0%} | {hit5:.0%} | {mrr:.2f} | {self.empty}"


def labelled_queries(folder: Path = QUERIES) -> list[Labelled]:
    queries = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        queries += [Labelled(data["kind"], str(item["query"]), frozenset(item["right"])) for item in data["queries"]]
    return queries


def unionbrowse_ranking() -> dict[str, list[str]]:
    from unionbrowse.library import Library

    library = Library.open(ROOT / "data")
    finder = library.fact_finder
    return {q.query: [hit.fact.id for hit in finder.search(q.query, DEPTH)[0]] for q in labelled_queries()}


def fzf_ranking() -> dict[str, list[str]] | None:
    """fzf's order over one line per fact (its id, statement, English, quote, topic, figure), or None without fzf."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    from unionbrowse.library import Library

    corpus = Library.open(ROOT / "data").corpus
    lines = "\n".join(
        "\t".join((fact.id, fact.statement, fact.en, fact.quote, " ".join(t.zh for t in corpus.topic_path(fact.topic.id)),
                   fact.figure_text)).replace("\n", " ")
        for fact in corpus.facts
    )  # fmt: skip
    ranking = {}
    for q in labelled_queries():
        done = subprocess.run([fzf, "--filter", q.query], input=lines, capture_output=True, text=True, check=False)
        ranking[q.query] = [line.split("\t", 1)[0] for line in done.stdout.splitlines()][:DEPTH]
    return ranking


def table() -> str:
    queries = labelled_queries()
    engines = {"unionbrowse": unionbrowse_ranking(), "fzf --filter": fzf_ranking()}
    header = "| kind | queries | " + " | ".join(
        f"{name} hit@1 | hit@5 | MRR@10 | empty" for name in engines
    ) + " |"  # fmt: skip
    lines = [header, "|---|---:|" + "---:|---:|---:|---:|" * len(engines)]
    kinds = sorted({q.kind for q in queries})
    for kind in [*kinds, "all"]:
        chosen = [q for q in queries if kind in ("all", q.kind)]
        cells = []
        for ranking in engines.values():
            if ranking is None:
                cells.append("- | - | - | -")
                continue
            tally = Tally()
            for q in chosen:
                tally.add(ranking[q.query], q.right)
            cells.append(tally.row())
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| {name} | {len(chosen)} | " + " | ".join(cells) + " |")
    if engines["fzf --filter"] is None:
        lines += ["", "fzf is not on the PATH here: its columns are empty."]
    return "\n".join(lines) + "\n"


def main() -> None:
    if not any(QUERIES.glob("*.yaml")):
        sys.exit(f"no labelled queries in {QUERIES}")
    report = table()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quality.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
