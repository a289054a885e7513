"""Test inputs for the CHSI pipeline: the shipped demo frames, and shared-dataset faces on a large canvas."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from station import ASSETS_DIR

KIOSK = ASSETS_DIR / "demo" / "kiosk"
BACKDROP_BGR = (219, 142, 67)


def demo_frame(name: str) -> np.ndarray:
    image = cv2.imread(str(KIOSK / f"{name}.jpg"))
    assert image is not None, name
    return image


def rotated(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rolled about the centre, corners filled with the edge colour (the backdrop)."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def in_big_still(frame: np.ndarray, width: int, size: tuple[int, int] = (6000, 4000)) -> np.ndarray:
    """A kiosk frame shrunk to `width` px wide, centred in a tethered camera's 24 MP still (its edges, the blue
    backdrop, carried out to the still's): the demo student's face is about 15 % of `width`."""
    height = round(frame.shape[0] * width / frame.shape[1])
    small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    (big_w, big_h), top, left = size, (size[1] - height) // 2, (size[0] - width) // 2
    return cv2.copyMakeBorder(small, top, big_h - height - top, left, big_w - width - left, cv2.BORDER_REPLICATE)


def on_canvas(face_image: np.ndarray, size: tuple[int, int] = (1400, 1300), top: int = 300) -> np.ndarray:
    """A dataset face (cropped tight at the chin) pasted on a large blue canvas, like a camera frame."""
    width, height = size
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = BACKDROP_BGR
    fh, fw = face_image.shape[:2]
    x0 = (width - fw) // 2
    canvas[top:top + fh, x0:x0 + fw] = face_image
    return canvas


def dataset_faces(faces_dir: Path, count: int) -> list[Path]:
    images = sorted((faces_dir / "celebamaskhq" / "images").glob("*.jpg"))
    step = max(1, len(images) // count)
    return images[::step][:count]
