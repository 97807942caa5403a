"""Writing and reading the files a user owns, so that a crash never leaves half of one and a hostile one never
takes the program down.

Writing: a temporary file beside the target (``.NAME.PID.RANDOM.tmp``), synced and renamed over it. It keeps
the mode of the file it replaces, and a new file gets the umask's (``tempfile.mkstemp`` would make it 0600).
A writer killed mid-write leaves its temporary behind: the next write or load of the same file removes those
whose writer is gone or that are older than a minute.

Reading: regular files only (a FIFO would hang, ``/dev/zero`` never end), at most ``limit`` bytes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from pathlib import Path

STALE_AFTER = 60.0  # seconds: a temporary this old is an orphan even if its writer's pid is taken again
NEW_FILE_MODE = 0o666  # before the umask, as open() would create it
USER_FILE_LIMIT = 16 << 20  # bytes: a settings or marks file is kilobytes; a larger one is not ours


class UnreadableFile(OSError):
    """A file that is not a regular file, or is larger than it may be: set aside, never read."""


def write_atomically(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` whole or not at all, keeping ``path``'s permission bits if it exists. A link
    is followed (the file it names is replaced, the link stays); a device, pipe or socket is refused, never
    replaced by a file (``export -o /dev/null`` as root would otherwise turn /dev/null into one)."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    mode = _existing_mode(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)  # umask applies
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:  # the text exactly as given
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_user_file(path: Path, limit: int = USER_FILE_LIMIT) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; :class:`UnreadableFile` for anything else."""
    # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise UnreadableFile(errno.EINVAL, "not a regular file", str(path))
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(errno.EFBIG, f"larger than {limit >> 20} MB", str(path))
    return data


def remove_stale_temporaries(path: Path, now: float | None = None) -> list[Path]:
    """Remove the temporaries left beside ``path`` by writers that died mid-write; return them."""
    removed = []
    moment = time.time() if now is None else now
    with contextlib.suppress(OSError):
        for candidate in path.parent.glob(f".{_glob_escape(path.name)}.*.tmp"):
            if _is_orphan(candidate, moment):
                with contextlib.suppress(OSError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def _is_orphan(temporary: Path, now: float) -> bool:
    try:
        age = now - temporary.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    pid = _writer_pid(temporary.name)
    return pid is not None and pid != os.getpid() and not _alive(pid)


def _writer_pid(name: str) -> int | None:
    """The pid in ``.NAME.PID.RANDOM.tmp`` (None for a name of another shape, e.g. an older version's)."""
    parts = name.split(".")
    field = parts[-3] if len(parts) >= 4 else ""
    return int(field) if field.isascii() and field.isdecimal() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal
        return True
    return True


def _existing_mode(path: Path) -> int | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(found.st_mode):
        raise OSError(errno.EINVAL, "is not a regular file (a device, pipe or socket)", str(path))
    return stat.S_IMODE(found.st_mode)


def _glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)
