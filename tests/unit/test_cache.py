"""The caches: the compiled corpus and the search indexes are built once, reused, remade only as far as the data
changed, and never trusted when damaged."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from unionbrowse.corpus import compile as compiler
from unionbrowse.library import Library
from unionbrowse.search import index_store
from unionbrowse.search.documents import fact_doc
from unionbrowse.search.finder import FactFinder, index_key, open_index


def folders(root: Path, prefix: str) -> list[Path]:
    return sorted(path for path in root.iterdir() if path.is_dir() and path.name.startswith(prefix))


def units(cache: Path, kind: str) -> dict[str, int]:
    """The compile units of one kind, with their modification times."""
    return {path.name: path.stat().st_mtime_ns for path in (cache / "units").glob(f"{kind}-*")}


def ids(library: Library) -> list[str]:
    return [fact.id for fact in library.corpus.facts]


# --- the compiled corpus ------------------------------------------------------------------------------------


def test_compiled_once_then_opened(scratch: Path, tmp_path: Path) -> None:
    first = Library.open(scratch, cache=tmp_path)
    assert "compile" in first.timings and len(first.corpus.facts) == 282
    again = Library.open(scratch, cache=tmp_path)
    assert "compile" not in again.timings
    assert ids(again) == ids(first)
    assert again.fact(ids(first)[100]) == first.fact(ids(first)[100])


def test_an_edited_fact_file_is_the_only_file_read_again(scratch: Path, tmp_path: Path) -> None:
    Library.open(scratch, cache=tmp_path)
    before = {kind: units(tmp_path, kind) for kind in ("facts", "clean", "meta", "sources")}
    path = scratch / "facts" / "ynw-20251127.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("statement: ", "statement: 新增说明", 1), "utf-8")
    changed = Library.open(scratch, cache=tmp_path)
    assert "compile" in changed.timings
    assert changed.corpus.facts_of("ynw-20251127")[0].statement.startswith("新增说明")
    after = {kind: units(tmp_path, kind) for kind in before}
    assert after["clean"] == before["clean"] and after["meta"] == before["meta"]
    assert after["sources"] == before["sources"]
    new = set(after["facts"]) - set(before["facts"])
    assert len(new) == 1  # one fact file checked again; the other four reused as they were
    assert {name: after["facts"][name] for name in before["facts"]} == before["facts"]


def test_a_new_metric_does_not_recheck_the_fact_files(scratch: Path, tmp_path: Path) -> None:
    Library.open(scratch, cache=tmp_path)
    before = units(tmp_path, "facts")
    metrics = scratch / "metrics.yaml"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "  - {key: new-thing, zh: 新事物, en: a new thing, unit: 个}\n",
                       "utf-8")  # fmt: skip
    reopened = Library.open(scratch, cache=tmp_path)
    assert "new-thing" in reopened.corpus.metrics
    assert units(tmp_path, "facts") == before


def test_a_renamed_metric_rechecks_the_files_that_use_it(scratch: Path, tmp_path: Path) -> None:
    Library.open(scratch, cache=tmp_path)
    metrics = scratch / "metrics.yaml"
    metrics.write_text(metrics.read_text(encoding="utf-8").replace("key: legal-aid-cases", "key: legal-aid-casez"),
                       "utf-8")  # fmt: skip
    reopened = Library.open(scratch, cache=tmp_path)
    assert any("unknown metric `legal-aid-cases`" in str(problem) for problem in reopened.errors)


def test_a_damaged_store_is_compiled_again_not_trusted(scratch: Path, tmp_path: Path) -> None:
    statements = [fact.statement for fact in Library.open(scratch, cache=tmp_path).corpus.facts]
    [store] = folders(tmp_path, "corpus-")
    blob = store / "fact_blob.bin"
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    again = Library.open(scratch, cache=tmp_path)
    assert "compile" in again.timings
    assert [fact.statement for fact in again.corpus.facts] == statements


def test_a_damaged_unit_is_made_again(scratch: Path, tmp_path: Path) -> None:
    first = Library.open(scratch, cache=tmp_path)
    for unit in (tmp_path / "units").iterdir():
        unit.write_bytes(b"\x00garbage")
    for store in folders(tmp_path, "corpus-"):
        (store / "manifest.json").unlink()
    again = Library.open(scratch, cache=tmp_path)
    assert ids(again) == ids(first) and not again.errors


def test_a_new_program_compiles_again(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Library.open(scratch, cache=tmp_path)
    monkeypatch.setattr(compiler, "build_id", lambda: "another-program")
    again = Library.open(scratch, cache=tmp_path)
    assert again.key != first.key and "compile" in again.timings


def test_older_stores_are_pruned(scratch: Path, tmp_path: Path) -> None:
    path = scratch / "facts" / "ynw-20251127.yaml"
    for number in range(4):
        path.write_text(path.read_text(encoding="utf-8").replace("statement: ", f"statement: {number}", 1), "utf-8")
        Library.open(scratch, cache=tmp_path)
    assert len(folders(tmp_path, "corpus-")) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_cache_still_opens_and_searches(scratch: Path, tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        library = Library.open(scratch, cache=tmp_path / "cache")
        assert library.cache_is_temporary
        assert library.fact_finder.search("驿站", limit=1)[0]
    finally:
        tmp_path.chmod(0o700)


def test_a_cache_path_that_is_a_file_still_opens_and_searches(scratch: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    library = Library.open(scratch, cache=blocker / "cache")
    assert library.cache_is_temporary
    assert library.fact_finder.search("驿站", limit=1)[0]


# --- the search index -----------------------------------------------------------------------------------------


def test_index_built_once_then_loaded(library: Library, tmp_path: Path) -> None:
    FactFinder(library.corpus, library.key, root=tmp_path)
    [folder] = folders(tmp_path, "facts-")
    stamp = (folder / "manifest.json").stat().st_mtime_ns
    finder = FactFinder(library.corpus, library.key, root=tmp_path)
    assert (folder / "manifest.json").stat().st_mtime_ns == stamp
    assert finder.search("驿站", limit=1)[0]


def test_changed_data_builds_a_new_index(scratch: Path, tmp_path: Path) -> None:
    Library.open(scratch, cache=tmp_path).fact_finder.search("驿站")
    facts = scratch / "facts" / "ynw-20251127.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("statement: ", "statement: 新增说明", 1), "utf-8")
    finder = Library.open(scratch, cache=tmp_path).fact_finder
    assert len(folders(tmp_path, "facts-")) == 2
    assert finder.search("新增说明", limit=1)[0][0].fact.statement.startswith("新增说明")


def test_old_indexes_are_pruned(library: Library, tmp_path: Path) -> None:
    docs = [fact_doc(fact, library.corpus) for fact in library.corpus.facts]
    for cut in range(4):
        open_index(lambda cut=cut: docs[cut:], "facts", f"key-{cut}", tmp_path)  # type: ignore[misc]
    assert len(folders(tmp_path, "facts-")) == 2


def test_damaged_index_is_rebuilt_not_trusted(library: Library, tmp_path: Path) -> None:
    docs = [fact_doc(fact, library.corpus) for fact in library.corpus.facts]
    key = index_key(library.key, "facts")
    open_index(lambda: docs, "facts", key, tmp_path)
    [folder] = folders(tmp_path, "facts-")
    assert index_store.load(folder, key) is not None
    postings = folder / "gram_post.npy"
    data = bytearray(postings.read_bytes())
    data[-1] ^= 0xFF
    postings.write_bytes(bytes(data))
    assert index_store.load(folder, key) is None
    rebuilt = open_index(lambda: docs, "facts", key, tmp_path)
    assert rebuilt.size == len(docs)
    assert index_store.load(folder, key) is not None
    (folder / "vocab.json").write_text("{not json", encoding="utf-8")
    assert index_store.load(folder, key) is None
    (folder / "manifest.json").unlink()
    assert index_store.load(folder, key) is None


def test_a_silently_damaged_index_is_caught_when_read_and_rebuilt(scratch: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from unionbrowse.cli.commands import main

    library = Library.open(scratch, cache=tmp_path)
    library.fact_finder.search("驿站")
    [folder] = folders(tmp_path, "facts-")
    postings = folder / "gram_post.npy"
    before = postings.stat()
    data = bytearray(postings.read_bytes())
    data[128:] = b"\xff" * (len(data) - 128)  # every document number past the end, the header kept
    postings.write_bytes(bytes(data))
    os.utime(postings, ns=(before.st_atime_ns, before.st_mtime_ns))  # no trace in the size or the time
    os.environ["UNIONBROWSE_CACHE"], saved = str(tmp_path), os.environ["UNIONBROWSE_CACHE"]
    try:
        assert main(["--data", str(scratch), "search", "驿站"]) == 2
        assert "search index" in capsys.readouterr().err and not folder.exists()
        assert main(["--data", str(scratch), "search", "驿站", "--json"]) == 0  # built again
        assert "驿站" in capsys.readouterr().out
    finally:
        os.environ["UNIONBROWSE_CACHE"] = saved


def test_unchanged_data_files_are_not_read_again(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from unionbrowse.corpus import folder as data_folder

    hour_ago = time.time_ns() - 3600 * 10**9
    for path in scratch.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(hour_ago, hour_ago))
    first = Library.open(scratch, cache=tmp_path)
    hashed: list[str] = []
    real = hashlib.file_digest

    def counting(stream: object, name: str) -> object:
        hashed.append(getattr(stream, "name", "?"))
        return real(stream, name)  # type: ignore[arg-type]

    monkeypatch.setattr(data_folder.hashlib, "file_digest", counting)
    again = Library.open(scratch, cache=tmp_path)
    assert again.key == first.key and hashed == []
    edited = scratch / "facts" / "ynw-20251127.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("statement: ", "statement: 改", 1), "utf-8")
    changed = Library.open(scratch, cache=tmp_path)
    assert hashed == [str(edited)] and changed.key != first.key
