"""The one reader of a data folder: which files it holds, their digests and their bytes, and nothing outside it.

Every path comes from the folder's own listing or is a plain file name checked here, and a link that leads out of
the folder is not followed, so nothing a data file says can make the program read elsewhere. Only regular files
are read (a folder, a pipe or a device where a file should be is refused, so nothing hangs or reads forever), and
only up to ``SIZE_LIMIT``. Whatever is refused is said as an :class:`Unreadable` (what, and how to fix it), never
raised as an ``OSError``.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
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
# The largest file a data folder needs is sources.yaml of a very large corpus (13 MB for the bench's 1M facts)
# or a long article (a 20 MB page cleans in 1.4 s); 64 MB is generous for both, and stops a runaway file (or a
# link to /dev/zero) from being read into memory whole.
SIZE_LIMIT = 64 * 1024 * 1024
REFUSED = "!"  # an inventory entry that starts with this is not a digest but why the file is not read


class Unreadable(Exception):
    """A file of the folder that is not read, and why: ``what`` is wrong and ``fix`` says what to do."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix


def is_plain_name(name: str) -> bool:
    """A file name with no folder in it: ``001_ef19e07390bc0016.txt``, never ``../x`` or ``a/b``."""
    return bool(_PLAIN_NAME.match(name)) and name not in {".", ".."}


def _outside() -> Unreadable:
    return Unreadable("is a link that leads outside the data folder",
                      "copy the file into the data folder rather than linking to it")  # fmt: skip


class DataFolder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._real = root.resolve()
        self._folders: dict[str, Unreadable | None] = {}

    def exists(self) -> bool:
        return self.root.is_dir()

    # --- listing --------------------------------------------------------------------------------------------

    def fact_files(self) -> list[str]:
        """``facts/<name>.yaml`` for every fact file (or whatever stands under such a name), sorted."""
        return [name for name in self._listing(FACTS) if name.endswith(".yaml")]

    def raw_files(self) -> list[str]:
        return self._listing(RAW)

    def _listing(self, sub: str) -> list[str]:
        """The entries of a subfolder (``sub/name``), sorted, whatever they are: reading one says what is wrong."""
        if self.folder_refusal(sub) is not None:
            return []
        try:
            return sorted(f"{sub}/{entry.name}" for entry in os.scandir(self.root / sub)
                          if not entry.name.startswith("."))  # fmt: skip
        except OSError:
            return []

    def folder_refusal(self, sub: str) -> Unreadable | None:
        """Why ``facts/`` or ``raw/`` cannot be listed (None: it can, or it is simply not there); asked once
        per opening, as every file under it asks."""
        if sub not in self._folders:
            self._folders[sub] = self._folder_refusal(sub)
        return self._folders[sub]

    def _folder_refusal(self, sub: str) -> Unreadable | None:
        path = self.root / sub
        if not os.path.lexists(path):
            return None
        if not self._inside(str(path)):
            return Unreadable("is a link that leads outside the data folder",
                              f"make {sub}/ a folder inside the data folder")  # fmt: skip
        if not path.is_dir():
            return Unreadable("is not a folder", f"make {sub}/ a folder holding the files")
        try:
            os.scandir(path).close()
        except OSError as error:
            return Unreadable(f"cannot be listed ({error.strerror})", "check its permissions")
        return None

    def files(self) -> list[str]:
        """Every file the corpus is made from, as paths relative to the folder (including those that will be
        refused when read: their refusal is part of what the corpus is made from)."""
        top = [name for name in (TOPICS, METRICS, SOURCES) if os.path.lexists(self.root / name)]
        return [*top, *self.fact_files(), *self.raw_files()]

    # --- digests --------------------------------------------------------------------------------------------

    def inventory(self, known: dict[str, list[Any]] | None = None) -> tuple[dict[str, str], dict[str, list[Any]]]:
        """The SHA-256 of every file the corpus is made from (what the compiled corpus is keyed by), and the
        record to pass back as ``known`` next time. A file that is not read has ``REFUSED`` and the reason in
        place of a digest (so fixing it changes the key); so has a subfolder that cannot be listed.

        A file is read and hashed unless ``known`` holds it with the same size, modification time and inode, and
        it was last modified well before that record was made: then its digest is taken from the record, as git
        does, so opening a folder of gigabytes reads none of it. A file changed within ``RACY`` seconds of the
        record is hashed again (its time alone cannot tell two writes in the same tick apart).
        """
        known = known or {}
        now = time.time_ns()
        digests: dict[str, str] = {}
        records: dict[str, list[Any]] = {}
        for sub in (FACTS, RAW):
            refusal = self.folder_refusal(sub)
            if refusal is not None:
                digests[f"{sub}/"] = REFUSED + refusal.what
        for name in self.files():
            try:
                info, path = self._examine(name)
                seen = known.get(name)
                if (seen is not None and seen[:3] == [info.st_size, info.st_mtime_ns, info.st_ino]
                        and info.st_mtime_ns < seen[4] - RACY_NS):  # fmt: skip
                    digests[name] = seen[3]
                    records[name] = seen
                    continue
                with self._open(path) as stream:
                    digests[name] = hashlib.file_digest(stream, "sha256").hexdigest()
            except Unreadable as refusal:
                digests[name] = REFUSED + refusal.what
                continue
            except OSError as error:  # gone or changed between listing and reading
                digests[name] = f"{REFUSED}cannot be read ({error.strerror})"
                continue
            records[name] = [info.st_size, info.st_mtime_ns, info.st_ino, digests[name], now]
        return digests, records

    # --- reading --------------------------------------------------------------------------------------------

    def read(self, name: str) -> bytes:
        """The bytes of a file of the folder (``sources.yaml``, ``facts/x.yaml``, ``raw/y.txt``); raises
        :class:`Unreadable` for one that is missing, not a regular file inside the folder, or too large."""
        try:
            with self._open(self._examine(name)[1]) as stream:
                data: bytes = stream.read(SIZE_LIMIT + 1)
        except OSError as error:
            raise Unreadable(f"cannot be read ({error.strerror})", "check that the file is there and readable") from None
        if len(data) > SIZE_LIMIT:
            raise _too_large(len(data))
        return data

    @staticmethod
    def _open(path: str) -> Any:
        """A binary stream of a regular file, opened without waiting (a pipe swapped in never blocks)."""
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        stream = open(path, "rb", opener=lambda name, _: os.open(name, flags))  # noqa: SIM115 - returned
        try:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped for something else since examined
                raise Unreadable("is not a regular file", "replace it with a plain file")
        except BaseException:
            stream.close()
            raise
        return stream

    def _examine(self, name: str) -> tuple[os.stat_result, str]:
        """The status of a file of the folder that may be read and the path to open it by (a link inside the
        folder, resolved); :class:`Unreadable` says why it may not be read."""
        path = str(self._path(name))
        try:
            if os.path.islink(path):
                path = os.path.realpath(path)
                if not self._inside(path):
                    raise _outside()
            info = os.stat(path)
        except FileNotFoundError:
            what = "is a link to nothing" if os.path.islink(self.root / name) else "file is missing"
            raise Unreadable(what, f"create {name} (see the README's data format)") from None
        except OSError as error:
            raise Unreadable(f"cannot be read ({error.strerror})", "check its permissions") from None
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("is a folder, not a file", f"remove the folder and put the file {name} there")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("is not a regular file (a pipe, device or socket)", "replace it with a plain file")
        if info.st_size > SIZE_LIMIT:
            raise _too_large(info.st_size)
        return info, path

    def _path(self, name: str) -> Path:
        parts = name.split("/")
        if len(parts) > 2 or not all(is_plain_name(part) for part in parts):
            raise Unreadable("is not a plain file name", "name a file directly inside the data folder or raw/")
        refusal = self.folder_refusal(parts[0]) if len(parts) == 2 else None
        if refusal is not None:
            raise Unreadable(f"is not read: {parts[0]}/ {refusal.what}", refusal.fix)
        return self.root / name

    def _inside(self, path: str) -> bool:
        """Whether a path, links followed, stays inside the folder."""
        real = Path(os.path.realpath(path))
        return real == self._real or self._real in real.parents


def _too_large(size: int) -> Unreadable:
    return Unreadable(f"is {_amount(size)}, more than the {_amount(SIZE_LIMIT)} a data file may hold",
                      "split it, or check that it is the file you meant")  # fmt: skip


def _amount(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size:,} bytes"
