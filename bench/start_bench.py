"""Start-up at the sizes users grow to: the first start (compile and index), then warm starts of the app and the
CLI, beside a bare Textual app with the same widgets.

For each size: the shipped corpus, or a data folder of N facts made by bench/corpus_gen.py (new articles from
the real sentences, run through the real cleaner), opened like a user's, with a fresh cache. Every measurement is
a fresh process from interpreter start (imports included):

- first start: ``Library.open`` (digest, compile, cache), then opening the fact index (built, cached), each in its
  own process with its peak memory; the index on disk and the build's peak as a multiple of it;
- warm app: headless at 160x45, the first frame and "ready to search" (library open, index open, tree filled),
  runs alternating with a bare Textual app with the same widgets (its first frame);
- warm CLI: ``unionbrowse search 驿站`` end to end, with its peak memory.

    python bench/start_bench.py                          # 282 (shipped), 100k, 1M facts
    python bench/start_bench.py --sizes 282,10000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SHIPPED = 282

CHILD_APP = r"""
import time
started = time.perf_counter()
import asyncio, json, resource, sys
from pathlib import Path

kind, data = sys.argv[1], Path(sys.argv[2])
marks = {}

def mark(name):
    marks.setdefault(name, (time.perf_counter() - started) * 1000)

if kind == "app":
    from unionbrowse.tui.app import UnionBrowseApp
    from unionbrowse.tui.screens.main import MainScreen

    class TimedScreen(MainScreen):
        def on_library_opened(self, message):
            super().on_library_opened(message)
            mark("ready")

    class Timed(UnionBrowseApp):
        def get_default_screen(self):
            return TimedScreen(self.open_library, blink=False)

        def on_mount(self):
            super().on_mount()
            self.call_after_refresh(mark, "first_frame")

    app = Timed(data, blink=False)
else:
    from textual.app import App
    from textual.containers import Horizontal, Vertical
    from textual.widgets import Footer, Input, Label, OptionList, Static, TextArea, Tree

    class Bare(App):
        def compose(self):
            with Horizontal():
                yield Tree("root")
                with Vertical():
                    yield Input()
                    yield Label("status")
                    yield OptionList()
                with Vertical():
                    yield Static("card")
                    yield TextArea("", read_only=True)
            yield Footer()

        def on_mount(self):
            self.call_after_refresh(mark, "first_frame")

    app = Bare()

async def main():
    async with app.run_test(size=(160, 45)) as pilot:
        while "first_frame" not in marks or (kind == "app" and "ready" not in marks):
            await asyncio.sleep(0.002)

asyncio.run(main())
marks["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(marks))
"""

CHILD_OPEN = r"""
import json, resource, sys, time
from pathlib import Path
from unionbrowse.library import Library

began = time.perf_counter()
library = Library.open(Path(sys.argv[1]), cache=Path(sys.argv[2]))
if sys.argv[3] == "index":
    library.fact_finder
print(json.dumps({"seconds": time.perf_counter() - began, "timings": library.timings,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "facts": len(library.corpus.facts), "errors": len(library.errors)}))
"""


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a child process to its end; return its wall time (s), its own peak memory (MB) and what it printed."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # this child's rusage alone, unlike RUSAGE_CHILDREN
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"{args[:4]} failed ({process.returncode}):\n{err.read()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read()


def corpus(size: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The data folder for a size (the shipped one, or generated once and kept), and its variety."""
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus_gen

    if size == SHIPPED:
        folder = ROOT / "data"
    else:
        folder = OUT / "corpora" / f"facts-{size}-seed-{seed}"
        if not (folder / "sources.yaml").exists():
            print(f"generating {size:,} facts into {folder} ...", file=sys.stderr)
            shutil.rmtree(folder, ignore_errors=True)
            corpus_gen.generate(folder, size, seed)
    found = corpus_gen.variety(folder)
    return folder, {"statements": found.statements, "share": found.statement_share, "sources": found.sources}


def disk_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def measure(size: int, runs: int, seed: int) -> dict[str, Any]:
    folder, variety = corpus(size, seed)
    cache = OUT / "start-cache" / f"{size}"
    shutil.rmtree(cache, ignore_errors=True)
    print(f"{size:,} facts: first start ...", file=sys.stderr)
    _, _, out = child([sys.executable, "-c", CHILD_OPEN, str(folder), str(cache), "compile"])
    compiled = json.loads(out)
    _, _, out = child([sys.executable, "-c", CHILD_OPEN, str(folder), str(cache), "index"])
    indexed = json.loads(out)
    index_dirs = [path for path in cache.glob("facts-*") if path.is_dir()]
    index_mb = sum(disk_mb(path) for path in index_dirs)
    store_mb = sum(disk_mb(path) for path in cache.glob("corpus-*") if path.is_dir())
    env = {**os.environ, "UNIONBROWSE_CACHE": str(cache), "UNIONBROWSE_HOME": str(OUT / "start-home")}
    bare, app, cli = [], [], []
    print(f"{size:,} facts: {runs} warm starts of each ...", file=sys.stderr)
    for _ in range(runs):
        bare.append(json.loads(child([sys.executable, "-c", CHILD_APP, "bare", str(folder)], env)[2]))
        app.append(json.loads(child([sys.executable, "-c", CHILD_APP, "app", str(folder)], env)[2]))
        seconds, peak, _ = child([sys.executable, "-m", "unionbrowse", "--data", str(folder), "search", "驿站"], env)
        cli.append({"seconds": seconds, "peak_mb": peak})
    return {"size": size, "facts": compiled["facts"], "variety": variety, "compiled": compiled, "indexed": indexed,
            "index_mb": index_mb, "store_mb": store_mb, "bare": bare, "app": app, "cli": cli}  # fmt: skip


def median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def report(rows: list[dict[str, Any]], runs: int) -> str:
    lines = [
        "| facts | distinct statements, digits masked | first start: compile | first start: index | "
        "index on disk | index build peak (÷ disk) | app first frame (bare app) | ÷ bare | app ready to search | "
        "app peak memory | CLI `search` end to end | CLI peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        variety = row["variety"]
        index_peak = row["indexed"]["peak_mb"]
        first_frame, bare = median(row["app"], "first_frame"), median(row["bare"], "first_frame")
        lines.append(
            f"| {row['facts']:,} | {variety['statements']:,} ({variety['share']:.0%}) "
            f"| {row['compiled']['seconds']:.1f} s, {row['compiled']['peak_mb']:,.0f} MB "
            f"| {row['indexed']['seconds']:.1f} s | {row['index_mb']:,.0f} MB "
            f"| {index_peak:,.0f} MB ({index_peak / max(row['index_mb'], 1):.1f}×) "
            f"| {first_frame:.0f} ms ({bare:.0f} ms) | {first_frame / bare:.2f}× "
            f"| {median(row['app'], 'ready') / 1000:.2f} s | {median(row['app'], 'peak_mb'):,.0f} MB "
            f"| {median(row['cli'], 'seconds'):.2f} s | {median(row['cli'], 'peak_mb'):,.0f} MB |"
        )
    lines += ["", f"Medians of {runs} warm runs each (app and bare app alternating), one run of the first start; "
              "every figure from this one run of bench/start_bench.py."]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=f"{SHIPPED},100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = [measure(int(size), args.runs, args.seed) for size in args.sizes.split(",")]
    table = report(rows, args.runs)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "start_bench.md").write_text(table + "\n", encoding="utf-8")
    (OUT / "start_bench.json").write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
