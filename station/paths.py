"""Where the station keeps its data: one folder per station, portable across OSes."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import platformdirs

from station.errors import StationError, os_reason
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
    return real_path(typed_path(home))


# cmd's %NAME%: README names the data folder %LOCALAPPDATA%\PhotoStation, and PowerShell (the terminal Windows 10 and
# 11 open by default) or a script's argument list hands `--home %LOCALAPPDATA%\PhotoStation` over as typed, which made
# a new, empty data folder named %LOCALAPPDATA% inside the current one
_WINDOWS_VARIABLE = re.compile(r"%([A-Za-z_][A-Za-z0-9_()]*)%")


def windows_variables(path: str | os.PathLike[str]) -> str:
    """`path` with each %NAME% of a variable that is set replaced by its value, as cmd expands it; a path that exists
    as written (a folder really named so) is itself, and a name that is not set stays as it is."""
    text = os.fspath(path)
    if "%" not in text or exists(text):
        return text
    return _WINDOWS_VARIABLE.sub(lambda name: os.environ.get(name.group(1), name.group(0)), text)


def typed_path(path: str | os.PathLike[str]) -> Path:
    """A path as a person typed it, read as a shell would have: each %NAME% as cmd expands it (`windows_variables`),
    a leading ~ as the home folder (cmd, PowerShell and a script's argument list hand both over as typed)."""
    return Path(windows_variables(path)).expanduser()


def data_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The station's data home (--home, then $PHOTO_STATION_HOME), created when missing."""
    home = resolve_home(explicit, ENV_HOME, "PhotoStation")
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StationError(HOME_UNUSABLE.format(home=home, reason=os_reason(exc))) from exc
    return home


def demo_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--home when given, else a `demo` folder beside the real data."""
    if explicit:
        return data_home(explicit)
    return data_home(data_home() / "demo")


def start_home(explicit: str | os.PathLike[str] | None, demo: bool) -> Path:
    """The data home a start opens: the demo's own (--demo), else the station's."""
    return demo_home(explicit) if demo else data_home(explicit)


def database_path(home: Path) -> Path:
    return home / "station.db"


# A path someone typed or a CSV cell named is looked at with these, not pathlib's exists()/is_file()/is_dir()/resolve():
# on Python 3.11 those raise on a name longer than the file system allows, a NUL byte and (resolve) a symlink loop,
# where the user should hear "no such file".


def real_path(path: str | os.PathLike[str]) -> Path:
    """The absolute path with links followed as far as they go (a symlink loop is left as it is, not raised)."""
    return Path(os.path.realpath(path))


def _mode(path: str | os.PathLike[str]) -> int | None:
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):  # missing, a loop, a name too long, a NUL byte
        return None


def exists(path: str | os.PathLike[str]) -> bool:
    return _mode(path) is not None


def is_file(path: str | os.PathLike[str]) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def is_dir(path: str | os.PathLike[str]) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)
