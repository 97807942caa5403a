"""What is wrong with a data folder, said so that a person can fix it: file, line, what, and how."""

from __future__ import annotations

from dataclasses import dataclass

from unionbrowse.untrusted import for_terminal_line

SHOWN = 60  # characters of a value a message quotes: enough to find it, never a whole article


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, phrased as ``file:line: what is wrong; how to fix``."""

    file: str
    line: int
    message: str
    fix: str = ""
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = "" if self.severity == "error" else "warning: "
        return f"{where}: {label}{self.message}" + (f"; {self.fix}" if self.fix else "")


def shown(value: object, limit: int = SHOWN) -> str:
    """A value from a data file as a message may quote it: on one line, controls as visible symbols, and short.

    A message is printed wherever problems go (a terminal, a log), so it carries no raw escape or bidi control
    however hostile the value; a long value is cut, so a message never grows with the data."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool | float) or (isinstance(value, int) and value.bit_length() < 200):
        text = repr(value)
    else:  # a list, a mapping, a huge number: its kind, never its contents
        text = "a very long number" if isinstance(value, int) else type(value).__name__
    text = text[: limit + 1]
    return for_terminal_line(text[:limit] + "…" if len(text) > limit else text)
