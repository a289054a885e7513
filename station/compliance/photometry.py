"""Light and focus on the face: exposure, one-sided lighting and blur.

All three read one `FacePatch`: the face cut from the full-resolution frame and resized to a
fixed width, so every measure means the same on a 256 px dataset face and on a 1280x720 frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from station.compliance import messages
from station.compliance.policy import CheckPolicy
from station.compliance.results import Finding
from station.compliance.scoring import beyond
from station.face.landmarks import Face
from station.identify.frames import Box

PATCH_WIDTH = 128
# mediapipe face-mesh outline (FACEMESH_FACE_OVAL walked in order).
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
             148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
# Inner cheek landmarks (they stay on the skin when the head turns), subject's right then left.
RIGHT_CHEEK = (36, 205, 101, 50)
LEFT_CHEEK = (266, 425, 330, 280)
# Second derivative along x, y and both diagonals.
SECOND_DERIVATIVES = tuple(np.array(k, np.float32) for k in (
    [[0, 0, 0], [1, -2, 1], [0, 0, 0]], [[0, 1, 0], [0, -2, 0], [0, 1, 0]],
    [[1, 0, 0], [0, -2, 0], [0, 0, 1]], [[0, 0, 1], [0, -2, 0], [1, 0, 0]]))
LIGHTNESS_SOFTNESS = 3.0  # L* units
CLIP_SOFTNESS = 0.01
GLARE_LEVEL = 245  # every channel this bright: white glare (one saturated channel is only warm skin)
SIDE_SOFTNESS = 3.0
# sharpness reads a face darker than the top of exposure's question band (asked_below: 36.5 L* by the shipped
# policy.toml [exposure]) as if it were lit to it, and a face lit at least that well as it is. A change of exposure
# scales every grey-level difference of the face by the ratio of (L* + 16) to the power SRGB_PER_LIGHTNESS: L* + 16
# goes as luminance ** (1/3), sRGB grey + 14 as luminance ** (1/2.4). Unscaled, a sharp face 3-4 EV under read as
# blurred.
SRGB_PER_LIGHTNESS = 3 / 2.4
# The face's mean L* under which its own pixels are too dark to read: the learned models, blur and lighting read noise
# there (the demo frame 6 EV under: 照片模糊, 请把刘海拨开, a hat and ears asked about). While exposure blocks such a face as
# too dark, they are not judged (engine: DARK) and 光线太暗 is what the photographer reads. The limit, by a rule
# written before its figures: half the darkest face of a picture exposure does not block (passes or asks), on the demo
# frames and the celebamaskhq val kiosk scenes darkened in 0.5 EV steps (scripts/benchmark_backdrop.py --dark): 28.0
# (exposure's own min_face_lightness), so 14, about 1.5 EV darker still.
MIN_JUDGED_FACE_LIGHTNESS = 14.0


def face_box_pixels(bgr: np.ndarray, face: Face) -> tuple[int, int, int, int]:
    """The face box's corners (x0, y0, x1, y1) in whole pixels of the frame, clipped to it."""
    height, width = bgr.shape[:2]
    x, y, w, h = face.box
    x0, y0 = max(0, int(math.floor(x))), max(0, int(math.floor(y)))
    return x0, y0, min(width, int(math.ceil(x + w))), min(height, int(math.ceil(y + h)))


@dataclass(frozen=True)
class FacePatch:
    bgr: np.ndarray  # the face's bounding box at PATCH_WIDTH wide
    lightness: np.ndarray  # L* 0..100, float32
    inside: np.ndarray  # bool: inside the face outline
    points: np.ndarray  # (478, 2) landmarks in patch pixels
    origin: tuple[int, int]  # the frame pixel at the patch's top left
    scale: float  # patch pixels per frame pixel

    @classmethod
    def cut(cls, bgr: np.ndarray, face: Face) -> "FacePatch | None":
        """None when the face box holds no pixels of the frame."""
        x0, y0, x1, y1 = face_box_pixels(bgr, face)
        if x1 - x0 < 4 or y1 - y0 < 4:
            return None
        scale = PATCH_WIDTH / (x1 - x0)
        size = (PATCH_WIDTH, max(4, round((y1 - y0) * scale)))
        interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        patch = cv2.resize(bgr[y0:y1, x0:x1], size, interpolation=interp)
        points = (face.points[:, :2] - (x0, y0)) * scale
        inside = np.zeros(patch.shape[:2], np.uint8)
        cv2.fillPoly(inside, [np.round(points[list(FACE_OVAL)]).astype(np.int32)], 1)
        lab_l = cv2.cvtColor(patch, cv2.COLOR_BGR2Lab)[:, :, 0].astype(np.float32) * (100.0 / 255.0)
        return cls(patch, lab_l, inside.astype(bool), points, (x0, y0), scale)

    def covered_share(self, boxes: Sequence[Box]) -> float:
        """The share of the face's pixels inside any of `boxes` (x, y, width, height in frame pixels)."""
        covered = np.zeros(self.inside.shape, bool)
        for x, y, w, h in boxes:
            x0, y0 = (max(0, int((v - o) * self.scale)) for v, o in ((x, self.origin[0]), (y, self.origin[1])))
            x1 = max(0, int(math.ceil((x + w - self.origin[0]) * self.scale)))
            y1 = max(0, int(math.ceil((y + h - self.origin[1]) * self.scale)))
            covered[y0:y1, x0:x1] = True
        return float((covered & self.inside).sum()) / max(1, int(self.inside.sum()))

    @property
    def mean_lightness(self) -> float:
        """The face's mean L* inside its outline: what exposure judges, and what says the face is too dark to read."""
        return float(self.lightness[self.inside].mean())

    @property
    def too_dark(self) -> bool:
        """Too dark to read the face's own pixels (MIN_JUDGED_FACE_LIGHTNESS)."""
        return bool(self.inside.any()) and self.mean_lightness < MIN_JUDGED_FACE_LIGHTNESS


def exposure(patch: FacePatch | None, frame_l: float, policy: CheckPolicy) -> Finding:
    """Face too dark, too bright or clipped; without a face, the whole frame's mean L* `frame_l`."""
    if patch is None or not patch.inside.any():
        lightness, clipped = frame_l, 0.0
    else:
        lightness = patch.mean_lightness
        clipped = float((patch.bgr[patch.inside].min(axis=1) >= GLARE_LEVEL).mean())
    scores = {
        messages.TOO_DARK: beyond(policy["min_face_lightness"] - lightness, 0.0, LIGHTNESS_SOFTNESS),
        messages.TOO_BRIGHT: beyond(lightness - policy["max_face_lightness"], 0.0, LIGHTNESS_SOFTNESS),
        messages.HIGHLIGHTS: beyond(clipped, policy["max_clipped_share"], CLIP_SOFTNESS),
    }
    # The question band (policy.toml: look) was chosen for a face too dark only: brightness and glare pass or block,
    # or a bright face in good light and a forehead's specks of glare were asked about too.
    for bright in (messages.TOO_BRIGHT, messages.HIGHLIGHTS):
        if scores[bright] < policy.block:
            scores[bright] = 0.0
    worst = max(scores, key=scores.__getitem__)
    return Finding(scores[worst], worst)


def side_difference(patch: FacePatch) -> float:
    """L* difference between the median lightness of discs on each cheek."""
    radius = max(2, round(PATCH_WIDTH * 0.06))
    sides = []
    for cheek in (RIGHT_CHEEK, LEFT_CHEEK):
        disc = np.zeros(patch.inside.shape, np.uint8)
        for i in cheek:
            cv2.circle(disc, tuple(int(v) for v in np.round(patch.points[i])), radius, 1, -1)
        values = patch.lightness[disc.astype(bool) & patch.inside]
        sides.append(float(np.median(values)) if values.size else 0.0)
    return abs(sides[0] - sides[1])


def lighting(patch: FacePatch, policy: CheckPolicy) -> Finding:
    """A large difference between the cheeks means light from one side."""
    return Finding(beyond(side_difference(patch), policy["max_side_difference"], SIDE_SOFTNESS),
                   messages.INSTRUCTIONS["lighting"])


def asked_below(exposure_policy: CheckPolicy) -> float:
    """The face's mean L* under which `exposure` asks about the light or blocks it (the top of its question band, where
    its too-dark score reaches its look): read from the policy, so a school's own band moves what blur reads as lit."""
    look = min(max(exposure_policy.look, 1e-6), 1 - 1e-6)
    return exposure_policy["min_face_lightness"] + LIGHTNESS_SOFTNESS * math.log(1 / look - 1)


def sharpness(patch: FacePatch, lit: float) -> float:
    """log variance of the second derivative inside the face outline, in its least sharp direction; a face darker than
    `lit` (mean L*: asked_below) read as if lit to it.

    Defocus softens every direction; motion blurs one and leaves the others sharp, so the
    weakest of four directions (0, 45, 90, 135 degrees) catches both, at the patch's fixed scale.
    A dim face's grey levels differ less for the light alone: 4 EV under, a sharp face read as blurred (照片模糊 beside
    光线太暗) where the same face lit passed.
    """
    grey = cv2.cvtColor(patch.bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    inner = cv2.erode(patch.inside.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    if inner.sum() < 50:
        inner = np.ones_like(inner)
    lightness = patch.mean_lightness if patch.inside.any() else lit
    gain = max(1.0, (lit + 16) / (lightness + 16)) ** SRGB_PER_LIGHTNESS
    return math.log(min(float(cv2.filter2D(grey, -1, k)[inner].var()) for k in SECOND_DERIVATIVES) * gain ** 2 + 1.0)


def blur(patch: FacePatch, policy: CheckPolicy, lit: float) -> Finding:
    return Finding(beyond(policy["min_sharpness"] - sharpness(patch, lit), 0.0, policy["softness"]),
                   messages.INSTRUCTIONS["blur"])
