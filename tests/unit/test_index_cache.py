"""The index cache: built once, reused, rebuilt when the data changes or the cache is damaged."""

from __future__ import annotations

from pathlib import Path

from unionbrowse.corpus.validate import LoadResult, load
from unionbrowse.search import index as index_store
from unionbrowse.search.documents import fact_doc
from unionbrowse.search.finder import FactFinder, content_key, open_index


def cached_folders(root: Path) -> list[Path]:
    return sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith("."))


def test_built_once_then_loaded(loaded: LoadResult, tmp_path: Path) -> None:
    FactFinder(loaded.corpus, root=tmp_path)
    [folder] = cached_folders(tmp_path)
    stamp = (folder / "manifest.json").stat().st_mtime_ns
    finder = FactFinder(loaded.corpus, root=tmp_path)
    assert (folder / "manifest.json").stat().st_mtime_ns == stamp
    assert finder.search("驿站", limit=1)[0]


def test_changed_data_builds_a_new_index(loaded: LoadResult, scratch: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    FactFinder(loaded.corpus, root=cache)
    facts = scratch / "facts" / "ynw-20251127.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("statement: ", "statement: 新增说明", 1), "utf-8")
    changed = load(scratch).corpus
    finder = FactFinder(changed, root=cache)
    assert len(cached_folders(cache)) == 2
    assert finder.search("新增说明", limit=1)[0][0].fact.statement.startswith("新增说明")


def test_old_indexes_are_pruned(loaded: LoadResult, tmp_path: Path) -> None:
    docs = [fact_doc(fact, loaded.corpus) for fact in loaded.corpus.facts]
    for cut in range(4):
        open_index(docs[cut:], "facts", tmp_path)
    assert len(cached_folders(tmp_path)) == 2


def test_damaged_cache_is_rebuilt_not_trusted(loaded: LoadResult, tmp_path: Path) -> None:
    docs = [fact_doc(fact, loaded.corpus) for fact in loaded.corpus.facts]
    open_index(docs, "facts", tmp_path)
    [folder] = cached_folders(tmp_path)
    key = content_key(docs)
    assert index_store.load(folder, key) is not None
    postings = folder / "gram_post.npy"
    data = bytearray(postings.read_bytes())
    data[-1] ^= 0xFF
    postings.write_bytes(bytes(data))
    assert index_store.load(folder, key) is None
    rebuilt = open_index(docs, "facts", tmp_path)
    assert rebuilt.size == len(docs)
    assert index_store.load(folder, key) is not None
    (folder / "vocab.json").write_text("{not json", encoding="utf-8")
    assert index_store.load(folder, key) is None
    (folder / "manifest.json").unlink()
    assert index_store.load(folder, key) is None


def test_unwritable_cache_still_searches(loaded: LoadResult, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    finder = FactFinder(loaded.corpus, root=blocker / "cache")
    assert finder.search("驿站", limit=1)[0]
