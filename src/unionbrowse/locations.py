"""Where the data folder is: --data, then UNIONBROWSE_DATA, then the checkout's data/, then the bundled copy."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_data_dir() -> Path | None:
    """The data shipped with the code: beside the checkout (editable or source) or inside the wheel."""
    for candidate in (_PACKAGE.parent.parent / "data", _PACKAGE / "_data"):
        if (candidate / "sources.yaml").is_file():
            return candidate
    return None


def resolve_data_dir(explicit: str | None = None) -> Path | None:
    chosen = explicit or os.environ.get("UNIONBROWSE_DATA")
    if chosen:
        return Path(chosen).expanduser()
    return bundled_data_dir()
