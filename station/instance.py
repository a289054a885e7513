"""One running station per data home.

A second start (a double click on a laptop that is slow to open the first window) would open the
camera twice and let two windows photograph into one queue. The lock is the operating system's own
(filelock: msvcrt on Windows, fcntl elsewhere), so a station that was killed leaves none behind.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from station.errors import StationError
from station.i18n import Text

ALREADY_RUNNING = Text(
    "工作站已经在运行（数据目录：{home}）。请切换到已经打开的工作站窗口，不要再启动一个。",
    "The station is already running (data folder: {home}). Switch to its window instead of starting another.",
)


def hold_station(home: Path) -> FileLock:
    """The held lock of this data home; release it (or end the process) to let another station start."""
    lock = FileLock(home / "station.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StationError(ALREADY_RUNNING.format(home=home), exit_code=3) from exc
    return lock
