"""The few measures of a face mesh the CHSI geometry needs, in one place.

Indices are mediapipe face-mesh landmarks (refined, 478 points). "Right"/"left" are the
subject's: in an upright, unmirrored photo the subject's right eye is on the image's left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

RIGHT_IRIS = 468
LEFT_IRIS = 473
# Right/left landmark pairs across the eyes: iris centres, outer and inner eye corners.
EYE_PAIRS = ((RIGHT_IRIS, LEFT_IRIS), (33, 263), (133, 362))
RIGHT_CHEEK = 234
LEFT_CHEEK = 454
FOREHEAD = 10
CHIN = 152
UPPER_LIP = 13
LOWER_LIP = 14


@dataclass(frozen=True)
class FaceGeometry:
    right_eye: tuple[float, float]
    left_eye: tuple[float, float]
    forehead: tuple[float, float]
    chin: tuple[float, float]
    mouth: tuple[float, float]
    right_cheek: tuple[float, float]
    left_cheek: tuple[float, float]
    eye_line: tuple[float, float]  # summed right-to-left vectors of EYE_PAIRS: a steadier roll than irises alone

    @classmethod
    def from_points(cls, points: np.ndarray) -> "FaceGeometry":
        def at(i: int) -> tuple[float, float]:
            return float(points[i, 0]), float(points[i, 1])

        mouth = (points[UPPER_LIP, :2] + points[LOWER_LIP, :2]) / 2
        line = sum(points[left, :2] - points[right, :2] for right, left in EYE_PAIRS)
        return cls(
            right_eye=at(RIGHT_IRIS), left_eye=at(LEFT_IRIS), forehead=at(FOREHEAD), chin=at(CHIN),
            mouth=(float(mouth[0]), float(mouth[1])), right_cheek=at(RIGHT_CHEEK), left_cheek=at(LEFT_CHEEK),
            eye_line=(float(line[0]), float(line[1])),
        )

    @property
    def eye_centre(self) -> tuple[float, float]:
        return ((self.right_eye[0] + self.left_eye[0]) / 2, (self.right_eye[1] + self.left_eye[1]) / 2)

    @property
    def roll_deg(self) -> float:
        """Angle of the eye line (right eye to left eye) from horizontal: 0 upright, ±180 upside down."""
        return math.degrees(math.atan2(self.eye_line[1], self.eye_line[0]))

    @property
    def face_width(self) -> float:
        """Cheek to cheek (landmarks 234-454)."""
        return math.dist(self.right_cheek, self.left_cheek)

    @property
    def face_height(self) -> float:
        """Forehead landmark to chin."""
        return math.dist(self.forehead, self.chin)

    @property
    def centre_x(self) -> float:
        return (self.right_cheek[0] + self.left_cheek[0]) / 2

    def transformed(self, matrix: np.ndarray) -> "FaceGeometry":
        """The same face after a 2x3 affine transform of the image."""

        def tf(p: tuple[float, float]) -> tuple[float, float]:
            x, y = matrix @ np.array([p[0], p[1], 1.0])
            return float(x), float(y)

        return FaceGeometry(
            right_eye=tf(self.right_eye), left_eye=tf(self.left_eye), forehead=tf(self.forehead),
            chin=tf(self.chin), mouth=tf(self.mouth), right_cheek=tf(self.right_cheek),
            left_cheek=tf(self.left_cheek), eye_line=tuple(matrix[:, :2] @ np.array(self.eye_line)),
        )
