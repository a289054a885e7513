"""Where on the picture a learned rule looks: the boxes outlined with a question for the photographer.

A question ("earrings?") is only useful when the photographer knows where to look, so each learned rule
names its region of the face (ear lobes, neck, brow line, mouth, eyes, irises, above the forehead, the whole
face), worked out from the face mesh landmarks in the picture's pixels; a phone in the photo is the code's own box;
the other people in view (face_count) their heads. Rules about the whole frame have no region.
"""

from __future__ import annotations

import numpy as np

from station.compliance.irises import iris_circle
from station.compliance.results import Analysis
from station.face.landmarks import Face
from station.identify.frames import Box  # x, y, width, height in the image's pixels

CHEEK_RIGHT, CHEEK_LEFT = 234, 454  # the subject's right cheek edge is on the image's left
FOREHEAD, CHIN, NOSE_TIP = 10, 152, 1
BROWS = (70, 63, 105, 66, 107, 336, 296, 334, 293, 300)
EYES = (33, 133, 159, 145, 362, 263, 386, 374)
MOUTH = (61, 291, 0, 17)


def _around(points: np.ndarray, pad_x: float, pad_y: float) -> Box:
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    return (float(x0 - pad_x), float(y0 - pad_y), float(x1 - x0 + 2 * pad_x), float(y1 - y0 + 2 * pad_y))


def check_regions(check: str, analysis: Analysis) -> list[Box]:
    """Where to look for `check` on the analysed picture: the face's region of a learned rule, around the codes' own
    boxes for code_in_photo (a phone is not where the face is; the outline is drawn clear of the code), the heads of
    the other people in view for face_count."""
    if check == "code_in_photo":
        return [_around(np.array([[x, y], [x + w, y + h]]), 0.2 * max(w, h), 0.2 * max(w, h))
                for x, y, w, h in analysis.code_boxes]
    if check == "face_count":  # each other face's head: its hair above the brow line, its ears beside the cheeks
        return [(x - 0.15 * w, y - 0.35 * h, 1.3 * w, 1.45 * h) for x, y, w, h in analysis.other_faces]
    return rule_regions(check, analysis.face) if analysis.face is not None else []


def rule_regions(check: str, face: Face) -> list[Box]:
    """The boxes to outline for `check` on this face (one per ear for the ear rules); [] for frame rules."""
    xy = face.points[:, :2]
    width = float(np.linalg.norm(xy[CHEEK_LEFT] - xy[CHEEK_RIGHT])) or 1.0
    right, left, chin = xy[CHEEK_RIGHT], xy[CHEEK_LEFT], xy[CHIN]
    brow_y = float(xy[list(BROWS), 1].min())
    if check in ("mouth_open", "teeth"):
        return [_around(xy[list(MOUTH)], 0.08 * width, 0.08 * width)]
    if check == "eyebrows_covered":
        return [_around(xy[list(BROWS)], 0.08 * width, 0.1 * width)]
    if check in ("glasses", "eyes_closed"):
        pad = 0.14 if check == "glasses" else 0.06
        return [_around(xy[list(EYES)], pad * width, pad * width)]
    if check == "coloured_lenses":  # each iris, with room for a lens a little larger than it
        circles = [iris_circle(face.points, eye) for eye in (0, 1)]
        return [_around(centre[None], 2 * radius, 2 * radius) for centre, radius in circles]
    if check in ("makeup", "pose", "blur", "exposure"):  # the whole face (blur and exposure are read on it)
        return [_around(xy, 0.03 * width, 0.03 * width)]
    if check == "hat":
        top = float(xy[FOREHEAD, 1]) - 0.6 * width
        return [(float(right[0]) - 0.1 * width, top, 1.2 * width, brow_y - top)]
    if check == "necklace":
        return [(float(right[0]), float(chin[1]) + 0.05 * width, width, 0.65 * width)]
    if check in ("earrings", "ears_covered"):
        # ears_covered: the whole ear, from eye level; earrings: the lobe, from the nose tip down
        top = float(xy[list(EYES), 1].mean()) - 0.1 * width if check == "ears_covered" else float(xy[NOSE_TIP, 1])
        height = 0.45 * width if check == "ears_covered" else 0.4 * width
        side = 0.22 * width
        return [(float(right[0]) - side, top, side + 0.05 * width, height),
                (float(left[0]) - 0.05 * width, top, side + 0.05 * width, height)]
    return []
