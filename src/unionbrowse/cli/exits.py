"""How a run of the command ends: its exit code, and at most one line on stderr, never a traceback.

Kept apart from the commands and light to import, so ``unionbrowse`` started bare guards the app with it without
loading the core before the app's first frame.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, TextIO, TypeVar, cast

from unionbrowse.locations import cache_root
from unionbrowse.untrusted import for_terminal_line

# Exit codes (the README lists them): a reader leaving early (`| head`) is success, never "problems found".
EXIT_OK = 0
EXIT_PROBLEMS = 1  # `check` or `coverage` found problems
EXIT_USAGE = 2  # a usage error, or output that cannot be written (a read-only or full disk, a closed stdout)
EXIT_INTERNAL = 3  # a bug: one line on stderr names the crash report under the cache folder
EXIT_INTERRUPTED = 130
T = TypeVar("T")


def guarded(work: Callable[[], T], what: str) -> T | int:
    """Run a command and flush its output, turning every way it can end into an exit code and at most one line
    on stderr: never a traceback."""
    try:
        done = work()
        sys.stdout.flush()  # a full disk says so here, not in the interpreter's last flush
        return done
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `unionbrowse export | head`: the reader left, which is fine
        return _reader_left()
    except OutputError as error:
        _discard_output()
        return fail(f"cannot write the output: {error.strerror}")
    except SystemExit as leaving:
        if _rich_saw_the_reader_leave(leaving.__traceback__):
            return _reader_left()
        raise
    except Exception as error:  # the last resort: a bug, reported in a file, not on the terminal
        return report_crash(error, what)


def report_crash(error: BaseException, what: str) -> int:
    """Write the traceback to a crash file under the cache folder; say in one line what failed and where."""
    report = f"unionbrowse {what}\n{' '.join(sys.argv)}\n\n" + "".join(traceback.format_exception(error))
    try:
        folder = cache_root() / "crashes"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.txt"
        path.write_text(report, encoding="utf-8", errors="backslashreplace")
        where = f"the full report is in {path}"
    except OSError as failure:
        where = f"no report could be written ({failure.strerror})"
    summary = for_terminal_line(f"{type(error).__name__}: {error}")[:300]
    print(f"unionbrowse: internal error in {what} ({summary}); {where}", file=sys.stderr)
    return EXIT_INTERNAL


# --- standard streams ---------------------------------------------------------------------------------------


class OutputError(OSError):
    """Standard output cannot be written: closed (``>&-``), or its disk full (``>/dev/full``)."""


class _Output(io.TextIOBase):
    """Standard output with its failures named, so that they are told apart from any other OSError."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__()
        self.stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def fileno(self) -> int:
        if self.stream is None:
            raise io.UnsupportedOperation("standard output is closed")
        return int(self.stream.fileno())

    def write(self, text: str) -> int:
        return int(self._guard(lambda stream: stream.write(text)))

    def flush(self) -> None:
        if self.stream is not None:  # closed: nothing was written (a write would have said so), nothing to flush
            self._guard(lambda stream: stream.flush())

    def _guard(self, act: Callable[[TextIO], Any]) -> Any:
        if self.stream is None:
            raise OutputError(errno.EBADF, "standard output is closed")
        try:
            return act(self.stream)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.errno, error.strerror or str(error)) from error


@contextlib.contextmanager
def standard_streams() -> Iterator[None]:
    """While the CLI runs: closed descriptors held by /dev/null (so no file opened later lands on them),
    stdout's failures named, and text the stream's encoding cannot hold escaped rather than fatal."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
    saved = sys.stdout, sys.stderr
    for stream in saved:
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    sys.stdout = cast(TextIO, _Output(saved[0]))
    if saved[1] is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _reader_left() -> int:
    """The reader of our output went away: what is left to print goes nowhere, and that is success."""
    _discard_output()
    return EXIT_OK


def _discard_output() -> None:
    """Point stdout at /dev/null so the interpreter's last flush of what is buffered cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())  # type: ignore[union-attr]


def _rich_saw_the_reader_leave(trace: TracebackType | None) -> bool:
    """rich answers a broken pipe with ``SystemExit(1)`` from ``Console.on_broken_pipe``: the reader left."""
    while trace is not None:
        if trace.tb_frame.f_code.co_name == "on_broken_pipe":
            return True
        trace = trace.tb_next
    return False


def fail(message: str) -> int:
    """A usage error: one line on stderr."""
    print(f"unionbrowse: {for_terminal_line(message)}", file=sys.stderr)
    return EXIT_USAGE
