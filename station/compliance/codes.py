"""A phone in the photo: the next student's capture code held up beside or behind the one being photographed.

At the kiosk the next student often shows their 采集码 early. The station rightly does not switch students for a code
that small (the capture session's size rule), but the phone can still stand inside the part of the frame the CHSI
crop keeps, and a certificate photo with a phone in it is one the student will report. A code the station's own
decoders read (station/identify/frames.py) whose box reaches into the crop, even partly, is in the photo: that is
certain, so it blocks. A code just outside the crop is most likely on a phone that reaches in (the phone is larger
than its code): the photographer is asked to look. A code anywhere else is how the next student identifies: it passes.
A code the decoders cannot read (too small, angled, glare) is not seen here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from station.chsi.crop import CropPlan, CropRefusal
from station.compliance import messages
from station.compliance.policy import CheckPolicy
from station.compliance.results import Finding
from station.identify.frames import Box, SeenCode, decode_codes
from station.image_io import shrunk

IN_PHOTO = 1.0  # a code inside the crop, even partly: it will be in the photo
NEAR_PHOTO = 0.6  # a code within the phone's reach of the crop: the phone showing it probably reaches in
# A still (the shutter, `check`) is read around the crop, this share of the crop's width beyond each side, so that a
# code half inside is read whole; one plain zbar pass (the scanner's fallbacks cost six times that).
READ_BEYOND = 0.5
# A big still's crop whose read region is narrower than this in its analysis copy (a face under about 120 px there) is
# read in the original, shrunk to this across where it is wider: a phone's code held over the face, half its width, was
# read in the copy only from a face of about 95 px there (a 45 px code). Measured on 6000x4000 stills: 3-11 ms more a
# still than reading the copy; reading the original at the reader's own size (1280 px) cost 20-40 ms more.
READ_IN_ORIGINAL = 640


@dataclass(frozen=True)
class CodesInPhoto:
    finding: Finding | None  # None: no photo can be framed, so there is no photo to look in
    boxes: tuple[Box, ...]  # the boxes of the codes that gave its score (x, y, width, height), outlined on screen


def code_in_photo(bgr: np.ndarray, plan: CropPlan | CropRefusal, policy: CheckPolicy,
                  told: Sequence[SeenCode] | None = None, factor: float = 1.0,
                  original: np.ndarray | None = None) -> CodesInPhoto:
    """The codes in or near the photo `plan` makes of `bgr` (the pixels everything is measured and given in).
    `told`: what the code scanner read in a recent frame of this scene (the live checks), in the pixels of a frame
    `bgr` is a copy of, `factor` times its size; None: the codes are read here, around the crop (a still), in that
    frame (`original`) where the copy holds fewer of its pixels than the reader reads (read_around)."""
    if not isinstance(plan, CropPlan):  # no photo can be framed: face_position says why, nothing is looked at here
        return CodesInPhoto(None, ())
    corners = plan.corners().astype(np.float32)
    if told is None:
        boxes = read_around(bgr, corners, original, factor)
    else:
        boxes = [tuple(value * factor for value in code.box) for code in told]
    reach = policy["phone_reach"]
    scored = [(IN_PHOTO if plan.shows(phone_around(box, 0.0)) else
               NEAR_PHOTO if plan.shows(phone_around(box, reach)) else 0.0, box) for box in boxes]
    score = max((score for score, _ in scored), default=0.0)
    shown = tuple(box for s, box in scored if s == score and score > 0)
    return CodesInPhoto(Finding(score, messages.INSTRUCTIONS["code_in_photo"]), shown)


def read_around(bgr: np.ndarray, corners: np.ndarray, original: np.ndarray | None = None,
                factor: float = 1.0) -> list[Box]:
    """The boxes, in `bgr`'s pixels, of the codes read in the crop (`corners`) and READ_BEYOND around it.
    `original`: the frame `bgr` was shrunk from by `factor` (a big still). Where that part of the copy is narrower than
    READ_IN_ORIGINAL it is read in the original: a phone's code 60-90 px wide in a 6000 px still is 16-24 px in the
    1600 px copy, too few for zbar."""
    height, width = bgr.shape[:2]
    beyond = READ_BEYOND * float(np.linalg.norm(corners[1] - corners[0]))
    x0, y0 = (max(0, int(v - beyond)) for v in corners.min(axis=0))
    x1, y1 = min(width, int(corners[:, 0].max() + beyond) + 1), min(height, int(corners[:, 1].max() + beyond) + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    if original is None or factor == 1.0 or max(x1 - x0, y1 - y0) >= READ_IN_ORIGINAL:
        return [(x + x0, y + y0, w, h) for x, y, w, h in (code.box for code in decode_codes(bgr[y0:y1, x0:x1], False))]
    left, top, right, bottom = (round(v / factor) for v in (x0, y0, x1, y1))
    region = original[top:bottom, left:right]
    scale = min(1.0, READ_IN_ORIGINAL / max(region.shape[:2]))  # read pixels per original pixel
    read = shrunk(cv2.cvtColor(region, cv2.COLOR_BGR2GRAY), scale) if scale < 1.0 else region  # grey: a third to shrink
    return [((x / scale + left) * factor, (y / scale + top) * factor, w / scale * factor, h / scale * factor)
            for x, y, w, h in (code.box for code in decode_codes(read, False))]


def phone_around(box: Box, reach: float) -> Box:
    """Where the phone showing the code in `box` may be: the box grown by `reach` times its longer side on every
    side (a phone is larger than the code it shows)."""
    x, y, w, h = box
    w, h = max(w, 1.0), max(h, 1.0)  # a linear barcode's box may be a line
    pad = reach * max(w, h)
    return x - pad, y - pad, w + 2 * pad, h + 2 * pad

