"""The USB camera the photographer chose in the camera dialog, kept in the data folder for the next start.

A laptop's own webcam is camera 0, so without this the kiosk's USB camera had to be chosen again every morning
(with its resolution and locked exposure). `--camera` on the command line still wins.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from station.camera.backends import ROTATIONS, UsbSettings
from station.storage.atomic import write_atomic

CAMERA_FILE = "camera.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraChoice:
    index: int
    settings: UsbSettings


def save_camera(home: Path, choice: CameraChoice) -> None:
    """Kept for the next start; a folder that cannot be written only loses that convenience (logged)."""
    text = json.dumps({"index": choice.index, **asdict(choice.settings)}, indent=1)
    try:
        write_atomic(home / CAMERA_FILE, text.encode("utf-8"))
    except OSError as exc:
        log.warning("the camera chosen could not be kept for the next start: %s", exc)


def saved_camera(home: Path) -> CameraChoice | None:
    """The camera chosen last time; None when none was, or when the file cannot be used (logged: camera 0 opens)."""
    path = home / CAMERA_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.warning("%s cannot be read (%s): the default camera opens", path, exc)
        return None
    try:
        return CameraChoice(_whole(doc.get("index"), "index", 0, 63), _settings(doc))
    except (AttributeError, ValueError) as exc:  # not an object, or a value of the wrong kind
        log.warning("%s is not a camera choice (%s): the default camera opens", path, exc)
        return None


def _settings(doc: dict) -> UsbSettings:
    d = UsbSettings()
    return UsbSettings(
        width=_whole(doc.get("width", d.width), "width", 16, 8192),
        height=_whole(doc.get("height", d.height), "height", 16, 8192),
        fps=_number(doc.get("fps", d.fps), "fps"),
        lock_exposure=_flag(doc.get("lock_exposure", d.lock_exposure), "lock_exposure"),
        exposure=_number(doc.get("exposure"), "exposure", optional=True),
        lock_white_balance=_flag(doc.get("lock_white_balance", d.lock_white_balance), "lock_white_balance"),
        white_balance_k=_number(doc.get("white_balance_k"), "white_balance_k", optional=True),
        rotation=_rotation(doc.get("rotation", d.rotation)),
    )


def _rotation(value: object) -> int:
    if isinstance(value, bool) or value not in ROTATIONS:
        raise ValueError(f"rotation must be one of {sorted(ROTATIONS)}")
    return int(value)


def _whole(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return value


def _number(value: object, name: str, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number")
    return float(value)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value
