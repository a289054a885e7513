"""Real faces for the identity tests: LFW people read from ../shared (the faces_dir fixture skips without it)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def photos_of(faces_dir: Path, person: str) -> list[Path]:
    return sorted((faces_dir / "lfw_identities" / "images" / person).glob("*.jpg"))


def side_by_side(a: Path, b: Path) -> np.ndarray:
    """Two people in one picture, as a group photo handed in by mistake."""
    return np.hstack([cv2.imread(str(a)), cv2.imread(str(b))])


def shrunk(path: Path, width: int) -> np.ndarray:
    image = cv2.imread(str(path))
    return cv2.resize(image, (width, round(image.shape[0] * width / image.shape[1])), interpolation=cv2.INTER_AREA)
