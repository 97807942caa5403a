"""The one reader of a data folder: which files it holds, their digests and their bytes, and nothing outside it.

Every path comes from the folder's own listing or is a plain file name checked here, and a link that leads out of
the folder is not followed, so nothing a data file says can make the program read elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

SOURCES = "sources.yaml"
TOPICS = "topics.yaml"
METRICS = "metrics.yaml"
FACTS = "facts"
RAW = "raw"
_PLAIN_NAME = re.compile(r"^[\w.-]+$")


def is_plain_name(name: str) -> bool:
    """A file name with no folder in it: ``001_ef19e07390bc0016.txt``, never ``../x`` or ``a/b``."""
    return bool(_PLAIN_NAME.match(name)) and name not in {".", ".."}


class DataFolder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._real = root.resolve()

    def exists(self) -> bool:
        return self.root.is_dir()

    def fact_files(self) -> list[str]:
        """``facts/<name>.yaml`` for every fact file, sorted."""
        folder = self.root / FACTS
        if not folder.is_dir():
            return []
        return sorted(f"{FACTS}/{entry.name}" for entry in os.scandir(folder)
                      if entry.name.endswith(".yaml") and not entry.name.startswith(".") and self._inside(entry.path))  # fmt: skip

    def raw_files(self) -> list[str]:
        folder = self.root / RAW
        if not folder.is_dir():
            return []
        return sorted(f"{RAW}/{entry.name}" for entry in os.scandir(folder)
                      if not entry.name.startswith(".") and self._inside(entry.path) and os.path.isfile(entry.path))  # fmt: skip

    def files(self) -> list[str]:
        """Every file the corpus is made from, as paths relative to the folder."""
        top = [name for name in (TOPICS, METRICS, SOURCES) if (self.root / name).is_file()]
        return [*top, *self.fact_files(), *self.raw_files()]

    def inventory(self, progress: Callable[[int, int], None] | None = None) -> dict[str, str]:
        """The SHA-256 of every file the corpus is made from: what the compiled corpus is keyed by."""
        names = self.files()
        digests: dict[str, str] = {}
        for number, name in enumerate(names):
            if progress is not None and number % 1000 == 0:
                progress(number, len(names))
            with open(self.root / name, "rb") as stream:
                digests[name] = hashlib.file_digest(stream, "sha256").hexdigest()
        return digests

    def read(self, name: str) -> bytes | None:
        """The bytes of a file of the folder (``sources.yaml``, ``facts/x.yaml``, ``raw/y.txt``); None if missing."""
        parts = name.split("/")
        if not all(is_plain_name(part) for part in parts) or len(parts) > 2:
            return None
        path = self.root / name
        if not path.is_file() or not self._inside(str(path)):
            return None
        return path.read_bytes()

    def _inside(self, path: str) -> bool:
        """Whether a path, links followed, stays inside the folder."""
        real = Path(os.path.realpath(path))
        return real == self._real or self._real in real.parents
