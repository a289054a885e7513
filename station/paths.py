"""Where the station keeps its data: one folder per station, portable across OSes."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_HOME = "PHOTO_STATION_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None, env_var: str, app_name: str) -> Path:
    """The command-line folder, else the environment's, else the per-user data dir of `app_name`."""
    if explicit:
        home = Path(explicit)
    elif os.environ.get(env_var):
        home = Path(os.environ[env_var])
    else:
        home = Path(platformdirs.user_data_dir(app_name, appauthor=False))
    return home.expanduser().resolve()


def data_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The station's data home (--home, then $PHOTO_STATION_HOME), created when missing."""
    home = resolve_home(explicit, ENV_HOME, "PhotoStation")
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_path(home: Path) -> Path:
    return home / "station.db"
