"""Cameras without Qt: USB (OpenCV) and file-backed sources, newest frame only, with a watchdog.

`open_camera("0")` or `open_camera("assets/demo/frames")` gives a FrameSource (call
start()/stop() or use it as a context manager); `preview_rgb` makes the screen image.
"""

from __future__ import annotations

from pathlib import Path

from station.camera.backends import Backend, FileBackend, UsbBackend, UsbSettings
from station.camera.source import CameraState, Frame, FrameSource, StateChange

__all__ = ["CameraState", "Frame", "FrameSource", "StateChange", "open_camera", "backend_for"]


def backend_for(choice: str | int, fps: float = 25.0, usb: UsbSettings | None = None) -> Backend:
    """An integer (or digits) is a USB camera index; anything else is a folder of images or a video file."""
    if isinstance(choice, int) or str(choice).strip().isdigit():
        return UsbBackend(int(choice), usb or UsbSettings())
    return FileBackend(Path(choice), fps=fps)


def open_camera(choice: str | int, fps: float = 25.0, usb: UsbSettings | None = None, **watchdog: float) -> FrameSource:
    """A FrameSource (not started) opening a fresh backend on every (re)connect."""
    return FrameSource(lambda: backend_for(choice, fps, usb), **watchdog)
