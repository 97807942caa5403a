"""Keystroke to updated results in the app: the search in its worker, then the redraw of the result list.

Types each query one character at a time into the real app (headless, 160x45), opened on a data folder through
the app's own loader like a user's, and reports per keystroke the time from the key until the new results are on
the list, and the part of it spent redrawing the list. With ``--facts N`` the folder holds N facts made by
bench/corpus_gen.py (the same folders and cache as bench/start_bench.py, built on first use).

    python bench/keystroke_bench.py                  # the shipped corpus
    python bench/keystroke_bench.py --facts 100000   # at scale
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
QUERIES = ["户外劳动者驿站", "falvyuanzhu", "legal aid", "技能人材", "3.24万", "jqzx 2022"]


async def measure(folder: Path) -> tuple[list[float], list[float]]:
    from textual.worker import WorkerCancelled

    from unionbrowse.tui.app import UnionBrowseApp
    from unionbrowse.tui.widgets.results import ResultList

    redraws: list[float] = []
    watch = ResultList.watch_hits

    def timed_watch(self: ResultList, hits: list[object]) -> None:
        begin = time.perf_counter()
        watch(self, hits)  # type: ignore[arg-type]
        redraws.append((time.perf_counter() - begin) * 1000)

    ResultList.watch_hits = timed_watch  # type: ignore[method-assign,assignment]
    app = UnionBrowseApp(folder, blink=False)
    total: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        while getattr(app.screen, "library", None) is None:
            await asyncio.sleep(0.05)
        await pilot.pause()
        search = app.screen.query_one("#search")
        for query in QUERIES:
            search.value = ""  # type: ignore[attr-defined]
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete()
            await pilot.pause()
            for end in range(1, len(query) + 1):
                before = len(redraws)
                begin = time.perf_counter()
                search.value = query[:end]  # type: ignore[attr-defined]
                while len(redraws) == before:
                    await asyncio.sleep(0.0005)
                total.append((time.perf_counter() - begin) * 1000)
    return total, redraws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=0, help="generated facts (default: the shipped corpus)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.facts:
        sys.path.insert(0, str(ROOT / "bench"))
        from start_bench import corpus

        folder, variety = corpus(args.facts, args.seed)
        label = f"{args.facts:,} generated facts ({variety['statements']:,} distinct statements, digits masked)"
        os.environ["UNIONBROWSE_CACHE"] = str(OUT / "start-cache" / str(args.facts))
    else:
        folder, label = ROOT / "data", "the shipped corpus (282 facts)"
        os.environ["UNIONBROWSE_CACHE"] = str(OUT / "start-cache" / "282")
    os.environ["UNIONBROWSE_HOME"] = str(OUT / "keystroke-home")
    total, redraws = asyncio.run(measure(folder))

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print("| corpus | keystrokes | key to results on the list, p50 / p95 | list redraw alone, p50 / p95 |")
    print("|---|---:|---:|---:|")
    print(f"| {label} | {len(total)} | {statistics.median(total):.1f} / {pct(total, 0.95):.1f} ms | "
          f"{statistics.median(redraws):.1f} / {pct(redraws, 0.95):.1f} ms |")
    print("slowest:", ", ".join(f"{t:.0f}" for t in sorted(total)[-6:]), "ms")


if __name__ == "__main__":
    main()
