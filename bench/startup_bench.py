"""Start-up: process start to first frame, unionbrowse beside a bare Textual app with the same widgets.

Each run is a fresh Python process (imports included), headless at 160x45, alternating the two apps so both see
the same machine. Also reports when unionbrowse is ready to search (corpus loaded and index opened, in a worker
after the first frame). Prints a Markdown table (also written to bench/out/startup_bench.md).

    python bench/startup_bench.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

CHILD = r"""
import time
started = time.perf_counter()
import asyncio, json, sys
from pathlib import Path

kind, data = sys.argv[1], Path(sys.argv[2])
marks = {}

def mark(name):
    marks.setdefault(name, (time.perf_counter() - started) * 1000)

if kind == "unionbrowse":
    from unionbrowse.tui.app import UnionBrowseApp

    class Timed(UnionBrowseApp):
        def on_mount(self):
            super().on_mount()
            self.call_after_refresh(mark, "first_frame")

        def on_union_browse_app_loaded(self, message):
            super().on_union_browse_app_loaded(message)
            mark("ready")

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
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

asyncio.run(main())
print(json.dumps(marks))
"""


def run(kind: str) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, kind, str(ROOT / "data")], capture_output=True,
                            text=True, check=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    run("unionbrowse")  # warm the index cache and the OS file cache once, measured by nobody
    bare: list[float] = []
    ours: list[float] = []
    ready: list[float] = []
    for _ in range(args.runs):
        bare.append(run("bare")["first_frame"])
        marks = run("unionbrowse")
        ours.append(marks["first_frame"])
        ready.append(marks["ready"])
    ratio = statistics.median(ours) / statistics.median(bare)
    table = "\n".join([
        "| app | first frame, median | min | max | ready to search, median |",
        "|---|---:|---:|---:|---:|",
        f"| bare Textual app, same widgets | {statistics.median(bare):.0f} ms | {min(bare):.0f} ms | "
        f"{max(bare):.0f} ms | - |",
        f"| unionbrowse, shipped corpus | {statistics.median(ours):.0f} ms | {min(ours):.0f} ms | {max(ours):.0f} ms"
        f" | {statistics.median(ready):.0f} ms |",
        "",
        f"unionbrowse ÷ bare (first frame, medians): {ratio:.2f}× over {args.runs} runs each, alternating, "
        "each a fresh process from interpreter start (imports included), headless 160x45.",
    ])  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "startup_bench.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
