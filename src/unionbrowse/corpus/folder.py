"""The one reader of a data folder: which files it holds, their digests and their bytes, and nothing outside it.

Every path comes from the folder's own listing or is a plain file name checked here, and a link that leads out of
the folder is not followed, so nothing a data file says can make the program read elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path
from typing import Any

SOURCES = "sources.yaml"
TOPICS = "topics.yaml"
METRICS = "metrics.yaml"
FACTS = "facts"
RAW = "raw"
_PLAIN_NAME = re.compile(r"^[\w.-]+$")
RACY_NS = 2_000_000_000  # a file modified this close to when its digest was recorded is hashed again


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
        return [name for name in self._listing(FACTS) if name.endswith(".yaml")]

    def raw_files(self) -> list[str]:
        return self._listing(RAW)

    def _listing(self, sub: str) -> list[str]:
        """The plain files of a subfolder (``sub/name``), sorted; links are followed only if they stay inside."""
        folder = self.root / sub
        if not folder.is_dir() or not self._inside(str(folder)):
            return []
        names = []
        for entry in os.scandir(folder):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink() and not self._inside(entry.path):
                continue
            if entry.is_file():
                names.append(f"{sub}/{entry.name}")
        return sorted(names)

    def files(self) -> list[str]:
        """Every file the corpus is made from, as paths relative to the folder."""
        top = [name for name in (TOPICS, METRICS, SOURCES) if (self.root / name).is_file()]
        return [*top, *self.fact_files(), *self.raw_files()]

    def inventory(self, known: dict[str, list[Any]] | None = None) -> tuple[dict[str, str], dict[str, list[Any]]]:
        """The SHA-256 of every file the corpus is made from (what the compiled corpus is keyed by), and the
        record to pass back as ``known`` next time.

        A file is read and hashed unless ``known`` holds it with the same size, modification time and inode, and
        it was last modified well before that record was made: then its digest is taken from the record, as git
        does, so opening a folder of gigabytes reads none of it. A file changed within ``RACY`` seconds of the
        record is hashed again (its time alone cannot tell two writes in the same tick apart).
        """
        known = known or {}
        now = time.time_ns()
        digests: dict[str, str] = {}
        records: dict[str, list[Any]] = {}
        for name in self.files():
            stat = os.stat(self.root / name)
            seen = known.get(name)
            if (seen is not None and seen[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
                    and stat.st_mtime_ns < seen[4] - RACY_NS):  # fmt: skip
                digests[name] = seen[3]
                records[name] = seen
                continue
            with open(self.root / name, "rb") as stream:
                digests[name] = hashlib.file_digest(stream, "sha256").hexdigest()
            records[name] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digests[name], now]
        return digests, records

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
