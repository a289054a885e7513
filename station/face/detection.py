"""Face boxes from mediapipe's full-range face detector (bundled in its wheel).

The face mesh only finds faces its own short-range detector sees; counting people in view
needs this detector too, which also finds small and distant faces.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import mediapipe as mp  # noqa: E402

from station.face.frames import to_rgb  # noqa: E402


@dataclass(frozen=True)
class Detection:
    box: tuple[float, float, float, float]  # x, y, width, height in pixels
    score: float


# The full-range model looks at 192x192 pixels: a copy this wide loses nothing and converts faster.
DETECT_WIDTH = 640


class FaceDetector:
    """Not thread-safe: one per thread."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        self._detector = mp.solutions.face_detection.FaceDetection(
            model_selection=1, min_detection_confidence=min_confidence)

    def detect(self, bgr: np.ndarray) -> list[Detection]:
        """Faces in a BGR (or grey) image, largest first."""
        height, width = bgr.shape[:2]
        if width > DETECT_WIDTH:
            bgr = cv2.resize(bgr, (DETECT_WIDTH, max(1, round(height * DETECT_WIDTH / width))),
                             interpolation=cv2.INTER_LINEAR)
        rgb = to_rgb(bgr)
        found = []
        for det in self._detector.process(rgb).detections or []:
            rel = det.location_data.relative_bounding_box
            box = (rel.xmin * width, rel.ymin * height, rel.width * width, rel.height * height)
            found.append(Detection(box=box, score=float(det.score[0])))
        found.sort(key=lambda d: d.box[2] * d.box[3], reverse=True)
        return found

    def close(self) -> None:
        self._detector.close()
