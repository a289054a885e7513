"""Where the top of the hair is: the CHSI rule measures from there, not from the forehead.

The face mesh stops at the forehead (landmark 10), below the hairline's top. mediapipe's
selfie segmentation (bundled in its wheel) outlines the person; walking up a band of
columns above the forehead until the person ends gives the hair top. Where the mask is
implausible (a busy background, a bald head that blends in) a landmark ratio stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from station.chsi.face_geometry import FaceGeometry
from station.face.segmentation import PersonSegmenter

# Hair top above the forehead landmark, as a share of forehead-to-chin height; used when
# segmentation gives no plausible answer. Median 0.40 (p10 0.33, p90 0.45) on 44 CelebAMask-HQ
# train-split faces whose hair the image edge does not cut (scripts/measure_hair_top.py).
HAIR_ABOVE_FOREHEAD = 0.40
# Plausible segmentation answers lie within this share of the face height above the forehead.
PLAUSIBLE_HAIR = (0.0, 0.9)
PERSON_THRESHOLD = 0.5
BAND_COVERAGE = 0.25  # share of the band's columns that must be person for a row to count


@dataclass(frozen=True)
class HairTop:
    y: float
    from_segmentation: bool
    touches_edge: bool  # the person continues to the edge of the picture: the head is cut off


def hair_top_from_landmarks(face: FaceGeometry) -> float:
    return face.forehead[1] - HAIR_ABOVE_FOREHEAD * face.face_height


class HairTopFinder:
    """Holds one segmentation graph; not thread-safe (one per thread)."""

    def __init__(self) -> None:
        self._segmenter = PersonSegmenter(portrait=True)  # head-and-shoulders crops, not 16:9 frames

    def person_mask(self, bgr: np.ndarray) -> np.ndarray:
        """Float mask 0..1 of the person, same size as the image."""
        return self._segmenter.mask(bgr)

    def find(self, upright_bgr: np.ndarray, face: FaceGeometry, valid: np.ndarray | None = None) -> HairTop:
        """Hair top in a roll-corrected image; `valid` marks pixels that came from the camera."""
        mask = self.person_mask(upright_bgr) > PERSON_THRESHOLD
        if valid is not None:
            mask &= valid.astype(bool)
        return hair_top_in_mask(mask, face, valid)

    def close(self) -> None:
        self._segmenter.close()


def hair_top_in_mask(person: np.ndarray, face: FaceGeometry, valid: np.ndarray | None = None) -> HairTop:
    """Walk up from the forehead while the band above the face is still the person."""
    height, width = person.shape[:2]
    half_band = max(2, int(face.face_width * 0.2))
    cx = int(round(face.centre_x))
    x0, x1 = max(0, cx - half_band), min(width, cx + half_band)
    start = int(np.clip(round(face.forehead[1]), 0, height - 1))
    fallback = HairTop(hair_top_from_landmarks(face), from_segmentation=False, touches_edge=False)
    if x1 - x0 < 2:
        return fallback
    coverage = person[: start + 1, x0:x1].mean(axis=1)
    gap_allowed = max(2, int(face.face_height * 0.03))
    top, gap = start, 0
    for y in range(start, -1, -1):
        if coverage[y] >= BAND_COVERAGE:
            top, gap = y, 0
        else:
            gap += 1
            if gap > gap_allowed:
                break
    rise = (face.forehead[1] - top) / max(face.face_height, 1.0)
    if not PLAUSIBLE_HAIR[0] < rise < PLAUSIBLE_HAIR[1]:
        return fallback
    if valid is not None:
        edge_rows = valid[: top + 1, x0:x1].astype(bool).any(axis=1)
        first_valid = int(np.argmax(edge_rows)) if edge_rows.any() else top
        touches = top <= first_valid + 1
    else:
        touches = top <= 1
    return HairTop(float(top), from_segmentation=True, touches_edge=touches)
