"""Coloured contact lenses (美瞳), judged on the two irises the face mesh finds by a small network.

A printed lens changes the colour of the iris ring, evens out its texture and often darkens its edge (the limbal
ring of "big eye" lenses). At a kiosk an iris is only 14-20 px wide, too few pixels for hand-made ring measures to
hold (they reached AUC 0.84 there), so each eye is cut out centred on the mesh's iris circle and scaled so its
radius is always the same number of pixels, with the eyelid opening as a fourth channel, and a small network
trained on lenses painted onto faces and then composed into kiosk frames (training/train_coloured_lenses.py, its
ONNX file in models/coloured_lenses/) turns the pair into P(coloured lenses).
"""

from __future__ import annotations

import pathlib

import cv2
import numpy as np

from station.compliance.onnx_session import one_thread_session

# Face mesh ids: per eye (image-left first), the iris centre, its four edge points and the eyelid contour.
IRISES = ((468, (469, 470, 471, 472)), (473, (474, 475, 476, 477)))
EYELIDS = ((33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246),
           (362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398))
SUPERSAMPLE = 4  # the eyelid contour is drawn this much finer, then averaged down
PATCH = 32  # side of an eye patch in pixels
SPAN = 1.6  # half the patch's side, in iris radii: the iris, its edge and the white beside it
LENS_FILE = pathlib.Path("coloured_lenses") / "coloured_lenses.onnx"


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


def eye_patches(bgr: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(2, 4, PATCH, PATCH) float32: per eye (the image-right one mirrored, so both look alike) its BGR / 255 and
    its eyelid opening, the iris in the centre with a radius of PATCH / (2 SPAN) px whatever the frame's scale."""
    out = np.zeros((2, 4, PATCH, PATCH), np.float32)
    for eye in (0, 1):
        centre, radius = iris_circle(points, eye)
        scale = PATCH / (2 * SPAN * max(radius, 0.5))
        flip = -1.0 if eye == 1 else 1.0
        to_patch = np.array([[scale * flip, 0, PATCH / 2 - scale * flip * centre[0]],
                             [0, scale, PATCH / 2 - scale * centre[1]]])
        patch = cv2.warpAffine(bgr, to_patch, (PATCH, PATCH), borderMode=cv2.BORDER_REPLICATE,
                               flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
        out[eye, :3] = patch.transpose(2, 0, 1) / 255.0
        out[eye, 3] = eye_opening(points[:, :2] @ to_patch[:, :2].T + to_patch[:, 2], eye, (0, 0, PATCH, PATCH))
    return out


class LensModel:
    """The network over `eye_patches`, as training/train_coloured_lenses.py exported it."""

    def __init__(self, path: pathlib.Path) -> None:
        self._session = one_thread_session(path)

    def score(self, bgr: np.ndarray, points: np.ndarray) -> float:
        """P(coloured contact lenses) for the face with these mesh points."""
        probs = self._session.run(None, {"patches": eye_patches(bgr, points)[None]})[0]
        return float(probs.reshape(-1)[0])
