"""Whether the files of a cache folder are still the ones written: sizes, times and checksums in a manifest.

A file whose size differs was damaged or cut short. A file whose modification time differs was written since:
its CRC-32 is computed and compared. A file untouched since it was written (same size, same time to the
nanosecond) is not read again, so opening a cache of gigabytes costs a ``stat`` per file, not a pass over it.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from pathlib import Path


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
