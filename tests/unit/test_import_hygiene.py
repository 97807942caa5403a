"""The core never loads the terminal UI: the CLI runs without textual, and the import contracts hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import unionbrowse

PACKAGE = Path(unionbrowse.__file__).parent
ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, data_dir: Path) -> list[str]:
    env = {**os.environ, "UNIONBROWSE_DATA": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return result.stdout.strip().splitlines()


def test_unionbrowse_search_loads_no_textual(data_dir: Path) -> None:
    # The real entry point, as the `unionbrowse` command runs it (stdout is a pipe: the CLI, not the app).
    code = ("import sys, io, contextlib\n"
            "from unionbrowse.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    codes = [main(['search', '驿站']), main(['compare', '--json']), main(['check'])]\n"
            "print(codes, 'textual' in sys.modules)\n")  # fmt: skip
    assert _python(code, data_dir)[-1] == "[0, 0, 0] False"


def test_no_module_outside_the_app_imports_textual(data_dir: Path) -> None:
    core = sorted(
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for path in PACKAGE.rglob("*.py")
        if "tui" not in path.parts and path.name not in ("__main__.py", "main.py")
    )
    assert "unionbrowse.library" in core and "unionbrowse.search.engine" in core
    code = f"import sys, importlib\nfor name in {core!r}: importlib.import_module(name)\nprint('textual' in sys.modules)"
    assert _python(code, data_dir)[-1] == "False"


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_the_app_draws_its_first_frame_before_loading_the_engine(data_dir: Path) -> None:
    # Importing the app must not import the core's heavy parts: they load in the worker after the first frame.
    code = ("import sys\nimport unionbrowse.tui.app\n"
            "print(sorted(m for m in ('numpy', 'rapidfuzz', 'yaml', 'pypinyin', 'unionbrowse.library') if m in sys.modules))")  # fmt: skip
    assert _python(code, data_dir)[-1] == "[]"
