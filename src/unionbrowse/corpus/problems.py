"""What is wrong with a data folder, said so that a person can fix it: file, line, what, and how."""

from __future__ import annotations

from dataclasses import dataclass


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
