"""The caches tampered with: a manifest of another shape, checksums missing or null, an array changed without a
trace in its size or time, or left out of the manifest. Each is detected and rebuilt, or reported in one line
(and rebuilt at the next start): never a traceback, never an error on every run."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.hostile.conftest import run_cli
from tests.hostile.folders import DATA
from unionbrowse.corpus.manifest import read_manifest
from unionbrowse.library import Library
from unionbrowse.search.index import DamagedIndex


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the shipped corpus compiled and its facts index built (made once, copied per test)."""
    cache = tmp_path_factory.mktemp("warm")
    Library.open(DATA, cache=cache).fact_finder.search("工会")
    return cache


@pytest.fixture
def cache(warm_cache: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(warm_cache, tmp_path / "cache"))


def only(cache: Path, kind: str) -> Path:
    [folder] = [path for path in cache.glob(f"{kind}-*") if path.is_dir()]
    return folder


def search(cache: Path) -> list[str]:
    return [hit.fact.id for hit in Library.open(DATA, cache=cache).fact_finder.search("驿站")[0]]


EXPECTED = ["ynw-20251127-service-posts"]  # the best hit for 驿站, as an untouched cache gives it


def manifests() -> list[tuple[str, Callable[[Any], Any]]]:
    def files(value: Any) -> Callable[[Any], Any]:
        return lambda manifest: {**manifest, "files": value}

    def entry(value: Any) -> Callable[[Any], Any]:
        return lambda manifest: {**manifest, "files": {**manifest["files"], next(iter(manifest["files"])): value}}

    return [
        ("list", lambda manifest: []), ("text", lambda manifest: "x"), ("null", lambda manifest: None),
        ("no files", lambda manifest: {k: v for k, v in manifest.items() if k != "files"}),
        ("files []", files([])), ("files null", files(None)), ("files text", files("x")),
        ("entry null", entry(None)), ("entry short", entry([1, 2])), ("entry text", entry(["1", "2", "3"])),
        ("entry bools", entry([True, True, True])), ("entry map", entry({"size": 1})),
        ("outside", lambda manifest: {**manifest, "files": {**manifest["files"], "../../etc/passwd": [1, 2, 3]}}),
    ]  # fmt: skip


@pytest.mark.parametrize("kind", ["facts", "corpus"])
@pytest.mark.parametrize(("name", "change"), manifests(), ids=[name for name, _ in manifests()])
def test_a_manifest_of_another_shape_is_rebuilt(cache: Path, kind: str, name: str, change: Callable[[Any], Any]) -> None:
    folder = only(cache, kind)
    path = folder / "manifest.json"
    path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    assert read_manifest(folder) is None
    assert search(cache)[:1] == EXPECTED
    assert read_manifest(only(cache, kind)) is not None  # rebuilt: whole again, for the next run
    assert search(cache)[:1] == EXPECTED


@pytest.mark.parametrize("kind", ["facts", "corpus"])
def test_an_array_left_out_of_the_manifest_is_not_trusted(cache: Path, kind: str) -> None:
    folder = only(cache, kind)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    array = next(name for name in manifest["files"] if name.endswith(".npy"))
    del manifest["files"][array]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    (folder / array).write_bytes(b"\x93NUMPY damaged")
    assert read_manifest(folder) is None
    assert search(cache)[:1] == EXPECTED


@pytest.mark.parametrize("vocab", [[], {"size": "many"}, {"size": -1}])
def test_a_vocabulary_of_another_shape_is_rebuilt(cache: Path, vocab: Any) -> None:
    folder = only(cache, "facts")
    path = folder / "vocab.json"
    stat = path.stat()
    text = json.dumps(vocab).ljust(stat.st_size)[: stat.st_size]  # same size and time: the manifest cannot tell
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert search(cache)[:1] == EXPECTED


def tamper(path: Path, values: Callable[[np.ndarray[Any, Any]], np.ndarray[Any, Any]]) -> None:
    """Overwrite an array's values, keeping its size and modification time (its checksum is not looked at)."""
    stat = path.stat()
    array = np.load(path)
    np.save(path, values(array).astype(array.dtype), allow_pickle=False)
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


ARRAYS: dict[str, Callable[[np.ndarray[Any, Any]], np.ndarray[Any, Any]]] = {
    "doc_source": lambda a: a + 1000,
    "doc_topic": lambda a: a - 5,
    "gram_post": lambda a: a + 100_000,
    "gram_off": lambda a: a[::-1],
    "text_off": lambda a: a * 3,
    "py_off": lambda a: a[::-1],
    "value_docs": lambda a: a + 100_000,
    "word_post": lambda a: a + 100_000,
    "gram_codes": lambda a: a[::-1],
}


@pytest.mark.parametrize("array", list(ARRAYS))
def test_an_array_changed_without_a_trace_is_found_and_rebuilt(cache: Path, array: str) -> None:
    tamper(only(cache, "facts") / f"{array}.npy", ARRAYS[array])
    for query in ("驿站", "gonghui", "2911", "legal", "工会 year:2023"):
        try:
            Library.open(DATA, cache=cache).fact_finder.search(query)
        except DamagedIndex as error:  # found while reading: removed, and rebuilt at the next start
            assert "was removed and will be built again" in str(error)
            break
    assert search(cache)[:1] == EXPECTED


@pytest.mark.parametrize("array", ["gram_post", "text_off"])
def test_the_cli_says_the_index_is_damaged_in_one_line_then_works(tmp_path: Path, array: str) -> None:
    env = {"UNIONBROWSE_CACHE": str(tmp_path)}
    assert run_cli("search", "驿站", env=env).code == 0
    tamper(only(tmp_path, "facts") / f"{array}.npy", ARRAYS[array])
    damaged = run_cli("search", "驿站", env=env)
    assert b"Traceback" not in damaged.err
    assert damaged.code in (0, 2)
    if damaged.code == 2:
        assert "the search index" in damaged.errors and len(damaged.errors.splitlines()) == 1
    again = run_cli("search", "驿站", env=env)
    assert again.code == 0 and EXPECTED[0] in again.text
