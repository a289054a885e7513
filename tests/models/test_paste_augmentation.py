"""Copy-paste augmentation (training/paste.py): a donor's earring lands beside the recipient's ear lobe on the same
side, nothing else in the frame changes, and only clean faces are dressed, labelled for the pasted check alone."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance.learned import REGIONS, warp
from station.face import FaceMesher
from training.paste import Donor, paste, recipients
from training.training import Sample

SIZE = (96, 96)


@pytest.fixture(scope="module")
def demo_face() -> Sample:
    image = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"))
    with FaceMesher(max_faces=1) as mesher:
        points = mesher.detect(image)[0].points
    return Sample("demo", "01_good.jpg", image, points, np.zeros(2, np.float32), None)


def _red_disc(side: int) -> Donor:
    """A red disc at the centre of an ear crop, opaque only on the disc."""
    crop = np.zeros((*SIZE, 3), np.uint8)
    alpha = np.zeros(SIZE, np.float32)
    cv2.circle(crop, (48, 48), 10, (0, 0, 255), -1)
    cv2.circle(alpha, (48, 48), 10, 1.0, -1)
    return Donor(crop, alpha, side)


def _red_pixels(crop: np.ndarray) -> int:
    b, g, r = (crop[..., i].astype(int) for i in range(3))
    return int(np.count_nonzero((r > 150) & (g < 80) & (b < 80)))


@pytest.mark.parametrize("side", [0, 1])
def test_the_earring_lands_beside_the_same_ear_and_nothing_else_changes(demo_face: Sample, side: int) -> None:
    dressed = paste(demo_face, [_red_disc(side)], "ears", SIZE, np.random.default_rng(side))
    crops = [warp(dressed.image, m, SIZE) for m in REGIONS["ears"].transforms(dressed.points, SIZE)]
    before = [warp(demo_face.image, m, SIZE) for m in REGIONS["ears"].transforms(demo_face.points, SIZE)]
    assert _red_pixels(crops[side]) > 100 + _red_pixels(before[side])  # the disc, seen where the model looks
    assert _red_pixels(crops[1 - side]) == _red_pixels(before[1 - side])  # the other ear untouched
    changed = np.any(dressed.image != demo_face.image, axis=2)
    assert 0 < changed.mean() < 0.01  # a small patch of a 1280x720 frame, the rest as it was
    assert dressed.labels is demo_face.labels and demo_face.image is not dressed.image


def test_only_clean_faces_are_dressed_and_only_the_pasted_check_changes(demo_face: Sample) -> None:
    def face(earrings: float, necklace: float) -> Sample:
        return Sample("demo", "x", demo_face.image, demo_face.points, np.float32([earrings, necklace]), None)

    train = [face(0, 0), face(1, 0), face(0, 1), face(np.nan, 0), face(0, 0)]
    chosen = recipients(train, check=0, share=1.0, rng=np.random.default_rng(0))
    assert len(chosen) == 3  # the faces labelled without earrings; not the unknown one
    assert sorted(tuple(r.labels) for r in chosen) == [(1, 0), (1, 0), (1, 1)]
    assert len(recipients(train, check=0, share=0.34, rng=np.random.default_rng(0))) == 1
