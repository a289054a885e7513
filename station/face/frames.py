"""The RGB copy mediapipe wants, from any frame the station handles (grey, BGR, BGRA)."""

from __future__ import annotations

import cv2
import numpy as np

from station.image_io import as_bgr


def to_rgb(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(as_bgr(image), cv2.COLOR_BGR2RGB)
