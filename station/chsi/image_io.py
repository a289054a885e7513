"""Reading image files the portable way (non-ASCII Windows paths, EXIF orientation) and 24-bit colour."""

from __future__ import annotations

import os

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
    """8-bit BGR image with its EXIF orientation applied, or None when missing or not an image.

    cv2.imread cannot open non-ASCII paths on Windows; decoding bytes read by numpy can.
    IMREAD_COLOR also turns grey, 16-bit and alpha images into plain 24-bit colour.
    """
    try:
        raw = np.fromfile(str(path), dtype=np.uint8)
    except OSError:
        return None
    if raw.size == 0:
        return None
    return cv2.imdecode(raw, cv2.IMREAD_COLOR)
