"""Coloured contact lenses (美瞳), measured on the irises the face mesh finds: no network, two small patches a frame.

A printed lens changes the colour and lightness of the iris ring, evens out its texture and often darkens its edge
(the limbal ring of "big eye" lenses). Per eye, inside the eyelids: the median L*a*b*, their spread and the
saturation (median, spread) of the inner iris ring (0.4-0.75 of its radius), of the outer ring (0.75-1.05) and of
the white around it (1.05-1.5), and the lightness steps between them; the two eyes averaged. A logistic regression
fitted on faces with lenses painted on them against the same faces without (training/train_coloured_lenses.py,
its weights in models/coloured_lenses/coloured_lenses.json) turns them into P(coloured lenses).
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass

import cv2
import numpy as np

# Face mesh ids: per eye (image-left first), the iris centre, its four edge points and the eyelid contour.
IRISES = ((468, (469, 470, 471, 472)), (473, (474, 475, 476, 477)))
EYELIDS = ((33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246),
           (362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398))
RINGS = ((0.4, 0.75), (0.75, 1.05), (1.05, 1.5))  # inner iris, outer iris, the white: shares of the iris radius
SUPERSAMPLE = 4  # the eyelid contour is drawn this much finer, then averaged down
STATS = 8  # per ring: median L, a, b; their spreads; median and spread of the saturation
LENS_FILE = pathlib.Path("coloured_lenses") / "coloured_lenses.json"


def iris_circle(points: np.ndarray, eye: int) -> tuple[np.ndarray, float]:
    """The iris centre (x, y) and radius in pixels of eye 0 (image-left) or 1."""
    centre, edge = IRISES[eye]
    c = points[centre, :2].astype(np.float64)
    return c, float(np.linalg.norm(points[list(edge), :2] - c, axis=1).mean())


def eye_opening(points: np.ndarray, eye: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """Share of each pixel of `box` (x0, y0, x1, y1) inside the eyelid contour, 0..1 float32."""
    x0, y0, x1, y1 = box
    contour = (points[list(EYELIDS[eye]), :2] - [x0, y0]) * SUPERSAMPLE
    fine = np.zeros(((y1 - y0) * SUPERSAMPLE, (x1 - x0) * SUPERSAMPLE), np.uint8)
    cv2.fillPoly(fine, [np.round(contour).astype(np.int32)], 255)
    return cv2.resize(fine, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def features(bgr: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The measures above for a face, both eyes averaged: 3 rings x STATS, then two lightness steps."""
    per_eye = []
    for eye in (0, 1):
        centre, radius = iris_circle(points, eye)
        pad = int(np.ceil(RINGS[-1][1] * radius)) + 2
        x0, y0 = max(int(centre[0]) - pad, 0), max(int(centre[1]) - pad, 0)
        x1, y1 = min(int(centre[0]) + pad + 1, bgr.shape[1]), min(int(centre[1]) + pad + 1, bgr.shape[0])
        if x1 - x0 < 2 or y1 - y0 < 2 or radius < 0.5:
            per_eye.append(np.zeros(len(RINGS) * STATS + 2))
            continue
        yy, xx = np.mgrid[y0:y1, x0:x1] + 0.5
        rel = np.hypot(xx - centre[0], yy - centre[1]) / radius
        inside = eye_opening(points, eye, (x0, y0, x1, y1)) > 0.5
        roi = np.ascontiguousarray(bgr[y0:y1, x0:x1])
        lab = cv2.cvtColor(roi, cv2.COLOR_BGR2LAB).astype(np.float64)
        saturation = cv2.cvtColor(roi, cv2.COLOR_BGR2HSV)[..., 1].astype(np.float64)
        stats = []
        for low, high in RINGS:
            ring = inside & (rel > low) & (rel < high)
            if ring.sum() < 3:
                stats.append(np.zeros(STATS))
                continue
            px, sat = lab[ring], saturation[ring]
            stats.append(np.r_[np.median(px, axis=0), px.std(axis=0), np.median(sat), sat.std()])
        steps = [stats[0][0] - stats[1][0], stats[0][0] - stats[2][0]]
        per_eye.append(np.r_[np.concatenate(stats), steps])
    return (per_eye[0] + per_eye[1]) / 2


@dataclass(frozen=True)
class LensModel:
    """The logistic regression over `features`, as training/train_coloured_lenses.py wrote it."""

    weights: np.ndarray
    bias: float

    @classmethod
    def load(cls, models_dir: pathlib.Path) -> "LensModel | None":
        """The shipped weights, or None when the file is missing or broken (the check is then unavailable)."""
        try:
            doc = json.loads((models_dir / LENS_FILE).read_text(encoding="utf-8"))
            weights = np.array(doc["weights"], np.float64)
            if weights.shape != (len(RINGS) * STATS + 2,):
                return None
            return cls(weights, float(doc["bias"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def score(self, bgr: np.ndarray, points: np.ndarray) -> float:
        """P(coloured contact lenses) for the face with these mesh points."""
        logit = float(features(bgr, points) @ self.weights + self.bias)
        return float(1 / (1 + np.exp(-np.clip(logit, -30, 30))))
