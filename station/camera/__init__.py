"""Cameras without Qt: USB (OpenCV) and file-backed sources, newest frame only, with a watchdog.

`open_camera("0")` or `open_camera("assets/demo/frames")` gives a FrameSource (call
start()/stop() or use it as a context manager); `preview_bgrx` makes the screen image.
"""

from __future__ import annotations

from station.camera.backends import Backend, FileBackend, UsbBackend, UsbSettings
from station.camera.source import CameraState, Frame, FrameSource, StateChange
from station.paths import typed_path

__all__ = ["CameraState", "Frame", "FrameSource", "StateChange", "open_camera", "backend_for"]


# A folder plays as a slideshow: each image stays this long (at the camera's frame rate).
FOLDER_HOLD_S = 2.0


def usb_index(choice: str | int) -> int | None:
    """An integer (or digits) is a USB camera index; anything else (None here) is a folder or a video file."""
    return int(choice) if isinstance(choice, int) or str(choice).strip().isdigit() else None


def backend_for(choice: str | int, fps: float = 25.0, usb: UsbSettings | None = None,
                hold: float = FOLDER_HOLD_S) -> Backend:
    """A USB camera for an index; else the folder or video file `choice` names, a leading ~ and a cmd %NAME% read as
    a shell would have (`--camera %USERPROFILE%\\Pictures\\frames` typed in PowerShell, which hands it over as typed)."""
    index = usb_index(choice)
    if index is not None:
        return UsbBackend(index, usb or UsbSettings())
    return FileBackend(typed_path(str(choice)), fps=fps, hold=hold)


def open_camera(choice: str | int, fps: float = 25.0, usb: UsbSettings | None = None,
                hold: float = FOLDER_HOLD_S, **watchdog: float) -> FrameSource:
    """A FrameSource (not started) opening a fresh backend on every (re)connect."""
    return FrameSource(lambda: backend_for(choice, fps, usb, hold), usb_index=usb_index(choice), **watchdog)
