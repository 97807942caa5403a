"""Search at the size a real user grows to: corpora of 10k, 100k and 1M facts generated from the real ones.

For each size: build the index and cache it; then, in a fresh process pinned to one core, time the cold load
(import, load the cached index, first search), measure resident memory, and type each benchmark query one
character at a time, timing every keystroke's search, beside a plain substring scan of the same corpus measured
in the same process. Prints a Markdown table (also written to bench/out/search_bench.md).

    python bench/search_bench.py                 # 10k, 100k, 1M
    python bench/search_bench.py --sizes 10000   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
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
PLACES = ["云南", "昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄", "红河", "文山", "西双版纳",
          "大理", "德宏", "怒江", "迪庆", "昌宁", "腾冲", "施甸", "龙陵", "贵州", "四川", "广西", "西藏"]


def generate(size: int, seed: int = 7) -> list:  # type: ignore[type-arg]
    """``size`` search documents varied from the real facts: figures, places, clauses; scripts kept."""
    import opencc

    from unionbrowse.corpus.validate import load
    from unionbrowse.search.documents import SearchDoc, fact_doc

    corpus = load(ROOT / "data").corpus
    real = [fact_doc(fact, corpus) for fact in corpus.facts]
    traditional = {fact.id for fact in corpus.facts if fact.source.is_traditional}
    is_traditional = [fact.id in traditional for fact in corpus.facts]
    to_traditional = opencc.OpenCC("s2t")
    places_t = [to_traditional.convert(place) for place in PLACES]
    rng = random.Random(seed)
    place_pattern = re.compile("|".join(PLACES + places_t))
    number_pattern = re.compile(r"\d+(?:\.\d+)?")
    docs = []
    for number in range(size):
        base_number = number % len(real)
        base = real[base_number]
        factor = rng.uniform(0.3, 3.0)
        names = places_t if is_traditional[base_number] else PLACES

        def vary(text: str, names: list[str] = names, factor: float = factor) -> str:
            text = place_pattern.sub(lambda _: rng.choice(names), text)
            return number_pattern.sub(lambda m: _scaled(m.group(0), factor), text)

        statement, quote = vary(base.statement), vary(base.quote)
        if rng.random() < 0.4:  # drop a clause, or borrow one from another fact of the same script
            statement = _drop_clause(statement, rng)
        if rng.random() < 0.3:
            donor = real[rng.randrange(len(real))]
            quote = quote + "，" + vary(donor.quote.split("，")[0].split(",")[0])
        docs.append(SearchDoc(
            statement=statement, quote=quote, en=vary(base.en), topic=base.topic, meta=vary(base.meta),
            values=tuple(round(value * factor, 2) for value in base.values), source=f"gen-{number % 500:03d}",
            year=2012 + number % 14, topic_id=base.topic_id, scope=vary(base.scope),
        ))  # fmt: skip
    return docs


def _scaled(number: str, factor: float) -> str:
    if "." in number:
        decimals = len(number.split(".")[1])
        return f"{float(number) * factor:.{decimals}f}"
    return str(max(1, round(int(number) * factor)))


def _drop_clause(text: str, rng: random.Random) -> str:
    clauses = re.split(r"(?<=[，,])", text)
    if len(clauses) > 2:
        del clauses[rng.randrange(1, len(clauses) - 1)]
    return "".join(clauses)


# --- the measuring child ---------------------------------------------------------------------------------------


def child(folder: str, key: str, docs_file: str) -> None:
    """Runs in a fresh process: cold load, memory, keystrokes, and the substring baseline."""
    started = time.perf_counter()
    os.sched_setaffinity(0, {0})
    from unionbrowse.corpus.script import fold
    from unionbrowse.search import index as index_store
    from unionbrowse.search.engine import Engine

    index = index_store.load(Path(folder), key)
    assert index is not None, "cache missing or damaged"
    engine = Engine(index)
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
    texts = [fold(line) for line in Path(docs_file).read_text(encoding="utf-8").splitlines()]
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


def measure(size: int) -> dict[str, object]:
    from unionbrowse.search import index as index_store
    from unionbrowse.search.finder import content_key

    print(f"generating {size:,} facts ...", file=sys.stderr)
    docs = generate(size)
    key = content_key(docs)
    folder = OUT / "cache" / f"bench-{size}"
    OUT.mkdir(parents=True, exist_ok=True)
    docs_file = OUT / f"docs-{size}.txt"
    docs_file.write_text("\n".join(f"{d.statement}\x1f{d.quote}" for d in docs), encoding="utf-8")
    built = index_store.load(folder, key)
    build_s = float("nan")
    if built is None:
        print(f"building the index of {size:,} facts ...", file=sys.stderr)
        begin = time.perf_counter()
        index_store.save(index_store.build(docs), folder, key)
        build_s = time.perf_counter() - begin
    del docs, built
    disk_mb = sum(path.stat().st_size for path in folder.iterdir()) / 2**20
    result = subprocess.run([sys.executable, __file__, "--child", str(folder), key, str(docs_file)],
                            capture_output=True, text=True, check=True)  # fmt: skip
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return {"size": size, "build_s": build_s, "disk_mb": disk_mb, **data}


def report(rows: list[dict[str, object]]) -> str:
    kinds = list(QUERIES)
    lines = [
        "| facts | build | cache on disk | cold load + first search | RSS | "
        + " | ".join(f"{kind} p50 / p95" for kind in kinds)
        + " | all keystrokes p50 / p95 | substring scan p50 / p95 | scan ÷ engine (p95) |",
        "|---:|---:|---:|---:|---:|" + "---:|" * len(kinds) + "---:|---:|---:|",
    ]
    for row in rows:
        strokes: dict[str, list[float]] = row["keystrokes"]  # type: ignore[assignment]
        every = [t for times in strokes.values() for t in times]
        scan: list[float] = row["scan"]  # type: ignore[assignment]
        build = row["build_s"]
        cells = [
            f"{row['size']:,}",
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
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    rows = [measure(int(size)) for size in args.sizes.split(",")]
    table = report(rows)
    queries = "; ".join(f"{kind}: {', '.join(qs)}" for kind, qs in QUERIES.items())
    text = (f"{table}\n\nOne core (sched_setaffinity), engine alone, limit 20. Every prefix of each query is one "
            f"keystroke. Queries - {queries}.\n")  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search_bench.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
