"""The compile cache: what compiling one file gave (a clean text, a validated fact file), kept by content.

A unit is named by a digest of its inputs and the program that made it, so an unchanged file is never parsed or
cleaned twice, and a changed one makes a new unit. Units are written atomically; one that cannot be read is simply
made again. Without a cache folder (read-only disk) nothing is kept and everything is made afresh.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

UNUSED_FOR = 3600.0  # seconds an unreferenced unit survives pruning: another process may be about to use it


def digest(*parts: str) -> str:
    """A short key for a unit: the SHA-256 of its inputs, 32 hex digits."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))  # never raises, whatever a name held
        hasher.update(b"\x00")
    return hasher.hexdigest()[:32]


class Units:
    def __init__(self, root: Path | None) -> None:
        self.root = root

    def load(self, name: str) -> bytes | None:
        if self.root is None:
            return None
        try:
            return (self.root / name).read_bytes()
        except OSError:
            return None

    def save(self, name: str, data: bytes) -> None:
        """Keep a unit; a full or read-only disk only costs making it again next time.

        Not ``files.write_atomically``: that one syncs each file to disk, as a user's file deserves, and a large
        corpus writes tens of thousands of units that can always be made again."""
        if self.root is None:
            return
        temporary: str | None = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.root, prefix=f".{name}.")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.root / name)
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def prune(self, keep: Iterable[str]) -> None:
        """Drop units no compiled corpus uses any more (and that nobody has touched for an hour)."""
        if self.root is None or not self.root.is_dir():
            return
        wanted = set(keep)
        cutoff = time.time() - UNUSED_FOR
        for entry in os.scandir(self.root):
            try:
                if entry.name not in wanted and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                continue
