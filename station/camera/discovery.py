"""Which cameras are attached: indices for OpenCV, with names where the OS tells them cheaply.

Linux lists capture devices and their names in /sys/class/video4linux. Windows and macOS
give OpenCV no names, so indices are probed (opened and closed) and named by number.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path


from station.camera.backends import capture_apis, open_capture

SYSFS = Path("/sys/class/video4linux")
PROBE_INDICES = 6


@dataclass(frozen=True)
class CameraInfo:
    index: int
    name: str


def list_cameras(probe: int = PROBE_INDICES, in_use: int | None = None) -> list[CameraInfo]:
    """`in_use`: the index of the camera the station has open, if any."""
    if sys.platform.startswith("linux") and SYSFS.is_dir():
        return linux_cameras(SYSFS)
    return probed_cameras(probe, in_use)


def linux_cameras(sysfs: Path) -> list[CameraInfo]:
    """One entry per capture node: a webcam also exposes metadata nodes, whose `index` is not 0."""
    found = []
    for node in sysfs.iterdir():
        match = re.fullmatch(r"video(\d+)", node.name)
        if not match:
            continue
        if _read(node / "index", "0") != "0":
            continue
        found.append(CameraInfo(int(match.group(1)), _read(node / "name", node.name)))
    return sorted(found, key=lambda c: c.index)


def probed_cameras(count: int, in_use: int | None = None) -> list[CameraInfo]:
    """The indices that open, and the camera in use without a probe: DirectShow sets a device up once per process
    (OpenCV's videoInput refuses a second set-up of a device "currently being used"), so probing it failed and the
    camera dialog said no camera was found while its picture was live."""
    found = []
    for index in range(count):
        if index == in_use:
            found.append(CameraInfo(index, f"Camera {index}"))
            continue
        opened = open_capture(index, capture_apis())  # a camera only Media Foundation opens is listed too
        if opened is not None:
            opened[0].release()
            found.append(CameraInfo(index, f"Camera {index}"))
    return found


def _read(path: Path, default: str) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or default
    except OSError:
        return default
