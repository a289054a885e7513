"""Which way is up: a photo from a tethered camera may arrive sideways or upside down.

The face mesh assumes an upright face and returns a confident-looking mesh on a rotated
one, so it cannot tell. mediapipe's face detectors score an upright face clearly higher
than a rotated one: summing the short- and full-range detector scores over the four
quarter turns picked the upright one in 160 of 160 trials (40 CelebA-HQ faces x 4 turns).
A finished CHSI photo (one near, large face) needs the short-range detector alone
(`upright_turns`; scripts/benchmark_upright.py measures both ways).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from station.face.detection import Detection, once_each
from station.face.mediapipe_graphs import solutions
from station.image_io import shrunk

ANALYSIS_SIDE = 640  # detection runs on a copy this size: the detectors work at 128/192 px anyway
QUARTER_TURNS = (0, 1, 2, 3)  # counter-clockwise quarter turns, as np.rot90's k
PERSON_SCORE = 0.5  # a full-range detection this sure counts as a person in the picture
TRUSTED_FACE = 64  # px in the look: a smaller face's turn is judged again where the original has its pixels
AROUND = 4  # side of the square judged again around such a face, in its box's larger side
FACE_LOOK_SIDE = 256  # px of the square around a known face: the detector sees it at 128 px, the face at 32


Box = tuple[float, float, float, float]  # x, y, width, height as shares of the image size


@dataclass(frozen=True)
class Orientation:
    turns: int  # np.rot90's k that brings the main face upright (0 when no face is seen)
    boxes: list[Box]  # the faces found upright by the full-range detector, widest first
    unsure: bool = False  # a look shrunk from the image: a turn, or no face or one under TRUSTED_FACE px, won the vote


class UprightFinder:
    """Holds two face-detection graphs; one per thread."""

    def __init__(self) -> None:
        self._detectors = [
            solutions().face_detection.FaceDetection(model_selection=k, min_detection_confidence=0.2) for k in (0, 1)
        ]

    def _detect(self, bgr: np.ndarray, detectors: int = 2) -> _Look:
        """Summed best scores of the first `detectors` (short-range, then full-range), the confident faces of the
        last one (the full-range detector's when both run) and the surest detection of any."""
        rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        total, boxes, seen = 0.0, [], []
        for det in self._detectors[:detectors]:
            found = [Detection(_box(d.location_data.relative_bounding_box), float(d.score[0]))
                     for d in det.process(rgb).detections or []]
            total += max((d.score for d in found), default=0.0)
            seen += found
            boxes = [d.box for d in once_each([d for d in found if d.score >= PERSON_SCORE])]  # one face, not two
        surest = max(seen, key=lambda d: d.score, default=None)
        return _Look(total, sorted(boxes, key=lambda b: b[2], reverse=True), surest)

    def orient(self, bgr: np.ndarray, detectors: int = 2, seen: float | None = None) -> Orientation:
        """The vote over the four quarter turns in a 640 px look; a vote won by a face under `TRUSTED_FACE` px there,
        upright or turned, is taken again around that face in the original (`_again`). An image whose look is not
        shrunk, or whose face there is larger, is judged as before. `seen`: the short-range detector's surest score on
        `bgr` itself, known already (FaceDetector.look), stands for the upright look of the short-range vote when that
        look is `bgr` itself (its faces are then not listed in `boxes`)."""
        small = _shrink(bgr, ANALYSIS_SIDE)
        upright = _Look(seen, [], None) if seen is not None and small is bgr and detectors == 1 else None
        looks = [upright or self._detect(small, detectors),
                 *(self._detect(np.rot90(small, k), detectors) for k in QUARTER_TURNS[1:])]
        best = _vote(looks)
        if best is None:
            return Orientation(0, [], small is not bgr)
        face = looks[best].surest
        if small is bgr:
            return Orientation(best, looks[best].boxes)
        if _side(face.box, small.shape[1::-1], best) >= TRUSTED_FACE:
            return Orientation(best, looks[best].boxes, best != 0)
        best = self._again(bgr, unturned(face.box, best), detectors)
        return Orientation(best, looks[best].boxes, True)

    def _again(self, bgr: np.ndarray, box: Box, detectors: int, side_px: int = ANALYSIS_SIDE) -> int:
        """The vote over the four turns on a square around the face in `box` (shares of `bgr`), cut from `bgr`
        itself: in the look a face of 14-48 px in a 6000x4000 still won the vote turned (30 of 480 upright stills,
        session 25), and a turned one's vote upright. 0 when no face is seen there: a turn that cannot be confirmed
        is not made."""
        around = self._around(bgr, box, side_px)
        best = _vote([self._detect(np.rot90(around, k), detectors) for k in QUARTER_TURNS])
        return 0 if best is None else best

    @staticmethod
    def _around(bgr: np.ndarray, box: Box, side_px: int = ANALYSIS_SIDE) -> np.ndarray:
        """A square `AROUND` times the face in `box` (shares of `bgr`) on a side, cut from `bgr` itself, at most
        `side_px` px."""
        height, width = bgr.shape[:2]
        side = AROUND * max(box[2] * width, box[3] * height)
        cx, cy = (box[0] + box[2] / 2) * width, (box[1] + box[3] / 2) * height
        x0, y0 = max(0, int(cx - side / 2)), max(0, int(cy - side / 2))
        x1, y1 = min(width, int(cx + side / 2)), min(height, int(cy + side / 2))
        return _shrink(np.ascontiguousarray(bgr[y0:y1, x0:x1]), side_px)

    def upright_turns(self, bgr: np.ndarray, seen: float | None = None) -> int:
        """Quarter turns (np.rot90's k) that bring the main face of a portrait photo upright; 0 when no face is
        seen at all. The short-range detector alone, at half the cost of both: on 400 CelebA-HQ faces in a
        480x640 canvas it kept 398 upright and took none of the 1,200 turned ones (both: 399, and took 2). Made for
        a face near the camera, it does not see a big still's small face (a 6000x4000 still's student, 20-40 px in
        the look) and took a sideways head or a shoulder there for a turned face: in a shrunk look it is trusted
        only to say upright about a face of `TRUSTED_FACE` px; otherwise both detectors vote, as for crop. `seen`:
        the short-range detector's surest score on `bgr` itself, when the still engine's look found a face (`orient`)."""
        near = self.orient(bgr, detectors=1, seen=seen)
        return self.orient(bgr).turns if near.unsure else near.turns

    def upside_down(self, bgr: np.ndarray, face: Box, seen: float | None = None) -> bool:
        """Whether the face in `face` (shares of `bgr`: the face mesh's box) may stand on its head, for `upright_turns`
        to judge. The face mesh fits an upside-down face as if it stood, often within the pose limits (林晓雯 in the
        demo: a yaw of -6.5 and a pitch of -11.8, a question; 30 of 52 CelebA-HQ val faces that pass or ask as they
        stand), so the pose check cannot tell. The short-range detector scores a face higher upright: two of its
        looks at a square around the face (`_around`), as it lies and turned half round. `seen`: its surest score on
        `bgr` itself, known already (FaceDetector.look), is the look as it lies where the square is the whole photo
        (a small portrait's: a 178x218 one's face is 80-100 px)."""
        around = self._around(bgr, face, FACE_LOOK_SIDE)
        whole = seen is not None and around.shape == bgr.shape  # cut and shrunk from nothing but `bgr` itself
        lying = seen if whole else self._detect(around, detectors=1).score
        return self._detect(np.rot90(around, 2), detectors=1).score > lying

    def turns_around(self, bgr: np.ndarray, face: Box) -> int:
        """The short-range detector's vote over the four quarter turns of a square around the face in `face`: a
        second opinion, cut from `bgr` itself (a big still's small face keeps its pixels), on a turn the whole photo's
        vote found, before a face that still fails the pose check is measured turned. 0 when no face is seen."""
        return self._again(bgr, face, detectors=1, side_px=FACE_LOOK_SIDE)

    def close(self) -> None:
        for det in self._detectors:
            det.close()


@dataclass(frozen=True)
class _Look:
    score: float  # the detectors' best scores, summed
    boxes: list[Box]  # confident faces, widest first (Orientation.boxes)
    surest: Detection | None  # the surest detection of any score


def _vote(looks: list[_Look]) -> int | None:
    """The quarter turn whose look scored highest; None when no turn saw a face."""
    best = int(np.argmax([look.score for look in looks]))
    return None if looks[best].score <= 0 else best


def _side(box: Box, size: tuple[int, int], turns: int) -> float:
    """The larger side in pixels of `box` (shares of an image of `size`, width and height, turned by `turns`)."""
    width, height = size if turns % 2 == 0 else size[::-1]
    return max(box[2] * width, box[3] * height)


def unturned(box: Box, turns: int) -> Box:
    """`box` in np.rot90(image, turns), as shares of the image before the turn."""
    x, y, w, h = box
    if turns == 1:
        return (1 - y - h, x, h, w)
    if turns == 2:
        return (1 - x - w, 1 - y - h, w, h)
    if turns == 3:
        return (y, 1 - x - w, h, w)
    return box


def _box(rel: object) -> Box:
    return (float(rel.xmin), float(rel.ymin), float(rel.width), float(rel.height))


def _shrink(image: np.ndarray, side: int) -> np.ndarray:
    factor = side / max(image.shape[:2])
    return image if factor >= 1 else shrunk(image, factor)  # a strip 2 px thin keeps 1 px, not 0
