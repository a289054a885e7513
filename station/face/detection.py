"""Face boxes from mediapipe's face detectors (bundled in its wheel), to count the people in view.

The face mesh only reports faces its own detector sees. The short-range detector is cheap and sees
everyone near the camera; when it sees nobody, the full-range one looks for small, distant faces.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import mediapipe as mp  # noqa: E402

from station.face.frames import to_rgb  # noqa: E402

# The detectors look at 128 or 192 px squares: a copy this wide loses nothing and converts faster.
DETECT_WIDTH = 640


@dataclass(frozen=True)
class Detection:
    box: tuple[float, float, float, float]  # x, y, width, height in pixels
    score: float


class FaceDetector:
    """Not thread-safe: one per thread."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        self._near, self._far = (mp.solutions.face_detection.FaceDetection(
            model_selection=k, min_detection_confidence=min_confidence) for k in (0, 1))

    def detect(self, bgr: np.ndarray) -> list[Detection]:
        """Faces in a BGR (or grey) image, largest first."""
        height, width = bgr.shape[:2]
        if width > DETECT_WIDTH:
            bgr = cv2.resize(bgr, (DETECT_WIDTH, max(1, round(height * DETECT_WIDTH / width))),
                             interpolation=cv2.INTER_LINEAR)
        rgb = to_rgb(bgr)
        found = self._near.process(rgb).detections or self._far.process(rgb).detections or []
        boxes = []
        for det in found:
            rel = det.location_data.relative_bounding_box
            box = (rel.xmin * width, rel.ymin * height, rel.width * width, rel.height * height)
            boxes.append(Detection(box=box, score=float(det.score[0])))
        boxes.sort(key=lambda d: d.box[2] * d.box[3], reverse=True)
        return boxes

    def close(self) -> None:
        self._near.close()
        self._far.close()
