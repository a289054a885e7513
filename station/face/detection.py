"""Face boxes from mediapipe's face detectors (bundled in its wheel), to count the people in view.

The face mesh only reports faces its own detector sees. The short-range detector is cheap and sees
everyone near the camera; when it sees nobody, the full-range one looks for small, distant faces.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from station.face.frames import to_rgb
from station.face.mediapipe_graphs import solutions

# The detectors look at 128 or 192 px squares: a copy this wide loses nothing and converts faster.
DETECT_WIDTH = 640


Box = tuple[float, float, float, float]  # x, y, width, height in pixels


@dataclass(frozen=True)
class Detection:
    box: Box
    score: float


@dataclass(frozen=True)
class Look:
    faces: list[Detection]  # largest first
    # The short-range detector's surest score on the image itself (not resized), None where it saw nobody or the image
    # was shrunk for it: the turn finder's upright look at a small photo is this very look (UprightFinder, `seen`),
    # its lower threshold only adding less sure faces (a face's score is its surest candidate's in either).
    near_score: float | None


class FaceDetector:
    """Not thread-safe: one per thread. `thorough` also runs the full-range detector when the
    short-range one found someone (stills: a second, turned or distant face is not missed)."""

    def __init__(self, min_confidence: float = 0.5, thorough: bool = False) -> None:
        self.thorough = thorough
        self._near, self._far = (solutions().face_detection.FaceDetection(
            model_selection=k, min_detection_confidence=min_confidence) for k in (0, 1))

    def detect(self, bgr: np.ndarray) -> list[Detection]:
        """Faces in a BGR (or grey) image, largest first."""
        return self.look(bgr).faces

    def look(self, bgr: np.ndarray) -> Look:
        """`detect`'s faces, and the short-range detector's surest score where it looked at `bgr` itself."""
        height, width = bgr.shape[:2]
        if width > DETECT_WIDTH:
            bgr = cv2.resize(bgr, (DETECT_WIDTH, max(1, round(height * DETECT_WIDTH / width))),
                             interpolation=cv2.INTER_LINEAR)
        rgb = to_rgb(bgr)
        found = _boxes(self._near.process(rgb).detections, width, height)
        near_score = max((d.score for d in found), default=None) if width <= DETECT_WIDTH else None
        if self.thorough or not found:
            found += [d for d in _boxes(self._far.process(rgb).detections, width, height)
                      if not any(centre_inside(d.box, near.box) for near in found)]
        return Look(sorted(found, key=lambda d: d.box[2] * d.box[3], reverse=True), near_score)

    def detect_in_tiles(self, bgr: np.ndarray) -> list[Detection]:
        """Faces too small for `detect` on a big still: its 640 px copy leaves a face of 5 % of a 6000 px photo
        under 10 px at the detectors' own size. Squares of DETECT_WIDTH px, each half over its neighbour, are
        searched as they are; a face found in several is kept once (its surest box). Slow (a dozen searches on
        a 1600 px frame): for a still where `detect` found nobody."""
        height, width = bgr.shape[:2]
        step = DETECT_WIDTH // 2
        found: list[Detection] = []
        for y in _starts(height, DETECT_WIDTH, step):
            for x in _starts(width, DETECT_WIDTH, step):
                found += [Detection((bx + x, by + y, bw, bh), d.score)
                          for d in self.detect(bgr[y:y + DETECT_WIDTH, x:x + DETECT_WIDTH])
                          for bx, by, bw, bh in [d.box]]
        return sorted(once_each(found), key=lambda d: d.box[2] * d.box[3], reverse=True)

    def close(self) -> None:
        self._near.close()
        self._far.close()


def once_each(found: list[Detection]) -> list[Detection]:
    """Each face once, by its surest box: a box whose centre lies inside a surer one is the same face found again
    (in overlapping tiles, or twice by the full-range detector, whose own suppression keeps both at times). Two
    people's faces are never that close: one would hide more than half of the other."""
    kept: list[Detection] = []
    for d in sorted(found, key=lambda d: d.score, reverse=True):
        if not any(centre_inside(d.box, k.box) for k in kept):
            kept.append(d)
    return kept


def _starts(length: int, tile: int, step: int) -> list[int]:
    """Where the tiles along one side begin: every `step`, the last one ending at the edge."""
    if length <= tile:
        return [0]
    return sorted({*range(0, length - tile, step), length - tile})


def _boxes(detections: list | None, width: int, height: int) -> list[Detection]:
    found = []
    for det in detections or []:
        rel = det.location_data.relative_bounding_box
        box = (rel.xmin * width, rel.ymin * height, rel.width * width, rel.height * height)
        found.append(Detection(box=box, score=float(det.score[0])))
    return found


def centre_inside(box: Box, outer: Box, grow: float = 0.0) -> bool:
    """Whether `box`'s centre lies in `outer` grown by `grow` of its size on every side."""
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    x, y, w, h = outer
    return x - grow * w <= cx <= x + (1 + grow) * w and y - grow * h <= cy <= y + (1 + grow) * h
