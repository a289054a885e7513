"""The cheap preview image for the screen: shrink first, then convert colour, one new array."""

from __future__ import annotations

import cv2
import numpy as np


def preview_bgrx(bgr: np.ndarray, max_width: int, max_height: int) -> np.ndarray:
    """A 4-byte-per-pixel copy (blue, green, red, 255) no larger than the box, aspect kept: the byte order of the
    screen's own 32-bit format (Qt's Format_RGB32 on every little-endian machine), so painting it is a plain copy;
    a 3-byte RGB image was converted again at every paint, 6-20 ms of the UI thread per frame."""
    height, width = bgr.shape[:2]
    factor = min(max_width / width, max_height / height, 1.0)
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA)
