"""Search at the sizes users grow to: corpora of 10k, 100k and 1M facts made by bench/corpus_gen.py.

For each size, the data folder (generated once; the same folders and caches as bench/start_bench.py) is opened
through the Library, its index built and cached if needed; then, in a fresh process pinned to one core: the cold
open (imports, Library.open, the index, a first search), resident memory, and each benchmark query typed one
character at a time, timing every keystroke's search, beside a plain substring scan of the same facts measured
in the same process. Prints a Markdown table (also written to bench/out/search_bench.md).

    python bench/search_bench.py                 # 10k, 100k, 1M
    python bench/search_bench.py --sizes 10000   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

# Queries as typed, one character at a time, by kind. None is tuned to the generated data.
QUERIES = {
    "Chinese": ["户外劳动者驿站", "法律援助案件", "职工医疗互助"],
    "traditional": ["戶外勞動者", "產業工人隊伍"],
    "pinyin": ["falvyuanzhu", "gonghuiyizhan", "jqzx"],
    "English": ["legal aid cases", "rest stations"],
    "typo": ["技能人材", "legl aid"],
    "number": ["3.24万", "2911"],
}
# --- the measuring child ---------------------------------------------------------------------------------------


def child(folder: str, cache: str) -> None:
    """Runs in a fresh process: cold open, memory, keystrokes, and the substring baseline."""
    started = time.perf_counter()
    os.sched_setaffinity(0, {0})
    from unionbrowse.corpus.script import fold
    from unionbrowse.library import Library

    library = Library.open(Path(folder), cache=Path(cache))
    engine = library.fact_finder.engine
    engine.search("工会", limit=20)
    cold = time.perf_counter() - started
    keystrokes: dict[str, list[float]] = {}
    for kind, queries in QUERIES.items():
        times = keystrokes.setdefault(kind, [])
        for query in queries:
            for end in range(1, len(query) + 1):
                begin = time.perf_counter()
                engine.search(query[:end], limit=20)
                times.append(time.perf_counter() - begin)
    rss_mb = _rss_mb()
    texts = [fold(f"{fact.statement}\x1f{fact.quote}") for fact in library.corpus.facts]
    scan: list[float] = []
    for queries in QUERIES.values():
        for query in queries:
            folded = fold(query)
            for end in range(1, len(folded) + 1):
                needle = folded[:end]
                begin = time.perf_counter()
                [number for number, text in enumerate(texts) if needle in text]
                scan.append(time.perf_counter() - begin)
    print(json.dumps({"cold": cold, "rss_mb": rss_mb, "keystrokes": keystrokes, "scan": scan}))


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def measure(size: int, seed: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "bench"))
    from start_bench import corpus, disk_mb
    from unionbrowse.library import Library

    folder, variety = corpus(size, seed)
    cache = OUT / "start-cache" / str(size)
    library = Library.open(folder, cache=cache)
    begin = time.perf_counter()
    index_dirs = list(cache.glob("facts-*"))
    library.fact_finder  # noqa: B018 - built here if it is not cached
    built = list(cache.glob("facts-*")) != index_dirs
    build_s = time.perf_counter() - begin if built else float("nan")
    disk = sum(disk_mb(path) for path in cache.glob("facts-*") if path.is_dir())
    del library
    result = subprocess.run([sys.executable, __file__, "--child", str(folder), str(cache)],
                            capture_output=True, text=True, check=True)  # fmt: skip
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return {"size": size, "build_s": build_s, "disk_mb": disk, "variety": variety, **data}


def report(rows: list[dict[str, object]]) -> str:
    kinds = list(QUERIES)
    lines = [
        "| facts | distinct statements | build | index on disk | cold load + first search | RSS | "
        + " | ".join(f"{kind} p50 / p95" for kind in kinds)
        + " | all keystrokes p50 / p95 | substring scan p50 / p95 | scan ÷ engine (p95) |",
        "|---:|---:|---:|---:|---:|---:|" + "---:|" * len(kinds) + "---:|---:|---:|",
    ]
    for row in rows:
        strokes: dict[str, list[float]] = row["keystrokes"]  # type: ignore[assignment]
        every = [t for times in strokes.values() for t in times]
        scan: list[float] = row["scan"]  # type: ignore[assignment]
        build = row["build_s"]
        cells = [
            f"{row['size']:,}",
            f"{row['variety']['statements']:,}",  # type: ignore[index]
            "cached" if build != build else f"{build:.1f} s",  # NaN: the index was already cached
            f"{row['disk_mb']:.0f} MB",
            f"{row['cold']:.2f} s",
            f"{row['rss_mb']:.0f} MB",
            *[f"{_pct(strokes[k], 0.5):.1f} / {_pct(strokes[k], 0.95):.1f} ms" for k in kinds],
            f"{_pct(every, 0.5):.1f} / {_pct(every, 0.95):.1f} ms",
            f"{_pct(scan, 0.5):.1f} / {_pct(scan, 0.95):.1f} ms",
            f"{_pct(scan, 0.95) / _pct(every, 0.95):.0f}×",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = [measure(int(size), args.seed) for size in args.sizes.split(",")]
    table = report(rows)
    queries = "; ".join(f"{kind}: {', '.join(qs)}" for kind, qs in QUERIES.items())
    text = (f"{table}\n\nCorpora from bench/corpus_gen.py (distinct statements counted with digits masked). "
            f"One core (sched_setaffinity), engine alone, limit 20. Every prefix of each query is one "
            f"keystroke. Queries - {queries}.\n")  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search_bench.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
