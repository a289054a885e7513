"""Where the station keeps its data: one folder per station, portable across OSes."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_HOME = "PHOTO_STATION_HOME"


def data_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data home: --home, then $PHOTO_STATION_HOME, then the per-user data dir."""
    if explicit:
        home = Path(explicit)
    elif os.environ.get(ENV_HOME):
        home = Path(os.environ[ENV_HOME])
    else:
        home = Path(platformdirs.user_data_dir("PhotoStation", appauthor=False))
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_path(home: Path) -> Path:
    return home / "station.db"
