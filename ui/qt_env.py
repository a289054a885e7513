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


def prefer_x11(environ: MutableMapping[str, str] = os.environ) -> None:
    """On a Linux desktop with an X display (a Wayland desktop's XWayland too), Qt's xcb platform unless the user chose
    one: the window manager decorates the windows and lets the station bring its queue window in front (F9) while it
    keeps the keyboard, as tested on X. Under Qt's own Wayland platform GNOME draws no title bar for Qt windows and a
    client may not raise a window. Wayland stays the fallback where the xcb plugin cannot load."""
    if sys.platform.startswith("linux") and not environ.get("QT_QPA_PLATFORM") and environ.get("DISPLAY"):
        environ["QT_QPA_PLATFORM"] = "xcb;wayland" if environ.get("WAYLAND_DISPLAY") else "xcb"


def xcb_plugin_problem(environ: MutableMapping[str, str] = os.environ) -> str | None:
    """Why Qt's xcb platform plugin cannot be loaded here (e.g. `libxcb-icccm.so.4: cannot open shared
    object file`), or None when it loads, another platform is in use, or Qt may fall back to Wayland."""
    if not sys.platform.startswith("linux"):
        return None
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if environ.get("WAYLAND_DISPLAY") and (not platform and not environ.get("DISPLAY")
                                           or "wayland" in platform.split(";")):
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
