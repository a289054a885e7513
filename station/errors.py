"""Errors the operator can act on: they carry a bilingual message and an exit code."""

from __future__ import annotations

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


def load_model(path: Path, load: Callable[[Path], T]) -> T:
    """`load(path)`, or a ModelFileError that names the file (a missing runtime library is not the file's fault: its
    ImportError goes on as it is)."""
    try:
        return load(path)
    except ImportError:
        raise
    except Exception as exc:  # onnxruntime's, OpenCV's, protobuf's and json's errors share no base class
        raise ModelFileError(path, exc) from exc
