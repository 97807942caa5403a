"""The wheel carries the data, and the installed package finds it without a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_the_data_and_finds_it(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist"), versions=["standard"]))))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "unionbrowse/_data/sources.yaml" in names
        assert "unionbrowse/_data/raw/001_ef19e07390bc0016.txt" in names
        assert any(name.startswith("unionbrowse/_data/facts/") for name in names)
        assert "unionbrowse/py.typed" in names
        archive.extractall(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, "-c", "import unionbrowse.locations as p, unionbrowse.cli.commands as c; print(p.bundled_data_dir()); "
         "raise SystemExit(c.main(['check']))"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""}, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "site" / "unionbrowse" / "_data") in result.stdout
    assert "ok: 5 sources" in result.stdout
