"""Where the station keeps its data: one folder per station, portable across OSes."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from station.errors import StationError
from station.i18n import Text

ENV_HOME = "PHOTO_STATION_HOME"
NOT_A_FOLDER = Text("{path} 是文件而不是文件夹", "{path} is a file, not a folder")
EMPTY_HOME = Text("--home 给出的数据目录是空的：请写出目录路径，或去掉 --home 使用默认目录。",
                  "--home names no folder: give a path, or leave --home out for the default folder.")
HOME_UNUSABLE = Text(  # e.g. --home on a USB drive that is no longer plugged in
    "无法使用数据目录 {home}：{reason}。请检查该磁盘是否已连接、是否可写，或用 --home 指定另一个目录。",
    "Cannot use the data folder {home}: {reason}. Check that its drive is connected and writable, or choose "
    "another with --home.",
)


def resolve_home(explicit: str | os.PathLike[str] | None, env_var: str, app_name: str) -> Path:
    """The command-line folder, else the environment's, else the per-user data dir of `app_name`.

    An empty --home is a mistake (an unset variable in a script), never a quiet way to the real data.
    """
    if explicit is not None and not str(explicit).strip():
        raise StationError(EMPTY_HOME)
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
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StationError(HOME_UNUSABLE.format(home=home, reason=exc.strerror or exc)) from exc
    return home


def database_path(home: Path) -> Path:
    return home / "station.db"
