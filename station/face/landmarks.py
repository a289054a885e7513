"""Face landmarks in pixel coordinates, from mediapipe's face mesh that ships inside its wheel.

mediapipe 0.10.21 is pinned: its legacy `solutions` API carries the models, so nothing
is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from station.face.frames import to_rgb
from station.face.mediapipe_graphs import solutions


@dataclass(frozen=True)
class Face:
    """One face: `points` is (478, 3) float32 — x, y in pixels, z in pixels at x's scale."""

    points: np.ndarray
    image_size: tuple[int, int]  # (width, height)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the landmark extent (forehead to chin, cheek to cheek)."""
        xy = self.points[:, :2]
        x0, y0 = xy.min(axis=0)
        x1, y1 = xy.max(axis=0)
        return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


class FaceMesher:
    """Finds up to `max_faces` faces. `video=True` tracks between frames (faster on a live feed)."""

    def __init__(self, max_faces: int = 3, video: bool = False, min_confidence: float = 0.5) -> None:
        self._mesh = solutions().face_mesh.FaceMesh(
            static_image_mode=not video,
            max_num_faces=max_faces,
            refine_landmarks=True,
            min_detection_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )

    def detect(self, bgr: np.ndarray) -> list[Face]:
        """Faces in a BGR (or grey) uint8 image, largest first."""
        rgb = to_rgb(bgr)
        height, width = rgb.shape[:2]
        result = self._mesh.process(rgb)
        faces = []
        for landmarks in result.multi_face_landmarks or []:
            pts = np.array([(p.x, p.y, p.z) for p in landmarks.landmark], dtype=np.float32)
            pts[:, 0] *= width
            pts[:, 1] *= height
            pts[:, 2] *= width
            faces.append(Face(points=pts, image_size=(width, height)))
        faces.sort(key=lambda f: f.box[2] * f.box[3], reverse=True)
        return faces

    def close(self) -> None:
        self._mesh.close()

    def __enter__(self) -> "FaceMesher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
