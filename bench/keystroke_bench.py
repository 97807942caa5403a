"""Keystroke to updated results in the app: the search in its worker, then the redraw of the result list.

Types each query one character at a time into the real app (headless, 160x45, shipped corpus) and reports,
per keystroke, the time from the key press until the new results are on the list, and the part of it spent
redrawing the list. At 100k facts the engine's own time is the search bench's (bench/search_bench.py).

    python bench/keystroke_bench.py
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from pathlib import Path

from textual.worker import WorkerCancelled

from unionbrowse.tui.app import UnionBrowseApp

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["户外劳动者驿站", "falvyuanzhu", "legal aid", "技能人材", "3.24万", "jqzx 2022"]


async def measure() -> tuple[list[float], list[float]]:
    app = UnionBrowseApp(ROOT / "data", blink=False)
    total: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
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
    total, refill = asyncio.run(measure())

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print("| keystrokes | key to results on the list, p50 / p95 | list redraw alone, p50 / p95 |")
    print("|---:|---:|---:|")
    print(f"| {len(total)} | {statistics.median(total):.1f} / {pct(total, 0.95):.1f} ms | "
          f"{statistics.median(refill):.1f} / {pct(refill, 0.95):.1f} ms |")
    print("slowest:", ", ".join(f"{t:.0f}" for t in sorted(total)[-6:]), "ms")


if __name__ == "__main__":
    main()
