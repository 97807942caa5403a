"""Every folder the program uses, in one place: the data folder, the cache, and the user's own files.

- data: ``--data``, then ``UNIONBROWSE_DATA``, then the checkout's ``data/``, then the copy inside the wheel;
- cache (the compiled corpus and the search indexes, all rebuilt when missing): ``UNIONBROWSE_CACHE``, else the
  platform's user cache folder;
- user files (settings, the marked list, exports, clipboard fallbacks): ``UNIONBROWSE_HOME``, else the platform's
  user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "UNIONBROWSE_DATA"
CACHE_ENV = "UNIONBROWSE_CACHE"
HOME_ENV = "UNIONBROWSE_HOME"
_PACKAGE = Path(__file__).resolve().parent


def bundled_data_dir() -> Path | None:
    """The data shipped with the code: beside the checkout (editable or source) or inside the wheel."""
    for candidate in (_PACKAGE.parent.parent / "data", _PACKAGE / "_data"):
        if (candidate / "sources.yaml").is_file():
            return candidate
    return None


def resolve_data_dir(explicit: str | None = None) -> Path | None:
    chosen = explicit or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return bundled_data_dir()


def cache_root() -> Path:
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("unionbrowse", appauthor=False))


def data_home() -> Path:
    chosen = os.environ.get(HOME_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("unionbrowse", appauthor=False))
