"""The cheap preview image for the screen: shrink first, then convert colour, one new array."""

from __future__ import annotations

import cv2
import numpy as np


def preview_rgb(bgr: np.ndarray, max_width: int, max_height: int) -> np.ndarray:
    """RGB copy no larger than the box, aspect kept. Colour conversion runs on the small image, in place."""
    height, width = bgr.shape[:2]
    factor = min(max_width / width, max_height / height, 1.0)
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        small = cv2.resize(bgr, size, interpolation=cv2.INTER_LINEAR)
        return cv2.cvtColor(small, cv2.COLOR_BGR2RGB, dst=small)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
