"""Reading and writing image files the portable way (non-ASCII Windows paths, atomic writes)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np


def as_bgr(image: np.ndarray) -> np.ndarray:
    """24-bit colour: grey and BGRA become 3-channel BGR."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def read_image(path: str | os.PathLike[str]) -> np.ndarray | None:
    """BGR image (EXIF orientation applied), or None when the file is missing or not an image.

    cv2.imread cannot open non-ASCII paths on Windows; decoding bytes read by numpy can.
    """
    try:
        raw = np.fromfile(str(path), dtype=np.uint8)
    except OSError:
        return None
    if raw.size == 0:
        return None
    image = cv2.imdecode(raw, cv2.IMREAD_UNCHANGED)
    if image is None:
        return None
    if image.dtype != np.uint8:
        image = cv2.convertScaleAbs(image, alpha=255.0 / max(float(image.max()), 1.0))
    image = as_bgr(image)
    # IMREAD_UNCHANGED ignores EXIF orientation; re-decode as colour to get it applied.
    if image.ndim == 3:
        turned = cv2.imdecode(raw, cv2.IMREAD_COLOR)
        if turned is not None:
            image = turned
    return image


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a photo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
