"""Fixtures for the hostile suite: poisoned copies of the shipped data and a CLI run that keeps its raw bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.folders import forbidden_bytes, poisoned, with_payload_paragraph


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def errors(self) -> str:
        return self.err.decode("utf-8", "replace")

    def assert_safe(self) -> None:
        """No traceback, and no byte of ESC, BEL, C1 or a bidi override on either stream."""
        assert b"Traceback" not in self.err + self.out, self.errors[-2000:]
        assert forbidden_bytes(self.out) == [], self.out[:2000]
        assert forbidden_bytes(self.err) == [], self.err[:2000]


def run_cli(*args: str, data: Path | None = None, env: dict[str, str] | None = None,
            stdin: bytes | None = None, timeout: float = 60) -> Run:
    """``unionbrowse ARGS`` in a child process (piped, as a script runs it), with its exact bytes."""
    command = [sys.executable, "-m", "unionbrowse", *(["--data", str(data)] if data else []), *args]
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(command, input=stdin or b"", capture_output=True, timeout=timeout, env=environment)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def poisoned_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data with the payload in every field and in one article's body (built once, read only)."""
    return with_payload_paragraph(poisoned(tmp_path_factory.mktemp("poisoned") / "data"))


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("UNIONBROWSE_HOME", str(home))
    return home
