"""Where frames come from: the `Backend` protocol, a USB camera through OpenCV, and a file-backed camera.

A backend is opened, read and closed by one capture thread only; `FrameSource` adds the
threading, the newest-frame buffer and the watchdog on top. `open()` raises
CameraUnavailable; `read()` returns None when the device or the files are gone.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from station.image_io import IMAGE_SUFFIXES, mac_metadata, read_image

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v"}
MAX_CACHED_IMAGES = 64  # a demo folder is decoded once; a bigger folder is decoded as it plays


class CameraUnavailable(Exception):
    """The camera cannot be opened now (unplugged, busy, folder missing); the watchdog retries."""


class Backend(Protocol):
    description: str
    # Which view the last frame read shows: it changes only where the picture jumps (a file camera's next
    # image), never along a camera's continuous video.
    scene: int

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...


def capture_apis(platform: str = sys.platform) -> list[int]:
    """The capture APIs a camera is opened through, in order of preference. Windows: DirectShow first (the settings
    and frame rates apply_format knows), then Media Foundation, the only one through which some built-in, IR and
    newer cameras open at all (DirectShow alone left them "cannot be opened"). Linux V4L2, macOS AVFoundation."""
    if platform.startswith("win"):
        return [cv2.CAP_DSHOW, cv2.CAP_MSMF]
    if platform == "darwin":
        return [cv2.CAP_AVFOUNDATION]
    return [cv2.CAP_V4L2]


def default_api() -> int:
    """The OS's own capture API: DirectShow on Windows (names, settings), V4L2 on Linux."""
    return capture_apis()[0]


def open_capture(device: int | str, apis: list[int]) -> tuple[cv2.VideoCapture, int] | None:
    """The camera (an index, or a video's path or address) opened through the first of `apis` that opens it, and that
    API; None when none does."""
    for api in apis:
        cap = cv2.VideoCapture(device, api)
        if cap.isOpened():
            return cap, api
        cap.release()
    return None


# A camera mounted on its side (for a tall picture of head and shoulders) or upside down: its frames are turned
# clockwise by this many degrees before anyone sees them, so the preview, the checks and the photo stand upright.
ROTATIONS = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass
class UsbSettings:
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    lock_exposure: bool = False
    exposure: float | None = None  # driver units (V4L2: 100 us steps; DirectShow: log2 seconds)
    lock_white_balance: bool = False
    white_balance_k: float | None = None
    rotation: int = 0  # degrees clockwise, one of ROTATIONS


def turned(frame: np.ndarray, rotation: int) -> np.ndarray:
    """The frame as the mounted camera's subject stands (`rotation` degrees clockwise)."""
    code = ROTATIONS[rotation]
    return frame if code is None else cv2.rotate(frame, code)


def apply_format(cap: cv2.VideoCapture, settings: UsbSettings, api: int) -> dict[str, bool]:
    """MJPG at the settings' size and frame rate: MJPG lets USB 2 cameras deliver 1280x720 at full frame rate.

    In the order the capture API keeps them. DirectShow (OpenCV's cap_dshow.cpp) takes a FOURCC only together with
    a size, and sets the stream up again, in the camera's default format, for a new size without one and for a new
    frame rate: MJPG set first (the order kept for V4L2) was dropped there for YUY2, 5-10 fps at 1280x720 on most
    USB 2 webcams. There the frame rate goes first, then the size, and MJPG last, at that size."""
    fourcc = ("fourcc", cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
    size = [("width", cv2.CAP_PROP_FRAME_WIDTH, settings.width), ("height", cv2.CAP_PROP_FRAME_HEIGHT, settings.height)]
    fps = ("fps", cv2.CAP_PROP_FPS, settings.fps)
    order = [fps, *size, fourcc] if api == cv2.CAP_DSHOW else [fourcc, *size, fps]
    return {name: cap.set(prop, value) for name, prop, value in order}


@dataclass
class UsbBackend:
    """A camera by index through OpenCV. Settings the driver refuses are listed in `applied`."""

    index: int
    settings: UsbSettings = field(default_factory=UsbSettings)
    apis: list[int] = field(default_factory=capture_apis)  # tried in order (capture_apis)
    api: int = field(default_factory=default_api)  # the one it opened through
    applied: dict[str, bool] = field(default_factory=dict)
    _cap: cv2.VideoCapture | None = field(default=None, repr=False)

    @property
    def description(self) -> str:
        return f"usb:{self.index}"

    @property
    def scene(self) -> int:
        return 0  # one continuous view for as long as the camera stays open

    def open(self) -> None:
        opened = open_capture(self.index, self.apis)
        if opened is None:
            raise CameraUnavailable(f"camera {self.index} cannot be opened")
        cap, self.api = opened
        s = self.settings
        self.applied = apply_format(cap, s, self.api)
        self.applied["buffersize"] = cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # keeps latency low
        if s.lock_exposure:
            # V4L2 reads 1 as manual; DirectShow reads 0.25 as manual.
            manual = 0.25 if self.api == getattr(cv2, "CAP_DSHOW", -1) else 1
            self.applied["auto_exposure_off"] = cap.set(cv2.CAP_PROP_AUTO_EXPOSURE, manual)
            if s.exposure is not None:
                self.applied["exposure"] = cap.set(cv2.CAP_PROP_EXPOSURE, s.exposure)
        if s.lock_white_balance:
            self.applied["auto_wb_off"] = cap.set(cv2.CAP_PROP_AUTO_WB, 0)
            if s.white_balance_k is not None:
                self.applied["wb_temperature"] = cap.set(cv2.CAP_PROP_WB_TEMPERATURE, s.white_balance_k)
        self._cap = cap

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        return turned(frame, self.settings.rotation) if ok and frame is not None and frame.size else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class FileBackend:
    """A folder (and its sub-folders, in path order) of images or a video file, looped at a steady
    frame rate: demo mode and tests.

    Frames are read-only arrays (a cached image is handed out many times without copying).
    The folder or file vanishing reads as an unplugged camera.
    """

    def __init__(self, path: str | os.PathLike[str], fps: float = 25.0, loop: bool = True, hold: float = 0.0) -> None:
        self.path = Path(path)
        self.fps = fps
        self.loop = loop
        # Seconds each image of a folder stays in view (repeated at `fps`); 0 shows each once.
        self.repeats = max(1, round(hold * fps))
        self._files: list[Path] = []
        self._cache: dict[int, np.ndarray] = {}
        self._video: cv2.VideoCapture | None = None
        self._tick = 0
        self._loops = 0  # a video file played from its start again
        self._next_due = 0.0

    @property
    def description(self) -> str:
        return f"file:{self.path}"

    @property
    def scene(self) -> int:
        """A folder: which image is shown; a video: how often it started again."""
        if self._video is not None:
            return self._loops
        return (self._tick - 1) // self.repeats % len(self._files)

    def open(self) -> None:
        self._tick = self._loops = 0
        self._cache.clear()
        if self.path.is_dir():
            # a folder copied from a Mac holds a ._name.jpg of Finder metadata beside each photo: no picture
            self._files = sorted(p for p in self.path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES
                                 and not mac_metadata(p.relative_to(self.path)))
            if not self._files:
                raise CameraUnavailable(f"no images in {self.path}")
        elif self.path.is_file() and self.path.suffix.lower() in VIDEO_SUFFIXES:
            video = cv2.VideoCapture(str(self.path))
            if not video.isOpened():
                raise CameraUnavailable(f"cannot open video {self.path}")
            self._video = video
        elif self.path.is_file() and self.path.suffix.lower() in IMAGE_SUFFIXES:
            self._files = [self.path]
        else:
            raise CameraUnavailable(f"{self.path} is neither an image folder nor a video")
        self._next_due = time.monotonic()

    def read(self) -> np.ndarray | None:
        self._pace()
        frame = self._read_video() if self._video is not None else self._read_image()
        if frame is not None:
            frame.flags.writeable = False
        return frame

    def _pace(self) -> None:
        now = time.monotonic()
        if self._next_due > now:
            time.sleep(self._next_due - now)
        # Schedule from the due time, not from now: a steady rate without drift; after a stall, restart.
        self._next_due = max(self._next_due + 1.0 / self.fps, time.monotonic() - 1.0 / self.fps)

    def _read_image(self) -> np.ndarray | None:
        if not self.path.exists():
            return None
        shown = self._tick // self.repeats
        self._tick += 1
        if shown >= len(self._files) and not self.loop:
            return None
        index = shown % len(self._files)
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        image = read_image(self._files[index])
        if image is None:
            return None
        if len(self._cache) < MAX_CACHED_IMAGES:
            self._cache[index] = image
        return image

    def _read_video(self) -> np.ndarray | None:
        ok, frame = self._video.read()
        if not ok and self.loop and self.path.exists():
            self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
            self._loops += 1
            ok, frame = self._video.read()
        return frame if ok else None

    def close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None
        self._cache.clear()
