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


def grainy(frame: np.ndarray, grey_levels: float, seed: int = 1) -> np.ndarray:
    """`frame` as a webcam at high gain in a dim hall gives it: sensor noise, softened a little by the camera."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, grey_levels, (*frame.shape[:2], 1)) + rng.normal(0, grey_levels / 2, frame.shape)
    noise = cv2.GaussianBlur(noise.astype(np.float32), (0, 0), 0.6) * 2.0  # the blur halves the noise: restored
    return np.clip(frame + noise, 0, 255).astype(np.uint8)


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


def with_someone_else(scale: float, centre_x: float, frame: np.ndarray | None = None) -> np.ndarray:
    """A demo frame (01_good unless given; every demo student's face is centred at x 640, y about 330) with its student
    pasted again `scale` times the size, the face's centre at `centre_x`: a queued student standing further back
    (scale about 0.55) at the picture's edge, or one as near (about 0.9). The person is what differs from the
    backdrop's colour; the copy's eyes stay about level with the student's."""
    frame = demo_frame("01_good") if frame is None else frame
    person = (np.abs(frame.astype(np.int16) - np.array(BACKDROP_BGR)).sum(axis=2) > 60).astype(np.float32)
    person = cv2.morphologyEx(person, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    m = np.float32([[scale, 0, centre_x - 640 * scale], [0, scale, (1 - scale) * 330]])  # her face: x 640, y 330
    size = frame.shape[1::-1]
    copy = cv2.warpAffine(frame, m, size, flags=cv2.INTER_AREA)
    alpha = cv2.warpAffine(person, m, size)[..., None]
    return (frame * (1 - alpha) + copy * alpha).astype(np.uint8)
