"""Keystroke to updated results in the app: the search in its worker, then the redraw of the result list.

Types each query one character at a time into the real app (headless, 160x45) and reports, per keystroke, the
time from the key press until the new results are on the list, and the part of it spent redrawing the list.
With ``--facts N`` the app runs on N facts generated from the real ones (statements and figures varied as in
bench/search_bench.py; each keeps its real quote and source, so the source pane still works).

    python bench/keystroke_bench.py                 # the shipped corpus
    python bench/keystroke_bench.py --facts 100000  # at scale (the index is built once, then cached)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.worker import WorkerCancelled

from unionbrowse.corpus.model import Quantity
from unionbrowse.corpus.validate import load
from unionbrowse.search.finder import FactFinder
from unionbrowse.tui.app import UnionBrowseApp

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["户外劳动者驿站", "falvyuanzhu", "legal aid", "技能人材", "3.24万", "jqzx 2022"]


class ScaledApp(UnionBrowseApp):
    """The app on a generated corpus of ``facts`` facts."""

    def __init__(self, facts: int) -> None:
        super().__init__(ROOT / "data", cache=ROOT / "bench" / "out" / "cache", blink=False)
        self.facts = facts

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self) -> None:
        sys.path.insert(0, str(ROOT / "bench"))
        from search_bench import generate

        result = load(ROOT / "data")
        real = result.corpus.facts
        docs = generate(self.facts)
        result.corpus.facts = [
            replace(real[number % len(real)], id=f"{real[number % len(real)].id}-{number}", statement=doc.statement,
                    en=doc.en, quantities=tuple(Quantity(v, q.unit, q.text, q.qualifier)
                                                for v, q in zip(doc.values, real[number % len(real)].quantities,
                                                                strict=False)))
            for number, doc in enumerate(docs)
        ]  # fmt: skip
        finder = FactFinder(result.corpus, root=ROOT / "bench" / "out" / "cache")
        self.post_message(self.Loaded(result, finder, None, {}, {}))


async def measure(app: UnionBrowseApp) -> tuple[list[float], list[float]]:
    total: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        while app.finder is None:
            await asyncio.sleep(0.05)
        await pilot.pause()
        search = app.query_one("#search")
        for query in QUERIES:
            search.value = ""  # type: ignore[attr-defined]
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete()
            await pilot.pause()
            for end in range(1, len(query) + 1):
                before = len(app.refill_ms)
                begin = time.perf_counter()
                search.value = query[:end]  # type: ignore[attr-defined]
                while len(app.refill_ms) == before:
                    await asyncio.sleep(0.0005)
                total.append((time.perf_counter() - begin) * 1000)
    return total, app.refill_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=0, help="generated facts (default: the shipped corpus)")
    args = parser.parse_args()
    app = ScaledApp(args.facts) if args.facts else UnionBrowseApp(ROOT / "data", blink=False)
    total, refill = asyncio.run(measure(app))

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    corpus = f"{args.facts:,} generated facts" if args.facts else "the shipped corpus"
    print("| corpus | keystrokes | key to results on the list, p50 / p95 | list redraw alone, p50 / p95 |")
    print("|---|---:|---:|---:|")
    print(f"| {corpus} | {len(total)} | {statistics.median(total):.1f} / {pct(total, 0.95):.1f} ms | "
          f"{statistics.median(refill):.1f} / {pct(refill, 0.95):.1f} ms |")
    print("slowest:", ", ".join(f"{t:.0f}" for t in sorted(total)[-6:]), "ms")


if __name__ == "__main__":
    main()
