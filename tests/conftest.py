"""Shared fixtures: the shipped corpus, loaded once, and a scratch copy to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from unionbrowse.library import Library

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def library(_private_cache: Path) -> Library:
    """The shipped corpus, opened once for every test that only reads it."""
    return Library.open(DATA)


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the shipped data folder that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


RAW = {
    "ynw-20251127": "000_b9c0e5519ac58194.txt",
    "grrb-20230918": "001_ef19e07390bc0016.txt",
    "njr-2022": "002_b065b91fc4a37a9b.txt",
    "bsrb-20220915": "003_e2651d3cf699d8bf.txt",
    "ynw-20240313": "004_ea956d73107857ca.txt",
}


@pytest.fixture(scope="session")
def raw() -> dict[str, str]:
    """Each article's raw text, as received, by source id."""
    return {source_id: (DATA / "raw" / name).read_text(encoding="utf-8") for source_id, name in RAW.items()}


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never read or write the user's real cache (compiled corpora, indexes)."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    os.environ["UNIONBROWSE_CACHE"] = str(folder)
    return folder
