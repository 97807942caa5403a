"""A cache folder's manifest (written last, so a folder without one was never finished) and its memory maps.

The manifest names what the folder is (a format, a key) and records every file's size, time and checksum. A
file whose size differs was damaged or cut short. A file whose modification time differs was written since:
its CRC-32 is computed and compared. A file untouched since it was written (same size, same time to the
nanosecond) is not read again, so opening a cache of gigabytes costs a ``stat`` per file, not a pass over it.
A manifest of any other shape (``[]``, ``"x"``, files ``null``), or one that leaves out an array the folder
holds, makes the folder untrusted: it is built again.

Known limit: the arrays are memory-mapped, so a file cut short by another program *while* one is open makes the
next read of a page past its new end raise SIGBUS (the process dies; in the app, the terminal is left raw). Our
own writers never do that: they build a new folder and rename it into place, and a mapped file that is replaced
or removed lives on until it is unmapped. ``MAP_PRIVATE`` does not help (a private page past the end of the file
faults the same way), and copying the arrays into memory would cost what memory-mapping saves.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt


def write_manifest(folder: Path, **fields: Any) -> None:
    """Write the manifest of a finished folder: ``fields`` (what it is) and every file in it, as written now."""
    manifest = {**fields, "files": describe(folder)}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


MAPPED = (".npy", ".bin")  # files read by memory-mapping, never parsed: each must be listed in the manifest
_MANIFEST_LIMIT = 64 << 20  # bytes: a manifest lists a few dozen files


def read_manifest(folder: Path, **expected: Any) -> dict[str, Any] | None:
    """The manifest of ``folder`` if it is there, of the shape ``write_manifest`` gives, says what ``expected``
    says, lists every memory-mapped file in the folder, and every file it lists is as written; the files are then
    read ahead. None otherwise: the folder is not to be trusted."""
    try:
        path = folder / "manifest.json"
        if path.stat().st_size > _MANIFEST_LIMIT:
            return None
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not _well_formed(manifest) or any(manifest.get(name) != value for name, value in expected.items()):
            return None
        files = manifest["files"]
        if not all(name in files for name in _mapped_files(folder)) or not unchanged(folder, files):
            return None
    except (OSError, ValueError, RecursionError):
        return None
    read_ahead(folder, files)
    return manifest  # type: ignore[no-any-return]


def _well_formed(manifest: Any) -> bool:
    """A mapping whose ``files`` map plain file names to ``[size, mtime_ns, crc32]``, three whole numbers."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return False
    return all(
        isinstance(name, str) and name not in ("", ".", "..") and name == Path(name).name
        and isinstance(entry, list) and len(entry) == 3
        and all(isinstance(number, int) and not isinstance(number, bool) for number in entry)
        for name, entry in manifest["files"].items()
    )  # fmt: skip


def _mapped_files(folder: Path) -> list[str]:
    with os.scandir(folder) as entries:
        return [entry.name for entry in entries if entry.name.endswith(MAPPED)]


def map_array(path: Path) -> npt.NDArray[Any]:
    """A ``.npy`` file, memory-mapped (a plain array view: numpy's memmap subclass costs more per operation)."""
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)  # type: ignore[no-any-return]


def map_blob(path: Path, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A raw file of ``dtype`` items, memory-mapped (an empty one cannot be mapped: it is an empty array)."""
    if path.stat().st_size == 0:
        return np.empty(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r").view(np.ndarray)


def describe(folder: Path) -> dict[str, list[int]]:
    """The manifest entry of every file in ``folder``: size, modification time (ns) and CRC-32."""
    found = {}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            stat = path.stat()
            found[path.name] = [stat.st_size, stat.st_mtime_ns, crc(path)]
    return found


def unchanged(folder: Path, files: dict[str, list[int]]) -> bool:
    """Every file listed is there, as written: same size, and same time or else same checksum."""
    for name, (size, mtime_ns, checksum) in files.items():
        stat = (folder / name).stat()
        if stat.st_size != size:
            return False
        if stat.st_mtime_ns != mtime_ns and crc(folder / name) != checksum:
            return False
    return True


def read_ahead(folder: Path, names: Iterable[str]) -> None:
    """Ask the kernel to read these files into memory in the background: they are memory-mapped, and the first
    searches would otherwise wait on the disk for every page they touch (the call itself returns at once)."""
    for name in names:
        try:
            descriptor = os.open(folder / name, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except (OSError, AttributeError):  # not every system has fadvise (macOS): reading ahead is a nicety
            pass
        finally:
            os.close(descriptor)


def crc(path: Path) -> int:
    checksum = 0
    with path.open("rb") as stream:
        while block := stream.read(1 << 22):
            checksum = zlib.crc32(block, checksum)
    return checksum
