"""Cleaning against article size: ``clean()`` must stay linear in its input, in time and in memory.

Builds raw articles of about 0.1, 1, 2 and 20 MB from the five real raw files: one real header, then the real
bodies (with their defects: pinyin notes, watermarks, hard wraps, image names, a repeated block) over and over,
each copy's numbers shifted so that the repeated-block rule keeps the copies apart, then one real trailer. Also
one article that is a single line of 60,000 characters with no punctuation, the worst case for the watermark
search. Each article is cleaned in a fresh Python process; the table gives its time, its peak resident memory
(VmHWM, interpreter included) and its speed. Prints a Markdown table (also written to bench/out/clean_bench.md).

    python bench/clean_bench.py                       # 0.1, 1, 2 and 20 MB, and the long line
    python bench/clean_bench.py --sizes 0.1 1 --timeout 60
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
OUT = ROOT / "bench" / "out"
LONG_LINE = 60_000
MB = 1_000_000

CHILD = r"""
import json, resource, sys, time
from pathlib import Path

from unionbrowse.corpus.clean import clean

raw = Path(sys.argv[1]).read_text(encoding="utf-8")
started = time.perf_counter()
result = clean(raw)
seconds = time.perf_counter() - started

def peak_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

print(json.dumps({"seconds": seconds, "peak_kb": peak_kb(), "clean_chars": len(result.text)}))
"""


def split_article(raw: str) -> tuple[list[str], list[str], list[str]]:
    """Header, body and trailer lines of a real raw file, cut where the cleaning rules cut them."""
    from unionbrowse.corpus.clean import header_end, strip_pinyin_notes, trailer_start

    lines = [line for line in raw.splitlines() if line.strip()]
    marked = [strip_pinyin_notes(line.strip()) for line in lines]  # 責(zé)編 is a trailer mark once read
    start = header_end(marked)
    stop = start + trailer_start(marked[start:])
    return lines[:start], lines[start:stop], lines[stop:]


def shift_numbers(lines: list[str], copy: int) -> list[str]:
    """The same lines with every number shifted by ``copy``: another year's report, the same boilerplate."""
    return [re.sub(r"\d+", lambda number: str(int(number.group()) + copy), line) for line in lines]


def article(size: int) -> str:
    """A raw article of at least ``size`` UTF-8 bytes built from the real ones."""
    parts = [split_article(path.read_text(encoding="utf-8")) for path in sorted(RAW.glob("*.txt"))]
    header, _, trailer = parts[-1]
    lines = list(header)
    written = 0
    copy = 0
    while written < size:
        body = shift_numbers(parts[copy % len(parts)][1], copy)
        lines.extend(body)
        written += sum(len(line.encode("utf-8")) + 1 for line in body)
        copy += 1
    return "\n".join([*lines, *trailer])


def long_line() -> str:
    """One line of LONG_LINE letters, digits and characters: the real bodies with punctuation and spaces gone."""
    bodies = "".join("".join(split_article(path.read_text(encoding="utf-8"))[1]) for path in sorted(RAW.glob("*.txt")))
    words = "".join(re.findall(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]+", bodies))
    return (words * (LONG_LINE // len(words) + 1))[:LONG_LINE]


def measure(path: Path, timeout: float) -> dict[str, float] | None:
    """Clean ``path`` in a fresh process; None when it did not finish within ``timeout`` seconds."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                              check=True, timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def row(label: str, path: Path, timeout: float) -> str:
    size = path.stat().st_size
    chars = len(path.read_text(encoding="utf-8"))
    result = measure(path, timeout)
    if result is None:
        return f"| {label} | {size / MB:.2f} MB | {chars:,} | > {timeout:.0f} s | - | - | - |"
    seconds = result["seconds"]
    return (f"| {label} | {size / MB:.2f} MB | {chars:,} | {seconds:.2f} s | {result['peak_kb'] / 1024:.0f} MB | "
            f"{size / MB / max(seconds, 1e-6):.1f} | {result['clean_chars']:,} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1, 2, 20], help="article sizes in MB")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a child is given up")
    args = parser.parse_args()
    rows = [
        "| article | raw size | characters | clean() | peak memory | MB/s | clean characters |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        articles = {f"{size:g} MB, real bodies repeated": article(int(size * MB)) for size in args.sizes}
        articles[f"one line of {LONG_LINE:,} characters"] = long_line()
        for number, (label, text) in enumerate(articles.items()):
            path = Path(scratch) / f"{number:03d}.txt"
            path.write_text(text, encoding="utf-8")
            rows.append(row(label, path, args.timeout))
            print(rows[-1], file=sys.stderr, flush=True)
    table = "\n".join([*rows, "", "Peak memory is the child's VmHWM: the interpreter, the raw text and clean()'s own."])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "clean_bench.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
