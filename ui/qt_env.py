"""What Qt must see of the environment before the window opens.

Importing OpenCV (the wheel mediapipe requires) overwrites `QT_QPA_PLATFORM_PLUGIN_PATH` and
`QT_QPA_FONTDIR` with folders of its own Qt 5 build: PySide6 then looks for its platform plugin
and fonts there. And on a Linux desktop missing one of the xcb libraries Qt's platform plugin
needs, `QApplication()` aborts the process with a message that names the wrong cause. Both are
handled here, before Qt starts.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

OPENCV_QT_VARIABLES = ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR")


def _opencv_folder() -> Path | None:
    spec = importlib.util.find_spec("cv2")
    return Path(spec.origin).resolve().parent if spec and spec.origin else None


def drop_opencv_qt_paths(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Remove the Qt variables that point into OpenCV's package (a user's own settings stay).
    Returns the names removed."""
    folder = _opencv_folder()
    removed = []
    for name in OPENCV_QT_VARIABLES:
        value = environ.get(name)
        if folder is not None and value and Path(value).resolve().is_relative_to(folder):
            del environ[name]
            removed.append(name)
    return removed


def xcb_plugin_problem(environ: MutableMapping[str, str] = os.environ) -> str | None:
    """Why Qt's xcb platform plugin cannot be loaded here (e.g. `libxcb-icccm.so.4: cannot open shared
    object file`), or None when it loads or another platform is in use."""
    if not sys.platform.startswith("linux"):
        return None
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and environ.get("WAYLAND_DISPLAY") and not environ.get("DISPLAY"):
        return None
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None
    try:
        ctypes.CDLL(str(plugin))  # the dynamic loader names the first library it cannot find
    except OSError as exc:
        return str(exc)
    return None
