"""Files that are either wholly written or not there at all, and a refusal before the disk fills."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from station.errors import StationError
from station.i18n import Text

# Windows refuses to replace or delete a file that another handle holds open without FILE_SHARE_DELETE, which
# Python's own open() never asks for: an antivirus or the search indexer reading the file just written, OneDrive
# syncing it, the station's own reader on another thread. The refusal (PermissionError, WinError 5 or 32) lasts as
# long as that handle, usually milliseconds, so the rename or delete is tried again before it is given up (pip and git
# for Windows do the same). POSIX renames over open files; a refusal there (rare: the folder just took the temporary
# file) is said 1.6 s later.
REPLACE_WAITS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8)  # seconds before each new try: 1.6 s in all
TMP_NAME_CHARS = 40  # of the target's name in its temporary file's

DISK_FULL = Text(
    "磁盘空间不足（剩余 {free_mb} MB，需要至少 {need_mb} MB），照片未保存；已保存的照片不受影响。请清理磁盘后重试。",
    "Not enough disk space ({free_mb} MB free, at least {need_mb} MB needed); the photo was not saved. "
    "Photos saved earlier are intact. Free some space and try again.",
)
DISK_FULL_FILE = Text(
    "磁盘空间不足（剩余 {free_mb} MB，需要至少 {need_mb} MB），{path} 没有写入；已保存的照片不受影响。请清理磁盘或换一个位置后重试。",
    "Not enough disk space ({free_mb} MB free, at least {need_mb} MB needed); {path} was not written. "
    "Photos saved earlier are intact. Free some space or choose another place and try again.",
)


def write_atomic(path: Path, data: bytes) -> None:
    """Temporary file beside the target, fsync, rename: a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # the name's start only: a name the file system takes (up to 255 bytes) would not take 14 more for the temporary
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:TMP_NAME_CHARS]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise disk_full_error(path.parent, len(data), path) from exc
        raise
    _fsync_directory(path.parent)


class HeldOpen(PermissionError):
    """A rename refused after the waits, in a folder the station could just write its temporary file in: another
    program holds the file (Windows' antivirus scanning what was just written, Excel with the report open), which
    WinError 5 otherwise says as 'permission denied, check the folder's permissions' (errno EBUSY: 'in use')."""


def _replace(source: str, target: Path) -> None:
    try:
        _while_held(lambda: os.replace(source, target))
    except PermissionError as exc:
        raise HeldOpen(errno.EBUSY, f"held open by another program: {exc}", os.fspath(target)) from exc


def remove_file(path: Path) -> None:
    """Delete `path` (gone already is fine), trying again while another handle holds it open, as Windows refuses
    a delete then (above); PermissionError when it is still held after 1.6 s."""
    _while_held(lambda: path.unlink(missing_ok=True))


def _while_held(action: Callable[[], None]) -> None:
    for wait in (*REPLACE_WAITS, None):
        try:
            action()
            return
        except PermissionError:  # on Windows: the file is open elsewhere (above)
            if wait is None:
                raise
            time.sleep(wait)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; Windows cannot open directories and does not need it."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_free_space(directory: Path, needed: int, reserve: int, target: Path | None = None) -> None:
    """Refuse, before writing anything, when `needed` bytes would eat into the reserve."""
    directory.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(directory).free < needed + reserve:
        raise disk_full_error(directory, needed + reserve, target)


def disk_full_error(directory: Path, needed: int, target: Path | None = None) -> StationError:
    """The refusal names `target`, the file or folder not written (a report, a USB package); without one it is the
    photo at the shutter. Telling a registrar whose stick is full that "the photo was not saved" would alarm them
    about photos that are safe on the laptop."""
    free, need = shutil.disk_usage(directory).free // 2**20, max(1, needed // 2**20)
    text = DISK_FULL.format(free_mb=free, need_mb=need) if target is None else DISK_FULL_FILE.format(
        free_mb=free, need_mb=need, path=target)
    return StationError(text, exit_code=3)
