"""Normalise whatever image arrives (grey, BGRA, 16-bit) to the 8-bit BGR the analysers expect."""

from __future__ import annotations

import cv2
import numpy as np


def as_bgr(image: np.ndarray) -> np.ndarray:
    """8-bit, 3-channel BGR view or copy of a grey, BGR or BGRA image of any bit depth."""
    if image.dtype != np.uint8:
        peak = 65535.0 if image.dtype == np.uint16 else max(float(np.nanmax(image)), 1.0)
        image = np.clip(np.nan_to_num(image.astype(np.float32)) * (255.0 / peak), 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 1:
        return cv2.cvtColor(image[:, :, 0], cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def to_rgb(image: np.ndarray) -> np.ndarray:
    """RGB copy for mediapipe, from any image `as_bgr` accepts."""
    return cv2.cvtColor(as_bgr(image), cv2.COLOR_BGR2RGB)
