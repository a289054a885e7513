"""Errors the operator can act on: they carry a bilingual message and an exit code."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from station.i18n import Text

log = logging.getLogger(__name__)
T = TypeVar("T")


class StationError(Exception):
    exit_code = 2

    def __init__(self, text: Text, exit_code: int | None = None, code: str = "failed") -> None:
        super().__init__(text.en)
        self.text = text
        self.code = code  # what `--json` prints as {"error": code, "message"}, for scripts
        if exit_code is not None:
            self.exit_code = exit_code


MODEL_MISSING = Text("缺少模型文件 {path}：请重新安装工作站程序。", "The model file {path} is missing: reinstall the station program.")
MODEL_DAMAGED = Text("模型文件 {path} 已损坏，无法加载：请重新安装工作站程序。",
                     "The model file {path} is damaged and cannot be loaded: reinstall the station program.")


class ModelFileError(StationError):
    """A shipped model file that is missing or cannot be loaded: the installation is incomplete, so the person is
    told which file and to reinstall; the loader's own words (onnxruntime's, OpenCV's, a JSON error) go to the log."""

    def __init__(self, path: Path, cause: Exception) -> None:
        if isinstance(cause, FileNotFoundError) and cause.filename:  # the file missing may be a model's sidecar
            path = Path(cause.filename)
        missing = not path.exists()
        log.warning("model file %s not loaded: %s: %s", path, type(cause).__name__, cause)
        super().__init__((MODEL_MISSING if missing else MODEL_DAMAGED).format(path=path), code="model_file")
        self.path = path
        self.missing = missing  # a short line (the live identity line's) says which without the path


def load_model(path: Path, load: Callable[[Path], T]) -> T:
    """`load(path)`, or a ModelFileError that names the file (a missing runtime library is not the file's fault: its
    ImportError goes on as it is)."""
    try:
        return load(path)
    except ImportError:
        raise
    except Exception as exc:  # onnxruntime's, OpenCV's, protobuf's and json's errors share no base class
        raise ModelFileError(path, exc) from exc


# What the operating system's refusal means, in words, in place of its English strerror ("Read-only file system")
# inside a Chinese sentence. Windows' own codes first: its "in use" and "write-protected" both arrive as EACCES, and a
# path over MAX_PATH (ERROR_FILENAME_EXCED_RANGE, where long paths are not enabled) as ENOENT ("is it unplugged?").
_WINDOWS_REASONS = {32: "in_use", 33: "in_use", 19: "read_only", 206: "too_long"}
_ERRNO_REASONS = {
    errno.ENOENT: "gone", errno.ENODEV: "gone", errno.ENXIO: "gone", errno.EACCES: "denied", errno.EPERM: "denied",
    errno.EROFS: "read_only", errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EBUSY: "in_use",
    errno.ENOTDIR: "not_a_folder", errno.EISDIR: "a_folder", errno.EEXIST: "in_the_way",
    errno.ENAMETOOLONG: "too_long", errno.EIO: "disk_error",
}
OS_REASONS = {
    "gone": Text("找不到这个文件或文件夹（所在的磁盘或U盘可能已拔出）", "no such file or folder (is its drive or USB stick unplugged?)"),
    "denied": Text("没有权限（请检查文件夹的权限，或换一个位置）",
                   "permission denied (check the folder's permissions, or choose another place)"),
    "read_only": Text("磁盘是只读的（U盘可能开了写保护）", "the drive is read-only (is the USB stick write-protected?)"),
    "full": Text("磁盘已满", "the disk is full"),
    "in_use": Text("正被其他程序占用", "it is in use by another program"),
    "not_a_folder": Text("路径中有一段是文件而不是文件夹", "part of the path is a file, not a folder"),
    "a_folder": Text("这是一个文件夹", "it is a folder"),
    "in_the_way": Text("已有同名的文件", "a file of that name is in the way"),
    "too_long": Text("路径或文件名太长", "the path or file name is too long"),
    "disk_error": Text("磁盘读写出错（磁盘故障，或U盘被拔出）", "a disk error (a failing disk, or the USB stick was pulled out)"),
    "other": Text("读写出错（详情已写入日志）", "a read or write error (the details are in the log)"),
}


def os_reason(exc: OSError) -> Text:
    """Why the operating system refused, said for the person; its own words (and the file) go to the log."""
    log.info("refused by the system: %r", exc)
    kind = _WINDOWS_REASONS.get(getattr(exc, "winerror", None) or 0) or _ERRNO_REASONS.get(exc.errno or 0, "other")
    return OS_REASONS[kind]
