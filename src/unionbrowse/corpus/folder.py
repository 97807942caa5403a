"""The one reader of a data folder: which files it holds, their digests and their bytes, and nothing outside it.

Every path comes from the folder's own listing or is a plain file name checked here, and a link that leads out of
the folder is not followed, so nothing a data file says can make the program read elsewhere. Only regular files
are read (a folder, a pipe or a device where a file should be is refused, so nothing hangs or reads forever), and
only up to the size its kind may have (``size_limit``). A name that is not plain text (bytes that are not UTF-8,
controls) is listed escaped (``r\\xff.txt``), so it is refused under a name that is safe to show. Whatever is
refused is said as an :class:`Unreadable` (what, and how to fix it), never raised as an ``OSError``.
"""

from __future__ import annotations

import contextlib
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
_PLAIN_NAME = re.compile(r"[\w.-]+")  # matched whole (fullmatch): `$` would let a final line break through
RACY_NS = 2_000_000_000  # a file modified this close to when its digest was recorded is hashed again
# The largest size of each kind of file: above real use, and low enough that a runaway file (or a link to
# /dev/zero) is never read whole and checking one stays within seconds (parsing YAML costs about 2 s and 100 MB
# of memory per MB of small records; README, *Untrusted articles and bad input*):
# - an article: a 20 MB page cleans in 1.4 s; 64 MB is generous.
# - sources.yaml: 13 MB for the bench's 1M facts (about 25,000 sources: 9 s); 24 MB holds 1.8 times that.
# - a fact file: one article's facts, 18-100 kB in the shipped and generated data (121 facts: 83 kB); 2 MB
#   holds some 2,900 facts and checks in about 5 s at worst.
# - topics.yaml, metrics.yaml: 4 and 26 kB; 2 MB holds some 13,000 metrics.
RAW_LIMIT = 64 * 1024 * 1024
SOURCES_LIMIT = 24 * 1024 * 1024
YAML_LIMIT = 2 * 1024 * 1024
REFUSED = "!"  # an inventory entry that starts with this is not a digest but why the file is not read


class Unreadable(Exception):
    """A file of the folder that is not read, and why: ``what`` is wrong and ``fix`` says what to do."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix


def is_plain_name(name: str) -> bool:
    """A file name with no folder in it: ``001_ef19e07390bc0016.txt``, never ``../x``, ``a/b`` or ``a\\n``."""
    return bool(_PLAIN_NAME.fullmatch(name)) and name not in {".", ".."}


def size_limit(name: str) -> int:
    """The most bytes the file ``name`` of the folder may hold (by its kind: see ``RAW_LIMIT``)."""
    if name.startswith(f"{RAW}/"):
        return RAW_LIMIT
    return SOURCES_LIMIT if name == SOURCES else YAML_LIMIT


def safe_name(name: str) -> str:
    """A listed name as it may be shown and used as a key: bytes that are not UTF-8 as ``\\xff``, controls and
    invisible characters as ``\\x1b``/``\\u202e`` (such a name is never plain, so it is refused, not read)."""
    if is_plain_name(name):  # the common case, kept cheap for folders of many thousand files
        return name
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _outside() -> Unreadable:
    return Unreadable("is a link that leads outside the data folder",
                      "copy the file into the data folder rather than linking to it")  # fmt: skip


class DataFolder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._root = str(root)  # paths are joined as strings: pathlib costs a third of a warm start at 1M facts
        self._real = root.resolve()
        self._folders: dict[str, Unreadable | None] = {}
        self._listings: dict[str, tuple[list[str], list[str]]] = {}  # per subfolder: plain names, misnamed ones
        self._plain: set[str] = set()  # every plain name listed: reading one needs no second check

    def exists(self) -> bool:
        return self.root.is_dir()

    # --- listing --------------------------------------------------------------------------------------------

    def fact_files(self) -> list[str]:
        """``facts/<name>.yaml`` for every fact file (or whatever stands under such a name), sorted."""
        return [name for name in self._listing(FACTS)[0] if name.endswith(".yaml")]

    def raw_files(self) -> list[str]:
        return self._listing(RAW)[0]

    def misnamed(self) -> list[str]:
        """The fact files and articles whose name is not plain (not UTF-8, controls, spaces), escaped: each is
        refused by name, and the rest of the folder loads."""
        facts = [name for name in self._listing(FACTS)[1] if name.endswith(".yaml")]
        return facts + self._listing(RAW)[1]

    def _listing(self, sub: str) -> tuple[list[str], list[str]]:
        """The entries of a subfolder (``sub/name``), sorted, whatever they are (reading one says what is wrong):
        those with plain names, and the others, escaped. Listed once per opening."""
        if sub not in self._listings:
            names: list[str] = []
            if self.folder_refusal(sub) is None:
                with contextlib.suppress(OSError):  # gone since: as if empty, and the key changes
                    names = sorted(entry.name for entry in os.scandir(os.path.join(self._root, sub))
                                   if not entry.name.startswith("."))  # fmt: skip
            plain = [f"{sub}/{name}" for name in names if is_plain_name(name)]
            misnamed = [f"{sub}/{safe_name(name)}" for name in names if not is_plain_name(name)]
            self._plain.update(plain)
            self._listings[sub] = plain, misnamed
        return self._listings[sub]

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
        return [*top, *self.fact_files(), *self.raw_files(), *self.misnamed()]

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
            limit = size_limit(name)
            with self._open(self._examine(name)[1]) as stream:
                data: bytes = stream.read(limit + 1)
        except OSError as error:
            raise Unreadable(f"cannot be read ({error.strerror})", "check that the file is there and readable") from None
        if len(data) > limit:
            raise _too_large(name, len(data))
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
        path = self._path(name)
        try:
            info = os.lstat(path)  # one call for the common case, a plain file
            if stat.S_ISLNK(info.st_mode):
                path = os.path.realpath(path)
                if not self._inside(path):
                    raise _outside()
                info = os.stat(path)
        except FileNotFoundError:
            what = "is a link to nothing" if os.path.islink(self._path(name)) else "file is missing"
            raise Unreadable(what, f"create {name} (see the README's data format)") from None
        except OSError as error:
            raise Unreadable(f"cannot be read ({error.strerror})", "check its permissions") from None
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("is a folder, not a file", f"remove the folder and put the file {name} there")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("is not a regular file (a pipe, device or socket)", "replace it with a plain file")
        if info.st_size > size_limit(name):
            raise _too_large(name, info.st_size)
        return info, path

    def _path(self, name: str) -> str:
        if name in self._plain:  # listed here, and checked then
            return os.path.join(self._root, name)
        parts = name.split("/")
        if len(parts) > 2 or not all(is_plain_name(part) for part in parts):
            raise Unreadable("is not a plain file name (shown with \\x escapes where it is not UTF-8 text)",
                             "rename it with letters, digits, `-`, `_` and `.` only")  # fmt: skip
        refusal = self.folder_refusal(parts[0]) if len(parts) == 2 else None
        if refusal is not None:
            raise Unreadable(f"is not read: {parts[0]}/ {refusal.what}", refusal.fix)
        return os.path.join(self._root, name)

    def _inside(self, path: str) -> bool:
        """Whether a path, links followed, stays inside the folder."""
        real = Path(os.path.realpath(path))
        return real == self._real or self._real in real.parents


def _too_large(name: str, size: int) -> Unreadable:
    kind = "an article" if name.startswith(f"{RAW}/") else "sources.yaml" if name == SOURCES else "this data file"
    return Unreadable(f"is {_amount(size)}, more than the {_amount(size_limit(name))} {kind} may hold",
                      "split it, or check that it is the file you meant")  # fmt: skip


def _amount(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size:,} bytes"
